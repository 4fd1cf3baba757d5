// What both evaluators need before they start: parameter values (and which open ones are unset),
// constants, and the policy's definitions compiled as fields of their tables.

import { Q } from '@caijin/core';
import type { TableName } from '@caijin/ledger';
import { refs } from '../expr/ast.ts';
import type { DataView } from '../data/view.ts';
import type { ClauseDef, Let, PolicyDef } from '../policy/types.ts';
import type { V } from '../values.ts';
import { compile, type CompileEnv, type Fn } from './compile.ts';

/** Names shared by every place in a clause: the year, constants and parameters. */
export function commonValue(policy: PolicyDef, clause: ClauseDef, year: number, path: readonly string[]): V | undefined {
  if (path.length !== 1) return undefined;
  const [n] = path;
  if (n === 'this_year') return Q.int(year);
  const p = clause.params[n];
  if (p) return p.default ?? null;
  if (n in policy.constants) return policy.constants[n];
  return undefined;
}

/** Open parameters this clause needs and was not given: `policy/clause.name`. */
export function unsetParams(clause: ClauseDef): string[] {
  const used = new Set<string>();
  const lets: (Let | undefined)[] = [
    clause.where,
    ...clause.item,
    ...(clause.group ? [...clause.group.by, ...clause.group.let, clause.group.allocate.by] : []),
    ...clause.city,
    ...clause.let,
    clause.eligible,
    clause.amount,
    clause.cap?.value,
    clause.pool?.cap,
    ...(clause.rank?.awards ?? []),
    ...(clause.categories?.list.map((c) => c.when) ?? []),
  ];
  for (const lt of lets) if (lt) for (const r of refs(lt.expr)) used.add(r[0]);
  if (clause.rank) used.add(clause.rank.by);
  return Object.values(clause.params)
    .filter((p) => used.has(p.name) && p.default === undefined)
    .map((p) => `${clause.policy}/${clause.id}.${p.name}`);
}

/** A closure environment over the rows of one table (definitions, exclusions, where). */
export function tableEnv(view: DataView, table: TableName, common: (path: readonly string[]) => V | undefined): CompileEnv {
  return {
    ref(path) {
      const f = view.field(table, path);
      if (f) return (i) => f.get(i);
      const c = common(path);
      return c !== undefined ? () => c : undefined;
    },
    scale: (name) => common([name]) ?? null,
    codes: (path) => view.codes(table, path),
    truth: (path) => view.truth(table, path),
    mask: (path) => view.mask(table, path),
    numeric: (path) => view.numeric(table, path),
    constant: (path) => (view.field(table, path) ? undefined : common(path)),
  };
}

/** Register the policy's definitions (e.g. guarantees.small_micro_agri) as fields of the view. */
export function defineAll(policy: PolicyDef, view: DataView, year: number): void {
  for (const [table, defs] of Object.entries(policy.definitions) as [TableName, Let[]][]) {
    for (const d of defs) {
      const common = (path: readonly string[]) => {
        if (path.length === 1 && path[0] === 'this_year') return Q.int(year);
        if (path.length === 1 && path[0] in policy.constants) return policy.constants[path[0]];
        return undefined;
      };
      const fn: Fn = compile(d.expr, tableEnv(view, table, common));
      // A definition is read once per row of its table however many rows point at it. A bool one
      // is kept as one byte per row, so scope tests compare bytes instead of boxed values, and it
      // is computed for the whole table in row order on first use: loans reach their borrowers at
      // random, and at province size the enterprises' columns do not fit in cache, one byte each does.
      const n = view.length(table);
      const type = d.type ?? 'bool';
      if (type === 'bool') {
        let state: Int8Array | undefined;
        const truth = (i: number): number => {
          if (!state) {
            const all = new Int8Array(n);
            for (let r = 0; r < n; r++) {
              const v = fn(r);
              all[r] = v === true ? 1 : v === false ? 0 : -1;
            }
            state = all;
          }
          return state[i];
        };
        const get = (i: number): V => {
          const s = truth(i);
          return s === 1 ? true : s === 0 ? false : null;
        };
        view.define(table, d.name, { type, get, truth });
        continue;
      }
      const done = new Uint8Array(n);
      const vals = new Array<V>(n);
      const get = (i: number): V => {
        if (done[i] === 0) {
          vals[i] = fn(i);
          done[i] = 1;
        }
        return vals[i];
      };
      view.define(table, d.name, { type, get });
    }
  }
}
