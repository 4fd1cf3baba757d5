// Browser tests: the real server (demo seed, PGlite in a temp dir, the built UI) driven by Debian's
// chromium through playwright-core, each role's main path at 1366×768, saving screenshots:
// a reporter uploads a bundle with an error, sees it by file/row/column, fixes the cell in the page
// and submits; the reviewer sends it back with a reason, compares the resubmission and approves;
// the bureau computes, opens an award's explanation and publishes; the public page shows it with
// the 公示 PDF (rendered to PNG) and takes an objection; the policy look-up finds a clause.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { SCHEMA, tableOfName } from '@caijin/ledger';
import { TIANJIN_DISTRICTS } from '@caijin/core';
import { startServer } from '@caijin/server';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'Demo2026pass';
// Each run writes here (ignored by git); a reviewed set is kept one level up.
const SHOTS = join(import.meta.dirname, 'screenshots', 'run');
const CYCLE = 'wenzhou-2022-2022';
const have = existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error('CI must install chromium (apt-get install chromium fonts-noto-cjk): the browser tests need it');

type Server = Awaited<ReturnType<typeof startServer>>;

/** A signed-in API client over HTTP (cookie + CSRF), for the set-up steps that are not under test. */
async function apiAs(base: string, username: string) {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const { token, csrf } = (await r.json()) as { token: string; csrf: string };
  const headers = { authorization: `Bearer ${token}`, 'x-csrf-token': csrf };
  const json = async (res: Response): Promise<any> => {
    const body = await res.json();
    if (!res.ok) throw new Error(`${res.url}: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    return body;
  };
  return {
    get: async (url: string) => json(await fetch(base + url, { headers })),
    post: async (url: string, body: unknown = {}) => json(await fetch(base + url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })),
    upload: async (url: string, files: { name: string; bytes: Uint8Array }[]) => {
      const fd = new FormData();
      for (const f of files) fd.append('file', new Blob([f.bytes]), f.name);
      return json(await fetch(base + url, { method: 'POST', headers, body: fd }));
    },
  };
}

describe.skipIf(!have)('the web UI in chromium', () => {
  let server: Server;
  let browser: Browser;
  let dir: string;
  let base: string;
  const contexts: BrowserContext[] = [];

  async function signedIn(username: string | null): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    if (username) {
      await page.goto(`${base}/login`);
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(PASSWORD);
      await page.locator('form button[type=submit]').click();
      await page.getByTestId('whoami').waitFor();
    }
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'caijin-web-'));
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, demo: true, demoPassword: PASSWORD, log: () => {}, app: { loginRateLimit: 1000, rateLimit: 100_000 } });
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let bankFiles: { name: string; bytes: Uint8Array }[] = [];
  let computationId = '';

  it('bureau opens the cycle from the programme page', async () => {
    const page = await signedIn('admin.wz');
    await page.goto(`${base}/programmes/wenzhou-2022`);
    await page.getByTestId('open-cycle').click();
    await page.waitForURL(`**/cycles/${CYCLE}`);
    await page.getByTestId('cycle-tasks').getByRole('row').nth(3).waitFor();
    await page.getByTestId('ontime-chart').locator('canvas').waitFor();
    await shot(page, '01-bureau-cycle');

    // Every table goes to Excel: the programme's cycles, with the statuses in words.
    await page.goto(`${base}/programmes/wenzhou-2022`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出Excel' }).first().click()]);
    expect(download.suggestedFilename()).toBe('工作周期.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['周期', '年度', '状态']));
    expect(sheet.getCell(2, 1).value).toBe(CYCLE);
    expect(['进行中', '已结束']).toContain(sheet.getCell(2, (sheet.getRow(1).values as string[]).indexOf('状态')).value);
  }, 120_000);

  it('reporter uploads a bundle with an error, sees it by row and column, fixes the cell and submits', async () => {
    const page = await signedIn('bank.wz');
    const me = await (await page.request.get(`${base}/api/me`)).json();
    const folder = join(dir, 'demo-uploads', 'wenzhou', me.unit);
    bankFiles = readdirSync(folder).sort().map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(folder, name))) }));
    const loans = bankFiles.find((f) => f.name === 'loans.csv')!;
    const lines = new TextDecoder().decode(loans.bytes).split('\n');
    const header = lines[0].split(',');
    const amountAt = header.indexOf('amount');
    const cells = lines[1].split(',');
    const good = cells[amountAt];
    cells[amountAt] = '12x3.00';
    const broken = [lines[0], cells.join(','), ...lines.slice(2)].join('\n');

    await page.goto(`${base}/`);
    await page.getByTestId('my-tasks').getByRole('link', { name: '报送年度业务数据' }).first().click();
    await page.waitForURL('**/tasks/**');
    await page.locator('input[type=file]').setInputFiles(bankFiles.map((f) => ({ name: f.name, mimeType: 'text/csv', buffer: Buffer.from(f.name === 'loans.csv' ? new TextEncoder().encode(broken) : f.bytes) })));
    await page.getByTestId('submit-ledger').click();
    const errors = page.getByTestId('ledger-errors');
    // Either the error list appears or the page says why not (a failure message is the test's answer).
    const failure = page.locator('.ant-message-error');
    const said = await Promise.race([
      // A machine busy writing gigabytes can stall the server's file writes for many seconds.
      errors.waitFor({ timeout: 90_000 }).then(() => null, () => null),
      failure.waitFor({ timeout: 90_000 }).then(() => failure.innerText(), () => null),
    ]);
    expect(said, 'the upload should list its errors, not fail').toBeNull();
    await errors.waitFor({ timeout: 1_000 });
    await expect(errors.getByRole('cell', { name: 'loans.csv' }).first().isVisible()).resolves.toBe(true);
    await expect(errors.getByRole('cell', { name: '12x3.00' }).first().isVisible()).resolves.toBe(true);
    await errors.scrollIntoViewIfNeeded();
    await shot(page, '02-reporter-errors');
    await page.getByTestId('fix-0').fill(good);
    await page.getByTestId('apply-fixes').click();
    await page.getByTestId('versions').getByText('已提交').waitFor();
    await expect(page.getByTestId('ledger-errors').count()).resolves.toBe(0);
  }, 120_000);

  it('reviewer sends it back with a reason; the reporter resubmits; the reviewer compares and approves', async () => {
    const reviewer = await signedIn('reviewer.wz');
    await reviewer.getByTestId('pending-review').getByRole('link', { name: '审核' }).first().click();
    await reviewer.waitForURL('**/tasks/**');
    const taskUrl = reviewer.url();
    await reviewer.getByTestId('return').click();
    await reviewer.getByTestId('return-reason').fill('贷款利率请与合同核对后重报');
    await reviewer.getByTestId('confirm-return').click();
    await reviewer.getByTestId('versions').getByText('已退回').waitFor();

    // The reporter sees the reason and hands in a corrected second version (one rate changed).
    const reporter = await signedIn('bank.wz');
    await reporter.goto(taskUrl);
    await reporter.getByText('贷款利率请与合同核对后重报').first().waitFor();
    const files = bankFiles.map((f) => {
      if (f.name !== 'loans.csv') return f;
      const lines = new TextDecoder().decode(f.bytes).split('\n');
      const at = lines[0].split(',').indexOf('rate_pct');
      const cells = lines[1].split(',');
      cells[at] = '4.35';
      return { name: f.name, bytes: new TextEncoder().encode([lines[0], cells.join(','), ...lines.slice(2)].join('\n')) };
    });
    // The second version goes in through the Excel template: downloaded from the page (one sheet per
    // table, Chinese headers, dropdowns), filled with the same rows as text, uploaded as one .xlsx.
    const [dl] = await Promise.all([reporter.waitForEvent('download'), reporter.getByTestId('template').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(await dl.path()) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('填报说明')).toBeTruthy();
    const loansSheet = wb.getWorksheet(SCHEMA.loans.zh)!;
    expect(loansSheet.getRow(1).getCell(1).value).toBe(SCHEMA.loans.columns[0].zh);
    for (const f of files) {
      const table = tableOfName(f.name)!;
      const ws = wb.getWorksheet(SCHEMA[table].zh)!;
      const [head, ...rows] = new TextDecoder().decode(f.bytes).trim().split('\n').map((l) => l.split(','));
      const at = SCHEMA[table].columns.map((c) => head.indexOf(c.key));
      for (const r of rows) ws.addRow(at.map((i) => (i >= 0 ? r[i] : '')));
    }
    const book = Buffer.from(await wb.xlsx.writeBuffer());
    await reporter.locator('input[type=file]').setInputFiles([{ name: '数据报送.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: book }]);
    await reporter.getByTestId('submit-ledger').click();
    await reporter.getByTestId('versions').getByText('第2版').waitFor();

    await reviewer.reload();
    await reviewer.getByRole('button', { name: '与上一版本比较' }).first().click();
    await reviewer.getByTestId('diff').getByText('4.35').waitFor();
    await reviewer.waitForTimeout(600); // the modal's opening animation
    await shot(reviewer, '03-reviewer-diff');
    await reviewer.keyboard.press('Escape');
    await reviewer.getByTestId('approve').click();
    await reviewer.getByTestId('versions').getByText('已通过').waitFor();
  }, 120_000);

  it('bureau computes, explains an award down to input rows, approves and publishes', async () => {
    // The other reporters of the city hand in and are approved through the API (not under test here).
    const sys = await apiAs(base, 'sysadmin');
    const reviewer = await apiAs(base, 'reviewer.wz');
    const units: { id: string; kind: string }[] = await sys.get('/api/units');
    const roleOf: Record<string, string> = { bank: 'bank_reporter', guarantor: 'guarantor_reporter', reguarantor: 'guarantor_reporter', insurer: 'insurer_reporter', department: 'district_filler' };
    const bankUnit = (await (await apiAs(base, 'bank.wz')).get('/api/me')).unit;
    for (const d of readdirSync(join(dir, 'demo-uploads', 'wenzhou'))) {
      if (d === 'bundle' || d === bankUnit) continue;
      const username = `r.${d}`.slice(0, 60);
      await sys.post('/api/accounts', { username, displayName: `${d} 填报员`, password: PASSWORD, unitId: d, role: roleOf[units.find((u) => u.id === d)!.kind], scope: 'unit' });
      const c = await apiAs(base, username);
      const task = (await c.get('/api/tasks')).find((t: { cycle_id: string; submission: string }) => t.cycle_id === CYCLE && t.submission === 'ledger');
      if (!task) continue;
      const folder = join(dir, 'demo-uploads', 'wenzhou', d);
      const v = await c.upload(`/api/tasks/${task.id}/ledger`, readdirSync(folder).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(folder, name))) })));
      await reviewer.post(`/api/versions/${v.id}/approve`);
    }

    const page = await signedIn('admin.wz');
    await page.goto(`${base}/cycles/${CYCLE}`);
    await page.getByTestId('start-computation').click();
    await page.waitForURL('**/computations/**');
    computationId = page.url().split('/').pop()!;
    const table = page.getByTestId('recipient-table');
    await table.waitFor({ timeout: 180_000 });
    // Totals add up in every unit: the recipients' column sums to the grand total shown.
    for (const unit of ['万元', '亿元', '元']) {
      await page.getByTestId('money-unit').first().getByText(unit, { exact: true }).click();
      const total = (await page.getByTestId('grand-total').locator('.ant-statistic-content').innerText()).trim();
      await expect(page.getByTestId('recipient-total').innerText()).resolves.toBe(total);
    }
    await shot(page, '04-bureau-results');
    await table.locator('tbody tr.ant-table-row').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.waitFor();
    await drawer.locator('.ant-collapse-header').first().click();
    await drawer.getByTestId('trace').getByText(/\.csv:\d+/).first().waitFor();
    // Formulas read in words (Chinese labels, 合计/且…), the written form on hover.
    const formula = drawer.getByTestId('formula').first();
    const inWords = await formula.innerText();
    expect(inWords).toMatch(/^公式：.*[\u4e00-\u9fff]/);
    expect(inWords).not.toMatch(/[a-z]+_[a-z]+/);
    await expect(formula.getAttribute('title')).resolves.toMatch(/[a-z_]+/);
    await page.waitForTimeout(600);
    await shot(page, '05-bureau-explain');
    await page.keyboard.press('Escape');
    await page.getByTestId('approve-result').click();
    await page.getByTestId('publish').click();
    await page.getByText('公示页面').waitFor();
  }, 300_000);

  it('the public page shows the result, prints the 公示 PDF and takes an objection', async () => {
    const page = await signedIn(null);
    await page.goto(`${base}/public`);
    await page.getByTestId('public-results').getByRole('link').first().click();
    await page.getByTestId('recipient-table').waitFor();
    await shot(page, '06-public-result');

    const pdf = await page.request.get(`${base}/api/public/results/${computationId}/notice.pdf`);
    expect(pdf.status()).toBe(200);
    const out = mkdtempSync(join(tmpdir(), 'caijin-pdf-'));
    writeFileSync(join(out, 'notice.pdf'), await pdf.body());
    const text = execFileSync('pdftotext', ['-l', '1', join(out, 'notice.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('公示');
    expect(text).toContain('温州市财政局');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', join(out, 'notice.pdf'), join(SHOTS, '07-notice-pdf')]);
    rmSync(out, { recursive: true, force: true });

    const form = page.getByTestId('objection-form');
    await form.getByLabel('姓名或单位').fill('张三');
    await form.getByLabel('联系方式').fill('13800000000');
    await form.getByLabel('异议内容').fill('我公司第二条奖励金额与台账不符，请复核。');
    await form.getByRole('button', { name: '提交' }).click();
    const receipt = /编号 (\S+)。/.exec(await page.getByTestId('objection-ok').innerText())![1];

    // The bureau sees the objection under the published result and answers it in writing.
    const bureau = await signedIn('admin.wz');
    await bureau.goto(`${base}/computations/${computationId}`);
    const list = bureau.getByTestId('objections');
    await list.getByText('请复核').waitFor();
    await list.locator('input[data-testid="objection-answer"], [data-testid="objection-answer"] input').first().fill('经核实，第二条奖励按报送台账计算无误，维持公示结果。');
    await list.getByRole('button', { name: '答复' }).click();
    await list.getByText('已答复').waitFor();
    await list.scrollIntoViewIfNeeded();
    await shot(bureau, '16-bureau-objections');

    // The objector reads the answer with the receipt number and its contact.
    const ask = page.getByTestId('objection-lookup');
    await ask.getByLabel('受理编号').fill(receipt);
    await ask.getByLabel('联系方式').fill('13800000000');
    await ask.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('objection-status').getByText('维持公示结果').waitFor();
    await ask.scrollIntoViewIfNeeded();
    await shot(page, '17-public-objection-answer');
  }, 120_000);

  it('the policy look-up finds the clauses an enterprise qualifies for', async () => {
    const admin = await apiAs(base, 'admin.wz');
    const k = await admin.get(`/api/computations/${computationId}`);
    const enterprise = k.result.awards.find((a: { clause: string }) => a.clause === '5.1')?.recipient as string | undefined;
    const page = await signedIn(null);
    await page.goto(`${base}/public/lookup`);
    if (enterprise) await page.getByTestId('lookup-uscc').fill(enterprise);
    await page.getByTestId('lookup-employees').fill('50');
    await page.getByTestId('lookup-sales').fill('20000000');
    await page.getByTestId('lookup-balance').fill('5000000');
    await page.getByTestId('lookup-submit').click();
    await page.getByTestId('lookup-clauses').getByText('可能符合').first().waitFor();
    await page.getByTestId('lookup-clauses').locator('.ant-collapse-header').first().click();
    await page.getByTestId('trace').first().waitFor();
    if (enterprise) await page.getByTestId('lookup-on-file').getByText('第五条').first().waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(600);
    await shot(page, '08-public-lookup');

    // A farmer in 平阳县: nothing paid to it directly, but its guarantee and its guarantee insurance are subsidised.
    await page.goto(`${base}/public/lookup`);
    const form = page.getByTestId('lookup-form');
    const pick = async (label: string, option: string) => {
      await form.getByLabel(label).click();
      await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
    };
    await pick('主体类型', '农户');
    await pick('行业', '农林牧渔业');
    await pick('注册地', '温州市平阳县');
    await page.getByTestId('lookup-financing').fill('300000');
    await page.getByTestId('lookup-submit').click();
    const clauses = page.getByTestId('lookup-clauses');
    await clauses.getByText('通过担保机构惠及').first().waitFor();
    await clauses.getByText('通过保险机构惠及').first().waitFor();
    await clauses.locator('.ant-collapse-header').first().click();
    await page.getByTestId('trace').first().waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(600);
    await shot(page, '18-public-lookup-farmer');
  }, 120_000);

  it('policy library and dashboard render', async () => {
    const page = await signedIn('admin.wz');
    await page.goto(`${base}/library/policies/wenzhou-2022`);
    await page.getByTestId('clauses').waitFor();
    await shot(page, '09-policy-library');
    // What-if: give Wenzhou 第八条's open leverage coefficients and compare per recipient.
    await page.goto(`${base}/cycles/${CYCLE}/what-if`);
    const param = page.locator('input[data-testid="param-8.leverage_coefficient"], [data-testid="param-8.leverage_coefficient"] input').first();
    await param.fill('[{"from":0,"value":1},{"from":5,"value":1.2}]');
    await page.getByTestId('run-what-if').click();
    await page.getByTestId('what-if-table').waitFor({ timeout: 60_000 });
    await shot(page, '14-what-if');
    await page.goto(`${base}/cycles/${CYCLE}/dashboard`);
    await page.getByTestId('region-chart').locator('canvas').waitFor({ timeout: 60_000 });
    await page.getByTestId('trend-loans').locator('canvas').waitFor({ timeout: 60_000 });
    await shot(page, '10-dashboard');
    await page.getByTestId('trend-loans').scrollIntoViewIfNeeded();
    await shot(page, '10b-dashboard-trends');
    // English is one click away; the choice is kept in the browser.
    await page.getByText('EN', { exact: true }).click();
    await page.getByText('Dashboard').first().waitFor();
    await shot(page, '13-english-dashboard');
  }, 120_000);

  it('a district department fills its indicator table; the bureau ranks the districts and opens a 计分表', async () => {
    const admin = await apiAs(base, 'admin.tj');
    const reviewer = await apiAs(base, 'reviewer.tj');
    const cycle = (await admin.post('/api/programmes/tianjin-pilot/cycles', { year: 2024 })).id as string;
    const POINTS: Record<string, number> = { '1.2': 35, '2': 30, '3': 20, '4': 10 };
    const versions: string[] = [];
    const codes = [...TIANJIN_DISTRICTS];
    for (const [i, code] of codes.entries()) {
      for (const dept of ['pboc', 'finance', 'science']) {
        if (i === 0 && dept === 'pboc') continue; // this one is filled in the browser below
        const c = await apiAs(base, `tj.${code}.${dept}`);
        const task = (await c.get('/api/tasks')).find((t: { cycle_id: string; step: string }) => t.cycle_id === cycle && t.step === 'indicators');
        const values = task.indicators.map((ind: string) =>
          ind === '1.1' ? { subject: task.subject_unit, indicator: ind, actual: String(1_000_000 * (20 - i)), target: '20000000' } : { subject: task.subject_unit, indicator: ind, points: String((POINTS[ind] * (100 - 2 * i)) / 100) });
        versions.push((await c.post(`/api/tasks/${task.id}/indicators`, { values })).id);
      }
    }
    const page = await signedIn(`tj.${codes[0]}.pboc`);
    await page.getByTestId('my-tasks').getByRole('link').first().click();
    await page.waitForURL('**/tasks/**');
    const taskId = page.url().split('/').pop()!;
    const mine = (await (await page.request.get(`${base}/api/tasks/${taskId}/versions`)).json()).task.indicators as string[];
    // antd puts data-testid on the input or on its wrapper, depending on the component version.
    const field = (id: string) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
    for (const ind of mine) {
      if (ind === '1.1') {
        await field('actual-1.1').fill('21000000');
        await field('target-1.1').fill('20000000');
      } else await field(`points-${ind}`).fill(String(POINTS[ind]));
    }
    await shot(page, '11-district-indicators');
    await page.getByTestId('submit-indicators').click();
    await page.getByTestId('versions').getByText('已提交').waitFor();
    versions.push((await (await page.request.get(`${base}/api/tasks/${taskId}/versions`)).json()).versions.at(-1).id);
    for (const v of versions) await reviewer.post(`/api/versions/${v}/approve`);

    const bureau = await signedIn('admin.tj');
    await bureau.goto(`${base}/cycles/${cycle}`);
    await bureau.getByTestId('start-computation').click();
    await bureau.waitForURL('**/computations/**');
    const ranking = bureau.getByTestId('ranking');
    await ranking.waitFor({ timeout: 120_000 });
    await ranking.locator('tbody tr.ant-table-row').first().click();
    await bureau.getByRole('dialog').getByTestId('score-sheet').waitFor();
    await bureau.waitForTimeout(600);
    await shot(bureau, '12-bureau-score-sheet');
    const k = bureau.url().split('/').pop()!;
    const first = (await (await bureau.request.get(`${base}/api/computations/${k}`)).json()).result.results[0].unit as string;
    const pdf = await bureau.request.get(`${base}/api/computations/${k}/score-sheets/${first}?format=pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  }, 300_000);

  it('the audit administrator reads the audit chain and verifies it', async () => {
    const page = await signedIn('auditor');
    await page.waitForURL('**/audit');
    await page.getByTestId('audit-table').getByText('computation.done').first().waitFor();
    await page.getByRole('button', { name: '校验审计链' }).click();
    await page.getByText('审计链完整').waitFor();
    await shot(page, '15-audit');
    // Filtered on the server: the objection handled earlier, found among every entry.
    await page.locator('input[data-testid="audit-action"], [data-testid="audit-action"] input').first().fill('objection');
    await page.getByTestId('audit-filter').click();
    await page.getByTestId('audit-table').getByText('objection.answer').waitFor();
    await page.getByText('共 2 条').waitFor();
  }, 60_000);
});
