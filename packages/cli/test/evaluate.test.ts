// `caijin evaluate` through the real binary (data-contract §5).
import { afterAll, describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bin = join(root, 'node_modules', '.bin', 'caijin');
const caijin = (...args: string[]) => {
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = mkdtempSync(join(tmpdir(), 'caijin-eval-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bundle = join(tmp, 'wz');

describe('caijin evaluate', () => {
  beforeAll(() => {
    expect(caijin('demo-data', '--city', 'wenzhou', '--size', 'small', '--seed', '3', '--out', bundle).code).toBe(0);
  });

  it('scores the demo guarantors from their ledgers and prints the 计分表', () => {
    const r = caijin('evaluate', '--scheme', 'chongqing-2021', '--year', '2022', '--data', bundle, '--format', 'table');
    expect(r.code).toBe(0);
    expect(r.out).toContain('【计分表】');
    expect(r.out).toContain('policy.2 当年新增小微企业和“三农”融资担保（再担保）金额占比');
    expect(r.out).toContain('实际值由台账计算');
  });

  it('prints the contract JSON: scores with two decimals, grades, ranks, consequences, breakdown', () => {
    const sheet = join(tmp, 'sheet.csv');
    writeFileSync(sheet, '单位,指标,实际值,目标值,得分\n' + 'X1,risk.4,,,4.5\nX1,total,,,88.5\n');
    const flags = join(tmp, 'flags.csv');
    writeFileSync(flags, 'unit_id,flag\nX1,false_reporting\n');
    const r = caijin('evaluate', '--scheme', 'chongqing-2021', '--year', '2022', '--sheet', sheet, '--flags', flags, '--data', bundle, '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.scheme).toBe('chongqing-2021');
    expect(j.year).toBe(2022);
    expect(j.results.length).toBeGreaterThan(1);
    for (const u of j.results) {
      expect(u.score).toMatch(/^\d+\.\d{2}$/);
      expect(['优', '良', '中', '低', '差']).toContain(u.grade);
      expect(u.rank).toBeGreaterThan(0);
      expect(Array.isArray(u.breakdown)).toBe(true);
    }
    const x = j.results.find((u: { unit: string }) => u.unit === 'X1');
    expect(x).toMatchObject({ score: '88.50', grade: '中', consequences: ['eligible_for_support', 'no_excellent_next_year'] });
  });

  it('writes the 计分表 workbook', async () => {
    const out = join(tmp, 'scores.xlsx');
    const r = caijin('evaluate', '--scheme', 'chongqing-2021', '--year', '2022', '--data', bundle, '--format', 'xlsx', '--out', out);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets[0].name).toBe('评价结果');
    const sheet = wb.worksheets[1];
    expect(sheet.name).toMatch(/^计分表 /);
    expect(sheet.getRow(3).values).toEqual(expect.arrayContaining(['一级指标', '二级指标', '分值', '上年度实际值', '目标值', '评价得分']));
  });

  it('selects the best districts and claws back below 70 (tianjin-2019)', () => {
    const sheet = join(tmp, 'tj.csv');
    writeFileSync(sheet, 'unit_id,indicator,points\n120101,total,91\n120102,total,85\n120103,total,80\n120116,total,60\n');
    const hist = join(tmp, 'tj2019.json');
    writeFileSync(hist, JSON.stringify({ scheme: 'tianjin-2019', year: 2019, results: [{ unit: '120116', grade: '合格', consequences: ['selected'], reward: '30000000.00' }] }));
    const r = caijin('evaluate', '--scheme', 'tianjin-2019', '--year', '2020', '--sheet', sheet, '--history', hist, '--select', '2');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const by = (u: string) => j.results.find((x: { unit: string }) => x.unit === u);
    expect(by('120101').consequences).toEqual(['selected']);
    expect(by('120102').consequences).toEqual(['selected']);
    expect(by('120103').consequences).toEqual([]);
    expect(by('120116')).toMatchObject({ consequences: ['disqualified_clawback'], clawback: '30000000.00' });
  });

  it('rejects a bad sheet with one precise error and exit 1', () => {
    const sheet = join(tmp, 'bad.csv');
    writeFileSync(sheet, 'unit_id,indicator,actual\nA,policy.2,八十\nA,policy.9,1\n');
    const r = caijin('evaluate', '--scheme', 'chongqing-2021', '--year', '2022', '--sheet', sheet);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const lines = r.err.split('\n').filter((l) => l.startsWith('  '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/bad\.csv 第2行 列 actual 值 "八十".*\[value\.number\]/);
    expect(lines[1]).toMatch(/第3行 列 indicator 值 "policy\.9".*\[indicator\.unknown\]/);
  });

  it('exits 2 for an unknown scheme or missing inputs', () => {
    expect(caijin('evaluate', '--scheme', 'nope', '--year', '2022', '--data', bundle).code).toBe(2);
    expect(caijin('evaluate', '--scheme', 'chongqing-2021', '--year', '2022').code).toBe(2);
  });
});
