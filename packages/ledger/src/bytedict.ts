// A dictionary keyed by the UTF-8 bytes of its entries: entry k is bytes[offs[k], offs[k+1]), found
// through an open-addressing hash table of codes. The CSV importer interns cells straight from
// the file's bytes, so a province's 30 million ids never become JS strings or Map entries (both
// cost seconds of allocation and garbage collection, and a Map holds at most 2^23 entries); the
// strings are made only when someone reads `dict` (see `lazyStrings`).

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return (h ^ (h >>> 15)) | 0;
}

const encoder = new TextEncoder();

export class ByteDict {
  /** Entry bytes, back to back (a Buffer: entries decode with utf8Slice). */
  bytes: Buffer = Buffer.allocUnsafe(1 << 12);
  /** Entry k spans bytes[offs[k], offs[k+1]). */
  offs = new Int32Array(256);
  count = 0;
  private hashes = new Int32Array(256);
  /** code + 1 per slot, 0 = free; at most half full. */
  private slots = new Int32Array(512);
  private scratch = new Uint8Array(256);

  /** Code of the entry equal to b[s, e), or -1. */
  find(b: Uint8Array, s: number, e: number): number {
    return this.findHashed(b, s, e, hashBytes(b, s, e));
  }

  private findHashed(b: Uint8Array, s: number, e: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = slots[i] - 1;
      if (c < 0) return -1;
      if (this.hashes[c] === h && this.equals(c, b, s, e)) return c;
    }
  }

  /** Does entry `code` hold exactly the bytes b[s, e)? */
  equals(code: number, b: Uint8Array, s: number, e: number): boolean {
    const a = this.offs[code];
    if (this.offs[code + 1] - a !== e - s) return false;
    const bytes = this.bytes;
    for (let i = s, j = a; i < e; i++, j++) if (bytes[j] !== b[i]) return false;
    return true;
  }

  /** Code of b[s, e), added as a new entry when absent. */
  intern(b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const found = this.findHashed(b, s, e, h);
    return found >= 0 ? found : this.add(b, s, e, h);
  }

  /** Code of a string (its UTF-8 bytes), added when absent. */
  internString(t: string): number {
    const b = this.utf8(t);
    return this.intern(b, 0, b.length);
  }

  /** Code of a string, or -1. */
  findString(t: string): number {
    const b = this.utf8(t);
    return this.find(b, 0, b.length);
  }

  /** The UTF-8 bytes of t in a reused scratch array (valid until the next call). */
  utf8(t: string): Uint8Array {
    if (this.scratch.length < t.length * 3) this.scratch = new Uint8Array(t.length * 3);
    const { written } = encoder.encodeInto(t, this.scratch);
    return this.scratch.subarray(0, written);
  }

  private add(b: Uint8Array, s: number, e: number, h: number): number {
    const code = this.count;
    if (code + 2 > this.offs.length) {
      const o = new Int32Array(this.offs.length * 2);
      o.set(this.offs);
      this.offs = o;
      const hs = new Int32Array(this.hashes.length * 2);
      hs.set(this.hashes);
      this.hashes = hs;
    }
    const at = this.offs[code];
    const len = e - s;
    if (at + len > this.bytes.length) {
      let n = Math.max(64, this.bytes.length * 2);
      while (n < at + len) n *= 2;
      const nb = Buffer.allocUnsafe(n);
      this.bytes.copy(nb, 0, 0, at);
      this.bytes = nb;
    }
    this.bytes.set(b.subarray(s, e), at);
    this.offs[code + 1] = at + len;
    this.hashes[code] = h;
    this.count = code + 1;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(code, h);
    return code;
  }

  private place(code: number, h: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = h & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = code + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let c = 0; c < this.count; c++) this.place(c, this.hashes[c]);
  }

  /** Entry k as a string. */
  text(k: number): string {
    return this.bytes.toString('utf8', this.offs[k], this.offs[k + 1]);
  }

  /** Every entry as a string, in code order. */
  strings(): string[] {
    const out = new Array<string>(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.text(k);
    return out;
  }

  /** The state, for moving the dictionary to another thread (the byte array is a copy of the used part). */
  parts(): { bytes: Uint8Array; offs: Int32Array<ArrayBuffer>; hashes: Int32Array<ArrayBuffer>; slots: Int32Array<ArrayBuffer>; count: number } {
    return { bytes: new Uint8Array(this.bytes.subarray(0, this.offs[this.count])), offs: this.offs, hashes: this.hashes, slots: this.slots, count: this.count };
  }

  static fromParts(p: ReturnType<ByteDict['parts']>): ByteDict {
    const d = new ByteDict();
    d.bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.length);
    d.offs = p.offs;
    d.hashes = p.hashes;
    d.slots = p.slots;
    d.count = p.count;
    return d;
  }

  /** A dictionary holding the given strings in order (codes = indexes; duplicates keep their first code). */
  static of(strings: readonly string[]): ByteDict {
    const d = new ByteDict();
    for (const s of strings) d.internString(s);
    return d;
  }
}

/**
 * Give `col` a `dict` property decoded from `d` on first read (then kept, and writable: checks
 * extend small dictionaries in place).
 */
export function lazyStrings(col: object, d: ByteDict): void {
  let cached: string[] | undefined;
  Object.defineProperty(col, 'dict', {
    enumerable: true,
    configurable: true,
    get(): string[] {
      cached ??= d.strings();
      return cached;
    },
    set(v: string[]) {
      cached = v;
    },
  });
}
