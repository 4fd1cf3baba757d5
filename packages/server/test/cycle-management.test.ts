// Running a cycle: deadlines from the document, late flags and on-time statistics, reminders,
// extensions with reason and expiry; Liaocheng's monthly report (a bank sees only its part);
// monitoring of targets and alerts; open parameters checked before a job starts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds, folderFiles, openPlatform, PASSWORD, signIn, type Client, type Platform } from './harness.ts';

for (const kind of dbKinds()) {
  describe(`cycle management on ${kind}`, () => {
    let p: Platform;
    let admin: Client, reviewer: Client, guarantor: Client;
    let past: string, future: string;
    beforeAll(async () => {
      p = await openPlatform(kind);
      admin = await signIn(p.app, 'admin.lc');
      reviewer = await signIn(p.app, 'reviewer.lc');
      guarantor = await signIn(p.app, 'guarantor.lc');
      past = (await admin.post('/api/programmes/liaocheng-2023/cycles', { year: 2023 })).body.id;
      future = (await admin.post('/api/programmes/liaocheng-2023/cycles', { year: 2030 })).body.id;
    }, 180_000);
    afterAll(async () => p?.close());

    const task = async (cycle: string, step: string) => ((await guarantor.get('/api/tasks')).body as { id: string; cycle_id: string; step: string; reminders: number }[]).find((t) => t.cycle_id === cycle && t.step === step)!;

    it('monthly deadlines, late flags, reminders', async () => {
      const c = (await admin.get(`/api/cycles/${past}?today=2023-02-15`)).body;
      expect(c.programme_title).toBe('聊城市政府性融资担保体系支持政策');
      expect(c.steps.filter((s: { code: string }) => s.code.startsWith('month-'))).toHaveLength(12);
      expect(c.steps.find((s: { code: string }) => s.code === 'month-01').due_date).toBe('2023-02-10');
      expect(c.steps.find((s: { code: string }) => s.code === 'month-12').due_date).toBe('2024-01-10');
      const jan = c.tasks.filter((t: { step: string }) => t.step === 'month-01');
      expect(jan.length).toBeGreaterThan(0);
      expect(jan.every((t: { late: boolean }) => t.late)).toBe(true);
      expect(c.tasks.filter((t: { step: string }) => t.step === 'month-02').every((t: { late: boolean }) => !t.late)).toBe(true);
      const sent = (await admin.post(`/api/cycles/${past}/reminders`, { today: '2023-02-15', days: 7 })).body;
      expect(sent.filter((r: { kind: string }) => r.kind === 'overdue').length).toBe(jan.length);
      expect(sent.some((r: { kind: string }) => r.kind === 'upcoming')).toBe(false);
      expect((await task(past, 'month-01')).reminders).toBe(1);
    });

    it('an extension with a reason moves the deadline once granted', async () => {
      const t = await task(future, 'month-02');
      expect((await guarantor.post(`/api/tasks/${t.id}/extensions`, { reason: '', newDue: '2030-03-20' })).status).toBe(400);
      expect((await guarantor.post(`/api/tasks/${t.id}/extensions`, { reason: '系统升级', newDue: '2030-03-01' })).status).toBe(400);
      const r = await guarantor.post(`/api/tasks/${t.id}/extensions`, { reason: '核心系统升级，数据延迟', newDue: '2030-03-20' });
      expect(r.status).toBe(200);
      expect((await guarantor.post(`/api/extensions/${r.body.id}/decision`, { grant: true })).status).toBe(403);
      expect((await admin.post(`/api/extensions/${r.body.id}/decision`, { grant: true })).status).toBe(200);
      expect((await admin.post(`/api/extensions/${r.body.id}/decision`, { grant: false })).status).toBe(409);
      const c = (await admin.get(`/api/cycles/${future}?today=2030-03-15`)).body;
      const mine = c.tasks.find((x: { id: string }) => x.id === t.id);
      expect(mine.effective_due).toBe('2030-03-20');
      expect(mine.late).toBe(false);
    });

    it('on-time statistics count a report handed in before its deadline', async () => {
      const me = (await guarantor.get('/api/me')).body;
      const files = folderFiles(join(p.uploads, 'liaocheng', me.unit));
      const onTime = await guarantor.upload(`/api/tasks/${(await task(future, 'month-01')).id}/ledger`, files);
      expect(onTime.status).toBe(200);
      const late = await guarantor.upload(`/api/tasks/${(await task(past, 'month-01')).id}/ledger`, files);
      expect(late.status).toBe(200);
      const statsFuture = (await admin.get(`/api/cycles/${future}`)).body.stats.find((s: { step: string }) => s.step === 'month-01');
      expect(statsFuture.on_time).toBe(1);
      const statsPast = (await admin.get(`/api/cycles/${past}`)).body.stats.find((s: { step: string }) => s.step === 'month-01');
      expect(statsPast.late).toBe(1);
      expect((await reviewer.post(`/api/versions/${late.body.id}/approve`)).status).toBe(200);
    });

    it('the monthly report: the bureau sees every guarantor; a bank only its own part', async () => {
      // No approved March report yet: an empty report, not someone else's month.
      const march = (await admin.get(`/api/cycles/${past}/monthly-report/3`)).body;
      expect(march.reports).toBe(0);
      expect(march.guarantors).toEqual([]);
      expect((await admin.get(`/api/cycles/${past}/monthly-report/13`)).status).toBe(400);
      const r = (await admin.get(`/api/cycles/${past}/monthly-report/1`)).body;
      expect(r.reports).toBe(1);
      expect(r.guarantors.length).toBeGreaterThan(0);
      const g = r.guarantors.find((x: { month_new_count: number }) => x.month_new_count > 0) ?? r.guarantors[0];
      expect(g.month_end_balance).toMatch(/^\d+\.\d{2}$/);
      const banks = new Set<string>(r.guarantors.flatMap((x: { banks: { bank: string }[] }) => x.banks.map((b) => b.bank)));
      const bankUscc = [...banks].find((b) => /^[0-9A-Z]{18}$/.test(b))!;
      const sys = await signIn(p.app, 'sysadmin');
      expect((await sys.post('/api/accounts', { username: 'bank.lc.report', displayName: '聊城银行', password: PASSWORD, unitId: `lc-${bankUscc}`, role: 'bank_reporter', scope: 'unit' })).status).toBe(200);
      const bank = await signIn(p.app, 'bank.lc.report');
      const seen = (await bank.get(`/api/cycles/${past}/monthly-report/1`)).body;
      const seenBanks = new Set(seen.guarantors.flatMap((x: { banks: { bank: string }[] }) => x.banks.map((b) => b.bank)));
      expect([...seenBanks]).toEqual([bankUscc]);
      expect(seen.guarantors[0].month_end_balance).toBeUndefined();
      const wz = await signIn(p.app, 'bank.wz');
      expect((await wz.get(`/api/cycles/${past}/monthly-report/1`)).status).toBe(404);
    });

    it('monitoring tracks the document’s targets and raises alerts from approved data', async () => {
      const m = (await admin.get(`/api/cycles/${past}/monitoring`)).body;
      expect(m.targets.map((t: { code: string }) => t.code)).toEqual(['small_micro_agri_share', 'average_fee_rate']);
      expect(m.targets[0].actual).toMatch(/%$/);
      for (const a of m.alerts) expect(a).toMatchObject({ code: expect.any(String), institution: expect.any(String), cite: expect.any(String) });
    });

    it('an unknown open parameter is refused before a job starts', async () => {
      const r = await admin.post(`/api/cycles/${past}/computations`, { parameters: { '7.no_such_parameter': '1' } });
      expect(r.status).toBe(400);
      expect(r.body.key).toBe('computation.parameters');
    });
  });
}
