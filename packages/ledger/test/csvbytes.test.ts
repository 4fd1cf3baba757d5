// The byte reader (csvbytes.ts) and the table built from it must be exactly what the text reader
// (csv.ts, the reference) gives: same records and row numbers, same typed columns, same errors,
// whatever the read size (records cut across reads), BOM, CRLF, quotes and encoding.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvFile, readsAsGb18030 } from '../src/csv.ts';
import { FALLBACK, NOT_UTF8, readCsvBytes, type ByteRecord } from '../src/csvbytes.ts';
import { parseCsvFile } from '../src/csvfile.ts';
import { checkBundle, loadBundle } from '../src/index.ts';
import type { TableName } from '../src/types.ts';
import { baseBundle, encodeGb18030, tempDir, toCsv, writeCsvBundle, E1, E2, BANK } from './fixtures.ts';

type Rec = [number, string[]];

async function textRecords(path: string): Promise<Rec[]> {
  let out: Rec[] = [];
  await readCsvFile(path, { start: () => (out = []), row: (cells, row) => out.push([row, cells.slice()]) });
  return out;
}

/** Records from the byte reader, or null when it hands the file back to the text reader. */
async function byteRecords(path: string, chunk: number): Promise<Rec[] | null> {
  let out: Rec[] = [];
  const sink = {
    start: () => (out = []),
    record: (rec: ByteRecord, row: number) => {
      const cells: string[] = [];
      for (let i = 0; i < rec.count; i++) cells.push(rec.texts?.[i] ?? rec.buf.toString('utf8', rec.starts[i], rec.ends[i]));
      out.push([row, cells]);
    },
    row: (cells: readonly string[], row: number) => out.push([row, cells.slice()]),
  };
  let r = await readCsvBytes(path, sink, undefined, chunk);
  if (r === NOT_UTF8) r = (await readsAsGb18030(path)) ? await readCsvBytes(path, sink, 'gb18030', chunk) : FALLBACK;
  return r === FALLBACK ? null : out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const BOM = [0xef, 0xbb, 0xbf];
const GB_BOM = [0x84, 0x31, 0x95, 0x33];

describe('byte reader: the same records as the text reader', () => {
  it('any text, encoding, BOM, line ending and read size', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.csv');
    const unit = fc.constantFrom('a', '元', ',', '"', '\n', '\r\n', '\r', ' ', '1', '\t', '\uFEFF', '　', '；');
    let handled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit, maxLength: 12 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('utf-8', 'utf-8-bom', 'gb18030', 'gb18030-bom'),
        fc.integer({ min: 4, max: 40 }),
        async (lines, enc, chunk) => {
          const text = lines.join('\n');
          // (the fixture's GB18030 encoder has two-byte codes only: U+FEFF is written as its four-byte BOM)
          const gb = () => encodeGb18030(text.replaceAll('\uFEFF', '元'));
          const bytes =
            enc === 'gb18030'
              ? gb()
              : enc === 'gb18030-bom'
                ? new Uint8Array([...GB_BOM, ...gb()])
                : enc === 'utf-8-bom'
                  ? new Uint8Array([...BOM, ...utf8(text)])
                  : utf8(text);
          await writeFile(path, bytes);
          const want = await textRecords(path);
          const got = await byteRecords(path, chunk);
          if (got === null) return; // unterminated quote: the text reader reads it
          handled++;
          expect(got).toEqual(want);
        },
      ),
      { numRuns: Number(process.env.RUNS ?? 400) },
    );
    expect(handled).toBeGreaterThan(100);
  });

  it('a quoted line break across a read boundary, BOM, CRLF: same records, rows counted as records', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.csv');
    const text = 'id,name\r\n"a","x\r\ny"\r\nb,"say ""hi"""\r\n\r\nc,plain\r\n';
    await writeFile(path, new Uint8Array([...BOM, ...utf8(text)]));
    const want = await textRecords(path);
    expect(want.map((r) => r[0])).toEqual([1, 2, 3, 4, 5]);
    for (let chunk = 4; chunk <= text.length + 4; chunk++) expect(await byteRecords(path, chunk)).toEqual(want);
  });

  it('hands back UTF-16, damaged UTF-8 and an unterminated quote', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.csv');
    await writeFile(path, new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0a, 0]));
    expect(await byteRecords(path, 64)).toBeNull();
    await writeFile(path, new Uint8Array([...utf8('名称,说明\n温州市融资担保有限公司,正常\n'), 0xff, 0x0a]));
    expect(await byteRecords(path, 64)).toBeNull();
    await writeFile(path, utf8('a,b\n"open,1\n2,3\n'));
    expect(await byteRecords(path, 64)).toBeNull();
    // GB18030 (Chinese from the first line), then a lead byte cut off by the delimiter
    await writeFile(path, new Uint8Array([...encodeGb18030('名称,金额\n温州,1\n'), 0x61, 0x81, 0x2c, 0x31, 0x0a]));
    expect(await byteRecords(path, 64)).toBeNull();
    const ref = await parseCsvFile(path, 'outlets.csv', 'outlets', 1000, { text: true });
    const got = await parseCsvFile(path, 'outlets.csv', 'outlets', 1000);
    expect(got.errors.list).toEqual(ref.errors.list);
    expect(got.errors.list.map((e) => [e.key, e.row]).at(-1)).toEqual(['csv.encoding', 3]);
  });
});

/** A table file parsed by both readers must give the same table, errors and warnings. */
async function sameTable(name: TableName, bytes: Uint8Array, chunks: number[]): Promise<void> {
  const dir = await tempDir();
  const path = join(dir, `${name}.csv`);
  await writeFile(path, bytes);
  const ref = await parseCsvFile(path, `${name}.csv`, name, 1000, { text: true });
  for (const chunk of chunks) {
    const got = await parseCsvFile(path, `${name}.csv`, name, 1000, { chunk });
    expect(got.built.table).toEqual(ref.built.table);
    expect(got.built.headers).toEqual(ref.built.headers);
    expect([...got.built.badRows]).toEqual([...ref.built.badRows]);
    expect(got.errors.list).toEqual(ref.errors.list);
    expect(got.errors.total).toBe(ref.errors.total);
    expect(got.warnings).toEqual(ref.warnings);
  }
}

describe('byte reader: the same tables and errors as the text reader', () => {
  const enterprises = [
    ['id', 'name', 'kind', 'industry', 'employees', 'revenue', 'total_assets', 'size', 'region', 'tax_region', 'mujun_class', '备注'],
    [E1, '甲制造有限公司', 'enterprise', 'industry', '50', '20000000', '', '', '330302', '', 'A', 'x'],
    [` ${E2.toLowerCase()} `, '乙贸易\n有限公司', '企业', '批发业', '1,200', '3.5', ' ', 'medium', '330303', '330304', 'B', ''],
    ['', '无编号', 'enterprise', 'industry', '-1', 'abc', '1e3', 'huge', '33030', '', 'Z', ''],
    [E1, '重复', 'enterprise', '　industry　', '10', '100.123', '', 'small', '330302', '', '', 'y'],
    ['', '', '', '', '', '', '', '', '', '', '', ''],
    ['P-0001', '张三', 'business_owner', '', '', '', '', '', '330302', '', '', '', 'overflow'],
  ];
  const loans = [
    ['id', 'bank_id', 'borrower_id', 'amount', 'start_date', 'maturity_date', 'rate_pct', 'products', 'fintech_project_id', 'guarantor_id'],
    ['L1', BANK, E1, '1000000.00', '2022-01-10', '2023-01-10', '4.35', 'credit;first_loan', '', ''],
    ['L2', BANK, E1, '1,000,000', '2022/1/10', '2021-01-10', '4.35%', '信用贷', '', ''],
    ['L3', BANK, E2, '-5', '2022-02-30', '2023-01-10', '0.1234567', 'nonsense', '', ''],
    ['L4', BANK, E2, '12.345', '2022-01-10', '2023-01-10', '5', 'credit', '', ''],
    ['L4', BANK.toLowerCase(), E2, '7', '2022-01-10', '2023-01-10', '3.8000001', 'credit', '', ''],
  ];

  it('enterprises: trimming, lower case ids, full-width spaces, quoted line breaks, errors, overflow, extra column', async () => {
    const text = toCsv(enterprises);
    const chunks = [8, 13, 64, 1 << 20];
    await sameTable('enterprises', utf8(text), chunks);
    await sameTable('enterprises', new Uint8Array([...BOM, ...utf8(toCsv(enterprises, '\n'))]), chunks);
    await sameTable('enterprises', encodeGb18030(text), chunks);
  });

  it('loans: numbers, dates, rates and tags that take the slow path, in both encodings', async () => {
    await sameTable('loans', utf8(toCsv(loans, '\n')), [8, 31, 1 << 20]);
    await sameTable('loans', encodeGb18030(toCsv(loans)), [8, 31, 1 << 20]);
  });
});

describe('byte reader: random tables', () => {
  it('any mix of clean, padded, odd and wrong cells gives the text reader\'s table and errors', async () => {
    const header = ['id', 'bank_id', 'borrower_id', 'amount', 'start_date', 'maturity_date', 'rate_pct', 'products', 'fintech_project_id', 'guarantor_id', 'note'];
    const cell = fc.constantFrom(
      ...['L1', 'l1', ' L1 ', '', ' ', '　', '\u00a0x', BANK, BANK.toLowerCase(), ` ${E1}`, E1, E2, 'P-0001', '1000', '1,000', '12.345', '0', '007', '-1'],
      ...['2022-01-10', '2022/1/10', '2022-02-30', '2022-12', '4.35', '4.35%', '0.0000001', '5', 'credit', 'credit;first_loan', ' 信用贷 ', 'x', '"q"', 'a\nb', '1e3', '元'],
    );
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: header.length + 1 }), { minLength: 0, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 8, max: 80 }),
        async (rows, gb, crlf, chunk) => {
          const text = toCsv([header, ...rows], crlf ? '\r\n' : '\n');
          const path = join(dir, 'loans.csv');
          await writeFile(path, gb ? encodeGb18030(text.replaceAll('\u00a0', '　')) : utf8(text));
          const ref = await parseCsvFile(path, 'loans.csv', 'loans', 1000, { text: true });
          const got = await parseCsvFile(path, 'loans.csv', 'loans', 1000, { chunk });
          expect(got.built.table).toEqual(ref.built.table);
          expect([...got.built.badRows]).toEqual([...ref.built.badRows]);
          expect(got.errors.list).toEqual(ref.errors.list);
          expect(got.warnings).toEqual(ref.warnings);
        },
      ),
      { numRuns: Number(process.env.RUNS ?? 150) },
    );
  });
});

describe('uniqueness', () => {
  it('(loan, month) duplicates are found whatever the order of the rows (sorted files take a one-pass proof)', async () => {
    const dir = await tempDir();
    const row = fc.tuple(fc.constantFrom('L1', 'L2', 'L3', 'L9', ''), fc.constantFrom('2022-01', '2022-02', '2022-03', '2022-13', ''));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 12 }), fc.boolean(), async (rows, sorted) => {
        if (sorted) rows.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : a[0] + a[1] > b[0] + b[1] ? 1 : 0));
        const b = baseBundle();
        b.loan_balances = [['loan_id', 'month', 'balance'], ...rows.map(([l, m]) => [l, m, '1'])];
        await writeCsvBundle(b, dir);
        const got = (await checkBundle(dir)).filter((e) => e.key === 'unique.duplicate').map((e) => [e.row, e.zh]);
        // Brute force: a row whose (loan, month) an earlier valid row already had.
        const first = new Map<string, number>();
        const want: [number, RegExp][] = [];
        rows.forEach(([l, m], i) => {
          if (!['L1', 'L2', 'L3'].includes(l) || !/^2022-0[123]$/.test(m)) return;
          const k = `${l}|${m}`;
          const f = first.get(k);
          if (f === undefined) first.set(k, i + 2);
          else want.push([i + 2, new RegExp(`与第 ${f} 行相同`)]);
        });
        expect(got.length).toBe(want.length);
        got.forEach(([r, zh], i) => {
          expect(r).toBe(want[i][0]);
          expect(zh).toMatch(want[i][1]);
        });
      }),
      { numRuns: Number(process.env.RUNS ?? 100) },
    );
  });
});

describe('folder on two threads', () => {
  it('the same bundle and the same errors (capped, in file order) as on one thread', async () => {
    const b = baseBundle();
    const dir = await writeCsvBundle(b);
    const one = await loadBundle(dir, { threads: 1 });
    const two = await loadBundle(dir, { threads: 2 });
    expect(two.tables).toEqual(one.tables);
    expect(two.warnings).toEqual(one.warnings);
    // Errors in several files; the cap cuts the list in the middle of a file.
    const bad = baseBundle();
    bad.loans[1][3] = 'abc';
    bad.loans[2][4] = '2022-13-01';
    bad.enterprises[1][8] = '99';
    bad.outlets = [['id', 'bank_id', 'region'], ['W1', 'nobody', '330302']];
    const badDir = await writeCsvBundle(bad);
    for (const maxErrors of [1, 2, 3, 1000]) {
      const e1 = await checkBundle(badDir, { threads: 1, maxErrors });
      const e2 = await checkBundle(badDir, { threads: 2, maxErrors });
      expect(e2).toEqual(e1);
    }
  });
});
