// Parsing the files of a CSV folder, on this thread or on two: a worker thread (csvworker.ts)
// takes files from the same queue, largest first, and sends each built table back.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fromMessage, parseCsvFile, type ParsedFile, type ParsedFileMessage } from './csvfile.ts';
import type { CsvTask } from './csvworker.ts';
import type { TableName } from './types.ts';

/** Below this many bytes of CSV a folder is read on one thread (starting a worker costs about 0.2 s). */
const PARALLEL_MIN_BYTES = 64 << 20;

export interface CsvJob {
  path: string;
  file: string;
  name: TableName;
  bytes: number;
}

export type Settled = { ok: true; parsed: ParsedFile } | { ok: false; error: unknown };

/** The worker thread as a queue of one task at a time. */
class CsvWorker {
  private readonly w = new Worker(new URL('./csvworker.ts', import.meta.url));
  private pending: { resolve: (p: ParsedFile) => void; reject: (e: unknown) => void } | null = null;
  private readonly maxErrors: number;
  constructor(maxErrors: number) {
    this.maxErrors = maxErrors;
    this.w.on('message', (m: { ok: true; message: ParsedFileMessage } | { ok: false; error: string }) => {
      const p = this.pending;
      this.pending = null;
      if (m.ok) p?.resolve(fromMessage(m.message, this.maxErrors));
      else p?.reject(new Error(m.error));
    });
    this.w.on('error', (e) => {
      const p = this.pending;
      this.pending = null;
      p?.reject(e);
    });
    this.w.on('exit', (code) => {
      const p = this.pending;
      this.pending = null;
      p?.reject(new Error(`CSV worker thread stopped (exit code ${code})`));
    });
  }
  parse(job: CsvJob): Promise<ParsedFile> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const task: CsvTask = { path: job.path, file: job.file, name: job.name, maxErrors: this.maxErrors };
      this.w.postMessage(task);
    });
  }
  async close(): Promise<void> {
    await this.w.terminate();
  }
}

/**
 * Parse the files, on this thread and (for a large folder, or `threads: 2`) a worker thread at
 * the same time, largest files first so the two finish together. Results are in `jobs` order.
 */
export async function parseFiles(jobs: CsvJob[], maxErrors: number, threads: number | undefined): Promise<Settled[]> {
  const total = jobs.reduce((a, j) => a + j.bytes, 0);
  const two = jobs.length >= 2 && (threads === 2 || (threads === undefined && total >= PARALLEL_MIN_BYTES && availableParallelism() >= 2));
  const order = jobs.map((_, i) => i);
  if (two) order.sort((a, b) => jobs[b].bytes - jobs[a].bytes || a - b);
  const out: Settled[] = new Array(jobs.length);
  let next = 0;
  const lane = async (parse: (j: CsvJob) => Promise<ParsedFile>) => {
    while (next < order.length) {
      const i = order[next++];
      out[i] = await parse(jobs[i]).then(
        (parsed): Settled => ({ ok: true, parsed }),
        (error): Settled => ({ ok: false, error }),
      );
    }
  };
  const here = lane((j) => parseCsvFile(j.path, j.file, j.name, maxErrors));
  if (!two) {
    await here;
    return out;
  }
  const worker = new CsvWorker(maxErrors);
  try {
    await Promise.all([here, lane((j) => worker.parse(j))]);
  } finally {
    await worker.close();
  }
  return out;
}
