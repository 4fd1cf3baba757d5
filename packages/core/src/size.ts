// Enterprise size (企业规模) by 工信部联企业〔2011〕300号. 中型/小型 need every listed bound met;
// 微型 when any is below the 小型 bound; 大型 when at/above every SME-ceiling bound (the document's
// "X以下或Y以下为中小微型" is read as "< X or < Y", matching its "X及以上" bounds for 中型/小型).
import { type Parsed, ok, fail } from './parsed.ts';

/** Lower bounds: persons, and 万元 as plain numbers; an absent field is not a criterion. */
export interface Thresholds {
  employees?: number;
  revenueWan?: number;
  totalAssetsWan?: number;
}

export interface IndustrySize {
  key: string;
  zh: string;
  medium: Thresholds; // 中型: all met
  small: Thresholds; // 小型: all met
  ceiling: Thresholds; // 大型: all met (SME: below any)
}

export type EnterpriseSize = 'large' | 'medium' | 'small' | 'micro';

export const SIZE_ZH: Readonly<Record<EnterpriseSize, string>> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };

const ind = (key: string, zh: string, medium: Thresholds, small: Thresholds, ceiling: Thresholds): IndustrySize =>
  ({ key, zh, medium, small, ceiling });

export const INDUSTRIES: readonly IndustrySize[] = [
  ind('agriculture', '农林牧渔业', { revenueWan: 500 }, { revenueWan: 50 }, { revenueWan: 20000 }),
  ind('industry', '工业', { employees: 300, revenueWan: 2000 }, { employees: 20, revenueWan: 300 }, { employees: 1000, revenueWan: 40000 }),
  ind('construction', '建筑业', { revenueWan: 6000, totalAssetsWan: 5000 }, { revenueWan: 300, totalAssetsWan: 300 }, { revenueWan: 80000, totalAssetsWan: 80000 }),
  ind('wholesale', '批发业', { employees: 20, revenueWan: 5000 }, { employees: 5, revenueWan: 1000 }, { employees: 200, revenueWan: 40000 }),
  ind('retail', '零售业', { employees: 50, revenueWan: 500 }, { employees: 10, revenueWan: 100 }, { employees: 300, revenueWan: 20000 }),
  ind('transport', '交通运输业', { employees: 300, revenueWan: 3000 }, { employees: 20, revenueWan: 200 }, { employees: 1000, revenueWan: 30000 }),
  ind('warehousing', '仓储业', { employees: 100, revenueWan: 1000 }, { employees: 20, revenueWan: 100 }, { employees: 200, revenueWan: 30000 }),
  ind('postal', '邮政业', { employees: 300, revenueWan: 2000 }, { employees: 20, revenueWan: 100 }, { employees: 1000, revenueWan: 30000 }),
  ind('accommodation', '住宿业', { employees: 100, revenueWan: 2000 }, { employees: 10, revenueWan: 100 }, { employees: 300, revenueWan: 10000 }),
  ind('catering', '餐饮业', { employees: 100, revenueWan: 2000 }, { employees: 10, revenueWan: 100 }, { employees: 300, revenueWan: 10000 }),
  ind('telecom', '信息传输业', { employees: 100, revenueWan: 1000 }, { employees: 10, revenueWan: 100 }, { employees: 2000, revenueWan: 100000 }),
  ind('software', '软件和信息技术服务业', { employees: 100, revenueWan: 1000 }, { employees: 10, revenueWan: 50 }, { employees: 300, revenueWan: 10000 }),
  ind('real_estate_dev', '房地产开发经营', { revenueWan: 1000, totalAssetsWan: 5000 }, { revenueWan: 100, totalAssetsWan: 2000 }, { revenueWan: 200000, totalAssetsWan: 10000 }),
  ind('property_mgmt', '物业管理', { employees: 300, revenueWan: 1000 }, { employees: 100, revenueWan: 500 }, { employees: 1000, revenueWan: 5000 }),
  ind('leasing_business', '租赁和商务服务业', { employees: 100, totalAssetsWan: 8000 }, { employees: 10, totalAssetsWan: 100 }, { employees: 300, totalAssetsWan: 120000 }),
  ind('other', '其他未列明行业', { employees: 100 }, { employees: 10 }, { employees: 300 }),
];

/** By key or by Chinese name. */
export function findIndustry(keyOrZh: string): IndustrySize | undefined {
  const s = keyOrZh.trim();
  return INDUSTRIES.find((i) => i.key === s || i.zh === s);
}

const FEN_PER_WAN = 1_000_000; // 1万元 = 10,000 元 = 1,000,000 分

type Indicator = keyof Thresholds;
const INDICATOR_ZH: Record<Indicator, string> = { employees: '从业人员', revenueWan: '营业收入', totalAssetsWan: '资产总额' };

function meets(t: Thresholds, v: Record<Indicator, number>): boolean {
  return (Object.keys(t) as Indicator[]).every((k) => v[k] >= (k === 'employees' ? t[k]! : t[k]! * FEN_PER_WAN));
}

/**
 * Size from the indicators the industry uses. Money in whole fen (compared exactly: 1万元 = 1,000,000
 * fen). A missing indicator the industry needs fails; NaN (an empty ledger cell) counts as missing.
 * `industry` is a key of INDUSTRIES or its Chinese name.
 */
export function classifySize(input: {
  industry: string;
  employees?: number;
  revenueFen?: number;
  totalAssetsFen?: number;
}): Parsed<EnterpriseSize> {
  const industry = findIndustry(input.industry);
  if (!industry) return fail('size.unknown_industry', `未知行业“${input.industry}”：应为工信部联企业〔2011〕300号的16个行业之一`);
  const given: Record<Indicator, number | undefined> = {
    employees: input.employees,
    revenueWan: input.revenueFen,
    totalAssetsWan: input.totalAssetsFen,
  };
  const needed = new Set([industry.medium, industry.small, industry.ceiling].flatMap((t) => Object.keys(t) as Indicator[]));
  const v = {} as Record<Indicator, number>;
  for (const k of needed) {
    const x = given[k];
    if (x === undefined || Number.isNaN(x)) {
      return fail('size.missing_indicator', `行业“${industry.zh}”划型需要“${INDICATOR_ZH[k]}”，但未填写`);
    }
    if (!Number.isSafeInteger(x)) {
      const unit = k === 'employees' ? '整数（人）' : '整数（分）';
      return fail('size.bad_indicator', `“${INDICATOR_ZH[k]}”应为${unit}，实际为${x}`);
    }
    v[k] = x;
  }
  if (meets(industry.ceiling, v)) return ok('large');
  if (meets(industry.medium, v)) return ok('medium');
  if (meets(industry.small, v)) return ok('small');
  return ok('micro');
}
