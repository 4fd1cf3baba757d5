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

function place(slots: Int32Array, code: number, h: number): void {
  const mask = (slots.length >> 1) - 1;
  let i = h & mask;
  while (slots[2 * i] !== 0) i = (i + 1) & mask;
  slots[2 * i] = code + 1;
  slots[2 * i + 1] = h;
}

export class ByteDict {
  /** Entry bytes, back to back (a Buffer: entries decode with utf8Slice). */
  bytes: Buffer = Buffer.allocUnsafe(1 << 12);
  /** Entry k spans bytes[offs[k], offs[k+1]). */
  offs = new Int32Array(256);
  count = 0;
  /**
   * The hash table: slot i is (code + 1, hash) at [2i, 2i+1], code + 1 = 0 when free; at most
   * half the slots are used. The hash sits next to the code so that a probe touches one cache line.
   */
  private slots = new Int32Array(1024);
  private scratch = new Uint8Array(256);

  /** Room for `n` entries without growing the table (a column of unique ids: about its row count). */
  reserve(n: number): void {
    let size = this.slots.length >> 1;
    while (size < n * 2) size *= 2;
    if (size > this.slots.length >> 1) this.rehash(size);
    if (n + 1 > this.offs.length) {
      const o = new Int32Array(n + 1);
      o.set(this.offs);
      this.offs = o;
    }
  }

  /** Code of the entry equal to b[s, e), or -1. */
  find(b: Uint8Array, s: number, e: number): number {
    return this.findHashed(b, s, e, hashBytes(b, s, e));
  }

  private findHashed(b: Uint8Array, s: number, e: number, h: number): number {
    const slots = this.slots;
    if (slots.length === 0) throw new Error('ByteDict: look-up after dropIndex()');
    const mask = (slots.length >> 1) - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = slots[2 * i] - 1;
      if (c < 0) return -1;
      if (slots[2 * i + 1] === h && this.equals(c, b, s, e)) return c;
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
    this.count = code + 1;
    place(this.slots, code, h);
    if (this.count * 4 > this.slots.length) this.rehash(this.slots.length); // more than half of the slots used
    return code;
  }

  /** A table of `size` slots holding the same entries. */
  private rehash(size: number): void {
    const old = this.slots;
    const slots = new Int32Array(2 * size);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) place(slots, old[i] - 1, old[i + 1]);
    this.slots = slots;
  }

  /**
   * Free the hash table once no more look-ups will come (a loaded bundle): entries stay readable
   * for `dict`. At province size the tables of the id columns hold about 0.7 GB.
   */
  dropIndex(): void {
    this.slots = new Int32Array(0);
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
  parts(): { bytes: Uint8Array; offs: Int32Array<ArrayBuffer>; slots: Int32Array<ArrayBuffer>; count: number } {
    return { bytes: new Uint8Array(this.bytes.subarray(0, this.offs[this.count])), offs: this.offs as Int32Array<ArrayBuffer>, slots: this.slots as Int32Array<ArrayBuffer>, count: this.count };
  }

  static fromParts(p: ReturnType<ByteDict['parts']>): ByteDict {
    const d = new ByteDict();
    d.bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.length);
    d.offs = p.offs;
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
      if (cached === undefined) {
        cached = d.strings();
        d = null as unknown as ByteDict; // the strings replace the bytes
      }
      return cached;
    },
    set(v: string[]) {
      cached = v;
    },
  });
}
