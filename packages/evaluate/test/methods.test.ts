// Every scoring method at its edges.
import { describe, expect, it } from 'vitest';
import { Q } from '@caijin/core';
import { parseScale } from '@caijin/rules';
import { scoreLeaf } from '../src/methods.ts';
import type { Indicator, Method } from '../src/scheme.ts';

const pct = (n: number) => Q.of(Math.round(n * 1000), 100000);
function ind(method: Method, points = 10, unit: Indicator['unit'] = 'rate'): Indicator {
  return { id: 'x', name: 'x', points: Q.of(points), cite: '', unit, method, children: [] };
}
function score(method: Method, actual: Q | null, extra: { target?: Q; peers?: Q[]; given?: Q; points?: number } = {}) {
  const r = scoreLeaf(ind(method, extra.points ?? 10), { actual, target: extra.target ?? null, peers: extra.peers ?? [], given: extra.given ?? null });
  return r.points === null ? null : r.points.toDecimal(6);
}

describe('ratio to target, clamped', () => {
  const m: Method = { kind: 'ratio_to_target', lowerIsBetter: false };
  it('scores actual ÷ target between 0 and full points', () => {
    expect(score(m, Q.of(80), { target: Q.of(100) })).toBe('8');
    expect(score(m, Q.of(100), { target: Q.of(100) })).toBe('10');
    expect(score(m, Q.of(150), { target: Q.of(100) })).toBe('10');
    expect(score(m, Q.of(-5), { target: Q.of(100) })).toBe('0');
    expect(score(m, Q.ZERO, { target: Q.of(100) })).toBe('0');
  });
  it('gives no points without an actual value or a positive target', () => {
    expect(score(m, null, { target: Q.of(100) })).toBe(null);
    expect(score(m, Q.of(5), { target: Q.ZERO })).toBe(null);
    expect(score(m, Q.of(5))).toBe(null);
  });
  it('lower is better: full at or below the target, target ÷ actual above it', () => {
    const l: Method = { kind: 'ratio_to_target', lowerIsBetter: true };
    expect(score(l, pct(1), { target: pct(1) })).toBe('10');
    expect(score(l, Q.ZERO, { target: pct(1) })).toBe('10');
    expect(score(l, pct(2), { target: pct(1) })).toBe('5');
  });
});

describe('linear interpolation between bands', () => {
  const m: Method = { kind: 'linear', lowerIsBetter: false, knots: [{ at: pct(50), score: Q.ZERO }, { at: pct(80), score: Q.ONE }] };
  it('clamps outside the knots and interpolates inside', () => {
    expect(score(m, pct(40))).toBe('0');
    expect(score(m, pct(50))).toBe('0');
    expect(score(m, pct(65))).toBe('5');
    expect(score(m, pct(80))).toBe('10');
    expect(score(m, pct(99))).toBe('10');
  });
  it('decreasing scores express lower-is-better', () => {
    const d: Method = { kind: 'linear', lowerIsBetter: true, knots: [{ at: pct(1), score: Q.ONE }, { at: pct(1.5), score: Q.of(1, 2) }, { at: pct(2), score: Q.ZERO }] };
    expect(score(d, pct(0.5))).toBe('10');
    expect(score(d, pct(1.25))).toBe('7.5');
    expect(score(d, pct(1.5))).toBe('5');
    expect(score(d, pct(3))).toBe('0');
  });
});

describe('step tables', () => {
  const m: Method = { kind: 'step', scale: parseScale([{ from: 0, value: 0 }, { from: '60%', value: '60%' }, { above: '80%', value: '100%' }], 'step', 'rate', 'rate', 't') };
  it('honours 以上 (from, inclusive) and 超过 (above, exclusive)', () => {
    expect(score(m, pct(59.99))).toBe('0');
    expect(score(m, pct(60))).toBe('6');
    expect(score(m, pct(80))).toBe('6');
    expect(score(m, pct(80.01))).toBe('10');
  });
});

describe('ranking index among peers', () => {
  const peers = [Q.of(1), Q.of(3), Q.of(5)];
  it('(x − min) ÷ (max − min)', () => {
    const m: Method = { kind: 'rank_index', lowerIsBetter: false };
    expect(score(m, Q.of(1), { peers })).toBe('0');
    expect(score(m, Q.of(3), { peers })).toBe('5');
    expect(score(m, Q.of(5), { peers })).toBe('10');
  });
  it('reversed when lower is better, full points when all are equal', () => {
    expect(score({ kind: 'rank_index', lowerIsBetter: true }, Q.of(1), { peers })).toBe('10');
    expect(score({ kind: 'rank_index', lowerIsBetter: false }, Q.of(2), { peers: [Q.of(2), Q.of(2)] })).toBe('10');
  });
});

describe('efficacy coefficient (功效系数法)', () => {
  const standards = [
    { level: '优秀', value: Q.of(5), coefficient: Q.ONE },
    { level: '良好', value: Q.of(4), coefficient: Q.of(8, 10) },
    { level: '平均', value: Q.of(3), coefficient: Q.of(6, 10) },
    { level: '较低', value: Q.of(2), coefficient: Q.of(4, 10) },
    { level: '较差', value: Q.of(1), coefficient: Q.of(2, 10) },
  ];
  const m: Method = { kind: 'efficacy', lowerIsBetter: false, standards };
  it('takes the standard coefficient at each standard value and interpolates between', () => {
    expect(score(m, Q.of(5))).toBe('10');
    expect(score(m, Q.of(6))).toBe('10');
    expect(score(m, Q.of(4))).toBe('8');
    expect(score(m, Q.of(35, 10))).toBe('7');
    expect(score(m, Q.of(1))).toBe('2');
    expect(score(m, Q.of(99, 100))).toBe('0');
  });
  it('works downward for lower-is-better indicators', () => {
    const l: Method = { kind: 'efficacy', lowerIsBetter: true, standards: standards.map((s) => ({ ...s, value: Q.of(6).sub(s.value) })) };
    expect(score(l, Q.of(1))).toBe('10');
    expect(score(l, Q.of(25, 10))).toBe('7');
    expect(score(l, Q.of(6))).toBe('0');
  });
});

describe('bonus, deduction and reviewer points', () => {
  it('bonus by thresholds, never above its points', () => {
    const b: Method = { kind: 'bonus', scale: parseScale([{ from: 0, value: 0 }, { from: '10%', value: 1 }, { from: '30%', value: 9 }], 'step', 'number', 'rate', 'b') };
    expect(score(b, pct(9.99), { points: 3 })).toBe('0');
    expect(score(b, pct(10), { points: 3 })).toBe('1');
    expect(score(b, pct(30), { points: 3 })).toBe('3');
  });
  it('deduction per violation up to its maximum', () => {
    const d: Method = { kind: 'deduction', per: Q.of(2), max: Q.of(5) };
    expect(score(d, Q.ZERO)).toBe('0');
    expect(score(d, Q.of(2))).toBe('-4');
    expect(score(d, Q.of(3))).toBe('-5');
  });
  it('reviewer points as given, none when missing', () => {
    expect(score({ kind: 'reviewer' }, null, { given: Q.of(45, 10) })).toBe('4.5');
    expect(score({ kind: 'reviewer' }, null)).toBe(null);
  });
});
