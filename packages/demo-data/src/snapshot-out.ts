// The generated chunks as a validated bundle, exactly as the ledger's importer would build it from
// the CSV files the same chunks give (csv-out.ts): dictionaries in order of first appearance,
// foreign keys resolved to rows, enterprise size derived where the file leaves it empty and
// tax_region defaulting to region. The test that writing both as snapshots gives the same hash
// holds this file to that.
import { SCHEMA, TABLE_NAMES, type Bundle, type Column, type Table, type TableName } from '@caijin/ledger';
import { TextCol, type Buf, type ChunkTables, type ColSpec, type TableChunk } from './table.ts';

/** Id texts of a table's rows, for the dictionaries of the foreign keys pointing at it. */
export type IdTexts = (row: number) => string;

export interface AssembleContext {
  /** Ids of global tables by row (institutions, enterprises, fintech_projects). */
  ids: Partial<Record<TableName, readonly string[]>>;
  /** Enterprise size (index in large, medium, small, micro; 4 = none) of every enterprise, for the sizes the file leaves to derive. */
  partySize: Uint8Array;
}

function concat<T extends Float64Array | Int32Array | Int8Array | Uint32Array>(parts: T[], make: (n: number) => T): T {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = make(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A column's values of every chunk, as one array. */
function values<T extends Float64Array | Int32Array | Int8Array | Uint32Array>(chunks: TableChunk[], k: number, make: (n: number) => T): T {
  return concat(
    chunks.map((c) => (c.cols[k] as unknown as Buf<T>).values),
    make,
  );
}

/** A text column of every chunk: chunk dictionaries merged in order, which keeps the order of first appearance. */
function textColumn(chunks: TableChunk[], k: number, unique: boolean): { codes: Int32Array; dict: string[] } {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const parts: Int32Array[] = [];
  for (const c of chunks) {
    const t = c.cols[k] as TextCol;
    const local = t.codes.values;
    const map = new Int32Array(t.dict.length);
    for (let j = 0; j < t.dict.length; j++) {
      const s = t.dict[j];
      let g = unique ? undefined : index.get(s);
      if (g === undefined) {
        g = dict.length;
        dict.push(s);
        if (!unique) index.set(s, g);
      }
      map[j] = g;
    }
    const out = new Int32Array(local.length);
    for (let i = 0; i < local.length; i++) out[i] = local[i] < 0 ? -1 : map[local[i]];
    parts.push(out);
  }
  return { codes: concat(parts, (n) => new Int32Array(n)), dict };
}

/** Codes (order of first appearance) and dictionary of a foreign key given the rows it points to. */
function refCodes(refIndex: Int32Array, targetRows: number, idOf: IdTexts): { codes: Int32Array; dict: string[] } {
  const codeOf = new Int32Array(targetRows).fill(-1);
  const codes = new Int32Array(refIndex.length);
  const dict: string[] = [];
  for (let i = 0; i < refIndex.length; i++) {
    const r = refIndex[i];
    if (r < 0) {
      codes[i] = -1;
      continue;
    }
    let c = codeOf[r];
    if (c < 0) {
      c = codeOf[r] = dict.length;
      dict.push(idOf(r));
    }
    codes[i] = c;
  }
  return { codes, dict };
}

/** An all-empty column, as the importer makes for a contract column a file does not have. */
function emptyColumn(type: Column['type'], values: readonly string[] | undefined, n: number, ref: boolean): Column {
  switch (type) {
    case 'money':
    case 'rate':
    case 'int':
    case 'year':
    case 'date':
    case 'month':
      return ref ? { type, values: new Float64Array(n).fill(NaN), refIndex: new Int32Array(n).fill(-1) } : { type, values: new Float64Array(n).fill(NaN) };
    case 'bool':
      return { type, values: new Int8Array(n).fill(-1) };
    case 'tags':
      return { type, masks: new Uint32Array(n), tags: [...(values ?? [])] };
    case 'enum':
      return { type, codes: new Int32Array(n).fill(-1), dict: [...(values ?? [])] };
    default: {
      const c: Column = { type, codes: new Int32Array(n).fill(-1), dict: [] };
      if (ref) c.refIndex = new Int32Array(n).fill(-1);
      return c;
    }
  }
}

interface TablePlan {
  chunks: TableChunk[];
  /** Per chunk, the row offset of its rows of each local target table. */
  offsets: Partial<Record<TableName, number>>[];
}

/** Puts every chunk's tables together, in chunk order, as the bundle the CSV files would import to. */
export function assembleBundle(chunks: readonly ChunkTables[], ctx: AssembleContext, origin: string): Bundle {
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
  const rowsOf = (name: TableName): number => running[name] ?? 0;
  const tables: Partial<Record<TableName, Table>> = {};
  const built = new Map<TableName, Table>();
  // Id texts per table, made on first use (loans and guarantees are numbered: their texts are made from the number).
  const idTexts = new Map<TableName, IdTexts>();
  const idsOf = (name: TableName): IdTexts => {
    let f = idTexts.get(name);
    if (f) return f;
    const given = ctx.ids[name];
    if (given) f = (r) => given[r];
    else {
      const t = built.get(name);
      if (!t) throw new Error(`demo-data: ${name} is referred to before it is built`);
      const id = t.columns.id as Extract<Column, { codes: Int32Array }>;
      f = (r) => id.dict[id.codes[r]];
    }
    idTexts.set(name, f);
    return f;
  };
  // tables referred to first, then in contract order
  const order: TableName[] = ['institutions', 'enterprises', 'fintech_projects', 'loans', 'guarantees'];
  for (const name of [...order, ...TABLE_NAMES.filter((t) => !order.includes(t))]) {
    const plan = plans.get(name);
    if (plan) built.set(name, buildTable(name, plan, rowsOf, idsOf, ctx));
  }
  for (const name of TABLE_NAMES) {
    const t = built.get(name);
    if (t) tables[name] = t;
  }
  return { tables, origin, warnings: [] };
}

function buildTable(name: TableName, plan: TablePlan, rowsOf: (t: TableName) => number, idsOf: (t: TableName) => IdTexts, ctx: AssembleContext): Table {
  const specs = plan.chunks[0].specs;
  const n = plan.chunks.reduce((a, c) => a + c.rows, 0);
  const byKey = new Map<string, [ColSpec, number]>(specs.map((s, k) => [s.key, [s, k]]));
  const columns: Record<string, Column> = {};
  for (const c of SCHEMA[name].columns) {
    const hit = byKey.get(c.key);
    if (!hit) {
      columns[c.key] = emptyColumn(c.type, c.values, n, c.ref !== undefined);
      continue;
    }
    const [s, k] = hit;
    const ch = plan.chunks;
    switch (s.kind) {
      case 'num':
        columns[c.key] = { type: c.type as 'money', values: values(ch, k, (m) => new Float64Array(m)) };
        break;
      case 'bool':
        columns[c.key] = { type: 'bool', values: values(ch, k, (m) => new Int8Array(m)) };
        break;
      case 'enum':
        columns[c.key] = { type: 'enum', codes: values(ch, k, (m) => new Int32Array(m)), dict: [...(c.values ?? [])] };
        break;
      case 'tags':
        columns[c.key] = { type: 'tags', masks: values(ch, k, (m) => new Uint32Array(m)), tags: [...(c.values ?? [])] };
        break;
      case 'text': {
        const { codes, dict } = textColumn(ch, k, s.unique === true);
        columns[c.key] = { type: c.type as 'string', codes, dict };
        break;
      }
      case 'seq': {
        // numbered ids, each once: codes 0, 1, 2, …
        const nums = values(ch, k, (m) => new Float64Array(m));
        const prefix = s.prefix as string;
        const width = s.width as number;
        const dict = new Array<string>(n);
        for (let i = 0; i < n; i++) dict[i] = prefix + String(nums[i]).padStart(width, '0');
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) codes[i] = i;
        columns[c.key] = { type: c.type as 'id', codes, dict };
        break;
      }
      case 'ref': {
        const target = s.target as TableName;
        const refIndex = values(ch, k, (m) => new Int32Array(m));
        if (s.local) {
          // chunk rows → bundle rows
          let o = 0;
          plan.chunks.forEach((chunk, j) => {
            const off = plan.offsets[j][target] ?? 0;
            for (let i = 0; i < chunk.rows; i++, o++) if (refIndex[o] >= 0) refIndex[o] += off;
          });
        }
        const { codes, dict } = refCodes(refIndex, rowsOf(target) || (ctx.ids[target]?.length ?? 0), idsOf(target));
        columns[c.key] = { type: c.type as 'id', codes, dict, refIndex };
        break;
      }
    }
  }
  if (name === 'enterprises') enterpriseDefaults(columns, ctx.partySize);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i + 2;
  return { name, length: n, columns, source: { file: `${name}.csv`, rows }, extra: {} };
}

/** What the importer fills in: the size the file leaves empty (derived from the indicators), tax_region = region. */
function enterpriseDefaults(columns: Record<string, Column>, partySize: Uint8Array): void {
  const size = columns.size as Extract<Column, { codes: Int32Array }>;
  const sizes = size.dict;
  const codeOf = ['large', 'medium', 'small', 'micro'].map((k) => sizes.indexOf(k));
  // as the importer: natural persons and agricultural entities are not sized
  const kind = columns.kind as Extract<Column, { codes: Int32Array }>;
  const sized = kind.dict.map((k) => k === 'enterprise' || k === 'individual_business');
  for (let i = 0; i < size.codes.length; i++) {
    if (size.codes[i] < 0 && partySize[i] < 4 && kind.codes[i] >= 0 && sized[kind.codes[i]]) size.codes[i] = codeOf[partySize[i]];
  }
  const region = columns.region as Extract<Column, { codes: Int32Array }>;
  const tax = columns.tax_region as Extract<Column, { codes: Int32Array }>;
  const taxIndex = new Map<string, number>();
  tax.dict.forEach((s, c) => taxIndex.set(s, c));
  for (let i = 0; i < tax.codes.length; i++) {
    if (tax.codes[i] >= 0 || region.codes[i] < 0) continue;
    const s = region.dict[region.codes[i]];
    let c = taxIndex.get(s);
    if (c === undefined) {
      c = tax.dict.length;
      tax.dict.push(s);
      taxIndex.set(s, c);
    }
    tax.codes[i] = c;
  }
}
