// Programme money and oversight through the API: an application whose claim differs from the
// computation; department agreement; payment refused twice over (same loan in two categories, same
// guarantee under two programmes); forbidden fund use; a clawback from a < 70 result to recovery;
// the competitive deposit adding up to the fen; a sampling review redrawn from its seed; the
// evasion register.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSample } from '../src/oversight/sampling.ts';
import { jobs } from '../src/compute/jobs.ts';
import { dbKinds, openPlatform, runLedgerCycle, signIn, type Client, type Platform } from './harness.ts';

const today = () => new Date().toISOString().slice(0, 10);
const cents = (s: string) => BigInt(s.replace('.', ''));
const yuanOf = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

for (const kind of dbKinds()) {
  describe(`programme money and oversight on ${kind}`, () => {
    let p: Platform;
    beforeAll(async () => {
      p = await openPlatform(kind);
    }, 180_000);
    afterAll(async () => p?.close());

    it('linhai: window, a claim that differs, four departments agree, payment within the verified amount, each loan once', async () => {
      const { cycleId, computationId, admin, reporters } = await runLedgerCycle(p, { id: 'linhai-2021', key: 'lh', city: 'linhai', year: 2021 });
      const result = (await admin.get(`/api/computations/${computationId}?unmask=1`)).body.result;
      // An institution with at least one award.
      const [unitId, bank] = [...reporters].find(([u]) => result.awards.some((a: { recipient: string }) => `lh-${a.recipient}` === u))!;
      const uscc = unitId.slice(3);
      const mine = result.awards.filter((a: { recipient: string }) => a.recipient === uscc) as { clause: string; amount: string }[];
      const first = mine[0];
      const claims = [{ clause: first.clause, amount: yuanOf(cents(first.amount) + 10000n) }, { clause: 'no-such-award', amount: '5000.00' }];

      // 次年2月底前: the document's window for 2021 closed in 2022.
      const closed = await bank.post(`/api/cycles/${cycleId}/applications`, { claims });
      expect(closed.status).toBe(409);
      expect(closed.body.key).toBe('application.window_closed');
      expect((await admin.post(`/api/cycles/${cycleId}/application-window`, { from: today(), to: today() })).status).toBe(200);
      const app = await bank.post(`/api/cycles/${cycleId}/applications`, { claims });
      expect(app.status, JSON.stringify(app.body)).toBe(200);

      const v = await admin.post(`/api/applications/${app.body.id}/verify`);
      expect(v.status, JSON.stringify(v.body)).toBe(200);
      const line = v.body.lines.find((l: { clause: string }) => l.clause === first.clause);
      expect(line).toMatchObject({ claimed: yuanOf(cents(first.amount) + 10000n), computed: first.amount, difference: '100.00', agrees: false });
      expect(line.trace.length).toBeGreaterThan(0);
      expect(v.body.lines.find((l: { clause: string }) => l.clause === 'no-such-award')).toMatchObject({ computed: '0.00', difference: '5000.00' });

      // Not paid before every department the document names has agreed.
      const pay = { programme: 'linhai-2021', cycle: cycleId, application: app.body.id, recipient: uscc, clause: first.clause, amount: first.amount, paidOn: today(), voucher: 'LH-2022-001' };
      for (const u of ['financial_office.lh', 'pboc.lh']) expect((await (await signIn(p.app, u)).post(`/api/applications/${app.body.id}/decision`, { agree: true })).status).toBe(200);
      expect((await admin.post('/api/payments', pay)).body.key).toBe('application.state');
      expect((await (await signIn(p.app, 'office.lh')).post(`/api/applications/${app.body.id}/decision`, { agree: true })).status).toBe(403);
      expect((await admin.post(`/api/applications/${app.body.id}/decision`, { agree: true })).body.pending).toEqual(['regulator']);
      expect((await (await signIn(p.app, 'regulator.lh')).post(`/api/applications/${app.body.id}/decision`, { agree: true, note: '同意' })).body.status).toBe('approved');

      // Paid at the computed amount, never above it.
      const paid = await admin.post('/api/payments', { ...pay, business: [{ kind: 'loan', id: 'LH-LOAN-1', category: 'first_loan' }] });
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
      const more = await admin.post('/api/payments', { ...pay, amount: '0.01', voucher: 'LH-2022-002' });
      expect(more.body.key).toBe('payment.over_verified');

      // One loan under two categories in one payment: refused.
      const twice = await admin.post('/api/payments', {
        programme: 'linhai-2021', recipient: uscc, clause: '15', amount: '100.00', paidOn: today(), voucher: 'LH-2022-003',
        business: [{ kind: 'loan', id: 'LH-LOAN-2', category: 'first_loan' }, { kind: 'loan', id: 'LH-LOAN-2', category: 'tech_enterprise' }],
      });
      expect(twice.status).toBe(409);
      expect(twice.body.details[0].key).toBe('payment.business_twice');
      // The loan already paid under another clause: refused, showing the earlier payment.
      const again = await admin.post('/api/payments', { programme: 'linhai-2021', recipient: uscc, clause: '15', amount: '100.00', paidOn: today(), voucher: 'LH-2022-004', business: [{ kind: 'loan', id: 'LH-LOAN-1', category: 'movable' }] });
      expect(again.status).toBe(409);
      expect(again.body.details[0]).toMatchObject({ key: 'payment.duplicate', existing: { id: paid.body.id, voucher: 'LH-2022-001' } });
      const ledger = (await admin.get('/api/payments?programme=linhai-2021')).body;
      expect(ledger).toHaveLength(1);
      // Refusals are in the audit chain too.
      const [refused] = await p.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM audit_log WHERE action = 'payment.refused'`);
      expect(refused.n).toBeGreaterThanOrEqual(2);
    }, 300_000);

    it('one guarantee’s compensation is paid by one programme only (Wenzhou 8 vs Liaocheng 7)', async () => {
      const wz = await signIn(p.app, 'admin.wz');
      const lc = await signIn(p.app, 'admin.lc');
      const ok = await wz.post('/api/payments', { programme: 'wenzhou-2022', recipient: '91330300MABA1RPY2Q', clause: '8', amount: '12345.67', paidOn: '2023-05-10', voucher: 'WZ-2023-8-01', business: [{ kind: 'guarantee', id: 'DB-SHARED-1' }] });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const dup = await lc.post('/api/payments', { programme: 'liaocheng-2023', recipient: '91371500MA000000X0', clause: '7', amount: '500.00', paidOn: '2023-06-01', voucher: 'LC-2023-7-01', business: [{ kind: 'guarantee', id: 'DB-SHARED-1' }] });
      expect(dup.status).toBe(409);
      expect(dup.body.details[0]).toMatchObject({ key: 'payment.duplicate', existing: { programme: 'wenzhou-2022', clause: '8', voucher: 'WZ-2023-8-01', amount: '12345.67' } });
      // A bureau pays only its own programmes.
      expect((await lc.post('/api/payments', { programme: 'wenzhou-2022', recipient: 'x', clause: '8', amount: '1.00', paidOn: '2023-06-01', voucher: 'v' })).status).toBe(404);
    });

    it('tianjin: the reward’s uses are limited; a district below 70 has the whole reward recovered', async () => {
      const admin = await signIn(p.app, 'admin.tj');
      const reviewer = await signIn(p.app, 'reviewer.tj');
      // Both districts were pilots last year and received 30M each.
      for (const d of ['120101', '120102']) {
        expect((await admin.post('/api/payments', { programme: 'tianjin-pilot', recipient: `tj-${d}`, clause: 'selection', amount: '30000000.00', paidOn: '2024-04-15', voucher: `TJ-2024-${d}` })).status).toBe(200);
      }
      const use = (purpose: string, amount: string, beneficiary?: string) =>
        admin.post('/api/fund-uses', { programme: 'tianjin-pilot', unit: 'tj-120102', purpose, amount, usedOn: '2024-06-01', description: purpose === 'office' ? '区财政局办公楼修缮' : '注资区融资担保公司', beneficiary });
      const forbidden = await use('office', '1000000.00');
      expect(forbidden.status).toBe(409);
      expect(forbidden.body.key).toBe('fund.purpose_forbidden');
      expect((await use('guarantor_capital', '10000000.00', '91120102MA0000001X')).status).toBe(200);
      expect((await use('risk_compensation', '20000000.01')).body.key).toBe('fund.insufficient');
      // A 主体 that has fee-reduction support this year gets no reward money too.
      expect((await (await signIn(p.app, 'admin.lc')).post('/api/payments', { programme: 'liaocheng-2023', recipient: '91120102MA0000002X', clause: '8', amount: '800.00', paidOn: '2024-03-01', voucher: 'LC-8-1' })).status).toBe(200);
      const doubled = await use('guarantor_capital', '1000.00', '91120102MA0000002X');
      expect(doubled.body.key).toBe('fund.recipient_supported');
      const funds = (await admin.get('/api/programmes/tianjin-pilot/funds/tj-120102')).body;
      expect(funds).toMatchObject({ received: '30000000.00', used: '10000000.00', balance: '20000000.00' });

      // The 2024 evaluation: 120101 scores 100, 120102 scores below 70.
      const cycleId = (await admin.post('/api/programmes/tianjin-pilot/cycles', { year: 2024 })).body.id;
      const versions: string[] = [];
      for (const [d, share] of [['120101', 100], ['120102', 60]] as const) {
        for (const dept of ['pboc', 'finance', 'science']) {
          const c = await signIn(p.app, `tj.${d}.${dept}`);
          const task = ((await c.get('/api/tasks')).body as { id: string; cycle_id: string; step: string; subject_unit: string; indicators: string[] }[]).find((t) => t.cycle_id === cycleId && t.step === 'indicators')!;
          const max: Record<string, number> = { '1.2': 35, '2': 30, '3': 20, '4': 10 };
          const values = task.indicators.map((ind) => (ind === '1.1' ? { subject: task.subject_unit, indicator: ind, actual: String(share), target: '100' } : { subject: task.subject_unit, indicator: ind, points: String((max[ind] * share) / 100) }));
          const r = await c.post(`/api/tasks/${task.id}/indicators`, { values });
          expect(r.status).toBe(200);
          versions.push(r.body.id);
        }
      }
      for (const v of versions) await reviewer.post(`/api/versions/${v}/approve`);
      const k = (await admin.post(`/api/cycles/${cycleId}/computations`, {})).body.id;
      await jobs.done(k);
      const result = (await admin.get(`/api/computations/${k}`)).body.result;
      expect(result.results.find((r: { unit: string }) => r.unit === 'tj-120102').consequences).toContain('disqualified_clawback');
      expect((await admin.post(`/api/computations/${k}/recovery-cases`)).body.key).toBe('recovery.unpublished');
      await admin.post(`/api/computations/${k}/approve`);
      await admin.post(`/api/computations/${k}/publish`, { noticeDays: 5 });
      const cases = (await admin.post(`/api/computations/${k}/recovery-cases`)).body;
      expect(cases).toEqual([{ id: expect.any(String), unit: 'tj-120102', amount: '30000000.00' }]);
      // Raising again does not duplicate the case.
      expect((await admin.post(`/api/computations/${k}/recovery-cases`)).body).toEqual([]);
      const id = cases[0].id;
      expect((await admin.post(`/api/recovery-cases/${id}/events`, { kind: 'notified', note: '已下达追回通知' })).body.status).toBe('recovering');
      expect((await admin.post(`/api/recovery-cases/${id}/events`, { kind: 'received', amount: '10000000.00' })).body.key).toBe('recovery.voucher');
      expect((await admin.post(`/api/recovery-cases/${id}/events`, { kind: 'received', amount: '10000000.00', voucher: 'JK-1' })).body.outstanding).toBe('20000000.00');
      expect((await admin.post(`/api/recovery-cases/${id}/events`, { kind: 'received', amount: '20000000.01', voucher: 'JK-2' })).body.key).toBe('recovery.over');
      expect((await admin.post(`/api/recovery-cases/${id}/events`, { kind: 'received', amount: '20000000.00', voucher: 'JK-2' })).body.status).toBe('recovered');
      const c = (await admin.get(`/api/recovery-cases/${id}`)).body;
      expect(c).toMatchObject({ status: 'recovered', recovered: '30000000.00', outstanding: '0.00' });
      expect(c.events.map((e: { kind: string }) => e.kind)).toEqual(['raised', 'notified', 'received', 'received']);
      expect((await admin.post(`/api/recovery-cases/${id}/events`, { kind: 'notified' })).body.key).toBe('recovery.closed');
    }, 300_000);

    it('wenzhou 第一条: the competitive deposit adds up to the fen; weights are data; a sampling review redraws from its seed', async () => {
      const { cycleId, admin } = await runLedgerCycle(p, { id: 'wenzhou-2022', key: 'wz', city: 'wenzhou', year: 2022 });
      const a = await admin.post(`/api/cycles/${cycleId}/deposit-allocations`, { total: '1000000000.01' });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.banks.length).toBeGreaterThan(1);
      const sum = a.body.banks.reduce((s: bigint, b: { amount: string }) => s + cents(b.amount), 0n);
      expect(sum).toBe(100000000001n);
      expect(a.body.sum).toBe('1000000000.01');
      expect(a.body.banks.some((b: { amount: string }) => b.amount !== '0.00')).toBe(true);
      // Only the rate part counts now: the split changes, and still adds up.
      const w = await admin.post('/api/programmes/wenzhou-2022/deposit-weights', { inclusive_small_micro_growth: '0', farmer_production_growth: '0', small_micro_credit_growth: '0', new_inclusive_rate_fall: '1' });
      expect(w.body.new_inclusive_rate_fall).toBe('1');
      const b = (await admin.post(`/api/cycles/${cycleId}/deposit-allocations`, { total: '333333.33' })).body;
      expect(b.banks.reduce((s: bigint, x: { amount: string }) => s + cents(x.amount), 0n)).toBe(33333333n);
      expect((await (await signIn(p.app, 'bank.wz')).post(`/api/cycles/${cycleId}/deposit-allocations`, { total: '1.00' })).status).toBe(403);

      const s1 = (await admin.post(`/api/cycles/${cycleId}/sampling-reviews`, { size: 4, seed: 'wz2022-chouShen' })).body;
      expect(s1.sample).toHaveLength(4);
      expect(s1.sample).toEqual(drawSample(s1.population, 4, 'wz2022-chouShen'));
      const s2 = (await admin.post(`/api/cycles/${cycleId}/sampling-reviews`, { size: 4, seed: 'wz2022-chouShen' })).body;
      expect(s2.sample).toEqual(s1.sample);
      const s3 = (await admin.post(`/api/cycles/${cycleId}/sampling-reviews`, { size: 4 })).body;
      expect(s3.seed).toMatch(/^[0-9a-f]{32}$/);
      const got = (await admin.get(`/api/sampling-reviews/${s1.id}`)).body;
      expect(got).toMatchObject({ seed: 'wz2022-chouShen', reproducible: true });
      const outsider = s1.population.find((u: string) => !s1.sample.includes(u));
      expect((await admin.post(`/api/sampling-reviews/${s1.id}/findings`, { unit: outsider, outcome: 'confirmed', note: '复核无误' })).status).toBe(400);
      expect((await admin.post(`/api/sampling-reviews/${s1.id}/findings`, { unit: s1.sample[0], outcome: 'adjusted', note: '第3.1条损失金额核减' })).status).toBe(200);
    }, 300_000);

    it('liaocheng: compensations under check for evasion, one handed to the police', async () => {
      const { cycleId, admin } = await runLedgerCycle(p, { id: 'liaocheng-2023', key: 'lc', city: 'liaocheng', year: 2023 });
      const opened = (await admin.post(`/api/cycles/${cycleId}/evasion-checks`)).body;
      expect(opened.opened).toBeGreaterThan(0);
      expect((await admin.post(`/api/cycles/${cycleId}/evasion-checks`)).body.opened).toBe(0);
      const reg = (await admin.get('/api/programmes/liaocheng-2023/evasion-checks')).body;
      expect(reg.checks.every((c: { status: string }) => c.status === 'under_check')).toBe(true);
      const id = reg.checks[0].id;
      expect((await admin.post(`/api/evasion-checks/${id}/decision`, { status: 'handed_to_police', note: '被担保人转移资产' })).body.key).toBe('evasion.police_ref');
      expect((await admin.post(`/api/evasion-checks/${id}/decision`, { status: 'handed_to_police', note: '被担保人转移资产', policeRef: '聊公经移〔2024〕12号' })).status).toBe(200);
      const after = (await admin.get('/api/programmes/liaocheng-2023/evasion-checks')).body.checks.find((c: { id: string }) => c.id === id);
      expect(after).toMatchObject({ status: 'handed_to_police', police_ref: '聊公经移〔2024〕12号' });
    }, 300_000);
  });
}
