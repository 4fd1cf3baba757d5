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
