// `caijin evaluate` (data-contract §5): the score table in the terminal and the 计分表 workbook.

import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { loadBundle } from '@caijin/ledger';
import { evaluateScheme, loadScheme, readInputs, type Breakdown, type EvaluationResult, type Scheme } from '@caijin/evaluate';
import { many, one, onlyFlags, UsageError, yearArg, type Parsed } from './args.ts';

export async function evaluateCommand(p: Parsed): Promise<number> {
  onlyFlags(p, ['scheme', 'year', 'sheet', 'flags', 'history', 'data', 'select', 'format', 'out']);
  const scheme = loadScheme(one(p, 'scheme', true)!);
  const year = yearArg(p);
  const sheet = one(p, 'sheet');
  const data = one(p, 'data');
  if (!sheet && !data) throw new UsageError('evaluate needs --sheet, --data or both');
  const selectText = one(p, 'select');
  if (selectText !== undefined && !/^\d+$/.test(selectText)) throw new UsageError('--select must be a whole number');
  const format = one(p, 'format') ?? (process.stdout.isTTY ? 'table' : 'json');
  if (!['json', 'table', 'xlsx'].includes(format)) throw new UsageError('--format must be json, table or xlsx');
  const out = one(p, 'out');
  if (format === 'xlsx' && !out) throw new UsageError('--format xlsx needs --out <file.xlsx>');
  const inputs = await readInputs(scheme, { sheet, flags: one(p, 'flags'), history: many(p, 'history') });
  const bundle = data ? await loadBundle(data) : undefined;
  const result = evaluateScheme(scheme, year, inputs, { bundle, select: selectText === undefined ? undefined : Number(selectText) });
  if (format === 'xlsx') {
    await writeScoreWorkbook(scheme, result, out!);
    process.stderr.write(`已写入 ${out}：${result.results.length} 个单位的计分表\n`);
    return 0;
  }
  const text = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : renderScores(scheme, result);
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return 0;
}

function flatten(list: Breakdown[], depth = 0): { b: Breakdown; depth: number }[] {
  return list.flatMap((b) => [{ b, depth }, ...flatten(b.children ?? [], depth + 1)]);
}

export function renderScores(scheme: Scheme, r: EvaluationResult): string {
  const out: string[] = [`${scheme.title}（${scheme.citation}）· ${r.year} 年度`, ''];
  out.push('排名  单位                    得分     等次  结果运用');
  for (const u of r.results) {
    const label = `${u.unit}${u.name ? ` ${u.name}` : ''}`;
    out.push(`${String(u.rank).padStart(3)}   ${label.padEnd(22)}  ${u.score.padStart(6)}   ${u.grade}    ${u.consequences.join(', ')}${u.reward ? `（奖励 ${u.reward} 元）` : ''}${u.clawback ? `（追回 ${u.clawback} 元）` : ''}`);
  }
  for (const u of r.results) {
    out.push('', `【计分表】${u.unit}${u.name ? ` ${u.name}` : ''}：${u.score} 分，${u.grade}${u.score_grade !== u.grade ? `（按分数为“${u.score_grade}”）` : ''}`);
    for (const { b, depth } of flatten(u.breakdown)) {
      const figures = [b.previous ? `上年 ${b.previous}` : '', b.target ? `目标 ${b.target}` : '', b.actual ? `实际 ${b.actual}` : ''].filter(Boolean).join('，');
      out.push(`${'  '.repeat(depth + 1)}${b.indicator} ${b.name}  ${b.score}/${b.points}${figures ? `  〔${figures}〕` : ''}`);
      if (depth > 0 || !b.children) out.push(`${'  '.repeat(depth + 2)}${b.method}：${b.explain}〔${scheme.citation} ${b.cite}〕`);
    }
    for (const a of u.adjustments) out.push(`  等次调整：${a.rule}，${a.from} → ${a.to}〔${scheme.citation} ${a.cite}〕`);
    for (const n of u.notes) out.push(`  说明：${n}`);
  }
  for (const w of r.warnings) out.push(`提示：${w}`);
  return out.join('\n') + '\n';
}

/** The 计分表 workbook: a summary sheet and one score sheet per unit, laid out like the documents'. */
export async function writeScoreWorkbook(scheme: Scheme, r: EvaluationResult, file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
  const sum = wb.addWorksheet('评价结果');
  sum.columns = [
    { header: '排名', key: 'rank', width: 6 },
    { header: '单位代码', key: 'unit', width: 22 },
    { header: '单位名称', key: 'name', width: 30 },
    { header: '评价得分', key: 'score', width: 10 },
    { header: '评定等次', key: 'grade', width: 10 },
    { header: '结果运用', key: 'consequences', width: 40 },
    { header: '奖励(元)', key: 'reward', width: 16 },
    { header: '追回(元)', key: 'clawback', width: 16 },
  ];
  for (const u of r.results) {
    sum.addRow({ rank: u.rank, unit: u.unit, name: u.name ?? '', score: Number(u.score), grade: u.grade, consequences: u.consequences.join('，'), reward: u.reward ? Number(u.reward) : null, clawback: u.clawback ? Number(u.clawback) : null }).commit();
  }
  sum.commit();
  for (const u of r.results) {
    const ws = wb.addWorksheet(`计分表 ${u.unit}`.slice(0, 31));
    ws.addRow([`${scheme.title} 绩效评价计分表（${r.year}年度）`]).commit();
    ws.addRow([`被评价单位：${u.unit}${u.name ? ` ${u.name}` : ''}`]).commit();
    ws.addRow(['一级指标', '二级指标', '分值', '上年度实际值', '目标值', '考核值（实际值）', '评价得分', '计分方法', '计分说明', '填报部门', '依据']).commit();
    for (const top of u.breakdown) {
      const kids = top.children ?? [];
      if (kids.length === 0) {
        ws.addRow([`${top.indicator} ${top.name}`, '', Number(top.points), top.previous ?? '', top.target ?? '', top.actual ?? '', top.score, top.method, top.explain, top.filled_by ?? '', `${scheme.citation} ${top.cite}`]).commit();
        continue;
      }
      for (const k of kids) {
        ws.addRow([`${top.indicator} ${top.name}`, `${k.indicator} ${k.name}`, Number(k.points), k.previous ?? '', k.target ?? '', k.actual ?? '', k.score, k.method, k.explain, k.filled_by ?? top.filled_by ?? '', `${scheme.citation} ${k.cite}`]).commit();
      }
      ws.addRow([`${top.indicator} 小计`, '', Number(top.points), '', '', '', top.score, '', '', '', '']).commit();
    }
    ws.addRow(['合计', '', Number(scheme.totalPoints.toDecimal()), '', '', '', u.score]).commit();
    ws.addRow(['评定等次', u.grade, ...(u.adjustments.length ? [`等次调整：${u.adjustments.map((a) => `${a.rule}（${a.from}→${a.to}）`).join('；')}`] : [])]).commit();
    ws.addRow(['结果运用', u.consequences.join('，')]).commit();
    for (const n of u.notes) ws.addRow(['说明', n]).commit();
    ws.commit();
  }
  await wb.commit();
}
