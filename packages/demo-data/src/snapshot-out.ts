// The generated chunks as a validated bundle, exactly as the ledger's importer would build it from
// the CSV files the same chunks give (csv-out.ts): dictionaries in order of first appearance,
// foreign keys resolved to rows (their text, being the rows' ids, is not stored), enterprise size derived where the file leaves it empty and
// tax_region defaulting to region. The test that writing both as snapshots gives the same hash
// holds this file to that.
//
// The chunks are taken one at a time, in order, as they come from the workers, and each column's
// part of a chunk goes straight into the snapshot's file (hashed and written while later chunks
// are being generated): nothing of a chunk is kept once it is taken, except what a later chunk
// needs (dictionary indexes).
import { SCHEMA, TABLE_NAMES, type ArrayStream, type DictStream, type SnapshotColumnInput, type SnapshotDraft, type SnapshotTableInput, type TableName } from '@caijin/ledger';
import { ByteIndex, hashBytes } from './byte-index.ts';
import { RunBuf, TextCol, type Buf, type Prepared, type ChunkTables, type ColSpec, type TableChunk } from './table.ts';

export interface AssembleContext {
  /** Enterprise size (index in large, medium, small, micro; 4 = none) of every enterprise, for the sizes the file leaves to derive. */
  partySize: Uint8Array;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** ASCII id texts joined by "\n", written straight as bytes. */
export class Lines {
  private buf: Uint8Array;
  private off = 0;
  readonly done: Uint8Array[] = [];
  count = 0;
  /** The last fixed-width id written: its number, text and where the text starts in `buf` (-1: none there). */
  private lastV = -1;
  private lastPrefix = '';
  private lastWidth = 0;
  private lastAt = -1;
  constructor(cap = 1 << 20) {
    this.buf = new Uint8Array(cap);
  }
  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    this.done.push(this.buf.subarray(0, this.off));
    this.buf = new Uint8Array(Math.max(1 << 22, n));
    this.off = 0;
    this.lastAt = -1;
  }
  /** `prefix` + `v` zero-padded to `width` digits. */
  seq(prefix: string, v: number, width: number): void {
    this.room(prefix.length + width + 20);
    const b = this.buf;
    if (this.count++ > 0) b[this.off++] = 10;
    const at = this.off;
    const fixed = v >= 0 && v < 1e9 && width <= 9 && v < POW10[width];
    if (fixed && v === this.lastV + 1 && this.lastAt >= 0 && width === this.lastWidth && prefix === this.lastPrefix) {
      // the next number (ids mostly come in order): the last text, plus one
      const n = prefix.length + width;
      for (let i = 0; i < n; i++) b[at + i] = b[this.lastAt + i];
      let i = at + n - 1;
      while (b[i] === 57) b[i--] = 48;
      b[i]++;
      this.off = at + n;
      this.lastV = v;
      this.lastAt = at;
      return;
    }
    for (let i = 0; i < prefix.length; i++) b[this.off++] = prefix.charCodeAt(i);
    if (fixed) {
      // the usual case (ids below 10^9): fixed width, integer arithmetic
      let o = this.off + width;
      this.off = o;
      for (let x = v | 0, i = 0; i < width; i++) {
        const q = (x / 10) | 0;
        b[--o] = 48 + x - q * 10;
        x = q;
      }
      this.lastV = v;
      this.lastPrefix = prefix;
      this.lastWidth = width;
      this.lastAt = at;
      return;
    }
    this.lastAt = -1;
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let i = digits; i < width; i++) b[this.off++] = 48;
    let o = this.off + digits;
    this.off = o;
    for (let x = v; digits > 0; digits--) {
      const q = Math.floor(x / 10);
      b[--o] = 48 + (x - q * 10);
      x = q;
    }
  }
  take(): Uint8Array[] {
    if (this.off > 0) this.done.push(this.buf.subarray(0, this.off));
    this.off = 0;
    return this.done;
  }
}

/** One buffer of a Lines' parts. */
function joined(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** In the worker, once a chunk is done: the chunk's share of the dictionaries that can be made from it alone (see Prepared). */
export function prepareChunk(chunk: ChunkTables): void {
  for (const t of Object.values(chunk.tables) as TableChunk[]) {
    t.specs.forEach((s, k) => {
      if (s.kind === 'seq') {
        const nums = (t.cols[k] as Buf<Float64Array>).values;
        const lines = new Lines(nums.length * ((s.prefix as string).length + (s.width as number) + 1) + 16);
        for (let i = 0; i < nums.length; i++) lines.seq(s.prefix as string, nums[i], s.width as number);
        t.prepared.set(k, { lines: joined(lines.take()), count: nums.length });
      } else if (s.kind === 'text' && (s.unique || s.distinct)) {
        const col = t.cols[k] as TextCol;
        const p = textLines(col.dict, s.distinct === true);
        if (!p) return;
        t.prepared.set(k, p);
        col.dict.length = 0; // not sent as strings as well
      }
    });
  }
}

/** A chunk dictionary as text (undefined if an entry cannot be a line: it then goes as strings); with `hashed`, each entry's end and hash. */
function textLines(dict: readonly string[], hashed: boolean): Prepared | undefined {
  for (const e of dict) if (e.includes('\n') || e.includes('\r') || !(e as unknown as { isWellFormed(): boolean }).isWellFormed()) return undefined;
  const b = Buffer.from(dict.join('\n'), 'utf8');
  const lines = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (!hashed) return { lines, count: dict.length };
  const ends = new Uint32Array(dict.length);
  const hashes = new Int32Array(dict.length);
  let from = 0;
  for (let j = 0; j < dict.length; j++) {
    let to = from;
    while (to < lines.length && lines[to] !== 10) to++;
    ends[j] = to;
    hashes[j] = hashBytes(lines, from, to);
    from = to + 1;
  }
  return { lines, count: dict.length, ends, hashes };
}

/** A contract column the generator does not write: empty, as the importer makes it (a foreign key gets refIndex -1, and its text follows it). */
function emptyColumn(c: (typeof SCHEMA)[TableName]['columns'][number]): SnapshotColumnInput {
  const ref = c.ref !== undefined;
  switch (c.type) {
    case 'money':
    case 'rate':
    case 'int':
    case 'year':
    case 'date':
    case 'month':
      return { key: c.key, type: c.type, values: { dtype: 'f64', fill: NaN }, refIndex: ref ? { dtype: 'i32', fill: -1 } : undefined };
    case 'bool':
      return { key: c.key, type: c.type, values: { dtype: 'i8', fill: -1 } };
    case 'tags':
      return { key: c.key, type: c.type, masks: { dtype: 'u32', fill: 0 }, tags: [...(c.values ?? [])] };
    case 'enum':
      return { key: c.key, type: c.type, codes: { dtype: 'i32', fill: -1 }, dict: [...(c.values ?? [])] };
    default:
      if (ref) return { key: c.key, type: c.type, dict: { of: 'refIndex' }, refIndex: { dtype: 'i32', fill: -1 } };
      return { key: c.key, type: c.type, codes: { dtype: 'i32', fill: -1 }, dict: [] };
  }
}


/** A column of the bundle, taking its part of each chunk in order. */
interface ColumnStream {
  add(t: TableChunk, k: number, before: Partial<Record<TableName, number>>): void;
  /** No more chunks have rows of the table: drop what only finding repeats needed. */
  complete?(): void;
  input(): Omit<SnapshotColumnInput, 'key' | 'type'>;
}

/** Does a chunk lack the parts a worker prepares (a chunk made on this thread)? */
function unprepared(chunk: ChunkTables): boolean {
  for (const t of Object.values(chunk.tables) as TableChunk[]) {
    if (t.rows === 0) continue;
    for (let k = 0; k < t.specs.length; k++) {
      const s = t.specs[k];
      if (s.kind === 'seq' && !t.prepared.has(k)) return true;
    }
  }
  return false;
}

/** Chunks in, snapshot input out: see the top of the file. */
export class SnapshotAssembler {
  private readonly draft: SnapshotDraft;
  private readonly ctx: AssembleContext;
  private readonly tables = new Map<TableName, TableStream>();
  private readonly running: Partial<Record<TableName, number>> = {};
  constructor(draft: SnapshotDraft, ctx: AssembleContext) {
    this.draft = draft;
    this.ctx = ctx;
  }

  get partySize(): Uint8Array {
    return this.ctx.partySize;
  }

  column(name: string, dtype: 'f64' | 'i32' | 'i8' | 'u32'): ArrayStream {
    return this.draft.array(name, dtype);
  }

  dict(name: string): DictStream {
    return this.draft.dict(name);
  }

  /** The next chunk (chunks in order: the bundle's rows are theirs, concatenated). */
  add(chunk: ChunkTables): void {
    if (unprepared(chunk)) prepareChunk(chunk);
    const before = { ...this.running };
    // enterprises first: their ids are what foreign keys to them are written with
    const names = (Object.keys(chunk.tables) as TableName[]).sort((a, b) => (b === 'enterprises' ? 1 : 0) - (a === 'enterprises' ? 1 : 0));
    for (const name of names) {
      const t = chunk.tables[name] as TableChunk;
      let s = this.tables.get(name);
      if (!s) this.tables.set(name, (s = new TableStream(this, name, t.specs)));
      s.add(t, before);
      this.running[name] = (this.running[name] ?? 0) + t.rows;
    }
  }

  /**
   * No later chunk has rows of `name` (the enterprises, once their chunks are in): the indexes of
   * its text columns (two million names) need not stay in memory for the rest of the run.
   */
  complete(name: TableName): void {
    this.tables.get(name)?.complete();
  }

  /** The tables, in contract order, once every chunk is in. */
  finish(): SnapshotTableInput[] {
    return TABLE_NAMES.filter((t) => this.tables.has(t)).map((t) => (this.tables.get(t) as TableStream).input());
  }
}

class TableStream {
  private readonly name: TableName;
  private readonly specs: readonly ColSpec[];
  private readonly cols: ColumnStream[];
  rows = 0;
  private completed = false;

  constructor(a: SnapshotAssembler, name: TableName, specs: readonly ColSpec[]) {
    this.name = name;
    this.specs = specs;
    const regionK = specs.findIndex((s) => s.key === 'region');
    let region: TextStream | undefined;
    this.cols = specs.map((s, k) => {
      const base = `${name}.${s.key}`;
      switch (s.kind) {
        case 'num':
          return new PlainStream(a.column(`${base}.values`, 'f64'), 'values');
        case 'bool':
          return new PlainStream(a.column(`${base}.values`, 'i8'), 'values');
        case 'tags':
          return new PlainStream(a.column(`${base}.masks`, 'u32'), 'masks', [...(s.schema.values ?? [])]);
        case 'enum':
          if (name === 'enterprises' && s.key === 'size') return new DerivedSizeStream(a, a.column(`${base}.codes`, 'i32'), specs, k);
          return new PlainStream(a.column(`${base}.codes`, 'i32'), 'codes', undefined, [...(s.schema.values ?? [])]);
        case 'text':
          if (name === 'enterprises' && s.key === 'region') return (region = new TextStream(a, base, false, { all: [], keep: true }));
          if (name === 'enterprises' && s.key === 'tax_region') {
            // defaults to region, whose column comes before it
            if (!region || regionK > k) throw new Error('demo-data: enterprises.tax_region before region');
            return new TaxRegionStream(a, base, region);
          }
          // a table of enterprises has one name each: room for them all from the start
          return new TextStream(a, base, s.unique === true, { expect: name === 'enterprises' ? a.partySize.length : undefined });
        case 'seq':
          return new SeqStream(a.dict(base));
        case 'ref':
          return new RefStream(a, base, s);
      }
    });
  }

  add(t: TableChunk, before: Partial<Record<TableName, number>>): void {
    if (this.completed && t.rows > 0) throw new Error(`demo-data: rows of ${this.name} after its last chunk`);
    for (let k = 0; k < this.cols.length; k++) this.cols[k].add(t, k, before);
    this.rows += t.rows;
  }

  complete(): void {
    this.completed = true;
    for (const c of this.cols) c.complete?.();
  }

  input(): SnapshotTableInput {
    const byKey = new Map<string, number>(this.specs.map((s, k) => [s.key, k]));
    const columns: SnapshotColumnInput[] = SCHEMA[this.name].columns.map((c) => {
      const k = byKey.get(c.key);
      return k === undefined ? emptyColumn(c) : { key: c.key, type: c.type, ...this.cols[k].input() };
    });
    return { name: this.name, length: this.rows, columns, source: { file: `${this.name}.csv`, rows: { dtype: 'i32', range: 2 } }, extra: {} };
  }
}

type Role = 'values' | 'codes' | 'masks';

/** Numbers, booleans, tag masks and enum codes: stored as generated. */
class PlainStream implements ColumnStream {
  private readonly out: ArrayStream;
  private readonly role: Role;
  private readonly tags: string[] | undefined;
  private readonly dict: string[] | undefined;
  constructor(out: ArrayStream, role: Role, tags?: string[], dict?: string[]) {
    this.out = out;
    this.role = role;
    this.tags = tags;
    this.dict = dict;
  }
  add(t: TableChunk, k: number): void {
    const col = t.cols[k];
    if (col instanceof RunBuf) this.out.pushRuns(col.runs);
    else this.out.push((col as Buf<Float64Array>).values);
  }
  input(): Omit<SnapshotColumnInput, 'key' | 'type'> {
    const x: Omit<SnapshotColumnInput, 'key' | 'type'> = { [this.role]: { dtype: this.out.dtype, stream: this.out } };
    if (this.tags) x.tags = this.tags;
    if (this.dict) x.dict = this.dict;
    return x;
  }
}

/** The importer derives the size a file leaves empty, for enterprises and individual businesses (natural persons and agricultural entities are not sized). */
class DerivedSizeStream implements ColumnStream {
  private readonly a: SnapshotAssembler;
  private readonly out: ArrayStream;
  private readonly kindK: number;
  private readonly sized: boolean[];
  private readonly codeOf: number[];
  private readonly dict: string[];
  private row = 0;
  constructor(a: SnapshotAssembler, out: ArrayStream, specs: readonly ColSpec[], k: number) {
    this.a = a;
    this.out = out;
    this.kindK = specs.findIndex((s) => s.key === 'kind');
    const kinds = specs[this.kindK].schema.values ?? [];
    this.dict = [...(specs[k].schema.values ?? [])];
    this.sized = kinds.map((x) => x === 'enterprise' || x === 'individual_business');
    this.codeOf = ['large', 'medium', 'small', 'micro'].map((x) => this.dict.indexOf(x));
  }
  add(t: TableChunk, k: number): void {
    const written = (t.cols[k] as Buf<Int32Array>).values;
    const kind = (t.cols[this.kindK] as Buf<Int32Array>).values;
    const partySize = this.a.partySize;
    // in place: the chunk is done with them
    for (let i = 0; i < written.length; i++, this.row++) {
      if (written[i] >= 0) continue;
      const ps = partySize[this.row];
      written[i] = ps < 4 && kind[i] >= 0 && this.sized[kind[i]] ? this.codeOf[ps] : -1;
    }
    this.out.push(written);
  }
  input(): Omit<SnapshotColumnInput, 'key' | 'type'> {
    return { codes: { dtype: 'i32', stream: this.out }, dict: this.dict };
  }
}

interface TextOptions {
  /** Collect every entry here, in order. */
  all?: string[];
  /** Keep the codes, chunk by chunk. */
  keep?: boolean;
  /** Write codes and dictionary as chunks come (default); without, the caller stores them. */
  stream?: boolean;
  /** Entries expected in all (sizes the index of text chunks once). */
  expect?: number;
}

/** Strings: chunk dictionaries merged in order, which keeps the order of first appearance. */
class TextStream implements ColumnStream {
  private readonly out: ArrayStream | undefined;
  private readonly dictOut: DictStream | undefined;
  private readonly unique: boolean;
  readonly all: string[] | undefined;
  readonly index = new Map<string, number>();
  /** Once chunks come as text (see Prepared): how they are put together. */
  private bytes: ByteIndex | 'joined' | 'released' | undefined;
  private readonly expect: number | undefined;
  count = 0;
  readonly kept: Int32Array[] | undefined;
  constructor(a: SnapshotAssembler, base: string, unique: boolean, o: TextOptions) {
    const stream = o.stream ?? true;
    this.out = stream ? a.column(`${base}.codes`, 'i32') : undefined;
    this.dictOut = stream ? a.dict(base) : undefined;
    this.unique = unique;
    this.all = o.all;
    this.kept = o.keep ? [] : undefined;
    this.expect = o.expect;
  }
  add(t: TableChunk, k: number): void {
    const col = t.cols[k] as TextCol;
    const codes = col.codes.values;
    const local = col.dict;
    const prepared = t.prepared.get(k);
    if (prepared) this.addText(codes, prepared);
    else if (this.bytes) throw new Error('demo-data: a text column given both as text and as strings');
    else if (this.unique) {
      // every value new: codes shift by the entries before (in place: the chunk is done with them)
      const before = this.count;
      if (before) for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] += before;
      this.count += local.length;
      if (this.all) for (let j = 0; j < local.length; j++) this.all.push(local[j]);
      this.dictOut?.pushStrings(local);
    } else {
      const map = new Int32Array(local.length);
      const fresh: string[] = [];
      for (let j = 0; j < local.length; j++) {
        const s = local[j];
        let g = this.index.get(s);
        if (g === undefined) {
          g = this.count++;
          this.index.set(s, g);
          fresh.push(s);
          this.all?.push(s);
        }
        map[j] = g;
      }
      for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = map[codes[i]];
      this.dictOut?.pushStrings(fresh);
    }
    this.kept?.push(codes);
    this.out?.push(codes);
  }
  /** A chunk whose dictionary a worker prepared as text (ids: joined as they are; names: merged by their bytes). */
  private addText(codes: Int32Array, p: Prepared): void {
    if (this.all || (!this.bytes && this.count > 0)) throw new Error('demo-data: a text column given both as strings and as text');
    const before = this.count;
    if (this.unique) {
      if (before) for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] += before;
      this.count += p.count;
      this.bytes ??= 'joined';
      this.dictOut?.pushLines(p.lines, p.count);
    } else {
      if (!p.ends || !p.hashes) throw new Error('demo-data: text column prepared without hashes');
      const index = this.bytes instanceof ByteIndex ? this.bytes : (this.bytes = new ByteIndex(this.expect ?? 1 << 16));
      const map = new Int32Array(p.count);
      index.codesOf(p.lines, p.ends, p.hashes, p.count, map);
      for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = map[codes[i]];
      this.count = index.size;
      this.dictOut?.pushLines(index.lines(before, this.count), this.count - before);
    }
  }

  complete(): void {
    // tax_region's defaults are added with its index, at the end
    if (!this.kept) this.index.clear();
    if (this.bytes instanceof ByteIndex) this.bytes = 'released';
  }
  input(): Omit<SnapshotColumnInput, 'key' | 'type'> {
    return { codes: { dtype: 'i32', stream: this.out as ArrayStream }, dict: this.dictOut as DictStream };
  }
}

/**
 * tax_region defaults to region: the importer adds region codes to the dictionary as it meets
 * them after the values written, so the column is stored once every enterprise is in (a few MB).
 */
class TaxRegionStream implements ColumnStream {
  private readonly text: TextStream;
  private readonly region: TextStream;
  private readonly out: ArrayStream;
  constructor(a: SnapshotAssembler, base: string, region: TextStream) {
    this.text = new TextStream(a, base, false, { all: [], keep: true, stream: false });
    this.region = region;
    this.out = a.column(`${base}.codes`, 'i32');
  }
  add(t: TableChunk, k: number): void {
    this.text.add(t, k);
  }
  input(): Omit<SnapshotColumnInput, 'key' | 'type'> {
    const dict = this.text.all as string[];
    const index = this.text.index;
    const regionDict = this.region.all as string[];
    const parts = this.text.kept as Int32Array[];
    parts.forEach((p, j) => {
      const reg = (this.region.kept as Int32Array[])[j];
      for (let i = 0; i < p.length; i++) {
        if (p[i] >= 0 || reg[i] < 0) continue;
        const s = regionDict[reg[i]];
        let c = index.get(s);
        if (c === undefined) {
          c = dict.length;
          dict.push(s);
          index.set(s, c);
        }
        p[i] = c;
      }
      this.out.push(p);
    });
    return { codes: { dtype: 'i32', stream: this.out }, dict };
  }
}

/** Numbered ids (loans, guarantees), each once: codes 0, 1, 2, …, the dictionary their texts in row order. */
class SeqStream implements ColumnStream {
  private readonly dict: DictStream;
  constructor(dict: DictStream) {
    this.dict = dict;
  }
  add(t: TableChunk, k: number): void {
    const p = t.prepared.get(k);
    if (p) this.dict.pushLines(p.lines, p.count);
    else if (t.rows > 0) throw new Error(`demo-data: ${t.name} ids not prepared`);
  }
  input(): Omit<SnapshotColumnInput, 'key' | 'type'> {
    return { codes: { dtype: 'i32', range: 0 }, dict: this.dict };
  }
}

/**
 * A foreign key: its rows, shifted from the chunk's rows of the target to the bundle's where the
 * target is made in chunks too (loans, guarantees). Its text is the target's ids, so only the rows
 * are stored (see @caijin/ledger reftext.ts).
 */
class RefStream implements ColumnStream {
  private readonly refIndex: ArrayStream;
  private readonly target: TableName;
  private readonly local: boolean;
  constructor(a: SnapshotAssembler, base: string, s: ColSpec) {
    this.refIndex = a.column(`${base}.refIndex`, 'i32');
    this.target = s.target as TableName;
    this.local = s.local === true;
  }
  add(t: TableChunk, k: number, before: Partial<Record<TableName, number>>): void {
    const col = t.cols[k];
    const off = this.local ? (before[this.target] ?? 0) : 0;
    // in place: the chunk is done with them (a run of a repeated row shifts as its row does)
    if (col instanceof RunBuf && col.runs.step !== 0) throw new Error(`demo-data: ${t.name} foreign key kept as counting runs`);
    const refs = col instanceof RunBuf ? col.runs.parts().map((p) => p.starts) : [(col as Buf<Int32Array>).values];
    if (off) for (const ref of refs) for (let i = 0; i < ref.length; i++) if (ref[i] >= 0) ref[i] += off;
    if (col instanceof RunBuf) this.refIndex.pushRuns(col.runs);
    else this.refIndex.push(refs[0]);
  }
  input(): Omit<SnapshotColumnInput, 'key' | 'type'> {
    return { dict: { of: 'refIndex' }, refIndex: { dtype: 'i32', stream: this.refIndex } };
  }
}
