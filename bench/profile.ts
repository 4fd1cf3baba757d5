// Per-clause timings of the clause set on one thread, from a snapshot: where the compute time goes
// at a given size. `node bench/profile.ts <snapshot> [--indicators-first]`. Not part of `npm test`.
import { guarantorIndicators, loadBundle } from '@caijin/ledger';
import { computePolicy, loadPolicy } from '@caijin/rules';
import { BENCH_YEAR, CLAUSES, PARAMS } from './clause-set.ts';

const snapshot = process.argv[2];
const t0 = performance.now();
const bundle = await loadBundle(snapshot);
const t1 = performance.now();
console.log(`load ${(t1 - t0).toFixed(0)} ms`);
let total = 0;
// This thread's CPU time: on a shared machine wall time also counts other processes' turns.
const threadCpu = () => {
  const u = (process as unknown as { threadCpuUsage(): { user: number; system: number } }).threadCpuUsage();
  return (u.user + u.system) / 1000;
};
let cpuTotal = 0;
const cpu0 = process.cpuUsage();
const policies = new Map<string, ReturnType<typeof loadPolicy>>();
for (const { policy, clause } of CLAUSES) {
  let p = policies.get(policy);
  if (!p) policies.set(policy, (p = loadPolicy(policy, { params: PARAMS[policy] })));
  const t = performance.now();
  const c = threadCpu();
  const r = computePolicy(p, bundle, BENCH_YEAR, { trace: false, clauses: [clause], ignoreEffectivePeriod: true });
  const ms = performance.now() - t;
  const cms = threadCpu() - c;
  total += ms;
  cpuTotal += cms;
  console.log(`${policy}/${clause}: ${ms.toFixed(0)} ms (thread cpu ${cms.toFixed(0)} ms), ${r.awards.length} awards`);
}
const t = performance.now();
const c = threadCpu();
guarantorIndicators(bundle, BENCH_YEAR);
const ms = performance.now() - t;
total += ms;
cpuTotal += threadCpu() - c;
console.log(`indicators: ${ms.toFixed(0)} ms`);
const cpu = process.cpuUsage(cpu0);
console.log(`compute ${total.toFixed(0)} ms, thread cpu ${cpuTotal.toFixed(0)} ms (process cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; the machine may be shared), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
