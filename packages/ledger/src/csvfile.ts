// One CSV file → one built table with its own errors and warnings. Self-contained so that it can
// run in a worker thread (csvworker.ts): the folder loader merges the files' errors and warnings
// in reading order afterwards, which gives the same list as reading the files one after another.
import { TableBuilder, type BuiltTable } from './builder.ts';
import { ByteDict, lazyStrings } from './bytedict.ts';
import { readCsvFile, readsAsGb18030 } from './csv.ts';
import { FALLBACK, NOT_UTF8, readCsvBytes, type ByteRecord } from './csvbytes.ts';
import { ErrorList } from './errors.ts';
import type { Column, DictColumn, LedgerError, TableName } from './types.ts';

export interface ParsedFile {
  built: BuiltTable;
  errors: ErrorList;
  warnings: string[];
}

/** `how.text`: read with the text reader only (the reference the tests compare the byte reader with); `how.chunk`: the byte reader's read size. */
export async function parseCsvFile(
  path: string,
  file: string,
  name: TableName,
  maxErrors: number,
  how: { text?: boolean; chunk?: number } = {},
): Promise<ParsedFile> {
  const errors = new ErrorList(maxErrors);
  const warnings: string[] = [];
  let builder = new TableBuilder(name, file, errors, warnings, true);
  let starts = 0;
  const restart = () => {
    if (starts++ > 0) {
      // Re-read in another encoding or by the other reader: forget what the first attempt found.
      errors.rollback({ total: 0, listed: 0 });
      warnings.length = 0;
      builder = new TableBuilder(name, file, errors, warnings, true);
    }
  };
  // The byte reader first; it hands the file back when the text reader has to decide (see csvbytes.ts).
  const sink = {
    start: restart,
    record: (rec: ByteRecord, row: number) => builder.record(rec, row),
    row: (cells: readonly string[], row: number) => builder.row(cells, row),
    expect: (records: number) => builder.expectRows(records),
  };
  let r = how.text ? FALLBACK : await readCsvBytes(path, sink, undefined, how.chunk);
  if (r === NOT_UTF8) r = (await readsAsGb18030(path)) ? await readCsvBytes(path, sink, 'gb18030', how.chunk) : FALLBACK;
  if (r === FALLBACK) {
    const { problem } = await readCsvFile(path, {
      start: restart,
      row(cells, row) {
        builder.row(cells, row);
      },
    });
    if (problem) errors.add({ file, row: problem.row, key: problem.key, zh: problem.zh });
  }
  return { built: builder.finish(), errors, warnings };
}

// ---------------------------------------------------------------------------------------------
// Moving a parsed file between threads: typed arrays are transferred, not copied; dictionaries
// travel as their bytes (`dict` strings are never made for the trip).


export interface ParsedFileMessage {
  table: Omit<BuiltTable['table'], 'columns'> & { columns: Record<string, Column | Omit<DictColumn, 'dict'>> };
  headers: Record<string, string>;
  badRows: number[];
  dicts: Record<string, ReturnType<ByteDict['parts']>>;
  errors: LedgerError[];
  errorTotal: number;
  warnings: string[];
}

export function toMessage(p: ParsedFile): { message: ParsedFileMessage; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const own = (a: { buffer: ArrayBufferLike }) => transfer.push(a.buffer as ArrayBuffer);
  const { table } = p.built;
  const columns: ParsedFileMessage['table']['columns'] = {};
  for (const [key, c] of Object.entries(table.columns)) {
    if ('codes' in c) {
      own(c.codes);
      columns[key] = key in p.built.dicts ? { type: c.type, codes: c.codes } : c;
    } else if ('values' in c) {
      own(c.values);
      columns[key] = c;
    } else {
      own(c.masks);
      columns[key] = c;
    }
  }
  own(table.source.rows);
  const dicts: ParsedFileMessage['dicts'] = {};
  for (const [key, d] of Object.entries(p.built.dicts)) {
    const parts = d.parts();
    dicts[key] = parts;
    transfer.push(parts.bytes.buffer as ArrayBuffer, parts.offs.buffer as ArrayBuffer, parts.slots.buffer as ArrayBuffer);
  }
  const message: ParsedFileMessage = {
    table: { ...table, columns },
    headers: p.built.headers,
    badRows: [...p.built.badRows],
    dicts,
    errors: p.errors.list,
    errorTotal: p.errors.total,
    warnings: p.warnings,
  };
  return { message, transfer };
}

export function fromMessage(m: ParsedFileMessage, maxErrors: number): ParsedFile {
  const dicts: Record<string, ByteDict> = {};
  for (const [key, parts] of Object.entries(m.dicts)) dicts[key] = ByteDict.fromParts(parts);
  const columns = m.table.columns as Record<string, Column>;
  for (const [key, d] of Object.entries(dicts)) lazyStrings(columns[key], d);
  const errors = new ErrorList(maxErrors);
  for (const e of m.errors) errors.add(e);
  errors.total = m.errorTotal;
  return {
    built: { table: { ...m.table, columns }, headers: m.headers, badRows: new Set(m.badRows), dicts },
    errors,
    warnings: m.warnings,
  };
}
