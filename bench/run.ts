// `npm run bench`: caijin against DuckDB, polars and PostgreSQL on the same generated data, at
// 1/16, 1/4 and 1 of province size. Writes bench/results/<stamp>.json and bench/results/summary.md.
// The data is generated twice from the same seed: as a snapshot directly (what caijin computes on;
// its time is the "generate" figure, set against the compute) and as CSV (what the peers and the
// ingestion benchmark read). Importing that CSV gives the same snapshot hash (checked when the
// ingestion runs).
// Never part of `npm test`. Options: --sizes 0.0625,0.25,1  --engines caijin,duckdb,polars,postgres
//   --skip-ingest  --keep-data (bench/data is reused between runs; delete it to regenerate)
//   --data <dir>  --results <dir>  (a trial run elsewhere)
//   --out <dir>: write the results (and the engines' scratch files) there instead of bench/results,
//   so a run over shared, read-only data writes nothing next to it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBundle } from '@caijin/demo-data';
import { SNAPSHOT_MANIFEST, SNAPSHOT_VERSION } from '@caijin/ledger';
import { compareResults, type EngineResult } from './clause-set.ts';
import { directoryBytes, measureIoFloor, writeHashFloorMs, type IoFloor } from './floor.ts';
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
// --data <dir>, --results <dir>: elsewhere than bench/data and bench/results (a trial run)
const dataRoot = resolve(arg('data', join(here, 'data')));
const outArg = process.argv.includes('--out') ? resolve(arg('out', '')) : null;
const resultsDir = outArg ?? resolve(arg('results', join(here, 'results')));
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

// What writing and hashing a snapshot cost here, whoever generates it (floor.ts).
mkdirSync(dataRoot, { recursive: true });
const ioFloor = measureIoFloor(dataRoot);
report.ioFloor = ioFloor;

try {
  for (const fraction of sizes) {
    const label = fraction === 1 ? 'province' : `province×${fraction}`;
    const dir = join(dataRoot, `wenzhou-${fraction}`);
    const csv = join(dir, 'csv');
    const entry: Record<string, unknown> = { size: label, fraction };
    const demo = { city: 'wenzhou', size: 'province', fraction, seed: 1 } as const;
    const prev = previousEntry(fraction);
    // The snapshot caijin computes on, generated directly (from start to a usable snapshot).
    const snapDir = join(dir, 'snapshot');
    let snapshot = existsSync(join(dir, 'snapshot.path')) ? readFileSync(join(dir, 'snapshot.path'), 'utf8') : '';
    if (!snapshot || !currentFormat(snapshot)) {
      rmSync(snapDir, { recursive: true, force: true });
      const t = performance.now();
      const g = await generateBundle({ ...demo, out: snapDir, format: 'snapshot' });
      entry.generateSnapshotMs = performance.now() - t;
      snapshot = g.out;
      entry.snapshotHash = g.snapshot?.hash;
      entry.rows = g.files;
    } else {
      entry.generateSnapshotMs = prev?.generateSnapshotMs;
      entry.snapshotHash = prev?.snapshotHash;
      entry.generated = 'reused';
    }
    if (!existsSync(join(csv, 'loans.csv'))) {
      rmSync(csv, { recursive: true, force: true });
      const t = performance.now();
      const g = await generateBundle({ ...demo, out: csv });
      entry.generateMs = performance.now() - t;
      entry.rows = g.files;
    } else entry.generateMs = prev?.generateMs;
    console.error(`[bench] ${label}: data in ${csv}, snapshot ${snapshot}`);

    // Ingestion (CSV UTF-8 and GBK with full validation, XLSX where a worksheet can hold it,
    // DuckDB's read_csv). Its snapshot, written from the imported CSV, must be the generated one.
    if (skipIngest) {
      // Keep the ingestion figures of the last full run for this size (the data is the same: reused and seeded).
      if (prev?.ingest) entry.ingest = { ...(prev.ingest as object), from: 'previous run' };
    } else {
      const { ingestBench } = await import('./ingest.ts');
      const ing = await ingestBench(csv, { phases: phases as Phase[] });
      entry.ingest = ing;
      if (ing.snapshotWrite) entry.csvSnapshotSameHash = ing.snapshotWrite.hash === entry.snapshotHash;
    }
    const pathFile = join(dir, 'snapshot.path');
    if (!existsSync(pathFile) || readFileSync(pathFile, 'utf8') !== snapshot) writeFileSync(pathFile, snapshot);
    entry.snapshot = snapshot;
    entry.snapshotBytes = directoryBytes(snapshot);
    entry.writeHashFloor = writeHashFloorMs(entry.snapshotBytes as number, ioFloor, cpus().length);

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

/** A kept snapshot is reused only in the format this version writes (an older one is still read, but would not measure this code). */
function currentFormat(snapshot: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(snapshot, SNAPSHOT_MANIFEST), 'utf8')) as { version?: number }).version === SNAPSHOT_VERSION;
  } catch {
    return false;
  }
}

/** This size's entry in the last results, for figures of data that is reused rather than made again. */
function previousEntry(fraction: number): Record<string, unknown> & { generateMs?: number; generateSnapshotMs?: number; snapshotHash?: string; ingest?: unknown } | undefined {
  try {
    const prev = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as { sizes: (Record<string, unknown> & { fraction: number })[] };
    return prev.sizes.find((x) => x.fraction === fraction);
  } catch {
    return undefined;
  }
}
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
  lines.push('', '## Generating the data vs computing on it', '', 'generate s: `caijin demo-data --format snapshot` from start to a snapshot the engine loads; CSV s: the same data as CSV files (for the peers); compute s: the clause set on both cores.', '');
  const io = r.ioFloor as IoFloor | undefined;
  if (io) lines.push(`Writing to the page cache ran at ${io.writeMBps.toFixed(0)} MB/s into fresh pages (${io.writeAgainMBps.toFixed(0)} MB/s again into the pages freed) and SHA-256 at ${io.sha256MBps.toFixed(0)} MB/s; floor s: the snapshot's bytes written and hashed at these rates, shared perfectly over the ${m.cores} cores: what any generator of this snapshot pays before drawing a row.`, '');
  lines.push('| size | generate s (snapshot) | generate s (CSV) | caijin-parallel compute s | snapshot GB | write+hash floor s | CSV imports to the same snapshot |', '|---|---|---|---|---|---|---|');
  const sec = (ms: unknown) => (typeof ms === 'number' ? (ms / 1000).toFixed(2) : 'n/a');
  for (const s of r.sizes as Record<string, unknown>[]) {
    const par = (s.engines as EngineRun[]).find((e) => e.engine === 'caijin-parallel');
    const same = s.csvSnapshotSameHash === undefined ? 'not checked' : s.csvSnapshotSameHash ? 'yes' : 'NO';
    const gb = typeof s.snapshotBytes === 'number' ? (s.snapshotBytes / 1e9).toFixed(2) : 'n/a';
    lines.push(`| ${s.size} | ${sec(s.generateSnapshotMs)} | ${sec(s.generateMs)} | ${sec(par?.computeMs)} | ${gb} | ${sec((s.writeHashFloor as { wallMs?: number } | undefined)?.wallMs)} | ${same} |`);
  }
  lines.push('', '## Ingestion', '', '```json', JSON.stringify((r.sizes as Record<string, unknown>[]).map((s) => ({ size: s.size, generateSnapshotMs: s.generateSnapshotMs, generateMs: s.generateMs, ingest: s.ingest })), null, 2), '```');
  return lines.join('\n') + '\n';
}
