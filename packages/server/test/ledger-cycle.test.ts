// The yearly cycle of each ledger programme (Wenzhou, Linhai, Liaocheng) end to end through the
// API: the bureau opens the cycle, every reporter uploads its own data, the reviewer approves,
// the bureau computes, approves and publishes, the public sees it. The platform's awards must equal
// the batch engine's on the same city bundle before it was split among reporters.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '@caijin/ledger';
import { computePolicy, loadPolicy } from '@caijin/rules';
import { dbKinds, openPlatform, runLedgerCycle, type Platform } from './harness.ts';

const PROGRAMMES = [
  { id: 'wenzhou-2022', key: 'wz', city: 'wenzhou', year: 2022 },
  { id: 'linhai-2021', key: 'lh', city: 'linhai', year: 2021 },
  { id: 'liaocheng-2023', key: 'lc', city: 'liaocheng', year: 2023 },
];

for (const kind of dbKinds()) {
  describe(`ledger programmes on ${kind}`, () => {
    let p: Platform;
    beforeAll(async () => {
      p = await openPlatform(kind);
    }, 180_000);
    afterAll(async () => p?.close());

    for (const prog of PROGRAMMES) {
      it(`${prog.id}: open, report, approve, compute, publish`, async () => {
        const { cycleId, computationId, admin } = await runLedgerCycle(p, prog);
        const k = (await admin.get(`/api/computations/${computationId}`)).body;
        expect(k.error).toBeNull();
        expect(k.status).toBe('done');
        expect(k.inputs.snapshot).toMatch(/^[0-9a-f]{64}$/);
        expect(k.policy_version).toMatch(/^[0-9a-f]{64}$/);
        expect(k.inputs.versions.length).toBeGreaterThan(0);

        // The same fen as the batch engine on the unsplit bundle.
        const direct = computePolicy(loadPolicy(prog.id), await loadBundle(join(p.uploads, prog.city, 'bundle')), prog.year, { trace: false });
        const key = (a: { clause: string; recipient: string; amount: string }) => `${a.clause}|${a.recipient}|${a.amount}`;
        const unmasked = (await admin.get(`/api/computations/${computationId}?unmask=1`)).body;
        expect(unmasked.result.awards.map(key).sort()).toEqual(direct.awards.map(key).sort());
        expect(unmasked.result.total).toBe(direct.total);
        expect(Number(direct.total)).toBeGreaterThan(0);

        expect((await admin.post(`/api/computations/${k.id}/approve`)).status).toBe(200);
        const pub = await admin.post(`/api/computations/${k.id}/publish`, { noticeDays: 7 });
        expect(pub.status, JSON.stringify(pub.body)).toBe(200);
        const list = await p.app.inject({ method: 'GET', url: '/api/public/results' });
        expect(JSON.parse(list.body).map((x: { id: string }) => x.id)).toContain(k.id);
        const shown = JSON.parse((await p.app.inject({ method: 'GET', url: `/api/public/results/${k.id}` })).body);
        expect(shown.result.total).toBe(direct.total);
        expect(shown.result.awards.every((a: object) => !('trace' in a))).toBe(true);

        // A published result is frozen: a new computation can run, but this one cannot change.
        expect((await admin.post(`/api/computations/${k.id}/approve`)).status).toBe(409);
        const overview = (await admin.get(`/api/cycles/${cycleId}`)).body;
        expect(overview.stats.length).toBeGreaterThan(0);
      }, 300_000);
    }
  });
}
