// Buffered CSV writing: lines are appended to an in-memory chunk that is written to the file each
// time it passes ~1 MB, so even a province-size bundle never holds a whole file in memory.
import { closeSync, openSync, writeSync } from 'node:fs';

const CHUNK = 1 << 20;

export class CsvWriter {
  private fd: number;
  private buf = '';
  /** Data rows written (the header not counted). */
  rows = 0;

  constructor(path: string, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    this.buf = header.map(csvCell).join(',') + '\n';
  }

  /** Appends one already-formatted line (cells joined by commas, no newline). */
  line(s: string): void {
    this.buf += s + '\n';
    this.rows++;
    if (this.buf.length >= CHUNK) this.flush();
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
    if (this.buf.length > 0) {
      writeSync(this.fd, this.buf);
      this.buf = '';
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
