// CSV reading: RFC 4180 records (quoted fields, "" escapes, CRLF or LF, newlines inside quotes),
// streamed chunk by chunk, with the encoding detected rather than assumed: UTF-8 (with or without
// BOM), GB18030/GBK (what Excel/WPS on Chinese Windows writes) or UTF-16 with BOM (Excel's
// "Unicode text", tab-separated). Decoding is always fatal: a byte that does not decode is an
// error, never a replacement character.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface CsvProblem {
  key: string;
  zh: string;
  /** 1-based record number (header = 1) where the problem was found, when known. */
  row?: number;
}

/** Receives the records of one file. */
export interface CsvSink {
  /** Called before the first record, and again if the file has to be re-read in another encoding: forget everything received so far. */
  start(encoding: CsvEncoding): void;
  /** One record; `cells` is reused between calls (copy what you keep). `row` is 1-based, header = 1; a blank line is a record with one empty cell. */
  row(cells: readonly string[], row: number): void;
}

const QUOTE = 34;
const COMMA = 44;
const TAB = 9;
const CR = 13;
const LF = 10;

/**
 * Incremental RFC 4180 parser over decoded text. The delimiter is `,` unless the first line has
 * tabs and no commas (Excel's tab-separated "Unicode text").
 */
export class CsvParser {
  private rest = '';
  private readonly cells: string[] = [];
  private rowNo = 0;
  private delimiter = -1;
  private started = false;
  private readonly onRow: (cells: readonly string[], row: number) => void;
  problem: CsvProblem | null = null;

  /** `atStart` false: the text continues a file, so a leading U+FEFF is content, not a byte-order mark. */
  constructor(onRow: (cells: readonly string[], row: number) => void, delimiter?: ',' | '\t', atStart = true) {
    this.onRow = onRow;
    if (delimiter) this.delimiter = delimiter.charCodeAt(0);
    if (!atStart) this.started = true;
  }

  /** Number of records emitted so far. */
  get rows(): number {
    return this.rowNo;
  }

  push(text: string): void {
    if (!this.started) {
      if (text.length === 0) return;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    this.parse(this.rest.length ? this.rest + text : text, false);
  }

  /** Flush the last record; returns a problem (unterminated quote) or null. */
  end(): CsvProblem | null {
    this.parse(this.rest, true);
    this.rest = '';
    return this.problem;
  }

  private detectDelimiter(buf: string, final: boolean): boolean {
    let nl = buf.indexOf('\n');
    if (nl < 0) {
      if (!final) return false;
      nl = buf.length;
    }
    const line = buf.slice(0, nl);
    this.delimiter = line.includes('\t') && !line.includes(',') ? TAB : COMMA;
    return true;
  }

  private emit(): void {
    this.rowNo++;
    this.onRow(this.cells, this.rowNo);
  }

  private parse(buf: string, final: boolean): void {
    if (this.delimiter < 0 && !this.detectDelimiter(buf, final)) {
      this.rest = buf;
      return;
    }
    const delim = this.delimiter;
    const delimChar = String.fromCharCode(delim);
    const cells = this.cells;
    const n = buf.length;
    let i = 0;
    while (i < n) {
      // Fast path: a whole line without quotes or stray CR is split natively.
      const nl = buf.indexOf('\n', i);
      if (nl < 0 && !final) {
        this.rest = buf.slice(i);
        return;
      }
      const end = nl < 0 ? n : nl;
      const lineEnd = end > i && buf.charCodeAt(end - 1) === CR ? end - 1 : end;
      const line = buf.slice(i, lineEnd);
      if (line.indexOf('"') < 0 && line.indexOf('\r') < 0) {
        this.rowNo++;
        this.onRow(line.split(delimChar), this.rowNo);
        i = nl < 0 ? n : nl + 1;
        continue;
      }
      const recStart = i;
      cells.length = 0;
      for (;;) {
        let field: string;
        if (i < n && buf.charCodeAt(i) === QUOTE) {
          let parts = '';
          let seg = i + 1;
          for (;;) {
            const q = buf.indexOf('"', seg);
            if (q < 0) {
              if (!final) {
                this.rest = buf.slice(recStart);
                return;
              }
              this.problem ??= {
                key: 'csv.unterminated_quote',
                zh: '引号未闭合：从此行开始的字段缺少结束的双引号 "',
                row: this.rowNo + 1,
              };
              field = parts + buf.slice(seg);
              i = n;
              break;
            }
            if (q + 1 >= n && !final) {
              this.rest = buf.slice(recStart); // cannot tell `"` from `""` yet
              return;
            }
            if (buf.charCodeAt(q + 1) === QUOTE) {
              parts += buf.slice(seg, q + 1);
              seg = q + 2;
              continue;
            }
            field = parts + buf.slice(seg, q);
            i = q + 1;
            break;
          }
          // Text after the closing quote (not RFC 4180) is kept as written, not dropped.
          const k = scanField(buf, i, delim);
          if (k > i) field += buf.slice(i, k);
          i = k;
        } else {
          const k = scanField(buf, i, delim);
          field = buf.slice(i, k);
          i = k;
        }
        cells.push(field);
        if (i >= n) {
          if (!final) {
            this.rest = buf.slice(recStart);
            return;
          }
          this.emit();
          this.rest = '';
          return;
        }
        const c = buf.charCodeAt(i);
        if (c === delim) {
          i++;
          if (i >= n && !final) {
            this.rest = buf.slice(recStart);
            return;
          }
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) {
            this.rest = buf.slice(recStart);
            return;
          }
          i += buf.charCodeAt(i + 1) === LF ? 2 : 1;
        } else {
          i++; // LF
        }
        this.emit();
        break;
      }
    }
    this.rest = '';
  }
}

function scanField(buf: string, i: number, delim: number): number {
  const n = buf.length;
  while (i < n) {
    const c = buf.charCodeAt(i);
    if (c === delim || c === LF || c === CR) return i;
    i++;
  }
  return n;
}

/** Parse a whole CSV text into records (for small inputs and tests). Throws on an unterminated quote. */
export function parseCsvText(text: string): string[][] {
  const out: string[][] = [];
  const p = new CsvParser((cells) => out.push(cells.slice()));
  p.push(text);
  const problem = p.end();
  if (problem) throw new Error(`${problem.zh} (row ${problem.row})`);
  return out;
}

/** Encoding given by a byte-order mark, if any. */
export function bomEncoding(b: Uint8Array): CsvEncoding | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * UTF-8 text that already showed this many multi-byte characters before an invalid byte is taken
 * to be a damaged UTF-8 file (an error), not a GB18030 file that happened to look like UTF-8.
 */
const UTF8_EVIDENCE = 8;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

function countNonAscii(text: string, upTo: number): number {
  let i = text.search(NON_ASCII);
  if (i < 0) return 0;
  let c = 0;
  for (; i < text.length && c < upTo; i++) if (text.charCodeAt(i) > 0x7f) c++;
  return c;
}

function encodingProblem(encoding: CsvEncoding, row: number, guessed: boolean): CsvProblem {
  const advice = '请用 Excel/WPS 另存为“CSV UTF-8”或 GBK 编码的 CSV';
  let zh: string;
  if (encoding === 'gb18030') {
    zh = `文件编码无法识别：既不是有效的 UTF-8，也不是有效的 GB18030/GBK（第 ${row} 行有无法解码的字节）；${advice}`;
  } else if (guessed) {
    zh = `文件按 UTF-8 编码读取，但第 ${row} 行有无法解码的字节（文件可能已损坏或混用了编码）；${advice}`;
  } else {
    zh = `文件开头的字节顺序标记（BOM）表明是 ${encoding.toUpperCase()} 编码，但第 ${row} 行有无法解码的字节；${advice}`;
  }
  return { key: 'csv.encoding', zh, row };
}

type Decoded = { text: string; encoding: CsvEncoding } | { problem: CsvProblem };

/** Decode a whole CSV file's bytes with the same detection as `readCsvFile`. */
export function decodeCsvBytes(bytes: Uint8Array): Decoded {
  const bom = bomEncoding(bytes);
  const tries: CsvEncoding[] = bom ? [bom] : ['utf-8', 'gb18030'];
  for (const encoding of tries) {
    try {
      let text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      return { text, encoding };
    } catch {
      // next candidate
    }
  }
  return { problem: encodingProblem(tries[tries.length - 1], 1, !bom) };
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The text of the longest prefix of `bytes` that decodes (binary search; only on the error path). */
function validPrefix(encoding: CsvEncoding, bytes: Uint8Array): string {
  const ok = (k: number) => {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, k), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return new TextDecoder(encoding).decode(bytes.subarray(0, lo), { stream: true });
}

const RESTART = Symbol('restart');

async function readAs(path: string, encoding: CsvEncoding, guessed: boolean, sink: CsvSink): Promise<CsvProblem | null | typeof RESTART> {
  sink.start(encoding);
  const parser = new CsvParser((cells, row) => sink.row(cells, row));
  const decoder = new TextDecoder(encoding, { fatal: true });
  let evidence = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const prefix = validPrefix(encoding, chunk);
        if (guessed) evidence += countNonAscii(prefix, UTF8_EVIDENCE);
        if (guessed && evidence < UTF8_EVIDENCE) return RESTART;
        // Parse the part before the bad byte so the problem names its row.
        parser.push(prefix);
        return encodingProblem(encoding, parser.rows + 1, guessed);
      }
      if (guessed && evidence < UTF8_EVIDENCE) evidence += countNonAscii(text, UTF8_EVIDENCE);
      parser.push(text);
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      if (guessed && evidence < UTF8_EVIDENCE) return RESTART;
      return encodingProblem(encoding, parser.rows + 1, guessed);
    }
    if (tail) parser.push(tail);
    return parser.end();
  } finally {
    stream.destroy();
  }
}

/**
 * For a file without BOM that is not valid UTF-8: does readCsvFile read it as GB18030 (true), or
 * report it as damaged UTF-8 (false)? Reads up to the first bad byte, nothing is kept.
 */
export async function readsAsGb18030(path: string): Promise<boolean> {
  const ignore: CsvSink = { start() {}, row() {} };
  return (await readAs(path, 'utf-8', true, ignore)) === RESTART;
}

/**
 * Stream a CSV file into `sink`. Without a BOM the file is read as UTF-8; if a byte is not valid
 * UTF-8 before the text has shown clear UTF-8 evidence, it is re-read from the start as GB18030
 * (`sink.start` is called again). Returns the first problem (bad encoding, unterminated quote) or null.
 */
export async function readCsvFile(path: string, sink: CsvSink): Promise<{ encoding: CsvEncoding; problem: CsvProblem | null }> {
  const bom = bomEncoding(await readHead(path, 3));
  if (bom) return { encoding: bom, problem: (await readAs(path, bom, false, sink)) as CsvProblem | null };
  const r = await readAs(path, 'utf-8', true, sink);
  if (r !== RESTART) return { encoding: 'utf-8', problem: r };
  const g = await readAs(path, 'gb18030', false, sink);
  return { encoding: 'gb18030', problem: g as CsvProblem | null };
}
