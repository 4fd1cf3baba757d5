import { describe, it, expect } from 'vitest';
import { INDUSTRIES, classifySize, findIndustry, SIZE_ZH, type Thresholds, type EnterpriseSize } from '../src/index.ts';

// 工信部联企业〔2011〕300号, transcribed independently from domain-brief.md §4:
// key: [medium, small, ceiling] with S = staff, R = revenue 万元, A = assets 万元.
const TABLE: Record<string, [string, string, string]> = {
  agriculture: ['R500', 'R50', 'R20000'],
  industry: ['S300 R2000', 'S20 R300', 'S1000 R40000'],
  construction: ['R6000 A5000', 'R300 A300', 'R80000 A80000'],
  wholesale: ['S20 R5000', 'S5 R1000', 'S200 R40000'],
  retail: ['S50 R500', 'S10 R100', 'S300 R20000'],
  transport: ['S300 R3000', 'S20 R200', 'S1000 R30000'],
  warehousing: ['S100 R1000', 'S20 R100', 'S200 R30000'],
  postal: ['S300 R2000', 'S20 R100', 'S1000 R30000'],
  accommodation: ['S100 R2000', 'S10 R100', 'S300 R10000'],
  catering: ['S100 R2000', 'S10 R100', 'S300 R10000'],
  telecom: ['S100 R1000', 'S10 R100', 'S2000 R100000'],
  software: ['S100 R1000', 'S10 R50', 'S300 R10000'],
  real_estate_dev: ['R1000 A5000', 'R100 A2000', 'R200000 A10000'],
  property_mgmt: ['S300 R1000', 'S100 R500', 'S1000 R5000'],
  leasing_business: ['S100 A8000', 'S10 A100', 'S300 A120000'],
  other: ['S100', 'S10', 'S300'],
};
const FIELD = { S: 'employees', R: 'revenueWan', A: 'totalAssetsWan' } as const;
const decode = (spec: string): Thresholds =>
  Object.fromEntries(spec.split(' ').map((p) => [FIELD[p[0] as 'S' | 'R' | 'A'], Number(p.slice(1))]));

type Input = { employees?: number; revenueFen?: number; totalAssetsFen?: number };
const WAN = 1_000_000; // fen per 万元

/** Indicators exactly at the given thresholds (persons; 万元 → fen). */
function at(t: Thresholds): Input {
  const x: Input = {};
  if (t.employees !== undefined) x.employees = t.employees;
  if (t.revenueWan !== undefined) x.revenueFen = t.revenueWan * WAN;
  if (t.totalAssetsWan !== undefined) x.totalAssetsFen = t.totalAssetsWan * WAN;
  return x;
}
/** One person / one fen less on indicator `k`. */
const minusOne = (x: Input, k: keyof Input): Input => ({ ...x, [k]: (x[k] as number) - 1 });

const size = (industry: string, x: Input): EnterpriseSize => {
  const r = classifySize({ industry, ...x });
  if (!r.ok) throw new Error(`${industry}: ${r.key} ${r.zh}`);
  return r.value;
};

describe('INDUSTRIES table', () => {
  it('has the 16 industries of the brief with its thresholds', () => {
    expect(INDUSTRIES.map((i) => i.key)).toEqual(Object.keys(TABLE));
    for (const i of INDUSTRIES) {
      const [m, s, c] = TABLE[i.key];
      expect({ key: i.key, medium: i.medium, small: i.small, ceiling: i.ceiling })
        .toEqual({ key: i.key, medium: decode(m), small: decode(s), ceiling: decode(c) });
    }
  });
  it('bounds are ordered small < medium < ceiling', () => {
    for (const i of INDUSTRIES) {
      for (const k of Object.keys(i.small) as Array<keyof Thresholds>) {
        expect(i.small[k]!).toBeLessThan(i.medium[k]!);
        expect(i.medium[k]!).toBeLessThan(i.ceiling[k]!);
      }
    }
  });
  it('finds industries by key or Chinese name', () => {
    expect(findIndustry('software')?.zh).toBe('软件和信息技术服务业');
    expect(findIndustry('工业')?.key).toBe('industry');
    expect(findIndustry('mining')).toBeUndefined();
    expect(SIZE_ZH.micro).toBe('微型');
  });
});

describe('classifySize at every bound of every industry', () => {
  for (const ind of INDUSTRIES) {
    describe(`${ind.key} ${ind.zh}`, () => {
      const keys = (Object.keys(at(ind.ceiling)) as Array<keyof Input>);
      it('exactly at the SME ceiling on every indicator → large', () => {
        expect(size(ind.key, at(ind.ceiling))).toBe('large');
      });
      for (const k of keys) {
        it(`one below the ceiling on ${k} → medium`, () => {
          expect(size(ind.key, minusOne(at(ind.ceiling), k))).toBe('medium');
        });
      }
      it('exactly at the 中型 bounds → medium', () => {
        expect(size(ind.key, at(ind.medium))).toBe('medium');
      });
      for (const k of keys) {
        it(`one below the 中型 bound on ${k} → small`, () => {
          expect(size(ind.key, minusOne(at(ind.medium), k))).toBe('small');
        });
      }
      it('exactly at the 小型 bounds → small', () => {
        expect(size(ind.key, at(ind.small))).toBe('small');
      });
      for (const k of keys) {
        it(`one below the 小型 bound on ${k} → micro`, () => {
          expect(size(ind.key, minusOne(at(ind.small), k))).toBe('micro');
        });
        it(`huge on everything but zero ${k} → micro`, () => {
          const big = at(ind.ceiling);
          for (const j of keys) big[j] = (big[j] as number) * 10;
          expect(size(ind.key, { ...big, [k]: 0 })).toBe('micro');
        });
      }
      it('zero on everything → micro', () => {
        const zero = Object.fromEntries(keys.map((k) => [k, 0]));
        expect(size(ind.key, zero)).toBe('micro');
      });
      for (const k of keys) {
        it(`missing ${k} → size.missing_indicator`, () => {
          const x = at(ind.medium);
          delete x[k];
          const r = classifySize({ industry: ind.key, ...x });
          expect(r.ok ? undefined : r.key).toBe('size.missing_indicator');
          const nan = classifySize({ industry: ind.key, ...at(ind.medium), [k]: Number.NaN });
          expect(nan.ok ? undefined : nan.key).toBe('size.missing_indicator');
        });
      }
    });
  }
});

describe('classifySize details', () => {
  it('ignores indicators the industry does not use', () => {
    expect(size('agriculture', { revenueFen: 500 * WAN })).toBe('medium');
    expect(size('agriculture', { revenueFen: 500 * WAN, employees: 1 })).toBe('medium');
    expect(size('other', { employees: 10 })).toBe('small');
  });
  it('names the missing indicator in Chinese', () => {
    const r = classifySize({ industry: 'industry', employees: 50 });
    expect(r.ok ? '' : r.zh).toContain('营业收入');
    const a = classifySize({ industry: 'construction', revenueFen: 0 });
    expect(a.ok ? '' : a.zh).toContain('资产总额');
  });
  it('rejects unknown industries and non-integer indicators', () => {
    const u = classifySize({ industry: 'mining', employees: 5 });
    expect(u.ok ? undefined : u.key).toBe('size.unknown_industry');
    const f = classifySize({ industry: 'other', employees: 10.5 });
    expect(f.ok ? undefined : f.key).toBe('size.bad_indicator');
    const g = classifySize({ industry: 'retail', employees: 10, revenueFen: 0.5 });
    expect(g.ok ? undefined : g.key).toBe('size.bad_indicator');
  });
  it('accepts the Chinese industry name', () => {
    expect(size('工业', { employees: 20, revenueFen: 300 * WAN })).toBe('small');
  });
  it('large only when every ceiling indicator is reached', () => {
    expect(size('industry', { employees: 5000, revenueFen: 40000 * WAN - 1 })).toBe('medium');
    expect(size('industry', { employees: 999, revenueFen: 10 ** 6 * WAN })).toBe('medium');
  });
});
