// The CSV reader of the importer's fast path: records are split on the file's bytes and handed
// over as byte ranges, so a cell becomes a number or a dictionary code without ever being a JS
// string (at province size 450 million cells: string allocation and garbage collection were most
// of the time). It gives exactly the records of `readCsvFile` (csv.ts), and it declines
// ("fallback") whatever it does not handle itself — a UTF-16 file, bytes that are not valid in the
// file's encoding, an unterminated quote — so that the caller re-reads the file with
// `readCsvFile`, whose errors are the reference.
//
// Splitting bytes is safe in both encodings read here: in UTF-8 and in GB18030 the bytes of `,`,
// tab, `"`, CR and LF never occur inside a multi-byte character.
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { bomEncoding, CsvParser } from './csv.ts';

const QUOTE = 34;
const COMMA = 44;
const TAB = 9;
const CR = 13;
const LF = 10;

/** One record as byte ranges of `buf`: cell i is buf[starts[i], ends[i]). Reused between records. */
export interface ByteRecord {
  buf: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  /** Some byte of the record is ≥ 0x80 (not ASCII). */
  high: boolean;
  /**
   * GB18030 file: the text of each cell that is not ASCII (decoded here, since its bytes are not
   * UTF-8), undefined for ASCII cells; null in a UTF-8 file or an ASCII record.
   */
  texts: (string | undefined)[] | null;
}

export interface ByteCsvSink {
  /** Called before the first record (again when the file is re-read in another encoding). */
  start(encoding: 'utf-8' | 'gb18030'): void;
  /** A record of UTF-8 bytes (in a GB18030 file, the non-ASCII cells come decoded in `texts`). */
  record(rec: ByteRecord, row: number): void;
  /** A record that needed decoding (quotes, a line break inside a cell, GB18030 text), as strings. */
  row(cells: readonly string[], row: number): void;
  /** About how many records the file has (from the first read), to size dictionaries once. */
  expect?(records: number): void;
}

/** What the byte reader could not handle: re-read the file with readCsvFile. */
export const FALLBACK = 'fallback';
/** Not valid UTF-8 in a file without a BOM: readCsvFile's rule decides between GB18030 and an error. */
export const NOT_UTF8 = 'not-utf8';

/** Bytes read at a time (a record longer than this grows the buffer). */
export const CHUNK = 8 << 20;

/** Byte offset after the byte-order mark(s) that the text reader strips (the decoder's, then CsvParser's U+FEFF). */
function bodyStart(b: Uint8Array, n: number, encoding: 'utf-8' | 'gb18030'): number {
  const utf8Bom = (i: number) => i + 3 <= n && b[i] === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf;
  if (encoding === 'gb18030') return n >= 4 && b[0] === 0x84 && b[1] === 0x31 && b[2] === 0x95 && b[3] === 0x33 ? 4 : 0;
  let i = 0;
  if (utf8Bom(i)) i += 3;
  if (utf8Bom(i)) i += 3;
  return i;
}

/**
 * End (after its line break) of the record starting at i, following CsvParser's rules for a
 * record with quotes or a CR; -1 when the bytes up to n do not settle it yet, -2 for a quote
 * still open at the end of the file.
 */
function quotedRecordEnd(b: Buffer, i: number, n: number, delim: number, eof: boolean): number {
  for (;;) {
    if (i < n && b[i] === QUOTE) {
      let seg = i + 1;
      for (;;) {
        const q = b.indexOf(QUOTE, seg);
        if (q < 0 || q >= n) return eof ? -2 : -1;
        if (q + 1 >= n && !eof) return -1;
        if (q + 1 < n && b[q + 1] === QUOTE) {
          seg = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
    }
    while (i < n) {
      const c = b[i];
      if (c === delim || c === LF || c === CR) break;
      i++;
    }
    if (i >= n) return eof ? n : -1;
    const c = b[i];
    if (c === delim) {
      i++;
      if (i >= n && !eof) return -1;
      continue;
    }
    if (c === CR) {
      if (i + 1 >= n) return eof ? n : -1;
      return b[i + 1] === LF ? i + 2 : i + 1;
    }
    return i + 1;
  }
}

/**
 * Read `path` into `sink` in the given encoding. Returns null when done, FALLBACK or NOT_UTF8
 * (with `guessed`: the file has no BOM and is tried as UTF-8) when the caller must decide again.
 */
async function readBytesAs(
  path: string,
  encoding: 'utf-8' | 'gb18030',
  guessed: boolean,
  sink: ByteCsvSink,
  chunk: number,
): Promise<null | typeof FALLBACK | typeof NOT_UTF8> {
  const fh = await open(path, 'r');
  try {
    sink.start(encoding);
    const gb = encoding === 'gb18030';
    let buf = Buffer.allocUnsafe(chunk);
    let len = 0;
    let pos = 0;
    let eof = false;
    let rowNo = 0;
    let delim = -1;
    let first = true;
    const rec: ByteRecord = { buf, starts: new Int32Array(64), ends: new Int32Array(64), count: 0, high: false, texts: null };
    const texts: (string | undefined)[] = [];
    // Inside the file a U+FEFF is text: this decoder must not drop it.
    const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    /** Decode b[s, e) (one whole record) and split it as the text reader does; false on a byte that does not decode. */
    const decodeRecord = (s: number, e: number, atStart: boolean): boolean => {
      let text: string;
      try {
        // At the start of the file a fresh decoder drops a UTF-8 BOM, as the text reader's does.
        text = (atStart ? new TextDecoder(encoding, { fatal: true }) : decoder).decode(buf.subarray(s, e));
      } catch {
        return false;
      }
      const p = new CsvParser((cells) => sink.row(cells, ++rowNo), delim === TAB ? '\t' : ',', atStart);
      p.push(text);
      p.end();
      return true;
    };

    for (;;) {
      if (!eof) {
        if (len === buf.length) {
          const nb = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(nb, 0, 0, len);
          buf = nb;
          rec.buf = buf;
        }
        const { bytesRead } = await fh.read(buf, len, buf.length - len, pos);
        pos += bytesRead;
        len += bytesRead;
        if (bytesRead === 0) eof = true;
      }
      let p = 0;
      if (first) {
        if (!eof && len < 4) continue;
        const bom = bomEncoding(buf.subarray(0, Math.min(len, 3)));
        if (bom === 'utf-16le' || bom === 'utf-16be') return FALLBACK;
        if (bom === 'utf-8') guessed = false;
        p = bodyStart(buf, len, encoding);
        // Delimiter: tab when the first line has tabs and no commas (as CsvParser decides).
        let nl = buf.indexOf(LF, p);
        if (nl < 0 || nl >= len) {
          if (!eof) continue;
          nl = len;
        }
        let tabs = false;
        let commas = false;
        for (let i = p; i < nl; i++) {
          if (buf[i] === TAB) tabs = true;
          else if (buf[i] === COMMA) commas = true;
        }
        delim = tabs && !commas ? TAB : COMMA;
        if (eof && p >= len) return null; // empty, or nothing but byte-order marks
      }
      // Only whole lines are parsed; the bytes they span are checked first (UTF-8: all of them).
      let upTo = len;
      if (!eof) {
        const lastNl = buf.lastIndexOf(LF, len - 1);
        if (lastNl < p) continue; // no complete line yet: read more
        upTo = lastNl + 1;
      }
      if (!gb && !isUtf8(buf.subarray(0, upTo))) return guessed ? NOT_UTF8 : FALLBACK;
      if (first) {
        // The first record is decoded as text: the byte-order marks it starts with are dropped
        // exactly as the text reader drops them.
        const e = quotedRecordEnd(buf, p, upTo, delim, eof);
        if (e === -1) continue;
        if (e === -2 || !decodeRecord(0, e, true)) return FALLBACK;
        first = false;
        p = e;
      }
      while (p < upTo) {
        const next = splitLine(buf, p, upTo, delim, eof, rec);
        if (next >= 0) {
          if (gb && rec.high) {
            if (!decodeCells(rec, decoder, texts)) return FALLBACK;
            rec.texts = texts;
          } else rec.texts = null;
          sink.record(rec, ++rowNo);
          p = next;
          continue;
        }
        // Quotes or a lone CR: decode the record and split it as text.
        const e = quotedRecordEnd(buf, p, upTo, delim, eof);
        if (e === -1) break;
        if (e === -2 || !decodeRecord(p, e, false)) return FALLBACK;
        p = e;
      }
      if (eof) return null;
      if (pos === len && sink.expect && rowNo > 0) sink.expect(Math.ceil((rowNo * (await fh.stat()).size) / p));
      buf.copy(buf, 0, p, len);
      len -= p;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Split the line starting at p on the delimiter into rec (cells, `high`). Returns where the next
 * line starts, or -1 when the line has a quote or a CR other than CRLF's (the text parser's
 * business). A top-level function with fixed argument types: V8 compiles this loop well.
 */
function splitLine(buf: Buffer, p: number, upTo: number, delim: number, eof: boolean, rec: ByteRecord): number {
  let starts = rec.starts;
  let ends = rec.ends;
  let k = 0;
  let cs = p;
  let hi = 0;
  let lineEnd = upTo;
  let next = upTo;
  for (let i = p; i < upTo; i++) {
    const c = buf[i];
    if (c === delim) {
      if (k + 1 >= starts.length) {
        rec.starts = starts = grow(starts);
        rec.ends = ends = grow(ends);
      }
      starts[k] = cs;
      ends[k] = i;
      k++;
      cs = i + 1;
    } else if (c === LF) {
      lineEnd = i;
      next = i + 1;
      break;
    } else if (c === CR) {
      if (!(i + 1 < upTo ? buf[i + 1] === LF : eof)) return -1;
      lineEnd = i;
      next = Math.min(i + 2, upTo);
      break;
    } else if (c === QUOTE) {
      return -1;
    } else hi |= c;
  }
  starts[k] = cs;
  ends[k] = lineEnd;
  rec.count = k + 1;
  rec.high = hi >= 0x80;
  return next;
}

/** GB18030: decode every cell of rec that has a non-ASCII byte into texts; false on bytes that do not decode. */
function decodeCells(rec: ByteRecord, decoder: { decode(b: Uint8Array): string }, texts: (string | undefined)[]): boolean {
  const { buf, starts, ends, count } = rec;
  texts.length = count;
  for (let i = 0; i < count; i++) {
    const s = starts[i];
    const e = ends[i];
    let hi = 0;
    for (let j = s; j < e; j++) hi |= buf[j];
    if (hi < 0x80) {
      texts[i] = undefined;
      continue;
    }
    try {
      texts[i] = decoder.decode(buf.subarray(s, e));
    } catch {
      return false;
    }
  }
  return true;
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Stream a CSV file's records into `sink` from its bytes. Returns the encoding read, FALLBACK
 * when the caller must use readCsvFile instead, or NOT_UTF8 when a file without BOM is not valid
 * UTF-8 (readCsvFile's evidence rule then says whether it is GB18030: call again with 'gb18030').
 */
export async function readCsvBytes(
  path: string,
  sink: ByteCsvSink,
  encoding?: 'gb18030',
  chunk = CHUNK,
): Promise<'utf-8' | 'gb18030' | typeof FALLBACK | typeof NOT_UTF8> {
  if (encoding === 'gb18030') return (await readBytesAs(path, 'gb18030', false, sink, chunk)) ?? 'gb18030';
  const r = await readBytesAs(path, 'utf-8', true, sink, chunk);
  return r ?? 'utf-8';
}
