// Row counts by bundle size.
export type DemoSize = 'small' | 'city' | 'province';

export interface Scale {
  enterprises: number;
  loans: number;
  banks: number;
  guarantors: number;
  insurers: number;
  outletsPerBank: number;
  insurancePolicies: number;
  /** Securitization projects beyond the featured ones. */
  securitizations: number;
  /** Supply-chain core enterprises beyond the featured ones. */
  supplyChainCores: number;
  fintechProjects: number;
  /** Insurance innovation products per insurer beyond the featured ones. */
  productsPerInsurer: number;
}

export const SCALES: Record<DemoSize, Scale> = {
  small: {
    enterprises: 300, loans: 1_000, banks: 10, guarantors: 4, insurers: 3, outletsPerBank: 3,
    insurancePolicies: 120, securitizations: 0, supplyChainCores: 0, fintechProjects: 4, productsPerInsurer: 0,
  },
  city: {
    enterprises: 30_000, loans: 100_000, banks: 40, guarantors: 8, insurers: 6, outletsPerBank: 5,
    insurancePolicies: 6_000, securitizations: 30, supplyChainCores: 60, fintechProjects: 12, productsPerInsurer: 4,
  },
  province: {
    enterprises: 2_000_000, loans: 10_000_000, banks: 200, guarantors: 60, insurers: 20, outletsPerBank: 10,
    insurancePolicies: 300_000, securitizations: 400, supplyChainCores: 2_000, fintechProjects: 100, productsPerInsurer: 6,
  },
};

/**
 * The row counts of `size` times `fraction` (e.g. 1/16 of a province), never below those of
 * `small` (the featured boundary cases need a few banks, guarantors and enterprises). Per-bank and
 * per-insurer counts stay as they are: they scale with the banks and insurers.
 */
export function scaleOf(size: DemoSize, fraction = 1): Scale {
  const base = SCALES[size];
  if (!base) throw new Error(`demo-data: unknown size ${size}`);
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 64) throw new Error(`demo-data: fraction must be in (0, 64], not ${fraction}`);
  if (fraction === 1) return base;
  const min = SCALES.small;
  const out = { ...base };
  for (const k of Object.keys(base) as (keyof Scale)[]) {
    if (k === 'outletsPerBank' || k === 'productsPerInsurer') continue;
    out[k] = Math.max(min[k], Math.round(base[k] * fraction));
  }
  return out;
}
