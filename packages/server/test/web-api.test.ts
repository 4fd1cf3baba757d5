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
    const x = await p.app.inject({ method: 'POST', url: '/api/exports/xlsx', payload: { title: '结果', columns: [{ key: 'a', title: '金额', money: true }], rows: [{ a: '1234.50' }] } });
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
    const admin = await signIn(p.app, 'admin.wz');
    const k = (await admin.get(`/api/computations/${computationId}?unmask=1`)).body;
    const award = k.result.awards.find((a: { clause: string }) => a.clause === '5.1');
    if (award) {
      const onFile = JSON.parse((await p.app.inject({ method: 'POST', url: '/api/public/lookup', payload: { uscc: award.recipient } })).body).on_file;
      expect(onFile).toEqual([expect.objectContaining({ clause: '5.1', amount: award.amount })]);
    }
  });
});
