// Plausible Chinese names for people, companies, shops, cooperatives and projects.
import type { Rng } from './rng.ts';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛段雷龙黎史陶贺毛郝顾龚邵万钱戴严莫孔向常汤康易乔赖文施池倪项虞应麻';
// the more common surnames come first: draw with a skew towards them
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌辉鹏飞志红玲燕波宇浩凯健俊帆帅旭宁晨阳晓东海林峰琳雪梅兰慧婷倩颖佳欣怡嘉振宏永成荣德胜福庆春立新亮正清晶瑞云';
const BRAND1 = '华宏恒鑫永盛嘉瑞德丰金源天信正泰康汇创隆兴达通昌顺利和新安宝美中联广鼎诚益嘉欧豪博凯光明东南越海';
const BRAND2 = '达兴源泰信盛发祥丰华康通宇顺利成业昌隆辉鸿腾邦科联威力阳升晟远翔凯锐韵峰诚晖';

const INDUSTRY_WORDS: Record<string, readonly string[]> = {
  agriculture: ['农业开发', '生态农业', '农业科技', '果蔬种植', '水产养殖', '茶业'],
  industry: ['鞋业', '服饰', '阀门', '泵业', '电气', '机械', '汽摩配件', '眼镜', '塑料制品', '印刷包装', '五金制品', '新材料', '皮革', '电器', '模具', '化工', '食品'],
  construction: ['建设工程', '建筑工程', '装饰工程', '市政工程', '水利工程'],
  wholesale: ['贸易', '商贸', '进出口', '供应链管理', '物资'],
  retail: ['商贸', '超市', '百货', '医药连锁', '家居'],
  transport: ['物流', '运输', '客运', '货运代理'],
  warehousing: ['仓储', '冷链物流', '仓储服务'],
  postal: ['快递服务', '速递'],
  accommodation: ['酒店管理', '宾馆', '度假村'],
  catering: ['餐饮管理', '餐饮', '食府'],
  telecom: ['通信技术', '网络科技', '通信工程'],
  software: ['信息技术', '软件科技', '数字科技', '智能科技', '数据科技'],
  real_estate_dev: ['置业', '房地产开发', '房地产'],
  property_mgmt: ['物业服务', '物业管理'],
  leasing_business: ['企业管理咨询', '设备租赁', '商务服务', '人力资源', '广告'],
  other: ['文化传媒', '科技服务', '环保科技', '健康管理', '教育科技'],
};

const SHOPS = ['便利店', '小吃店', '五金店', '服装店', '汽车修理部', '理发店', '水果店', '农资店', '面馆', '民宿', '建材经营部', '电器维修部', '超市', '茶馆', '日杂店', '副食品店', '快餐店', '烟酒店', '手机店', '眼镜店'];
const FARM_PRODUCTS = ['果蔬', '杨梅', '茶叶', '柑橘', '蔬菜', '粮食', '畜禽', '水产', '食用菌', '花卉苗木', '中药材', '葡萄'];

function skewedChar(rng: Rng, s: string): string {
  const u = rng.next();
  return s[Math.floor(u * u * s.length)];
}

export function personName(rng: Rng): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return skewedChar(rng, SURNAMES) + given;
}

export function brand(rng: Rng): string {
  return rng.pick(BRAND1) + rng.pick(BRAND2);
}

/** e.g. 温州市鹿城区恒信鞋业有限公司. `place` is the region prefix (温州市鹿城区, 瑞安市...). */
export function companyName(rng: Rng, place: string, industry: string, large: boolean): string {
  const words = INDUSTRY_WORDS[industry] ?? INDUSTRY_WORDS.other;
  const suffix = large && rng.chance(0.5) ? '股份有限公司' : '有限公司';
  return place + brand(rng) + rng.pick(words) + suffix;
}

export function shopName(rng: Rng, place: string): string {
  return rng.chance(0.5) ? `${place}${skewedChar(rng, SURNAMES)}记${rng.pick(SHOPS)}` : `${place}${brand(rng)}${rng.pick(SHOPS)}`;
}

export function agriEntityName(rng: Rng, place: string): { name: string; cooperative: boolean } {
  if (rng.chance(0.6)) return { name: `${place}${brand(rng)}${rng.pick(FARM_PRODUCTS)}专业合作社`, cooperative: true };
  return { name: `${place}${personName(rng)}家庭农场`, cooperative: false };
}

export function platformName(place: string, i: number): string {
  const kinds = ['城市建设投资集团有限公司', '城市发展集团有限公司', '交通投资集团有限公司', '国有资本投资运营有限公司'];
  return place + kinds[i % kinds.length];
}

export const FINTECH_PROJECTS = [
  '小微企业智能风控平台', '企业码贷款秒批系统', '供应链金融线上平台', '农户信用画像模型', '融资通平台对接项目',
  '掌上办贷移动端', '数字普惠授信模型', '线上续贷无还本系统', '知识产权质押线上评估', '科创企业评价模型',
  '个体工商户整村授信系统', '动产融资统一登记对接', '税务数据信用贷系统', '政府采购合同融资平台', '银担直连系统',
];
