import { loadBundle } from '@caijin/ledger';
import { loadPolicy, computePolicy } from '@caijin/rules';
const b = await loadBundle(process.argv[2] ?? '/tmp/m');
const runs: [string, Record<string,string>, string[]][] = [
  ['linhai-2021', { '15.budget': '100000000' }, ['15']],
  ['wenzhou-2022', { '8.leverage_coefficient': '1' }, ['3.1', '7', '8', '9']],
  ['liaocheng-2023', {}, ['7']],
];
for (let rep = 0; rep < 2; rep++) { let tot = 0; for (const [id, params, clauses] of runs) {
  const p = loadPolicy(id, { params });
  for (const c of clauses) {
    const t = performance.now();
    const r = computePolicy(p, b, 2022, { trace: false, clauses: [c], ignoreEffectivePeriod: true });
    const ms = performance.now() - t; tot += ms;
    if (rep === 1) console.log(id, c, ms.toFixed(0), 'ms', r.clauses[0].total);
  }
} console.log('total', tot.toFixed(0)); }
