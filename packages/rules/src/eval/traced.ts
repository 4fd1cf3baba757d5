// Traced evaluation: the same clause, interpreted row by row over plain lists and maps (a second,
// independent path from the columnar one), recording for each recipient every step with its
// clause, down to the input rows. The property test requires it to give the batch's fen exactly.

import { Q } from '@caijin/core';
import { refs, show, type Expr } from '../expr/ast.ts';
import type { DataView } from '../data/view.ts';
import { fieldZh } from '../data/catalog.ts';
import type { ClauseDef, Let, PolicyDef } from '../policy/types.ts';
import { isQ, minOf, neg, showValue, type V } from '../values.ts';
import { commonValue } from './context.ts';
import { isAggregate, literal, type CallExpr } from './compile.ts';
import { WINDOW_FUNCTIONS, type Ty } from '../expr/types.ts';
import { showInWords } from '../expr/zh.ts';
import { binaryOp, keyOf, scalarCall } from './ops.ts';
import { shareInFen } from './allocate.ts';
import type { ClauseUnits, Unit } from './units.ts';

export interface TraceRow {
  /** file:row of the input */
  source: string;
  id: string;
  values: Record<string, string>;
}

export interface TraceStep {
  label: string;
  expr?: string;
  /** The same formula in words: Chinese labels for names, parameters by their values. */
  exprZh?: string;
  value: string;
  cite: string;
  note?: string;
  rows?: TraceRow[];
  rowsOmitted?: number;
}

interface Env {
  ref(path: string[]): V | undefined;
  scale(name: string): V;
  aggregate?(call: CallExpr): V;
  window?(call: CallExpr): V;
  balanceSumFrom?(month: V): V;
}

export function interpret(e: Expr, env: Env): V {
  const lit = literal(e);
  if (lit !== undefined) return lit;
  switch (e.k) {
    case 'ref': {
      const v = env.ref(e.path);
      if (v === undefined) throw new Error(`cannot resolve '${e.path.join('.')}'`);
      return v;
    }
    case 'list':
      return e.items.map((x) => interpret(x, env));
    case 'neg':
      return neg(interpret(e.arg, env));
    case 'not':
      return interpret(e.arg, env) !== true;
    case 'bin':
      if (e.op === 'and') return interpret(e.left, env) === true && interpret(e.right, env) === true;
      if (e.op === 'or') return interpret(e.left, env) === true || interpret(e.right, env) === true;
      return binaryOp(e.op, interpret(e.left, env), interpret(e.right, env));
    case 'call':
      if (isAggregate(e)) return env.aggregate!(e);
      if (WINDOW_FUNCTIONS.has(e.fn)) return env.window!(e);
      if (e.fn === 'balance_sum_from') return env.balanceSumFrom!(interpret(e.args[0], env));
      if (e.fn === 'if') return interpret(e.args[0], env) === true ? interpret(e.args[1], env) : interpret(e.args[2], env);
      return scalarCall(
        e.fn,
        e.args.map((a) => interpret(a, env)),
        (name) => env.scale(name),
      );
    default:
      throw new Error(`cannot interpret ${show(e)}`);
  }
}

interface Pair {
  item: number;
  cat: number;
  vals: Map<string, V>;
}

export interface TracedOptions {
  /** Recipient rows to trace (others are still evaluated, for pools and ranks). Undefined = all. */
  focus?: Set<number>;
  /** Most input rows listed per step (the rest are counted). */
  maxRows?: number;
}

export function evaluateTraced(policy: PolicyDef, clause: ClauseDef, view: DataView, opts: TracedOptions = {}): { cu: ClauseUnits; traces: Map<number, TraceStep[]> } {
  const from = clause.from;
  const cite = clause.citation;
  const maxRows = opts.maxRows ?? 50;
  const common = (path: readonly string[]) => commonValue(policy, clause, view.year, path);
  const scale = (name: string) => common([name]) ?? null;
  const inWords = (e: Expr) => showInWords(e, (path) => nameInWords(policy, clause, view.year, path));
  const fieldCache = new Map<string, ReturnType<DataView['field']>>();
  const field = (table: Parameters<DataView['field']>[0], path: string[]) => {
    const k = `${table}:${path.join('.')}`;
    if (!fieldCache.has(k)) fieldCache.set(k, view.field(table, path));
    return fieldCache.get(k);
  };
  const rowEnv = (i: number): Env => ({
    ref: (path) => {
      const f = field(from, path);
      return f ? f.get(i) : common(path);
    },
    scale,
    window: (call) => windowValue(call, i),
  });

  const cats = clause.categories?.list ?? [];
  const inScope: number[] = [];
  const pairs: Pair[] = [];
  const n = view.length(from);
  for (let i = 0; i < n; i++) {
    if (clause.where && interpret(clause.where.expr, rowEnv(i)) !== true) continue;
    inScope.push(i);
  }
  // Windows: a map per window expression, over the items in scope.
  const windows = new Map<CallExpr, Map<string, V>>();
  const windowValue = (call: CallExpr, item: number): V => {
    let m = windows.get(call);
    if (!m) {
      m = new Map();
      for (const i of inScope) {
        const k = keyOf(interpret(call.args[0], rowEnv(i)));
        const prev = m.get(k);
        if (call.fn === 'count_over') {
          m.set(k, ((prev as Q | undefined) ?? Q.ZERO).add(Q.ONE));
          continue;
        }
        const v = interpret(call.args[1], rowEnv(i));
        if (v === null) continue;
        if (prev === undefined || prev === null) m.set(k, v);
        else if (call.fn === 'sum_over') m.set(k, (prev as Q).add(v as Q));
        else if (call.fn === 'min_over') m.set(k, (v as Q).lt(prev as Q) ? v : prev);
        else m.set(k, (v as Q).gt(prev as Q) ? v : prev);
      }
      windows.set(call, m);
    }
    return m.get(keyOf(interpret(call.args[0], rowEnv(item)))) ?? null;
  };

  for (const i of inScope) {
    if (!clause.categories) {
      pairs.push({ item: i, cat: -1, vals: new Map() });
      continue;
    }
    const env = rowEnv(i);
    for (let c = 0; c < cats.length; c++) {
      if (interpret(cats[c].when.expr, env) === true) {
        pairs.push({ item: i, cat: c, vals: new Map() });
        if (clause.categories.mode === 'first') break;
      }
    }
  }

  const balanceTable = from === 'loans' || from === 'guarantees' ? from : null;
  const pairEnv = (pr: Pair): Env => ({
    ref(path) {
      if (path.length === 1 && pr.vals.has(path[0])) return pr.vals.get(path[0]);
      if (path[0] === 'category' && clause.categories) return path.length === 1 ? cats[pr.cat].name : (cats[pr.cat].attrs[path[1]] ?? null);
      const f = field(from, path);
      return f ? f.get(pr.item) : common(path);
    },
    scale,
    window: (call) => windowValue(call, pr.item),
    balanceSumFrom: (month) => {
      if (!balanceTable || month === null) return null;
      // Row by row over the 12-month matrix: independent of the batch path's row ranges.
      const m = view.monthBalances(balanceTable);
      let s = 0;
      for (let k = Math.max(0, Number((month as Q).n) - view.year * 12); k < 12; k++) s += m[pr.item * 12 + k];
      return Q.int(s);
    },
  });
  for (const pr of pairs) for (const lt of clause.item) pr.vals.set(lt.name, interpret(lt.expr, pairEnv(pr)));

  const aggregate = (rows: Pair[], call: CallExpr): V => {
    let acc: V = call.fn === 'sum' || call.fn === 'count' ? Q.ZERO : null;
    let count = 0;
    const distinct = new Set<string>();
    for (const pr of rows) {
      const env = pairEnv(pr);
      if (call.where && interpret(call.where, env) !== true) continue;
      if (call.fn === 'count') {
        acc = (acc as Q).add(Q.ONE);
        continue;
      }
      const v = interpret(call.args[0], env);
      if (v === null) continue;
      count++;
      if (call.fn === 'count_distinct') distinct.add(keyOf(v));
      else if (call.fn === 'sum' || call.fn === 'mean') acc = acc === null ? v : (acc as Q).add(v as Q);
      else if (acc === null || (call.fn === 'min' ? (v as Q).lt(acc as Q) : (v as Q).gt(acc as Q))) acc = v;
    }
    if (call.fn === 'count_distinct') return Q.int(distinct.size);
    if (call.fn === 'mean') return count === 0 ? null : (acc as Q).div(Q.int(count));
    return acc;
  };

  // Group stage: a map from the group key to its rows.
  const groupNotes = new Map<Pair, string>();
  if (clause.group) {
    const g = clause.group;
    const groups = new Map<string, Pair[]>();
    for (const pr of pairs) {
      const k = g.by.map((b) => keyOf(interpret(b.expr, pairEnv(pr)))).join('|');
      const list = groups.get(k) ?? [];
      list.push(pr);
      groups.set(k, list);
    }
    for (const rows of groups.values()) {
      const vals = new Map<string, V>();
      const env: Env = {
        ref: (path) => (path.length === 1 && vals.has(path[0]) ? vals.get(path[0]) : pairEnv(rows[0]).ref(path)),
        scale,
        aggregate: (call) => aggregate(rows, call),
      };
      for (const lt of g.let) vals.set(lt.name, interpret(lt.expr, env));
      const value = vals.get(g.allocate.value) ?? null;
      const weights = rows.map((pr) => {
        const w = interpret(g.allocate.by.expr, pairEnv(pr));
        return isQ(w) ? w : Q.ZERO;
      });
      const sumW = weights.reduce((a, b) => a.add(b), Q.ZERO);
      const fen = isQ(value) ? shareInFen(value, weights, rows.length > 1 ? rows.map((pr) => view.rowId(from, pr.item)) : [], clause.rounding) : null;
      const letText = g.let.map((lt) => `${lt.zh ?? lt.name}=${showValue(vals.get(lt.name) ?? null, clause.types[g.allocate.as])}`).join('，');
      const byText = inWords(g.allocate.by.expr);
      rows.forEach((pr, j) => {
        pr.vals.set(g.allocate.as, fen === null ? null : Q.int(fen[j]));
        groupNotes.set(pr, `同组${rows.length}笔，${byText}合计 ${showValue(sumW, clause.types[g.allocate.as])}；${letText}；按${byText}比例分摊到分（最大余数法）`);
      });
    }
  }

  // Recipients (× category when partitioned).
  const recCol = clause.recipient === 'self' ? null : view.refIndex(from, clause.recipient.endsWith('_id') ? clause.recipient : `${clause.recipient}_id`);
  const unitsMap = new Map<string, { rec: number; cat: number; rows: Pair[] }>();
  for (const pr of pairs) {
    const rec = recCol ? recCol[pr.item] : pr.item;
    if (rec < 0) continue;
    const cat = clause.partition ? pr.cat : -1;
    const k = `${rec}|${cat}`;
    let u = unitsMap.get(k);
    if (!u) {
      u = { rec, cat, rows: [] };
      unitsMap.set(k, u);
    }
    u.rows.push(pr);
  }

  // City-wide values per partition.
  const nparts = clause.partition ? cats.length : 1;
  const cityVals: Map<string, V>[] = [];
  const poolCaps: (Q | null)[] = [];
  for (let k = 0; k < nparts; k++) {
    const rows = clause.partition ? pairs.filter((p) => p.cat === k) : pairs;
    const vals = new Map<string, V>();
    const env: Env = {
      ref(path) {
        if (path.length === 1 && vals.has(path[0])) return vals.get(path[0]);
        if (clause.partition && path[0] === 'category') return path.length === 1 ? cats[k].name : (cats[k].attrs[path[1]] ?? null);
        return common(path);
      },
      scale,
      aggregate: (call) => aggregate(rows, call),
    };
    for (const lt of clause.city) vals.set(lt.name, interpret(lt.expr, env));
    cityVals.push(vals);
    if (clause.pool) {
      const v = interpret(clause.pool.cap.expr, env);
      poolCaps.push(isQ(v) ? v : null);
    }
  }

  const exclusions = policy.exclusions && policy.exclusions.appliesTo === clause.recipientTable ? policy.exclusions.list : [];
  const rankBy = clause.rank ? (clause.params[clause.rank.by] ? String(common([clause.rank.by]) ?? '') : clause.rank.by) : null;
  const units: Unit[] = [];
  const traces = new Map<number, TraceStep[]>();
  for (const u of unitsMap.values()) {
    const tracing = !opts.focus || opts.focus.has(u.rec);
    const steps: TraceStep[] = [];
    const vals = new Map<string, V>();
    const env: Env = {
      ref(path) {
        if (path.length === 1 && vals.has(path[0])) return vals.get(path[0]);
        if (path[0] === 'recipient') return path.length === 1 ? view.rowId(clause.recipientTable, u.rec) : field(clause.recipientTable, path.slice(1))?.get(u.rec);
        if (path[0] === 'city' && path.length === 2) return cityVals[clause.partition ? u.cat : 0].get(path[1]);
        if (clause.partition && path[0] === 'category') return path.length === 1 ? cats[u.cat].name : (cats[u.cat].attrs[path[1]] ?? null);
        return common(path);
      },
      scale,
      aggregate: (call) => aggregate(u.rows, call),
    };
    if (tracing) {
      const catText = clause.partition ? `（${cats[u.cat].zh}）` : '';
      steps.push({
        label: `纳入计算的业务${catText}`,
        expr: clause.where?.source,
        exprZh: clause.where && inWords(clause.where.expr),
        value: `${u.rows.length} 笔`,
        cite,
        note: clause.categories ? categoryNote(clause, u.rows.map((r) => r.cat)) : undefined,
        ...inputRows(view, clause, u.rows, maxRows, groupNotes),
      });
    }
    const excluded = exclusions.filter(
      (x) =>
        interpret(x.when.expr, {
          ref: (path) => {
            const f = field(clause.recipientTable, path);
            return f ? f.get(u.rec) : common(path);
          },
          scale,
        }) === true,
    );
    for (const x of excluded) if (tracing) steps.push({ label: `不予享受：${x.zh}`, value: '是', cite: x.cite, expr: x.when.source, exprZh: inWords(x.when.expr) });
    for (const lt of clause.let) {
      const v = interpret(lt.expr, env);
      vals.set(lt.name, v);
      if (tracing) steps.push(letStep(lt, v, clause.types[lt.name], cite, inWords(lt.expr)));
    }
    for (const [name, v] of cityVals[clause.partition ? u.cat : 0]) {
      if (tracing && clause.let.concat(clause.eligible ? [clause.eligible] : [], [clause.amount]).some((lt) => lt.source.includes(`city.${name}`))) {
        const lt = clause.city.find((c) => c.name === name)!;
        steps.push({ label: `全市：${lt.zh ?? name}`, expr: lt.source, exprZh: inWords(lt.expr), value: showValue(v, clause.types[`city.${name}`]), cite });
      }
    }
    let ok = true;
    if (clause.eligible) {
      ok = interpret(clause.eligible.expr, env) === true;
      if (tracing) steps.push({ label: '适用条件', expr: clause.eligible.source, exprZh: inWords(clause.eligible.expr), value: ok ? '符合' : '不符合', cite });
    }
    let exact: V = null;
    if (ok && excluded.length === 0) {
      exact = interpret(clause.amount.expr, env);
      if (tracing && !clause.rank) steps.push({ label: '计算金额', expr: clause.amount.source, exprZh: inWords(clause.amount.expr), value: showValue(exact, 'money'), cite, note: paramNote(clause, clause.amount.expr) });
      if (clause.cap && exact !== null) {
        const c = interpret(clause.cap.value.expr, env);
        const capped = minOf([exact, c]);
        if (tracing) {
          const binds = isQ(capped) && isQ(exact) && capped.lt(exact);
          steps.push({ label: '上限', expr: clause.cap.value.source, exprZh: inWords(clause.cap.value.expr), value: showValue(c, 'money'), cite, note: `${clause.cap.text}${binds ? '：按上限给予' : '：未超过上限'}` });
        }
        exact = capped;
      }
    }
    const metric = rankBy ? (vals.get(rankBy) ?? null) : null;
    const unit: Unit = {
      recipient: u.rec,
      category: u.cat,
      eligible: ok,
      excluded: excluded.map((x) => x.name),
      exact: isQ(exact) ? exact : null,
      metric: isQ(metric) ? metric : null,
    };
    units.push(unit);
    if (tracing) traces.set(units.length - 1, steps);
  }
  return { cu: { units, poolCaps, items: inScope.length, pairs: pairs.length }, traces };
}

/**
 * What a name in a formula is called in words: a step's or item's label, a parameter's value, a
 * column's Chinese label (of the rows counted, then of the recipient); otherwise as written.
 */
function nameInWords(policy: PolicyDef, clause: ClauseDef, year: number, path: string[]): string | undefined {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (head === 'this_year') return `${year}年`;
    const p = clause.params[head];
    if (p) {
      if (p.type === 'scale' || p.type === 'choice') return undefined;
      return p.default === undefined ? `${head}（未设定）` : showValue(p.default, p.type);
    }
    const lt = [...clause.item, ...clause.let, ...(clause.group?.let ?? [])].find((l) => l.name === head);
    if (lt) return lt.zh;
    // The share each row receives in a group stage is named after the amount it shares out.
    if (clause.group?.allocate.as === head) return clause.group.let.find((l) => l.name === clause.group!.allocate.value)?.zh;
  }
  if (head === 'city' && rest.length === 1) {
    const zh = clause.city.find((l) => l.name === rest[0])?.zh;
    return zh && `全市${zh}`;
  }
  if (head === 'recipient') return fieldZh(clause.recipientTable, rest, policy.definitions);
  return fieldZh(clause.from, path, policy.definitions) ?? fieldZh(clause.recipientTable, path, policy.definitions);
}

function letStep(lt: Let, v: V, type: Ty | undefined, cite: string, exprZh: string): TraceStep {
  return { label: lt.zh ?? lt.name, expr: lt.source, exprZh, value: showValue(v, type), cite };
}

/** Parameters the amount depends on (directly or through lets and item values), with their source. */
function paramNote(clause: ClauseDef, e: Expr): string | undefined {
  const notes: string[] = [];
  const used = new Set<string>();
  for (const lt of [...clause.item, ...clause.let, ...(clause.group?.let ?? [])]) for (const r of refs(lt.expr)) used.add(r[0]);
  for (const r of refs(e)) used.add(r[0]);
  for (const p of Object.values(clause.params)) {
    if (!used.has(p.name)) continue;
    const v = p.default === undefined ? '未设定' : showValue(p.default, p.type === 'scale' ? undefined : p.type);
    notes.push(`${p.name} = ${v}${p.note ? `（${p.note}）` : p.text ? `（${p.text}）` : ''}`);
  }
  return notes.length > 0 ? notes.join('；') : undefined;
}

function categoryNote(clause: ClauseDef, cats: number[]): string {
  const list = clause.categories!.list;
  const counts = new Map<number, number>();
  for (const c of cats) counts.set(c, (counts.get(c) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([c, k]) => `${list[c].zh} ${k} 笔`);
  const how = clause.categories!.mode === 'first' ? '每笔业务按条款列举顺序只计入第一个符合的类别' : '每笔业务计入其符合的每个类别';
  return `${parts.join('，')}（${how}）`;
}

/** The input rows behind a recipient, with the values the clause reads from them. */
function inputRows(view: DataView, clause: ClauseDef, rows: Pair[], maxRows: number, groupNotes: Map<Pair, string>): { rows: TraceRow[]; rowsOmitted?: number } {
  const names = new Set<string>();
  if (clause.group) collectRowNames(clause.group.allocate.by.expr, names, true);
  for (const lt of clause.let) collectRowNames(lt.expr, names);
  const shown = rows.slice(0, maxRows).map((pr) => {
    const values: Record<string, string> = {};
    for (const name of names) {
      const v = pr.vals.has(name) ? pr.vals.get(name)! : view.field(clause.from, name.split('.'))?.get(pr.item);
      if (v === undefined) continue;
      const label = fieldZh(clause.from, name.split('.')) ?? clause.item.find((l) => l.name === name)?.zh ?? (clause.group?.allocate.as === name ? clause.group.let.find((l) => l.name === clause.group!.allocate.value)?.zh : undefined) ?? name;
      values[label === name ? name : `${name} ${label}`] = showValue(v, clause.types[name] ?? guessType(view, clause, name));
    }
    if (pr.cat >= 0) values['类别'] = clause.categories!.list[pr.cat].zh;
    const note = groupNotes.get(pr);
    if (note) values['分组'] = note;
    return { source: view.rowSource(clause.from, pr.item), id: view.rowId(clause.from, pr.item), values };
  });
  return rows.length > maxRows ? { rows: shown, rowsOmitted: rows.length - maxRows } : { rows: shown };
}

function guessType(view: DataView, clause: ClauseDef, name: string): string | undefined {
  return view.field(clause.from, name.split('.'))?.type;
}

/** Row-level names used inside aggregates (what each input row contributes). */
function collectRowNames(e: Expr, out: Set<string>, inAgg = false): void {
  switch (e.k) {
    case 'ref':
      if (inAgg) out.add(e.path.join('.'));
      break;
    case 'call': {
      const agg = isAggregate(e);
      e.args.forEach((a) => collectRowNames(a, out, inAgg || agg));
      if (e.where) collectRowNames(e.where, out, inAgg || agg);
      break;
    }
    case 'bin':
      collectRowNames(e.left, out, inAgg);
      collectRowNames(e.right, out, inAgg);
      break;
    case 'neg':
    case 'not':
      collectRowNames(e.arg, out, inAgg);
      break;
    default:
      break;
  }
}
