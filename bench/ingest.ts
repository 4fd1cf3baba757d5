// Ingestion benchmark (issue 4): on one generated bundle (a folder of UTF-8 CSV files), how fast
// caijin turns it into validated typed tables from
//   - the UTF-8 CSV folder,
//   - the same files transcoded to GB18030/GBK (what Excel/WPS on Chinese Windows saves),
//   - one .xlsx workbook of the same rows (written with ExcelJS's streaming writer; only where
//     every table fits in one worksheet, ≤ 1,048,575 data rows: about a city; a province's
//     balance tables do not fit in a workbook at all),
//   - a snapshot (write time, then load time in a fresh process),
// and DuckDB's read_csv of the same CSV files into tables (type inference, no validation of the
// contract: a floor for "reading the bytes", not an equivalent of caijin's checks).
//
// Every measurement runs in its own child process, so peak RSS (getrusage maxRSS) is that of the
// one phase. Files are read from a warm page cache (they were just written). Rows are data rows of
// all files (headers not counted).
//
//   node bench/ingest.ts <csv-folder> [--phases csv,gbk,xlsx,snapshot,duckdb]
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
/** Data rows one worksheet can hold (1,048,576 rows, less the header). */
export const SHEET_MAX_ROWS = 1_048_575;

export type Phase = 'csv' | 'gbk' | 'xlsx' | 'snapshot' | 'duckdb';
export const PHASES: readonly Phase[] = ['csv', 'gbk', 'xlsx', 'snapshot', 'duckdb'];

export interface IngestOptions {
  phases?: readonly Phase[];
  /** Where the GBK copy, the workbook and the snapshot go (default: next to `dir`). */
  work?: string;
  /** Heap limit of the child processes, MB (default 20000). */
  maxOldSpaceMB?: number;
  /** Keep the snapshot, written into this folder (its path is in snapshotWrite.path); default: a scratch folder, deleted. */
  snapshotDir?: string;
}

export interface Measured {
  ms: number;
  rows: number;
  rowsPerSec: number;
  /** Peak resident set size of the measuring process, MB. */
  peakRssMB: number;
}

export interface IngestResult {
  dir: string;
  rows: number;
  files: Record<string, number>;
  csvBytes: number;
  /** caijin loadBundle on the UTF-8 CSV folder: parse + full validation + foreign keys. */
  csvUtf8?: Measured;
  /** The same on the GB18030 copy (transcodeMs: making the copy, not part of ingestion; absent when the copy was reused). */
  csvGbk?: Measured & { transcodeMs?: number; bytes: number };
  /** loadBundle on the .xlsx workbook, or why it was skipped. */
  xlsx?: (Measured & { writeMs?: number; bytes: number }) | { skipped: string };
  /** writeSnapshot of the bundle just loaded from the UTF-8 folder (same process; peak RSS includes the load). */
  snapshotWrite?: Measured & { bytes: number; files: number; hash: string; path?: string };
  /** readSnapshot in a fresh process; dictsMs: decoding every dictionary afterwards; verifyMs: readSnapshot with verify. */
  snapshotLoad?: Measured & { bytes: number; dictsMs: number; verifyMs: number; rssAfterLoadMB: number };
  /** DuckDB read_csv of every file into a table (in-memory database, default threads). */
  duckdb?: Measured & { threads: number };
}

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

function measured(ms: number, rows: number, peakRssMB: number): Measured {
  return { ms: round(ms), rows, rowsPerSec: Math.round((rows / ms) * 1000), peakRssMB: round(peakRssMB, 0) };
}

function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024; // KB → MB
}

function csvFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
}

function dirBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const f of readdirSync(dir)) {
    bytes += statSync(join(dir, f)).size;
    files++;
  }
  return { bytes, files };
}

/** Data rows per file (newlines minus the header; the demo data has no newline inside a cell). */
function countRows(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const buf = Buffer.allocUnsafe(1 << 22);
  for (const f of csvFiles(dir)) {
    const fd = openSync(join(dir, f), 'r');
    let n = 0;
    for (let pos = 0; ; ) {
      const k = readSync(fd, buf, 0, buf.length, pos);
      if (k === 0) break;
      pos += k;
      for (let i = buf.indexOf(10); i >= 0 && i < k; i = buf.indexOf(10, i + 1)) n++;
    }
    closeSync(fd);
    out[f.replace(/\.csv$/, '')] = Math.max(0, n - 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Children

interface ChildOut {
  [k: string]: unknown;
}

function child(phase: string, args: string[], maxOld: number): ChildOut {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${maxOld}`, '--expose-gc', SELF, '--phase', phase, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`ingest phase ${phase} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildOut;
}

async function runPhase(phase: string, args: string[]): Promise<ChildOut> {
  const ledger = await import('@caijin/ledger');
  const rowsOf = (b: { tables: Record<string, { length: number } | undefined> }) => Object.values(b.tables).reduce((a, t) => a + (t?.length ?? 0), 0);
  switch (phase) {
    case 'load': {
      // load, and with a second argument also write the snapshot of what was loaded (one CSV parse for both)
      const t = performance.now();
      const b = await ledger.loadBundle(args[0]);
      const ms = performance.now() - t;
      const out: ChildOut = { ms, rows: rowsOf(b), peakRssMB: peakRssMB() };
      if (args[1]) {
        const t1 = performance.now();
        const s = await ledger.writeSnapshot(b, args[1]);
        Object.assign(out, { writeMs: performance.now() - t1, writePeakRssMB: peakRssMB(), path: s.path, hash: s.hash });
      }
      return out;
    }
    case 'snapshot-load': {
      const t = performance.now();
      let b: Awaited<ReturnType<typeof ledger.readSnapshot>> | null = await ledger.readSnapshot(args[0]);
      const ms = performance.now() - t;
      const rssAfterLoadMB = process.memoryUsage().rss / 1048576;
      const rows = rowsOf(b);
      const t1 = performance.now();
      let strings = 0;
      for (const tb of Object.values(b.tables)) for (const c of Object.values(tb!.columns)) if ('dict' in c) strings += c.dict.length;
      const dictsMs = performance.now() - t1;
      const peak = peakRssMB();
      b = null;
      (globalThis as { gc?: () => void }).gc?.();
      const t2 = performance.now();
      await ledger.readSnapshot(args[0], { verify: true });
      const verifyMs = performance.now() - t2;
      return { ms, rows, peakRssMB: peak, rssAfterLoadMB, dictsMs, verifyMs, strings };
    }
    case 'xlsx-write': {
      const t = performance.now();
      await writeXlsx(args[0], args[1]);
      return { ms: performance.now() - t, peakRssMB: peakRssMB() };
    }
    case 'duckdb': {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const con = await db.connect();
      const threads = Number((await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
      const t = performance.now();
      let rows = 0;
      for (const f of csvFiles(args[0])) {
        const name = f.replace(/\.csv$/, '');
        const path = join(args[0], f).replace(/'/g, "''");
        await con.run(`CREATE TABLE "${name}" AS SELECT * FROM read_csv('${path}', header = true)`);
        rows += Number((await con.runAndReadAll(`SELECT count(*) FROM "${name}"`)).getRows()[0][0]);
      }
      const ms = performance.now() - t;
      con.closeSync();
      return { ms, rows, peakRssMB: peakRssMB(), threads };
    }
    default:
      throw new Error(`unknown phase ${phase}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The GBK copy and the workbook

/** Transcode every CSV file of `src` to GB18030 into `dst` (written to a temp folder, then renamed). */
async function transcodeGbk(src: string, dst: string): Promise<void> {
  const { encodeGb18030 } = await import('@caijin/demo-data');
  const tmp = `${dst}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const f of csvFiles(src)) {
    const fd = openSync(join(tmp, f), 'w');
    const dec = new TextDecoder('utf-8', { fatal: true });
    for await (const chunk of createReadStream(join(src, f), { highWaterMark: 1 << 22 })) {
      writeSync(fd, encodeGb18030(dec.decode(chunk as Buffer, { stream: true })));
    }
    writeSync(fd, encodeGb18030(dec.decode()));
    closeSync(fd);
  }
  rmSync(dst, { recursive: true, force: true });
  renameSync(tmp, dst);
}

/** One worksheet per CSV file, cells typed as a user's workbook would have them: numbers, dates, text. */
async function writeXlsx(src: string, file: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const { readCsvFile, SCHEMA, tableOfName, headerKeyMap } = await import('@caijin/ledger');
  const tmp = `${file}.tmp.xlsx`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: true });
  for (const f of csvFiles(src)) {
    const name = tableOfName(f)!;
    const ws = wb.addWorksheet(name);
    const keys = headerKeyMap(name);
    let kinds: string[] = [];
    const dateStyle = { numFmt: 'yyyy-mm-dd' };
    await readCsvFile(join(src, f), {
      start() {},
      row(cells, rowNo) {
        if (rowNo === 1) {
          kinds = cells.map((h) => SCHEMA[name].columns.find((c) => c.key === keys.get(h.trim()) || c.key === h.trim())?.type ?? 'string');
          ws.addRow([...cells]).commit();
          return;
        }
        const values: (string | number | Date | null)[] = [];
        for (let i = 0; i < cells.length; i++) {
          const s = cells[i];
          const k = kinds[i];
          if (s === '') values.push(null);
          else if (k === 'money' || k === 'int' || k === 'year' || k === 'rate') values.push(Number(s));
          else if (k === 'date') values.push(new Date(`${s}T00:00:00Z`));
          else values.push(s);
        }
        const row = ws.addRow(values);
        kinds.forEach((k, i) => {
          if (k === 'date' && values[i] !== null) row.getCell(i + 1).style = dateStyle;
        });
        row.commit();
      },
    });
    ws.commit();
  }
  await wb.commit();
  renameSync(tmp, file);
}

// ---------------------------------------------------------------------------------------------

/**
 * Measure ingestion of the generated CSV folder `dir` (see the head of this file). The GBK copy,
 * the workbook and a scratch snapshot are made next to it (reused when present).
 */
export async function ingestBench(dir: string, opts: IngestOptions = {}): Promise<IngestResult> {
  dir = resolve(dir);
  const phases = new Set(opts.phases ?? PHASES);
  const work = resolve(opts.work ?? dirname(dir));
  const maxOld = opts.maxOldSpaceMB ?? 20000;
  const files = countRows(dir);
  const rows = Object.values(files).reduce((a, b) => a + b, 0);
  const out: IngestResult = { dir, rows, files, csvBytes: dirBytes(dir).bytes };
  const log = (s: string) => process.stderr.write(`[ingest] ${s}\n`);
  const m = (o: ChildOut): Measured => measured(o.ms as number, o.rows as number, o.peakRssMB as number);

  const snaps = opts.snapshotDir ? resolve(opts.snapshotDir) : join(work, `${basename(dir)}-ingest-snapshots`);
  let written: ChildOut | undefined;
  if (phases.has('csv') || phases.has('snapshot')) {
    log(`csv utf-8: ${rows} rows${phases.has('snapshot') ? ', then the snapshot write' : ''}`);
    if (!opts.snapshotDir) rmSync(snaps, { recursive: true, force: true });
    const r = child('load', phases.has('snapshot') ? [dir, snaps] : [dir], maxOld);
    if (phases.has('csv')) out.csvUtf8 = m(r);
    if (phases.has('snapshot')) written = r;
  }
  if (phases.has('gbk')) {
    const gbk = join(work, `${basename(dir)}-gbk`);
    let transcodeMs: number | undefined;
    if (!existsSync(gbk)) {
      log('transcoding to gb18030');
      const t = performance.now();
      await transcodeGbk(dir, gbk);
      transcodeMs = round(performance.now() - t);
    }
    log('csv gb18030');
    out.csvGbk = { ...m(child('load', [gbk], maxOld)), transcodeMs, bytes: dirBytes(gbk).bytes };
  }
  if (phases.has('xlsx')) {
    const biggest = Math.max(...Object.values(files));
    if (biggest > SHEET_MAX_ROWS) {
      out.xlsx = { skipped: `a table has ${biggest} rows: more than one worksheet holds (${SHEET_MAX_ROWS})` };
    } else {
      const file = join(work, `${basename(dir)}.xlsx`);
      let writeMs: number | undefined;
      if (!existsSync(file)) {
        log('writing the workbook');
        writeMs = round(child('xlsx-write', [dir, file], maxOld).ms as number);
      }
      log('xlsx');
      out.xlsx = { ...m(child('load', [file], maxOld)), writeMs, bytes: statSync(file).size };
    }
  }
  if (written) {
    const path = written.path as string;
    const { bytes, files: nfiles } = dirBytes(path);
    out.snapshotWrite = { ...measured(written.writeMs as number, rows, written.writePeakRssMB as number), bytes, files: nfiles, hash: written.hash as string };
    if (opts.snapshotDir) out.snapshotWrite.path = path;
    log('snapshot load');
    const l = child('snapshot-load', [path], maxOld);
    out.snapshotLoad = {
      ...m(l),
      bytes,
      dictsMs: round(l.dictsMs as number),
      verifyMs: round(l.verifyMs as number),
      rssAfterLoadMB: round(l.rssAfterLoadMB as number, 0),
    };
    if (!opts.snapshotDir) rmSync(snaps, { recursive: true, force: true });
  }
  if (phases.has('duckdb')) {
    log('duckdb read_csv');
    const d = child('duckdb', [dir], maxOld);
    out.duckdb = { ...m(d), threads: d.threads as number };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--phase') {
    const r = await runPhase(argv[1], argv.slice(2));
    process.stdout.write(JSON.stringify(r) + '\n');
  } else {
    const dir = argv.find((a) => !a.startsWith('--'));
    if (!dir) {
      process.stderr.write('usage: node bench/ingest.ts <csv-folder> [--phases csv,gbk,xlsx,snapshot,duckdb]\n');
      process.exit(2);
    }
    const pi = argv.indexOf('--phases');
    const phases = pi >= 0 ? (argv[pi + 1].split(',') as Phase[]) : undefined;
    const r = await ingestBench(dir, { phases });
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    writeFileSync(join(dirname(resolve(dir)), `${basename(dir)}-ingest.json`), JSON.stringify(r, null, 2) + '\n');
  }
}
