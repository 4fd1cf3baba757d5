// Money cells: yuan (元) text in, integer fen (分) out. Pure string work, never a float, so
// "0.29" is 29 fen and not 28.999999….
import { Q } from './rational.ts';
import { type Parsed, ok, fail } from './parsed.ts';
import { fixedFromScaled, formatFixed } from './fixed.ts';

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * "1,234,567.89" → 123456789. Optional sign, optional thousands separators (grouping must be
 * exact: 1,234 not 12,34), at most two decimals, surrounding spaces. ".5" is 50 fen.
 */
export function parseMoneyFen(text: string): Parsed<number> {
  const s = text.trim();
  if (s === '') return fail('money.empty', '金额为空');
  if (/^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)[eE][+-]?\d+$/.test(s)) {
    // Excel shows long numbers as 1.23E+07 in "General" cells; the exported text has lost digits.
    return fail('money.exponent', '金额不能使用科学计数法（如 1.2E+07），请填写完整数字');
  }
  const m = /^([+-]?)(\d[\d,]*|)(?:\.(\d+))?$/.exec(s);
  if (!m || (m[2] === '' && m[3] === undefined)) {
    return fail('money.format', '金额格式不正确：应为以元为单位的数字，如 1234567.89');
  }
  const [, sign, intText, frac = ''] = m;
  if (intText.includes(',') && !/^\d{1,3}(,\d{3})+$/.test(intText)) {
    return fail('money.grouping', '千位分隔符位置不正确：应每三位一组，如 1,234,567.89');
  }
  if (frac.length > 2) return fail('money.too_many_decimals', '金额最多两位小数（精确到分）');
  const fen = BigInt((intText.replace(/,/g, '') || '0') + frac.padEnd(2, '0'));
  if (fen > MAX_FEN) return fail('money.out_of_range', '金额过大，超出可精确处理的范围');
  const n = Number(fen);
  return ok(sign === '-' && n !== 0 ? -n : n);
}

function toBig(fen: bigint | number): bigint {
  if (typeof fen === 'bigint') return fen;
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  return BigInt(fen);
}

/** 123456789 → "1234567.89"; -5 → "-0.05". Always two decimals. */
export function formatYuan(fen: bigint | number): string {
  return fixedFromScaled(toBig(fen), 2);
}

/** 123456789 → "1,234,567.89" (千分位). */
export function formatYuanGrouped(fen: bigint | number): string {
  const plain = formatYuan(fen);
  const neg = plain.startsWith('-');
  const [int, frac] = (neg ? plain.slice(1) : plain).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, ',');
  return (neg ? '-' : '') + grouped + '.' + frac;
}

/** In 万元 with two decimals, half-up: 123456789 fen (1,234,567.89 元) → "123.46". */
export function formatWanYuan(fen: bigint | number): string {
  return formatFixed(new Q(toBig(fen), 1_000_000n), 2);
}

/** The amount as an exact Q counted in fen (not yuan): rules compute in fen and round to whole fen. */
export function fenToQ(fen: number | bigint): Q {
  return Q.int(fen);
}
