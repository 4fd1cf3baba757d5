// Dictionary codes in order of first appearance for text a worker hands over as UTF-8 (enterprise
// names), merged on the main thread without making strings of it. An open-addressing table keeps
// each slot's hash beside its code, so a new entry is placed after touching one cache line, and
// entries are compared only when their hashes agree.

/**
 * Open-addressing slots, linear probing, at most half full. A slot is four int32 in one array (one
 * cache line holds four slots): the hash, code + 1 (0: empty), and two values the owner keeps
 * there to compare entries without looking elsewhere first.
 */
class Slots {
  private a: Int32Array;
  private mask: number;
  private used = 0;

  constructor(capacity: number) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.a = new Int32Array(4 * n);
    this.mask = n - 1;
  }
  first(h: number): number {
    return h & this.mask;
  }
  next(i: number): number {
    return (i + 1) & this.mask;
  }
  /** The code in slot i, or -1 if it is empty. */
  code(i: number): number {
    return this.a[4 * i + 1] - 1;
  }
  hash(i: number): number {
    return this.a[4 * i];
  }
  /** The owner's two values of slot i. */
  x(i: number): number {
    return this.a[4 * i + 2];
  }
  y(i: number): number {
    return this.a[4 * i + 3];
  }
  /** Reads the first slot of `h` (and gives back a number the caller folds in, so the read is kept). */
  touch(h: number): number {
    return this.a[4 * (h & this.mask)];
  }
  /** Puts `code` (and the owner's x, y) in the empty slot i, found by probing for h. */
  put(i: number, h: number, code: number, x = 0, y = 0): void {
    const a = this.a;
    a[4 * i] = h;
    a[4 * i + 1] = code + 1;
    a[4 * i + 2] = x;
    a[4 * i + 3] = y;
    if (2 * ++this.used > this.mask + 1) this.grow();
  }
  private grow(): void {
    const old = this.a;
    const n = 2 * (this.mask + 1);
    const a = (this.a = new Int32Array(4 * n));
    this.mask = n - 1;
    for (let j = 0; j < old.length; j += 4) {
      if (old[j + 1] === 0) continue;
      let i = old[j] & this.mask;
      while (a[4 * i + 1] !== 0) i = (i + 1) & this.mask;
      for (let k = 0; k < 4; k++) a[4 * i + k] = old[j + k];
    }
  }
}

/** The hash's finaliser: spreads the bits into the low ones, which pick the slot. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** FNV-1a over UTF-8 bytes `b[from..to)` (what a worker sends with a dictionary's text). */
export function hashBytes(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return finish(h);
}

/**
 * Codes of entries given as UTF-8 bytes, for dictionaries a worker hands over as text (entries
 * joined by "\n", with their hashes): the main thread never makes a string of them. Each new entry
 * is copied to an arena after the ones before and a "\n", so a run of new entries is already the
 * dictionary file's text. A slot keeps its entry's place and length in the arena.
 */
export class ByteIndex {
  private readonly slots: Slots;
  private arena: Uint8Array;
  /** Where each entry starts in the arena; starts[size] is just past the last one's "\n". */
  private starts: Uint32Array;
  size = 0;
  /** What the warming reads gave (kept so they are not optimised away). */
  private touched = 0;

  constructor(capacity = 1024) {
    this.slots = new Slots(capacity);
    this.arena = new Uint8Array(capacity * 16);
    this.starts = new Uint32Array(capacity + 1);
  }

  /** The code of the entry `src[from..to)` whose hashBytes is `h`; a new entry gets the next code. */
  codeOf(src: Uint8Array, from: number, to: number, h: number): number {
    const slots = this.slots;
    const n = to - from;
    let i = slots.first(h);
    for (; ; i = slots.next(i)) {
      const c = slots.code(i);
      if (c < 0) break;
      if (slots.hash(i) === h && slots.y(i) === n && this.equals(slots.x(i), src, from, n)) return c;
    }
    const code = this.size;
    const at = this.starts[code];
    const end = at + n + 1;
    if (end > this.arena.length) {
      // a new buffer, not a resize: views handed out by lines() stay as they were
      const a = new Uint8Array(Math.max(end, this.arena.length * 2));
      a.set(this.arena.subarray(0, at));
      this.arena = a;
    }
    const arena = this.arena;
    for (let k = 0; k < n; k++) arena[at + k] = src[from + k]; // short entries: no view object per copy
    arena[end - 1] = 10;
    if (code + 2 > this.starts.length) {
      const s = new Uint32Array(this.starts.length * 2);
      s.set(this.starts);
      this.starts = s;
    }
    this.starts[code + 1] = end;
    this.size++;
    slots.put(i, h, code, at, n);
    return code;
  }

  /**
   * Codes of `count` entries of `src` (entry j ends at ends[j], the next starts after its "\n")
   * whose hashes are `hashes`, into `out`. Each entry costs two dependent reads from memory at
   * province size (its slot, then the bytes it is compared with), about 180 ns each here; so each
   * batch of entries first reads the slots it will need, then the bytes, then does the work: reads
   * that do not wait on each other overlap.
   */
  codesOf(src: Uint8Array, ends: Uint32Array, hashes: Int32Array, count: number, out: Int32Array): void {
    const BATCH = 64;
    const slots = this.slots;
    let from = 0;
    let sink = 0;
    for (let b = 0; b < count; b += BATCH) {
      const e = Math.min(count, b + BATCH);
      for (let j = b; j < e; j++) sink ^= slots.touch(hashes[j]);
      for (let j = b; j < e; j++) {
        const i = slots.first(hashes[j]);
        if (slots.code(i) >= 0) sink ^= this.arena[slots.x(i)];
      }
      for (let j = b; j < e; j++) {
        const to = ends[j];
        out[j] = this.codeOf(src, from, to, hashes[j]);
        from = to + 1;
      }
    }
    this.touched ^= sink;
  }

  /** Entries [a, b) as text joined by "\n" (a view of the arena, which later entries never change). */
  lines(a: number, b: number): Uint8Array {
    return this.arena.subarray(this.starts[a], this.starts[b] - 1);
  }

  /** Whether the n bytes at `at` in the arena are src[from..from + n). */
  private equals(at: number, src: Uint8Array, from: number, n: number): boolean {
    const a = this.arena;
    for (let k = 0; k < n; k++) if (a[at + k] !== src[from + k]) return false;
    return true;
  }
}
