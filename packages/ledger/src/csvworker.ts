// Worker thread of the folder loader: parses the CSV files it is sent, one at a time, and sends
// each built table back (typed arrays transferred). See csvfile.ts and loadFolder in load.ts.
import { parentPort } from 'node:worker_threads';
import { parseCsvFile, toMessage } from './csvfile.ts';
import type { TableName } from './types.ts';

export interface CsvTask {
  path: string;
  file: string;
  name: TableName;
  maxErrors: number;
}

const port = parentPort!;
port.on('message', async (task: CsvTask | null) => {
  if (task === null) {
    port.close();
    return;
  }
  try {
    const { message, transfer } = toMessage(await parseCsvFile(task.path, task.file, task.name, task.maxErrors));
    port.postMessage({ ok: true, message }, transfer);
  } catch (e) {
    port.postMessage({ ok: false, error: (e as Error).message });
  }
});
