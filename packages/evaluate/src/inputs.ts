// The evaluator's inputs: the indicator sheet (unit_id, indicator, actual, target, points), the
// flags file (unit_id, flag) and earlier results (--history). CSV (UTF-8/GBK) or the first sheet of
// an .xlsx; English keys or Chinese headers; every bad cell is one precise error, all or nothing.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Q } from '@caijin/core';
import { BundleError, cellText, decodeCsvBytes, parseCsvText, readWorkbook, type LedgerError } from '@caijin/ledger';
import { literalNumber } from '@caijin/rules';
import { allIndicators, type Scheme } from './scheme.ts';

export interface SheetRow {
  unit: string;
  indicator: string;
  actual: Q | null;
  target: Q | null;
  points: Q | null;
  previous: Q | null;
  row: number;
}

export interface EvalInputs {
  rows: SheetRow[];
  flags: Map<string, Set<string>>;
  history: HistoryEntry[];
  /** Unit names given in the sheet (unit_name column), for display. */
  names: Map<string, string>;
}

export interface HistoryEntry {
  year: number;
  unit: string;
  grade: string;
  consequences: string[];
  reward: Q;
}

const HEADERS: Record<string, string[]> = {
  unit_id: ['unit_id', 'unit', '单位', '单位代码', '被评价单位', '机构', '统一社会信用代码', '区'],
  unit_name: ['unit_name', '单位名称', '名称'],
  indicator: ['indicator', '指标', '指标编号', '指标代码'],
  actual: ['actual', '实际值', '考核值', '下年度考核值'],
  target: ['target', '目标值', '下年度目标值'],
  points: ['points', '得分', '评价得分'],
  previous: ['previous', '上年度实际值'],
  flag: ['flag', '情形', '标记'],
};

async function readTable(path: string): Promise<{ file: string; rows: string[][] }> {
  const file = basename(path);
  if (/\.xlsx$/i.test(path)) {
    const rows: string[][] = [];
    let first = true;
    await readWorkbook(path, () => {
      if (!first) return null;
      first = false;
      return {
        row(cells, n) {
          while (rows.length < n - 1) rows.push([]);
          rows.push(
            cells.map((c) => {
              const t = cellText(c, 'string');
              return t.ok ? t.value : '';
            }),
          );
        },
      };
    });
    return { file, rows };
  }
  const d = decodeCsvBytes(readFileSync(path));
  if (!('text' in d)) throw new BundleError([{ file, key: 'csv.encoding', zh: '文件编码无法识别（应为 UTF-8 或 GBK/GB18030）' }]);
  return { file, rows: parseCsvText(d.text) };
}

function columnIndex(header: string[], key: string): number {
  const names = HEADERS[key];
  return header.findIndex((h) => names.includes(h.trim()) || names.includes(h.trim().toLowerCase()));
}

export async function readInputs(scheme: Scheme, opts: { sheet?: string; flags?: string; history?: string[] }): Promise<EvalInputs> {
  const errors: LedgerError[] = [];
  const rows: SheetRow[] = [];
  const names = new Map<string, string>();
  const indicators = new Map(allIndicators(scheme).map((i) => [i.id, i]));
  if (opts.sheet) {
    const t = await readTable(opts.sheet);
    const header = t.rows[0] ?? [];
    const col = Object.fromEntries(Object.keys(HEADERS).map((k) => [k, columnIndex(header, k)]));
    for (const req of ['unit_id', 'indicator']) {
      if (col[req] < 0) errors.push({ file: t.file, row: 1, column: req, key: 'column.missing', zh: `缺少必需的列 ${req}（${HEADERS[req][1]}）` });
    }
    if (errors.length === 0) {
      t.rows.slice(1).forEach((cells, k) => {
        const rowNo = k + 2;
        if (cells.every((c) => c.trim() === '')) return;
        const get = (key: string) => (col[key] >= 0 ? (cells[col[key]] ?? '').trim() : '');
        const unit = get('unit_id');
        const indicator = get('indicator');
        if (!unit) errors.push({ file: t.file, row: rowNo, column: 'unit_id', value: '', key: 'value.required', zh: 'unit_id 不能为空（被评价单位）' });
        const ind = indicators.get(indicator);
        if (indicator !== 'total' && !ind) {
          errors.push({ file: t.file, row: rowNo, column: 'indicator', value: indicator, key: 'indicator.unknown', zh: `指标 ${indicator} 不在评价方案 ${scheme.id} 中` });
          return;
        }
        const unitOf = indicator === 'total' ? 'number' : ind!.unit;
        const parse = (key: 'actual' | 'target' | 'points' | 'previous', as: 'money' | 'rate' | 'number'): Q | null => {
          const v = get(key);
          if (v === '') return null;
          try {
            const q = literalNumber(v, as, key);
            if (!(q instanceof Q)) throw new Error('not finite');
            return q;
          } catch {
            errors.push({ file: t.file, row: rowNo, column: key, value: v, key: 'value.number', zh: `${key} 应为数值${as === 'rate' ? '（可带 %）' : as === 'money' ? '（元）' : ''}` });
            return null;
          }
        };
        const points = parse('points', 'number');
        const max = indicator === 'total' ? (scheme.maxTotal ?? scheme.totalPoints) : ind!.points;
        if (points !== null && (points.sign() < 0 || points.gt(max)) && !(ind && ind.method.kind === 'deduction')) {
          errors.push({ file: t.file, row: rowNo, column: 'points', value: get('points'), key: 'points.range', zh: `得分应在 0 至 ${max.toDecimal()} 之间` });
        }
        const name = get('unit_name');
        if (name) names.set(unit, name);
        rows.push({ unit, indicator, actual: parse('actual', unitOf), target: parse('target', unitOf), points, previous: parse('previous', unitOf), row: rowNo });
      });
    }
  }
  const flags = new Map<string, Set<string>>();
  if (opts.flags) {
    const t = await readTable(opts.flags);
    const header = t.rows[0] ?? [];
    const u = columnIndex(header, 'unit_id');
    const f = columnIndex(header, 'flag');
    const known = new Set(scheme.gates.map((g) => g.flag));
    if (u < 0 || f < 0) errors.push({ file: t.file, row: 1, key: 'column.missing', zh: '情形文件需要 unit_id 和 flag 两列' });
    else {
      t.rows.slice(1).forEach((cells, k) => {
        const unit = (cells[u] ?? '').trim();
        const flag = (cells[f] ?? '').trim();
        if (!unit && !flag) return;
        if (!known.has(flag)) {
          errors.push({ file: t.file, row: k + 2, column: 'flag', value: flag, key: 'flag.unknown', zh: `未知情形 ${flag}，应为 ${[...known].join('、')} 之一` });
          return;
        }
        if (!flags.has(unit)) flags.set(unit, new Set());
        flags.get(unit)!.add(flag);
      });
    }
  }
  const history: HistoryEntry[] = [];
  for (const h of opts.history ?? []) {
    try {
      const j = JSON.parse(readFileSync(h, 'utf8')) as { year: number; results: { unit: string; grade: string; consequences?: string[]; reward?: string }[] };
      for (const r of j.results ?? []) {
        history.push({ year: Number(j.year), unit: r.unit, grade: r.grade, consequences: r.consequences ?? [], reward: r.reward ? (Q.parse(r.reward) ?? Q.ZERO).mul(Q.of(100)) : Q.ZERO });
      }
    } catch (err) {
      errors.push({ file: basename(h), key: 'history.invalid', zh: `历史结果文件无法读取：${(err as Error).message}` });
    }
  }
  if (errors.length > 0) throw new BundleError(errors);
  return { rows, flags, history, names };
}
