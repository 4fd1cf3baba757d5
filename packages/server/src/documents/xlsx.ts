// Excel: the reporting template generated from the data contract (one sheet per table, Chinese
// headers, dropdowns for enumerations and yes/no, a notes sheet), and any UI table as a workbook.
import ExcelJS from 'exceljs';
import { SCHEMA, type ColumnSchema, type TableName } from '@caijin/ledger';

/** Which tables each kind of reporter hands in (the scope rules of submissions/bundle.ts). */
export const TABLES_OF: Record<string, TableName[]> = {
  bank: ['loans', 'loan_balances', 'loan_losses', 'enterprises', 'outlets', 'special_branches', 'fintech_projects', 'institution_years'],
  guarantor: ['guarantees', 'guarantee_balances', 'guarantee_events', 'enterprises', 'institution_years'],
  reguarantor: ['guarantees', 'guarantee_balances', 'guarantee_events', 'enterprises', 'institution_years'],
  insurer: ['insurance_products', 'insurance_policies', 'enterprises', 'institution_years'],
  department: ['securitizations', 'supply_chain_financings', 'enterprises'],
};

const TYPE_ZH: Record<string, string> = {
  id: '编号', party: '统一社会信用代码或身份证号', uscc: '统一社会信用代码（18位）', string: '文本', enum: '从下拉列表选择', money: '金额（元，最多两位小数）',
  rate: '百分比（如 0.8%）', int: '整数', year: '年份（如 2022）', date: '日期（YYYY-MM-DD）', month: '月份（YYYY-MM）', bool: '是/否', tags: '多个标签用分号;分隔', region: '6位行政区划代码',
};

function validation(c: ColumnSchema): ExcelJS.DataValidation | null {
  if (c.type === 'enum' && c.labels) {
    const list = `"${c.labels.join(',')}"`;
    // Excel limits a literal list to 255 characters; longer lists get a hint instead.
    if (list.length <= 255) return { type: 'list', allowBlank: !c.required, formulae: [list], showErrorMessage: true, errorTitle: '取值不在列表中', error: `请从列表选择：${c.labels.join('、')}` };
  }
  if (c.type === 'bool') return { type: 'list', allowBlank: true, formulae: ['"是,否"'], showErrorMessage: true, error: '请选择“是”或“否”' };
  if (c.type === 'money') return { type: 'decimal', operator: 'greaterThanOrEqual', allowBlank: !c.required, formulae: [0], showErrorMessage: true, error: '金额应为不小于0的数字（元）' };
  if (c.type === 'int') return { type: 'whole', operator: 'greaterThanOrEqual', allowBlank: !c.required, formulae: [0], showErrorMessage: true, error: '应为整数' };
  return null;
}

export async function ledgerTemplate(tables: TableName[], rowsWithValidation = 1000): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'caijin 财金';
  const help = wb.addWorksheet('填报说明');
  help.columns = [{ header: '工作表', width: 22 }, { header: '列', width: 34 }, { header: '英文键', width: 26 }, { header: '必填', width: 8 }, { header: '填写要求', width: 60 }];
  help.getRow(1).font = { bold: true };
  for (const t of tables) {
    const s = SCHEMA[t];
    // The sheet name is the table's Chinese name: the importer reads sheets by it.
    const ws = wb.addWorksheet(s.zh.slice(0, 31));
    ws.columns = s.columns.map((c) => ({ header: c.zh, key: c.key, width: Math.max(12, Math.min(40, c.zh.length * 2 + 4)) }));
    const head = ws.getRow(1);
    head.font = { bold: true };
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    s.columns.forEach((c, i) => {
      if (c.required) head.getCell(i + 1).font = { bold: true, color: { argb: 'FFC00000' } };
      const v = validation(c);
      const letter = ws.getColumn(i + 1).letter;
      if (v) for (let r = 2; r <= rowsWithValidation + 1; r++) ws.getCell(`${letter}${r}`).dataValidation = v;
      if (c.type === 'date' || c.type === 'id' || c.type === 'party' || c.type === 'uscc' || c.type === 'region' || c.type === 'month') ws.getColumn(i + 1).numFmt = '@';
      const kinds = c.labels ? `；可选：${c.labels.join('、')}` : c.type === 'tags' && c.values ? `；标签：${c.values.join('、')}` : '';
      help.addRow([s.zh, c.zh, c.key, c.required ? '是' : '', `${TYPE_ZH[c.type] ?? c.type}${c.ref ? `；须为已报送的${SCHEMA[c.ref].zh}` : ''}${kinds}`]);
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ExportTable {
  title: string;
  columns: { key: string; title: string; money?: boolean }[];
  rows: Record<string, string | number | null>[];
}

/** A UI table as a workbook. Money columns stay text-exact yuan (two decimals), formatted as numbers. */
export async function tableWorkbook(t: ExportTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || '表');
  ws.columns = t.columns.map((c) => ({ header: c.title, key: c.key, width: Math.max(10, Math.min(48, c.title.length * 2 + 6)) }));
  ws.getRow(1).font = { bold: true };
  for (const r of t.rows) {
    const row: Record<string, unknown> = {};
    for (const c of t.columns) {
      const v = r[c.key];
      // Yuan with two decimals are below 2^53 fen, so Number() of the text is the exact decimal Excel shows.
      row[c.key] = c.money && typeof v === 'string' && /^-?\d+(\.\d{1,2})?$/.test(v) ? Number(v) : v;
    }
    ws.addRow(row);
  }
  t.columns.forEach((c, i) => c.money && (ws.getColumn(i + 1).numFmt = '#,##0.00'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
