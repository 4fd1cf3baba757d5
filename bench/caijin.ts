// caijin's side of the benchmark: the clause set through the rules engine, the indicators through
// the ledger, in the shape of clause-set.ts.
import { formatYuan, formatFixed, Q } from '@caijin/core';
import { guarantorIndicators, type Bundle } from '@caijin/ledger';
import { computeInWorkers, computePolicy, loadPolicy } from '@caijin/rules';
import type { TableName } from '@caijin/ledger';
import { BENCH_YEAR, CLAUSES, INDICATORS, PARAMS, type EngineResult } from './clause-set.ts';

export function indicatorText(name: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Q) {
    if (name === 'liabilityBalance') return formatYuan(v.round('half_up')); // fen → yuan; exact fen is compared
    return formatFixed(v, 8);
  }
  if (typeof v === 'number') return name === 'newAmount' ? formatYuan(v) : String(v);
  return String(v);
}

export function caijinCompute(bundle: Bundle): EngineResult {
  const awards = new Map<string, string>();
  for (const policyId of [...new Set(CLAUSES.map((c) => c.policy))]) {
    const clauses = CLAUSES.filter((c) => c.policy === policyId).map((c) => c.clause);
    const policy = loadPolicy(policyId, { params: PARAMS[policyId] });
    const r = computePolicy(policy, bundle, BENCH_YEAR, { trace: false, clauses, ignoreEffectivePeriod: true });
    for (const a of r.awards) if (a.amount !== '0.00') awards.set(`${policyId}/${a.clause}|${a.recipient}`, a.amount);
  }
  const indicators = new Map<string, string>();
  for (const g of guarantorIndicators(bundle, BENCH_YEAR)) {
    for (const name of INDICATORS) indicators.set(`${g.id}|${name}`, indicatorText(name, (g as unknown as Record<string, unknown>)[name]));
  }
  return { awards, indicators };
}

/**
 * The same from a snapshot on both cores: loan clauses in one worker, the rest and the evaluation
 * indicators in another.
 */
export async function caijinComputeParallel(snapshot: string): Promise<{ result: EngineResult; loadMs: number; computeMs: number }> {
  const t0 = performance.now();
  const jobs = [...new Set(CLAUSES.map((c) => c.policy))].map((policy) => ({
    policy,
    clauses: CLAUSES.filter((c) => c.policy === policy).map((c) => c.clause),
    load: { params: PARAMS[policy] },
  }));
  const froms = new Map<string, TableName>();
  for (const j of jobs) for (const c of loadPolicy(j.policy, j.load).clauses) froms.set(`${j.policy}/${c.id}`, c.from);
  // The guarantor indicators come from the worker that holds the guarantee tables (clause 8's
  // 放大倍数 has computed them there already).
  const { results, timings, indicators: list } = await computeInWorkers(snapshot, BENCH_YEAR, jobs, (p, c) => froms.get(`${p}/${c}`)!, { trace: false, ignoreEffectivePeriod: true }, { indicators: true });
  const indicators = new Map<string, string>();
  for (const g of list ?? []) {
    for (const name of INDICATORS) indicators.set(`${g.id}|${name}`, indicatorText(name, (g as unknown as Record<string, unknown>)[name]));
  }
  const awards = new Map<string, string>();
  for (const r of results) for (const a of r.awards) if (a.amount !== '0.00') awards.set(`${r.policy}/${a.clause}|${a.recipient}`, a.amount);
  const wall = performance.now() - t0;
  // Loading overlaps computing across threads: report the longest worker load as load, the rest of the wall time as compute.
  const loadMs = Math.max(...timings.map((t) => t.loadMs));
  return { result: { awards, indicators }, loadMs, computeMs: wall - loadMs };
}
