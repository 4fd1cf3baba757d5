// One file (CSV file or worksheet) → one Table: header matching, then every cell parsed into its
// typed column, every problem recorded with file, row, column and value.
import type { ByteDict } from './bytedict.ts';
import { columnBuilder, DictBuilder, emptyColumn, type ColumnBuilder } from './cells.ts';
import type { ByteRecord } from './csvbytes.ts';
import { colLabel, type ErrorList } from './errors.ts';
import { headerKeyMap, normalizeHeader, SCHEMA } from './schema.ts';
import type { Column, ColumnSchema, ColumnType, Table, TableName } from './types.ts';

/** Passed as a cell's text when the cell could not be turned into text (already reported). */
export const CELL_FAILED = '\u0000failed';

/** Why a cell could not be read, with its raw content for the message. */
export interface CellFailure {
  key: string;
  zh: string;
  raw: string;
}

export interface BuiltTable {
  table: Table;
  /** English key → header as written in the file (only columns the file has). */
  headers: Record<string, string>;
  /** Row indexes with at least one cell error (checks that combine cells skip them: one error per problem). */
  badRows: Set<number>;
  /** The byte-keyed dictionary of each dictionary column the file has (foreign keys are resolved through them). */
  dicts: Record<string, ByteDict>;
}

export class TableBuilder {
  readonly name: TableName;
  readonly file: string;
  private readonly errors: ErrorList;
  private readonly warnings: string[];
  /** Unknown columns are errors-free extras; cells beyond the header are errors in CSV, warnings in sheets. */
  private readonly strictWidth: boolean;

  private headerDone = false;
  private builders: (ColumnBuilder | null)[] = [];
  private readonly byKey = new Map<string, ColumnBuilder>();
  readonly headers: Record<string, string> = {};
  private extraCols: { index: number; name: string; values: string[] }[] = [];
  private readonly blankHeaderCols = new Set<number>();
  private readonly warnedCols = new Set<number>();
  private rowsBuf = new Int32Array(1024);
  private readonly badRows = new Set<number>();
  private length = 0;

  constructor(name: TableName, file: string, errors: ErrorList, warnings: string[], strictWidth: boolean) {
    this.name = name;
    this.file = file;
    this.errors = errors;
    this.warnings = warnings;
    this.strictWidth = strictWidth;
  }

  /** Type of the schema column at input position i (for xlsx cell conversion). */
  inputType(i: number): ColumnType | undefined {
    return this.builders[i]?.schema.type;
  }

  get hasHeader(): boolean {
    return this.headerDone;
  }

  /**
   * One record. A cell given as CELL_FAILED could not be read at all; its reason is in
   * `failures[i]` (reported here, in column order, when the column is a schema column).
   */
  row(cells: readonly string[], rowNo: number, failures?: readonly (CellFailure | undefined)[]): void {
    if (!this.headerDone) {
      if (isBlank(cells)) return;
      this.header(cells, rowNo);
      return;
    }
    if (isBlank(cells)) return;
    if (this.length === this.rowsBuf.length) {
      const b = new Int32Array(this.rowsBuf.length * 2);
      b.set(this.rowsBuf);
      this.rowsBuf = b;
    }
    this.rowsBuf[this.length++] = rowNo;
    const builders = this.builders;
    const width = builders.length;
    for (let i = 0; i < width; i++) {
      const b = builders[i];
      if (b === null) continue;
      const raw = i < cells.length ? cells[i] : '';
      if (raw === CELL_FAILED) {
        b.pushEmpty();
        this.badRows.add(this.length - 1);
        const f = failures?.[i];
        if (f) this.cellFailure(b.schema, rowNo, f.raw, f);
        continue;
      }
      const text = raw.trim();
      if (text === '') {
        b.pushEmpty();
        if (b.schema.required) {
          this.requiredError(b.schema, rowNo);
          this.badRows.add(this.length - 1);
        }
        continue;
      }
      const f = b.push(text);
      if (f !== null) {
        this.cellFailure(b.schema, rowNo, raw, f);
        this.badRows.add(this.length - 1);
      }
    }
    for (const x of this.extraCols) {
      const v = x.index < cells.length ? cells[x.index] : '';
      x.values.push(v === CELL_FAILED ? (failures?.[x.index]?.raw ?? '') : v);
    }
    if (cells.length > width || this.blankHeaderCols.size > 0) this.checkOverflow(cells, rowNo);
  }

  /** About this many rows will come: columns, and the table's own id dictionary, are sized for them at once. */
  expectRows(n: number): void {
    n = Math.min(Math.ceil(n * 1.01) + 1024, 1 << 30);
    for (const b of this.byKey.values()) b.reserve(n);
    if (n > this.rowsBuf.length) {
      const r = new Int32Array(n);
      r.set(this.rowsBuf.subarray(0, this.length));
      this.rowsBuf = r;
    }
    const id = this.byKey.get('id');
    if (id instanceof DictBuilder) id.index.reserve(Math.min(n, 1 << 26));
  }

  /**
   * One record given as bytes (CSV fast path): the same as `row` with the record's texts, but a
   * cell whose bytes need no trimming goes to its column as bytes, without becoming a string.
   */
  record(rec: ByteRecord, rowNo: number): void {
    if (!this.headerDone || this.extraCols.length > 0 || isBlankRecord(rec)) {
      this.row(recordTexts(rec), rowNo);
      return;
    }
    if (this.length === this.rowsBuf.length) {
      const b = new Int32Array(this.rowsBuf.length * 2);
      b.set(this.rowsBuf);
      this.rowsBuf = b;
    }
    this.rowsBuf[this.length++] = rowNo;
    const { buf, starts, ends, count, texts } = rec;
    const builders = this.builders;
    const width = builders.length;
    for (let i = 0; i < width; i++) {
      const b = builders[i];
      if (b === null) continue;
      const decoded = texts === null || i >= count ? undefined : texts[i];
      if (decoded !== undefined) {
        this.cellText(b, decoded, rowNo);
        continue;
      }
      if (i >= count || starts[i] === ends[i]) {
        b.pushEmpty();
        if (b.schema.required) {
          this.requiredError(b.schema, rowNo);
          this.badRows.add(this.length - 1);
        }
        continue;
      }
      const s = starts[i];
      const e = ends[i];
      const first = buf[s];
      const last = buf[e - 1];
      // Printable ASCII at both ends: trim() would change nothing, the bytes are the text.
      if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) {
        const f = b.pushBytes(buf, s, e);
        if (f !== null) {
          this.cellFailure(b.schema, rowNo, buf.toString('utf8', s, e), f);
          this.badRows.add(this.length - 1);
        }
        continue;
      }
      this.cellText(b, buf.toString('utf8', s, e), rowNo);
    }
    if (count > width || this.blankHeaderCols.size > 0) this.checkOverflow(recordTexts(rec), rowNo);
  }

  /** One cell of the current row as text (what `row` does with each cell). */
  private cellText(b: ColumnBuilder, raw: string, rowNo: number): void {
    const text = raw.trim();
    if (text === '') {
      b.pushEmpty();
      if (b.schema.required) {
        this.requiredError(b.schema, rowNo);
        this.badRows.add(this.length - 1);
      }
      return;
    }
    const f = b.push(text);
    if (f !== null) {
      this.cellFailure(b.schema, rowNo, raw, f);
      this.badRows.add(this.length - 1);
    }
  }

  private checkOverflow(cells: readonly string[], rowNo: number): void {
    for (let i = 0; i < cells.length; i++) {
      if (i < this.builders.length && !this.blankHeaderCols.has(i)) continue;
      const v = cells[i];
      if (v === CELL_FAILED || v.trim() === '') continue;
      if (this.strictWidth && i >= this.builders.length) {
        this.errors.add({
          file: this.file,
          row: rowNo,
          value: v,
          key: 'row.too_many_cells',
          zh: `此行有 ${cells.length} 个单元格，多于表头的 ${this.builders.length} 列（第 ${i + 1} 列“${v}”没有表头）；常见原因是含逗号的数值或文字没有加双引号`,
        });
        return;
      }
      if (!this.warnedCols.has(i)) {
        this.warnedCols.add(i);
        this.warnings.push(`${this.file} 第 ${i + 1} 列没有表头，其内容（如第 ${rowNo} 行“${v}”）已忽略`);
      }
    }
  }

  private requiredError(c: ColumnSchema, rowNo: number): void {
    const h = this.headers[c.key];
    this.errors.add({
      file: this.file,
      row: rowNo,
      column: c.key,
      header: h,
      value: '',
      key: 'value.required',
      zh: `${colLabel(h, c.key)}为必填项，不能为空`,
    });
  }

  private cellFailure(c: ColumnSchema, rowNo: number, raw: string, f: { key: string; zh: string }): void {
    const h = this.headers[c.key];
    this.errors.add({
      file: this.file,
      row: rowNo,
      column: c.key,
      header: h,
      value: raw,
      key: f.key,
      zh: `${colLabel(h, c.key)}：${f.zh}`,
    });
  }

  private header(cells: readonly string[], rowNo: number): void {
    this.headerDone = true;
    const map = headerKeyMap(this.name);
    const schema = SCHEMA[this.name];
    const extraNames = new Set<string>();
    for (let i = 0; i < cells.length; i++) {
      const raw = cells[i] === CELL_FAILED ? '' : cells[i].trim();
      const norm = normalizeHeader(raw);
      if (norm === '') {
        this.builders.push(null);
        this.blankHeaderCols.add(i);
        continue;
      }
      const key = map.get(norm);
      if (key === undefined) {
        this.builders.push(null);
        let name = raw;
        if (extraNames.has(name)) {
          let k = 2;
          while (extraNames.has(`${raw}#${k}`)) k++;
          name = `${raw}#${k}`;
          this.warnings.push(`${this.file} 有重复的未知列“${raw}”，第 ${i + 1} 列记为“${name}”`);
        }
        extraNames.add(name);
        this.extraCols.push({ index: i, name, values: [] });
        continue;
      }
      if (this.byKey.has(key)) {
        this.builders.push(null);
        this.errors.add({
          file: this.file,
          row: rowNo,
          column: key,
          header: raw,
          value: raw,
          key: 'header.duplicate',
          zh: `表头重复：第 ${i + 1} 列“${raw}”与“${this.headers[key]}”都是 ${key} 列；请删除其中一列`,
        });
        continue;
      }
      const c = schema.columns.find((x) => x.key === key) as ColumnSchema;
      const b = columnBuilder(c);
      this.builders.push(b);
      this.byKey.set(key, b);
      this.headers[key] = raw;
    }
    for (const c of schema.columns) {
      if (c.required && !this.byKey.has(c.key)) {
        this.errors.add({
          file: this.file,
          row: rowNo,
          column: c.key,
          key: 'column.missing',
          zh: `缺少必填列“${c.zh}”（${c.key}）`,
        });
      }
    }
    if (this.extraCols.length) {
      this.warnings.push(`${this.file} 有未知列 ${this.extraCols.map((x) => `“${x.name}”`).join('、')}，已原样保留，不参与计算`);
    }
  }

  finish(): BuiltTable {
    const schema = SCHEMA[this.name];
    const columns: Record<string, Column> = {};
    for (const c of schema.columns) {
      const b = this.byKey.get(c.key);
      columns[c.key] = b ? b.finish() : emptyColumn(c, this.length);
    }
    const extra: Record<string, string[]> = {};
    for (const x of this.extraCols) extra[x.name] = x.values;
    const dicts: Record<string, ByteDict> = {};
    for (const [key, b] of this.byKey) if (b instanceof DictBuilder) dicts[key] = b.index;
    if (!this.headerDone) this.warnings.push(`${this.file} 是空的（没有表头）`);
    return {
      table: {
        name: this.name,
        length: this.length,
        columns,
        source: { file: this.file, rows: this.rowsBuf.slice(0, this.length) },
        extra,
      },
      headers: { ...this.headers },
      badRows: this.badRows,
      dicts,
    };
  }
}

function recordTexts(rec: ByteRecord): string[] {
  const out = new Array<string>(rec.count);
  for (let i = 0; i < rec.count; i++) out[i] = rec.texts?.[i] ?? rec.buf.toString('utf8', rec.starts[i], rec.ends[i]);
  return out;
}

/** Every cell empty after trim() (only a record with no printable ASCII byte needs its text looked at). */
function isBlankRecord(rec: ByteRecord): boolean {
  const { buf, starts, ends, count } = rec;
  for (let i = 0; i < count; i++) {
    for (let j = starts[i]; j < ends[i]; j++) {
      const c = buf[j];
      if (c > 0x20 && c < 0x7f) return false;
    }
  }
  return isBlank(recordTexts(rec));
}

function isBlank(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c === CELL_FAILED || c.trim() !== '') return false;
  }
  return true;
}
