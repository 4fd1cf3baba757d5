// The result workbook: a summary sheet, one sheet per clause, and the trace sheet. Amounts are
// written as numbers with a 0.00 format only after exact formatting to fen, never recomputed.

import ExcelJS from 'exceljs';
import type { PolicyResult } from '@caijin/rules';

/** Exact yuan text → number for the cell (two decimals are exactly what the cell shows). */
function cellAmount(amount: string): number {
  return Number(amount);
}

export async function writeWorkbook(r: PolicyResult, file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
  const money = '#,##0.00';

  const summary = wb.addWorksheet('汇总');
  summary.columns = [
    { header: '条款', key: 'clause', width: 8 },
    { header: '名称', key: 'title', width: 40 },
    { header: '依据', key: 'citation', width: 28 },
    { header: '口径', key: 'variant', width: 18 },
    { header: '对象数', key: 'recipients', width: 8 },
    { header: '金额(元)', key: 'total', width: 18, style: { numFmt: money } },
    { header: '状态', key: 'status', width: 14 },
  ];
  for (const c of r.clauses) {
    summary.addRow({ clause: c.clause, title: c.title, citation: c.citation, variant: c.variant, recipients: c.recipients, total: cellAmount(c.total), status: c.status }).commit();
  }
  summary.addRow({ clause: '合计', total: cellAmount(r.total) }).commit();
  if (r.unset.length) summary.addRow({ clause: '未设定参数', title: r.unset.join('，') }).commit();
  for (const w of r.warnings) summary.addRow({ clause: '提示', title: w }).commit();
  summary.commit();

  for (const c of r.clauses) {
    const ws = wb.addWorksheet(`第${c.clause}项`.slice(0, 31));
    ws.columns = [
      { header: '对象代码', key: 'recipient', width: 22 },
      { header: '名称', key: 'name', width: 30 },
      { header: '金额(元)', key: 'amount', width: 18, style: { numFmt: money } },
      { header: '依据', key: 'citation', width: 30 },
    ];
    for (const a of r.awards.filter((x) => x.clause === c.clause)) {
      ws.addRow({ recipient: a.recipient, name: a.recipient_name ?? '', amount: cellAmount(a.amount), citation: a.citation }).commit();
    }
    ws.commit();
  }

  const tr = wb.addWorksheet('计算过程');
  tr.columns = [
    { header: '条款', key: 'clause', width: 8 },
    { header: '对象代码', key: 'recipient', width: 22 },
    { header: '步骤', key: 'step', width: 6 },
    { header: '项目', key: 'label', width: 28 },
    { header: '结果', key: 'value', width: 24 },
    { header: '公式', key: 'expr', width: 50 },
    { header: '公式（文字）', key: 'exprZh', width: 50 },
    { header: '依据', key: 'cite', width: 26 },
    { header: '说明', key: 'note', width: 60 },
    { header: '输入行', key: 'rows', width: 80 },
  ];
  for (const a of r.awards) {
    a.trace.forEach((s, i) => {
      const rows = (s.rows ?? []).map((row) => `${row.id}@${row.source} ${Object.entries(row.values).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      if (s.rowsOmitted) rows.push(`……另有 ${s.rowsOmitted} 笔`);
      tr.addRow({ clause: a.clause, recipient: a.recipient, step: i + 1, label: s.label, value: s.value, expr: s.expr ?? '', exprZh: s.exprZh ?? '', cite: s.cite, note: s.note ?? '', rows: rows.join('\n').slice(0, 32000) }).commit();
    });
  }
  tr.commit();
  await wb.commit();
}
