// A small, hand-checked bundle (year 2022) used by the tests, written as CSV or .xlsx.
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeUscc, makeResidentId } from '@caijin/core';

export const BANK = makeUscc('91330300MA0000001');
export const GUAR = makeUscc('91330300MA0000002');
export const REG = makeUscc('91330300MA0000003');
export const INS = makeUscc('91330300MA0000004');
export const E1 = makeUscc('91330302MA0000005'); // small (derived: industry, 50 staff, 2000万 revenue)
export const E2 = makeUscc('91330302MA0000006'); // medium (given)
export const E3 = makeUscc('92330302MA0000007'); // individual business
export const E4 = makeUscc('91330302MA0000008'); // micro (given)
export const F1 = makeResidentId('33030219800101001'); // farmer
export const P1 = 'P-0001'; // small-business owner
/** A valid USCC that no file lists. */
export const NOBODY = makeUscc('91330302MA0000099');

export type Rows = string[][];
export type BundleRows = Record<string, Rows>;

export function baseBundle(): BundleRows {
  return {
    institutions: [
      ['id', 'name', 'kind', 'region', 'government_backed', 'level'],
      [BANK, '温州银行', 'bank', '330300', 'false', 'city'],
      [GUAR, '温州市融资担保有限公司', 'guarantor', '330300', '是', 'city'],
      [REG, '浙江省融资再担保有限公司', '再担保机构', '330000', '是', 'province'],
      [INS, '人保财险温州市分公司', 'insurer', '330300', '否', 'city'],
    ],
    institution_years: [
      ['机构', '年度', '注册资本(元)', '年末净资产(元)', '对其他融资担保机构股权投资(元)', '年初国有资本权益(元)', '年末国有资本权益(元)', '客观因素影响额(元)', '担保准备金余额(元)', '应收代偿款余额(元)'],
      [GUAR, '2022', '200,000,000.00', '300000000', '50000000', '250000000', '270000000', '10000000', '6000000', '3000000'],
    ],
    enterprises: [
      ['id', 'name', 'kind', 'industry', 'employees', 'revenue', 'total_assets', 'size', 'region', 'tax_region', 'mujun_class'],
      [E1, '甲制造有限公司', 'enterprise', 'industry', '50', '20000000', '', '', '330302', '', 'A'],
      [E2, '乙贸易有限公司', 'enterprise', '批发业', '', '', '', 'medium', '330303', '330304', 'B'],
      [E3, '丙个体工商户', 'individual_business', '', '', '', '', '', '330302', '', ''],
      [E4, '丁科技有限公司', '企业', 'software', '', '', '', '微型', '330302', '', ''],
      [F1, '张三', 'farmer', '', '', '', '', '', '330324', '', ''],
      [P1, '李四', 'business_owner', '', '', '', '', '', '330302', '', ''],
    ],
    loans: [
      ['贷款编号', '贷款银行', '借款人', '合同金额(元)', '发放日', '到期日', '年利率(%)', '产品标签', '金融科技项目', '担保机构'],
      ['L1', BANK, E1, '1,000,000.00', '2022-01-10', '2023/1/9', '4.35', 'credit;first_loan', '', ''],
      ['L2', BANK, F1, '200000', '2021年5月1日', '2024-05-01', '5%', 'farmer_asset_trust', '', GUAR],
      ['L3', BANK, E4, '500000.5', '2022-03-15', '2023-03-14', '3.85', 'fintech_project;credit', 'FP1', ''],
    ],
    loan_balances: [
      ['loan_id', 'month', 'balance'],
      ['L1', '2022-01', '1000000'],
      ['L1', '2022-02', '900000'],
      ['L1', '2022-03', '800000'],
      ['L1', '2022-12', '100000'],
      ['L2', '2021-12', '200000'],
      ['L2', '2022-06', '150000'],
      ['L3', '2022-12', '500000.50'],
    ],
    loan_losses: [
      ['loan_id', 'date', 'principal_loss'],
      ['L2', '2022-08-01', '30000.00'],
      ['L2', '2021-10-01', '1000'],
    ],
    guarantees: [
      ['id', 'guarantor_id', 'bank_id', 'borrower_id', 'kind', 'purpose', 'amount', 'fee_rate_pct', 'start_date', 'end_date', 'bank_risk_share_pct', 'platform', 'reguarantor_id'],
      ['GA1', GUAR, BANK, E1, 'loan', 'business', '3000000', '1.0', '2022-03-01', '2023-03-01', '20', 'false', ''],
      ['GA2', GUAR, BANK, E4, 'loan', '经营类', '3000000', '0.8', '2022-04-01', '2023-04-01', '20', 'false', REG],
      ['GA3', GUAR, BANK, E4, 'loan', 'business', '2000000', '0.8', '2021-06-01', '2023-06-01', '', '否', ''],
      ['GA4', GUAR, BANK, E2, 'loan', 'business', '12000000', '1.5', '2022-05-01', '2023-05-01', '', '', ''],
      ['GA5', GUAR, BANK, F1, 'loan', 'business', '2500000', '0.5', '2022-02-01', '2023-02-01', '', '', ''],
      ['GA6', GUAR, BANK, P1, 'loan', 'consumer', '500000', '2.0', '2022-07-01', '2023-07-01', '', '', ''],
      ['GA7', GUAR, '', E2, 'bond', '', '10000000', '1.2', '2022-01-15', '2025-01-15', '', '', ''],
      ['GA8', GUAR, '', E1, 'non_financing', '', '1000000', '', '2022-08-01', '2023-08-01', '', '', ''],
      ['GA9', GUAR, BANK, E3, 'loan', 'business', '1000000', '1', '2021-01-01', '2022-05-10', '', '', REG],
    ],
    guarantee_balances: [
      ['guarantee_id', 'month', 'balance'],
      ['GA1', '2022-12', '3000000'],
      ['GA2', '2022-12', '3000000'],
      ['GA3', '2021-12', '2000000'],
      ['GA3', '2022-12', '2000000'],
      ['GA4', '2022-12', '12000000'],
      ['GA5', '2022-12', '2000000.01'],
      ['GA6', '2022-12', '500000'],
      ['GA7', '2022-12', '10000000'],
      ['GA8', '2022-12', '1000000'],
      ['GA9', '2021-12', '1000000'],
    ],
    guarantee_events: [
      ['guarantee_id', 'date', 'type', 'amount'],
      ['GA9', '2022-05-10', 'compensation', '200000'],
      ['GA9', '2022-05-10', '解除担保', '800000'],
      ['GA9', '2021-12-31', 'release', '100000'],
      ['GA1', '2022-11-01', 'recovery', '50000'],
      ['GA6', '2022-09-01', 'compensation', '100000'],
    ],
    outlets: [
      ['id', 'bank_id', 'region', 'location', 'opened_date', 'deposit_and_loan'],
      ['O1', BANK, '331082', 'town', '2022-03-01', '是'],
    ],
    special_branches: [
      ['id', 'bank_id', 'kind', 'year', 'passed_annual_review'],
      ['SB1', BANK, 'tech', '2022', 'Y'],
    ],
    insurance_products: [
      ['id', 'insurer_id', 'year', 'premium', 'claims', 'stop_sale_loss_ratio_pct'],
      ['IP1', INS, '2022', '1000000', '700000', '60%'],
    ],
    insurance_policies: [
      ['id', 'insurer_id', 'insured_id', 'year', 'insured_amount', 'premium_rate_pct'],
      ['POL1', INS, E1, '2022', '500000', '1.5'],
    ],
    securitizations: [
      ['id', 'enterprise_id', 'year', 'interest_paid', 'issuer_fees', 'guarantor_id', 'guarantor_principal_loss', 'issuer_id'],
      ['S1', E1, '2022', '100000', '20000', GUAR, '0', BANK],
    ],
    supply_chain_financings: [
      ['id', 'core_enterprise_id', 'counterparty_id', 'date', 'amount'],
      ['SC1', E2, E1, '2022-04-01', '300000'],
    ],
    fintech_projects: [
      ['id', 'bank_id', 'name', 'release_month', 'provincial_endorsement', 'rd_cost'],
      ['FP1', BANK, '智慧风控平台', '2022-03', 'true', '2000000'],
    ],
  };
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Rows, eol = '\r\n'): string {
  return rows.map((r) => r.map(csvCell).join(',')).join(eol) + eol;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ledger-test-'));
}

/** Write the bundle as a folder of UTF-8 CSV files; returns the folder. */
export async function writeCsvBundle(b: BundleRows, dir?: string): Promise<string> {
  const d = dir ?? (await tempDir());
  await mkdir(d, { recursive: true });
  for (const [name, rows] of Object.entries(b)) await writeFile(join(d, `${name}.csv`), toCsv(rows));
  return d;
}

/** Replace one cell: table, data row index (0 = first row after the header), column header, value. */
export function setCell(b: BundleRows, table: string, dataRow: number, header: string, value: string): BundleRows {
  const rows = b[table];
  const c = rows[0].indexOf(header);
  if (c < 0) throw new Error(`no column ${header} in ${table}`);
  rows[dataRow + 1][c] = value;
  return b;
}

let gbTable: Map<string, number[]> | undefined;

/**
 * GB18030 bytes of a string, for the characters of the fixtures: a reverse table built by decoding
 * every two-byte GBK sequence with the platform's TextDecoder (no extra dependency).
 */
export function encodeGb18030(text: string): Uint8Array {
  if (!gbTable) {
    gbTable = new Map();
    const dec = new TextDecoder('gb18030');
    const pair = new Uint8Array(2);
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        pair[0] = lead;
        pair[1] = trail;
        const ch = dec.decode(pair);
        if (ch.length === 1 && ch !== '\ufffd' && !gbTable.has(ch)) gbTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out.push(cp);
    else {
      const b = gbTable.get(ch);
      if (!b) throw new Error(`encodeGb18030: no two-byte code for ${ch}`);
      out.push(...b);
    }
  }
  return new Uint8Array(out);
}
