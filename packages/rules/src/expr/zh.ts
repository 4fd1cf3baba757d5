// Formulas in words, for explanations read by bureau and bank staff: operators, functions and
// booleans in Chinese; the caller says how a reference is named (a column's label, a step's label,
// a parameter's value). Names it does not know stay as written, so nothing is hidden.
import { show, type Expr, type Wording } from './ast.ts';

const OPS: Wording['op'] = { and: '且', or: '或', not: '非', in: '属于', '=': '=', '!=': '≠', '<=': '≤', '>=': '≥', '*': '×', '/': '÷' };

const FUNCTIONS: Readonly<Record<string, string>> = {
  sum: '合计',
  count: '笔数',
  count_distinct: '去重计数',
  mean: '平均',
  min: '取小',
  max: '取大',
  if: '如果',
  coalesce: '缺省取',
  has: '含标签',
  is_set: '已填',
  year_of: '年份',
  month_of: '月份',
  month: '年月',
  starts_with: '开头为',
  step: '按档',
  marginal: '分段累进',
  balance_sum_from: '自该月起余额合计',
  sum_over: '同组合计',
  min_over: '同组最小',
  max_over: '同组最大',
  count_over: '同组笔数',
};

export function showInWords(e: Expr, name: (path: string[]) => string | undefined): string {
  return show(e, { name, op: OPS, fn: FUNCTIONS, where: '其中', bool: ['是', '否'] });
}
