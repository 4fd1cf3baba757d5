// The yearly cycle of each ledger programme (Wenzhou, Linhai, Liaocheng) end to end through the
// API: the bureau opens the cycle, every reporter uploads its own data, the reviewer approves,
// the bureau computes, approves and publishes, the public sees it. The platform's awards must equal
// the batch engine's on the same city bundle before it was split among reporters.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '@caijin/ledger';
import { computePolicy, loadPolicy } from '@caijin/rules';
import { jobs } from '../src/compute/jobs.ts';
import { dbKinds, folderFiles, openPlatform, PASSWORD, signIn, type Client, type Platform } from './harness.ts';

const PROGRAMMES = [
  { id: 'wenzhou-2022', key: 'wz', city: 'wenzhou', year: 2022 },
  { id: 'linhai-2021', key: 'lh', city: 'linhai', year: 2021 },
  { id: 'liaocheng-2023', key: 'lc', city: 'liaocheng', year: 2023 },
];

const ROLE_OF: Record<string, string> = { bank: 'bank_reporter', guarantor: 'guarantor_reporter', reguarantor: 'guarantor_reporter', insurer: 'insurer_reporter', department: 'district_filler' };

async function reporters(p: Platform, sys: Client, city: string): Promise<Map<string, Client>> {
  const units: { id: string; kind: string }[] = (await sys.get('/api/units')).body;
  const out = new Map<string, Client>();
  for (const dir of readdirSync(join(p.uploads, city))) {
    if (dir === 'bundle') continue;
    const unit = units.find((u) => u.id === dir)!;
    const username = `r.${dir}`.slice(0, 60);
    const r = await sys.post('/api/accounts', { username, displayName: `${dir} 填报员`, password: PASSWORD, unitId: dir, role: ROLE_OF[unit.kind], scope: 'unit' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.set(dir, await signIn(p.app, username));
  }
  return out;
}

for (const kind of dbKinds()) {
  describe(`ledger programmes on ${kind}`, () => {
    let p: Platform;
    let sys: Client;
    beforeAll(async () => {
      p = await openPlatform(kind);
      sys = await signIn(p.app, 'sysadmin');
    }, 180_000);
    afterAll(async () => p?.close());

    for (const prog of PROGRAMMES) {
      it(`${prog.id}: open, report, approve, compute, publish`, async () => {
        const admin = await signIn(p.app, `admin.${prog.key}`);
        const reviewer = await signIn(p.app, `reviewer.${prog.key}`);
        const opened = await admin.post(`/api/programmes/${prog.id}/cycles`, { year: prog.year });
        expect(opened.status, JSON.stringify(opened.body)).toBe(200);
        const cycleId = opened.body.id;

        const clients = await reporters(p, sys, prog.city);
        const versions: string[] = [];
        for (const [unit, c] of clients) {
          const tasks = ((await c.get('/api/tasks')).body as { id: string; cycle_id: string; step: string; submission: string }[]).filter((t) => t.cycle_id === cycleId && t.submission === 'ledger');
          // Only the units the programme's calendar asks (Liaocheng: its guarantors) report.
          if (tasks.length === 0) continue;
          // Monthly programmes: the December report carries the year to date; an earlier month is
          // also handed in and approved, and must not be counted twice.
          const last = tasks.at(-1)!;
          const files = folderFiles(join(p.uploads, prog.city, unit));
          if (tasks.length > 1) {
            const early = await c.upload(`/api/tasks/${tasks[0].id}/ledger`, files);
            expect(early.status, JSON.stringify(early.body)).toBe(200);
            versions.push(early.body.id);
          }
          const r = await c.upload(`/api/tasks/${last.id}/ledger`, files, '年度数据');
          expect(r.status, JSON.stringify(r.body).slice(0, 2000)).toBe(200);
          versions.push(r.body.id);
        }
        for (const v of versions) {
          const r = await reviewer.post(`/api/versions/${v}/approve`);
          expect(r.status, JSON.stringify(r.body)).toBe(200);
        }

        const started = await admin.post(`/api/cycles/${cycleId}/computations`, {});
        expect(started.status, JSON.stringify(started.body)).toBe(200);
        await jobs.done(started.body.id);
        const k = (await admin.get(`/api/computations/${started.body.id}`)).body;
        expect(k.error).toBeNull();
        expect(k.status).toBe('done');
        expect(k.inputs.snapshot).toMatch(/^[0-9a-f]{64}$/);
        expect(k.policy_version).toMatch(/^[0-9a-f]{64}$/);

        // The same fen as the batch engine on the unsplit bundle.
        const direct = computePolicy(loadPolicy(prog.id), await loadBundle(join(p.uploads, prog.city, 'bundle')), prog.year, { trace: false });
        const key = (a: { clause: string; recipient: string; amount: string }) => `${a.clause}|${a.recipient}|${a.amount}`;
        const unmasked = (await admin.get(`/api/computations/${started.body.id}?unmask=1`)).body;
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
