// Non-duplication, as rules read from the documents (not habits): each names what may be paid once
// and cites its clause. The payment ledger checks every payment against them.
export interface BusinessOnceRule {
  kind: 'business_once';
  /** Programme refs whose payments share one "each business once" space. */
  programmes: string[];
  /** Only payments under these clauses (all when absent). */
  clauses?: string[];
  cite: string;
  zh: string;
}

export interface RecipientExclusiveRule {
  kind: 'recipient_exclusive';
  /** Money from this programme (or its funds' uses)… */
  programme: string;
  /** …must not go in the same year to a recipient already supported by programmes of these kinds. */
  againstSupport: ('fee_reduction' | 'compensation')[];
  cite: string;
  zh: string;
}

export type DuplicationRule = BusinessOnceRule | RecipientExclusiveRule;

export const DUPLICATION_RULES: DuplicationRule[] = [
  {
    kind: 'business_once',
    programmes: ['linhai-2021'],
    cite: '临海方案 十五：同一笔业务不重复享受',
    zh: '同一笔业务在临海各项奖补中只能享受一次',
  },
  {
    // A guarantee's compensation may be paid by one programme only: Wenzhou 第八条 and Liaocheng
    // (七) both compensate government guarantors' 代偿.
    kind: 'business_once',
    programmes: ['wenzhou-2022', 'liaocheng-2023'],
    clauses: ['8', '7'],
    cite: '温州第八条、聊城（七）风险补偿：同一笔代偿不得重复补偿',
    zh: '同一笔担保代偿只能获得一次风险补偿',
  },
  {
    kind: 'recipient_exclusive',
    programme: 'tianjin-2019',
    againstSupport: ['fee_reduction', 'compensation'],
    cite: '天津实施方案 四、（三）：与小微企业融资担保降费奖补、中小企业信用担保代偿补偿等政策形成互补，不得对同一主体重复安排资金支持',
    zh: '同一主体已获融资担保降费奖补或代偿补偿资金支持',
  },
];

/** What kind of support a programme's clause gives, for recipient-exclusive rules. */
export const SUPPORT_KIND: Record<string, Record<string, 'fee_reduction' | 'compensation'>> = {
  'liaocheng-2023': { '7': 'compensation', '8': 'fee_reduction' },
  'wenzhou-2022': { '7': 'fee_reduction', '8': 'compensation' },
};

/** Allowed uses of a reward fund, by programme ref. */
export const FUND_PURPOSES: Record<string, { purposes: Record<string, string>; cite: string }> = {
  'tianjin-2019': {
    cite: '天津实施方案 二、（一）及四、（三）：奖励资金用于试点区金融机构的民营和小微企业信贷风险补偿或代偿，或用于试点区政府性融资担保机构资本补充',
    purposes: {
      risk_compensation: '金融机构民营和小微企业信贷风险补偿',
      compensation: '金融机构民营和小微企业信贷代偿',
      guarantor_capital: '政府性融资担保机构资本补充',
    },
  },
};
