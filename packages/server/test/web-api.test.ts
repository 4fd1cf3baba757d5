// The endpoints the web UI added: the policy library, the what-if (exact, side by side), the Excel
// template (sheets, headers, dropdowns) and its upload, Excel exports, the 公示 notice, the look-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { SCHEMA } from '@caijin/ledger';
import { fenOf } from '../src/routes/library.ts';
import { openPlatform, runLedgerCycle, signIn, type Platform } from './harness.ts';

describe('web UI endpoints (PGlite)', () => {
  let p: Platform;
  let cycleId = '';
  let computationId = '';
  beforeAll(async () => {
    p = await openPlatform('pglite');
    ({ cycleId, computationId } = await runLedgerCycle(p, { id: 'wenzhou-2022', key: 'wz', city: 'wenzhou', year: 2022 }));
  }, 300_000);
  afterAll(async () => p?.close());

  const get = async (url: string) => {
    const r = await p.app.inject({ method: 'GET', url });
    return { status: r.statusCode, headers: r.headers, body: r.headers['content-type']?.toString().includes('json') ? JSON.parse(r.body) : r.rawPayload };
  };

  it('lists policies and shows one clause by clause with its open parameters and the programmes using it', async () => {
    const lib = (await get('/api/library')).body;
    expect(lib.policies.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['wenzhou-2022', 'linhai-2021', 'liaocheng-2023']));
    expect(lib.schemes.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['tianjin-2019', 'chongqing-2021']));
    const pol = (await get('/api/library/policies/wenzhou-2022')).body;
    const c8 = pol.clauses.find((c: { id: string }) => c.id === '8');
    expect(c8.text).toContain('担保');
    expect(c8.params.find((x: { name: string }) => x.name === 'leverage_coefficient')).toMatchObject({ key: '8.leverage_coefficient', open: true, value: null });
    expect(pol.used_by[0]).toMatchObject({ id: 'wenzhou-2022', cycle_id: cycleId });
    expect((await get('/api/library/policies/nope')).status).toBe(404);
  });

  it('what-if: an open parameter given, the budget per recipient side by side, exact to the fen', async () => {
    const admin = await signIn(p.app, 'admin.wz');
    const r = await admin.post(`/api/cycles/${cycleId}/what-if`, { parameters: { '8.leverage_coefficient': '[{"from":0,"value":1},{"from":5,"value":1.2}]' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.unset_before).toContain('wenzhou-2022/8.leverage_coefficient');
    expect(r.body.unset_after).not.toContain('wenzhou-2022/8.leverage_coefficient');
    const k = (await admin.get(`/api/computations/${computationId}?unmask=1`)).body;
    expect(r.body.total_before).toBe(k.result.total);
    const sum = (key: 'before' | 'after' | 'change') => r.body.recipients.reduce((a: bigint, x: Record<string, string>) => a + fenOf(x[key]), 0n);
    expect(sum('before')).toBe(fenOf(r.body.total_before));
    expect(sum('after')).toBe(fenOf(r.body.total_after));
    expect(sum('change')).toBe(fenOf(r.body.total_change));
    expect(r.body.clauses.find((c: { clause: string }) => c.clause === '8').status_after).toBe('computed');
    // A typo is an error, not a silent no-op; reporters may not run it.
    expect((await admin.post(`/api/cycles/${cycleId}/what-if`, { parameters: { '8.nope': '1' } })).status).toBe(400);
    const bank = await signIn(p.app, 'bank.wz');
    expect((await bank.post(`/api/cycles/${cycleId}/what-if`, {})).status).toBe(403);
  }, 120_000);

  it('the Excel template has a sheet per table the reporter hands in, Chinese headers, dropdowns and a notes sheet', async () => {
    const bank = await signIn(p.app, 'bank.wz');
    const r = await p.app.inject({ method: 'GET', url: '/api/templates/ledger.xlsx', cookies: { caijin_session: bank.token } });
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const loans = wb.getWorksheet(SCHEMA.loans.zh)!;
    expect(loans.getRow(1).values).toEqual([undefined, ...SCHEMA.loans.columns.map((c) => c.zh)]);
    const ent = wb.getWorksheet(SCHEMA.enterprises.zh)!;
    const kindAt = SCHEMA.enterprises.columns.findIndex((c) => c.key === 'kind') + 1;
    const v = ent.getCell(2, kindAt).dataValidation;
    expect(v.type).toBe('list');
    expect(v.formulae[0]).toContain('个体工商户');
    expect(wb.getWorksheet('填报说明')).toBeTruthy();
    expect(wb.getWorksheet(SCHEMA.guarantees.zh)).toBeUndefined(); // a bank does not report guarantees
  });

  it('exports a table to Excel and prints the 公示 notice of a published result', async () => {
    const payload = { title: '结果', columns: [{ key: 'a', title: '金额', money: true }], rows: [{ a: '1234.50' }] };
    // Formatting client rows into a workbook is for signed-in users; the public gets server-built exports.
    expect((await p.app.inject({ method: 'POST', url: '/api/exports/xlsx', payload })).statusCode).toBe(403);
    const reviewer = await signIn(p.app, 'admin.wz');
    const x = await p.app.inject({ method: 'POST', url: '/api/exports/xlsx', payload, cookies: { caijin_session: reviewer.token }, headers: { 'x-csrf-token': reviewer.csrf } });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getCell('A2').value).toBe(1234.5);

    const admin = await signIn(p.app, 'admin.wz');
    expect((await get(`/api/public/results/${computationId}/notice.html`)).status).toBe(404); // not published yet
    await admin.post(`/api/computations/${computationId}/approve`);
    await admin.post(`/api/computations/${computationId}/publish`, { noticeDays: 7 });
    const html = (await get(`/api/public/results/${computationId}/notice.html`)).body.toString();
    expect(html).toContain('温州市财政局');
    expect(html).toContain('的公示');
    expect(html).not.toContain('<script');

    // The published list as Excel for anyone, from the public form of the result (身份证 masked).
    const pub = await p.app.inject({ method: 'GET', url: `/api/public/results/${computationId}/export.xlsx` });
    expect(pub.statusCode).toBe(200);
    const pwb = new ExcelJS.Workbook();
    await pwb.xlsx.load(pub.rawPayload as unknown as ArrayBuffer);
    const sheet = pwb.worksheets[0];
    const k = (await admin.get(`/api/computations/${computationId}`)).body;
    expect([k.programme_title, k.year]).toEqual(['温州市普惠金融改革试验区财政支持政策', 2022]);
    expect(sheet.rowCount).toBe(k.result.awards.length + 1);
    let fen = 0n;
    sheet.eachRow((row, i) => { if (i > 1) fen += BigInt(Math.round(Number(row.getCell(5).value) * 100)); });
    expect(fen).toBe(fenOf(k.result.total));
    sheet.eachRow((row) => expect(String(row.getCell(1).value)).not.toMatch(/^\d{17}[\dX]$/));
  });

  it('objections: received in the notice period, listed and answered once by the bureau, read back by the objector', async () => {
    const sent = await p.app.inject({ method: 'POST', url: `/api/public/results/${computationId}/objections`, payload: { name: '某企业', contact: '13800000000', text: '我单位的补助金额与申报不符' } });
    expect(sent.statusCode, sent.body).toBe(200);
    const { id } = JSON.parse(sent.body);
    const mine = async (contact: string) => p.app.inject({ method: 'GET', url: `/api/public/objections/${id}?contact=${contact}` });
    expect(JSON.parse((await mine('13800000000')).body).status).toBe('received');
    expect((await mine('13900000000')).statusCode).toBe(404); // another contact learns nothing
    const admin = await signIn(p.app, 'admin.wz');
    const list = (await admin.get(`/api/computations/${computationId}/objections`)).body;
    expect(list).toEqual([expect.objectContaining({ id, status: 'received', text: '我单位的补助金额与申报不符' })]);
    const bank = await signIn(p.app, 'bank.wz');
    expect((await bank.get(`/api/computations/${computationId}/objections`)).status).toBe(403);
    expect((await bank.post(`/api/objections/${id}/answer`, { answer: '不由银行答复' })).status).toBe(403);
    expect((await admin.post(`/api/objections/${id}/answer`, { answer: '经核实，按第五条计算无误。' })).status).toBe(200);
    expect((await admin.post(`/api/objections/${id}/answer`, { answer: '再答一次' })).status).toBe(409);
    expect(JSON.parse((await mine('13800000000')).body)).toMatchObject({ status: 'answered', answer: '经核实，按第五条计算无误。' });
    const audit = await signIn(p.app, 'auditor');
    const page = (await audit.get('/api/audit/page?action=objection&size=10')).body;
    expect(page.rows.map((r: { action: string }) => r.action)).toEqual(['objection.answer', 'objection.receive']);
    expect(page.total).toBe(2);
  });

  it('the audit viewer pages newest first and filters by action, account and words', async () => {
    const audit = await signIn(p.app, 'auditor');
    const all = (await audit.get('/api/audit/page?size=5')).body;
    expect(all.rows).toHaveLength(5);
    expect(all.total).toBeGreaterThan(5);
    const seqs = all.rows.map((r: { seq: string }) => Number(r.seq));
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    const second = (await audit.get('/api/audit/page?size=5&page=2')).body;
    expect(Number(second.rows[0].seq)).toBe(seqs[4] - 1);
    const byAdmin = (await audit.get('/api/audit/page?actor=admin.wz&size=200')).body;
    expect(byAdmin.total).toBeGreaterThan(0);
    expect(byAdmin.rows.every((r: { username: string }) => r.username === 'admin.wz')).toBe(true);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await audit.get(`/api/audit/page?from=${today}&to=${today}`)).body.total).toBe(all.total);
    expect((await audit.get('/api/audit/page?from=2000-01-01&to=2000-01-02')).body.total).toBe(0);
    // A quote in the filter is data, not SQL.
    expect((await audit.get(`/api/audit/page?q=${encodeURIComponent("x' OR '1'='1")}`)).body.total).toBe(0);
    const admin = await signIn(p.app, 'admin.wz');
    expect((await admin.get('/api/audit/page')).status).toBe(403);
  });

  it('monitoring shows month-end balance trends against the year before, with 同比 from the same sums', async () => {
    const admin = await signIn(p.app, 'admin.wz');
    const m = (await admin.get(`/api/cycles/${cycleId}/monitoring`)).body;
    const loans = m.trends.find((t: { code: string }) => t.code === 'loans');
    expect(loans.thisYear).toHaveLength(12);
    expect(loans.thisYear[11]).toMatch(/^\d+\.\d{2}$/);
    const small = m.trends.find((t: { code: string }) => t.code === 'small_micro_loans');
    expect(fenOf(small.thisYear[11])).toBeLessThanOrEqual(fenOf(loans.thisYear[11]));
    // Percentages to two decimals, half up, from the exact fen ("…" marks a rounded one).
    const pctOf = (a: bigint, b: bigint) => {
      const tenThousandths = ((a - b) * 2_000_000n + b) / (2n * b); // (a-b)/b in 1e-4 %, half up for positives
      return Number(tenThousandths) / 10_000;
    };
    const num = (s: string) => Number(s.replace(/[%…]/g, ''));
    let checked = 0;
    for (const t of m.trends) {
      for (let i = 0; i < 12; i++) {
        if (t.yoy[i] !== null) {
          expect(Math.abs(num(t.yoy[i]) - pctOf(fenOf(t.thisYear[i]), fenOf(t.lastYear[i])))).toBeLessThan(0.006);
          checked++;
        }
        if (t.sinceYearStart[i] !== null) {
          expect(Math.abs(num(t.sinceYearStart[i]) - pctOf(fenOf(t.thisYear[i]), fenOf(t.lastYear[11])))).toBeLessThan(0.006);
          checked++;
        }
      }
      expect(t.yoy[11]).toBe(t.sinceYearStart[11]); // December against last December: the same figure
    }
    expect(checked).toBeGreaterThan(12);
  });

  it('the look-up runs a profile through the clauses paying enterprises and finds published awards by USCC', async () => {
    const r = await p.app.inject({
      method: 'POST', url: '/api/public/lookup',
      payload: { kind: 'enterprise', industry: 'software', region: '331082', employees: '50', annual_sales: '20000000', tech_enterprise: true, tech_branch_loan_balance: '5000000' },
    });
    const body = JSON.parse(r.body);
    expect(r.statusCode, r.body).toBe(200);
    // 临海 三、(二)8: 2% of the monthly average balance, at most 20万.
    expect(body.clauses.find((c: { policy: string; clause: string }) => c.policy === 'linhai-2021' && c.clause === '8.2')).toMatchObject({ qualifies: true, amount: '100000.00' });
    const big = JSON.parse((await p.app.inject({ method: 'POST', url: '/api/public/lookup', payload: { industry: 'software', region: '331082', employees: '50', annual_sales: '40000000', tech_enterprise: true, tech_branch_loan_balance: '5000000' } })).body);
    expect(big.clauses.find((c: { clause: string }) => c.clause === '8.2').qualifies).toBe(false); // 年销售3000万元及以下
    // Policies apply where their issuer governs: a 临海 enterprise sees no 温州 clause, a 聊城 one neither.
    expect(body.clauses.every((c: { policy: string }) => c.policy === 'linhai-2021')).toBe(true);
    const lc = JSON.parse((await p.app.inject({ method: 'POST', url: '/api/public/lookup', payload: { industry: 'software', region: '371502', employees: '50', annual_sales: '20000000', tech_branch_loan_balance: '5000000' } })).body);
    expect(lc.clauses.filter((c: { policy: string }) => c.policy !== 'liaocheng-2023')).toEqual([]);

    // A 温州 farmer: nothing paid to it directly (附则1 excludes non-legal persons), but a guarantee or
    // a small-loan guarantee insurance policy it takes is subsidised (第四条, 第七条).
    const farmer = JSON.parse((await p.app.inject({ method: 'POST', url: '/api/public/lookup', payload: { kind: 'farmer', industry: 'agriculture', region: '330326', financing_amount: '300000' } })).body);
    const via = (c: string) => farmer.clauses.find((x: { clause: string }) => x.clause === c);
    expect(via('4')).toMatchObject({ via: 'insurance', qualifies: true, amount: '1500.00' }); // 0.5% of 30万
    expect(via('7')).toMatchObject({ via: 'guarantee', qualifies: true, amount: '1800.00' }); // fee 0.5% → 0.6% of the new balance
    expect(via('6')).toMatchObject({ via: 'direct', qualifies: false });
    // A large enterprise is outside 小微和三农: the channels say so, with its size.
    const large = JSON.parse((await p.app.inject({ method: 'POST', url: '/api/public/lookup', payload: { kind: 'enterprise', industry: 'industry', region: '330302', employees: '1200', annual_sales: '900000000' } })).body);
    expect(large.clauses.find((x: { clause: string }) => x.clause === '7')).toMatchObject({ qualifies: false });
    expect(large.clauses.find((x: { clause: string }) => x.clause === '7').reason).toContain('大型企业');
    // A core enterprise of a supply chain: 5家10笔 both reached, 0.1% of the financing, at most 20万 (第六条).
    const chain = async (parties: string, n: string, amount: string) => JSON.parse((await p.app.inject({
      method: 'POST', url: '/api/public/lookup',
      payload: { kind: 'enterprise', industry: 'industry', region: '330302', employees: '300', annual_sales: '300000000', supply_chain_counterparties: parties, supply_chain_financings: n, supply_chain_amount: amount },
    })).body).clauses.find((x: { clause: string }) => x.clause === '6');
    expect(await chain('5', '10', '30000000.01')).toMatchObject({ qualifies: true, amount: '30000.00' });
    expect(await chain('4', '10', '30000000')).toMatchObject({ qualifies: false });
    expect(await chain('5', '9', '30000000')).toMatchObject({ qualifies: false });
    expect(await chain('6', '12', '500000000')).toMatchObject({ qualifies: true, amount: '200000.00' });

    const admin = await signIn(p.app, 'admin.wz');
    const k = (await admin.get(`/api/computations/${computationId}?unmask=1`)).body;
    const award = k.result.awards.find((a: { clause: string }) => a.clause === '5.1');
    if (award) {
      const onFile = JSON.parse((await p.app.inject({ method: 'POST', url: '/api/public/lookup', payload: { uscc: award.recipient } })).body).on_file;
      expect(onFile).toEqual([expect.objectContaining({ clause: '5.1', amount: award.amount })]);
    }
  });
});
