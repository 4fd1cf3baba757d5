// generateBundle: the chunks of a bundle (generate.ts) run on worker threads or on this one, and
// their rows written, in chunk order, as CSV files or as one snapshot. The chunks do not depend on
// which thread runs them or in which order, so neither does the output.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SnapshotDraft, TABLE_NAMES, type TableName } from '@caijin/ledger';
import { ChunkJob, type ChunkResult, type JobInit, type Task } from './chunks.ts';
import { chunkCsv, csvHeader, type RefTexts } from './csv-out.ts';
import { Generator, partyAttrs, type DemoOptions, type DemoResult } from './generate.ts';
import { SnapshotAssembler } from './snapshot-out.ts';
import { fromWire, useSharedMemory, type ChunkTables } from './table.ts';
import type { ToWorker } from './worker.ts';

/** Runs tasks and hands back results in task order. */
interface Runner {
  counts(c: Int32Array): void;
  partyIds(ids: string[]): void;
  /** Runs every task; `done` is called once per task, in order. */
  all(tasks: Task[], done: (r: ChunkResult, i: number) => void): Promise<void>;
  close(): Promise<void>;
}

class Inline implements Runner {
  private readonly job: ChunkJob;
  constructor(job: ChunkJob) {
    this.job = job;
  }
  counts(c: Int32Array): void {
    this.job.setCounts(c);
  }
  partyIds(ids: string[]): void {
    this.job.setPartyIds(ids);
  }
  async all(tasks: Task[], done: (r: ChunkResult, i: number) => void): Promise<void> {
    tasks.forEach((t, i) => done(this.job.run(t).result, i));
  }
  async close(): Promise<void> {}
}

class Pool implements Runner {
  private readonly workers: Worker[];
  constructor(n: number, init: JobInit) {
    this.workers = Array.from({ length: n }, () => new Worker(new URL('./worker.ts', import.meta.url), { workerData: init }));
  }
  private send(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }
  counts(c: Int32Array): void {
    this.send({ type: 'counts', counts: c });
  }
  partyIds(ids: string[]): void {
    this.send({ type: 'partyIds', ids });
  }
  all(tasks: Task[], done: (r: ChunkResult, i: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const results = new Array<ChunkResult | undefined>(tasks.length);
      let next = 0; // next task to hand out
      let delivered = 0; // next result to hand back
      const feed = (w: Worker): void => {
        if (next < tasks.length) {
          const id = next++;
          w.postMessage({ type: 'task', id, task: tasks[id] } satisfies ToWorker);
        }
      };
      const cleanup: (() => void)[] = [];
      const finish = (e?: Error): void => {
        for (const c of cleanup) c();
        if (e) reject(e);
        else resolve();
      };
      for (const w of this.workers) {
        const onMessage = (m: { id: number; result: ChunkResult }): void => {
          results[m.id] = m.result;
          // the worker's next task first, so it works while this thread takes the result
          feed(w);
          try {
            while (delivered < tasks.length && results[delivered]) {
              done(results[delivered] as ChunkResult, delivered);
              results[delivered++] = undefined;
            }
          } catch (e) {
            finish(e as Error);
            return;
          }
          if (delivered === tasks.length) finish();
        };
        const onError = (e: Error): void => finish(e);
        w.on('message', onMessage);
        w.on('error', onError);
        cleanup.push(() => {
          w.off('message', onMessage);
          w.off('error', onError);
        });
        // two tasks each: a worker never waits for the next one
        feed(w);
        feed(w);
      }
      if (tasks.length === 0) finish();
    });
  }
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Worker threads by default: one per core, at most 4, none for bundles of one chunk. */
function defaultWorkers(g: Generator): number {
  if (g.partyChunks <= 1 && g.count < g.chunks.loans) return 0;
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Where the rows go: CSV files written as the chunks come, or the chunks kept for a snapshot. */
interface Sink {
  add(chunk: ChunkTables | null, r: ChunkResult | null): void;
  finish(): Promise<DemoResult>;
}

class CsvSink implements Sink {
  private readonly fds = new Map<TableName, number>();
  private readonly rows: Record<string, number> = {};
  private readonly opts: DemoOptions;
  refs: RefTexts;
  constructor(opts: DemoOptions, refs: RefTexts) {
    this.opts = opts;
    this.refs = refs;
    mkdirSync(opts.out, { recursive: true });
    for (const t of TABLE_NAMES) {
      const fd = openSync(join(opts.out, `${t}.csv`), 'w');
      writeSync(fd, csvHeader(t, opts.headers, opts.encoding));
      this.fds.set(t, fd);
      this.rows[t] = 0;
    }
  }
  private write(t: TableName, b: Uint8Array): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fds.get(t) as number, b, off, b.length - off);
  }
  add(chunk: ChunkTables | null, r: ChunkResult | null): void {
    if (chunk) {
      for (const [t, c] of Object.entries(chunk.tables) as [TableName, ChunkTables['tables'][TableName]][]) {
        this.write(t, chunkCsv(chunk, t, this.refs, this.opts.encoding));
        this.rows[t] += c?.rows ?? 0;
      }
    }
    if (r?.csv) {
      for (const [t, b] of Object.entries(r.csv) as [TableName, Uint8Array][]) {
        this.write(t, b);
        this.rows[t] += r.rows[t] ?? 0;
      }
    }
  }
  async finish(): Promise<DemoResult> {
    for (const fd of this.fds.values()) closeSync(fd);
    return { out: this.opts.out, files: this.rows };
  }
}

/** Each chunk's columns go into the snapshot's files as the chunk comes (snapshot-out.ts). */
class SnapshotSink implements Sink {
  readonly draft: SnapshotDraft;
  readonly assembler: SnapshotAssembler;
  constructor(draft: SnapshotDraft, assembler: SnapshotAssembler) {
    this.draft = draft;
    this.assembler = assembler;
  }
  add(chunk: ChunkTables | null, r: ChunkResult | null): void {
    if (chunk) this.assembler.add(chunk);
    if (r?.wire) this.assembler.add(fromWire(r.wire));
  }
  async finish(): Promise<DemoResult> {
    throw new Error('unused');
  }
}

/** CAIJIN_DEMO_TIMING=1 prints how long each phase took (stderr). */
const timing = process.env.CAIJIN_DEMO_TIMING === '1';
let last = 0;
let lastCpu = { user: 0, system: 0 };
function phase(name: string): void {
  const now = performance.now();
  const cpu = process.cpuUsage();
  if (timing && last) {
    const user = (cpu.user - lastCpu.user) / 1000;
    const sys = (cpu.system - lastCpu.system) / 1000;
    process.stderr.write(`[demo-data] ${name} ${(now - last).toFixed(0)} ms (cpu: user ${user.toFixed(0)} ms, sys ${sys.toFixed(0)} ms, all threads)\n`);
  }
  last = now;
  lastCpu = cpu;
}

export async function generateBundle(opts: DemoOptions): Promise<DemoResult> {
  phase('start');
  const format = opts.format ?? 'csv';
  const g = new Generator(opts);
  const nWorkers = opts.workers ?? defaultWorkers(g);
  useSharedMemory(nWorkers > 0);
  const attrs = partyAttrs(g.count, nWorkers > 0);
  g.useParties(attrs);
  const init: JobInit = { spec: { city: opts.city, size: opts.size, seed: opts.seed, year: opts.year, fraction: opts.fraction, chunks: opts.chunks }, format, encoding: opts.encoding, attrs };
  const runner: Runner = nWorkers > 0 ? new Pool(nWorkers, init) : new Inline(new ChunkJob(init, g));
  let draft: SnapshotDraft | undefined;
  try {
    // every table present, even if no chunk has rows of it
    for (const t of TABLE_NAMES) g.head.get(t);
    const refs: RefTexts = { institutions: g.institutionIds(), enterprises: [], fintech_projects: g.fintechIds() };
    const csv = format === 'csv' ? new CsvSink(opts, refs) : null;
    if (format === 'snapshot') draft = await SnapshotDraft.open(opts.out);
    const snap = draft ? new SnapshotSink(draft, new SnapshotAssembler(draft, { partySize: attrs.size })) : null;
    const sink: Sink = (csv ?? snap) as Sink;
    sink.add(g.head, null);

    const partyIds: string[] = [];
    await runner.all(
      Array.from({ length: g.partyChunks }, (_, chunk) => ({ kind: 'parties', chunk })),
      (r) => {
        sink.add(null, r);
        if (r.partyIds) for (const id of r.partyIds) partyIds.push(id);
      },
    );
    phase('enterprises');
    snap?.assembler.complete('enterprises');
    if (csv) {
      refs.enterprises = partyIds;
      runner.partyIds(partyIds);
    }

    const local = g.allocateLoans();
    const counts = nWorkers > 0 ? new Int32Array(new SharedArrayBuffer(local.byteLength)) : local;
    if (counts !== local) counts.set(local);
    runner.counts(counts);
    const loans = g.loanTotal(counts);
    const aggs: Float64Array[] = [];
    let loanGuarantees = 0;
    const collect = (r: ChunkResult): void => {
      sink.add(null, r);
      if (r.aggs) aggs.push(r.aggs);
    };
    await runner.all(
      Array.from({ length: Math.ceil(loans / g.chunks.loans) }, (_, chunk) => ({ kind: 'loans', chunk })),
      (r) => {
        collect(r);
        loanGuarantees += r.rows.guarantees ?? 0;
      },
    );
    phase('loans');
    const n = Generator.otherGuaranteeCount(loanGuarantees);
    await runner.all(
      Array.from({ length: Math.ceil(n / g.chunks.others) }, (_, chunk) => ({ kind: 'others', chunk, n, loans })),
      collect,
    );
    phase('other guarantees');
    sink.add(g.tail(aggs), null);
    phase('tail');

    if (csv) return await csv.finish();
    const s = snap as SnapshotSink;
    const label = opts.fraction === undefined || opts.fraction === 1 ? opts.size : `${opts.size}×${opts.fraction}`;
    const tables = s.assembler.finish();
    const files: Record<string, number> = {};
    for (const t of tables) files[t.name] = t.length;
    const d = s.draft;
    draft = undefined; // finish cleans up after itself
    const info = await d.finish(tables, `caijin demo-data ${opts.city} ${label} seed ${opts.seed}`, []);
    phase('finish writing');
    return { out: info.path, files, snapshot: info };
  } catch (e) {
    await draft?.abort();
    throw e;
  } finally {
    useSharedMemory(false);
    await runner.close();
  }
}
