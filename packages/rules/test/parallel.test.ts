// Both cores give the same results as one: clauses run in two workers from a snapshot.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBundle } from '@caijin/demo-data';
import { loadBundle, writeSnapshot, type TableName } from '@caijin/ledger';
import { computeInWorkers, computePolicy, loadPolicy, type PolicyJob } from '../src/index.ts';

describe('computeInWorkers', () => {
  it('splits loan clauses from the rest and matches computePolicy award for award', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caijin-par-'));
    try {
      await generateBundle({ city: 'wenzhou', size: 'small', seed: 5, out: join(dir, 'csv') });
      const bundle = await loadBundle(join(dir, 'csv'));
      const { path } = await writeSnapshot(bundle, join(dir, 'snap'));
      const jobs: PolicyJob[] = [
        { policy: 'wenzhou-2022', clauses: ['3.1', '7', '8', '9'], load: { params: { '8.leverage_coefficient': '1' } } },
        { policy: 'linhai-2021', clauses: ['15'], load: { params: { '15.budget': '100000' } } },
      ];
      const froms = new Map<string, TableName>();
      for (const j of jobs) for (const c of loadPolicy(j.policy, j.load).clauses) froms.set(`${j.policy}/${c.id}`, c.from);
      const { results, timings } = await computeInWorkers(path, 2022, jobs, (p, c) => froms.get(`${p}/${c}`)!, { trace: false, ignoreEffectivePeriod: true });
      expect(timings).toHaveLength(2);
      expect(timings.some((t) => t.tables.includes('loan_balances') && !t.tables.includes('guarantees'))).toBe(true);
      for (const j of jobs) {
        const one = computePolicy(loadPolicy(j.policy, j.load), bundle, 2022, { trace: false, clauses: j.clauses, ignoreEffectivePeriod: true });
        const par = results.find((r) => r.policy === j.policy)!;
        const key = (a: { clause: string; recipient: string; amount: string }) => `${a.clause}|${a.recipient}|${a.amount}`;
        expect(par.awards.map(key).sort()).toEqual(one.awards.map(key).sort());
        expect(par.total).toBe(one.total);
        expect(par.awards.length).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
