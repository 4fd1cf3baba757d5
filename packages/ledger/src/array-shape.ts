// How an array can be stored without a value per element: one value for all (fill), element i =
// first + i (range), or maximal runs (columns whose schema has runStep). Streamed and whole arrays
// go through the same rules, so both give the same manifest.
import { bytesOf, ctorOf, dtypeOf, type Arr, type DType } from './arrays.ts';

/** Runs of values that repeat (0) or count up by one (1). */
export type RunStep = 0 | 1;

/** The same value to the bit: NaN equals NaN, -0 does not equal 0. */
function sameBits(x: number, y: number): boolean {
  return x === y ? x !== 0 || 1 / x === 1 / y : x !== x && y !== y;
}

/** `x` follows `prev` in a count: prev + 1, and not -0 (expanding adds 1 in turn, which never gives -0). */
function countsOn(prev: number, x: number): boolean {
  return x === prev + 1 && (x !== 0 || 1 / x > 0);
}

/** An array stored as one value or a range, in the manifest instead of a file. */
export type PlainRef = { dtype: DType } & ({ fill: number | 'NaN' } | { range: number });

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
  ref(dtype: DType): PlainRef | undefined {
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

  /** Whether `x` continues the last run. */
  private continues(x: number): boolean {
    return this.step === 0 ? sameBits(x, this.last) : countsOn(this.last, x);
  }

  /**
   * The manifest entry when the array needs no file: every element one value (not -0), or, in an
   * integer array of at least 2 elements, element i = first + i.
   */
  plain(dtype: DType): PlainRef | undefined {
    const { starts, lengths, count } = this;
    if (this.length === 0) return { dtype, fill: 0 };
    const v = starts[0];
    let equal = !Object.is(v, -0);
    for (let k = 0; k < count && equal; k++) {
      const x = starts[k];
      equal = (this.step === 0 || lengths[k] === 1) && sameBits(x, v);
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

/** The end of the run of `v` from `from` on: the first index whose element is not `v` to the bit. */
function sameEnd(a: Arr, from: number, v: number): number {
  let i = from;
  while (i < a.length && sameBits(a[i], v)) i++;
  return i;
}

/** The end of a count from `v` on: the first index from `from` whose element does not follow the one before. */
function countEnd(a: Arr, from: number, v: number): number {
  let i = from;
  let prev = v;
  while (i < a.length && countsOn(prev, a[i])) prev = a[i++];
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

