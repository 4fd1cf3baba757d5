// A table that can always be taken to Excel: the export's columns are the table's own (titles and
// fields), its rows the rows shown, so no page has to list them twice. A column whose cell is drawn
// by `render` from something other than its field says what to export with `exportValue`.
import { Table, type TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useMe } from '../App.tsx';
import { ExportButton, type ExportColumn } from './common.tsx';

export type DataColumn<T> = ColumnType<T> & { exportValue?: (row: T) => unknown; exportMoney?: boolean };

interface Props<T> extends Omit<TableProps<T>, 'columns'> {
  columns: DataColumn<T>[];
  /** The workbook's title (and file name). */
  exportTitle: string;
}

const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return [...new Set(v.map(String))].join('、');
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

export function DataTable<T extends object>({ columns, exportTitle, ...table }: Props<T>) {
  const { me } = useMe();
  const cols = columns.filter((c) => typeof c.title === 'string' && c.title !== '' && (c.exportValue || typeof c.dataIndex === 'string'));
  const exportColumns: ExportColumn[] = cols.map((c, i) => ({ key: `c${i}`, title: c.title as string, money: c.exportMoney }));
  const rows = () => ((table.dataSource ?? []) as T[]).map((r) => Object.fromEntries(cols.map((c, i) => [`c${i}`, text(c.exportValue ? c.exportValue(r) : (r as Record<string, unknown>)[c.dataIndex as string])])));
  return (
    <>
      {/* Exports are for signed-in users; public pages offer the server's own exports. */}
      {me && (
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 6 }}>
          <ExportButton title={exportTitle} columns={exportColumns} rows={rows} />
        </div>
      )}
      <Table<T> {...table} columns={columns} />
    </>
  );
}
