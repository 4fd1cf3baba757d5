import { describe, it, expect } from 'vitest';
import { parsePercent, formatPercent, Q } from '../src/index.ts';

const pct = (t: string): Q => {
  const r = parsePercent(t);
  if (!r.ok) throw new Error(`${t}: ${r.key}`);
  return r.value;
};
const key = (t: string): string | undefined => {
  const r = parsePercent(t);
  return r.ok ? undefined : r.key;
};

describe('parsePercent', () => {
  const good: Array<[string, Q]> = [
    ['0.8', Q.of(8, 1000)], ['0.8%', Q.of(8, 1000)], [' 0.8 % ', Q.of(8, 1000)], ['0.8％', Q.of(8, 1000)],
    ['0', Q.ZERO], ['0%', Q.ZERO], ['-0', Q.ZERO], ['100', Q.ONE], ['150%', Q.of(3, 2)], ['.5', Q.of(1, 200)],
    ['1.5', Q.of(15, 1000)], ['0.123456', Q.of(123456, 100_000_000)], ['+2', Q.of(2, 100)], ['4.35', Q.of(435, 10000)],
  ];
  for (const [t, want] of good) it(`"${t}" → ${want}`, () => expect(pct(t).eq(want)).toBe(true));
  it('0.8 is exactly 0.008', () => expect(pct('0.8').toString()).toBe('1/125'));

  const bad: Array<[string, string]> = [
    ['', 'rate.empty'], ['%', 'rate.empty'], [' ', 'rate.empty'],
    ['-0.1', 'rate.negative'], ['-5%', 'rate.negative'],
    ['0.1234567', 'rate.too_many_decimals'],
    ['1e-3', 'rate.exponent'], ['8E-1%', 'rate.exponent'],
    ['abc', 'rate.format'], ['.', 'rate.format'], ['0.8%%', 'rate.format'], ['1,000', 'rate.format'], ['5.', 'rate.format'],
    ['0.8 ‰', 'rate.format'],
  ];
  for (const [t, k] of bad) it(`rejects "${t}" with ${k}`, () => expect(key(t)).toBe(k));
});

describe('formatPercent', () => {
  it('exact by default', () => {
    expect(formatPercent(Q.of(8, 1000))).toBe('0.8%');
    expect(formatPercent(Q.ZERO)).toBe('0%');
    expect(formatPercent(Q.ONE)).toBe('100%');
    expect(formatPercent(Q.of(123456, 100_000_000))).toBe('0.123456%');
    expect(formatPercent(Q.of(1, 3))).toBe('33.333333%');
    expect(formatPercent(Q.of(-1, 200))).toBe('-0.5%');
  });
  it('fixed digits, half-up', () => {
    expect(formatPercent(Q.of(8, 1000), 2)).toBe('0.80%');
    expect(formatPercent(Q.of(1, 3), 2)).toBe('33.33%');
    expect(formatPercent(Q.of(2, 3), 1)).toBe('66.7%');
    expect(formatPercent(Q.of(1, 800), 1)).toBe('0.1%'); // 0.125% → 0.1
    expect(formatPercent(Q.of(1, 400), 1)).toBe('0.3%'); // 0.25% tie → up
    expect(formatPercent(Q.of(1, 2), 0)).toBe('50%');
  });
});
