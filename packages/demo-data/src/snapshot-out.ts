// The generated chunks as a validated bundle, exactly as the ledger's importer would build it from
// the CSV files the same chunks give (csv-out.ts): dictionaries in order of first appearance,
// foreign keys resolved to rows, enterprise size derived where the file leaves it empty and
// tax_region defaulting to region. The test that writing both as snapshots gives the same hash
// holds this file to that.
import { SCHEMA, TABLE_NAMES, type ArrayInput, type Column, type DictInput, type SnapshotColumnInput, type SnapshotTableInput, type TableName } from '@caijin/ledger';
import { alloc, TextCol, type Buf, type ChunkTables, type ColSpec, type TableChunk } from './table.ts';

export interface AssembleContext {
  /** Ids of global tables by row (institutions, enterprises, fintech_projects). */
  ids: Partial<Record<TableName, readonly string[]>>;
  /** Enterprise size (index in large, medium, small, micro; 4 = none) of every enterprise, for the sizes the file leaves to derive. */
  partySize: Uint8Array;
}

type Arr = Float64Array | Int32Array | Int8Array | Uint32Array;

/** A column's values in every chunk (views: no copy). */
function parts<T extends Arr>(chunks: TableChunk[], k: number): T[] {
  return chunks.map((c) => (c.cols[k] as unknown as Buf<T>).values);
}

/** A text column of every chunk: chunk dictionaries merged in order, which keeps the order of first appearance. */
function textColumn(chunks: TableChunk[], k: number, unique: boolean): { codes: Int32Array[]; dict: string[] } {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const out: Int32Array[] = [];
  for (const c of chunks) {
    const t = c.cols[k] as TextCol;
    const local = t.codes.values;
    const base = dict.length;
    if (unique) {
      // every value new: codes shift by the entries before
      for (const s of t.dict) dict.push(s);
      const codes = alloc(Int32Array, local.length);
      for (let i = 0; i < local.length; i++) codes[i] = local[i] < 0 ? -1 : local[i] + base;
      out.push(codes);
      continue;
    }
    const map = new Int32Array(t.dict.length);
    for (let j = 0; j < t.dict.length; j++) {
      const s = t.dict[j];
      let g = index.get(s);
      if (g === undefined) {
        g = dict.length;
        dict.push(s);
        index.set(s, g);
      }
      map[j] = g;
    }
    const codes = alloc(Int32Array, local.length);
    for (let i = 0; i < local.length; i++) codes[i] = local[i] < 0 ? -1 : map[local[i]];
    out.push(codes);
  }
  return { codes: out, dict };
}

/** ASCII id texts joined by "\n", written straight as bytes. */
export class Lines {
  private buf: Uint8Array;
  private off = 0;
  readonly done: Uint8Array[] = [];
  count = 0;
  constructor(cap = 1 << 20) {
    this.buf = new Uint8Array(cap);
  }
  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    this.done.push(this.buf.subarray(0, this.off));
    this.buf = new Uint8Array(Math.max(1 << 22, n));
    this.off = 0;
  }
  /** `prefix` + `v` zero-padded to `width` digits. */
  seq(prefix: string, v: number, width: number): void {
    this.room(prefix.length + width + 20);
    const b = this.buf;
    if (this.count++ > 0) b[this.off++] = 10;
    for (let i = 0; i < prefix.length; i++) b[this.off++] = prefix.charCodeAt(i);
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

/**
 * In the worker, once a loan or other-guarantee chunk is done: the chunk's share of the numbered
 * ids' dictionaries and of the codes of foreign keys into its own rows (see Prepared).
 */
export function prepareChunk(chunk: ChunkTables): void {
  for (const t of Object.values(chunk.tables) as TableChunk[]) {
    t.specs.forEach((s, k) => {
      if (s.kind === 'seq') {
        const nums = (t.cols[k] as Buf<Float64Array>).values;
        const lines = new Lines(nums.length * ((s.prefix as string).length + (s.width as number) + 1) + 16);
        for (let i = 0; i < nums.length; i++) lines.seq(s.prefix as string, nums[i], s.width as number);
        t.prepared.set(k, { lines: joined(lines.take()), count: nums.length });
      } else if (s.kind === 'ref' && s.local) {
        const target = chunk.get(s.target as TableName);
        const idSpec = target.specs[0];
        const nums = (target.cols[0] as Buf<Float64Array>).values;
        const refs = (t.cols[k] as Buf<Int32Array>).values;
        const codeOf = new Int32Array(nums.length).fill(-1);
        const codes = alloc(Int32Array, refs.length);
        const lines = new Lines(1 << 16);
        let count = 0;
        for (let i = 0; i < refs.length; i++) {
          const r = refs[i];
          if (r < 0) {
            codes[i] = -1;
            continue;
          }
          let c = codeOf[r];
          if (c < 0) {
            c = codeOf[r] = count++;
            lines.seq(idSpec.prefix as string, nums[r], idSpec.width as number);
          }
          codes[i] = c;
        }
        t.prepared.set(k, { codes, lines: joined(lines.take()), count });
      }
    });
  }
}

/** Chunks' prepared parts put together: codes shifted by the entries of the chunks before, texts joined by "\n". */
function fromPrepared(chunks: TableChunk[], k: number, withCodes: boolean): { codes: Int32Array[]; dict: DictInput } | undefined {
  const preps = chunks.map((c) => c.prepared.get(k));
  if (preps.some((p, j) => !p && chunks[j].rows > 0)) return undefined;
  const codes: Int32Array[] = [];
  const lines: Uint8Array[] = [];
  const NL = new Uint8Array([10]);
  let count = 0;
  for (const p of preps) {
    if (!p) continue;
    if (withCodes) {
      const c = p.codes as Int32Array;
      if (count) for (let i = 0; i < c.length; i++) if (c[i] >= 0) c[i] += count;
      codes.push(c);
    }
    if (p.count) {
      if (lines.length) lines.push(NL);
      lines.push(p.lines);
    }
    count += p.count;
  }
  return { codes, dict: { count, lines } };
}

interface Ids {
  /** The id strings of a global table, or the numbers of a numbered one. */
  strings?: readonly string[];
  seq?: { nums: Float64Array[]; prefix: string; width: number; rows: number };
}

/** Codes (order of first appearance) and dictionary of a foreign key, given the rows it points to. */
function refCodes(refIndex: Int32Array[], target: Ids, targetRows: number): { codes: Int32Array[]; dict: DictInput } {
  const codeOf = new Int32Array(targetRows).fill(-1);
  const order: number[] = [];
  const out = refIndex.map((part) => {
    const codes = alloc(Int32Array, part.length);
    for (let i = 0; i < part.length; i++) {
      const r = part[i];
      if (r < 0) {
        codes[i] = -1;
        continue;
      }
      let c = codeOf[r];
      if (c < 0) {
        c = codeOf[r] = order.length;
        order.push(r);
      }
      codes[i] = c;
    }
    return codes;
  });
  if (target.strings) {
    const s = target.strings;
    return { codes: out, dict: order.map((r) => s[r]) };
  }
  // a numbered table: the dictionary's text made from the numbers
  const q = target.seq as NonNullable<Ids['seq']>;
  const nums = concatF64(q.nums);
  const lines = new Lines();
  for (const r of order) lines.seq(q.prefix, nums[r], q.width);
  return { codes: out, dict: { count: order.length, lines: lines.take() } };
}

function concatF64(parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0];
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const arr = (ps: Arr[], dtype: ArrayInput['dtype']): ArrayInput => ({ dtype, parts: ps });

/** A contract column the generator does not write: empty, as the importer makes it (a foreign key gets refIndex -1). */
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
      return { key: c.key, type: c.type, codes: { dtype: 'i32', fill: -1 }, dict: [], refIndex: ref ? { dtype: 'i32', fill: -1 } : undefined };
  }
}

interface TablePlan {
  chunks: TableChunk[];
  /** Per chunk, the row offset of its rows of each table (for foreign keys to the same chunk's rows). */
  offsets: Partial<Record<TableName, number>>[];
}

/**
 * Every chunk's tables put together in chunk order as snapshot input: the bundle the CSV files of
 * the same chunks import to. Arrays stay in their chunks' parts; large id dictionaries are written
 * as text directly.
 */
export function assembleTables(chunks: readonly ChunkTables[], ctx: AssembleContext): SnapshotTableInput[] {
  const plans = new Map<TableName, TablePlan>();
  const running: Partial<Record<TableName, number>> = {};
  for (const ch of chunks) {
    const before = { ...running };
    for (const [name, t] of Object.entries(ch.tables) as [TableName, TableChunk][]) {
      let p = plans.get(name);
      if (!p) plans.set(name, (p = { chunks: [], offsets: [] }));
      p.chunks.push(t);
      p.offsets.push(before);
      running[name] = (running[name] ?? 0) + t.rows;
    }
  }
  const ids = new Map<TableName, Ids>();
  for (const [name, strings] of Object.entries(ctx.ids) as [TableName, string[]][]) ids.set(name, { strings });
  // tables referred to first, then in contract order
  const order: TableName[] = ['institutions', 'enterprises', 'fintech_projects', 'loans', 'guarantees'];
  const built = new Map<TableName, SnapshotTableInput>();
  for (const name of [...order, ...TABLE_NAMES.filter((t) => !order.includes(t))]) {
    const plan = plans.get(name);
    if (plan) built.set(name, buildTable(name, plan, running, ids, ctx));
  }
  return TABLE_NAMES.filter((t) => built.has(t)).map((t) => built.get(t) as SnapshotTableInput);
}

function buildTable(name: TableName, plan: TablePlan, rows: Partial<Record<TableName, number>>, ids: Map<TableName, Ids>, ctx: AssembleContext): SnapshotTableInput {
  const specs = plan.chunks[0].specs;
  const ch = plan.chunks;
  const n = ch.reduce((a, c) => a + c.rows, 0);
  const byKey = new Map<string, [ColSpec, number]>(specs.map((s, k) => [s.key, [s, k]]));
  const columns: SnapshotColumnInput[] = [];
  for (const c of SCHEMA[name].columns) {
    const hit = byKey.get(c.key);
    if (!hit) {
      columns.push(emptyColumn(c));
      continue;
    }
    const [s, k] = hit;
    const col = (x: Omit<SnapshotColumnInput, 'key' | 'type'>): void => void columns.push({ key: c.key, type: c.type, ...x });
    switch (s.kind) {
      case 'num':
        col({ values: arr(parts(ch, k), 'f64') });
        break;
      case 'bool':
        col({ values: arr(parts(ch, k), 'i8') });
        break;
      case 'enum':
        if (name === 'enterprises' && c.key === 'size') col({ codes: arr(derivedSizes(ch, k, ctx.partySize, specs), 'i32'), dict: [...(c.values ?? [])] });
        else col({ codes: arr(parts(ch, k), 'i32'), dict: [...(c.values ?? [])] });
        break;
      case 'tags':
        col({ masks: arr(parts(ch, k), 'u32'), tags: [...(c.values ?? [])] });
        break;
      case 'text': {
        const { codes, dict } = textColumn(ch, k, s.unique === true);
        if (name === 'enterprises' && c.key === 'id') ids.set('enterprises', { strings: dict });
        if (name === 'enterprises' && c.key === 'tax_region') taxDefaults(ch, specs, codes, dict);
        col({ codes: arr(codes, 'i32'), dict });
        break;
      }
      case 'seq': {
        // numbered ids, each once: codes 0, 1, 2, …, the dictionary their texts in row order
        const nums = parts<Float64Array>(ch, k);
        ids.set(name, { seq: { nums, prefix: s.prefix as string, width: s.width as number, rows: n } });
        let dict = fromPrepared(ch, k, false)?.dict;
        if (!dict) {
          const lines = new Lines();
          for (const p of nums) for (let i = 0; i < p.length; i++) lines.seq(s.prefix as string, p[i], s.width as number);
          dict = { count: n, lines: lines.take() };
        }
        col({ codes: { dtype: 'i32', range: 0 }, dict });
        break;
      }
      case 'ref': {
        const target = s.target as TableName;
        const refIndex = parts<Int32Array>(ch, k);
        if (s.local) {
          // rows of the chunk's own target rows → rows of the bundle (in place: the chunk is done with them)
          refIndex.forEach((p, j) => {
            const off = plan.offsets[j][target] ?? 0;
            if (off) for (let i = 0; i < p.length; i++) if (p[i] >= 0) p[i] += off;
          });
        }
        const tids = ids.get(target);
        if (!tids) throw new Error(`demo-data: ${name}.${c.key} refers to ${target} before its ids are known`);
        const { codes, dict } = (s.local && fromPrepared(ch, k, true)) || refCodes(refIndex, tids, rows[target] ?? tids.strings?.length ?? 0);
        col({ codes: arr(codes, 'i32'), dict, refIndex: arr(refIndex, 'i32') });
        break;
      }
    }
  }
  return { name, length: n, columns, source: { file: `${name}.csv`, rows: { dtype: 'i32', range: 2 } }, extra: {} };
}

/** The importer derives the size a file leaves empty, for enterprises and individual businesses (natural persons and agricultural entities are not sized). */
function derivedSizes(chunks: TableChunk[], k: number, partySize: Uint8Array, specs: readonly ColSpec[]): Int32Array[] {
  const kindK = specs.findIndex((s) => s.key === 'kind');
  const kinds = specs[kindK].schema.values ?? [];
  const sizes = specs[k].schema.values ?? [];
  const sized = kinds.map((x) => x === 'enterprise' || x === 'individual_business');
  const codeOf = ['large', 'medium', 'small', 'micro'].map((x) => sizes.indexOf(x));
  let row = 0;
  return chunks.map((c) => {
    const written = (c.cols[k] as Buf<Int32Array>).values;
    const kind = (c.cols[kindK] as Buf<Int32Array>).values;
    const out = alloc(Int32Array, written.length);
    for (let i = 0; i < written.length; i++, row++) {
      const ps = partySize[row];
      out[i] = written[i] >= 0 ? written[i] : ps < 4 && kind[i] >= 0 && sized[kind[i]] ? codeOf[ps] : -1;
    }
    return out;
  });
}

/** tax_region defaults to region: the importer adds region codes to the dictionary as it meets them. */
function taxDefaults(chunks: TableChunk[], specs: readonly ColSpec[], codes: Int32Array[], dict: string[]): void {
  const regionK = specs.findIndex((s) => s.key === 'region');
  const region = textColumn(chunks, regionK, false);
  const index = new Map<string, number>();
  dict.forEach((s, c) => index.set(s, c));
  codes.forEach((p, j) => {
    const reg = region.codes[j];
    for (let i = 0; i < p.length; i++) {
      if (p[i] >= 0 || reg[i] < 0) continue;
      const s = region.dict[reg[i]];
      let c = index.get(s);
      if (c === undefined) {
        c = dict.length;
        dict.push(s);
        index.set(s, c);
      }
      p[i] = c;
    }
  });
}
