import { Q } from './rational.ts';

/**
 * Fixed-point text with exactly `digits` decimals, rounded half-up (ties away from zero), as
 * Chinese financial statements do (四舍五入). Never prints "-0.00".
 */
export function formatFixed(q: Q, digits: number): string {
  if (!Number.isSafeInteger(digits) || digits < 0) throw new RangeError(`formatFixed: bad digits ${digits}`);
  const scaled = q.mul(new Q(10n ** BigInt(digits))).round('half_up');
  return fixedFromScaled(scaled, digits);
}

/** `scaled` / 10^digits as text with exactly `digits` decimals. */
export function fixedFromScaled(scaled: bigint, digits: number): string {
  const neg = scaled < 0n;
  let s = (neg ? -scaled : scaled).toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  }
  return (neg ? '-' : '') + s;
}
