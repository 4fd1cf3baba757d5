// The embedded database: PGlite (PostgreSQL compiled to WASM) in a worker thread, its data
// directory locked against a second process. PGlite is one connection, so statements are
// serialised here: a transaction holds the connection from BEGIN to COMMIT.
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './lock.ts';
import type { Database, Row, Sql } from './types.ts';

class DbError extends Error {
  readonly code?: string;
  readonly detail?: string;
  constructor(message: string, code?: string, detail?: string) {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}

export async function openPglite(dataDir: string | null): Promise<Database> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), { workerData: { dataDir } });
  const pending = new Map<number, { resolve: (rows: Row[]) => void; reject: (e: Error) => void }>();
  let next = 1;
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  worker.on('message', (m: { id: number; rows?: Row[]; error?: { message: string; code?: string; detail?: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new DbError(m.error.message, m.error.code, m.error.detail));
    else p.resolve(m.rows ?? []);
  });
  worker.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  });

  const send = (op: string, sql?: string, params?: readonly unknown[]): Promise<Row[]> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params });
    });

  // One holder at a time: a promise chain as a mutex.
  let tail: Promise<void> = Promise.resolve();
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    const before = tail;
    let release!: () => void;
    tail = new Promise<void>((r) => (release = r));
    await before;
    try {
      return await fn();
    } finally {
      release();
    }
  };

  const direct: Sql = { query: <R>(text: string, params?: readonly unknown[]) => send('query', text, params) as Promise<R[]> };

  return {
    kind: 'pglite',
    query: <R>(text: string, params?: readonly unknown[]) => exclusive(() => send('query', text, params) as Promise<R[]>),
    exec: (script) => exclusive(async () => void (await send('exec', script))),
    transaction: (fn) =>
      exclusive(async () => {
        await send('query', 'BEGIN');
        try {
          const out = await fn(direct);
          await send('query', 'COMMIT');
          return out;
        } catch (e) {
          await send('query', 'ROLLBACK').catch(() => {});
          throw e;
        }
      }),
    close: () =>
      exclusive(async () => {
        await send('close');
        await worker.terminate();
        unlock();
      }),
  };
}
