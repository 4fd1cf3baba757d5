import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseMoneyFen, formatYuan, formatYuanGrouped, formatWanYuan, fenToQ, Q } from '../src/index.ts';

const fen = (t: string): number => {
  const r = parseMoneyFen(t);
  if (!r.ok) throw new Error(`${t}: ${r.key}`);
  return r.value;
};
const key = (t: string): string | undefined => {
  const r = parseMoneyFen(t);
  return r.ok ? undefined : r.key;
};

describe('parseMoneyFen', () => {
  const good: Array<[string, number]> = [
    ['0', 0], ['1', 100], ['0.29', 29], ['0.1', 10], ['1.5', 150], ['12.34', 1234], ['.5', 50],
    ['1,234,567.89', 123456789], ['1234567.89', 123456789], ['999', 99900], ['1,000', 100000],
    ['-0.05', -5], ['-1,234.5', -123450], ['+7', 700], ['-0', 0], ['-0.00', 0], ['  42.00  ', 4200],
    ['\u300042\u3000', 4200], ['007.10', 710], ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ['-90071992547409.91', -Number.MAX_SAFE_INTEGER],
  ];
  for (const [t, want] of good) it(`"${t}" → ${want}`, () => expect(fen(t)).toBe(want));
  it('never returns -0', () => expect(Object.is(fen('-0.00'), 0)).toBe(true));

  const bad: Array<[string, string]> = [
    ['', 'money.empty'], ['   ', 'money.empty'],
    ['1.234', 'money.too_many_decimals'], ['0.001', 'money.too_many_decimals'], ['1,234.567', 'money.too_many_decimals'],
    ['1e5', 'money.exponent'], ['1.23E+07', 'money.exponent'], ['-2E3', 'money.exponent'], ['.5e2', 'money.exponent'],
    ['12,34', 'money.grouping'], ['1234,567', 'money.grouping'], ['1,2345', 'money.grouping'], ['1,234,', 'money.grouping'],
    ['1,,234', 'money.grouping'],
    ['abc', 'money.format'], ['5.', 'money.format'], ['.', 'money.format'], ['-', 'money.format'], ['1 000', 'money.format'],
    ['¥100', 'money.format'], ['100元', 'money.format'], ['1.2.3', 'money.format'], ['--1', 'money.format'], [',123', 'money.format'],
    ['NaN', 'money.format'], ['Infinity', 'money.format'], ['0x10', 'money.format'],
    ['90071992547409.92', 'money.out_of_range'], ['100000000000000000000', 'money.out_of_range'],
  ];
  for (const [t, k] of bad) it(`rejects "${t}" with ${k}`, () => expect(key(t)).toBe(k));
  it('says what is wrong in Chinese', () => {
    const r = parseMoneyFen('1.234');
    expect(r.ok ? '' : r.zh).toContain('两位小数');
  });
  it('round-trips every safe amount through formatYuan and formatYuanGrouped', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (f) => {
        expect(fen(formatYuan(f))).toBe(f);
        expect(fen(formatYuanGrouped(f))).toBe(f);
      }),
    );
  });
});

describe('formatting', () => {
  it('formatYuan', () => {
    expect(formatYuan(123456789)).toBe('1234567.89');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(100)).toBe('1.00');
    expect(formatYuan(-100n)).toBe('-1.00');
    expect(formatYuan(10n ** 20n)).toBe('1000000000000000000.00');
    expect(() => formatYuan(1.5)).toThrow(RangeError);
  });
  it('formatYuanGrouped', () => {
    expect(formatYuanGrouped(123456789)).toBe('1,234,567.89');
    expect(formatYuanGrouped(-123456789)).toBe('-1,234,567.89');
    expect(formatYuanGrouped(99999)).toBe('999.99');
    expect(formatYuanGrouped(100000)).toBe('1,000.00');
    expect(formatYuanGrouped(5)).toBe('0.05');
  });
  it('formatWanYuan rounds half-up to 0.01 万元', () => {
    expect(formatWanYuan(123456789)).toBe('123.46');
    expect(formatWanYuan(1_000_000)).toBe('1.00'); // 1万元
    expect(formatWanYuan(5000)).toBe('0.01'); // 50 元 = 0.005 万元: tie rounds up
    expect(formatWanYuan(4999)).toBe('0.00');
    expect(formatWanYuan(-5000)).toBe('-0.01'); // ties away from zero
    expect(formatWanYuan(-4999)).toBe('0.00'); // no "-0.00"
    expect(formatWanYuan(30_000_000_00n)).toBe('3000.00'); // 3000万元
  });
  it('fenToQ counts fen', () => {
    expect(fenToQ(150).eq(Q.of(150))).toBe(true);
    expect(fenToQ(-3n).eq(Q.of(-3))).toBe(true);
    expect(() => fenToQ(0.5)).toThrow(RangeError);
  });
});
