// The batch contract (data-contract §2) driven through the real `caijin` binary, as an outside
// acceptance test would: exit codes, error lists, JSON, table, workbook and explain.
import { afterAll, describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { makeUscc } from '@caijin/core';
import { encodeGb18030 } from '../../ledger/test/fixtures.ts';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bin = join(root, 'node_modules', '.bin', 'caijin');

function caijin(...args: string[]) {
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd: root, env: { ...process.env, CI: 'true' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'caijin-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const BANK = makeUscc('91331082MA0000001');
const E1 = makeUscc('91331082MA0000002');
const GHOST = makeUscc('91331082MA0000099');

/** A minimal Linhai bundle (outlets subsidy), optionally broken in one place. */
function bundle(name: string, opts: { gbk?: boolean; institutions?: string; loans?: string } = {}): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'institutions.csv': opts.institutions ?? `统一社会信用代码,名称,机构类型,行政区划代码\r\n${BANK},临海农商银行,bank,331082\r\n`,
    'enterprises.csv': `统一社会信用代码/身份证号,名称,主体类型,行业,企业规模,注册地行政区划\r\n${E1},临海市测试科技有限公司,enterprise,software,small,331082\r\n`,
    'loans.csv': opts.loans ?? `贷款编号,贷款银行,借款人,合同金额(元),发放日\r\nL1,${BANK},${E1},"1,000,000.00",2021-03-01\r\n`,
    'outlets.csv': `id,bank_id,region,location,opened_date,deposit_and_loan\r\nO1,${BANK},331082,town,2021-09-01,是\r\nO2,${BANK},331082,port_zone,2021年10月8日,是\r\n`,
  };
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), opts.gbk ? encodeGb18030(text) : text);
  return dir;
}

describe('caijin check', () => {
  it('accepts a GBK-encoded bundle and reads its Chinese correctly', () => {
    const dir = bundle('gbk', { gbk: true });
    const r = caijin('check', '--data', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const c = caijin('compute', '--policy', 'linhai-2021', '--year', '2021', '--data', dir, '--format', 'json');
    expect(c.code).toBe(0);
    const json = JSON.parse(c.out);
    const award = json.awards.find((a: { clause: string }) => a.clause === '7');
    expect(award).toMatchObject({ recipient: BANK, recipient_name: '临海农商银行', amount: '300000.00' });
  });

  const bad: [string, Parameters<typeof bundle>[1], RegExp][] = [
    ['wrong USCC check character', { institutions: `id,name,kind\r\n${BANK},临海农商银行,bank\r\n${BANK.slice(0, 17)}${BANK[17] === '0' ? '1' : '0'},另一银行,bank\r\n` }, /uscc\.check_char/],
    ['unknown borrower', { loans: `id,bank_id,borrower_id,amount,start_date\r\nL1,${BANK},${GHOST},1000000,2021-03-01\r\n` }, /ref\.unknown/],
    ['negative amount', { loans: `id,bank_id,borrower_id,amount,start_date\r\nL1,${BANK},${E1},-5,2021-03-01\r\n` }, /negative/],
    ['malformed date', { loans: `id,bank_id,borrower_id,amount,start_date\r\nL1,${BANK},${E1},1000000,2021-13-45\r\n` }, /date\./],
  ];
  for (const [what, opts, key] of bad) {
    it(`rejects a bundle with a ${what}: exit 1, one error naming file, row and column, nothing computed`, () => {
      const dir = bundle(what.replace(/\s+/g, '-'), opts);
      const r = caijin('check', '--data', dir);
      expect(r.code).toBe(1);
      const lines = r.err.split('\n').filter((l) => l.startsWith('  '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(key);
      expect(lines[0]).toMatch(/\.csv 第\d+行 列 \w+/);
      const out = join(tmp, `${what}.json`);
      const c = caijin('compute', '--policy', 'linhai-2021', '--year', '2021', '--data', dir, '--out', out);
      expect(c.code).toBe(1);
      expect(c.out).toBe('');
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('caijin compute on a generated Wenzhou bundle', () => {
  const dir = join(tmp, 'wz');
  beforeAll(() => {
    const g = caijin('demo-data', '--city', 'wenzhou', '--size', 'small', '--seed', '7', '--out', dir);
    expect(g.code).toBe(0);
  });

  it('prints the contract JSON with unset open parameters and traces', () => {
    const r = caijin('compute', '--policy', 'wenzhou-2022', '--year', '2022', '--data', dir, '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.policy).toBe('wenzhou-2022');
    expect(j.year).toBe(2022);
    expect(j.unset).toEqual(expect.arrayContaining(['wenzhou-2022/2.metric', 'wenzhou-2022/8.leverage_coefficient']));
    expect(j.awards.length).toBeGreaterThan(5);
    for (const a of j.awards) {
      expect(a.amount).toMatch(/^\d+\.\d{2}$/);
      expect(a.citation).toMatch(/^温州十条 /);
      expect(a.trace.length).toBeGreaterThan(0);
      expect(a.clause === '2' || a.clause === '8').toBe(false);
    }
    expect(j.warnings.join()).not.toMatch(/engine\.mismatch/);
  });

  it('honours --param and --variant', () => {
    const r = caijin('compute', '--policy', 'wenzhou-2022', '--year', '2022', '--data', dir, '--param', 'wenzhou-2022/8.leverage_coefficient=1', '--param', 'wenzhou-2022/2.metric=year_end_balance', '--variant', 'wenzhou-2022/7=new_business_balance');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.unset).toEqual([]);
    expect(j.clauses.find((c: { clause: string }) => c.clause === '7').variant).toBe('new_business_balance');
  });

  it('writes the workbook: summary, a sheet per clause and the trace sheet', async () => {
    const out = join(tmp, 'wz.xlsx');
    const r = caijin('compute', '--policy', 'wenzhou-2022', '--year', '2022', '--data', dir, '--format', 'xlsx', '--out', out);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe('汇总');
    expect(names).toContain('第8项');
    expect(names[names.length - 1]).toBe('计算过程');
    expect(wb.getWorksheet('计算过程')!.rowCount).toBeGreaterThan(10);
  });

  it('prints a readable table in 元 with 万元 totals', () => {
    const r = caijin('compute', '--policy', 'wenzhou-2022', '--year', '2022', '--data', dir, '--format', 'table');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/合计 [\d.]+ 万元/);
    expect(r.out).toMatch(/【9】/);
  });

  it('explains one award step by step down to the input rows', () => {
    const j = JSON.parse(caijin('compute', '--policy', 'wenzhou-2022', '--year', '2022', '--data', dir).out);
    const a = j.awards.find((x: { clause: string }) => x.clause === '9');
    const r = caijin('explain', '--policy', 'wenzhou-2022', '--year', '2022', '--data', dir, '--clause', '9', '--recipient', a.recipient);
    expect(r.code).toBe(0);
    expect(r.out).toContain('温州十条 第九条');
    expect(r.out).toContain('月均在保余额');
    expect(r.out).toMatch(/guarantees\.csv:\d+/);
    expect(r.out).toContain(a.amount.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  });
});

describe('usage', () => {
  it('lists and shows policies with readings and open parameters', () => {
    const l = caijin('policies', 'list');
    expect(l.code).toBe(0);
    expect(l.out).toMatch(/wenzhou-2022/);
    expect(l.out).toMatch(/linhai-2021/);
    expect(l.out).toMatch(/liaocheng-2023/);
    const s = caijin('policies', 'show', 'liaocheng-2023');
    expect(s.out).toMatch(/liaocheng-2023\/7=step/);
    expect(s.out).toMatch(/liaocheng-2023\/8\.subsidy_rate = 未设定/);
  });
  it('exits 2 on usage errors', () => {
    expect(caijin('compute', '--policy', 'wenzhou-2022').code).toBe(2);
    expect(caijin('frobnicate').code).toBe(2);
    expect(caijin('compute', '--policy', 'nope', '--year', '2022', '--data', tmp).code).toBe(2);
    expect(caijin('compute', '--policy', 'wenzhou-2022', '--year', '2022', '--data', tmp, '--param', 'wenzhou-2022/8.no_such=1').code).toBe(2);
    expect(caijin('compute', '--policy', 'linhai-2021', '--year', '2021', '--data', tmp, '--param', 'linhai-2021/1.rate=60%').code).toBe(2);
  });
});
