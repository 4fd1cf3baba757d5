import { loadBundle } from '@caijin/ledger';
const t = performance.now();
const b = await loadBundle(process.argv[2]);
const ms = performance.now() - t;
let rows = 0; for (const t of Object.values(b.tables)) rows += t!.length;
console.log(rows, ms.toFixed(0) + 'ms', (rows / ms * 1000 / 1e6).toFixed(2) + 'M rows/s', 'rss', (process.memoryUsage().rss/1e6).toFixed(0));
