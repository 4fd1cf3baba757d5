import { describe, it, expect } from 'vitest';
import {
  validateRegionCode, isProvinceCode, REGIONS, regionName, TIANJIN_DISTRICTS, WENZHOU_URBAN, WENZHOU_MOUNTAIN_COUNTIES,
  CHONGQING_DISTRICTS, CHONGQING_COUNTIES, LIAOCHENG_COUNTIES,
} from '../src/index.ts';

const keyOf = (t: string): string | undefined => {
  const r = validateRegionCode(t);
  return r.ok ? undefined : r.key;
};
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('validateRegionCode', () => {
  it('accepts 6-digit codes with a province prefix', () => {
    for (const c of ['120101', '330302', '500243', '371581', '110000', '820000', ' 331082 ']) {
      expect(validateRegionCode(c)).toEqual({ ok: true, value: c.trim() });
    }
  });
  it('checks every province prefix', () => {
    const valid = [...range(11, 15), ...range(21, 23), ...range(31, 37), ...range(41, 46), ...range(50, 54),
      ...range(61, 65), '71', '81', '82'];
    for (let p = 0; p < 100; p++) {
      const pp = String(p).padStart(2, '0');
      expect(isProvinceCode(pp)).toBe(valid.includes(pp));
      expect(keyOf(pp + '0101')).toBe(valid.includes(pp) ? undefined : 'region.province');
    }
  });
  it('rejects bad shapes', () => {
    expect(keyOf('000000')).toBe('region.province');
    expect(keyOf('')).toBe('region.empty');
    expect(keyOf('12010')).toBe('region.format');
    expect(keyOf('1201011')).toBe('region.format');
    expect(keyOf('12010A')).toBe('region.format');
  });
});

describe('named regions', () => {
  it('Tianjin: 16 districts', () => {
    expect([...TIANJIN_DISTRICTS]).toEqual([...range(120101, 120106), ...range(120110, 120119)]);
    expect(regionName('120116')).toBe('滨海新区');
    expect(regionName('120119')).toBe('蓟州区');
  });
  it('Wenzhou', () => {
    expect([...WENZHOU_URBAN]).toEqual(['330302', '330303', '330304', '330305']);
    expect([...WENZHOU_MOUNTAIN_COUNTIES]).toEqual(['330324', '330326', '330327', '330328', '330329']);
    expect(regionName('330300')).toBe('温州市');
    expect(regionName('330383')).toBe('龙港市');
    expect(regionName('330305')).toBe('洞头区');
  });
  it('Linhai, Taizhou', () => {
    expect(regionName('331082')).toBe('临海市');
    expect(regionName('331000')).toBe('台州市');
  });
  it('Chongqing: 26 districts, 12 counties', () => {
    expect([...CHONGQING_DISTRICTS]).toEqual([...range(500101, 500120), ...range(500151, 500156)]);
    expect(CHONGQING_COUNTIES.size).toBe(12);
    for (const c of CHONGQING_COUNTIES) expect(Number(c) >= 500229 && Number(c) <= 500243).toBe(true);
    expect(regionName('500000')).toBe('重庆市');
  });
  it('Liaocheng', () => {
    expect([...LIAOCHENG_COUNTIES]).toEqual(['371502', '371503', '371521', '371522', '371524', '371525', '371526', '371581']);
    expect(regionName('371500')).toBe('聊城市');
    expect(regionName('371522')).toBe('莘县');
  });
  it('every listed code is valid and named; unknown codes have no name', () => {
    for (const [code, name] of REGIONS) {
      expect(validateRegionCode(code).ok).toBe(true);
      expect(name.length).toBeGreaterThan(0);
    }
    for (const s of [TIANJIN_DISTRICTS, WENZHOU_URBAN, WENZHOU_MOUNTAIN_COUNTIES, CHONGQING_DISTRICTS, CHONGQING_COUNTIES,
      LIAOCHENG_COUNTIES]) {
      for (const c of s) expect(REGIONS.has(c)).toBe(true);
    }
    expect(regionName('120000')).toBe('天津市');
    expect(regionName('120199')).toBeUndefined();
  });
});
