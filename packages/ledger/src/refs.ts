// Across tables: foreign keys resolved to dense row indexes (`refIndex`), the kind of a referenced
// institution checked, and unique keys enforced. All work on typed arrays and dictionary codes:
// a foreign key's distinct values are looked up once each, by their bytes, in the referenced id
// column's own dictionary (no second index of 10 million loan numbers, no strings).
import { BigMap } from './bigmap.ts';
import { ByteDict } from './bytedict.ts';
import type { BuiltTable } from './builder.ts';
import { colLabel, type ErrorList } from './errors.ts';
import { markTextOfRows } from './reftext.ts';
import { SCHEMA, columnOf } from './schema.ts';
import type { Column, ColumnSchema, DictColumn, TableName } from './types.ts';

type NumColumn = Extract<Column, { values: Float64Array }>;

export type Built = Partial<Record<TableName, BuiltTable>>;

const UNKNOWN = -1;
const AMBIGUOUS = -2;

/** A referenced table's ids: its id dictionary, and the row of each id code (AMBIGUOUS when several rows share it: loans are unique per bank). */
interface Target {
  ids: ByteDict;
  rowOfCode: Int32Array;
  /** For ambiguous ids: `${id}\u0000${bank}` → row (only built when some id is ambiguous). */
  byIdAndBank: BigMap<string, number>;
}

/** The byte dictionary of a dictionary column (built by the importer; made from the strings otherwise). */
function dictIndex(t: BuiltTable, key: string): ByteDict {
  return t.dicts[key] ?? (t.dicts[key] = ByteDict.of((t.table.columns[key] as DictColumn).dict));
}

function targetOf(t: BuiltTable): Target {
  const idCol = t.table.columns.id as DictColumn;
  const ids = dictIndex(t, 'id');
  const byIdAndBank = new BigMap<string, number>();
  const bank = t.table.columns.bank_id as DictColumn | undefined;
  const scoped = SCHEMA[t.table.name].unique?.includes('bank_id') === true && bank !== undefined;
  const { codes } = idCol;
  const rowOfCode = new Int32Array(ids.count).fill(UNKNOWN);
  let ambiguous = false;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0) continue;
    const prev = rowOfCode[c];
    if (prev === UNKNOWN) rowOfCode[c] = i;
    else if (scoped && prev !== AMBIGUOUS) {
      rowOfCode[c] = AMBIGUOUS;
      ambiguous = true;
    }
  }
  if (scoped && ambiguous) {
    const dict = idCol.dict;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c >= 0 && bank.codes[i] >= 0 && rowOfCode[c] === AMBIGUOUS) byIdAndBank.set(`${dict[c]}\u0000${bank.dict[bank.codes[i]]}`, i);
    }
  }
  return { ids, rowOfCode, byIdAndBank };
}

function rowOf(t: BuiltTable, i: number): number {
  return t.table.source.rows[i];
}

/** Resolve every `ref` column of every table; errors for unknown targets, missing files and wrong kinds. */
export function resolveRefs(built: Built, errors: ErrorList): void {
  const targets = new Map<TableName, Target>();
  for (const t of Object.values(built)) {
    if (!t) continue;
    const name = t.table.name;
    for (const c of SCHEMA[name].columns) {
      if (!c.ref) continue;
      const col = t.table.columns[c.key] as DictColumn;
      const n = col.codes.length;
      const refIndex = new Int32Array(n).fill(-1);
      col.refIndex = refIndex;
      let used = false;
      for (let i = 0; i < n && !used; i++) used = col.codes[i] >= 0;
      if (!used) continue;
      const target = built[c.ref];
      const header = t.headers[c.key];
      if (!target) {
        errors.add({
          file: t.table.source.file,
          column: c.key,
          header,
          key: 'ref.missing_table',
          zh: `${colLabel(header, c.key)}引用 ${c.ref}（${SCHEMA[c.ref].zh}），但数据包中没有 ${c.ref} 文件`,
        });
        continue;
      }
      let tgt = targets.get(c.ref);
      if (!tgt) targets.set(c.ref, (tgt = targetOf(target)));
      resolveColumn(t, c, col, tgt, errors);
      if (c.refKinds) checkKinds(t, c, col, target, errors);
    }
  }
}

function resolveColumn(t: BuiltTable, c: ColumnSchema, col: DictColumn, tgt: Target, errors: ErrorList): void {
  const { codes } = col;
  const refIndex = col.refIndex as Int32Array;
  const own = dictIndex(t, c.key);
  const codeRow = new Int32Array(own.count);
  // Files usually list the referenced ids in the referenced file's order (balances loan by loan):
  // try the entry after the last one found before hashing.
  let guess = 0;
  for (let k = 0; k < own.count; k++) {
    const s = own.offs[k];
    const e = own.offs[k + 1];
    const tc = guess < tgt.ids.count && tgt.ids.equals(guess, own.bytes, s, e) ? guess : tgt.ids.find(own.bytes, s, e);
    codeRow[k] = tc < 0 ? UNKNOWN : tgt.rowOfCode[tc];
    if (tc >= 0) guess = tc + 1;
  }
  // Every text found as one row's id, by its bytes: the text is that row's id (a snapshot then stores only the rows).
  let eachTextOneRow = true;
  for (let k = 0; k < own.count && eachTextOneRow; k++) eachTextOneRow = codeRow[k] >= 0;
  if (eachTextOneRow) markTextOfRows(col, own.count);
  // Strings only for the messages (decoded on first use).
  const text = (code: number) => col.dict[code];
  const bank = c.key !== 'bank_id' ? (t.table.columns.bank_id as DictColumn | undefined) : undefined;
  const header = t.headers[c.key];
  const refName = `${c.ref}（${SCHEMA[c.ref as TableName].zh}）`;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < 0) continue;
    let r = codeRow[code];
    if (r === AMBIGUOUS) {
      const b = bank && bank.codes[i] >= 0 ? bank.dict[bank.codes[i]] : undefined;
      if (b === undefined) {
        errors.add({
          file: t.table.source.file,
          row: rowOf(t, i),
          column: c.key,
          header,
          value: text(code),
          key: 'ref.ambiguous',
          zh: `${colLabel(header, c.key)} ${text(code)} 在 ${refName} 中属于多家银行；请增加“贷款银行”（bank_id）列指明是哪家银行的`,
        });
        continue;
      }
      r = tgt.byIdAndBank.get(`${text(code)}\u0000${b}`) ?? UNKNOWN;
      if (r === UNKNOWN) {
        errors.add({
          file: t.table.source.file,
          row: rowOf(t, i),
          column: c.key,
          header,
          value: text(code),
          key: 'ref.unknown',
          zh: `${colLabel(header, c.key)} ${text(code)}（银行 ${b}）不在 ${refName}中`,
        });
        continue;
      }
    } else if (r === UNKNOWN) {
      errors.add({
        file: t.table.source.file,
        row: rowOf(t, i),
        column: c.key,
        header,
        value: text(code),
        key: 'ref.unknown',
        zh: `${colLabel(header, c.key)} ${text(code)} 不在 ${refName}中`,
      });
      continue;
    }
    refIndex[i] = r;
  }
}

function checkKinds(t: BuiltTable, c: ColumnSchema, col: DictColumn, target: BuiltTable, errors: ErrorList): void {
  const kindCol = target.table.columns.kind as DictColumn;
  const kindSchema = columnOf(target.table.name, 'kind');
  const values = kindSchema.values ?? [];
  const allowed = new Uint8Array(values.length);
  for (const k of c.refKinds ?? []) allowed[values.indexOf(k)] = 1;
  const refIndex = col.refIndex as Int32Array;
  const header = t.headers[c.key];
  const want = (c.refKinds ?? []).map((k) => `${k}（${kindSchema.labels?.[values.indexOf(k)] ?? k}）`).join(' 或 ');
  for (let i = 0; i < refIndex.length; i++) {
    const r = refIndex[i];
    if (r < 0) continue;
    const kc = kindCol.codes[r];
    if (kc < 0 || allowed[kc]) continue;
    errors.add({
      file: t.table.source.file,
      row: rowOf(t, i),
      column: c.key,
      header,
      value: col.dict[col.codes[i]],
      key: 'ref.kind',
      zh: `${colLabel(header, c.key)} ${col.dict[col.codes[i]]} 在 ${target.table.name} 中的机构类型为 ${values[kc]}（${kindSchema.labels?.[kc] ?? ''}），应为 ${want}`,
    });
  }
}

/** Integer key of column `key` per row (dictionary code, or refIndex for a resolved foreign key, or the number); -1 when empty. */
function intKeys(t: BuiltTable, key: string): { keys: Int32Array; range: number; text: (i: number) => string } {
  const col = t.table.columns[key];
  const n = t.table.length;
  const keys = new Int32Array(n);
  if ('codes' in col) {
    const src = col.refIndex ?? col.codes;
    // A foreign key that did not resolve is already an error: leave it out of the check.
    for (let i = 0; i < n; i++) keys[i] = col.codes[i] < 0 ? -1 : src[i];
    const range = rangeOf(keys); // not dict.length: that would decode the dictionary
    return { keys, range, text: (i) => col.dict[col.codes[i]] };
  }
  const v = (col as NumColumn).values;
  let min = Infinity;
  for (let i = 0; i < n; i++) if (!Number.isNaN(v[i]) && v[i] < min) min = v[i];
  let max = -1;
  for (let i = 0; i < n; i++) {
    keys[i] = Number.isNaN(v[i]) ? -1 : v[i] - min;
    if (keys[i] > max) max = keys[i];
  }
  return { keys, range: max + 1, text: (i) => String(v[i]) };
}

function rangeOf(keys: Int32Array): number {
  let max = -1;
  for (let i = 0; i < keys.length; i++) if (keys[i] > max) max = keys[i];
  return max + 1;
}

/**
 * A dictionary column (not a foreign key) whose filled cells all have different codes: no two
 * rows can share a key that includes it (rows with an empty key cell are not checked). The
 * importer's dictionary holds exactly the codes used, so this is one count.
 */
function allDistinct(t: BuiltTable, key: string): boolean {
  const col = t.table.columns[key];
  const d = t.dicts[key];
  if (!d || !('codes' in col) || col.refIndex) return false;
  let filled = 0;
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i] >= 0) filled++;
  return filled === d.count;
}

/** The key of row i in a column, ordered as intKeys orders it; NaN when empty. */
function keyReader(t: BuiltTable, key: string): (i: number) => number {
  const col = t.table.columns[key];
  if ('codes' in col) {
    const { codes } = col;
    const src = col.refIndex ?? codes;
    // A foreign key that did not resolve (refIndex -1) is left out, as in intKeys.
    return (i) => (codes[i] < 0 || src[i] < 0 ? NaN : src[i]);
  }
  const v = (col as NumColumn).values;
  return (i) => v[i];
}

/**
 * Keys (a, b) strictly increasing from row to row, rows with an empty key left out (balances
 * written loan by loan, month by month): then no two rows share a key. One pass, nothing allocated.
 */
function increasingPairs(t: BuiltTable, keyA: string, keyB: string): boolean {
  const a = keyReader(t, keyA);
  const b = keyReader(t, keyB);
  let pa = -Infinity;
  let pb = -Infinity;
  for (let i = 0; i < t.table.length; i++) {
    const x = a(i);
    const y = b(i);
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x < pa || (x === pa && y <= pb)) return false;
    pa = x;
    pb = y;
  }
  return true;
}

/** Enforce `unique` of every table (1 or 2 columns). */
export function checkUnique(built: Built, errors: ErrorList, display: (t: BuiltTable, key: string, i: number) => string): void {
  for (const t of Object.values(built)) {
    if (!t) continue;
    const unique = SCHEMA[t.table.name].unique;
    if (!unique || t.table.length === 0) continue;
    // Only when the file has every key column (a missing one is already an error).
    if (!unique.every((k) => k in t.headers)) continue;
    const n = t.table.length;
    const report = (i: number, first: number) => {
      const last = unique[unique.length - 1];
      const parts = unique.map((k) => `${colLabel(t.headers[k], k)} ${display(t, k, i)}`);
      errors.add({
        file: t.table.source.file,
        row: rowOf(t, i),
        column: last,
        header: t.headers[last],
        value: unique.map((k) => display(t, k, i)).join(', '),
        key: 'unique.duplicate',
        zh: `重复：${parts.join('，')} 与第 ${rowOf(t, first)} 行相同（应唯一）`,
      });
    };
    if (unique.some((k) => allDistinct(t, k))) continue;
    if (unique.length === 1) {
      const { keys, range } = intKeys(t, unique[0]);
      const first = new Int32Array(range).fill(-1);
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        if (k < 0) continue;
        if (first[k] >= 0) report(i, first[k]);
        else first[k] = i;
      }
      continue;
    }
    if (increasingPairs(t, unique[0], unique[1])) continue;
    // Two columns: counting sort by the first, then stamp the second within each group.
    const a = intKeys(t, unique[0]);
    const b = intKeys(t, unique[1]);
    const start = new Int32Array(a.range + 1);
    for (let i = 0; i < n; i++) if (a.keys[i] >= 0 && b.keys[i] >= 0) start[a.keys[i] + 1]++;
    for (let k = 0; k < a.range; k++) start[k + 1] += start[k];
    const order = new Int32Array(start[a.range]);
    const fill = start.slice(0, a.range);
    for (let i = 0; i < n; i++) if (a.keys[i] >= 0 && b.keys[i] >= 0) order[fill[a.keys[i]]++] = i;
    const stampGroup = new Int32Array(b.range).fill(-1);
    const stampRow = new Int32Array(b.range);
    for (let g = 0; g < a.range; g++) {
      for (let p = start[g]; p < start[g + 1]; p++) {
        const i = order[p];
        const k = b.keys[i];
        if (stampGroup[k] === g) report(i, stampRow[k]);
        else {
          stampGroup[k] = g;
          stampRow[k] = i;
        }
      }
    }
  }
}
