// The 16 files of the data contract (shared/data-contract.md §1): English keys, Chinese headers,
// types, required flags, enum/tag values and foreign keys. This table is the single source of
// truth for the importer; headers are matched by `headerKeyMap` below.
import type { ColumnSchema, ColumnType, TableName, TableSchema } from './types.ts';

type Opts = Omit<ColumnSchema, 'key' | 'zh' | 'type'>;

function col(key: string, zh: string, type: ColumnType, opts: Opts = {}): ColumnSchema {
  return { key, zh, type, ...opts };
}
const req: Opts = { required: true };

/** enum or tags column from [value, 中文] pairs. */
function choice(key: string, zh: string, type: 'enum' | 'tags', pairs: readonly (readonly [string, string])[], opts: Opts = {}): ColumnSchema {
  return col(key, zh, type, { values: pairs.map((p) => p[0]), labels: pairs.map((p) => p[1]), ...opts });
}

const INSTITUTION_KINDS = [
  ['bank', '银行'],
  ['guarantor', '融资担保机构'],
  ['reguarantor', '再担保机构'],
  ['insurer', '保险机构'],
  // Not in contract v1's list; added for issuers of securitizations (证券公司等) and others.
  ['other', '其他金融机构'],
] as const;

/** Industry keys of 工信部联企业〔2011〕300号 as domain-brief.md §4 lists them (checked against @caijin/core INDUSTRIES in the tests). */
export const INDUSTRY_PAIRS = [
  ['agriculture', '农林牧渔业'],
  ['industry', '工业'],
  ['construction', '建筑业'],
  ['wholesale', '批发业'],
  ['retail', '零售业'],
  ['transport', '交通运输业'],
  ['warehousing', '仓储业'],
  ['postal', '邮政业'],
  ['accommodation', '住宿业'],
  ['catering', '餐饮业'],
  ['telecom', '信息传输业'],
  ['software', '软件和信息技术服务业'],
  ['real_estate_dev', '房地产开发经营'],
  ['property_mgmt', '物业管理'],
  ['leasing_business', '租赁和商务服务业'],
  ['other', '其他未列明行业'],
] as const;

export const ENTERPRISE_KINDS = [
  ['enterprise', '企业'],
  ['individual_business', '个体工商户'],
  ['farmer', '农户'],
  ['new_agri_entity', '新型农业经营主体'],
  ['business_owner', '小微企业主'],
] as const;

export const SIZES = [
  ['large', '大型'],
  ['medium', '中型'],
  ['small', '小型'],
  ['micro', '微型'],
] as const;

/** Loan product tags; bit i of a `products` mask is LOAN_PRODUCTS[i][0]. */
export const LOAN_PRODUCTS = [
  ['credit', '信用贷'],
  ['first_loan', '首贷'],
  ['kczs', '科创指数贷'],
  ['ip_pledge', '知识产权质押'],
  ['farmer_asset_trust', '农民资产授托'],
  ['movable_equipment', '机器设备抵押'],
  ['movable_raw_material', '原材料质押'],
  ['movable_semi_finished', '半成品质押'],
  ['movable_product', '产成品质押'],
  ['tech_branch', '科技支行发放'],
  ['flexible_continuous', '灵活贷+连续贷'],
  ['bank_guarantee_batch', '银担批量'],
  ['fintech_project', '金融科技项目贷'],
] as const;

const GUARANTOR_KINDS = ['guarantor', 'reguarantor'] as const;
const BANK = ['bank'] as const;
const INSURER = ['insurer'] as const;

function table(name: TableName, zh: string, columns: ColumnSchema[], unique?: string[]): TableSchema {
  return unique ? { name, zh, columns, unique } : { name, zh, columns };
}

export const SCHEMA: Record<TableName, TableSchema> = {
  institutions: table(
    'institutions',
    '金融机构与担保机构',
    [
      col('id', '统一社会信用代码', 'uscc', req),
      col('name', '名称', 'string', req),
      choice('kind', '机构类型', 'enum', INSTITUTION_KINDS, req),
      col('region', '行政区划代码', 'region'),
      col('government_backed', '是否政府性', 'bool'),
      choice('level', '层级', 'enum', [
        ['province', '省级'],
        ['city', '市级'],
        ['county', '县级'],
      ]),
    ],
    ['id'],
  ),

  institution_years: table(
    'institution_years',
    '机构年度财务',
    [
      col('institution_id', '机构', 'uscc', { required: true, ref: 'institutions' }),
      col('year', '年度', 'year', req),
      col('registered_capital', '注册资本(元)', 'money'),
      col('net_assets', '年末净资产(元)', 'money'),
      col('guarantee_equity_investment', '对其他融资担保机构股权投资(元)', 'money'),
      col('state_capital_begin', '年初国有资本权益(元)', 'money'),
      col('state_capital_end', '年末国有资本权益(元)', 'money'),
      col('objective_factors', '客观因素影响额(元)', 'money'),
      col('reserves', '担保准备金余额(元)', 'money'),
      col('compensation_receivable', '应收代偿款余额(元)', 'money'),
    ],
    ['institution_id', 'year'],
  ),

  enterprises: table(
    'enterprises',
    '市场主体',
    [
      col('id', '统一社会信用代码/身份证号', 'party', req),
      col('name', '名称', 'string'),
      choice('kind', '主体类型', 'enum', ENTERPRISE_KINDS),
      choice('industry', '行业', 'enum', INDUSTRY_PAIRS),
      col('employees', '从业人员', 'int'),
      col('revenue', '营业收入(元)', 'money'),
      col('total_assets', '资产总额(元)', 'money'),
      choice('size', '企业规模', 'enum', SIZES),
      col('region', '注册地行政区划', 'region'),
      col('tax_region', '税收缴纳地行政区划', 'region'),
      col('tech_enterprise', '科技型企业', 'bool'),
      col('annual_sales', '年销售收入(元)', 'money'),
      col('real_estate', '房地产企业(项目)', 'bool'),
      choice('mujun_class', '亩均评价等级', 'enum', [
        ['A', 'A类'],
        ['B', 'B类'],
        ['C', 'C类'],
        ['D', 'D类'],
      ]),
      col('major_incident_year', '重大事故年度', 'year'),
    ],
    ['id'],
  ),

  loans: table(
    'loans',
    '贷款',
    [
      col('id', '贷款编号', 'id', req),
      col('bank_id', '贷款银行', 'uscc', { required: true, ref: 'institutions', refKinds: BANK }),
      col('borrower_id', '借款人', 'party', { required: true, ref: 'enterprises' }),
      col('amount', '合同金额(元)', 'money', { required: true, aliases: ['金额(元)'] }),
      col('start_date', '发放日', 'date', req),
      col('maturity_date', '到期日', 'date'),
      col('rate_pct', '年利率(%)', 'rate'),
      choice('products', '产品标签', 'tags', LOAN_PRODUCTS),
      col('fintech_project_id', '金融科技项目', 'id', { ref: 'fintech_projects' }),
      col('guarantor_id', '担保机构', 'uscc', { ref: 'institutions', refKinds: GUARANTOR_KINDS }),
    ],
    // 贷款编号 is unique per bank (contract §1).
    ['bank_id', 'id'],
  ),

  loan_balances: table(
    'loan_balances',
    '贷款月末余额',
    [
      col('loan_id', '贷款编号', 'id', { required: true, ref: 'loans', runStep: 0 }),
      col('month', '月份', 'month', { required: true, runStep: 1 }),
      col('balance', '月末余额(元)', 'money', { required: true, aliases: ['余额(元)'] }),
      // Added: needed only when the same 贷款编号 is used by two banks.
      col('bank_id', '贷款银行', 'uscc', { ref: 'institutions' }),
    ],
    ['loan_id', 'month'],
  ),

  loan_losses: table('loan_losses', '贷款本金实际损失', [
    col('loan_id', '贷款编号', 'id', { required: true, ref: 'loans' }),
    col('date', '日期', 'date', { required: true, aliases: ['损失日期'] }),
    col('principal_loss', '本金损失(元)', 'money', { required: true, aliases: ['本金实际损失(元)'] }),
    col('bank_id', '贷款银行', 'uscc', { ref: 'institutions' }),
  ]),

  guarantees: table(
    'guarantees',
    '担保业务',
    [
      col('id', '担保编号', 'id', req),
      col('guarantor_id', '担保机构', 'uscc', { required: true, ref: 'institutions', refKinds: GUARANTOR_KINDS }),
      col('bank_id', '合作银行', 'uscc', { ref: 'institutions', refKinds: BANK }),
      col('borrower_id', '被担保人', 'party', { required: true, ref: 'enterprises' }),
      choice(
        'kind',
        '业务类型',
        'enum',
        [
          ['loan', '借款类'],
          ['bond', '发行债券'],
          ['other_financing', '其他融资'],
          ['non_financing', '非融资'],
        ],
        req,
      ),
      choice('purpose', '用途', 'enum', [
        ['business', '经营类'],
        ['consumer', '消费类'],
      ]),
      col('amount', '担保金额(元)', 'money', { required: true, aliases: ['金额(元)'] }),
      col('fee_rate_pct', '年化担保费率(%)', 'rate'),
      col('start_date', '起始日', 'date', req),
      col('end_date', '到期日', 'date'),
      col('bank_risk_share_pct', '银行分险比例(%)', 'rate'),
      col('platform', '是否地方政府融资平台', 'bool'),
      col('reguarantor_id', '再担保机构', 'uscc', { ref: 'institutions', refKinds: GUARANTOR_KINDS }),
    ],
    ['id'],
  ),

  guarantee_balances: table(
    'guarantee_balances',
    '担保月末在保余额',
    [
      col('guarantee_id', '担保编号', 'id', { required: true, ref: 'guarantees', runStep: 0 }),
      col('month', '月份', 'month', { required: true, runStep: 1 }),
      col('balance', '月末在保余额(元)', 'money', { required: true, aliases: ['在保余额(元)', '余额(元)'] }),
    ],
    ['guarantee_id', 'month'],
  ),

  guarantee_events: table('guarantee_events', '解保代偿追偿', [
    col('guarantee_id', '担保编号', 'id', { required: true, ref: 'guarantees' }),
    col('date', '日期', 'date', req),
    choice(
      'type',
      '类型',
      'enum',
      [
        ['release', '解除担保'],
        ['compensation', '代偿'],
        ['recovery', '代偿回收'],
      ],
      req,
    ),
    col('amount', '金额(元)', 'money', req),
  ]),

  outlets: table(
    'outlets',
    '网点',
    [
      col('id', '网点编号', 'id', req),
      col('bank_id', '银行', 'uscc', { required: true, ref: 'institutions', refKinds: BANK }),
      col('region', '行政区划代码', 'region'),
      choice('location', '网点位置', 'enum', [
        ['town', '集镇'],
        ['port_zone', '头门港经济开发区'],
      ]),
      col('opened_date', '开业日期', 'date'),
      col('deposit_and_loan', '开办存贷', 'bool'),
    ],
    ['id'],
  ),

  special_branches: table(
    'special_branches',
    '特色支行',
    [
      col('id', '支行编号', 'id', req),
      col('bank_id', '银行', 'uscc', { required: true, ref: 'institutions', refKinds: BANK }),
      choice(
        'kind',
        '类型',
        'enum',
        [
          ['tech', '科技支行'],
          ['talent', '人才支行'],
        ],
        req,
      ),
      col('year', '年度', 'year', req),
      col('passed_annual_review', '通过年度考核', 'bool'),
    ],
    ['id'],
  ),

  insurance_products: table(
    'insurance_products',
    '保险创新产品',
    [
      col('id', '产品编号', 'id', req),
      col('insurer_id', '保险机构', 'uscc', { required: true, ref: 'institutions', refKinds: INSURER }),
      col('year', '年度', 'year', req),
      col('premium', '保费(元)', 'money', req),
      col('claims', '赔款(元)', 'money', req),
      col('stop_sale_loss_ratio_pct', '停售赔付率(%)', 'rate'),
    ],
    ['id'],
  ),

  insurance_policies: table(
    'insurance_policies',
    '小额贷款保证保险',
    [
      col('id', '保单编号', 'id', req),
      col('insurer_id', '保险机构', 'uscc', { required: true, ref: 'institutions', refKinds: INSURER }),
      col('insured_id', '被保险人', 'party', { required: true, ref: 'enterprises' }),
      col('year', '年度', 'year', req),
      col('insured_amount', '保险金额(元)', 'money', req),
      col('premium_rate_pct', '保险费率(%)', 'rate'),
    ],
    ['id'],
  ),

  securitizations: table(
    'securitizations',
    '技术产权证券化',
    [
      col('id', '项目编号', 'id', req),
      col('enterprise_id', '企业', 'party', { required: true, ref: 'enterprises' }),
      col('year', '年度', 'year', req),
      col('interest_paid', '已付利息(元)', 'money'),
      col('issuer_fees', '发行费用(元)', 'money'),
      col('guarantor_id', '担保机构', 'uscc', { ref: 'institutions' }),
      col('guarantor_principal_loss', '担保机构本金损失(元)', 'money'),
      col('issuer_id', '发行机构', 'uscc', { ref: 'institutions' }),
    ],
    ['id'],
  ),

  supply_chain_financings: table(
    'supply_chain_financings',
    '应收账款确权融资',
    [
      col('id', '融资编号', 'id', req),
      col('core_enterprise_id', '核心企业', 'party', { required: true, ref: 'enterprises' }),
      col('counterparty_id', '上下游企业', 'party', { required: true, ref: 'enterprises' }),
      col('date', '日期', 'date', req),
      col('amount', '融资金额(元)', 'money', { required: true, aliases: ['金额(元)'] }),
    ],
    ['id'],
  ),

  fintech_projects: table(
    'fintech_projects',
    '金融科技项目',
    [
      col('id', '项目编号', 'id', req),
      col('bank_id', '银行', 'uscc', { required: true, ref: 'institutions', refKinds: BANK }),
      col('name', '项目名称', 'string'),
      col('release_month', '上线月份', 'month'),
      col('provincial_endorsement', '省级认定', 'bool'),
      col('rd_cost', '研发投入(元)', 'money'),
    ],
    ['id'],
  ),
};

export const TABLE_NAMES = Object.keys(SCHEMA) as TableName[];

/** Header text as compared: NFKC (full-width → half-width), no whitespace, lower case. */
export function normalizeHeader(h: string): string {
  return h.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** Every accepted spelling of a column's header, normalized. */
export function headerSpellings(c: ColumnSchema): string[] {
  const out = new Set<string>();
  const add = (h: string) => {
    const n = normalizeHeader(h);
    out.add(n);
    // Unit suffix may be left out: "合同金额" for "合同金额(元)", "年利率" for "年利率(%)".
    for (const unit of ['(元)', '(%)']) if (n.endsWith(unit) && n.length > unit.length) out.add(n.slice(0, -unit.length));
  };
  add(c.key);
  add(c.zh);
  for (const a of c.aliases ?? []) add(a);
  return [...out];
}

const headerMaps = new Map<TableName, Map<string, string>>();

/** Normalized header → English key, for one table. Throws if two columns claim a spelling (a schema bug). */
export function headerKeyMap(name: TableName): Map<string, string> {
  let m = headerMaps.get(name);
  if (m) return m;
  m = new Map();
  for (const c of SCHEMA[name].columns) {
    for (const h of headerSpellings(c)) {
      const prev = m.get(h);
      if (prev !== undefined && prev !== c.key) throw new Error(`schema ${name}: header "${h}" claimed by ${prev} and ${c.key}`);
      m.set(h, c.key);
    }
  }
  headerMaps.set(name, m);
  return m;
}

/** Table name from a file or sheet name: the English name (any case, with or without `.csv`) or the Chinese name. */
export function tableOfName(fileName: string): TableName | undefined {
  let n = fileName.normalize('NFKC').trim();
  if (n.toLowerCase().endsWith('.csv')) n = n.slice(0, -4);
  const lower = n.toLowerCase();
  for (const t of TABLE_NAMES) if (t === lower || SCHEMA[t].zh === n) return t;
  return undefined;
}

/** Column schema by English key. */
export function columnOf(name: TableName, key: string): ColumnSchema {
  const c = SCHEMA[name].columns.find((x) => x.key === key);
  if (!c) throw new Error(`no column ${name}.${key}`);
  return c;
}
