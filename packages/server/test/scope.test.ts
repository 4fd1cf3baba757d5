// Data scopes: every boundary, including ids guessed in URLs. A refused read looks exactly like a
// missing object (404), so ids cannot be probed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds, folderFiles, openPlatform, signIn, type Client, type Platform } from './harness.ts';

for (const kind of dbKinds()) {
  describe(`data scopes on ${kind}`, () => {
    let p: Platform;
    let admin: Client, bank: Client, otherBank: Client, guarantor: Client, district: Client, otherDistrict: Client, sys: Client, auditor: Client, lhAdmin: Client;
    let cycleId: string, bankTask: string, bankVersion: string, guarantorTask: string;

    beforeAll(async () => {
      p = await openPlatform(kind);
      admin = await signIn(p.app, 'admin.wz');
      bank = await signIn(p.app, 'bank.wz');
      guarantor = await signIn(p.app, 'guarantor.wz');
      district = await signIn(p.app, 'tj.120101.pboc');
      otherDistrict = await signIn(p.app, 'tj.120102.pboc');
      sys = await signIn(p.app, 'sysadmin');
      auditor = await signIn(p.app, 'auditor');
      lhAdmin = await signIn(p.app, 'admin.lh');
      // A second bank's reporter.
      const units: { id: string; kind: string }[] = (await sys.get('/api/units')).body;
      const second = units.filter((u) => u.id.startsWith('wz-') && u.kind === 'bank')[1];
      expect((await sys.post('/api/accounts', { username: 'bank2.wz', displayName: '第二家银行填报员', password: 'Demo2026pass', unitId: second.id, role: 'bank_reporter', scope: 'unit' })).status).toBe(200);
      otherBank = await signIn(p.app, 'bank2.wz');
      cycleId = (await admin.post('/api/programmes/wenzhou-2022/cycles', { year: 2022 })).body.id;
      await (await signIn(p.app, 'admin.tj')).post('/api/programmes/tianjin-pilot/cycles', { year: 2024 });
      bankTask = (await bank.get('/api/tasks')).body.find((t: { cycle_id: string }) => t.cycle_id === cycleId).id;
      guarantorTask = (await guarantor.get('/api/tasks')).body.find((t: { cycle_id: string }) => t.cycle_id === cycleId).id;
      const me = (await bank.get('/api/me')).body;
      const up = await bank.upload(`/api/tasks/${bankTask}/ledger`, folderFiles(join(p.uploads, 'wenzhou', me.unit)));
      expect(up.status, JSON.stringify(up.body).slice(0, 500)).toBe(200);
      bankVersion = up.body.id;
    }, 180_000);
    afterAll(async () => p?.close());

    it('a bank cannot read another bank’s task, versions or files, even by guessed ids', async () => {
      expect((await otherBank.get(`/api/versions/${bankVersion}`)).status).toBe(404);
      expect((await otherBank.get(`/api/versions/${bankVersion}/files/loans.csv`)).status).toBe(404);
      expect((await otherBank.get(`/api/tasks/${bankTask}/versions`)).status).toBe(404);
      expect((await otherBank.post(`/api/versions/${bankVersion}/withdraw`)).status).toBe(404);
      expect((await otherBank.get('/api/tasks')).body.map((t: { id: string }) => t.id)).not.toContain(bankTask);
      // And its own are there.
      expect((await bank.get(`/api/versions/${bankVersion}`)).status).toBe(200);
      expect((await bank.get(`/api/versions/${bankVersion}/files/loans.csv`)).status).toBe(200);
    });

    it('a bank cannot submit into another unit’s task, nor report another bank’s rows', async () => {
      const files = folderFiles(join(p.uploads, 'wenzhou', (await bank.get('/api/me')).body.unit));
      expect((await otherBank.upload(`/api/tasks/${bankTask}/ledger`, files)).status).toBe(404);
      expect((await bank.upload(`/api/tasks/${guarantorTask}/ledger`, files)).status).toBe(404);
      // Its own task, but rows of another bank: refused with file, row, column, value.
      const otherFiles = folderFiles(join(p.uploads, 'wenzhou', (await otherBank.get('/api/me')).body.unit));
      const r = await bank.upload(`/api/tasks/${bankTask}/ledger`, otherFiles);
      expect(r.status).toBe(400);
      expect(r.body.key).toBe('bundle.rejected');
      const e = r.body.details.find((x: { key: string }) => x.key === 'scope.not_own');
      expect(e).toMatchObject({ file: 'loans.csv', row: 2, column: 'bank_id', column_zh: '贷款银行' });
      // Nothing of it was kept.
      expect((await bank.get(`/api/tasks/${bankTask}/versions`)).body.versions).toHaveLength(1);
    });

    it('reporters cannot review, compute, manage or read the audit log', async () => {
      expect((await bank.post(`/api/versions/${bankVersion}/approve`)).status).toBe(403);
      expect((await bank.post(`/api/cycles/${cycleId}/computations`, {})).status).toBe(403);
      expect((await bank.post(`/api/programmes/wenzhou-2022/cycles`, { year: 2023 })).status).toBe(403);
      expect((await bank.get('/api/accounts')).status).toBe(403);
      expect((await bank.get('/api/audit')).status).toBe(403);
      expect((await bank.get(`/api/cycles/${cycleId}/monitoring`)).status).toBe(403);
    });

    it('a district sees only its district; no district sees institutions’ data', async () => {
      const mine = (await district.get('/api/tasks')).body;
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((t: { subject_unit: string }) => t.subject_unit === 'tj-120101')).toBe(true);
      const theirs = (await otherDistrict.get('/api/tasks')).body[0].id;
      expect((await district.get(`/api/tasks/${theirs}/versions`)).status).toBe(404);
      expect((await district.get(`/api/versions/${bankVersion}`)).status).toBe(404);
      expect((await district.get('/api/programmes/wenzhou-2022')).status).toBe(404);
      expect((await district.get('/api/units')).body.map((u: { id: string }) => u.id)).toEqual(['tj-120101-pboc']);
    });

    it('another city’s bureau sees nothing of this city', async () => {
      expect((await lhAdmin.get(`/api/versions/${bankVersion}`)).status).toBe(404);
      expect((await lhAdmin.get(`/api/cycles/${cycleId}`)).status).toBe(404);
      expect((await lhAdmin.post(`/api/programmes/wenzhou-2022/cycles`, { year: 2023 })).status).toBe(404);
      expect((await lhAdmin.get('/api/programmes')).body.map((x: { id: string }) => x.id)).toEqual(['linhai-2021']);
    });

    it('the security roles read no business data', async () => {
      for (const c of [sys, auditor]) {
        expect((await c.get(`/api/versions/${bankVersion}`)).status).toBe(403);
        expect((await c.get('/api/programmes')).status).toBe(403);
      }
      expect((await auditor.get('/api/audit')).status).toBe(200);
      expect((await sys.get('/api/audit')).status).toBe(403);
    });

    it('the bureau of the city reads it all', async () => {
      expect((await admin.get(`/api/versions/${bankVersion}`)).status).toBe(200);
      expect((await admin.get(`/api/cycles/${cycleId}`)).body.tasks.length).toBeGreaterThan(10);
    });

    it('no session, no data; a cookie session needs its CSRF token to change anything', async () => {
      expect((await p.app.inject({ method: 'GET', url: `/api/versions/${bankVersion}` })).statusCode).toBe(403);
      const noCsrf = await p.app.inject({ method: 'POST', url: `/api/versions/${bankVersion}/withdraw`, cookies: { caijin_session: bank.token } });
      expect(noCsrf.statusCode).toBe(403);
      expect(JSON.parse(noCsrf.body).key).toBe('csrf');
    });
  });
}
