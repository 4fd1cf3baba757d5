// The yearly (or monthly) steps of each programme and their deadlines, as the documents set them.
// A step the document gives no date for says so in its `cite` and takes a platform default that the
// bureau can move.
export type Actor =
  | 'bureau' // 市财政局 and the departments working with it
  | 'district' // district departments, each for its own indicators
  | 'district_finance' // 区县财政部门
  | 'institution' // banks, guarantors, insurers of the programme
  | 'financial_office' // the city's 金融工作部门: platform data (supply-chain finance, securitisation)
  | 'guarantor'; // government financing-guarantee institutions

export interface StepSpec {
  code: string;
  title: string;
  cite: string;
  actor: Actor;
  submission: 'ledger' | 'indicators' | 'materials' | null;
  due: string;
  /** Documents the article requires; a file counts for an item when its name matches `match`. */
  materials?: RequiredMaterial[];
}

export interface RequiredMaterial {
  code: string;
  zh: string;
  match: string;
}

/** 重庆 第十条: the self-evaluation report and its basic materials; （五） is whatever the bureau asks. */
const CHONGQING_SELF_EVALUATION: RequiredMaterial[] = [
  { code: 'report', zh: '绩效自评报告', match: '自评报告' },
  { code: 'plan', zh: '（一）上年度经营计划', match: '经营计划' },
  { code: 'operations', zh: '（二）上年度经营情况报告', match: '经营情况' },
  { code: 'financials', zh: '（三）财务会计报告及审计报告', match: '财务|审计' },
  { code: 'score_sheet', zh: '（四）绩效评价计分表、基础数据表和相关证明材料', match: '计分表|基础数据' },
];

const d = (y: number, m: number, day: number) => `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export const CALENDARS: Record<string, { zh: string; steps: (year: number) => StepSpec[] }> = {
  // 天津: each year Y's pilot districts are chosen early in Y and evaluated by 31 March of Y+1.
  'tianjin-yearly': {
    zh: '天津试点区年度工作',
    steps: (y) => [
      { code: 'plan', title: '制定当年试点区评审方案', cite: '五、（一）每年1月31日前', actor: 'bureau', submission: null, due: d(y, 1, 31) },
      { code: 'application', title: '区申报试点方案、绩效目标及评价指标表', cite: '五、（二）每年2月27日前', actor: 'district_finance', submission: 'materials', due: d(y, 2, 27) },
      { code: 'selection', title: '评审确定试点区名单并报财政部', cite: '五、（三）每年3月31日前', actor: 'bureau', submission: null, due: d(y, 3, 31) },
      { code: 'indicators', title: '填报上年度绩效评价指标表', cite: '五、（四）；填报截止日文件未规定，平台默认3月15日', actor: 'district', submission: 'indicators', due: d(y + 1, 3, 15) },
      { code: 'evaluation', title: '绩效评价并向社会公开结果', cite: '五、（四）每年3月31日前', actor: 'bureau', submission: null, due: d(y + 1, 3, 31) },
    ],
  },
  // 天津 2019: the one-off calendar of 六、.
  'tianjin-2019': {
    zh: '天津2019年度试点区申报和评审',
    steps: () => [
      { code: 'launch', title: '启动准备：召开启动会议、制定实施方案', cite: '六、（一）7月底前', actor: 'bureau', submission: null, due: '2019-07-31' },
      { code: 'application', title: '区申报试点方案、绩效目标及评价指标表', cite: '六、（二）8月20日前', actor: 'district_finance', submission: 'materials', due: '2019-08-20' },
      { code: 'selection', title: '评审择优确定2个区并报财政部', cite: '六、（三）8月31日前', actor: 'bureau', submission: null, due: '2019-08-31' },
      { code: 'indicators', title: '填报2019年度绩效评价指标表', cite: '六、（四）2020年1月1日至3月31日；填报截止日平台默认3月15日', actor: 'district', submission: 'indicators', due: '2020-03-15' },
      { code: 'evaluation', title: '绩效评价并向社会公开结果', cite: '六、（四）2020年3月31日前', actor: 'bureau', submission: null, due: '2020-03-31' },
    ],
  },
  // 重庆: self-evaluation by 31 March, district results to the city by 30 April, then 抽审.
  'chongqing-yearly': {
    zh: '重庆政府性融资担保机构年度绩效评价',
    steps: (y) => [
      { code: 'targets', title: '报送年度绩效评价目标值', cite: '第九条 每年4月30日前', actor: 'district_finance', submission: 'materials', due: d(y, 4, 30) },
      { code: 'self_evaluation', title: '绩效自评：计分表、基础数据表及证明材料', cite: '第十条 每年3月31日前完成上年度绩效自评', actor: 'guarantor', submission: 'indicators', due: d(y + 1, 3, 31) },
      { code: 'self_evaluation_materials', title: '绩效自评报告及基础材料', cite: '第十条（一）至（五）', actor: 'guarantor', submission: 'materials', due: d(y + 1, 3, 31), materials: CHONGQING_SELF_EVALUATION },
      { code: 'district_results', title: '区县报送本级机构绩效评价结果和相关材料', cite: '第十二条 每年4月30日前', actor: 'district_finance', submission: 'materials', due: d(y + 1, 4, 30) },
      { code: 'evaluation', title: '评价结果反馈、抽审', cite: '第十一条、第十二条', actor: 'bureau', submission: null, due: d(y + 1, 4, 30) },
    ],
  },
  // 临海: institutions apply by the end of February of the next year.
  'linhai-yearly': {
    zh: '临海奖补年度申请',
    steps: (y) => [
      { code: 'ledger', title: '报送年度业务数据并提出奖补申请', cite: '五、（三）各金融机构于次年2月底前提出申请', actor: 'institution', submission: 'ledger', due: d(y + 1, 2, lastDayOf(y + 1, 2)) },
      { code: 'award', title: '会同人民银行、银保监审核同意后兑现', cite: '五、（三）', actor: 'bureau', submission: null, due: d(y + 1, 3, 31) },
    ],
  },
  // 温州: the document leaves the window to implementing rules (相关实施细则另行制定).
  'wenzhou-yearly': {
    zh: '温州普惠金融奖补年度兑现',
    steps: (y) => [
      { code: 'ledger', title: '报送年度业务数据', cite: '附则3 相关实施细则另行制定；截止日平台默认次年3月31日', actor: 'institution', submission: 'ledger', due: d(y + 1, 3, 31) },
      { code: 'platform_data', title: '报送应收账款确权融资、技术产权证券化数据', cite: '第五条、第六条；由金融服务平台汇总报送', actor: 'financial_office', submission: 'ledger', due: d(y + 1, 3, 31) },
      { code: 'award', title: '审核兑现', cite: '附则3；平台默认次年4月30日', actor: 'bureau', submission: null, due: d(y + 1, 4, 30) },
    ],
  },
  // 聊城: guarantors report their business every month (按月报备).
  'liaocheng-monthly': {
    zh: '聊城政府性融资担保月度报备',
    steps: (y) => [
      ...Array.from({ length: 12 }, (_, i): StepSpec => {
        const m = i + 1;
        const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
        return {
          code: `month-${String(m).padStart(2, '0')}`,
          title: `${y}年${m}月担保业务情况报备`,
          cite: '（十二）按月报备；报送日文件未规定，平台默认次月10日',
          actor: 'guarantor',
          submission: 'ledger',
          due: d(ny, nm, 10),
        };
      }),
      { code: 'award', title: '年度风险补偿与担保费补贴', cite: '（七）（八）', actor: 'bureau', submission: null, due: d(y + 1, 3, 31) },
    ],
  },
};
