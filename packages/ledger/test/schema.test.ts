import { describe, expect, it } from 'vitest';
import { INDUSTRIES } from '@caijin/core';
import { SCHEMA, TABLE_NAMES, headerKeyMap, normalizeHeader, tableOfName, columnOf, INDUSTRY_PAIRS } from '../src/index.ts';

describe('SCHEMA', () => {
  it('has the 16 files of the contract', () => {
    expect(TABLE_NAMES).toEqual([
      'institutions',
      'institution_years',
      'enterprises',
      'loans',
      'loan_balances',
      'loan_losses',
      'guarantees',
      'guarantee_balances',
      'guarantee_events',
      'outlets',
      'special_branches',
      'insurance_products',
      'insurance_policies',
      'securitizations',
      'supply_chain_financings',
      'fintech_projects',
    ]);
  });

  it('uses the Chinese headers the contract writes', () => {
    const zh = (t: keyof typeof SCHEMA, k: string) => columnOf(t, k).zh;
    expect(zh('loans', 'amount')).toBe('合同金额(元)');
    expect(zh('guarantees', 'amount')).toBe('担保金额(元)');
    expect(zh('loans', 'rate_pct')).toBe('年利率(%)');
    expect(zh('enterprises', 'id')).toBe('统一社会信用代码/身份证号');
    expect(zh('institution_years', 'guarantee_equity_investment')).toBe('对其他融资担保机构股权投资(元)');
    expect(zh('institution_years', 'state_capital_begin')).toBe('年初国有资本权益(元)');
    expect(zh('enterprises', 'real_estate')).toBe('房地产企业(项目)');
    expect(zh('guarantees', 'platform')).toBe('是否地方政府融资平台');
    expect(zh('outlets', 'deposit_and_loan')).toBe('开办存贷');
    expect(zh('securitizations', 'issuer_id')).toBe('发行机构');
  });

  it('every key of the contract is present', () => {
    const keys = (t: keyof typeof SCHEMA) => SCHEMA[t].columns.map((c) => c.key);
    expect(keys('institutions')).toEqual(['id', 'name', 'kind', 'region', 'government_backed', 'level']);
    expect(keys('loans')).toEqual(['id', 'bank_id', 'borrower_id', 'amount', 'start_date', 'maturity_date', 'rate_pct', 'products', 'fintech_project_id', 'guarantor_id']);
    expect(keys('guarantees')).toEqual([
      'id', 'guarantor_id', 'bank_id', 'borrower_id', 'kind', 'purpose', 'amount', 'fee_rate_pct', 'start_date', 'end_date', 'bank_risk_share_pct', 'platform', 'reguarantor_id',
    ]);
    expect(keys('outlets')).toEqual(['id', 'bank_id', 'region', 'location', 'opened_date', 'deposit_and_loan']);
    expect(keys('securitizations')).toEqual(['id', 'enterprise_id', 'year', 'interest_paid', 'issuer_fees', 'guarantor_id', 'guarantor_principal_loss', 'issuer_id']);
    expect(keys('fintech_projects')).toEqual(['id', 'bank_id', 'name', 'release_month', 'provincial_endorsement', 'rd_cost']);
  });

  it('industries are the 16 of core, in order', () => {
    expect(INDUSTRY_PAIRS.map(([k, zh]) => ({ k, zh }))).toEqual(INDUSTRIES.map((i) => ({ k: i.key, zh: i.zh })));
    expect(columnOf('enterprises', 'industry').values).toHaveLength(16);
  });

  it('_pct columns and only they are rates; refs point at tables with an id', () => {
    for (const t of TABLE_NAMES) {
      for (const c of SCHEMA[t].columns) {
        expect(c.type === 'rate', `${t}.${c.key}`).toBe(c.key.endsWith('_pct'));
        if (c.ref) {
          expect(SCHEMA[c.ref].columns.some((x) => x.key === 'id')).toBe(true);
          expect(['id', 'uscc', 'party']).toContain(c.type);
          expect(c.key === 'id').toBe(false);
        }
        if (c.type === 'enum' || c.type === 'tags') expect(c.values!.length).toBe(c.labels!.length);
      }
    }
    expect(columnOf('loans', 'borrower_id').ref).toBe('enterprises');
    expect(columnOf('guarantee_events', 'guarantee_id').ref).toBe('guarantees');
    expect(columnOf('supply_chain_financings', 'counterparty_id').ref).toBe('enterprises');
    expect(SCHEMA.institution_years.unique).toEqual(['institution_id', 'year']);
    expect(SCHEMA.guarantee_balances.unique).toEqual(['guarantee_id', 'month']);
  });

  it('matches headers by key, Chinese header and natural variants', () => {
    const m = headerKeyMap('loans');
    for (const h of ['amount', 'AMOUNT', ' Amount ', '合同金额(元)', '合同金额（元）', '合同金额', '金额(元)', '年利率', '年利率（％）']) {
      expect(m.get(normalizeHeader(h)), h).toBe(h.includes('利率') ? 'rate_pct' : 'amount');
    }
    expect(m.get(normalizeHeader('合同金额(万元)'))).toBeUndefined();
    for (const t of TABLE_NAMES) expect(() => headerKeyMap(t)).not.toThrow();
  });

  it('table names from file and sheet names', () => {
    expect(tableOfName('Loans.CSV')).toBe('loans');
    expect(tableOfName('贷款')).toBe('loans');
    expect(tableOfName('loans_2022')).toBeUndefined();
  });
});
