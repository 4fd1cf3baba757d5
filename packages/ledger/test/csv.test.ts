import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvParser, parseCsvText, readCsvFile, decodeCsvBytes, loadBundle, checkBundle, type Column } from '../src/index.ts';
import { baseBundle, encodeGb18030, tempDir, toCsv, writeCsvBundle } from './fixtures.ts';

type Dict = Extract<Column, { codes: Int32Array }>;

function parseChunked(text: string, cuts: number[]): string[][] {
  const out: string[][] = [];
  const p = new CsvParser((cells) => out.push(cells.slice()));
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    p.push(text.slice(at, c));
    at = c;
  }
  p.push(text.slice(at));
  expect(p.end()).toBeNull();
  return out;
}

describe('RFC 4180 parsing', () => {
  it('quotes, escaped quotes, CRLF and LF, newlines inside quotes, empty fields', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""",\n"line1\r\nline2",,"3"\r\n\nlast,row,no-eol';
    expect(parseCsvText(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', ''],
      ['line1\r\nline2', '', '3'],
      [''],
      ['last', 'row', 'no-eol'],
    ]);
  });

  it('counts records, not physical lines, as rows', () => {
    const rows: number[] = [];
    const p = new CsvParser((_c, r) => rows.push(r));
    p.push('h1,h2\n"a\nb",c\nd,e\n');
    p.end();
    expect(rows).toEqual([1, 2, 3]);
  });

  it('tab-separated when the first line has tabs and no commas', () => {
    expect(parseCsvText('a\tb\n1,5\t2\n')).toEqual([
      ['a', 'b'],
      ['1,5', '2'],
    ]);
  });

  it('an unterminated quote is reported with its row', () => {
    const p = new CsvParser(() => {});
    p.push('a,b\n1,2\n"open,3\n4,5\n');
    expect(p.end()).toMatchObject({ key: 'csv.unterminated_quote', row: 3 });
  });

  it('any chunking gives the same records as one piece', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '元', ',', '"', '\n', '\r\n', ' ', '1', '；') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (rows, cutSeeds, crlf) => {
          // every row non-blank so that a record of one empty cell is not ambiguous
          const fixed = rows.map((r) => r.map((c, i) => (i === 0 ? `k${c}` : c)));
          const text = toCsv(fixed, crlf ? '\r\n' : '\n');
          const cuts = cutSeeds.map((s) => s % (text.length + 1));
          expect(parseChunked(text, cuts)).toEqual(fixed);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('encodings', () => {
  it('decodes UTF-8 with and without BOM, GB18030 and UTF-16LE', () => {
    const text = '名称,金额(元)\n温州银行,100\n';
    const utf8 = new TextEncoder().encode(text);
    expect(decodeCsvBytes(utf8)).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsvBytes(encodeGb18030(text))).toEqual({ text, encoding: 'gb18030' });
    const u16 = new Uint8Array(2 + text.length * 2);
    u16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      u16[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      u16[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    expect(decodeCsvBytes(u16)).toEqual({ text, encoding: 'utf-16le' });
  });

  it('a GBK file whose first megabyte is ASCII is re-read as GB18030, not garbled', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.csv');
    const ascii = 'id,name\n' + 'abc,def\n'.repeat(200_000);
    const bytes = new Uint8Array([...new TextEncoder().encode(ascii), ...encodeGb18030('p1,张三\n')]);
    await writeFile(path, bytes);
    const starts: string[] = [];
    let last: string[] = [];
    let count = 0;
    const r = await readCsvFile(path, {
      start: (e) => {
        starts.push(e);
        count = 0;
      },
      row: (cells) => {
        last = cells.slice();
        count++;
      },
    });
    expect(r).toEqual({ encoding: 'gb18030', problem: null });
    expect(starts).toEqual(['utf-8', 'gb18030']);
    expect(count).toBe(200_002);
    expect(last).toEqual(['p1', '张三']);
  });

  it('a damaged UTF-8 file is an error, never decoded as GB18030', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.csv');
    const good = new TextEncoder().encode('名称,说明\n温州市融资担保有限公司,正常\n');
    await writeFile(path, new Uint8Array([...good, 0xff, 0x0a]));
    const r = await readCsvFile(path, { start: () => {}, row: () => {} });
    expect(r.problem).toMatchObject({ key: 'csv.encoding', row: 3 });
  });

  it('a bundle with GB18030 files, Chinese headers and names, loads the same as UTF-8', async () => {
    const b = baseBundle();
    const utf8Dir = await writeCsvBundle(b);
    const gbDir = await writeCsvBundle(b);
    await writeFile(join(gbDir, 'loans.csv'), encodeGb18030(toCsv(b.loans)));
    await writeFile(join(gbDir, 'enterprises.csv'), encodeGb18030(toCsv(b.enterprises)));
    await writeFile(join(gbDir, 'institutions.csv'), new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(toCsv(b.institutions))]));
    const u = await loadBundle(utf8Dir);
    const g = await loadBundle(gbDir);
    const names = g.tables.enterprises!.columns.name as Dict;
    expect(Array.from(names.codes).map((c) => names.dict[c])).toEqual(['甲制造有限公司', '乙贸易有限公司', '丙个体工商户', '丁科技有限公司', '张三', '李四']);
    expect(g.tables.loans!.columns).toEqual(u.tables.loans!.columns);
    expect(g.tables.enterprises!.columns).toEqual(u.tables.enterprises!.columns);
    // BOM not glued to the first header: `id` found
    expect(g.tables.institutions!.columns).toEqual(u.tables.institutions!.columns);
  });

  it('bytes that are neither UTF-8 nor GB18030 are an error in the bundle', async () => {
    const dir = await writeCsvBundle(baseBundle());
    await writeFile(join(dir, 'outlets.csv'), new Uint8Array([...new TextEncoder().encode('id,bank_id\n'), 0xff, 0x0a]));
    const errs = await checkBundle(dir);
    expect(errs.map((e) => [e.file, e.key])).toEqual([['outlets.csv', 'csv.encoding']]);
  });
});
