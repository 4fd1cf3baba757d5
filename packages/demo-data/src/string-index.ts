// Dictionary codes of strings in order of first appearance, for the merge of the chunks' text
// columns on the main thread. Two million enterprise names through a Map cost about 2 s there at
// province size (its entries are scattered objects); this open-addressing table keeps each slot's
// hash beside its code, so a new string is placed after touching one cache line and strings are
// compared only when their hashes agree.

export class StringIndex {
  /** Per slot: the string's hash, and its code + 1 (0: empty). */
  private hashes: Int32Array;
  private codes: Int32Array;
  private mask: number;
  /** The entries, by code. */
  readonly strings: string[] = [];

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.hashes = new Int32Array(n);
    this.codes = new Int32Array(n);
    this.mask = n - 1;
  }

  get size(): number {
    return this.strings.length;
  }

  /** The code of `s`, or -1. */
  get(s: string): number {
    const h = hashOf(s);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const c = this.codes[i];
      if (c === 0) return -1;
      if (this.hashes[i] === h && this.strings[c - 1] === s) return c - 1;
    }
  }

  /** The code of `s`, which gets the next code if it is new. */
  codeOf(s: string): number {
    const h = hashOf(s);
    let i = h & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const c = this.codes[i];
      if (c === 0) break;
      if (this.hashes[i] === h && this.strings[c - 1] === s) return c - 1;
    }
    const code = this.strings.length;
    this.strings.push(s);
    this.hashes[i] = h;
    this.codes[i] = code + 1;
    if (2 * this.strings.length > this.codes.length) this.grow();
    return code;
  }

  /** Forget every entry (the codes given stay valid for the caller). */
  clear(): void {
    this.strings.length = 0;
    this.hashes = new Int32Array(16);
    this.codes = new Int32Array(16);
    this.mask = 15;
  }

  private grow(): void {
    const hashes = this.hashes;
    const codes = this.codes;
    const n = codes.length * 2;
    this.hashes = new Int32Array(n);
    this.codes = new Int32Array(n);
    this.mask = n - 1;
    for (let j = 0; j < codes.length; j++) {
      if (codes[j] === 0) continue;
      let i = hashes[j] & this.mask;
      while (this.codes[i] !== 0) i = (i + 1) & this.mask;
      this.hashes[i] = hashes[j];
      this.codes[i] = codes[j];
    }
  }
}

/** FNV-1a over the UTF-16 units, then a finaliser that spreads the low bits (slots are taken by them). */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
