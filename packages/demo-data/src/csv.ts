// CSV cell helpers: the file encodings the generator writes (UTF-8, or GB18030/GBK like Excel/WPS
// on Chinese Windows) and RFC 4180 quoting. The lines themselves are formatted in csv-out.ts.

export type CsvFileEncoding = 'utf-8' | 'gb18030';

/** RFC 4180 quoting only where needed. */
export function csvCell(s: string): string {
  if (/[",\n\r]/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}
