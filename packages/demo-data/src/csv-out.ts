// CSV text of generated chunks: each chunk's rows of a table become one block of bytes (no
// header), formatted straight into a buffer, so chunks can be formatted on any thread and the
// blocks written one after another. Every cell is the text of the number the snapshot stores, and
// the ledger's importer parses it back to that number.
import { formatDate, formatMonth } from '@caijin/core';
import type { TableName } from '@caijin/ledger';
import { COLUMNS } from './columns.ts';
import { csvCell, type CsvFileEncoding } from './csv.ts';
import { encodeGb18030 } from './gb18030.ts';
import { TextCol, type Buf, type ChunkTables, type ColSpec, type TableChunk } from './table.ts';

/** Id text of the rows foreign keys point to in global tables. */
export interface RefTexts {
  institutions: readonly string[];
  enterprises: readonly string[];
  fintech_projects: readonly string[];
}

/** Bytes being appended to, growing as needed. */
class Out {
  buf: Buffer;
  off = 0;
  private readonly gb: boolean;
  constructor(gb: boolean, cap = 1 << 16) {
    this.gb = gb;
    this.buf = Buffer.allocUnsafe(cap);
  }
  room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(b, 0, 0, this.off);
    this.buf = b;
  }
  byte(c: number): void {
    this.room(1);
    this.buf[this.off++] = c;
  }
  /** ASCII text (ids, dates, enum values). */
  ascii(s: string): void {
    this.room(s.length);
    const b = this.buf;
    let o = this.off;
    for (let i = 0; i < s.length; i++) b[o++] = s.charCodeAt(i);
    this.off = o;
  }
  /** Any text, in the file's encoding. */
  text(s: string): void {
    if (this.gb) {
      const e = encodeGb18030(s);
      this.room(e.length);
      this.buf.set(e, this.off);
      this.off += e.length;
      return;
    }
    this.room(s.length * 3);
    this.off += this.buf.write(s, this.off, "utf8");
  }
  /** A non-negative integer below 2^53. */
  uint(v: number): void {
    this.room(20);
    const b = this.buf;
    if (v < 10) {
      b[this.off++] = 48 + v;
      return;
    }
    let digits = 0;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) digits++;
    let o = this.off + digits;
    this.off = o;
    for (let x = v; digits > 0; digits--) {
      const q = Math.floor(x / 10);
      b[--o] = 48 + (x - q * 10);
      x = q;
    }
  }
  int(v: number): void {
    if (v < 0) {
      this.byte(45);
      v = -v;
    }
    this.uint(v);
  }
  /** Zero-padded to `width` digits. */
  padded(v: number, width: number): void {
    this.room(width + 20);
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let i = digits; i < width; i++) this.buf[this.off++] = 48;
    this.uint(v);
  }
  /** Hundredths (fen, or hundredths of a percent) as a number with two decimals: 435 → 4.35. */
  cents(v: number): void {
    if (v < 0) {
      this.byte(45);
      v = -v;
    }
    const y = Math.floor(v / 100);
    const f = v - y * 100;
    this.uint(y);
    this.room(3);
    this.buf[this.off++] = 46;
    this.buf[this.off++] = 48 + Math.floor(f / 10);
    this.buf[this.off++] = 48 + (f % 10);
  }
  take(): Buffer {
    return this.buf.subarray(0, this.off);
  }
}

const dateText = new Map<number, string>();
const monthText = new Map<number, string>();
function dateOf(d: number): string {
  let s = dateText.get(d);
  if (s === undefined) dateText.set(d, (s = formatDate(d)));
  return s;
}
function monthOf(m: number): string {
  let s = monthText.get(m);
  if (s === undefined) monthText.set(m, (s = formatMonth(m)));
  return s;
}

const tagText = new Map<string, string>();
function tagsOf(tags: readonly string[], mask: number): string {
  const k = `${tags.length}:${mask}`;
  let s = tagText.get(k);
  if (s === undefined) tagText.set(k, (s = tags.filter((_, i) => (mask >>> i) & 1).join(';')));
  return s;
}

/** Writes one cell of column `s` at row i. */
type Cell = (o: Out, i: number) => void;

function cellWriter(s: ColSpec, col: TableChunk['cols'][number], chunk: ChunkTables, refs: RefTexts): Cell {
  switch (s.kind) {
    case 'num': {
      const a = (col as Buf<Float64Array>).a;
      switch (s.fmt) {
        case 'money':
          return (o, i) => a[i] === a[i] && o.cents(a[i]);
        case 'pct2':
          return (o, i) => a[i] === a[i] && o.cents(a[i] / 10_000);
        case 'pct':
          return (o, i) => a[i] === a[i] && o.int(a[i] / 1_000_000);
        case 'date':
          return (o, i) => a[i] === a[i] && o.ascii(dateOf(a[i]));
        case 'month':
          return (o, i) => a[i] === a[i] && o.ascii(monthOf(a[i]));
        default:
          return (o, i) => a[i] === a[i] && o.int(a[i]);
      }
    }
    case 'seq': {
      const a = (col as Buf<Float64Array>).a;
      const prefix = s.prefix as string;
      const width = s.width as number;
      return (o, i) => {
        o.ascii(prefix);
        o.padded(a[i], width);
      };
    }
    case 'bool': {
      const a = (col as Buf<Int8Array>).a;
      return (o, i) => a[i] >= 0 && o.ascii(a[i] ? 'true' : 'false');
    }
    case 'enum': {
      const a = (col as Buf<Int32Array>).a;
      const values = s.schema.values ?? [];
      return (o, i) => a[i] >= 0 && o.ascii(values[a[i]]);
    }
    case 'tags': {
      const a = (col as Buf<Uint32Array>).a;
      const tags = s.schema.values ?? [];
      return (o, i) => o.ascii(tagsOf(tags, a[i]));
    }
    case 'text': {
      const t = col as TextCol;
      const codes = t.codes.a;
      const cells = t.dict.map(csvCell);
      return (o, i) => codes[i] >= 0 && o.text(cells[codes[i]]);
    }
    case 'ref': {
      const a = (col as Buf<Int32Array>).a;
      if (s.local) {
        // a row of this chunk's loans or guarantees: its sequential id
        const target = chunk.get(s.target as TableName);
        const idSpec = target.specs[0];
        const ids = (target.cols[0] as Buf<Float64Array>).a;
        const prefix = idSpec.prefix as string;
        const width = idSpec.width as number;
        return (o, i) => {
          if (a[i] < 0) return;
          o.ascii(prefix);
          o.padded(ids[a[i]], width);
        };
      }
      const texts = refs[s.target as keyof RefTexts];
      if (!texts) throw new Error(`demo-data: no id texts for ${s.target}`);
      return (o, i) => a[i] >= 0 && o.ascii(texts[a[i]]);
    }
  }
}

/** The rows of `table` in chunk `chunk` as CSV lines (bytes, no header). */
export function chunkCsv(chunk: ChunkTables, table: TableName, refs: RefTexts, encoding: CsvFileEncoding = 'utf-8'): Buffer {
  const t = chunk.tables[table];
  if (!t || t.rows === 0) return Buffer.alloc(0);
  const cells = t.specs.map((s, k) => cellWriter(s, t.cols[k], chunk, refs));
  const o = new Out(encoding === 'gb18030', Math.min(1 << 26, t.rows * 16 + 64));
  const n = t.rows;
  const last = cells.length - 1;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < last; k++) {
      cells[k](o, i);
      o.byte(44);
    }
    cells[last](o, i);
    o.byte(10);
  }
  return o.take();
}

/** The header line of a table's file. */
export function csvHeader(table: TableName, headers: 'en' | 'zh' = 'en', encoding: CsvFileEncoding = 'utf-8'): Buffer {
  const line = COLUMNS[table].map((c) => csvCell(headers === 'zh' ? c[1] : c[0])).join(',') + '\n';
  return encoding === 'gb18030' ? Buffer.from(encodeGb18030(line)) : Buffer.from(line, 'utf8');
}
