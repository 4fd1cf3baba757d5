import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocatePool, rankAwards, splitProportionally } from '../src/eval/allocate.ts';
import { Q } from '@caijin/core';

describe('pool caps', () => {
  it('leave amounts alone under the cap', () => {
    expect(allocatePool([100n, 200n], 300n, ['a', 'b']).parts).toEqual([100n, 200n]);
  });
  it('hand out the last fen by largest remainder', () => {
    // 3000000 fen and 1500000 fen into 3000001: exact 2000000.67 and 1000000.33
    const r = allocatePool([3000000n, 1500000n], 3000001n, ['a', 'b']);
    expect(r.parts).toEqual([2000001n, 1000000n]);
    expect(r.factor?.eq(new Q(3000001n, 4500000n))).toBe(true);
  });
  it('break equal remainders by id, not by input order', () => {
    expect(splitProportionally(2n, [1n, 1n, 1n], ['c', 'a', 'b'])).toEqual([0n, 1n, 1n]);
  });
  it('always add up to the cap exactly and never exceed a part', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (amounts, cap) => {
        const ids = amounts.map((_, i) => `r${i}`);
        const { parts } = allocatePool(amounts, cap, ids);
        const total = amounts.reduce((a, b) => a + b, 0n);
        const sum = parts.reduce((a, b) => a + b, 0n);
        expect(sum).toBe(total <= cap ? total : cap);
        parts.forEach((p, i) => expect(p <= amounts[i]).toBe(true));
      }),
    );
  });
});

describe('ranking awards', () => {
  const awards = [30000000n, 20000000n, 10000000n];
  it('share the summed awards of tied ranks', () => {
    const r = rankAwards([Q.of(5), Q.of(3), Q.of(3), Q.of(1)], awards, ['a', 'b', 'c', 'd']);
    expect(r.rank).toEqual([1, 2, 2, 4]);
    expect(r.award).toEqual([30000000n, 15000000n, 15000000n, 0n]);
  });
  it('split indivisible ties to the fen and keep the total', () => {
    const r = rankAwards([Q.of(1), Q.of(1), Q.of(1)], [100n, 0n, 0n], ['a', 'b', 'c']);
    expect(r.award).toEqual([34n, 33n, 33n]);
  });
  it('do not rank missing or non-positive metrics', () => {
    const r = rankAwards([null, Q.ZERO, Q.of(-1), Q.of(2)], awards, ['a', 'b', 'c', 'd']);
    expect(r.rank).toEqual([0, 0, 0, 1]);
    expect(r.award).toEqual([0n, 0n, 0n, 30000000n]);
  });
});
