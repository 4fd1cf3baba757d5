// Enterprise indicators (从业人员, 营业收入, 资产总额) drawn inside the band of a chosen size class
// of 工信部联企业〔2011〕300号 (thresholds from @caijin/core INDUSTRIES), so that the size a
// bundle leaves empty is derivable and equals the intended one (checked with core's classifySize).
import { INDUSTRIES, classifySize, type EnterpriseSize, type IndustrySize, type Thresholds } from '@caijin/core';
import type { Rng } from './rng.ts';

export const SIZES: readonly EnterpriseSize[] = ['large', 'medium', 'small', 'micro'];

const BY_KEY = new Map<string, IndustrySize>(INDUSTRIES.map((i) => [i.key, i]));

export interface Indicators {
  employees: number;
  revenueFen: number;
  totalAssetsFen: number;
}

type Key = keyof Thresholds;
const WAN = 1_000_000; // fen per 万元

/** [lo, hi) in the indicator's unit (persons or 万元) for a size class. */
function band(ind: IndustrySize, k: Key, size: EnterpriseSize): [number, number] {
  const small = ind.small[k];
  const medium = ind.medium[k];
  const ceiling = ind.ceiling[k];
  if (small === undefined || medium === undefined || ceiling === undefined) throw new Error(`no ${k} bounds for ${ind.key}`);
  const floor = k === 'employees' ? 1 : Math.max(1, small / 20);
  switch (size) {
    case 'micro':
      return [Math.min(floor, small / 2), small];
    case 'small':
      return [small, medium];
    case 'medium':
      return [medium, ceiling];
    case 'large':
      return [ceiling, ceiling * 4];
  }
}

function used(ind: IndustrySize): Key[] {
  return Object.keys(ind.small) as Key[];
}

/**
 * Indicators for an enterprise of `industry` meant to be of class `size`. With `atBoundary`, one
 * indicator sits exactly on its band's edge (the lower bound for small/medium/large, one unit below
 * the 小型 bound for micro), to exercise the "以上" boundary of the classification.
 */
export function drawIndicators(rng: Rng, industry: string, size: EnterpriseSize, atBoundary: boolean): Indicators {
  const ind = BY_KEY.get(industry);
  if (!ind) throw new Error(`unknown industry ${industry}`);
  const keys = used(ind);
  const out: Indicators = { employees: NaN, revenueFen: NaN, totalAssetsFen: NaN };
  const edgeKey = atBoundary ? keys[rng.int(0, keys.length - 1)] : undefined;
  for (const k of keys) {
    const [lo, hi] = band(ind, k, size);
    if (k === 'employees') {
      let v = Math.floor(rng.logUniform(lo, hi));
      if (v >= hi) v = hi - 1;
      if (v < lo) v = Math.ceil(lo);
      if (k === edgeKey) v = size === 'micro' ? hi - 1 : lo;
      out.employees = v;
    } else {
      // whole yuan, inside [lo, hi) 万元
      let fen = Math.floor(rng.logUniform(lo, hi) * 10_000) * 100;
      if (fen >= hi * WAN) fen = hi * WAN - 100;
      if (fen < lo * WAN) fen = Math.ceil(lo * WAN);
      if (k === edgeKey) fen = size === 'micro' ? hi * WAN - 1 : lo * WAN;
      if (k === 'revenueWan') out.revenueFen = fen;
      else out.totalAssetsFen = fen;
    }
  }
  fillUnused(rng, out);
  return out;
}

/** Plausible values for the indicators an industry's classification does not use. */
export function fillUnused(rng: Rng, v: Indicators): void {
  if (Number.isNaN(v.revenueFen)) {
    const base = Number.isNaN(v.totalAssetsFen) ? v.employees * rng.range(15, 60) * WAN : v.totalAssetsFen * rng.range(0.3, 1.2);
    v.revenueFen = Math.max(100_000_00, Math.round(base / 100) * 100);
  }
  if (Number.isNaN(v.totalAssetsFen)) v.totalAssetsFen = Math.max(50_000_00, Math.round((v.revenueFen * rng.range(0.4, 1.8)) / 100) * 100);
  if (Number.isNaN(v.employees)) v.employees = Math.max(1, Math.min(5000, Math.round(v.revenueFen / (rng.range(20, 80) * WAN))));
}

/**
 * For each industry, the bounds of 大型, 中型 and 小型 as [indicator, lower bound in persons or
 * fen] pairs: classifySize's comparisons, prepared once (it runs for 2 million enterprises).
 */
const BOUNDS = new Map<string, { level: [number, number][][]; used: number[] }>(
  INDUSTRIES.map((ind) => {
    const slot = { employees: 0, revenueWan: 1, totalAssetsWan: 2 } as const;
    const level = [ind.ceiling, ind.medium, ind.small].map((t) =>
      (Object.keys(t) as Key[]).map((k): [number, number] => [slot[k], k === 'employees' ? (t[k] as number) : (t[k] as number) * WAN]),
    );
    const used = [...new Set(level.flatMap((l) => l.map(([s]) => s)))];
    return [ind.key, { level, used }];
  }),
);

/** Index in SIZES of the size core's classifySize derives from the indicators (the same result, checked by a test; throws where it would fail). */
export function sizeIndex(industry: string, v: Indicators): number {
  const b = BOUNDS.get(industry);
  const x = [v.employees, v.revenueFen, v.totalAssetsFen];
  if (!b || b.used.some((s) => !Number.isSafeInteger(x[s]))) return SIZES.indexOf(derivedSize(industry, v));
  for (let l = 0; l < 3; l++) {
    const bounds = b.level[l];
    let all = true;
    for (let j = 0; j < bounds.length; j++) if (!(x[bounds[j][0]] >= bounds[j][1])) all = false;
    if (all) return l;
  }
  return 3;
}

/** The size core derives from the indicators (throws if it cannot: a generator bug). */
export function derivedSize(industry: string, v: Indicators): EnterpriseSize {
  const r = classifySize({ industry, employees: v.employees, revenueFen: v.revenueFen, totalAssetsFen: v.totalAssetsFen });
  if (!r.ok) throw new Error(`demo-data: cannot classify ${industry}: ${r.zh}`);
  return r.value;
}
