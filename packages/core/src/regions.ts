// GB/T 2260 administrative region codes (行政区划代码). Any 6-digit code with a real province
// prefix is accepted; REGIONS names the codes the seed policies use.
import { type Parsed, ok, fail } from './parsed.ts';

/** Province-level units (省级): code prefix → name. */
const PROVINCES: ReadonlyArray<readonly [string, string]> = [
  ['11', '北京市'], ['12', '天津市'], ['13', '河北省'], ['14', '山西省'], ['15', '内蒙古自治区'],
  ['21', '辽宁省'], ['22', '吉林省'], ['23', '黑龙江省'],
  ['31', '上海市'], ['32', '江苏省'], ['33', '浙江省'], ['34', '安徽省'], ['35', '福建省'], ['36', '江西省'], ['37', '山东省'],
  ['41', '河南省'], ['42', '湖北省'], ['43', '湖南省'], ['44', '广东省'], ['45', '广西壮族自治区'], ['46', '海南省'],
  ['50', '重庆市'], ['51', '四川省'], ['52', '贵州省'], ['53', '云南省'], ['54', '西藏自治区'],
  ['61', '陕西省'], ['62', '甘肃省'], ['63', '青海省'], ['64', '宁夏回族自治区'], ['65', '新疆维吾尔自治区'],
  ['71', '台湾省'], ['81', '香港特别行政区'], ['82', '澳门特别行政区'],
];
const PROVINCE_CODES: ReadonlySet<string> = new Set(PROVINCES.map(([c]) => c));

/** Is `pp` (two digits) a province-level code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82)? */
export function isProvinceCode(pp: string): boolean {
  return PROVINCE_CODES.has(pp);
}

export function validateRegionCode(text: string): Parsed<string> {
  const s = text.trim();
  if (s === '') return fail('region.empty', '行政区划代码为空');
  if (!/^\d{6}$/.test(s)) return fail('region.format', '行政区划代码应为6位数字（GB/T 2260），如 330302');
  if (!isProvinceCode(s.slice(0, 2))) {
    return fail('region.province', `行政区划代码前两位“${s.slice(0, 2)}”不是有效的省级代码`);
  }
  return ok(s);
}

type Entry = readonly [string, string];
const TIANJIN: Entry[] = [
  ['120101', '和平区'], ['120102', '河东区'], ['120103', '河西区'], ['120104', '南开区'], ['120105', '河北区'],
  ['120106', '红桥区'], ['120110', '东丽区'], ['120111', '西青区'], ['120112', '津南区'], ['120113', '北辰区'],
  ['120114', '武清区'], ['120115', '宝坻区'], ['120116', '滨海新区'], ['120117', '宁河区'], ['120118', '静海区'],
  ['120119', '蓟州区'],
];
const WENZHOU: Entry[] = [
  ['330302', '鹿城区'], ['330303', '龙湾区'], ['330304', '瓯海区'], ['330305', '洞头区'],
  ['330324', '永嘉县'], ['330326', '平阳县'], ['330327', '苍南县'], ['330328', '文成县'], ['330329', '泰顺县'],
  ['330381', '瑞安市'], ['330382', '乐清市'], ['330383', '龙港市'],
];
const CHONGQING_D: Entry[] = [
  ['500101', '万州区'], ['500102', '涪陵区'], ['500103', '渝中区'], ['500104', '大渡口区'], ['500105', '江北区'],
  ['500106', '沙坪坝区'], ['500107', '九龙坡区'], ['500108', '南岸区'], ['500109', '北碚区'], ['500110', '綦江区'],
  ['500111', '大足区'], ['500112', '渝北区'], ['500113', '巴南区'], ['500114', '黔江区'], ['500115', '长寿区'],
  ['500116', '江津区'], ['500117', '合川区'], ['500118', '永川区'], ['500119', '南川区'], ['500120', '璧山区'],
  ['500151', '铜梁区'], ['500152', '潼南区'], ['500153', '荣昌区'], ['500154', '开州区'], ['500155', '梁平区'],
  ['500156', '武隆区'],
];
const CHONGQING_C: Entry[] = [
  ['500229', '城口县'], ['500230', '丰都县'], ['500231', '垫江县'], ['500233', '忠县'], ['500235', '云阳县'],
  ['500236', '奉节县'], ['500237', '巫山县'], ['500238', '巫溪县'], ['500240', '石柱土家族自治县'],
  ['500241', '秀山土家族苗族自治县'], ['500242', '酉阳土家族苗族自治县'], ['500243', '彭水苗族土家族自治县'],
];
const LIAOCHENG: Entry[] = [
  ['371502', '东昌府区'], ['371503', '茌平区'], ['371521', '阳谷县'], ['371522', '莘县'], ['371524', '东阿县'],
  ['371525', '冠县'], ['371526', '高唐县'], ['371581', '临清市'],
];
const OTHERS: Entry[] = [
  ['330300', '温州市'], ['331000', '台州市'], ['331082', '临海市'], ['371500', '聊城市'],
  // provincial capitals where banks' provincial branches sit (the demo's 省级分行)
  ['330100', '杭州市'], ['370100', '济南市'],
  // cities named in the published results of the domain brief §7
  ['210300', '鞍山市'], ['211000', '辽阳市'], ['611000', '商洛市'], ['610403', '杨陵区'],
];

/** Code → Chinese name: every province plus the prefecture/county codes of the seed policies. */
export const REGIONS: ReadonlyMap<string, string> = new Map<string, string>([
  ...PROVINCES.map(([c, n]): Entry => [c + '0000', n]),
  ...TIANJIN, ...WENZHOU, ...CHONGQING_D, ...CHONGQING_C, ...LIAOCHENG, ...OTHERS,
]);

/** Name of a known code; undefined for a valid but unlisted code. */
export function regionName(code: string): string | undefined {
  return REGIONS.get(code);
}

const codes = (es: Entry[]): ReadonlySet<string> => new Set(es.map(([c]) => c));

/** 天津 16 districts. */
export const TIANJIN_DISTRICTS = codes(TIANJIN);
/** 温州市区: 鹿城, 龙湾, 瓯海, 洞头. */
export const WENZHOU_URBAN = codes(WENZHOU.slice(0, 4));
/** 温州山区5县: 永嘉, 平阳, 苍南, 文成, 泰顺. */
export const WENZHOU_MOUNTAIN_COUNTIES = codes(WENZHOU.slice(4, 9));
/** 重庆 26 districts and 12 counties. */
export const CHONGQING_DISTRICTS = codes(CHONGQING_D);
export const CHONGQING_COUNTIES = codes(CHONGQING_C);
/** 聊城's 8 county-level units (2 districts, 5 counties, 临清市). */
export const LIAOCHENG_COUNTIES = codes(LIAOCHENG);
