// One compute worker of parallel.ts: load the tables it needs from the snapshot and run its jobs.
import { parentPort, workerData } from 'node:worker_threads';
import { guarantorIndicators, readSnapshot } from '@caijin/ledger';
import { loadPolicy } from './policy/load.ts';
import { computePolicy } from './run.ts';
import { indicatorsToWire, type WorkerTask } from './parallel.ts';

const task = workerData as WorkerTask;
try {
  const t0 = performance.now();
  const bundle = await readSnapshot(task.snapshot, { tables: task.tables });
  const t1 = performance.now();
  const results = task.jobs.map((j) => computePolicy(loadPolicy(j.policy, j.load), bundle, task.year, { ...task.opts, clauses: j.clauses }));
  const indicators = task.indicators ? indicatorsToWire(guarantorIndicators(bundle, task.year)) : undefined;
  parentPort!.postMessage({ ok: true, results, loadMs: t1 - t0, computeMs: performance.now() - t1, indicators });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
}
