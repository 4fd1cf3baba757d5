import { loadBundle } from '@caijin/ledger';
import { loadPolicy, computePolicy } from '@caijin/rules';
const b = await loadBundle('/tmp/m');
const runs: [string, Record<string,string>, string[]][] = [
  ['linhai-2021', { '15.budget': '100000000' }, ['15']],
  ['wenzhou-2022', { '8.leverage_coefficient': '1' }, ['3.1', '7', '8', '9']],
  ['liaocheng-2023', {}, ['7']],
];
const ps = runs.map(([id, params, cl]) => [loadPolicy(id, { params }), cl] as const);
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
for (let i = 0; i < 5; i++) for (const [p, cl] of ps) computePolicy(p, b, 2022, { trace: false, clauses: [...cl], ignoreEffectivePeriod: true });
const { profile } = await s.post('Profiler.stop') as any;
const self = new Map(); const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
let tot = 0; profile.samples.forEach((id: number, i: number) => { const n: any = byId.get(id); const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').slice(-2).join('/') + ':' + n.callFrame.lineNumber; self.set(k, (self.get(k) || 0) + profile.timeDeltas[i]); tot += profile.timeDeltas[i]; });
[...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log((v / 1000).toFixed(0).padStart(6), 'ms', k)); console.log('total', (tot / 1000).toFixed(0));
