// One engine, one process: load the data, compute the clause set, report times, peak memory and
// the results (as a JSON file for the orchestrator to compare). Run by bench/run.ts.
import { writeFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
import { loadBundle } from '@caijin/ledger';
import { caijinCompute } from './caijin.ts';
import type { EngineResult } from './clause-set.ts';

const [engine, data, out, conn] = process.argv.slice(2);

function save(r: EngineResult, loadMs: number, computeMs: number): void {
  writeFileSync(
    out,
    JSON.stringify({
      engine,
      loadMs,
      computeMs,
      maxRssMB: Math.round(resourceUsage().maxRSS / 1024),
      awards: [...r.awards],
      indicators: [...r.indicators],
    }),
  );
}

if (engine === 'caijin-parallel') {
  const { caijinComputeParallel } = await import('./caijin.ts');
  const r = await caijinComputeParallel(data);
  save(r.result, r.loadMs, r.computeMs);
} else if (engine === 'caijin') {
  const t0 = performance.now();
  const bundle = await loadBundle(data);
  const t1 = performance.now();
  const r = caijinCompute(bundle);
  save(r, t1 - t0, performance.now() - t1);
} else if (engine === 'duckdb') {
  const { duckdbRun } = await import('./peers/duckdb.ts');
  const r = await duckdbRun(data);
  save(r.result, r.loadMs, r.computeMs);
} else if (engine === 'polars') {
  const { polarsRun } = await import('./peers/polars.ts');
  const r = await polarsRun(data);
  save(r.result, r.loadMs, r.computeMs);
} else if (engine === 'postgres') {
  const { postgresRun } = await import('./peers/postgres.ts');
  const r = await postgresRun(data, conn);
  save(r.result, r.loadMs, r.computeMs);
} else {
  console.error(`unknown engine ${engine}`);
  process.exit(2);
}
