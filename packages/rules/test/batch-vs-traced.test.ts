// Property: the columnar batch evaluator and the row-wise traced interpreter give the same fen for
// every recipient of every clause, over generated bundles, parameter values and variants.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBundle, type DemoCity } from '@caijin/demo-data';
import { loadBundle, type Bundle } from '@caijin/ledger';
import { loadPolicy } from '../src/policy/load.ts';
import { DataView } from '../src/data/view.ts';
import { defineAll, unsetParams } from '../src/eval/context.ts';
import { evaluateBatch } from '../src/eval/batch.ts';
import { evaluateTraced } from '../src/eval/traced.ts';
import { finish } from '../src/eval/units.ts';
import { literal } from '../src/eval/compile.ts';
import { Q } from '@caijin/core';

const CITY_POLICY: Record<DemoCity, { policy: string; year: number }> = {
  wenzhou: { policy: 'wenzhou-2022', year: 2022 },
  linhai: { policy: 'linhai-2021', year: 2021 },
  liaocheng: { policy: 'liaocheng-2023', year: 2023 },
};

const bundles = new Map<string, Bundle>();
async function bundleFor(city: DemoCity, seed: number): Promise<Bundle> {
  const key = `${city}:${seed}`;
  const hit = bundles.get(key);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'caijin-prop-'));
  try {
    await generateBundle({ city, size: 'small', seed, out: dir });
    const b = await loadBundle(dir);
    bundles.set(key, b);
    return b;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const openParams = fc.record({
  metric: fc.constantFrom('year_end_balance', 'balance_increment', 'new_loans_amount', 'average_balance'),
  leverage: fc.array(fc.record({ from: fc.integer({ min: 0, max: 20 }), value: fc.integer({ min: 5, max: 15 }) }), { minLength: 1, maxLength: 3 }),
  rdRate: fc.integer({ min: 20, max: 50 }),
  budget: fc.integer({ min: 0, max: 3_000_000 }),
  subsidy: fc.integer({ min: 1, max: 200 }),
  variantPick: fc.nat(),
});

interface OpenParams {
  metric: string;
  leverage: { from: number; value: number }[];
  rdRate: number;
  budget: number;
  subsidy: number;
  variantPick: number;
}

function paramsFor(policy: string, p: OpenParams): Record<string, string> {
  const leverage = JSON.stringify(
    [...new Map(p.leverage.map((b) => [b.from, b])).values()].sort((a, b) => a.from - b.from).map((b) => ({ from: b.from, value: (b.value / 10).toFixed(1) })),
  );
  if (policy === 'wenzhou-2022') return { '2.metric': p.metric, '8.leverage_coefficient': leverage };
  if (policy === 'linhai-2021') return { '1.rate': `${p.rdRate}%`, '15.budget': String(p.budget) };
  return { '8.subsidy_rate': `${(p.subsidy / 100).toFixed(2)}%` };
}

describe('batch and traced evaluation agree to the fen', () => {
  for (const city of ['wenzhou', 'linhai', 'liaocheng'] as DemoCity[]) {
    it(`${city}: every clause, generated bundles`, async () => {
      const { policy: policyId, year } = CITY_POLICY[city];
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 4 }), openParams, async (seed, p) => {
          const base = loadPolicy(policyId);
          const variants: Record<string, string> = {};
          for (const c of base.clauses) {
            const names = Object.keys(c.variants.options);
            variants[c.id] = names[p.variantPick % names.length];
          }
          const policy = loadPolicy(policyId, { params: paramsFor(policyId, p), variants });
          const bundle = await bundleFor(city, seed);
          const view = new DataView(bundle, year);
          defineAll(policy, view, year);
          let nonzero = 0;
          for (const clause of policy.clauses) {
            expect(unsetParams(clause)).toEqual([]);
            const idOf = (r: number) => view.rowId(clause.recipientTable, r);
            const awards = (clause.rank?.awards ?? []).map((a) => (literal(a.expr) as Q).round('half_up'));
            const batch = finish(clause, evaluateBatch(policy, clause, view), idOf, awards);
            const traced = finish(clause, evaluateTraced(policy, clause, view).cu, idOf, awards);
            const show = (us: typeof batch.units) =>
              us
                .map((u) => `${idOf(u.recipient)}|${u.category}|${u.exact?.toString() ?? '-'}|${u.final}`)
                .sort();
            expect(show(traced.units)).toEqual(show(batch.units));
            nonzero += batch.units.filter((u) => u.final > 0n).length;
          }
          // The generated data must exercise the clauses, or the property proves little.
          expect(nonzero).toBeGreaterThan(3);
        }),
        { numRuns: 8, seed: 20221, endOnFailure: true },
      );
    });
  }
});
