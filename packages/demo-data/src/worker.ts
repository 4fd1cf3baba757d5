// A generator thread: builds the same Generator as the main thread from the options, shares the
// enterprise attribute arrays, and runs the chunks it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkJob, type JobInit, type Task } from './chunks.ts';
import { useSharedMemory } from './table.ts';

export type ToWorker =
  | { type: 'counts'; counts: Int32Array }
  | { type: 'partyIds'; ids: string[] }
  | { type: 'task'; id: number; task: Task };

useSharedMemory(true);
const job = new ChunkJob(workerData as JobInit);
parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'counts') job.setCounts(m.counts);
  else if (m.type === 'partyIds') job.setPartyIds(m.ids);
  else {
    const { result, transfer } = job.run(m.task);
    parentPort!.postMessage({ id: m.id, result }, transfer);
  }
});
