// Rate cells (`_pct` columns): the cell holds a percent number, "0.8" means 0.8 %, and a trailing
// "%" is optional. The value is the exact fraction (0.8 → 0.008).
import { Q } from './rational.ts';
import { type Parsed, ok, fail } from './parsed.ts';
import { formatFixed } from './fixed.ts';

/** Six decimals of a percent is exactly what the ledger's integer rate storage holds. */
const MAX_PCT_DECIMALS = 6;

/** "0.8", "0.8%", " 0.8 % " → Q 0.008. Zero is allowed; negatives, exponents and >6 decimals are not. */
export function parsePercent(text: string): Parsed<Q> {
  let s = text.trim();
  if (s.endsWith('%') || s.endsWith('％')) s = s.slice(0, -1).trim();
  if (s === '') return fail('rate.empty', '百分数为空');
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$/.test(s)) {
    return fail('rate.exponent', '百分数不能使用科学计数法，请填写如 0.8 或 0.8% 的数字');
  }
  const m = /^([+-]?)(\d*)(?:\.(\d+))?$/.exec(s);
  if (!m || (m[2] === '' && m[3] === undefined)) {
    return fail('rate.format', '百分数格式不正确：应为如 0.8 或 0.8% 的数字（0.8 表示 0.8%）');
  }
  const [, sign, int, frac = ''] = m;
  if (frac.length > MAX_PCT_DECIMALS) return fail('rate.too_many_decimals', '百分数最多六位小数');
  const q = new Q(BigInt((int || '0') + frac), 10n ** BigInt(frac.length) * 100n);
  if (sign === '-' && !q.isZero()) return fail('rate.negative', '比率不能为负数');
  return ok(q);
}

/**
 * 0.008 → "0.8%". Without `digits`: the exact value (up to 6 decimals of the percent, half-up
 * beyond). With `digits`: exactly that many decimals, half-up ("0.80%" for digits = 2).
 */
export function formatPercent(q: Q, digits?: number): string {
  const pct = q.mul(new Q(100n));
  if (digits !== undefined) return formatFixed(pct, digits) + '%';
  return formatFixed(pct, MAX_PCT_DECIMALS).replace(/\.?0+$/, '') + '%';
}
