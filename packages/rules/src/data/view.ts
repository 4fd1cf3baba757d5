// Read access to an accepted bundle for one evaluation year: typed values per row, the year's
// derived quantities, and relations through foreign keys. Both evaluators read data only here.

import {
  RATE_SCALE,
  guaranteeEventSums,
  guarantorIndicators,
  loanLossSums,
  yearBalances,
  balanceSumOfRows,
  balanceSummary,
  dictEntry,
  type Bundle,
  type Column,
  type Table,
  type TableName,
} from '@caijin/ledger';
import { Q, daysOf } from '@caijin/core';
import type { Ty } from '../expr/types.ts';
import type { V } from '../values.ts';
import { columnType, findColumn, relationColumn } from './catalog.ts';

export interface Field {
  type: Ty;
  get(i: number): V;
  /** For bool fields that can: 1 true, 0 false, -1 empty, without boxing a value per row. */
  truth?(i: number): number;
}

const EMPTY: Table['columns'] = {};
const DERIVED = new WeakMap<Bundle, Map<string, unknown>>();

export class DataView {
  readonly bundle: Bundle;
  readonly year: number;
  private readonly cache = new Map<string, unknown>();
  private readonly defined = new Map<string, Field>();

  constructor(bundle: Bundle, year: number) {
    this.bundle = bundle;
    this.year = year;
  }

  has(table: TableName): boolean {
    return this.bundle.tables[table] !== undefined;
  }
  length(table: TableName): number {
    return this.bundle.tables[table]?.length ?? 0;
  }
  private columns(table: TableName): Table['columns'] {
    return this.bundle.tables[table]?.columns ?? EMPTY;
  }

  /** The row's own id (or a composite description) for traces and output. */
  rowId(table: TableName, i: number): string {
    const c = this.columns(table).id;
    if (c && 'codes' in c) {
      const code = c.codes[i];
      if (code >= 0) return dictEntry(c, code);
    }
    return `${table}#${i + 1}`;
  }

  /** file:row of a row, for traces that cite the input. */
  rowSource(table: TableName, i: number): string {
    const t = this.bundle.tables[table];
    return t ? `${t.source.file}:${t.source.rows[i]}` : '';
  }

  /** A policy definition becomes a field of its table (compiled by the evaluator). */
  define(table: TableName, name: string, field: Field): void {
    this.defined.set(`${table}.${name}`, field);
  }

  /** The referenced row index of a foreign-key column, per row (-1 = none). */
  refIndex(table: TableName, column: string): Int32Array {
    const c = this.columns(table)[column] as Column | undefined;
    if (c && 'refIndex' in c && c.refIndex) return c.refIndex;
    return new Int32Array(this.length(table)).fill(-1);
  }

  field(table: TableName, path: readonly string[]): Field | undefined {
    const key = `${table}:${path.join('.')}`;
    const hit = this.cache.get(key) as Field | undefined;
    if (hit) return hit;
    const f = this.resolve(table, path);
    if (f) this.cache.set(key, f);
    return f;
  }

  /** Dictionary codes of a text column (through relations), for comparisons without strings. */
  codes(table: TableName, path: readonly string[]): { get(i: number): number; dict: readonly string[] } | undefined {
    const [head, ...rest] = path;
    if (rest.length > 0) {
      const rel = relationColumn(table, head);
      if (!rel?.ref) return undefined;
      const inner = this.codes(rel.ref, rest);
      if (!inner) return undefined;
      const idx = this.refIndex(table, rel.key);
      return {
        get: (i) => (idx[i] < 0 ? -1 : inner.get(idx[i])),
        get dict() {
          return inner.dict;
        },
      };
    }
    if (!findColumn(table, head)) return undefined;
    const c = this.columns(table)[head] as Column | undefined;
    if (!c || !('codes' in c)) return undefined;
    const codes = c.codes;
    // The dictionary is read only when a comparison needs it: a snapshot decodes millions of ids lazily.
    return {
      get: (i) => codes[i],
      get dict() {
        return c.dict;
      },
    };
  }

  /**
   * A bool field (stored column or policy definition, through relations) as 1 / 0 / -1 (empty), for
   * `x = true` tests without a value per row.
   */
  truth(table: TableName, path: readonly string[]): ((i: number) => number) | undefined {
    const [head, ...rest] = path;
    if (rest.length > 0) {
      const rel = relationColumn(table, head);
      if (!rel?.ref) return undefined;
      const inner = this.truth(rel.ref, rest);
      if (!inner) return undefined;
      const idx = this.refIndex(table, rel.key);
      return (i) => (idx[i] < 0 ? -1 : inner(idx[i]));
    }
    const col = findColumn(table, head);
    if (col) {
      const c = this.columns(table)[head] as Column | undefined;
      if (!c || c.type !== 'bool') return undefined;
      const vals = c.values;
      return (i) => (vals[i] < 0 ? -1 : vals[i] === 1 ? 1 : 0);
    }
    const def = this.defined.get(`${table}.${head}`) ?? this.field(table, [head]);
    return def?.truth ? def.truth : undefined;
  }

  /** The tag bit mask of a tags column, for has(tags, "x") without building tag lists. */
  mask(table: TableName, path: readonly string[]): { get(i: number): number; tags: readonly string[] } | undefined {
    if (path.length !== 1) return undefined;
    const c = this.columns(table)[path[0]] as Column | undefined;
    if (!c || c.type !== 'tags') return undefined;
    const masks = c.masks;
    return { get: (i) => masks[i], tags: c.tags };
  }

  /**
   * A numeric field as an integer numerator over a fixed denominator (fen, counts, 月均余额 = sum/12),
   * for sums in float arithmetic that stay exact below 2^53. NaN = empty.
   */
  numeric(table: TableName, path: readonly string[]): { get(i: number): number; den: number } | undefined {
    if (path.length === 2) {
      // Through a relation (borrower.annual_sales): empty when the foreign key is.
      const rel = relationColumn(table, path[0]);
      if (!rel?.ref) return undefined;
      const inner = this.numeric(rel.ref, path.slice(1));
      if (!inner) return undefined;
      const idx = this.refIndex(table, rel.key);
      const get = inner.get;
      return { get: (i) => (idx[i] < 0 ? NaN : get(idx[i])), den: inner.den };
    }
    if (path.length !== 1) return undefined;
    const [name] = path;
    const col = findColumn(table, name);
    if (col) {
      const c = this.columns(table)[name] as Column | undefined;
      if (!c || !('values' in c) || c.type === 'bool') return undefined;
      const vals = c.values as Float64Array;
      if (c.type === 'rate') return { get: (i) => vals[i], den: RATE_SCALE };
      // Money, counts, years, days and month indexes are all stored as integers.
      return { get: (i) => vals[i], den: 1 };
    }
    if (table === 'loans' || table === 'guarantees') {
      if (name === 'avg_balance') {
        const sums = this.sum12(table);
        return { get: (i) => sums[i], den: 12 };
      }
      if (name === 'balance_end') {
        const a = this.yearEnd(table);
        return { get: (i) => a[i], den: 1 };
      }
      if (name === 'balance_prev_end') {
        const a = this.summary(table).prevDec;
        return { get: (i) => a[i], den: 1 };
      }
    }
    if (table === 'loans' && name === 'principal_loss') {
      const a = this.memo('loss', () => loanLossSums(this.bundle, this.year));
      return { get: (i) => a[i], den: 1 };
    }
    if (table === 'guarantees' && (name === 'released' || name === 'compensated' || name === 'recovered')) {
      const ev = this.memo('events', () => guaranteeEventSums(this.bundle, this.year));
      const a = ev[name];
      return { get: (i) => a[i], den: 1 };
    }
    return undefined;
  }

  private sum12(table: 'loans' | 'guarantees'): Float64Array {
    return this.summary(table).sum12;
  }

  private resolve(table: TableName, path: readonly string[]): Field | undefined {
    const [head, ...rest] = path;
    if (rest.length > 0) {
      const rel = relationColumn(table, head);
      if (!rel?.ref) return undefined;
      const target = this.field(rel.ref, rest);
      if (!target) return undefined;
      const idx = this.refIndex(table, rel.key);
      return { type: target.type, get: (i) => (idx[i] < 0 ? null : target.get(idx[i])) };
    }
    const schema = findColumn(table, head);
    if (schema) return this.columnField(table, head, columnType(schema));
    const def = this.defined.get(`${table}.${head}`);
    if (def) return def;
    return this.virtualField(table, head);
  }

  private columnField(table: TableName, key: string, type: Ty): Field {
    const c = this.columns(table)[key] as Column | undefined;
    if (!c) return { type, get: () => null };
    switch (c.type) {
      case 'money':
      case 'int':
      case 'year':
      case 'date':
      case 'month': {
        const vals = c.values;
        return { type, get: (i) => (Number.isNaN(vals[i]) ? null : Q.int(vals[i])) };
      }
      case 'rate': {
        const vals = c.values;
        return { type, get: (i) => (Number.isNaN(vals[i]) ? null : Q.of(vals[i], RATE_SCALE)) };
      }
      case 'bool': {
        const vals = c.values;
        return { type, get: (i) => (vals[i] < 0 ? null : vals[i] === 1) };
      }
      case 'tags': {
        const { masks, tags } = c;
        const memo = new Map<number, V>();
        return {
          type,
          get: (i) => {
            const m = masks[i];
            let v = memo.get(m);
            if (!v) {
              v = { tags: tags.filter((_, b) => (m & (1 << b)) !== 0) };
              memo.set(m, v);
            }
            return v;
          },
        };
      }
      default: {
        const { codes, dict } = c;
        return { type, get: (i) => (codes[i] < 0 ? null : dict[codes[i]]) };
      }
    }
  }

  /** Month-end balances of the evaluation year, n×12 (fen). */
  monthBalances(table: 'loans' | 'guarantees'): Float64Array {
    return this.memo(`bal:${table}`, () => yearBalances(this.bundle, table, this.year));
  }

  /** Sums, Decembers and row ranges in one sequential pass (no 12-month matrix unless asked for). */
  private summary(table: 'loans' | 'guarantees') {
    return this.memo(`sum:${table}`, () => balanceSummary(this.bundle, table, this.year));
  }

  /** December of the evaluation year. */
  private yearEnd(table: 'loans' | 'guarantees'): Float64Array {
    return this.summary(table).dec;
  }

  /** Sum of row i's month-end balances from month index `from` to December (balance_sum_from). */
  balanceSumFrom(table: 'loans' | 'guarantees', i: number, from: number): number {
    const s = this.summary(table);
    const start = Math.max(0, from - this.year * 12);
    if (s.first && s.last) return balanceSumOfRows(this.bundle, table, this.year, s.first[i], s.last[i], start);
    const m = this.monthBalances(table);
    let sum = 0;
    for (let k = start; k < 12; k++) sum += m[i * 12 + k];
    return sum;
  }

  /** Derived arrays are shared by every view of the same bundle and year (policies, clauses). */
  private memo<T>(key: string, make: () => T): T {
    let shared = DERIVED.get(this.bundle);
    if (!shared) {
      shared = new Map();
      DERIVED.set(this.bundle, shared);
    }
    const k = `${this.year}:${key}`;
    let v = shared.get(k) as T | undefined;
    if (v === undefined) {
      v = make();
      shared.set(k, v);
    }
    return v;
  }

  private moneyArray(arr: Float64Array): Field {
    return { type: 'money', get: (i) => Q.int(arr[i]) };
  }

  private virtualField(table: TableName, name: string): Field | undefined {
    const y = this.year;
    if (table === 'loans' || table === 'guarantees') {
      switch (name) {
        case 'avg_balance': {
          const sums = this.sum12(table);
          return { type: 'money', get: (i) => Q.of(sums[i], 12) };
        }
        case 'balance_end':
          return this.moneyArray(this.yearEnd(table));
        case 'balance_prev_end':
          return this.moneyArray(this.summary(table).prevDec);
        case 'issued': {
          const start = this.columns(table).start_date as Column | undefined;
          const vals = start && 'values' in start ? (start.values as Float64Array) : null;
          // Issued in the year: start_date within [1 Jan, 1 Jan next year), compared as day numbers.
          const d0 = daysOf(y, 1, 1);
          const d1 = daysOf(y + 1, 1, 1);
          const truth = (i: number) => (vals === null || Number.isNaN(vals[i]) ? -1 : vals[i] >= d0 && vals[i] < d1 ? 1 : 0);
          return { type: 'bool', get: (i) => (truth(i) < 0 ? null : truth(i) === 1), truth };
        }
      }
    }
    if (table === 'loans' && name === 'principal_loss') {
      return this.moneyArray(this.memo('loss', () => loanLossSums(this.bundle, y)));
    }
    if (table === 'guarantees' && (name === 'released' || name === 'compensated' || name === 'recovered')) {
      const ev = this.memo('events', () => guaranteeEventSums(this.bundle, y));
      return this.moneyArray(ev[name]);
    }
    if (table === 'institutions') {
      if (['registered_capital', 'net_assets', 'guarantee_equity_investment'].includes(name)) {
        const years = this.memo('instYears', () => this.institutionYearIndex());
        const col = this.columns('institution_years')[name] as Column | undefined;
        const vals = col && 'values' in col ? (col.values as Float64Array) : null;
        return {
          type: 'money',
          get: (i) => {
            const r = years[i];
            return r < 0 || vals === null || Number.isNaN(vals[r]) ? null : Q.int(vals[r]);
          },
        };
      }
      if (['liability_balance', 'leverage', 'compensation_rate'].includes(name)) {
        const ind = this.memo('indicators', () => {
          const byInst = new Map<number, Record<string, unknown>>();
          for (const g of guarantorIndicators(this.bundle, y)) byInst.set(g.institution, g as unknown as Record<string, unknown>);
          return byInst;
        });
        const key = name === 'liability_balance' ? 'liabilityBalance' : name === 'leverage' ? 'leverage' : 'compensationRate';
        return {
          type: name === 'liability_balance' ? 'money' : name === 'leverage' ? 'number' : 'rate',
          get: (i) => {
            const v = ind.get(i)?.[key];
            if (v === undefined || v === null) return null;
            return v instanceof Q ? v : typeof v === 'number' ? Q.int(v) : null;
          },
        };
      }
    }
    return undefined;
  }

  /** For each institution row, its institution_years row for the evaluation year (-1 if none). */
  private institutionYearIndex(): Int32Array {
    const n = this.length('institutions');
    const out = new Int32Array(n).fill(-1);
    const iy = this.bundle.tables.institution_years;
    if (!iy) return out;
    const inst = this.refIndex('institution_years', 'institution_id');
    const yc = iy.columns.year as Column;
    const yv = 'values' in yc ? (yc.values as Float64Array) : null;
    for (let r = 0; r < iy.length; r++) {
      if (yv && yv[r] === this.year && inst[r] >= 0) out[inst[r]] = r;
    }
    return out;
  }
}
