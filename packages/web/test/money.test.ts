// The UI's money formatting: exact from yuan strings, and columns in 万元/亿元 that add up.
import { describe, expect, it } from 'vitest';
import { fen, formatColumn, formatMoney, sumYuan } from '../src/money.ts';

describe('money in the UI', () => {
  it('formats yuan strings exactly in 元, 万元 and 亿元', () => {
    expect(fen('1234567.89')).toBe(123456789n);
    expect(formatMoney('1234567.89')).toBe('1,234,567.89');
    expect(formatMoney('1234567.89', '万元')).toBe('123.46');
    expect(formatMoney('123456789012.34', '亿元')).toBe('1,234.5679');
    expect(formatMoney('0.00', '万元')).toBe('0.00');
    // Far beyond 2^53 fen: no float anywhere.
    expect(formatMoney('90071992547409931.07')).toBe('90,071,992,547,409,931.07');
  });

  it('rounds a column by largest remainder so the rows shown add up to the total shown', () => {
    const rows = ['3333.33', '3333.33', '3333.34', '49.99', '50.01'];
    for (const unit of ['万元', '亿元'] as const) {
      const c = formatColumn(rows, unit);
      const decimals = unit === '万元' ? 2 : 4;
      const toUnits = (s: string) => BigInt(s.replaceAll(',', '').replace('.', ''));
      expect(c.rows.map(toUnits).reduce((a, b) => a + b, 0n)).toBe(toUnits(c.total));
      expect(c.total).toBe(formatMoney(sumYuan(rows), unit));
      expect(c.rows.every((r) => r.split('.')[1].length === decimals)).toBe(true);
    }
    // Three thirds of 1 万元: each row 0.33 would add up to 0.99; one row takes the remainder.
    expect(formatColumn(['3333.33', '3333.33', '3333.34'], '万元')).toEqual({ rows: ['0.33', '0.33', '0.34'], total: '1.00' });
  });
});
