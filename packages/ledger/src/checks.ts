// Checks and defaults that combine several cells of one row: enterprise size derived when empty,
// tax_region defaulting to region, date order, and the contract's "with" conditions. Rows that
// already have a cell error are skipped, so one problem gives one error.
import { classifySize, formatDate, formatMonth } from '@caijin/core';
import type { BuiltTable } from './builder.ts';
import { colLabel, type ErrorList } from './errors.ts';
import type { Built } from './refs.ts';
import { columnOf } from './schema.ts';
import type { Column, DictColumn } from './types.ts';

type NumColumn = Extract<Column, { values: Float64Array }>;

function dictCol(t: BuiltTable, key: string): DictColumn {
  return t.table.columns[key] as DictColumn;
}
function numCol(t: BuiltTable, key: string): Float64Array {
  return (t.table.columns[key] as NumColumn).values;
}

/** The value of one cell as text, for messages. */
export function displayValue(t: BuiltTable, key: string, i: number): string {
  const col = t.table.columns[key];
  switch (col.type) {
    case 'bool':
      return col.values[i] < 0 ? '' : col.values[i] ? 'true' : 'false';
    case 'tags':
      return col.tags.filter((_, b) => (col.masks[i] >>> b) & 1).join(';');
    case 'date':
      return Number.isNaN(col.values[i]) ? '' : formatDate(col.values[i]);
    case 'month':
      return Number.isNaN(col.values[i]) ? '' : formatMonth(col.values[i]);
    case 'money':
    case 'rate':
    case 'int':
    case 'year':
      return Number.isNaN(col.values[i]) ? '' : String(col.values[i]);
    default:
      return col.codes[i] < 0 ? '' : col.dict[col.codes[i]];
  }
}

function err(t: BuiltTable, errors: ErrorList, i: number, key: string, errKey: string, zh: string): void {
  errors.add({
    file: t.table.source.file,
    row: t.table.source.rows[i],
    column: key,
    header: t.headers[key],
    value: displayValue(t, key, i),
    key: errKey,
    zh,
  });
}

const NOT_SIZED = new Set(['farmer', 'new_agri_entity', 'business_owner']);

function enterprises(t: BuiltTable, errors: ErrorList, warnings: string[]): void {
  const n = t.table.length;
  const size = dictCol(t, 'size');
  const kind = dictCol(t, 'kind');
  const industry = dictCol(t, 'industry');
  const employees = numCol(t, 'employees');
  const revenue = numCol(t, 'revenue');
  const assets = numCol(t, 'total_assets');
  const sizes = columnOf('enterprises', 'size').values as readonly string[];
  // A file with neither column does not speak about size at all: nothing to derive from.
  const derive = 'size' in t.headers || 'industry' in t.headers;
  if (!derive && n > 0) warnings.push(`${t.table.source.file} 没有“企业规模”（size）和“行业”（industry）列：企业规模未知`);
  for (let i = 0; i < n && derive; i++) {
    if (size.codes[i] >= 0 || t.badRows.has(i)) continue;
    const k = kind.codes[i] >= 0 ? kind.dict[kind.codes[i]] : '';
    // Natural persons and agricultural entities have no 企业规模; an individual business is sized only when its industry is given.
    if (NOT_SIZED.has(k)) continue;
    if (industry.codes[i] < 0) {
      if (k === 'individual_business') continue;
      err(t, errors, i, 'size', 'size.underivable', `${colLabel(t.headers.size, 'size')}为空且无法推算：划型需要${colLabel(t.headers.industry, 'industry')}，但未填写`);
      continue;
    }
    const r = classifySize({
      industry: industry.dict[industry.codes[i]],
      employees: Number.isNaN(employees[i]) ? undefined : employees[i],
      revenueFen: Number.isNaN(revenue[i]) ? undefined : revenue[i],
      totalAssetsFen: Number.isNaN(assets[i]) ? undefined : assets[i],
    });
    if (r.ok) size.codes[i] = sizes.indexOf(r.value);
    else err(t, errors, i, 'size', 'size.underivable', `${colLabel(t.headers.size, 'size')}为空且无法推算：${r.zh}`);
  }
  // tax_region defaults to region.
  const region = dictCol(t, 'region');
  const tax = dictCol(t, 'tax_region');
  const taxIndex = new Map<string, number>();
  tax.dict.forEach((s, c) => taxIndex.set(s, c));
  for (let i = 0; i < n; i++) {
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

function dateOrder(t: BuiltTable, errors: ErrorList, startKey: string, endKey: string): void {
  const s = numCol(t, startKey);
  const e = numCol(t, endKey);
  for (let i = 0; i < t.table.length; i++) {
    if (e[i] < s[i] && !t.badRows.has(i)) {
      err(
        t,
        errors,
        i,
        endKey,
        'date.order',
        `${colLabel(t.headers[endKey], endKey)} ${formatDate(e[i])} 早于${colLabel(t.headers[startKey], startKey)} ${formatDate(s[i])}`,
      );
    }
  }
}

function loans(t: BuiltTable, errors: ErrorList): void {
  dateOrder(t, errors, 'start_date', 'maturity_date');
  const products = t.table.columns.products as Extract<Column, { type: 'tags' }>;
  const bit = products.tags.indexOf('fintech_project');
  const project = dictCol(t, 'fintech_project_id');
  for (let i = 0; i < t.table.length; i++) {
    if ((products.masks[i] >>> bit) & 1 && project.codes[i] < 0 && !t.badRows.has(i)) {
      err(
        t,
        errors,
        i,
        'fintech_project_id',
        'loans.fintech_project_missing',
        `产品标签含 fintech_project（金融科技项目贷），但${colLabel(t.headers.fintech_project_id, 'fintech_project_id')}为空：应填写 fintech_projects 中的项目编号`,
      );
    }
  }
}

function guarantees(t: BuiltTable, errors: ErrorList, warnings: string[]): void {
  dateOrder(t, errors, 'start_date', 'end_date');
  const kind = dictCol(t, 'kind');
  const purpose = dictCol(t, 'purpose');
  const loanCode = kind.dict.indexOf('loan');
  const business = purpose.dict.indexOf('business');
  if (!('purpose' in t.headers)) {
    // A bundle without the column at all: every guarantee is 经营类 (said in the warnings).
    if (t.table.length > 0) {
      purpose.codes.fill(business);
      warnings.push(`${t.table.source.file} 没有“用途”（purpose）列：全部担保按经营类（business）处理`);
    }
    return;
  }
  for (let i = 0; i < t.table.length; i++) {
    if (kind.codes[i] === loanCode && purpose.codes[i] < 0 && !t.badRows.has(i)) {
      err(t, errors, i, 'purpose', 'value.required', `${colLabel(t.headers.purpose, 'purpose')}：借款类担保必须填写用途：business（经营类）或 consumer（消费类）`);
    }
  }
}

/** Per-table checks and defaults; run before refs are resolved. */
export function checkTables(built: Built, errors: ErrorList, warnings: string[]): void {
  if (built.enterprises) enterprises(built.enterprises, errors, warnings);
  if (built.loans) loans(built.loans, errors);
  if (built.guarantees) guarantees(built.guarantees, errors, warnings);
}
