// Buffered CSV writing: lines are appended to an in-memory chunk that is written to the file each
// time it passes ~1 MB, so even a province-size bundle never holds a whole file in memory.
// Written as UTF-8, or as GB18030 (GBK) like Excel/WPS on Chinese Windows.
import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeGb18030 } from './gb18030.ts';

export type CsvFileEncoding = 'utf-8' | 'gb18030';

const CHUNK = 1 << 20;

export class CsvWriter {
  private fd: number;
  /** UTF-8: lines are encoded straight into this buffer. */
  private out: Buffer | null = null;
  private off = 0;
  /** GB18030: lines are collected and encoded at flush. */
  private lines: string[] = [];
  private chars = 0;
  private readonly gb: boolean;
  /** Data rows written (the header not counted). */
  rows = 0;

  constructor(path: string, header: readonly string[], encoding: CsvFileEncoding = 'utf-8') {
    this.fd = openSync(path, 'w');
    this.gb = encoding === 'gb18030';
    if (!this.gb) this.out = Buffer.allocUnsafeSlow(CHUNK + 4096);
    this.put(header.map(csvCell).join(','));
  }

  private put(s: string): void {
    const out = this.out;
    if (out === null) {
      this.lines.push(s);
      this.chars += s.length;
      if (this.chars >= CHUNK) this.flush();
      return;
    }
    if (this.off + s.length * 3 + 1 > out.length) {
      this.flush();
      if (s.length * 3 + 1 > out.length) this.out = Buffer.allocUnsafeSlow(s.length * 3 + 1);
    }
    this.off += this.out!.write(s, this.off);
    this.out![this.off++] = 10;
  }

  /** Appends one already-formatted line (cells joined by commas, no newline). */
  line(s: string): void {
    this.put(s);
    this.rows++;
  }

  /**
   * Appends the line `a,b,c` of three ASCII cells needing no quotes (ids, months, amounts): the
   * hottest lines of a bundle (10^8 balance rows at province size), copied byte by byte without
   * building the line as a string.
   */
  ascii3(a: string, b: string, c: string): void {
    const out = this.out;
    const n = a.length + b.length + c.length + 3;
    if (out === null || n > 4096) {
      this.line(`${a},${b},${c}`);
      return;
    }
    if (this.off + n > out.length) this.flush();
    let o = this.off;
    let any = 0;
    for (let i = 0; i < a.length; i++) any |= out[o++] = a.charCodeAt(i);
    out[o++] = 44;
    for (let i = 0; i < b.length; i++) any |= out[o++] = b.charCodeAt(i);
    out[o++] = 44;
    for (let i = 0; i < c.length; i++) any |= out[o++] = c.charCodeAt(i);
    out[o++] = 10;
    if (any >= 0x80) {
      this.line(csvCell(a) + ',' + csvCell(b) + ',' + csvCell(c)); // not ASCII after all: overwrite
      return;
    }
    this.off = o;
    this.rows++;
  }

  /** Appends one row of cells, escaping where needed. */
  row(cells: readonly (string | number)[]): void {
    let s = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) s += ',';
      const c = cells[i];
      s += typeof c === 'number' ? String(c) : csvCell(c);
    }
    this.line(s);
  }

  flush(): void {
    if (this.out !== null) {
      if (this.off > 0) writeSync(this.fd, this.out, 0, this.off);
      this.off = 0;
    } else if (this.lines.length > 0) {
      writeSync(this.fd, encodeGb18030(this.lines.join('\n') + '\n'));
      this.lines = [];
      this.chars = 0;
    }
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.rows;
  }
}

/** RFC 4180 quoting only where needed. */
export function csvCell(s: string): string {
  if (/[",\n\r]/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/** Fen (integer) → yuan with exactly two decimals. */
export function money(fen: number): string {
  fen = Math.round(fen);
  const neg = fen < 0;
  const a = neg ? -fen : fen;
  const y = Math.floor(a / 100);
  const f = a - y * 100;
  return (neg ? '-' : '') + y + (f < 10 ? '.0' : '.') + f;
}

/** Hundredths of a percent (integer) → percent number with two decimals, e.g. 435 → "4.35". */
export function pct2(hundredths: number): string {
  return money(hundredths);
}

export function bool(b: boolean): string {
  return b ? 'true' : 'false';
}
