import { generateBundle } from '@caijin/demo-data';
const t = performance.now();
const r = await generateBundle({ city: 'wenzhou', size: (process.argv[2] ?? 'city') as any, seed: 1, out: process.argv[3] ?? '/tmp/gen-city' });
const ms = performance.now() - t;
const rows = Object.values(r.files).reduce((a, b) => a + b, 0);
console.log(JSON.stringify(r.files), rows, ms.toFixed(0) + 'ms', (ms * 1000 / rows).toFixed(3) + 'us/row');
