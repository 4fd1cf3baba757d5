// caijin's side of the benchmark: the clause set through the rules engine, the indicators through
// the ledger, in the shape of clause-set.ts.
import { formatYuan, formatFixed, Q } from '@caijin/core';
import { guarantorIndicators, type Bundle } from '@caijin/ledger';
import { computePolicy, loadPolicy } from '@caijin/rules';
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
