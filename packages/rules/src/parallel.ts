// Both cores where it pays: clauses over loans (the 10^8 monthly balance rows) and clauses over
// guarantees and the rest touch disjoint heavy tables, so they run in two worker threads, each
// loading from the snapshot only the tables its clauses read. Results are the same PolicyResult
// as computePolicy's (the worker calls it), merged per policy in the order given.

import { Worker } from 'node:worker_threads';
import { Q } from '@caijin/core';
import type { GuarantorIndicators, TableName } from '@caijin/ledger';
import type { ComputeOptions, PolicyResult } from './run.ts';
import type { LoadOptions } from './policy/load.ts';

export interface PolicyJob {
  policy: string;
  clauses: string[];
  load?: LoadOptions;
}

export interface WorkerTask {
  snapshot: string;
  tables: TableName[];
  year: number;
  jobs: PolicyJob[];
  opts: ComputeOptions;
  /** Also compute the guarantor indicators of the year (the worker holding the guarantee tables). */
  indicators?: boolean;
}

/** Indicators cross the thread boundary with their exact ratios as [numerator, denominator] text. */
export type WireIndicators = Record<string, unknown>[];

export function indicatorsToWire(list: GuarantorIndicators[]): WireIndicators {
  return list.map((g) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v instanceof Q ? { q: [v.n.toString(), v.d.toString()] } : v])));
}

function indicatorsFromWire(list: WireIndicators): GuarantorIndicators[] {
  return list.map(
    (g) =>
      Object.fromEntries(
        Object.entries(g).map(([k, v]) => {
          const q = v && typeof v === 'object' && 'q' in v ? (v as { q: [string, string] }).q : null;
          return [k, q ? new Q(BigInt(q[0]), BigInt(q[1])) : v];
        }),
      ) as unknown as GuarantorIndicators,
  );
}

const COMMON: TableName[] = ['institutions', 'institution_years', 'enterprises', 'fintech_projects'];
const LOAN_FAMILY: TableName[] = ['loans', 'loan_balances', 'loan_losses'];
const GUARANTEE_FAMILY: TableName[] = ['guarantees', 'guarantee_balances', 'guarantee_events'];
const OTHER: TableName[] = ['outlets', 'special_branches', 'insurance_products', 'insurance_policies', 'securitizations', 'supply_chain_financings'];

/** Which side a clause's rows come from: `from` decides (relations only reach small tables). */
export function familyOf(from: TableName): 'loans' | 'rest' {
  return from === 'loans' || from === 'loan_balances' || from === 'loan_losses' ? 'loans' : 'rest';
}

export interface WorkerTiming {
  tables: TableName[];
  loadMs: number;
  computeMs: number;
}

function runWorker(task: WorkerTask): Promise<{ results: PolicyResult[]; timing: WorkerTiming; indicators?: GuarantorIndicators[] }> {
  return new Promise((resolvePromise, reject) => {
    const w = new Worker(new URL('./parallel-worker.ts', import.meta.url), { workerData: task });
    w.once('message', (m: { ok: true; results: PolicyResult[]; loadMs: number; computeMs: number; indicators?: WireIndicators } | { ok: false; error: string }) => {
      if (m.ok) resolvePromise({ results: m.results, timing: { tables: task.tables, loadMs: m.loadMs, computeMs: m.computeMs }, indicators: m.indicators ? indicatorsFromWire(m.indicators) : undefined });
      else reject(new Error(m.error));
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`compute worker exited with ${code}`));
    });
  });
}

/**
 * Compute the jobs from a snapshot in two workers (loan clauses | the rest). `fromOf` tells each
 * clause's item table, so this module needs no policy loading of its own. With `indicators`, the
 * worker holding the guarantee tables also returns the year's guarantor indicators: clauses that
 * read 放大倍数 have computed them there already, and no third thread loads those tables again.
 */
export async function computeInWorkers(
  snapshot: string,
  year: number,
  jobs: PolicyJob[],
  fromOf: (policy: string, clause: string) => TableName,
  opts: ComputeOptions = {},
  extra: { indicators?: boolean } = {},
): Promise<{ results: PolicyResult[]; timings: WorkerTiming[]; indicators?: GuarantorIndicators[] }> {
  const split = { loans: [] as PolicyJob[], rest: [] as PolicyJob[] };
  for (const j of jobs) {
    for (const side of ['loans', 'rest'] as const) {
      const clauses = j.clauses.filter((c) => familyOf(fromOf(j.policy, c)) === side);
      if (clauses.length > 0) split[side].push({ ...j, clauses });
    }
  }
  const tasks: WorkerTask[] = [];
  if (split.loans.length) tasks.push({ snapshot, year, jobs: split.loans, opts, tables: [...COMMON, ...LOAN_FAMILY] });
  if (split.rest.length || extra.indicators) tasks.push({ snapshot, year, jobs: split.rest, opts, tables: [...COMMON, ...GUARANTEE_FAMILY, ...OTHER], indicators: extra.indicators });
  const done = await Promise.all(tasks.map(runWorker));
  const parts = done.map((d) => d.results);
  // Merge per policy: clause summaries and awards in clause order of the jobs.
  const merged: PolicyResult[] = [];
  for (const j of jobs) {
    const pieces = parts.flat().filter((r) => r.policy === j.policy);
    const base = pieces[0];
    if (!base) continue;
    const out: PolicyResult = { ...base, awards: [], clauses: [], unset: [], warnings: [], excluded: [] };
    for (const clause of j.clauses) {
      for (const r of pieces) {
        out.awards.push(...r.awards.filter((a) => a.clause === clause));
        out.clauses.push(...r.clauses.filter((c) => c.clause === clause));
        out.excluded.push(...r.excluded.filter((x) => x.clause === clause));
      }
    }
    for (const r of pieces) {
      out.unset.push(...r.unset);
      out.warnings.push(...r.warnings);
    }
    out.unset = [...new Set(out.unset)];
    out.warnings = [...new Set(out.warnings)];
    const fen = out.clauses.reduce((a, c) => a + BigInt(c.total.replace('.', '')), 0n);
    const s = fen.toString().padStart(3, '0');
    out.total = `${s.slice(0, -2)}.${s.slice(-2)}`;
    merged.push(out);
  }
  return { results: merged, timings: done.map((d) => d.timing), indicators: done.find((d) => d.indicators)?.indicators };
}
