// Runs the benchmark's clause set (bench/clause-set.ts) on one bundle with caijin, DuckDB, polars
// and PostgreSQL, prints each engine's load and compute time, and the differences of every peer
// from caijin (there must be none: all four agree to the fen and to the 8th decimal).
//
//   node_modules/.bin/node bench/peers/check.ts <bundle-folder> [--postgres <connection-string>]
//
// Without --postgres a throwaway PostgreSQL server is started for the run (bench/peers/pg-server.ts).
// Exit code 0 when every peer agrees with caijin, 1 when one differs, 2 on usage errors.
import { loadBundle } from '@caijin/ledger';
import { caijinCompute } from '../caijin.ts';
import { compareResults, type EngineResult } from '../clause-set.ts';
import type { PeerRun } from './common.ts';
import { duckdbRun } from './duckdb.ts';
import { startPgServer } from './pg-server.ts';
import { polarsRun } from './polars.ts';
import { postgresRun } from './postgres.ts';

const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--postgres');
const pgArg = args.indexOf('--postgres');
if (!dir) {
  console.error('usage: node bench/peers/check.ts <bundle-folder> [--postgres <connection-string>]');
  process.exit(2);
}

async function caijinRun(bundleDir: string): Promise<PeerRun> {
  let t = performance.now();
  const bundle = await loadBundle(bundleDir);
  const loadMs = performance.now() - t;
  t = performance.now();
  const result = caijinCompute(bundle);
  return { loadMs, computeMs: performance.now() - t, result };
}

function summary(r: EngineResult): string {
  const byClause = new Map<string, number>();
  for (const k of r.awards.keys()) {
    const c = k.split('|')[0];
    byClause.set(c, (byClause.get(c) ?? 0) + 1);
  }
  return `${r.awards.size} awards (${[...byClause].map(([c, n]) => `${c}: ${n}`).join(', ')}), ${r.indicators.size} indicator values`;
}

const runs: { name: string; run: PeerRun }[] = [];
const reference = await caijinRun(dir);
runs.push({ name: 'caijin', run: reference });
console.log(`bundle ${dir}: ${summary(reference.result)}`);
runs.push({ name: 'DuckDB', run: await duckdbRun(dir) });
runs.push({ name: 'polars', run: await polarsRun(dir) });

let pgNote = '';
if (pgArg >= 0) {
  runs.push({ name: 'PostgreSQL', run: await postgresRun(dir, args[pgArg + 1]) });
} else {
  const server = await startPgServer();
  pgNote = ` (${server.version}, throwaway server)`;
  try {
    runs.push({ name: 'PostgreSQL', run: await postgresRun(dir, server.connectionString) });
  } finally {
    await server.stop();
  }
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
const ms = (x: number) => `${x.toFixed(0)} ms`.padStart(9);
console.log(`\n${pad('engine', 12)}${'load'.padStart(9)}${'compute'.padStart(9)}${'total'.padStart(9)}  differences from caijin`);
let failed = false;
for (const { name, run } of runs) {
  const diffs = name === 'caijin' ? [] : compareResults(reference.result, run.result, 20);
  if (diffs.length > 0) failed = true;
  const note = name === 'caijin' ? '(reference)' : diffs.length === 0 ? 'none' : `${diffs.length}${diffs.length >= 20 ? '+' : ''}`;
  console.log(`${pad(name, 12)}${ms(run.loadMs)}${ms(run.computeMs)}${ms(run.loadMs + run.computeMs)}  ${note}${name === 'PostgreSQL' ? pgNote : ''}`);
  for (const d of diffs) console.log(`    ${d}`);
}
process.exit(failed ? 1 : 0);
