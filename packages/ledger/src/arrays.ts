// The typed arrays a bundle's columns are made of, by their snapshot dtype.

export type DType = 'f64' | 'i32' | 'i8' | 'u32';
export type Arr = Float64Array | Int32Array | Int8Array | Uint32Array;

export function dtypeOf(a: Arr): DType {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Int8Array) return 'i8';
  if (a instanceof Uint32Array) return 'u32';
  throw new Error('snapshot: unsupported array type');
}

export function bytesOf(a: Arr): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function ctorOf(d: DType): { new (n: number): Arr; new (b: ArrayBuffer, off: number, n: number): Arr; BYTES_PER_ELEMENT: number } {
  switch (d) {
    case 'f64':
      return Float64Array;
    case 'i32':
      return Int32Array;
    case 'i8':
      return Int8Array;
    case 'u32':
      return Uint32Array;
  }
}

