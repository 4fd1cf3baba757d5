// A reporter may hand in the Excel template instead of CSV files: each sheet named after a
// contract table (贷款, loans …) becomes that table's CSV, cell by cell through the ledger's own
// cell reading (dates, percents, numbers as Excel shows them), and is then checked exactly like a
// CSV upload. Blank rows inside a sheet are kept as blank lines, so row numbers in error messages
// are the sheet's own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellText, columnOf, headerKeyMap, normalizeHeader, readWorkbook, SCHEMA, tableOfName, type ColumnType, type TableName, type XlsxCell } from '@caijin/ledger';
import { invalid } from '../http/errors.ts';
import type { UploadedFile } from './bundle.ts';

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

export async function workbookFiles(name: string, bytes: Uint8Array): Promise<UploadedFile[]> {
  const dir = mkdtempSync(join(tmpdir(), 'caijin-xlsx-'));
  const path = join(dir, 'upload.xlsx');
  writeFileSync(path, bytes);
  const sheets: { table: TableName; lines: string[]; last: number }[] = [];
  const problems: { file: string; row?: number; key: string; zh: string }[] = [];
  try {
    await readWorkbook(path, (sheet, info) => {
      const table = tableOfName(sheet);
      if (!table || table === 'institutions') return null; // 填报说明 and other sheets carry no data
      const s = { table, lines: [] as string[], last: 0 };
      sheets.push(s);
      let types: (ColumnType | undefined)[] = [];
      return {
        row(cells: readonly XlsxCell[], row: number) {
          while (s.lines.length < row - 1) s.lines.push('');
          const texts = cells.map((c, i) => {
            const r = cellText(c, row === 1 ? undefined : types[i], info.date1904);
            if (!r.ok) problems.push({ file: `${name}#${sheet}`, row, key: r.key, zh: r.zh });
            return r.ok ? r.value : '';
          });
          if (row === 1) {
            const keys = headerKeyMap(table);
            types = texts.map((h) => {
              const k = keys.get(normalizeHeader(h));
              return k ? columnOf(table, k).type : undefined;
            });
          }
          s.lines.push(texts.map(csvCell).join(','));
          if (texts.some((t) => t !== '')) s.last = s.lines.length;
        },
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length) throw invalid('bundle.rejected', `工作簿中有无法读取的单元格，共 ${problems.length} 处，未保存任何数据`, problems);
  // A template sheet left empty (header only) is not handed in.
  return sheets
    .filter((s) => s.last > 1)
    .map((s) => ({ name: `${SCHEMA[s.table].zh}.csv`, bytes: new TextEncoder().encode(s.lines.slice(0, s.last).join('\n') + '\n') }));
}
