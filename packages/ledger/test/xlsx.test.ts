import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { parseDate } from '@caijin/core';
import { writeFile } from 'node:fs/promises';
import { loadBundle, checkBundle, readWorkbook, numberText, cellText, isPercentFormat, percentText, SCHEMA, headerKeyMap, normalizeHeader, type TableName } from '../src/index.ts';
import { baseBundle, tempDir, writeCsvBundle, GUAR, type BundleRows } from './fixtures.ts';

/** Excel 1900-system serial of a YYYY-MM-DD date. */
function serialOf(text: string): number {
  const r = parseDate(text);
  if (!r.ok) throw new Error(text);
  return r.value + 25569;
}

function utcDate(text: string): Date {
  const [y, m, d] = text.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d ?? 1));
}

/**
 * The bundle as an .xlsx with typed cells, as Excel users make them: plain numbers for money, rates
 * and years, real dates (alternately Date cells and bare Excel serials), booleans, rich text and a formula.
 */
async function writeXlsxBundle(b: BundleRows, path: string, extraSheet = false): Promise<void> {
  const wb = new ExcelJS.Workbook();
  let flip = false;
  for (const [name, rows] of Object.entries(b)) {
    const ws = wb.addWorksheet(name);
    const keys = headerKeyMap(name as TableName);
    const types = rows[0].map((h) => SCHEMA[name as TableName].columns.find((c) => c.key === keys.get(normalizeHeader(h)))?.type);
    rows.forEach((r, ri) => {
      const values = r.map((v, ci): ExcelJS.CellValue => {
        const t = types[ci];
        if (ri === 0 || v === '') return v === '' ? null : v;
        if (t === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return (flip = !flip) ? utcDate(v) : serialOf(v);
        if (t === 'month' && /^\d{4}-\d{2}$/.test(v) && (flip = !flip)) return utcDate(v);
        if ((t === 'money' || t === 'rate' || t === 'year' || t === 'int') && /^\d+(\.\d+)?$/.test(v)) return Number(v);
        if (t === 'bool' && (v === 'true' || v === 'false')) return v === 'true';
        return v;
      });
      ws.addRow(values);
    });
  }
  // a rich-text name and a formula with its cached result
  const ents = wb.getWorksheet('enterprises')!;
  ents.getCell('B2').value = { richText: [{ text: '甲制造' }, { text: '有限公司', font: { bold: true } }] };
  const g = wb.getWorksheet('guarantees')!;
  g.getCell('G2').value = { formula: '1000000*3', result: 3000000 };
  if (extraSheet) wb.addWorksheet('说明').addRow(['本工作簿为测试数据']);
  await wb.xlsx.writeFile(path);
}

describe('numberText', () => {
  it('writes Excel numbers as exact decimal text at 15 significant digits', () => {
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(2000000.01)).toBe('2000000.01');
    expect(numberText(1234.565)).toBe('1234.565');
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(-0.5)).toBe('-0.5');
    expect(numberText(123456789012.34)).toBe('123456789012.34');
    expect(numberText(3e20)).toBe('300000000000000000000');
    expect(numberText(1.5e-10)).toBe('0.00000000015');
  });

  it('cellText: serials become dates only in date/month columns; long numbers in id columns are refused', () => {
    expect(cellText(44571, 'date')).toEqual({ ok: true, value: '2022-01-10' });
    expect(cellText(44571.75, 'date')).toEqual({ ok: true, value: '2022-01-10' });
    expect(cellText(44571, 'month')).toEqual({ ok: true, value: '2022-01' });
    expect(cellText(44571, 'money')).toEqual({ ok: true, value: '44571' });
    expect(cellText(2022.01, 'month')).toEqual({ ok: true, value: '2022.01' }); // not a serial: fails as a month later
    expect(cellText(utcDate('2022-02-28'), 'date')).toEqual({ ok: true, value: '2022-02-28' });
    expect(cellText(new Date(Date.UTC(2022, 1, 27, 23, 59, 59, 999)), 'date')).toEqual({ ok: true, value: '2022-02-28' });
    expect(cellText(913303001000000000, 'uscc')).toMatchObject({ ok: false, key: 'xlsx.number_precision' });
    expect(cellText({ error: '#N/A' }, 'money')).toMatchObject({ ok: false, key: 'xlsx.error_value' });
    expect(cellText(true, 'bool')).toEqual({ ok: true, value: 'true' });
  });
});

describe('xlsx bundles', () => {
  it('give the same tables as the CSV bundle', async () => {
    const b = baseBundle();
    const dir = await tempDir();
    const path = join(dir, 'bundle.xlsx');
    await writeXlsxBundle(b, path, true);
    const x = await loadBundle(path);
    const c = await loadBundle(await writeCsvBundle(b));
    expect(Object.keys(x.tables)).toEqual(Object.keys(c.tables));
    for (const name of Object.keys(c.tables) as TableName[]) {
      expect(x.tables[name]!.columns, name).toEqual(c.tables[name]!.columns);
      expect(x.tables[name]!.length).toBe(c.tables[name]!.length);
      expect(Array.from(x.tables[name]!.source.rows)).toEqual(Array.from(c.tables[name]!.source.rows));
      expect(x.tables[name]!.source.file).toBe(`bundle.xlsx#${name}`);
    }
    expect(x.warnings).toEqual(['未知工作表 bundle.xlsx#说明，已忽略（工作表名应为 ' + Object.keys(SCHEMA).join('、') + ' 之一）']);
  });

  it('reports cell problems with the sheet as file', async () => {
    const wb = new ExcelJS.Workbook();
    const inst = wb.addWorksheet('institutions');
    inst.addRow(['id', 'name', 'kind']);
    inst.addRow([GUAR, '担保公司', 'guarantor']);
    const ws = wb.addWorksheet('institution_years');
    ws.addRow(['institution_id', 'year', 'net_assets', 'reserves', 'registered_capital', 'state_capital_begin']);
    ws.addRow([GUAR, 2022, 0.1 + 0.2, 1234.565, { formula: 'A1' }, { error: '#N/A' }]);
    ws.addRow([913303001000000000, 2023]);
    const dir = await tempDir();
    const path = join(dir, 'b.xlsx');
    await wb.xlsx.writeFile(path);
    const errs = await checkBundle(path);
    expect(errs.map((e) => `${e.file}:${e.row}:${e.column}:${e.key}`)).toEqual([
      'b.xlsx#institution_years:2:reserves:money.too_many_decimals',
      'b.xlsx#institution_years:2:registered_capital:xlsx.formula_without_result',
      'b.xlsx#institution_years:2:state_capital_begin:xlsx.error_value',
      'b.xlsx#institution_years:3:institution_id:xlsx.number_precision',
    ]);
  });
});

describe('xlsx reading', () => {
  it('date-formatted cells arrive as dates; long Chinese text across zip chunks is not garbled', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('enterprises');
    ws.addRow(['id', 'name', 'major_incident_year']);
    const names: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const n = `温州市第${i}号鹿城区小微企业有限公司（测试）`;
      names.push(n);
      ws.addRow([`P-${i}`, n, i === 0 ? new Date(Date.UTC(2021, 5, 30)) : null]);
    }
    const dir = await tempDir();
    const path = join(dir, 'big.xlsx');
    await wb.xlsx.writeFile(path);
    const seen: string[] = [];
    let dateCell: unknown;
    await readWorkbook(path, () => ({
      row(cells, row) {
        if (row === 1) return;
        seen.push(cells[1] as string);
        if (row === 2) dateCell = cells[2];
      },
    }));
    expect(seen).toEqual(names);
    expect(dateCell).toBeInstanceOf(Date);
  });

  it('a file that is not a workbook is an error, not a crash', async () => {
    const dir = await tempDir();
    const path = join(dir, 'fake.xlsx');
    await writeFile(path, 'id,name\n');
    const errs = await checkBundle(path);
    expect(errs.map((e) => [e.file, e.key])).toEqual([['fake.xlsx', 'file.unreadable']]);
  });
});

describe('percent-formatted cells', () => {
  it('read as the percent the user sees: 0.008 shown as 0.80% is 0.8%', async () => {
    expect(isPercentFormat('0.00%')).toBe(true);
    expect(isPercentFormat('"%"0.00')).toBe(false);
    expect(percentText(0.008)).toBe('0.8%');
    expect(percentText(0.1 + 0.2)).toBe('30%');
    const b = baseBundle();
    const dir = await tempDir();
    const path = join(dir, 'pct.xlsx');
    const wb = new ExcelJS.Workbook();
    for (const name of ['institutions', 'enterprises', 'guarantees'] as const) {
      const ws = wb.addWorksheet(name);
      for (const r of b[name]) ws.addRow(r.map((v) => (v === '' ? null : v)));
    }
    const g = wb.getWorksheet('guarantees')!;
    const fee = g.getCell('H2'); // fee_rate_pct of GA1, "1.0" in the CSV
    fee.value = 0.01;
    fee.numFmt = '0.00%';
    const amount = g.getCell('G3'); // a percent-formatted money cell is an error
    amount.value = 0.5;
    amount.numFmt = '0%';
    await wb.xlsx.writeFile(path);
    const errs = await checkBundle(path);
    expect(errs.map((e) => `${e.row}:${e.column}:${e.value}:${e.key}`)).toEqual(['3:amount:50%:money.format']);
    g.getCell('G3').value = 3000000;
    g.getCell('G3').numFmt = 'General';
    await wb.xlsx.writeFile(path);
    const x = await loadBundle(path);
    const c = await loadBundle(await writeCsvBundle({ institutions: b.institutions, enterprises: b.enterprises, guarantees: b.guarantees }));
    expect(x.tables.guarantees!.columns.fee_rate_pct).toEqual(c.tables.guarantees!.columns.fee_rate_pct);
  });
});
