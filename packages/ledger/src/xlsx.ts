// Reading an .xlsx bundle in streaming mode (ExcelJS WorkbookReader: rows are parsed as the zip is
// read, no workbook DOM), and turning each cell into the same text a CSV cell would hold, so the
// importer validates both the same way.
import { Q, excelSerialToDays, formatDate, formatMonth, monthIndexOfDays } from '@caijin/core';
import { Readable } from 'node:stream';
import type { ColumnType } from './types.ts';
import { entryText, readZipDirectory } from './zip.ts';

/** A cell as read: text, number, boolean, date, an Excel error (`#N/A`, or a formula without a stored result), or empty. */
export type XlsxCell = string | number | boolean | Date | { error: string } | null;

export interface SheetSink {
  /** One row; `cells[0]` is column A. `row` is the Excel row number (1-based). */
  row(cells: readonly XlsxCell[], row: number): void;
}

type CellText = { ok: true; value: string } | { ok: false; key: string; zh: string };

function plainCell(v: unknown): XlsxCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) {
      if (o.result === undefined || o.result === null) return { error: 'formula_without_result' };
      return plainCell(o.result);
    }
    if ('error' in o) return { error: String(o.error) };
    if ('text' in o) return plainCell(o.text); // hyperlink
  }
  return String(v);
}

/** The parts of ExcelJS's streaming WorkbookReader used here (exceljs 4.4.0, pinned). */
interface ReaderParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: SheetReader }>;
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  properties?: { model?: { date1904?: boolean } };
}

interface SheetRow {
  number: number;
  eachCell(cb: (cell: { value: unknown; numFmt?: unknown }, col: number) => void): void;
}

interface SheetReader extends AsyncIterable<SheetRow> {
  name: string;
}

/** A number format that shows a percent (a `%` outside quotes and escapes), e.g. "0.00%". */
export function isPercentFormat(fmt: unknown): boolean {
  return typeof fmt === 'string' && /%/.test(fmt.replace(/"[^"]*"/g, '').replace(/\\./g, ''));
}

/** A percent-formatted number as the text the user sees: 0.008 → "0.8%". */
export function percentText(x: number): string {
  const q = Q.parse(numberText(x));
  return q ? `${q.mul(Q.of(100)).toDecimal()}%` : String(x);
}

function cellOf(value: unknown, numFmt: unknown): XlsxCell {
  const v = plainCell(value);
  return typeof v === 'number' && isPercentFormat(numFmt) ? percentText(v) : v;
}

export interface WorkbookInfo {
  /** The workbook counts dates from 1904 (old Mac Excel): serials are 1462 days smaller. */
  date1904: boolean;
}

/** Resolve a relationship target of xl/workbook.xml to a zip entry name. */
function partName(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return target.startsWith('xl/') ? target : `xl/${target}`;
}

/**
 * Stream every worksheet of `path`, in the workbook's tab order; `onSheet(name)` returns where its
 * rows go, or null to skip the sheet. ExcelJS's WorkbookReader parses the parts (shared strings and
 * styles cached: ExcelJS needs them before the sheets, styles tell date cells from numbers), but the
 * parts are taken from the zip's central directory and decoded as streaming UTF-8 here: ExcelJS's
 * own single pass over the zip loses xl/workbook.xml on Node ≥ 18 (exceljs issue #3064) and decodes
 * each chunk separately, which would garble a Chinese character split between two chunks.
 */
export async function readWorkbook(path: string, onSheet: (name: string, info: WorkbookInfo) => SheetSink | null): Promise<void> {
  const entries = await readZipDirectory(path);
  // loaded when a workbook is read: ExcelJS takes ~0.4 s to load, which every other use of the
  // ledger (a worker thread, a snapshot load) would otherwise pay
  const ExcelJS = (await import('exceljs')).default;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as ReaderParts;
  const part = (name: string) => {
    const e = entries.get(name);
    return e ? Readable.from(entryText(path, e)) : undefined;
  };
  const rels = part('xl/_rels/workbook.xml.rels');
  const book = part('xl/workbook.xml');
  if (!rels || !book) throw new Error('不是有效的 .xlsx 工作簿（缺少 xl/workbook.xml）');
  await reader._parseRels(rels);
  await reader._parseWorkbook(book);
  const shared = part('xl/sharedStrings.xml');
  if (shared) for await (const _ of reader._parseSharedStrings(shared)) void _;
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);
  const info: WorkbookInfo = { date1904: reader.properties?.model?.date1904 === true };

  const cells: XlsxCell[] = [];
  for (const sheet of reader.model?.sheets ?? []) {
    const rel = reader.workbookRels?.find((r) => r.Id === sheet.rId);
    const entry = rel ? entries.get(partName(rel.Target)) : undefined;
    if (!entry) continue;
    const sink = onSheet(sheet.name, info);
    if (!sink) continue;
    const sheetNo = /(\d+)\.xml$/.exec(entry.name)?.[1] ?? '1';
    for (const ev of reader._parseWorksheet(entryText(path, entry), sheetNo)) {
      for await (const row of ev.value) {
        cells.length = 0;
        row.eachCell((cell, col) => {
          while (cells.length < col - 1) cells.push(null);
          cells.push(cellOf(cell.value, cell.numFmt));
        });
        sink.row(cells, row.number);
      }
    }
  }
}

/**
 * A finite number as plain decimal text, at Excel's precision of 15 significant digits (what Excel
 * shows), so 0.1+0.2 stored as 0.30000000000000004 reads "0.3" while 1234.565 stays "1234.565".
 * Never exponent notation.
 */
export function numberText(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(0);
  let s = String(x);
  if (significantDigits(s) > 15) s = x.toPrecision(15);
  return plainDecimal(s);
}

function significantDigits(s: string): number {
  const mant = s.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return mant.length;
}

function plainDecimal(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', exp = '0'] = m;
  let digits = int + frac;
  let point = int.length + Number(exp);
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  let ip = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  let fp = digits.slice(point).replace(/0+$/, '');
  if (ip === '') ip = '0';
  const out = fp ? `${ip}.${fp}` : ip;
  return sign && out !== '0' ? `-${out}` : out;
}

/** Excel serials (1900 system) taken as dates: 1950-01-01 … 2199-12-31. Anything else stays a number and fails as a date. */
const SERIAL_MIN = 18264;
const SERIAL_MAX = 109573;

function dateDays(d: Date): number {
  // Dates of an .xlsx carry no zone: ExcelJS builds them as UTC midnight (± float noise).
  return Math.floor((d.getTime() + 1000) / 86_400_000);
}

/** The text a CSV would hold for this cell, given the type of the column it lands in. */
export function cellText(v: XlsxCell, type: ColumnType | undefined, date1904 = false): CellText {
  if (v === null) return { ok: true, value: '' };
  if (typeof v === 'string') return { ok: true, value: v };
  if (typeof v === 'boolean') return { ok: true, value: v ? 'true' : 'false' };
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { ok: false, key: 'xlsx.bad_date', zh: '日期单元格无效' };
    const days = dateDays(v);
    return { ok: true, value: type === 'month' ? formatMonth(monthIndexOfDays(days)) : formatDate(days) };
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { ok: false, key: 'xlsx.bad_number', zh: '数值单元格无效' };
    if ((type === 'date' || type === 'month') && v >= SERIAL_MIN && v < SERIAL_MAX + 1) {
      const days = excelSerialToDays(Math.floor(v + 1e-9)) + (date1904 ? 1462 : 0);
      return { ok: true, value: type === 'month' ? formatMonth(monthIndexOfDays(days)) : formatDate(days) };
    }
    if ((type === 'id' || type === 'party' || type === 'uscc' || type === 'region') && Math.abs(v) >= 1e15) {
      return {
        ok: false,
        key: 'xlsx.number_precision',
        zh: '该单元格为数值格式，超过15位的数字已被 Excel 截断；请将该列设为文本格式后重新填写',
      };
    }
    return { ok: true, value: numberText(v) };
  }
  if (v.error === 'formula_without_result') {
    return { ok: false, key: 'xlsx.formula_without_result', zh: '公式单元格没有保存计算结果；请在 Excel/WPS 中打开并保存后再导入' };
  }
  return { ok: false, key: 'xlsx.error_value', zh: `单元格为错误值 ${v.error}` };
}
