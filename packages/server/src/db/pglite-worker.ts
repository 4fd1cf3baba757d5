// The PGlite database lives in this worker thread: a PGlite query runs synchronously in WASM and
// would otherwise block the HTTP server's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

interface Request {
  id: number;
  op: 'query' | 'exec' | 'close' | 'dump';
  sql?: string;
  params?: unknown[];
}

const port = parentPort!;
// int8 as text, as node-postgres gives it: counts and fen must never pass through a float.
const db = await PGlite.create(workerData.dataDir ?? undefined, { parsers: { 20: (v: string) => v } });

port.on('message', async (m: Request) => {
  try {
    if (m.op === 'query') {
      const r = await db.query(m.sql!, m.params ?? []);
      port.postMessage({ id: m.id, rows: r.rows });
    } else if (m.op === 'exec') {
      await db.exec(m.sql!);
      port.postMessage({ id: m.id, rows: [] });
    } else if (m.op === 'close') {
      await db.close();
      port.postMessage({ id: m.id, rows: [] });
    }
  } catch (e) {
    const err = e as { message?: string; code?: string; detail?: string };
    port.postMessage({ id: m.id, error: { message: err.message ?? String(e), code: err.code, detail: err.detail } });
  }
});
port.postMessage({ ready: true });
