// Compute every clause of a policy for a year: batch amounts, traced explanations, the shared
// finishing steps, and the contract's JSON shape (data-contract §2).

import { formatYuan, Q } from '@caijin/core';
import type { Bundle, TableName } from '@caijin/ledger';
import { DataView } from './data/view.ts';
import type { ClauseDef, PolicyDef } from './policy/types.ts';
import { evaluateBatch } from './eval/batch.ts';
import { evaluateTraced, type TraceStep } from './eval/traced.ts';
import { defineAll, unsetParams } from './eval/context.ts';
import { finish, type FinishedUnit, type PoolOutcome } from './eval/units.ts';
import { literal } from './eval/compile.ts';
import { showValue } from './values.ts';

export interface Award {
  clause: string;
  recipient: string;
  recipient_name?: string;
  /** Yuan with exactly two decimals. */
  amount: string;
  citation: string;
  trace: TraceStep[];
}

export interface ClauseSummary {
  clause: string;
  title: string;
  citation: string;
  variant: string;
  recipient_table: TableName;
  items: number;
  recipients: number;
  total: string;
  pools?: { category?: string; cap: string; requested: string; factor: string | null }[];
  status: 'computed' | 'unset' | 'missing_data' | 'out_of_period';
}

export interface PolicyResult {
  policy: string;
  year: number;
  /** Which data this result was computed from: the bundle's origin and, for a snapshot, its content hash. */
  data: { origin: string; snapshot?: string };
  awards: Award[];
  unset: string[];
  warnings: string[];
  excluded: { clause: string; recipient: string; recipient_name?: string; exclusions: string[]; citation: string }[];
  clauses: ClauseSummary[];
  total: string;
}

export interface ComputeOptions {
  /** Compute traces (default true). Traces come from the independent traced evaluator. */
  trace?: boolean;
  /** Only these clauses. */
  clauses?: string[];
  /** Only trace these recipients (ids). */
  focus?: string[];
  maxTraceRows?: number;
  /** Compute even outside the policy's effective period (benchmarks running several policies on one bundle). */
  ignoreEffectivePeriod?: boolean;
}

function yearOf(text: string | undefined): number | null {
  const m = text ? /^(\d{4})/.exec(String(text)) : null;
  return m ? Number(m[1]) : null;
}

export function computePolicy(policy: PolicyDef, bundle: Bundle, year: number, opts: ComputeOptions = {}): PolicyResult {
  const view = new DataView(bundle, year);
  defineAll(policy, view, year);
  const result: PolicyResult = { policy: policy.id, year, data: { origin: bundle.origin, ...(bundle.hash ? { snapshot: bundle.hash } : {}) }, awards: [], unset: [], warnings: [...bundle.warnings], excluded: [], clauses: [], total: '0.00' };
  const from = yearOf(policy.effective.from);
  const to = yearOf(policy.effective.to);
  const outOfPeriod = !opts.ignoreEffectivePeriod && ((from !== null && year < from) || (to !== null && year > to));
  if (outOfPeriod) {
    result.warnings.push(`年度 ${year} 不在政策有效期内（${policy.effective.from ?? '…'} 至 ${policy.effective.to ?? '…'}），不予计算 [policy.out_of_period]`);
  }
  let grand = 0n;
  for (const clause of policy.clauses) {
    if (opts.clauses && !opts.clauses.includes(clause.id)) continue;
    const summary: ClauseSummary = {
      clause: clause.id,
      title: clause.title,
      citation: clause.citation,
      variant: clause.variant,
      recipient_table: clause.recipientTable,
      items: 0,
      recipients: 0,
      total: '0.00',
      status: 'computed',
    };
    result.clauses.push(summary);
    if (outOfPeriod) {
      summary.status = 'out_of_period';
      continue;
    }
    const unset = unsetParams(clause);
    if (unset.length > 0) {
      result.unset.push(...unset);
      summary.status = 'unset';
      result.warnings.push(`第 ${clause.id} 项（${clause.citation}）需要文件未明确的参数 ${unset.join('、')}，未给定前不予计算 [param.unset]`);
      continue;
    }
    if (!view.has(clause.from)) {
      summary.status = 'missing_data';
      result.warnings.push(`第 ${clause.id} 项需要数据文件 ${clause.from}，本数据包中没有，未计算 [data.missing_file]`);
      continue;
    }
    const { units, pools, traces } = evaluateClause(policy, clause, view, opts);
    summary.items = units.items;
    const idOf = (r: number) => view.rowId(clause.recipientTable, r);
    const nameOf = (r: number) => {
      const f = view.field(clause.recipientTable, ['name']);
      const v = f?.get(r);
      return typeof v === 'string' ? v : undefined;
    };
    const byRecipient = new Map<number, FinishedUnit[]>();
    for (const u of units.finished) {
      const list = byRecipient.get(u.recipient) ?? [];
      list.push(u);
      byRecipient.set(u.recipient, list);
      if (u.excluded.length > 0 && !result.excluded.some((x) => x.clause === clause.id && x.recipient === idOf(u.recipient))) {
        const names = u.excluded.map((n) => policy.exclusions?.list.find((x) => x.name === n)?.zh ?? n);
        result.excluded.push({ clause: clause.id, recipient: idOf(u.recipient), recipient_name: nameOf(u.recipient), exclusions: names, citation: policy.exclusions?.list.find((x) => x.name === u.excluded[0])?.cite ?? '' });
      }
    }
    let clauseTotal = 0n;
    const recipients = [...byRecipient.entries()].sort((a, b) => (idOf(a[0]) < idOf(b[0]) ? -1 : 1));
    for (const [rec, list] of recipients) {
      const fen = list.reduce((a, u) => a + u.final, 0n);
      // Zero awards are left out, except for recipients being explained (the trace says why).
      if (fen === 0n && !opts.focus?.includes(idOf(rec))) continue;
      clauseTotal += fen;
      const trace: TraceStep[] = [];
      for (const u of list) {
        const steps = traces?.get(u) ?? [];
        trace.push(...steps, ...finishingSteps(clause, u, pools));
      }
      result.awards.push({ clause: clause.id, recipient: idOf(rec), recipient_name: nameOf(rec), amount: formatYuan(fen), citation: clause.citation, trace });
    }
    summary.recipients = result.awards.filter((a) => a.clause === clause.id && a.amount !== '0.00').length;
    summary.total = formatYuan(clauseTotal);
    if (pools.length > 0) {
      summary.pools = pools.map((p) => ({
        category: clause.partition ? clause.categories!.list[p.partition].zh : undefined,
        cap: formatYuan(p.cap),
        requested: formatYuan(p.total),
        factor: p.factor ? p.factor.toDecimal(8) : null,
      }));
    }
    if (units.mismatch) result.warnings.push(`第 ${clause.id} 项批量计算与逐项追溯结果不一致：${units.mismatch} [engine.mismatch]`);
    grand += clauseTotal;
  }
  result.unset = [...new Set(result.unset)];
  result.total = formatYuan(grand);
  return result;
}

interface Evaluated {
  units: { finished: FinishedUnit[]; items: number; mismatch?: string };
  pools: PoolOutcome[];
  traces?: Map<FinishedUnit, TraceStep[]>;
}

function evaluateClause(policy: PolicyDef, clause: ClauseDef, view: DataView, opts: ComputeOptions): Evaluated {
  const batch = evaluateBatch(policy, clause, view);
  const awardsFen = (clause.rank?.awards ?? []).map((a) => {
    const v = literal(a.expr);
    return v instanceof Q ? v.round('half_up') : 0n;
  });
  const idOf = (r: number) => view.rowId(clause.recipientTable, r);
  const fin = finish(clause, batch, idOf, awardsFen);
  if (opts.trace === false) return { units: { finished: fin.units, items: batch.items }, pools: fin.pools };

  let focus: Set<number> | undefined;
  if (opts.focus) {
    const ids = new Set(opts.focus);
    focus = new Set(batch.units.filter((u) => ids.has(idOf(u.recipient))).map((u) => u.recipient));
  }
  const traced = evaluateTraced(policy, clause, view, { focus, maxRows: opts.maxTraceRows });
  // The two evaluators must agree on every unit's exact amount; say so loudly if they do not.
  const key = (u: { recipient: number; category: number }) => `${u.recipient}|${u.category}`;
  const exactByKey = new Map(traced.cu.units.map((u, i) => [key(u), { u, i }]));
  let mismatch: string | undefined;
  const traces = new Map<FinishedUnit, TraceStep[]>();
  for (const u of fin.units) {
    const t = exactByKey.get(key(u));
    const a = u.exact;
    const b = t?.u.exact ?? null;
    if (!t || (a === null) !== (b === null) || (a !== null && b !== null && !a.eq(b))) {
      mismatch ??= `${idOf(u.recipient)}: batch ${a?.toString() ?? 'null'} vs traced ${b?.toString() ?? 'null'}`;
    }
    if (t) {
      const steps = traced.traces.get(t.i);
      if (steps) traces.set(u, steps);
    }
  }
  if (traced.cu.units.length !== fin.units.length) mismatch ??= `units ${fin.units.length} vs ${traced.cu.units.length}`;
  return { units: { finished: fin.units, items: batch.items, mismatch }, pools: fin.pools, traces };
}

function finishingSteps(clause: ClauseDef, u: FinishedUnit, pools: PoolOutcome[]): TraceStep[] {
  const steps: TraceStep[] = [];
  const cite = clause.citation;
  if (clause.rank) {
    if (u.rank) {
      const tie = (u.tied ?? 1) > 1 ? `，与另外 ${(u.tied ?? 1) - 1} 家并列，并列名次的奖励合计后平分` : '';
      steps.push({ label: '排名奖励', value: `${formatYuan(u.rounded)} 元`, cite, note: `第 ${u.rank} 名${tie}；${clause.rank.text}` });
    } else steps.push({ label: '排名奖励', value: '0.00 元', cite, note: '未进入获奖名次或指标不大于零' });
  } else if (u.exact !== null) {
    const mode = { half_up: '四舍五入', half_even: '银行家舍入', down: '舍去', up: '进位' }[clause.rounding];
    steps.push({ label: '取整到分', value: `${formatYuan(u.rounded)} 元`, cite, note: `精确值 ${showValue(u.exact, 'money')}，按“${mode}”取到分` });
  }
  const pool = pools.find((p) => (clause.partition ? p.partition === u.category : true));
  if (clause.pool && pool) {
    if (pool.factor) {
      steps.push({
        label: '资金总额控制',
        value: `${formatYuan(u.final)} 元`,
        cite,
        note: `${clause.pool.text}：申请合计 ${formatYuan(pool.total)} 元超过上限 ${formatYuan(pool.cap)} 元，统一按系数 ${pool.factor.toDecimal(8)} 同比例核减，分位按最大余数法分配，各项合计恰等于上限`,
      });
    } else {
      steps.push({ label: '资金总额控制', value: `${formatYuan(u.final)} 元`, cite, note: `${clause.pool.text}：申请合计 ${formatYuan(pool.total)} 元未超过上限 ${formatYuan(pool.cap)} 元，不核减` });
    }
  }
  return steps;
}
