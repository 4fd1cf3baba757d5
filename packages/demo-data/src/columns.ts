// The columns each generated file carries, in order, with English keys and the Chinese headers
// of the data contract (shared/data-contract.md §1). The test suite checks the Chinese headers
// against @caijin/ledger's schema, so `headers: 'zh'` bundles import the same way.

export type FileName =
  | 'institutions'
  | 'institution_years'
  | 'enterprises'
  | 'loans'
  | 'loan_balances'
  | 'loan_losses'
  | 'guarantees'
  | 'guarantee_balances'
  | 'guarantee_events'
  | 'outlets'
  | 'special_branches'
  | 'insurance_products'
  | 'insurance_policies'
  | 'securitizations'
  | 'supply_chain_financings'
  | 'fintech_projects';

export const COLUMNS: Record<FileName, readonly (readonly [string, string])[]> = {
  institutions: [
    ['id', '统一社会信用代码'],
    ['name', '名称'],
    ['kind', '机构类型'],
    ['region', '行政区划代码'],
    ['government_backed', '是否政府性'],
    ['level', '层级'],
  ],
  institution_years: [
    ['institution_id', '机构'],
    ['year', '年度'],
    ['registered_capital', '注册资本(元)'],
    ['net_assets', '年末净资产(元)'],
    ['guarantee_equity_investment', '对其他融资担保机构股权投资(元)'],
    ['state_capital_begin', '年初国有资本权益(元)'],
    ['state_capital_end', '年末国有资本权益(元)'],
    ['objective_factors', '客观因素影响额(元)'],
    ['reserves', '担保准备金余额(元)'],
    ['compensation_receivable', '应收代偿款余额(元)'],
  ],
  enterprises: [
    ['id', '统一社会信用代码/身份证号'],
    ['name', '名称'],
    ['kind', '主体类型'],
    ['industry', '行业'],
    ['employees', '从业人员'],
    ['revenue', '营业收入(元)'],
    ['total_assets', '资产总额(元)'],
    ['size', '企业规模'],
    ['region', '注册地行政区划'],
    ['tax_region', '税收缴纳地行政区划'],
    ['tech_enterprise', '科技型企业'],
    ['annual_sales', '年销售收入(元)'],
    ['real_estate', '房地产企业(项目)'],
    ['mujun_class', '亩均评价等级'],
    ['major_incident_year', '重大事故年度'],
  ],
  loans: [
    ['id', '贷款编号'],
    ['bank_id', '贷款银行'],
    ['borrower_id', '借款人'],
    ['amount', '合同金额(元)'],
    ['start_date', '发放日'],
    ['maturity_date', '到期日'],
    ['rate_pct', '年利率(%)'],
    ['products', '产品标签'],
    ['fintech_project_id', '金融科技项目'],
    ['guarantor_id', '担保机构'],
  ],
  loan_balances: [
    ['loan_id', '贷款编号'],
    ['month', '月份'],
    ['balance', '月末余额(元)'],
  ],
  loan_losses: [
    ['loan_id', '贷款编号'],
    ['date', '日期'],
    ['principal_loss', '本金损失(元)'],
  ],
  guarantees: [
    ['id', '担保编号'],
    ['guarantor_id', '担保机构'],
    ['bank_id', '合作银行'],
    ['borrower_id', '被担保人'],
    ['kind', '业务类型'],
    ['purpose', '用途'],
    ['amount', '担保金额(元)'],
    ['fee_rate_pct', '年化担保费率(%)'],
    ['start_date', '起始日'],
    ['end_date', '到期日'],
    ['bank_risk_share_pct', '银行分险比例(%)'],
    ['platform', '是否地方政府融资平台'],
    ['reguarantor_id', '再担保机构'],
  ],
  guarantee_balances: [
    ['guarantee_id', '担保编号'],
    ['month', '月份'],
    ['balance', '月末在保余额(元)'],
  ],
  guarantee_events: [
    ['guarantee_id', '担保编号'],
    ['date', '日期'],
    ['type', '类型'],
    ['amount', '金额(元)'],
  ],
  outlets: [
    ['id', '网点编号'],
    ['bank_id', '银行'],
    ['region', '行政区划代码'],
    ['location', '网点位置'],
    ['opened_date', '开业日期'],
    ['deposit_and_loan', '开办存贷'],
  ],
  special_branches: [
    ['id', '支行编号'],
    ['bank_id', '银行'],
    ['kind', '类型'],
    ['year', '年度'],
    ['passed_annual_review', '通过年度考核'],
  ],
  insurance_products: [
    ['id', '产品编号'],
    ['insurer_id', '保险机构'],
    ['year', '年度'],
    ['premium', '保费(元)'],
    ['claims', '赔款(元)'],
    ['stop_sale_loss_ratio_pct', '停售赔付率(%)'],
  ],
  insurance_policies: [
    ['id', '保单编号'],
    ['insurer_id', '保险机构'],
    ['insured_id', '被保险人'],
    ['year', '年度'],
    ['insured_amount', '保险金额(元)'],
    ['premium_rate_pct', '保险费率(%)'],
  ],
  securitizations: [
    ['id', '项目编号'],
    ['enterprise_id', '企业'],
    ['year', '年度'],
    ['interest_paid', '已付利息(元)'],
    ['issuer_fees', '发行费用(元)'],
    ['guarantor_id', '担保机构'],
    ['guarantor_principal_loss', '担保机构本金损失(元)'],
    ['issuer_id', '发行机构'],
  ],
  supply_chain_financings: [
    ['id', '融资编号'],
    ['core_enterprise_id', '核心企业'],
    ['counterparty_id', '上下游企业'],
    ['date', '日期'],
    ['amount', '融资金额(元)'],
  ],
  fintech_projects: [
    ['id', '项目编号'],
    ['bank_id', '银行'],
    ['name', '项目名称'],
    ['release_month', '上线月份'],
    ['provincial_endorsement', '省级认定'],
    ['rd_cost', '研发投入(元)'],
  ],
};

export const FILE_NAMES = Object.keys(COLUMNS) as FileName[];
