// What is particular to each demo city: its region codes and their weights, its banks,
// guarantors, reguarantor, insurers and securities firms, and which loan products its banks sell.
import { REGIONS, WENZHOU_MOUNTAIN_COUNTIES, WENZHOU_URBAN } from '@caijin/core';

export type DemoCity = 'wenzhou' | 'linhai' | 'liaocheng';

/** A guarantor's fee policy: weights over fee rates in hundredths of a percent (70 = 0.70%). */
export interface FeeProfile {
  rates: readonly number[];
  weights: readonly number[];
  /** Every small/micro business guarantee at exactly this rate (a 统一费率 guarantor). */
  flat?: number;
}

export interface GuarantorSpec {
  name: string;
  level: 'province' | 'city' | 'county';
  government: boolean;
  region: string;
  /** 统一社会信用代码 category: '91' company, '12' public institution (事业单位). */
  category: '91' | '12';
  /** Relative share of the city's guaranteed loans. */
  share: number;
  /** Regions it serves (county guarantors); empty = the whole city. */
  serves: readonly string[];
  fees: FeeProfile;
  /** Target 代偿率 (compensation / released) of its small/micro business, as a fraction. */
  compensationRate: number;
  /** Monthly-average small/micro in-force balance ÷ registered capital (Wenzhou 第九条's 8×); 0 = free. */
  capitalMultiple: number;
}

export interface CityConfig {
  city: DemoCity;
  zh: string;
  defaultYear: number;
  /** Code of the city itself (institutions registered at city level). */
  cityRegion: string;
  /** Codes of the province (reguarantor) and the province's capital (securities firms). */
  provinceRegion: string;
  capitalRegion: string;
  /** County-level units where enterprises register, with weights. */
  regions: readonly (readonly [string, number])[];
  /** Suffix for branches of national banks, e.g. 温州分行. */
  branchSuffix: string;
  localBanks: readonly string[];
  guarantors: readonly GuarantorSpec[];
  reguarantor: string;
  insurerSuffix: string;
  securities: readonly string[];
  /** Weights of enterprise kinds: enterprise, individual_business, farmer, new_agri_entity, business_owner. */
  kindWeights: readonly number[];
  /** Per-product multipliers of the base frequencies (0 = the city's banks do not sell it). */
  products: Readonly<Record<string, number>>;
  hasPortZone: boolean;
  /** Zhejiang-style 亩均论英雄 grades for industrial enterprises. */
  mujun: boolean;
}

export const FEES = {
  low: { rates: [40, 50, 60, 70, 75, 80, 90, 100], weights: [6, 33, 16, 24, 4, 7, 6, 4] },
  flat90: { rates: [90, 100, 120], weights: [6, 3, 1], flat: 90 },
  county: { rates: [50, 70, 80, 90, 100, 120, 150], weights: [8, 14, 10, 16, 32, 14, 6] },
  commercial: { rates: [100, 120, 150, 180, 200], weights: [10, 15, 25, 20, 30] },
  xinbao: { rates: [50, 70, 75, 80, 90, 100], weights: [15, 22, 18, 15, 10, 20] },
  caixin: { rates: [70, 80, 90, 100, 120], weights: [10, 20, 20, 35, 15] },
} as const satisfies Record<string, FeeProfile>;

function name(code: string): string {
  const n = REGIONS.get(code);
  if (!n) throw new Error(`demo-data: region ${code} has no name in @caijin/core REGIONS`);
  return n;
}

const urban = [...WENZHOU_URBAN];
const mountain = [...WENZHOU_MOUNTAIN_COUNTIES];

function countyGuarantor(code: string, share: number, compensationRate: number, fees: FeeProfile = FEES.county): GuarantorSpec {
  return {
    name: `${name(code)}融资担保有限公司`,
    level: 'county',
    government: true,
    region: code,
    category: '91',
    share,
    serves: [code],
    fees,
    compensationRate,
    capitalMultiple: 0,
  };
}

export const CITIES: Record<DemoCity, CityConfig> = {
  wenzhou: {
    city: 'wenzhou',
    zh: '温州',
    defaultYear: 2022,
    cityRegion: '330300',
    provinceRegion: '330000',
    capitalRegion: '330100',
    regions: [
      [urban[0], 26], [urban[1], 15], [urban[2], 20], [urban[3], 4], // 市区: 鹿城, 龙湾, 瓯海, 洞头
      [mountain[0], 4], [mountain[1], 3.5], [mountain[2], 3.5], [mountain[3], 1.5], [mountain[4], 1.5], // 山区5县
      ['330381', 9], ['330382', 9], ['330383', 3], // 瑞安, 乐清, 龙港
    ],
    branchSuffix: '温州分行',
    localBanks: [
      '温州银行股份有限公司', '浙江温州鹿城农村商业银行股份有限公司', '浙江温州瓯海农村商业银行股份有限公司',
      '浙江温州龙湾农村商业银行股份有限公司', '浙江瑞安农村商业银行股份有限公司', '浙江乐清农村商业银行股份有限公司',
      '浙江永嘉农村商业银行股份有限公司', '浙江平阳农村商业银行股份有限公司', '浙江苍南农村商业银行股份有限公司',
      '温州民商银行股份有限公司', '浙江文成农村商业银行股份有限公司', '浙江泰顺农村商业银行股份有限公司',
      '宁波银行股份有限公司温州分行', '杭州银行股份有限公司温州分行', '台州银行股份有限公司温州分行',
      '浙江泰隆商业银行股份有限公司温州分行', '浙江民泰商业银行股份有限公司温州分行', '浙江稠州商业银行股份有限公司温州分行',
      '上海银行股份有限公司温州分行', '浙江温州洞头农村商业银行股份有限公司', '浙江龙港农村商业银行股份有限公司',
      '永嘉恒升村镇银行股份有限公司', '瑞安华峰村镇银行股份有限公司', '乐清联合村镇银行股份有限公司',
      '温州鹿城联合村镇银行股份有限公司', '苍南建信村镇银行股份有限公司', '平阳浦发村镇银行股份有限公司',
    ],
    guarantors: [
      // 市融担公司: busy enough to pass 第九条's 8× registered capital; low fees (第七条 ≤0.7% band).
      { name: '温州市融资担保有限公司', level: 'city', government: true, region: '330300', category: '91', share: 46, serves: [], fees: FEES.low, compensationRate: 0.024, capitalMultiple: 10.5 },
      // second city-level government guarantor: below 8×, a flat 0.9% (第七条's boundary), higher 代偿率.
      { name: '温州市中小企业融资担保有限公司', level: 'city', government: true, region: '330300', category: '91', share: 14, serves: [], fees: FEES.flat90, compensationRate: 0.045, capitalMultiple: 5.2 },
      countyGuarantor('330381', 12, 0.008),
      { name: '温州东方融资担保股份有限公司', level: 'city', government: false, region: '330302', category: '91', share: 5, serves: [], fees: FEES.commercial, compensationRate: 0.07, capitalMultiple: 0 },
      countyGuarantor('330382', 8, 0.015),
      countyGuarantor(mountain[0], 5, 0.062),
      countyGuarantor(mountain[2], 5, 0.092),
      countyGuarantor(mountain[1], 5, 0.003),
      { name: '温州信达融资担保有限公司', level: 'county', government: false, region: '330304', category: '91', share: 3, serves: ['330304'], fees: FEES.commercial, compensationRate: 0.035, capitalMultiple: 0 },
    ],
    reguarantor: '浙江省融资担保有限公司',
    insurerSuffix: '温州市分公司',
    securities: ['浙商证券股份有限公司', '财通证券股份有限公司', '中信证券股份有限公司'],
    kindWeights: [52, 22, 14, 4, 8],
    products: {
      credit: 1, first_loan: 1, kczs: 1, ip_pledge: 1, farmer_asset_trust: 1,
      movable_equipment: 0.5, movable_raw_material: 0.5, movable_semi_finished: 0.5, movable_product: 0.5,
      tech_branch: 0.6, flexible_continuous: 1, bank_guarantee_batch: 1, fintech_project: 0.3,
    },
    hasPortZone: false,
    mujun: true,
  },
  linhai: {
    city: 'linhai',
    zh: '临海',
    defaultYear: 2021,
    cityRegion: '331082',
    provinceRegion: '330000',
    capitalRegion: '330100',
    regions: [['331082', 1]],
    branchSuffix: '临海支行',
    localBanks: [
      '浙江临海农村商业银行股份有限公司', '台州银行股份有限公司临海支行', '浙江泰隆商业银行股份有限公司临海支行',
      '浙江民泰商业银行股份有限公司临海支行', '临海湖商村镇银行股份有限公司', '浙江稠州商业银行股份有限公司临海支行',
      '宁波银行股份有限公司临海支行', '杭州银行股份有限公司临海支行',
    ],
    guarantors: [
      // 台州信保基金: a public institution (事业单位), the city-level government guarantor of 第十一条.
      { name: '台州市小微企业信用保证基金运营中心', level: 'city', government: true, region: '331000', category: '12', share: 62, serves: [], fees: FEES.xinbao, compensationRate: 0.012, capitalMultiple: 9.5 },
      countyGuarantor('331082', 22, 0.028),
      { name: '临海市中小企业信用担保有限公司', level: 'county', government: false, region: '331082', category: '91', share: 8, serves: [], fees: FEES.commercial, compensationRate: 0.055, capitalMultiple: 0 },
      { name: '临海市农业信贷融资担保有限公司', level: 'county', government: true, region: '331082', category: '91', share: 8, serves: [], fees: FEES.county, compensationRate: 0.004, capitalMultiple: 0 },
      { name: '台州市融资担保有限公司', level: 'city', government: false, region: '331000', category: '91', share: 4, serves: [], fees: FEES.commercial, compensationRate: 0.085, capitalMultiple: 0 },
    ],
    reguarantor: '浙江省融资担保有限公司',
    insurerSuffix: '临海支公司',
    securities: ['浙商证券股份有限公司', '财通证券股份有限公司'],
    kindWeights: [50, 24, 16, 4, 6],
    products: {
      credit: 1, first_loan: 1.3, kczs: 0, ip_pledge: 0.8, farmer_asset_trust: 0,
      movable_equipment: 1.5, movable_raw_material: 1.5, movable_semi_finished: 1.5, movable_product: 1.5,
      tech_branch: 1, flexible_continuous: 0, bank_guarantee_batch: 0.3, fintech_project: 1,
    },
    hasPortZone: true,
    mujun: true,
  },
  liaocheng: {
    city: 'liaocheng',
    zh: '聊城',
    defaultYear: 2023,
    cityRegion: '371500',
    provinceRegion: '370000',
    capitalRegion: '370100',
    regions: [
      ['371502', 24], ['371503', 11], ['371521', 10], ['371522', 12], ['371524', 7], ['371525', 10], ['371526', 8], ['371581', 13],
    ],
    branchSuffix: '聊城分行',
    localBanks: [
      '山东聊城农村商业银行股份有限公司', '齐鲁银行股份有限公司聊城分行', '齐商银行股份有限公司聊城分行',
      '山东临清农村商业银行股份有限公司', '山东冠县农村商业银行股份有限公司', '山东莘县农村商业银行股份有限公司',
      '山东阳谷农村商业银行股份有限公司', '山东东阿农村商业银行股份有限公司', '山东高唐农村商业银行股份有限公司',
      '山东茌平农村商业银行股份有限公司', '威海银行股份有限公司聊城分行', '临商银行股份有限公司聊城分行',
      '日照银行股份有限公司聊城分行', '莱商银行股份有限公司聊城分行', '青岛银行股份有限公司聊城分行',
      '潍坊银行股份有限公司聊城分行', '德州银行股份有限公司聊城分行', '泰安银行股份有限公司聊城分行',
    ],
    guarantors: [
      { name: '聊城市财信融资担保有限公司', level: 'city', government: true, region: '371500', category: '91', share: 45, serves: [], fees: FEES.caixin, compensationRate: 0.021, capitalMultiple: 11 },
      { name: '聊城市中小企业融资担保有限公司', level: 'city', government: true, region: '371500', category: '91', share: 15, serves: [], fees: FEES.county, compensationRate: 0.066, capitalMultiple: 4.5 },
      countyGuarantor('371581', 9, 0.005),
      { name: '聊城金信融资担保有限公司', level: 'city', government: false, region: '371502', category: '91', share: 6, serves: [], fees: FEES.commercial, compensationRate: 0.095, capitalMultiple: 0 },
      countyGuarantor('371522', 7, 0.04),
      countyGuarantor('371525', 6, 0.012),
      countyGuarantor('371521', 6, 0.03),
      countyGuarantor('371526', 6, 0.075),
    ],
    reguarantor: '山东省投融资担保集团有限公司',
    insurerSuffix: '聊城中心支公司',
    securities: ['中泰证券股份有限公司', '国元证券股份有限公司'],
    kindWeights: [40, 22, 28, 6, 4],
    products: {
      credit: 1, first_loan: 1, kczs: 0, ip_pledge: 0.5, farmer_asset_trust: 0,
      movable_equipment: 0.5, movable_raw_material: 0.5, movable_semi_finished: 0.5, movable_product: 0.5,
      tech_branch: 0.3, flexible_continuous: 0, bank_guarantee_batch: 1, fintech_project: 0,
    },
    hasPortZone: false,
    mujun: true,
  },
};

/** National banks: branches are named brand + the city's suffix. The first ones are the largest. */
export const NATIONAL_BANKS = [
  '中国工商银行股份有限公司', '中国农业银行股份有限公司', '中国银行股份有限公司', '中国建设银行股份有限公司',
  '交通银行股份有限公司', '中国邮政储蓄银行股份有限公司', '浙商银行股份有限公司', '招商银行股份有限公司',
  '兴业银行股份有限公司', '中信银行股份有限公司', '中国民生银行股份有限公司', '上海浦东发展银行股份有限公司',
  '中国光大银行股份有限公司', '华夏银行股份有限公司', '平安银行股份有限公司', '广发银行股份有限公司',
  '恒丰银行股份有限公司', '渤海银行股份有限公司', '中国农业发展银行', '国家开发银行',
];

export const INSURERS = [
  '中国人民财产保险股份有限公司', '中国平安财产保险股份有限公司', '中国太平洋财产保险股份有限公司',
  '中国人寿财产保险股份有限公司', '中华联合财产保险股份有限公司', '中国大地财产保险股份有限公司',
  '阳光财产保险股份有限公司', '太平财产保险有限公司', '华安财产保险股份有限公司', '永安财产保险股份有限公司',
  '浙商财产保险股份有限公司', '紫金财产保险股份有限公司', '英大泰和财产保险股份有限公司', '安诚财产保险股份有限公司',
  '天安财产保险股份有限公司', '都邦财产保险股份有限公司', '鼎和财产保险股份有限公司', '诚泰财产保险股份有限公司',
  '长安责任保险股份有限公司', '中银保险有限公司',
];

export function regionNameOf(code: string): string {
  return name(code);
}

