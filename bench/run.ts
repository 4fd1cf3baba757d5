// `npm run bench`: caijin against DuckDB, polars and PostgreSQL on the same generated data, at
// 1/16, 1/4 and 1 of province size. Writes bench/results/<stamp>.json and bench/results/summary.md.
// Never part of `npm test`. Options: --sizes 0.0625,0.25,1  --engines caijin,duckdb,polars,postgres
//   --skip-ingest  --keep-data (bench/data is reused between runs; delete it to regenerate)
//   --out <dir>: write the results (and the engines' scratch files) there instead of bench/results,
//   so a run over shared, read-only data writes nothing next to it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBundle } from '@caijin/demo-data';
import { loadBundle, writeSnapshot } from '@caijin/ledger';
import { compareResults, type EngineResult } from './clause-set.ts';
import type { Phase } from './ingest.ts';

const here = resolve(fileURLToPath(new URL('.', import.meta.url)));
const root = resolve(here, '..');
const node = process.execPath;
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('sizes', '0.01,0.0625,0.25,1').split(',').map(Number);
const phases = arg('phases', 'csv,gbk,xlsx,snapshot,duckdb').split(',');
const engines = arg('engines', 'caijin,caijin-parallel,duckdb,polars,postgres').split(',');
const skipIngest = process.argv.includes('--skip-ingest');
const dataRoot = join(here, 'data');
const outArg = process.argv.includes('--out') ? resolve(arg('out', '')) : null;
const resultsDir = outArg ?? join(here, 'results');
const scratchDir = outArg ?? dataRoot;
mkdirSync(resultsDir, { recursive: true });

interface EngineRun {
  engine: string;
  loadMs: number;
  computeMs: number;
  maxRssMB: number;
  agreesWithCaijin?: boolean;
  diffs?: string[];
  error?: string;
}

function runEngine(engine: string, data: string, conn?: string): { run: EngineRun; result?: EngineResult } {
  const out = join(scratchDir, `result-${engine}.json`);
  rmSync(out, { force: true });
  const r = spawnSync(node, ['--max-old-space-size=16000', join(here, 'engine.ts'), engine, data, out, conn ?? ''], { stdio: ['ignore', 'inherit', 'inherit'], cwd: root });
  if (r.status !== 0 || !existsSync(out)) return { run: { engine, loadMs: NaN, computeMs: NaN, maxRssMB: NaN, error: `exit ${r.status}` } };
  const j = JSON.parse(readFileSync(out, 'utf8'));
  return {
    run: { engine, loadMs: j.loadMs, computeMs: j.computeMs, maxRssMB: j.maxRssMB },
    result: { awards: new Map(j.awards), indicators: new Map(j.indicators) },
  };
}

function machine() {
  const cpu = cpus();
  const version = (p: string) => {
    try {
      return JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version as string;
    } catch {
      return 'n/a';
    }
  };
  const pg = spawnSync('postgres', ['--version'], { encoding: 'utf8' });
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    duckdb: version('@duckdb/node-api'),
    polars: version('nodejs-polars'),
    postgres: pg.stdout?.trim() || 'n/a',
  };
}

const report: Record<string, unknown> = { started: new Date().toISOString(), machine: machine(), sizes: [] as unknown[] };
let pgServer: { connectionString: string; stop(): Promise<void> } | undefined;
if (engines.includes('postgres')) {
  const { startPostgres } = await import('./peers/pg-server.ts');
  pgServer = await startPostgres();
}

try {
  for (const fraction of sizes) {
    const label = fraction === 1 ? 'province' : `province×${fraction}`;
    const dir = join(dataRoot, `wenzhou-${fraction}`);
    const csv = join(dir, 'csv');
    const entry: Record<string, unknown> = { size: label, fraction };
    if (!existsSync(join(csv, 'loans.csv'))) {
      rmSync(dir, { recursive: true, force: true });
      const t = performance.now();
      const g = await generateBundle({ city: 'wenzhou', size: 'province', fraction, seed: 1, out: csv });
      entry.generateMs = performance.now() - t;
      entry.rows = g.files;
    } else entry.generated = 'reused';
    console.error(`[bench] ${label}: data in ${csv}`);

    // Ingestion (CSV UTF-8 and GBK with full validation, XLSX where a worksheet can hold it,
    // DuckDB's read_csv), and the snapshot every caijin run below starts from.
    const snapDir = join(dir, 'snapshot');
    let snapshot = existsSync(join(dir, 'snapshot.path')) ? readFileSync(join(dir, 'snapshot.path'), 'utf8') : '';
    if (!snapshot || !existsSync(snapshot)) snapshot = '';
    if (skipIngest) {
      // Keep the ingestion figures of the last full run for this size (the data is the same: reused and seeded).
      try {
        const latest = [join(resultsDir, 'latest.json'), join(here, 'results', 'latest.json')].find((f) => existsSync(f))!;
        const prev = JSON.parse(readFileSync(latest, 'utf8')) as { sizes: { fraction: number; ingest?: unknown; generateMs?: number }[] };
        const old = prev.sizes.find((x) => x.fraction === fraction);
        if (old?.ingest) entry.ingest = { ...(old.ingest as object), from: 'previous run' };
        if (old?.generateMs) entry.generateMs = old.generateMs;
      } catch {
        /* no earlier run */
      }
    } else {
      const { ingestBench } = await import('./ingest.ts');
      const wanted = phases.filter((p) => p !== 'snapshot' || !snapshot) as Phase[];
      const ing = await ingestBench(csv, { phases: wanted, snapshotDir: snapDir });
      entry.ingest = ing;
      if (ing.snapshotWrite?.path) snapshot = ing.snapshotWrite.path;
    }
    if (!snapshot) {
      const bundle = await loadBundle(csv);
      const t = performance.now();
      snapshot = (await writeSnapshot(bundle, snapDir)).path;
      entry.snapshotWriteMs = performance.now() - t;
    }
    const pathFile = join(dir, 'snapshot.path');
    if (!existsSync(pathFile) || readFileSync(pathFile, 'utf8') !== snapshot) writeFileSync(pathFile, snapshot);
    entry.snapshot = snapshot;

    const runs: EngineRun[] = [];
    let reference: EngineResult | undefined;
    for (const engine of engines) {
      console.error(`[bench] ${label}: ${engine}`);
      const { run, result } = runEngine(engine, engine.startsWith('caijin') ? snapshot : csv, pgServer?.connectionString);
      if (engine === 'caijin') reference = result;
      else if (reference && result) {
        run.diffs = compareResults(reference, result);
        run.agreesWithCaijin = run.diffs.length === 0;
      }
      if (engine === 'caijin' && result) entry.awards = result.awards.size;
      runs.push(run);
    }
    // Ratios against caijin's better run (single-threaded or on both cores); the parallel run is
    // checked against the single-threaded one like any peer.
    const best = Math.min(...runs.filter((r) => r.engine.startsWith('caijin') && Number.isFinite(r.computeMs)).map((r) => r.computeMs));
    for (const r of runs) (r as EngineRun & { computeRatio?: number }).computeRatio = r.computeMs / best;
    entry.engines = runs;
    (report.sizes as unknown[]).push(entry);
  }
} finally {
  await pgServer?.stop();
}

report.finished = new Date().toISOString();
const stamp = (report.started as string).replace(/[:.]/g, '-');
writeFileSync(join(resultsDir, `${stamp}.json`), JSON.stringify(report, null, 2));
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2));
writeFileSync(join(resultsDir, 'summary.md'), summary(report));
console.log(summary(report));

function summary(r: Record<string, unknown>): string {
  const m = r.machine as ReturnType<typeof machine>;
  const lines = [
    `# caijin benchmark (${r.started})`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}; Node ${m.node}; DuckDB ${m.duckdb}, polars ${m.polars}, ${m.postgres}.`,
    '',
    'Clause set: Linhai 15; Wenzhou 3.1, 7, 8, 9; Liaocheng 7; and the guarantor indicators of the evaluation, on one Wenzhou-profile bundle (year 2022). Times in seconds; compute excludes loading; ratio = engine compute ÷ the better caijin compute (single-threaded or both cores).',
    '',
    '| size | engine | load s | compute s | ratio | peak RSS MB | same fen |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of r.sizes as Record<string, unknown>[]) {
    for (const e of s.engines as (EngineRun & { computeRatio?: number })[]) {
      lines.push(
        `| ${s.size} | ${e.engine} | ${(e.loadMs / 1000).toFixed(2)} | ${(e.computeMs / 1000).toFixed(2)} | ${e.computeRatio ? e.computeRatio.toFixed(2) : ''} | ${e.maxRssMB} | ${e.engine === 'caijin' ? 'reference' : e.agreesWithCaijin ? 'yes' : `NO ${e.error ?? (e.diffs ?? []).slice(0, 2).join('; ')}`} |`,
      );
    }
  }
  lines.push('', '## Ingestion', '', '```json', JSON.stringify((r.sizes as Record<string, unknown>[]).map((s) => ({ size: s.size, generateMs: s.generateMs, snapshotWriteMs: s.snapshotWriteMs, ingest: s.ingest })), null, 2), '```');
  return lines.join('\n') + '\n';
}
