// Snapshot files written while their data is still being made: a generator hands each array's
// parts over in order as they are ready, and each part is hashed and written (at its offset, by the
// thread pool) straight away, instead of everything being kept until a final hash-and-write pass.
// The files and manifest entries are exactly those `writeSnapshotTables` makes of the same arrays
// in one piece: an array that turns out to be all one value or a range is not written, and a
// dictionary of at most DICT_INLINE_MAX entries goes into the manifest.
import { createHash, type Hash } from 'node:crypto';
import { close, open, write } from 'node:fs';
import { join } from 'node:path';

export type DType = 'f64' | 'i32' | 'i8' | 'u32';
export type Arr = Float64Array | Int32Array | Int8Array | Uint32Array;

export interface FileRef {
  file: string;
  bytes: number;
  sha256: string;
}
/** Runs of values that repeat (0) or count up by one (1). */
export type RunStep = 0 | 1;
/**
 * How an array is stored: a file of its elements; every element one value; element i = range + i;
 * or (columns whose schema allows it) `runs` maximal runs, in a file of their first values (dtype)
 * followed by their lengths (u32).
 */
export type ArrayRef = { dtype: DType } & (FileRef | { fill: number | 'NaN' } | { range: number } | (FileRef & { runs: number; step: RunStep }));
export type DictRef = { count: number } & ({ inline: string[] } | (FileRef & { encoding: 'lines' | 'json' }));

/** Dictionaries of at most this many entries are kept in the manifest. */
export const DICT_INLINE_MAX = 64;

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

/** Every element the same value (NaN equal to NaN; -0 never: it would be stored as 0). */
function allEqual(a: Arr): boolean {
  const n = a.length;
  if (n === 0) return true;
  const v = a[0];
  if (v !== v) {
    for (let i = 1; i < n; i++) if (a[i] === a[i]) return false;
    return true;
  }
  if (Object.is(v, -0)) return false;
  for (let i = 1; i < n; i++) if (a[i] !== v) return false;
  return true;
}

/** Element i = a[0] + i (integer arrays only). */
function isRange(a: Arr): boolean {
  const n = a.length;
  if (n < 2 || a instanceof Float64Array) return false;
  const s = a[0];
  for (let i = 1; i < n; i++) if (a[i] !== s + i) return false;
  return true;
}

/**
 * Whether an array given part by part is still all one value, or a range (element i = first + i):
 * such arrays go into the manifest instead of a file. The one rule for whole and streamed arrays,
 * so both give the same manifest.
 */
export class Uniformity {
  /** The first element, once a non-empty part is seen. */
  first: number | undefined;
  length = 0;
  equal = true;
  range = true;
  private next: number | undefined;

  add(a: Arr): void {
    this.length += a.length;
    if (a.length === 0) return;
    if (this.equal) {
      if (this.first === undefined) this.first = a[0];
      if (!allEqual(a) || !Object.is(a[0], this.first)) this.equal = false;
    }
    if (this.range) {
      if (a instanceof Float64Array || (this.next !== undefined && a[0] !== this.next) || (a.length > 1 && !isRange(a))) this.range = false;
      else this.next = a[0] + a.length;
    }
  }

  /** The manifest entry when the array needs no file (a range only from 2 elements on, as a 1-element range is a fill). */
  ref(dtype: DType): ArrayRef | undefined {
    const v = this.first ?? 0;
    if (this.equal) return { dtype, fill: v !== v ? 'NaN' : v };
    if (this.length >= 2 && this.range) return { dtype, range: v };
    return undefined;
  }
}

/**
 * The maximal runs of an array given in parts: values that repeat (step 0: equal to the bit, NaN
 * included) or count up by one (step 1). Parts may cut a run anywhere: the runs are the same.
 */
export class Runs {
  readonly step: RunStep;
  private readonly C: { new (n: number): Arr };
  starts: Arr;
  lengths: Uint32Array = new Uint32Array(1024);
  count = 0;
  length = 0;
  /** The last element seen (a step-1 run is checked and expanded by adding 1 in turn, never by start + j). */
  private last = 0;
  constructor(dtype: DType, step: RunStep) {
    this.step = step;
    this.C = ctorOf(dtype);
    this.starts = new this.C(1024);
  }

  add(a: Arr): void {
    const n = a.length;
    if (n === 0) return;
    const end = this.step === 0 ? sameEnd : countEnd;
    let i = 0;
    if (this.count > 0) {
      // the last run, continued
      i = end(a, 0, this.last);
      this.lengths[this.count - 1] += i;
    }
    while (i < n) {
      const x = a[i];
      const j = end(a, i + 1, x);
      this.open(x, j - i);
      i = j;
    }
    this.last = a[n - 1];
    this.length += n;
  }

  /** One more element (a generator's rows, one by one). */
  push(x: number): void {
    if (this.count > 0 && this.continues(x)) this.lengths[this.count - 1]++;
    else this.open(x, 1);
    this.last = x;
    this.length++;
  }

  /**
   * Another Runs' runs after these (its first run joins the last one here if it continues it). Its
   * runs are maximal among themselves, so they are copied as they are.
   */
  append(o: Runs): void {
    if (o.step !== this.step) throw new Error('snapshot: runs of another step');
    if (o.count === 0) return;
    let from = 0;
    if (this.count > 0 && this.continues(o.starts[0])) {
      this.lengths[this.count - 1] += o.lengths[0];
      from = 1;
    }
    const n = o.count - from;
    this.reserve(this.count + n);
    this.starts.set(o.starts.subarray(from, o.count) as never, this.count);
    this.lengths.set(o.lengths.subarray(from, o.count), this.count);
    this.count += n;
    this.length += o.length;
    // a step-0 run's value is its last element (o's may have been moved since: rows shifted in place)
    this.last = this.step === 0 ? this.starts[this.count - 1] : o.last;
  }

  /** Runs over arrays made elsewhere (another thread's), taken as they are: `count` maximal runs, and the last element. */
  static of(step: RunStep, starts: Arr, lengths: Uint32Array, count: number, last: number): Runs {
    const r = new Runs(dtypeOf(starts), step);
    r.starts = starts;
    r.lengths = lengths;
    r.count = count;
    for (let k = 0; k < count; k++) r.length += lengths[k];
    r.last = last;
    return r;
  }

  /** The last element. */
  get lastElement(): number {
    return this.last;
  }

  private reserve(count: number): void {
    if (count <= this.lengths.length) return;
    const cap = Math.max(count, this.lengths.length * 2);
    const s = new this.C(cap);
    s.set(this.starts.subarray(0, this.count) as never);
    this.starts = s;
    const l = new Uint32Array(cap);
    l.set(this.lengths.subarray(0, this.count));
    this.lengths = l;
  }

  /** Whether `x` continues the last run: equal to the bit (step 0), or the last element plus one and not -0 (step 1). */
  private continues(x: number): boolean {
    const last = this.last;
    if (this.step === 0) return x === last ? x !== 0 || 1 / x === 1 / last : x !== x && last !== last;
    return x === last + 1 && (x !== 0 || 1 / x > 0);
  }

  /**
   * The manifest entry when the array needs no file: every element one value (not -0), or, in an
   * integer array of at least 2 elements, element i = first + i.
   */
  plain(dtype: DType): ArrayRef | undefined {
    const { starts, lengths, count } = this;
    if (this.length === 0) return { dtype, fill: 0 };
    const v = starts[0];
    let equal = !Object.is(v, -0);
    for (let k = 0; k < count && equal; k++) {
      const x = starts[k];
      equal = (this.step === 0 || lengths[k] === 1) && (x === v ? x !== 0 || 1 / x === 1 / v : x !== x && v !== v);
    }
    if (equal) return { dtype, fill: v !== v ? 'NaN' : v };
    if (this.length < 2 || dtype === 'f64') return undefined;
    if (this.step === 1) return count === 1 ? { dtype, range: v } : undefined;
    for (let k = 0; k < count; k++) if (lengths[k] !== 1 || starts[k] !== v + k) return undefined;
    return { dtype, range: v };
  }

  private open(x: number, length: number): void {
    if (this.count === this.lengths.length) this.reserve(this.count + 1);
    this.starts[this.count] = x;
    this.lengths[this.count] = length;
    this.count++;
  }

  /** Runs are stored only where they take at most half the bytes of the elements. */
  pays(): boolean {
    const size = this.starts.BYTES_PER_ELEMENT;
    return 2 * this.count * (size + 4) <= this.length * size;
  }

  /** The file's parts: first values, then lengths. */
  bytes(): Uint8Array[] {
    return [bytesOf(this.starts.subarray(0, this.count)), bytesOf(this.lengths.subarray(0, this.count))];
  }

  /** The elements again. */
  expand(): Arr {
    const out = new this.C(this.length);
    expandRuns(this.starts, this.lengths, this.count, this.step, out);
    return out;
  }
}

/** The end of the run of `v` from `from` on: the first index whose element is not `v` to the bit (NaN equal to NaN). */
function sameEnd(a: Arr, from: number, v: number): number {
  const n = a.length;
  let i = from;
  if (v !== v) while (i < n && a[i] !== a[i]) i++;
  else if (v === 0) while (i < n && a[i] === 0 && 1 / a[i] === 1 / v) i++;
  else while (i < n && a[i] === v) i++;
  return i;
}

/** The end of a count from `v` on: the first index from `from` whose element is not the one before plus one (or is -0). */
function countEnd(a: Arr, from: number, v: number): number {
  const n = a.length;
  let i = from;
  let prev = v;
  while (i < n) {
    const x = a[i];
    if (x !== prev + 1 || (x === 0 && 1 / x < 0)) break;
    prev = x;
    i++;
  }
  return i;
}

/** Writes `count` runs into `out` (which has exactly their total length). */
export function expandRuns(starts: ArrayLike<number>, lengths: ArrayLike<number>, count: number, step: RunStep, out: Arr): void {
  let o = 0;
  for (let k = 0; k < count; k++) {
    const len = lengths[k];
    let v = starts[k];
    if (step === 0) {
      for (let j = 0; j < len; j++) out[o + j] = v;
    } else {
      for (let j = 0; j < len; j++, v++) out[o + j] = v;
    }
    o += len;
  }
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

function writeAt(fd: number, b: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      if (off >= b.length) return resolve();
      write(fd, b, off, b.length - off, position + off, (e, n) => (e ? reject(e) : step(off + n)));
    };
    step(0);
  });
}

/** One file, appended to part by part: hashed in order here, written at its offset by the thread pool. */
class FileSink {
  readonly name: string;
  private readonly fd: Promise<number>;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private readonly writes: Promise<void>[] = [];
  constructor(dir: string, name: string) {
    this.name = name;
    this.fd = new Promise((resolve, reject) => open(join(dir, name), 'w', 0o644, (e, fd) => (e ? reject(e) : resolve(fd))));
  }
  append(b: Uint8Array): void {
    if (b.length === 0) return;
    this.hash.update(b);
    const at = this.bytes;
    this.bytes += b.length;
    const w = this.fd.then((fd) => writeAt(fd, b, at));
    // a failed write is reported by close(), not as an unhandled rejection meanwhile
    w.catch(() => undefined);
    this.writes.push(w);
  }
  async close(): Promise<FileRef> {
    const fd = await this.fd;
    try {
      await Promise.all(this.writes);
    } finally {
      await new Promise<void>((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));
    }
    return { file: this.name, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** A whole file given in parts: hashed here, written by the thread pool (as a stream's file is). */
export function writeHashed(dir: string, name: string, parts: readonly Uint8Array[]): Promise<FileRef> {
  const sink = new FileSink(dir, name);
  for (const p of parts) sink.append(p);
  return sink.close();
}

/**
 * An array given in parts, in order. While every part so far keeps it one value or a range, the
 * parts are held (nothing is written: that is how it would be stored); from the first part that
 * breaks both, the file is written as parts come. An array that may be stored as runs (`step`)
 * keeps only its runs, and is written when closed, as runs or as elements.
 */
export class ArrayStream {
  /** `${table}.${key}.${role}`, as writeSnapshotTables names the array. */
  readonly name: string;
  readonly dtype: DType;
  readonly step: RunStep | undefined;
  private readonly dir: string;
  private readonly shape = new Uniformity();
  private held: Arr[] = [];
  private readonly runs: Runs | undefined;
  private sink: FileSink | undefined;
  private result: Promise<ArrayRef> | undefined;

  constructor(dir: string, name: string, dtype: DType, step?: RunStep) {
    this.dir = dir;
    this.name = name;
    this.dtype = dtype;
    this.step = step;
    if (step !== undefined) this.runs = new Runs(dtype, step);
  }

  push(a: Arr): void {
    if (this.result) throw new Error(`snapshot: ${this.name} is closed`);
    if (dtypeOf(a) !== this.dtype) throw new Error(`snapshot: ${this.name} is not ${this.dtype}`);
    if (this.runs) return this.runs.add(a);
    if (this.sink) {
      this.shape.length += a.length;
      return this.sink.append(bytesOf(a));
    }
    this.shape.add(a);
    this.held.push(a);
    if (!this.shape.equal && !this.shape.range) this.flush();
  }

  /** A part given as runs (a generator that makes them row by row); only for an array that may be stored as runs. */
  pushRuns(runs: Runs): void {
    if (this.result) throw new Error(`snapshot: ${this.name} is closed`);
    if (!this.runs) throw new Error(`snapshot: ${this.name} is not stored as runs`);
    if (dtypeOf(runs.starts) !== this.dtype) throw new Error(`snapshot: ${this.name} is not ${this.dtype}`);
    this.runs.append(runs);
  }

  private flush(): void {
    this.sink = new FileSink(this.dir, `${this.name}.${this.dtype}`);
    for (const h of this.held) this.sink.append(bytesOf(h));
    this.held = [];
  }

  /** The manifest entry, once every part is written (call once all parts are pushed). */
  close(): Promise<ArrayRef> {
    return (this.result ??= this.finish());
  }

  /** Elements pushed so far. */
  get length(): number {
    return this.runs ? this.runs.length : this.shape.length;
  }

  private async finish(): Promise<ArrayRef> {
    const dtype = this.dtype;
    if (this.runs) return storeRuns(this.dir, this.name, dtype, this.runs);
    if (!this.sink) {
      const ref = this.shape.ref(dtype);
      if (ref) return ref;
      this.flush();
    }
    const ref = await (this.sink as FileSink).close();
    return { dtype, ...ref };
  }
}

/** The one rule for an array that may be stored as runs: a fill or range, else runs where they pay, else its elements. */
export async function storeRuns(dir: string, name: string, dtype: DType, runs: Runs): Promise<ArrayRef> {
  const plain = runs.plain(dtype);
  if (plain) return plain;
  if (runs.pays()) {
    const ref = await writeHashed(dir, `${name}.runs.${dtype}`, runs.bytes());
    return { dtype, runs: runs.count, step: runs.step, ...ref };
  }
  const ref = await writeHashed(dir, `${name}.${dtype}`, [bytesOf(runs.expand())]);
  return { dtype, ...ref };
}

const NL = new Uint8Array([10]);

function storableAsLine(s: string): boolean {
  return !s.includes('\n') && !s.includes('\r') && (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * A dictionary given in parts, in order: entries as strings, or as UTF-8 bytes already joined by
 * "\n". Up to DICT_INLINE_MAX entries it is held (and goes into the manifest); beyond, it is
 * written as `lines` (the generator's ids and names never hold a line break: a string entry that
 * does, which writeSnapshotTables would store as JSON, is refused rather than stored otherwise).
 */
export class DictStream {
  /** `${table}.${key}`: the file is `${name}.dict.txt`. */
  readonly name: string;
  private readonly dir: string;
  count = 0;
  private held: string[] = [];
  private sink: FileSink | undefined;
  private result: Promise<DictRef> | undefined;

  constructor(dir: string, name: string) {
    this.dir = dir;
    this.name = name;
  }

  /** Entries from..to of `entries`. */
  pushStrings(entries: readonly string[], from = 0, to = entries.length): void {
    if (to <= from) return;
    if (this.hold(to - from)) {
      for (let i = from; i < to; i++) this.held.push(entries[i]);
      return;
    }
    for (let i = from; i < to; i++) if (!storableAsLine(entries[i])) this.refuse();
    const part = from === 0 && to === entries.length ? entries : entries.slice(from, to);
    this.append(Buffer.from((part as string[]).join('\n'), 'utf8'), to - from);
  }

  /** `count` entries, UTF-8, joined by "\n". */
  pushLines(lines: Uint8Array, count: number): void {
    if (count === 0) return;
    if (this.hold(count)) {
      const text = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength).toString('utf8');
      for (const e of text.split('\n')) this.held.push(e);
      return;
    }
    this.append(lines, count);
  }

  /** Whether `n` more entries are still held (the dictionary stays small enough for the manifest); opens the file if not. */
  private hold(n: number): boolean {
    if (this.result) throw new Error(`snapshot: dictionary ${this.name} is closed`);
    if (!this.sink && this.count + n <= DICT_INLINE_MAX) {
      this.count += n;
      return true;
    }
    if (!this.sink) {
      this.sink = new FileSink(this.dir, `${this.name}.dict.txt`);
      if (this.held.length) {
        for (const e of this.held) if (!storableAsLine(e)) this.refuse();
        this.sink.append(Buffer.from(this.held.join('\n'), 'utf8'));
      }
      this.held = [];
    }
    return false;
  }

  private append(lines: Uint8Array, n: number): void {
    const sink = this.sink as FileSink;
    if (this.count > 0) sink.append(NL);
    sink.append(lines);
    this.count += n;
  }

  private refuse(): never {
    throw new Error(`snapshot: dictionary ${this.name} streamed with an entry that cannot be stored as a line`);
  }

  close(): Promise<DictRef> {
    return (this.result ??= this.finish());
  }

  private async finish(): Promise<DictRef> {
    const count = this.count;
    if (!this.sink) return { count, inline: this.held };
    const ref = await this.sink.close();
    return { count, encoding: 'lines', ...ref };
  }
}
