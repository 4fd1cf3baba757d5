import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Q, type RoundingMode } from '../src/index.ts';

const q = (n: number, d = 1): Q => Q.of(n, d);

describe('Q construction', () => {
  it('normalises to lowest terms with a positive denominator', () => {
    const a = new Q(6n, -4n);
    expect([a.n, a.d]).toEqual([-3n, 2n]);
    expect(q(2, 4).eq(q(1, 2))).toBe(true);
    expect(q(0, 5).eq(Q.ZERO)).toBe(true);
  });
  it('rejects a zero denominator and non-integers', () => {
    expect(() => new Q(1n, 0n)).toThrow(RangeError);
    expect(() => Q.int(1.5)).toThrow(RangeError);
    expect(() => Q.of(1, 0.5)).toThrow(RangeError);
    expect(() => Q.int(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});

describe('Q arithmetic', () => {
  it('adds, subtracts, multiplies, divides exactly', () => {
    expect(q(1, 10).add(q(2, 10)).eq(q(3, 10))).toBe(true); // no 0.30000000000000004
    expect(q(1, 3).sub(q(1, 2)).eq(q(-1, 6))).toBe(true);
    expect(q(2, 3).mul(q(9, 4)).eq(q(3, 2))).toBe(true);
    expect(q(1, 3).div(q(2, 3))?.eq(q(1, 2))).toBe(true);
    expect(q(1).div(Q.ZERO)).toBeNull();
    expect(q(-3, 4).abs().eq(q(3, 4))).toBe(true);
    expect(q(3, 4).neg().eq(q(-3, 4))).toBe(true);
  });
  it('compares', () => {
    expect(q(1, 3).cmp(q(1, 3))).toBe(0);
    expect(q(1, 3).lt(q(1, 2))).toBe(true);
    expect(q(-1, 2).lt(q(-1, 3))).toBe(true);
    expect(q(1, 2).ge(q(2, 4))).toBe(true);
    expect(Q.min(q(1), q(2)).eq(q(1))).toBe(true);
    expect(Q.max(q(-1), q(-2)).eq(q(-1))).toBe(true);
    expect(q(-2, 3).sign()).toBe(-1);
    expect(Q.ZERO.isZero()).toBe(true);
    expect(q(4, 2).isInteger()).toBe(true);
  });
});

describe('Q.round', () => {
  const cases: Array<[number, number, Record<RoundingMode, bigint>]> = [
    // value           half_up half_even down up
    [5, 2, { half_up: 3n, half_even: 2n, down: 2n, up: 3n }], // 2.5 tie
    [7, 2, { half_up: 4n, half_even: 4n, down: 3n, up: 4n }], // 3.5 tie, odd below
    [-5, 2, { half_up: -3n, half_even: -2n, down: -2n, up: -3n }], // -2.5 tie
    [-7, 2, { half_up: -4n, half_even: -4n, down: -3n, up: -4n }], // -3.5 tie
    [1, 2, { half_up: 1n, half_even: 0n, down: 0n, up: 1n }], // 0.5
    [-1, 2, { half_up: -1n, half_even: 0n, down: 0n, up: -1n }], // -0.5
    [1, 3, { half_up: 0n, half_even: 0n, down: 0n, up: 1n }],
    [-1, 3, { half_up: 0n, half_even: 0n, down: 0n, up: -1n }],
    [2, 3, { half_up: 1n, half_even: 1n, down: 0n, up: 1n }],
    [-2, 3, { half_up: -1n, half_even: -1n, down: 0n, up: -1n }],
    [249, 100, { half_up: 2n, half_even: 2n, down: 2n, up: 3n }],
    [251, 100, { half_up: 3n, half_even: 3n, down: 2n, up: 3n }],
    [-251, 100, { half_up: -3n, half_even: -3n, down: -2n, up: -3n }],
    [7, 1, { half_up: 7n, half_even: 7n, down: 7n, up: 7n }],
    [-7, 1, { half_up: -7n, half_even: -7n, down: -7n, up: -7n }],
    [0, 1, { half_up: 0n, half_even: 0n, down: 0n, up: 0n }],
  ];
  for (const [n, d, want] of cases) {
    for (const mode of Object.keys(want) as RoundingMode[]) {
      it(`${n}/${d} ${mode} → ${want[mode]}`, () => expect(q(n, d).round(mode)).toBe(want[mode]));
    }
  }
  it('agrees with a reference on random fractions', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const x = new Q(n, d);
        const floor = n >= 0n ? n / d : -((-n + d - 1n) / d);
        const ceil = floor * d === n ? floor : floor + 1n;
        const trunc = n / d; // bigint division truncates toward zero
        expect(x.round('down')).toBe(trunc);
        expect(x.round('up')).toBe(n >= 0n ? ceil : floor);
        const twice = 2n * (n - floor * d); // 2 × fractional part × d
        const hu = twice > d ? ceil : twice < d ? floor : n >= 0n ? ceil : floor;
        expect(x.round('half_up')).toBe(hu);
        const he = twice > d ? ceil : twice < d ? floor : floor % 2n === 0n ? floor : ceil;
        expect(x.round('half_even')).toBe(he);
      }),
    );
  });
});

describe('Q.parse', () => {
  const ok: Array<[string, Q]> = [
    ['12', q(12)],
    ['-0.005', q(-5, 1000)],
    ['1,234.5', q(2469, 2)],
    ['0.5%', q(1, 200)],
    [' 0.5 % ', q(1, 200)],
    ['.5', q(1, 2)],
    ['-.5', q(-1, 2)],
    ['+3', q(3)],
    ['12‰', q(3, 250)],
    ['007', q(7)],
  ];
  for (const [text, want] of ok) it(`"${text}"`, () => expect(Q.parse(text)?.eq(want)).toBe(true));
  for (const bad of ['1e5', '1E5', 'abc', '', ' ', '1.2.3', '5.', '.', '-', '1 000', '0x10', 'NaN', 'Infinity', '%']) {
    it(`rejects "${bad}"`, () => expect(Q.parse(bad)).toBeNull());
  }
});

describe('Q display', () => {
  it('toDecimal is exact when the fraction terminates', () => {
    expect(q(1, 8).toDecimal()).toBe('0.125');
    expect(q(-1, 2).toDecimal()).toBe('-0.5');
    expect(q(100).toDecimal()).toBe('100');
    expect(q(1, 1024).toDecimal()).toBe('0.0009765625');
  });
  it('toDecimal marks a rounded value', () => {
    expect(q(1, 3).toDecimal()).toBe('0.333333…');
    expect(q(-2, 3).toDecimal(2)).toBe('-0.67…');
  });
  it('toPercent', () => {
    expect(q(1, 200).toPercent()).toBe('0.5%');
  });
});
