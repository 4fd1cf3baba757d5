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
 *
 * Runs appended from elsewhere (a worker's chunk) are kept as they came, as sealed parts, rather
 * than copied into one growing array: at province size that copying was 1.5 s of the main thread.
 */
export class Runs {
  readonly step: RunStep;
  private readonly C: { new (n: number): Arr };
  /** Sealed parts, in order; the open tail (`starts`, `lengths`, `tail` runs of them) comes after. */
  private readonly sealed: { starts: Arr; lengths: Uint32Array }[] = [];
  private starts: Arr;
  private lengths: Uint32Array;
  private tail = 0;
  /** Runs in all. */
  count = 0;
  /** Elements in all. */
  length = 0;
  /** The last element seen (a step-1 run is checked and expanded by adding 1 in turn, never by start + j). */
  private last = 0;
  constructor(dtype: DType, step: RunStep, capacity = 1024) {
    this.step = step;
    this.C = ctorOf(dtype);
    this.starts = new this.C(capacity);
    this.lengths = new Uint32Array(capacity);
  }

  get dtype(): DType {
    return dtypeOf(this.starts);
  }

  add(a: Arr): void {
    const n = a.length;
    if (n === 0) return;
    const end = this.step === 0 ? sameEnd : countEnd;
    let i = 0;
    if (this.count > 0) {
      // the last run, continued
      i = end(a, 0, this.last);
      this.lengthen(i);
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
    if (this.count > 0 && this.continues(x)) this.lengthen(1);
    else this.open(x, 1);
    this.last = x;
    this.length++;
  }

  /** `n` more elements at once: `x` repeated (step 0) or x, x + 1, … (step 1). */
  pushRun(x: number, n: number): void {
    if (n <= 0) return;
    if (this.count > 0 && this.continues(x)) this.lengthen(n);
    else this.open(x, n);
    this.last = this.step === 0 ? x : x + n - 1;
    this.length += n;
  }

  /**
   * Another Runs' runs after these (its first run joins the last one here if it continues it). Its
   * runs are maximal among themselves, so they are kept as they are; `o` is not used afterwards.
   */
  append(o: Runs): void {
    if (o.step !== this.step) throw new Error('snapshot: runs of another step');
    if (o.count === 0) return;
    const parts = o.parts();
    // its first run joins the last one here, or not
    const joined = this.count > 0 && this.continues(parts[0].starts[0]) ? 1 : 0;
    if (joined) this.lengthen(parts[0].lengths[0]);
    this.seal();
    parts.forEach((p, j) => {
      const from = j === 0 ? joined : 0;
      if (p.starts.length > from) this.sealed.push({ starts: p.starts.subarray(from), lengths: p.lengths.subarray(from) });
    });
    this.count += o.count - joined;
    this.length += o.length;
    // a step-0 run's value is its last element (o's may have been moved since: rows shifted in place)
    const lastPart = this.sealed[this.sealed.length - 1];
    this.last = this.step === 0 ? lastPart.starts[lastPart.starts.length - 1] : o.last;
  }

  /** Runs made elsewhere (another thread's), taken as they are: maximal runs in parts (see parts()), and the last element. */
  static of(dtype: DType, step: RunStep, parts: readonly { starts: Arr; lengths: Uint32Array }[], last: number): Runs {
    const r = new Runs(dtype, step, 0);
    for (const p of parts) {
      if (p.starts.length === 0) continue;
      r.sealed.push(p);
      r.count += p.starts.length;
      for (let k = 0; k < p.lengths.length; k++) r.length += p.lengths[k];
    }
    r.last = last;
    return r;
  }

  /** The runs' first values and lengths, part by part, in order. */
  parts(): { starts: Arr; lengths: Uint32Array }[] {
    if (this.tail === 0) return this.sealed;
    return [...this.sealed, { starts: this.starts.subarray(0, this.tail), lengths: this.lengths.subarray(0, this.tail) }];
  }

  /** The last element. */
  get lastElement(): number {
    return this.last;
  }

  private sealedCount(): number {
    let n = 0;
    for (const p of this.sealed) n += p.starts.length;
    return n;
  }

  /** The open tail becomes a sealed part; what is left of its arrays is the new tail. */
  private seal(): void {
    if (this.tail === 0) return;
    this.sealed.push({ starts: this.starts.subarray(0, this.tail), lengths: this.lengths.subarray(0, this.tail) });
    this.starts = this.starts.subarray(this.tail);
    this.lengths = this.lengths.subarray(this.tail);
    this.tail = 0;
  }

  /** The last run, `k` elements longer. */
  private lengthen(k: number): void {
    if (this.tail > 0) this.lengths[this.tail - 1] += k;
    else {
      const p = this.sealed[this.sealed.length - 1].lengths;
      p[p.length - 1] += k;
    }
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
    if (this.length === 0) return { dtype, fill: 0 };
    const parts = this.parts();
    const v = parts[0].starts[0];
    let equal = !Object.is(v, -0);
    for (const { starts, lengths } of parts) {
      for (let k = 0; k < starts.length && equal; k++) equal = (this.step === 0 || lengths[k] === 1) && sameBits(starts[k], v);
    }
    if (equal) return { dtype, fill: v !== v ? 'NaN' : v };
    if (this.length < 2 || dtype === 'f64') return undefined;
    if (this.step === 1) return this.count === 1 ? { dtype, range: v } : undefined;
    let next = v;
    for (const { starts, lengths } of parts) for (let k = 0; k < starts.length; k++) if (lengths[k] !== 1 || starts[k] !== next++) return undefined;
    return { dtype, range: v };
  }

  private open(x: number, length: number): void {
    if (this.tail === this.starts.length) this.grow();
    this.starts[this.tail] = x;
    this.lengths[this.tail] = length;
    this.tail++;
    this.count++;
  }

  /** A tail with room for more runs: the full one is sealed as it is (no copy). */
  private grow(): void {
    this.seal();
    const cap = Math.max(16, 2 * this.sealedCount());
    this.starts = new this.C(cap);
    this.lengths = new Uint32Array(cap);
  }

  /** Runs are stored only where they take at most half the bytes of the elements. */
  pays(): boolean {
    const size = this.starts.BYTES_PER_ELEMENT;
    return 2 * this.count * (size + 4) <= this.length * size;
  }

  /** The file's parts: first values, then lengths. */
  bytes(): Uint8Array[] {
    const parts = this.parts();
    return [...parts.map((p) => bytesOf(p.starts)), ...parts.map((p) => bytesOf(p.lengths))];
  }

  /** The elements again. */
  expand(): Arr {
    const out = new this.C(this.length);
    let o = 0;
    for (const { starts, lengths } of this.parts()) {
      let n = 0;
      for (let k = 0; k < lengths.length; k++) n += lengths[k];
      expandRuns(starts, lengths, starts.length, this.step, out.subarray(o, o + n));
      o += n;
    }
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


/**
 * An array a snapshot stores as runs, as it was read: the runs, and the array itself only when
 * something asks for it. Readers that go through the rows in order (the balance pass over 80 M
 * month-end rows) walk the runs instead, so loading need not fill 1.2 GB of fresh memory with
 * loan numbers and months that the runs already say.
 */
export class StoredRuns {
  readonly starts: ArrayLike<number>;
  readonly lengths: Uint32Array;
  readonly count: number;
  readonly step: RunStep;
  /** Elements in all (the lengths' total). */
  readonly length: number;
  private made: Arr | undefined;
  /** ends[k] = index after run k; made on the first seek. */
  private ends: Float64Array | undefined;
  constructor(starts: ArrayLike<number>, lengths: Uint32Array, count: number, step: RunStep, length: number) {
    this.starts = starts;
    this.lengths = lengths;
    this.count = count;
    this.step = step;
    this.length = length;
  }
  /** Has the whole array been made (by `expand`)? */
  get expanded(): boolean {
    return this.made !== undefined;
  }
  /** The whole array, made once. */
  expand(make: (n: number) => Arr): Arr {
    if (!this.made) {
      this.made = make(this.length);
      expandRuns(this.starts, this.lengths, this.count, this.step, this.made);
    }
    return this.made;
  }
  /** A cursor on element `k` (0 by default). */
  cursor(k = 0): RunCursor {
    const c = new RunCursor(this);
    if (k > 0) c.seek(k);
    return c;
  }
  /** The run holding element k (binary search over the runs' ends, which are summed once). */
  runOf(k: number): { run: number; start: number } {
    if (!this.ends) {
      this.ends = new Float64Array(this.count);
      let e = 0;
      for (let r = 0; r < this.count; r++) this.ends[r] = e += this.lengths[r];
    }
    const ends = this.ends;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid] > k) hi = mid;
      else lo = mid + 1;
    }
    return { run: lo, start: ends[lo] - this.lengths[lo] };
  }
}

/** Reads StoredRuns element by element: `value` is the current element's, `next()` moves on by one. */
export class RunCursor {
  value = NaN;
  private readonly runs: StoredRuns;
  private run = -1;
  /** Elements of the current run after the current one. */
  private left = 0;
  constructor(runs: StoredRuns) {
    this.runs = runs;
    this.next();
  }
  next(): void {
    if (this.left > 0) {
      this.left--;
      // step 1 adds one; step 0 leaves the value as it is (adding 0 would turn -0 into 0)
      if (this.runs.step === 1) this.value++;
      return;
    }
    const r = this.runs;
    let k = this.run + 1;
    while (k < r.count && r.lengths[k] === 0) k++;
    this.run = k;
    if (k >= r.count) {
      this.value = NaN;
      return;
    }
    this.value = r.starts[k];
    this.left = r.lengths[k] - 1;
  }
  /** Move to element k. */
  seek(k: number): void {
    const { run, start } = this.runs.runOf(k);
    this.run = run;
    const len = this.runs.lengths[run];
    const off = k - start;
    // as expanding does: the run's first value itself (adding 0 would turn -0 into 0), then one more per element
    this.value = this.runs.step === 1 && off > 0 ? this.runs.starts[run] + off : this.runs.starts[run];
    this.left = len - 1 - off;
  }
}

/** The arrays of a column that a snapshot can store as runs. */
export type RunRole = 'values' | 'refIndex';

const ATTACHED = new WeakMap<object, Partial<Record<RunRole, StoredRuns>>>();

/** Records that `column[role]` is made from `runs` (see storedRuns); undefined once it is not (the property was set). */
export function attachRuns(column: object, role: RunRole, runs: StoredRuns | undefined): void {
  let byRole = ATTACHED.get(column);
  if (!byRole) ATTACHED.set(column, (byRole = {}));
  byRole[role] = runs;
}

/**
 * The runs behind a column's `values` or `refIndex` when it was read from a snapshot that stores it
 * as runs (the balance tables' loan/guarantee and month columns); the array itself is made on first
 * use of the property. Undefined for a column read any other way.
 */
export function storedRuns(column: object, role: RunRole): StoredRuns | undefined {
  return ATTACHED.get(column)?.[role];
}
