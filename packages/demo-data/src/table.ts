// Generated rows, kept as typed columns: the one form the generator writes, from which both
// outputs are made (CSV text in csv-out.ts, a snapshot in snapshot-out.ts). Keeping one form is
// what makes the two outputs agree: a CSV cell is formatted from the same number the snapshot
// stores, and importing the CSV parses it back to that number.
//
// A table is generated in chunks (a range of enterprises, of loans, ...); each chunk's tables are
// TableChunks. Foreign keys are row indexes: into a global table (institutions, enterprises,
// fintech_projects) or into the same chunk's rows of the target table (loans, guarantees), which
// become global when the chunks are put together in order.
import { Runs, SCHEMA, type ColumnSchema, type RunStep, type TableName } from '@caijin/ledger';
import { KEYS } from './columns.ts';

/** How a number column is written in CSV (its stored value is the ledger's: fen, days, month index, rate × 10^8). */
export type NumFormat = 'money' | 'pct2' | 'pct' | 'int' | 'date' | 'month';

export type ColKind = 'num' | 'bool' | 'enum' | 'tags' | 'text' | 'seq' | 'ref';

export interface ColSpec {
  key: string;
  schema: ColumnSchema;
  kind: ColKind;
  /** num: CSV format. */
  fmt?: NumFormat;
  /** ref: the target table; local = a row of the same chunk's target rows. */
  target?: TableName;
  local?: boolean;
  /** text: every value differs (ids), so chunks' dictionaries are simply concatenated. */
  unique?: boolean;
  /**
   * text: values mostly differ (names): a chunk keeps every value as its own entry, without an
   * index to find repeats (the merge of the chunks finds them, as it must anyway).
   */
  distinct?: boolean;
  /** seq: prefix and zero-padded width of the id text, e.g. DK000000001. */
  prefix?: string;
  width?: number;
}

/** Sequential ids: loans and guarantees are numbered, so their id text is made from the number. */
const SEQ: Partial<Record<TableName, [string, number]>> = { loans: ['DK', 9], guarantees: ['DB', 9] };
/** Rate columns written as a whole percent ("20") rather than with two decimals. */
const WHOLE_PERCENT = new Set(['guarantees.bank_risk_share_pct']);
/** Text columns whose values mostly differ (see ColSpec.distinct). */
const DISTINCT = new Set(['enterprises.name']);
/** Tables whose rows refer to the same chunk's rows of another table. */
const LOCAL_TARGETS = new Set<TableName>(['loans', 'guarantees']);

function specOf(table: TableName, key: string): ColSpec {
  const schema = SCHEMA[table].columns.find((c) => c.key === key);
  if (!schema) throw new Error(`demo-data: ${table}.${key} is not a contract column`);
  const s: ColSpec = { key, schema, kind: 'text' };
  if (schema.ref) {
    s.kind = 'ref';
    s.target = schema.ref;
    s.local = LOCAL_TARGETS.has(schema.ref);
    return s;
  }
  switch (schema.type) {
    case 'money':
      return { ...s, kind: 'num', fmt: 'money' };
    case 'rate':
      return { ...s, kind: 'num', fmt: WHOLE_PERCENT.has(`${table}.${key}`) ? 'pct' : 'pct2' };
    case 'int':
    case 'year':
      return { ...s, kind: 'num', fmt: 'int' };
    case 'date':
      return { ...s, kind: 'num', fmt: 'date' };
    case 'month':
      return { ...s, kind: 'num', fmt: 'month' };
    case 'bool':
      return { ...s, kind: 'bool' };
    case 'enum':
      return { ...s, kind: 'enum' };
    case 'tags':
      return { ...s, kind: 'tags' };
    default: {
      const seq = key === 'id' ? SEQ[table] : undefined;
      if (seq) return { ...s, kind: 'seq', prefix: seq[0], width: seq[1] };
      return { ...s, unique: key === 'id', distinct: DISTINCT.has(`${table}.${key}`) };
    }
  }
}

/** The generated columns of every table, in the order they are written. */
export const SPECS: Record<TableName, readonly ColSpec[]> = Object.fromEntries(
  (Object.keys(KEYS) as TableName[]).map((t) => [t, KEYS[t].map((k) => specOf(t, k))]),
) as unknown as Record<TableName, readonly ColSpec[]>;

// ---------------------------------------------------------------------------------------------

type TypedArray = Float64Array | Int32Array | Int8Array | Uint32Array;

/** A growing typed array. */
export class Buf<T extends TypedArray> {
  a: T;
  n = 0;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T, cap = 1024) {
    this.make = make;
    this.a = make(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow();
    this.a[this.n++] = v;
  }
  private grow(): void {
    const b = this.make(this.a.length * 2);
    b.set(this.a);
    this.a = b;
  }
  /** The values, trimmed (a view: no copy). */
  get values(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

/**
 * A column a snapshot stores as runs (the schema's runStep: a loan's balance rows, month after
 * month): pushed row by row like a Buf, it keeps only its runs, not a value per row. Its elements
 * are made only for CSV output.
 */
export class RunBuf {
  runs: Runs;
  private expanded: TypedArray | undefined;
  constructor(dtype: 'f64' | 'i32', step: RunStep) {
    this.runs = new Runs(dtype, step);
  }
  push(v: number): void {
    this.runs.push(v);
  }
  /** `n` rows at once: `v` repeated (step 0) or v, v + 1, … (step 1). */
  pushRun(v: number, n: number): void {
    this.runs.pushRun(v, n);
  }
  get n(): number {
    return this.runs.length;
  }
  /** Every element (made once). */
  get a(): TypedArray {
    return (this.expanded ??= this.runs.expand());
  }
  get values(): TypedArray {
    return this.a;
  }
}

/** With worker threads, columns live in shared memory: any thread can then hash and write them without a copy. */
let shared = false;
export function useSharedMemory(on: boolean): void {
  shared = on;
}
export function alloc<T extends TypedArray>(C: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T {
  const bytes = n * C.BYTES_PER_ELEMENT;
  return new C(shared ? (new SharedArrayBuffer(bytes) as unknown as ArrayBuffer) : new ArrayBuffer(bytes));
}

// One class per element type, each with its own push: a push site then sees one kind of array
// (10^8 balance rows go through them at province size).
class F64 extends Buf<Float64Array> {
  override push(v: number): void {
    if (this.n === this.a.length) super.push(v);
    else this.a[this.n++] = v;
  }
}
class I32 extends Buf<Int32Array> {
  override push(v: number): void {
    if (this.n === this.a.length) super.push(v);
    else this.a[this.n++] = v;
  }
}
class I8 extends Buf<Int8Array> {
  override push(v: number): void {
    if (this.n === this.a.length) super.push(v);
    else this.a[this.n++] = v;
  }
}
class U32 extends Buf<Uint32Array> {
  override push(v: number): void {
    if (this.n === this.a.length) super.push(v);
    else this.a[this.n++] = v;
  }
}

export const f64 = (cap?: number): Buf<Float64Array> => new F64((n) => alloc(Float64Array, n), cap);
export const i32 = (cap?: number): Buf<Int32Array> => new I32((n) => alloc(Int32Array, n), cap);
export const i8 = (cap?: number): Buf<Int8Array> => new I8((n) => alloc(Int8Array, n), cap);
export const u32 = (cap?: number): Buf<Uint32Array> => new U32((n) => alloc(Uint32Array, n), cap);

/**
 * Strings, dictionary-encoded in order of first appearance like the ledger's importer; with
 * `each` (ids, names), every value is an entry of its own, repeats and all.
 */
export class TextCol {
  readonly codes: Buf<Int32Array>;
  readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  /** Every value an entry of its own (no index of repeats). */
  private readonly each: boolean;
  constructor(each: boolean, cap?: number) {
    this.each = each;
    this.codes = i32(cap);
  }
  push(s: string): void {
    if (s === '') {
      this.codes.push(-1);
      return;
    }
    if (this.each) {
      this.codes.push(this.dict.length);
      this.dict.push(s);
      return;
    }
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.index.set(s, c);
    }
    this.codes.push(c);
  }
}

export type Col = Buf<Float64Array> | Buf<Int8Array> | Buf<Int32Array> | Buf<Uint32Array> | TextCol | RunBuf;


/**
 * What a worker works out for a snapshot from a chunk alone: the text of a numbered id column or
 * of a text column whose chunk dictionary has every value (ids, names), as UTF-8, so the main
 * thread joins or merges bytes and never makes strings of them.
 */
export interface Prepared {
  /** Dictionary entries of the chunk, joined by "\n". */
  lines: Uint8Array;
  count: number;
  /** Text columns with repeats across chunks (names): where each entry ends in `lines`, and its hashBytes. */
  ends?: Uint32Array;
  hashes?: Int32Array;
}

/** One chunk's rows of one table: a column per generated column of the contract. */
export class TableChunk {
  readonly name: TableName;
  readonly specs: readonly ColSpec[];
  readonly cols: Col[];
  /** By column index, see Prepared. */
  readonly prepared = new Map<number, Prepared>();
  private readonly byKey = new Map<string, number>();
  /** The first column's values: how many rows there are (asked per loan). */
  private readonly first: Buf<TypedArray> | RunBuf;
  /** `cap`: rows expected (columns grow beyond it; a good guess saves copying). */
  constructor(name: TableName, cap = 1024) {
    this.name = name;
    this.specs = SPECS[name];
    cap = Math.max(16, Math.ceil(cap));
    this.cols = this.specs.map((s, i) => {
      this.byKey.set(s.key, i);
      const step = s.schema.runStep;
      if (step !== undefined && (s.kind === 'ref' || s.kind === 'num')) return new RunBuf(s.kind === 'ref' ? 'i32' : 'f64', step);
      switch (s.kind) {
        case 'num':
        case 'seq':
          return f64(cap);
        case 'bool':
          return i8(cap);
        case 'enum':
        case 'ref':
          return i32(cap);
        case 'tags':
          return u32(cap);
        case 'text':
          return new TextCol(s.unique === true || s.distinct === true, cap);
      }
    });
    const c = this.cols[0];
    this.first = c instanceof TextCol ? c.codes : c;
  }
  private col(key: string): Col {
    const i = this.byKey.get(key);
    if (i === undefined) throw new Error(`demo-data: ${this.name} has no column ${key}`);
    return this.cols[i];
  }
  /** Number columns (money in fen, dates in days, months as index, rates × 10^8) and sequential ids. */
  num(key: string): Buf<Float64Array> {
    return this.buf(key) as Buf<Float64Array>;
  }
  /** Foreign keys (row index, -1 = empty) and enum codes (-1 = empty). */
  int(key: string): Buf<Int32Array> {
    return this.buf(key) as Buf<Int32Array>;
  }
  /** A column kept as runs (numbers or foreign keys whose schema has runStep). */
  runs(key: string): RunBuf {
    const c = this.col(key);
    if (!(c instanceof RunBuf)) throw new Error(`demo-data: ${this.name}.${key} is not kept as runs`);
    return c;
  }
  private buf(key: string): Col {
    const c = this.col(key);
    if (c instanceof RunBuf) throw new Error(`demo-data: ${this.name}.${key} is kept as runs`);
    return c;
  }
  bool(key: string): Buf<Int8Array> {
    return this.col(key) as Buf<Int8Array>;
  }
  tags(key: string): Buf<Uint32Array> {
    return this.col(key) as Buf<Uint32Array>;
  }
  text(key: string): TextCol {
    return this.col(key) as TextCol;
  }

  /**
   * One row of a small table, one value per column in order: numbers for num/seq/ref (NaN or -1 =
   * empty), booleans or null for bool, the value's key for enum ('' = empty), a mask for tags and a
   * string for text.
   */
  row(values: readonly (number | string | boolean | null)[]): void {
    const specs = this.specs;
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i];
      const v = values[i];
      const c = this.cols[i];
      switch (s.kind) {
        case 'num':
        case 'seq':
        case 'ref':
        case 'tags':
          (c as Buf<Float64Array>).push(v as number);
          break;
        case 'bool':
          (c as Buf<Int8Array>).push(v === null ? -1 : v ? 1 : 0);
          break;
        case 'enum':
          (c as Buf<Int32Array>).push(v === '' ? -1 : enumCode(s, v as string));
          break;
        case 'text':
          (c as TextCol).push(v as string);
          break;
      }
    }
  }

  /** Rows so far (every column is pushed once per row). */
  get rows(): number {
    return this.first.n;
  }
}

const enumCodes = new Map<ColumnSchema, Map<string, number>>();
export function enumCode(s: ColSpec, v: string): number {
  let m = enumCodes.get(s.schema);
  if (!m) enumCodes.set(s.schema, (m = new Map((s.schema.values ?? []).map((x, i) => [x, i]))));
  const c = m.get(v);
  if (c === undefined) throw new Error(`demo-data: ${s.key} has no value ${v}`);
  return c;
}

/** Every table of one chunk (created on first use). */
export class ChunkTables {
  readonly tables: Partial<Record<TableName, TableChunk>> = {};
  get(name: TableName, cap?: number): TableChunk {
    return (this.tables[name] ??= new TableChunk(name, cap));
  }
}

/** Money: whole fen (the CSV holds yuan with two decimals, so anything finer is rounded as it is written). */
export function fen(x: number): number {
  return Math.round(x);
}
/** A rate given in hundredths of a percent (435 = 4.35%), as the ledger stores it (× 10^8 of the fraction). */
export function rateHundredths(h: number): number {
  return Math.round(h) * 10_000;
}
/** A rate given as a whole percent. */
export function ratePercent(p: number): number {
  return Math.round(p) * 1_000_000;
}

// ---------------------------------------------------------------------------------------------
// Between threads: a chunk's columns as their buffers (transferred, not copied) and dictionaries.

export interface WireCol {
  a?: TypedArray;
  /** A RunBuf's runs. */
  runs?: WireRuns;
  n: number;
  dict?: string[];
  prepared?: Prepared;
}
/** A RunBuf's runs, part by part (see Runs.parts). */
export interface WireRuns {
  parts: { starts: Float64Array | Int32Array; lengths: Uint32Array }[];
  last: number;
}
export type WireChunk = Partial<Record<TableName, WireCol[]>>;

export function toWire(c: ChunkTables): { wire: WireChunk; transfer: ArrayBuffer[] } {
  const wire: WireChunk = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, t] of Object.entries(c.tables) as [TableName, TableChunk][]) {
    wire[name] = t.cols.map((col, k) => {
      if (col instanceof RunBuf) {
        const parts = col.runs.parts();
        for (const p of parts) for (const b of [p.starts.buffer, p.lengths.buffer] as ArrayBuffer[]) if (!transfer.includes(b)) transfer.push(b);
        return { runs: { parts: parts as WireRuns['parts'], last: col.runs.lastElement }, n: col.n };
      }
      const buf = col instanceof TextCol ? col.codes : col;
      if (!(buf.a.buffer instanceof SharedArrayBuffer)) transfer.push(buf.a.buffer as ArrayBuffer);
      const w: WireCol = col instanceof TextCol ? { a: buf.a, n: buf.n, dict: col.dict } : { a: buf.a, n: buf.n };
      const p = t.prepared.get(k);
      if (p) w.prepared = p;
      return w;
    });
  }
  return { wire, transfer };
}

export function fromWire(w: WireChunk): ChunkTables {
  const c = new ChunkTables();
  for (const [name, cols] of Object.entries(w) as [TableName, WireCol[]][]) {
    const t = c.get(name);
    cols.forEach((x, k) => {
      const col = t.cols[k];
      if (col instanceof RunBuf) {
        const r = x.runs as NonNullable<WireCol['runs']>;
        col.runs = Runs.of(col.runs.dtype, col.runs.step, r.parts, r.last);
        return;
      }
      const buf = (col instanceof TextCol ? col.codes : col) as Buf<TypedArray>;
      buf.a = x.a as TypedArray;
      buf.n = x.n;
      if (x.prepared) t.prepared.set(k, x.prepared);
      if (col instanceof TextCol) for (const d of x.dict as string[]) col.dict.push(d);
    });
  }
  return c;
}
