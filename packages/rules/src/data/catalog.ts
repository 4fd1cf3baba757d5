// What a rule can name on a row of each table: the contract's columns, the year's derived
// quantities (月均余额, 年末余额, 代偿额…), relations through foreign keys, and the policy's own
// definitions. Static (no data needed), so policies are type checked when they load.

import { SCHEMA, type ColumnSchema, type TableName } from '@caijin/ledger';
import type { Ty } from '../expr/types.ts';

export interface VirtualField {
  name: string;
  type: Ty;
  zh: string;
}

/** Quantities derived from the bundle for the evaluation year, per row. */
export const VIRTUAL_FIELDS: Partial<Record<TableName, readonly VirtualField[]>> = {
  loans: [
    { name: 'avg_balance', type: 'money', zh: '当年月均余额（12个月末余额之和÷12）' },
    { name: 'balance_end', type: 'money', zh: '当年末余额' },
    { name: 'balance_prev_end', type: 'money', zh: '上年末余额' },
    { name: 'principal_loss', type: 'money', zh: '当年确认的本金实际损失' },
    { name: 'issued', type: 'bool', zh: '当年发放' },
  ],
  guarantees: [
    { name: 'avg_balance', type: 'money', zh: '当年月均在保余额' },
    { name: 'balance_end', type: 'money', zh: '当年末在保余额' },
    { name: 'balance_prev_end', type: 'money', zh: '上年末在保余额' },
    { name: 'released', type: 'money', zh: '当年解除担保额' },
    { name: 'compensated', type: 'money', zh: '当年代偿额' },
    { name: 'recovered', type: 'money', zh: '当年代偿回收额' },
    { name: 'issued', type: 'bool', zh: '当年新增' },
  ],
  institutions: [
    { name: 'registered_capital', type: 'money', zh: '注册资本' },
    { name: 'net_assets', type: 'money', zh: '年末净资产' },
    { name: 'guarantee_equity_investment', type: 'money', zh: '对其他融资担保机构股权投资' },
    { name: 'liability_balance', type: 'money', zh: '融资担保责任余额（年末）' },
    { name: 'leverage', type: 'number', zh: '融资担保放大倍数' },
    { name: 'compensation_rate', type: 'rate', zh: '代偿率（经营类全部业务）' },
  ],
};

export function columnType(c: ColumnSchema): Ty {
  switch (c.type) {
    case 'money':
      return 'money';
    case 'rate':
      return 'rate';
    case 'int':
    case 'year':
      return 'number';
    case 'date':
      return 'date';
    case 'month':
      return 'month';
    case 'bool':
      return 'bool';
    case 'tags':
      return 'tags';
    default:
      return 'string';
  }
}

/** The relation a foreign-key column opens: `borrower_id` → `borrower`. */
export function relationName(columnKey: string): string | null {
  return columnKey.endsWith('_id') ? columnKey.slice(0, -3) : null;
}

export function findColumn(table: TableName, key: string): ColumnSchema | undefined {
  return SCHEMA[table].columns.find((c) => c.key === key);
}

/** The column behind a relation name on a table (`borrower` on loans → borrower_id). */
export function relationColumn(table: TableName, rel: string): ColumnSchema | undefined {
  const c = findColumn(table, `${rel}_id`);
  return c?.ref ? c : undefined;
}

/**
 * The type of a dotted name on a row of `table`, following relations; `defs` holds the policy's
 * own definitions per table (already typed).
 */
export function fieldType(table: TableName, path: readonly string[], defs: Partial<Record<TableName, Record<string, Ty>>>): Ty | undefined {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    const c = findColumn(table, head);
    if (c) return columnType(c);
    const v = VIRTUAL_FIELDS[table]?.find((f) => f.name === head);
    if (v) return v.type;
    return defs[table]?.[head];
  }
  const rel = relationColumn(table, head);
  if (!rel?.ref) return undefined;
  return fieldType(rel.ref, rest, defs);
}

/**
 * Chinese label of a name on a table, for traces, following relations; `defs` holds the policy's
 * own definitions' labels per table.
 */
export function fieldZh(table: TableName, path: readonly string[], defs: Partial<Record<TableName, readonly { name: string; zh?: string }[]>> = {}): string | undefined {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    return findColumn(table, head)?.zh ?? VIRTUAL_FIELDS[table]?.find((f) => f.name === head)?.zh ?? defs[table]?.find((d) => d.name === head)?.zh;
  }
  const rel = relationColumn(table, head);
  return rel?.ref ? fieldZh(rel.ref, rest, defs) : undefined;
}
