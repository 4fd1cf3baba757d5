// The columns each generated file carries, in order (English keys of the data contract). Chinese
// headers come from @caijin/ledger's schema, so `headers: 'zh'` bundles import the same way.

import { SCHEMA, type TableName } from '@caijin/ledger';

export type FileName = TableName;

export const KEYS: Record<FileName, readonly string[]> = {
  institutions: ['id', 'name', 'kind', 'region', 'government_backed', 'level'],
  institution_years: ['institution_id', 'year', 'registered_capital', 'net_assets', 'guarantee_equity_investment', 'state_capital_begin', 'state_capital_end', 'objective_factors', 'reserves', 'compensation_receivable'],
  enterprises: ['id', 'name', 'kind', 'industry', 'employees', 'revenue', 'total_assets', 'size', 'region', 'tax_region', 'tech_enterprise', 'annual_sales', 'real_estate', 'mujun_class', 'major_incident_year'],
  loans: ['id', 'bank_id', 'borrower_id', 'amount', 'start_date', 'maturity_date', 'rate_pct', 'products', 'fintech_project_id', 'guarantor_id'],
  loan_balances: ['loan_id', 'month', 'balance'],
  loan_losses: ['loan_id', 'date', 'principal_loss'],
  guarantees: ['id', 'guarantor_id', 'bank_id', 'borrower_id', 'kind', 'purpose', 'amount', 'fee_rate_pct', 'start_date', 'end_date', 'bank_risk_share_pct', 'platform', 'reguarantor_id'],
  guarantee_balances: ['guarantee_id', 'month', 'balance'],
  guarantee_events: ['guarantee_id', 'date', 'type', 'amount'],
  outlets: ['id', 'bank_id', 'region', 'location', 'opened_date', 'deposit_and_loan'],
  special_branches: ['id', 'bank_id', 'kind', 'year', 'passed_annual_review'],
  insurance_products: ['id', 'insurer_id', 'year', 'premium', 'claims', 'stop_sale_loss_ratio_pct'],
  insurance_policies: ['id', 'insurer_id', 'insured_id', 'year', 'insured_amount', 'premium_rate_pct'],
  securitizations: ['id', 'enterprise_id', 'year', 'interest_paid', 'issuer_fees', 'guarantor_id', 'guarantor_principal_loss', 'issuer_id'],
  supply_chain_financings: ['id', 'core_enterprise_id', 'counterparty_id', 'date', 'amount'],
  fintech_projects: ['id', 'bank_id', 'name', 'release_month', 'provincial_endorsement', 'rd_cost'],
};

function zhHeader(file: FileName, key: string): string {
  const c = SCHEMA[file].columns.find((x) => x.key === key);
  if (!c) throw new Error(`demo-data: ${file}.${key} is not a contract column`);
  return c.zh;
}

/** [English key, Chinese header] per column, in the order the generator writes them. */
export const COLUMNS: Record<FileName, readonly (readonly [string, string])[]> = Object.fromEntries(
  (Object.keys(KEYS) as FileName[]).map((f) => [f, KEYS[f].map((k) => [k, zhHeader(f, k)] as const)]),
) as unknown as Record<FileName, readonly (readonly [string, string])[]>;

export const FILE_NAMES = Object.keys(COLUMNS) as FileName[];
