import { describe, it, expect } from 'vitest';
import { parseLegalBound, parseLegalRange, satisfies, inRange, Q, type Bound, type BoundOp, type LegalRange } from '../src/index.ts';

const bound = (t: string): Bound => {
  const r = parseLegalBound(t);
  if (!r.ok) throw new Error(`${t}: ${r.key} ${r.zh}`);
  return r.value;
};
const range = (t: string): LegalRange => {
  const r = parseLegalRange(t);
  if (!r.ok) throw new Error(`${t}: ${r.key} ${r.zh}`);
  return r.value;
};
const q = (n: number, d = 1): Q => Q.of(n, d);
const EPS = q(1, 1_000_000);

// 民法典 第一千二百五十九条 and common statute wording: word → operator.
const PREFIX_WORDS: Array<[string, BoundOp]> = [
  ['达到', '>='], ['不低于', '>='], ['不少于', '>='], ['不小于', '>='],
  ['不超过', '<='], ['不高于', '<='], ['不多于', '<='], ['不大于', '<='],
  ['超过', '>'], ['高于', '>'], ['大于', '>'], ['多于', '>'],
  ['不满', '<'], ['未满', '<'], ['不足', '<'], ['低于', '<'], ['小于', '<'], ['少于', '<'],
];
const SUFFIX_WORDS: Array<[string, BoundOp]> = [
  ['以上', '>='], ['及以上', '>='], ['以下', '<='], ['及以下', '<='], ['以内', '<='], ['届满', '<='],
  ['不满', '<'], ['不足', '<'],
];
/** What each operator says about the boundary value itself and just below / above it. */
const EXPECT: Record<BoundOp, [below: boolean, at: boolean, above: boolean]> = {
  '>=': [false, true, true],
  '>': [false, false, true],
  '<=': [true, true, false],
  '<': [true, false, false],
};

function checkBoundary(b: Bound, at: Q): void {
  const [below, atIt, above] = EXPECT[b.op];
  expect(satisfies(at.sub(EPS), b)).toBe(below);
  expect(satisfies(at, b)).toBe(atIt);
  expect(satisfies(at.add(EPS), b)).toBe(above);
}

describe('every legal word at its boundary', () => {
  for (const [w, op] of PREFIX_WORDS) {
    it(`${w}1%`, () => {
      const b = bound(`${w}1%`);
      expect(b).toMatchObject({ op, word: w, unit: '%' });
      expect(b.value.eq(q(1, 100))).toBe(true);
      checkBoundary(b, q(1, 100));
    });
  }
  for (const [w, op] of SUFFIX_WORDS) {
    it(`0.9%${w}`, () => {
      const b = bound(`0.9%${w}`);
      expect(b).toMatchObject({ op, word: w });
      expect(b.value.eq(q(9, 1000))).toBe(true);
      checkBoundary(b, q(9, 1000));
    });
  }
  it('民法典 1259: 以上/以下/以内/届满 include, 不满/超过 exclude', () => {
    for (const t of ['5以上', '5以下', '5以内', '5届满']) expect(satisfies(q(5), bound(t))).toBe(true);
    for (const t of ['不满5', '超过5']) expect(satisfies(q(5), bound(t))).toBe(false);
  });
  it('the brief: 及以下/不超过 include; 低于/小于/超过/高于 exclude', () => {
    for (const t of ['5及以下', '不超过5']) expect(satisfies(q(5), bound(t))).toBe(true);
    for (const t of ['低于5', '小于5', '超过5', '高于5']) expect(satisfies(q(5), bound(t))).toBe(false);
  });
});

describe('units', () => {
  const cases: Array<[string, Q, string | undefined]> = [
    ['不超过1000万元', q(10_000_000), '万元'],
    ['不超过1,000万元', q(10_000_000), '万元'],
    ['超过1.5亿元', q(150_000_000), '亿元'],
    ['500元以下', q(500), '元'],
    ['达到8倍', q(8), '倍'],
    ['超过0.5%', q(1, 200), '%'],
    ['超过0.5％', q(1, 200), '%'],
    ['不超过5‰', q(1, 200), '‰'],
    ['不超过300万', q(3_000_000), '万'],
    ['70分以上', q(70), '分'],
    ['3年届满', q(3), '年'],
    ['不超过10', q(10), undefined],
    ['不超过１０％', q(1, 10), '%'],
    [' 不超过 1000 万元 ', q(10_000_000), '万元'],
  ];
  for (const [t, v, unit] of cases) {
    it(t, () => {
      const b = bound(t);
      expect(b.value.eq(v)).toBe(true);
      expect(b.unit).toBe(unit);
    });
  }
  it('万元 boundary compared in yuan, to the fen', () => {
    const b = bound('不超过1000万元');
    expect(satisfies(q(10_000_000), b)).toBe(true);
    expect(satisfies(q(1_000_000_001, 100), b)).toBe(false); // one fen over
    expect(satisfies(q(999_999_999, 100), b)).toBe(true);
  });
});

describe('(含) / (不含)', () => {
  it('change inclusiveness of the bound they follow', () => {
    expect(bound('1000万元（含）以下').op).toBe('<=');
    expect(bound('500万元(含)以上').op).toBe('>=');
    expect(bound('500万元以上（不含）').op).toBe('>');
    expect(bound('500万元（不含）以上').op).toBe('>');
    expect(bound('1000万元以下(不含)').op).toBe('<');
    expect(bound('低于5%(含)').op).toBe('<=');
  });
});

describe('parseLegalBound failures', () => {
  const bad: Array<[string, string]> = [
    ['', 'legal.empty'], ['1%', 'legal.no_word'], ['1000万元', 'legal.no_word'], ['超过', 'legal.number'],
    ['超过一千万元', 'legal.number'], ['超过1%以上', 'legal.format'], ['超过1%、不超过3%', 'legal.format'],
    ['超过1美元', 'legal.format'], ['以上1%', 'legal.number'],
  ];
  for (const [t, k] of bad) {
    it(`"${t}" → ${k}`, () => {
      const r = parseLegalBound(t);
      expect(r.ok ? undefined : r.key).toBe(k);
    });
  }
});

describe('parseLegalRange', () => {
  it('超过1%、不超过3%', () => {
    const r = range('超过1%、不超过3%');
    expect(r.lower).toMatchObject({ op: '>', word: '超过' });
    expect(r.upper).toMatchObject({ op: '<=', word: '不超过' });
    expect(r.lower?.value.eq(q(1, 100))).toBe(true);
    expect(r.upper?.value.eq(q(3, 100))).toBe(true);
    expect(inRange(q(1, 100), r)).toBe(false);
    expect(inRange(q(1, 100).add(EPS), r)).toBe(true);
    expect(inRange(q(3, 100), r)).toBe(true);
    expect(inRange(q(3, 100).add(EPS), r)).toBe(false);
  });
  it('1%—3%: lower included, upper excluded', () => {
    const r = range('1%—3%');
    expect(r.lower?.op).toBe('>=');
    expect(r.upper?.op).toBe('<');
    expect(inRange(q(1, 100).sub(EPS), r)).toBe(false);
    expect(inRange(q(1, 100), r)).toBe(true);
    expect(inRange(q(3, 100).sub(EPS), r)).toBe(true);
    expect(inRange(q(3, 100), r)).toBe(false);
  });
  it('(含) after B includes B', () => {
    for (const t of ['1%—3%(含)', '1%—3%（含）', '1%-3%（含）', '1%~3%(含)', '1%至3%(含)']) {
      const r = range(t);
      expect(r.lower?.op).toBe('>=');
      expect(r.upper?.op).toBe('<=');
      expect(inRange(q(3, 100), r)).toBe(true);
      expect(inRange(q(3, 100).add(EPS), r)).toBe(false);
    }
  });
  it('(不含) after A excludes A', () => {
    const r = range('1%（不含）—3%（含）');
    expect(r.lower?.op).toBe('>');
    expect(r.upper?.op).toBe('<=');
  });
  it('a unit written once applies to both ends', () => {
    const r = range('1—3%');
    expect(r.lower?.value.eq(q(1, 100))).toBe(true);
    expect(r.upper?.value.eq(q(3, 100))).toBe(true);
    const m = range('500—1000万元');
    expect(m.lower?.value.eq(q(5_000_000))).toBe(true);
    expect(m.upper?.value.eq(q(10_000_000))).toBe(true);
  });
  it('different units at each end', () => {
    const r = range('5000元—1万元');
    expect(r.lower?.value.eq(q(5000))).toBe(true);
    expect(r.upper?.value.eq(q(10000))).toBe(true);
  });
  it('worded bounds without a separator', () => {
    const r = range('1%以上3%以下');
    expect(r.lower?.op).toBe('>=');
    expect(r.upper?.op).toBe('<=');
    const s = range('100万元(含)以上不满500万元');
    expect(s.lower?.op).toBe('>=');
    expect(s.upper?.op).toBe('<');
  });
  it('other separators and order', () => {
    expect(range('不超过3%，超过1%').lower?.op).toBe('>');
    expect(range('不低于1%;低于3%').upper?.op).toBe('<');
    expect(range('超过1%且不超过3%').upper?.op).toBe('<=');
  });
  it('超过A至B includes B (tax-table reading)', () => {
    const r = range('超过36000元至144000元');
    expect(r.lower?.op).toBe('>');
    expect(r.upper?.op).toBe('<=');
    expect(inRange(q(144000), r)).toBe(true);
    expect(inRange(q(36000), r)).toBe(false);
  });
  it('one-sided text gives one side', () => {
    expect(range('超过1%')).toMatchObject({ lower: { op: '>' } });
    expect(range('超过1%').upper).toBeUndefined();
    expect(range('1000万元及以下').lower).toBeUndefined();
  });
  const bad: Array<[string, string]> = [
    ['', 'legal.empty'], ['1%', 'legal.no_word'], ['1%、3%', 'legal.no_word'], ['超过1%、3%', 'legal.no_word'],
    ['超过1%、超过3%', 'legal.range_conflict'], ['不超过1%、低于3%', 'legal.range_conflict'],
    ['超过3%、不超过1%', 'legal.range_empty'], ['3%—1%', 'legal.range_empty'], ['1%—1%', 'legal.range_empty'],
    ['超过1%、不超过1%', 'legal.range_empty'], ['1%—3%—5%', 'legal.format'], ['1%—', 'legal.number'],
  ];
  for (const [t, k] of bad) {
    it(`"${t}" → ${k}`, () => {
      const r = parseLegalRange(t);
      expect(r.ok ? undefined : r.key).toBe(k);
    });
  }
  it('a degenerate closed range is allowed', () => {
    const r = range('不低于1%、不超过1%');
    expect(inRange(q(1, 100), r)).toBe(true);
  });
});
