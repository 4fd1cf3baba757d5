// 惠企政策一键查: an enterprise (or farmer) describes itself and its financing, and sees the clauses
// that pay enterprises directly, with an estimate and the reasons, computed by the same rules on a
// one-enterprise bundle; with its USCC it also sees what published results already grant it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatYuan, formatYuanGrouped, makeUscc, parseMoneyFen, validateUscc } from '@caijin/core';
import { loadBundle, BundleError, type Bundle } from '@caijin/ledger';
import { strs } from '../compute/columns.ts';
import { computePolicy, listPolicyIds, loadPolicy, type TraceStep } from '@caijin/rules';
import type { Database } from '../db/types.ts';
import { invalid } from '../http/errors.ts';

export interface LookupProfile {
  uscc?: string;
  name?: string;
  kind?: string;
  industry?: string;
  region?: string;
  employees?: string;
  revenue?: string;
  total_assets?: string;
  annual_sales?: string;
  tech_enterprise?: boolean;
  /** 向科技支行所获贷款的月均余额 (元). */
  tech_branch_loan_balance?: string;
  /** 技术产权证券化融资的年度利息 (元). */
  securitization_interest?: string;
  /** 拟融资金额 (元), for the clauses that reach it through a guarantor or insurer; 100万 if not given. */
  financing_amount?: string;
  /** 供应链金融核心企业: counterparties financed, financings confirmed, their total (元). */
  supply_chain_counterparties?: string;
  supply_chain_financings?: string;
  supply_chain_amount?: string;
  year?: number;
}

export interface LookupClause {
  policy: string;
  policy_title: string;
  clause: string;
  title: string;
  citation: string;
  text: string;
  qualifies: boolean;
  amount: string;
  reason: string;
  trace: TraceStep[];
  /** Paid to the enterprise itself, or to the guarantor / insurer serving it. */
  via: 'direct' | 'guarantee' | 'insurance';
}

const MONEY = /^\d{1,13}(\.\d{1,2})?$/;
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c))).join(',')).join('\n') + '\n';
const money = (v: string | undefined, what: string) => {
  const s = (v ?? '').trim().replaceAll(',', '');
  if (s === '') return '';
  if (!MONEY.test(s)) throw invalid('lookup.money', `${what}应为以元为单位的金额，如 3000000 或 3000000.00`);
  return s;
};

function yearOf(text: string | undefined): number | null {
  const m = text ? /^(\d{4})/.exec(String(text)) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Clauses that pay an institution for serving borrowers like this one (通过金融机构惠及): the
 * enterprise benefits through lower fees. Each is run on the profile with one hypothetical
 * business of that kind, so "may qualify" comes from the clause's own conditions.
 */
const CHANNELS: { policy: string; clause: string; via: 'guarantee' | 'insurance'; zh: string }[] = [
  { policy: 'wenzhou-2022', clause: '4', via: 'insurance', zh: '办理年化费率不超过1.2%的小额贷款保证保险时，保险机构可获保费补助' },
  { policy: 'wenzhou-2022', clause: '7', via: 'guarantee', zh: '通过市级政府性融资担保机构办理经营类贷款担保时，担保机构可获阶梯式保费补贴（费率越低补贴越高）' },
];

const HYPOTHETICAL_FINANCING = '1000000.00';
const grouped = (yuan: string) => {
  const f = parseMoneyFen(yuan);
  return f.ok ? formatYuanGrouped(f.value) : yuan;
};

/** The profile as a small bundle in the data contract's files, written to `dir`. */
function writeProfileBundle(dir: string, p: LookupProfile, eid: string, region: string, year: number) {
  const bank = makeUscc(`91${region}MA0000001`);
  const guarantor = makeUscc(`91${region}MA0000002`);
  const insurer = makeUscc(`91${region}MA0000003`);
  const balance = money(p.tech_branch_loan_balance, '科技支行贷款月均余额');
  const interest = money(p.securitization_interest, '证券化融资利息');
  const financing = money(p.financing_amount, '拟融资金额') || HYPOTHETICAL_FINANCING;
  const enterprises: (string | number)[][] = [
    ['id', 'name', 'kind', 'industry', 'employees', 'revenue', 'total_assets', 'region', 'tech_enterprise', 'annual_sales'],
    // 营业收入 defaults to the 年销售收入 given: enough to classify the size (工信部联企业〔2011〕300号).
    [eid, p.name ?? '', p.kind ?? 'enterprise', p.industry || 'other', (p.employees ?? '').replace(/\D/g, ''), money(p.revenue || p.annual_sales, '营业收入'), money(p.total_assets, '资产总额'), region, p.tech_enterprise ? 'true' : 'false', money(p.annual_sales, '年销售收入')],
  ];
  writeFileSync(join(dir, 'institutions.csv'), csv([
    ['id', 'name', 'kind', 'region', 'government_backed', 'level'],
    [bank, '（测算用）科技支行', 'bank', region, 'false', ''],
    [guarantor, '（测算用）市级政府性融资担保机构', 'guarantor', region, 'true', 'city'],
    [insurer, '（测算用）保险机构', 'insurer', region, 'false', ''],
  ]));
  if (balance) {
    writeFileSync(join(dir, 'loans.csv'), csv([['id', 'bank_id', 'borrower_id', 'amount', 'start_date', 'maturity_date', 'products'], ['LOOKUP-1', bank, eid, balance, `${year - 1}-12-01`, `${year + 1}-12-01`, 'tech_branch']]));
    const months: (string | number)[][] = [['loan_id', 'month', 'balance']];
    for (let m = 0; m <= 12; m++) months.push(['LOOKUP-1', m === 0 ? `${year - 1}-12` : `${year}-${String(m).padStart(2, '0')}`, balance]);
    writeFileSync(join(dir, 'loan_balances.csv'), csv(months));
  }
  if (interest) writeFileSync(join(dir, 'securitizations.csv'), csv([['id', 'enterprise_id', 'year', 'interest_paid'], ['LOOKUP-S1', eid, year, interest]]));
  // 供应链金融: the financings it confirmed for its counterparties, the amount shared out in whole fen.
  const n = Math.min(Math.max(Number((p.supply_chain_financings ?? '').replace(/\D/g, '')) || 0, 0), 500);
  const parties = Math.min(Math.max(Number((p.supply_chain_counterparties ?? '').replace(/\D/g, '')) || 0, 0), n);
  const chainTotal = money(p.supply_chain_amount, '确权融资金额');
  if (n > 0 && parties > 0 && chainTotal) {
    const parsed = parseMoneyFen(chainTotal);
    const fen = parsed.ok ? BigInt(parsed.value) : 0n;
    const rows: (string | number)[][] = [['id', 'core_enterprise_id', 'counterparty_id', 'date', 'amount']];
    for (let i = 0; i < n; i++) {
      const share = fen / BigInt(n) + (BigInt(i) < fen % BigInt(n) ? 1n : 0n);
      rows.push([`LOOKUP-SC${i + 1}`, eid, `P-LOOKUP-CP${(i % parties) + 1}`, `${year}-06-30`, formatYuan(share)]);
    }
    for (let c = 1; c <= parties; c++) enterprises.push([`P-LOOKUP-CP${c}`, `（测算用）上下游企业${c}`, 'enterprise', 'other', '10', '', '', region, 'false', '']);
    writeFileSync(join(dir, 'supply_chain_financings.csv'), csv(rows));
  }
  writeFileSync(join(dir, 'enterprises.csv'), csv(enterprises));
  writeFileSync(join(dir, 'guarantees.csv'), csv([
    ['id', 'guarantor_id', 'borrower_id', 'kind', 'purpose', 'amount', 'fee_rate_pct', 'start_date', 'end_date'],
    ['LOOKUP-G1', guarantor, eid, 'loan', 'business', financing, '0.5%', `${year}-03-01`, `${year + 1}-02-28`],
  ]));
  writeFileSync(join(dir, 'guarantee_balances.csv'), csv([['guarantee_id', 'month', 'balance'], ['LOOKUP-G1', `${year}-12`, financing]]));
  writeFileSync(join(dir, 'insurance_policies.csv'), csv([
    ['id', 'insurer_id', 'insured_id', 'year', 'insured_amount', 'premium_rate_pct'],
    ['LOOKUP-I1', insurer, eid, year, financing, '1.2%'],
  ]));
  return { guarantor, insurer, financing };
}

const SIZE_ZH: Record<string, string> = { large: '大型企业', medium: '中型企业', small: '小型企业', micro: '微型企业' };
/** The profile's size as the importer classified it (工信部联企业〔2011〕300号), in words. */
const sizeZh = (bundle: Bundle) => SIZE_ZH[strs(bundle.tables.enterprises, 'size')(0)] ?? '';

/** Whether a policy applies where the profile is registered (its issuer's 行政区划). */
function inJurisdiction(code: string | undefined, region: string): boolean {
  if (!code) return true;
  const prefix = code.replace(/(00)+$/, '');
  return region.startsWith(prefix);
}

/** The clauses whose recipient is the enterprise itself, run on the profile as a small bundle. */
export async function lookupProfile(p: LookupProfile): Promise<LookupClause[]> {
  const region = /^\d{6}$/.test(p.region ?? '') ? p.region! : '330300';
  const eid = p.uscc && validateUscc(p.uscc).ok ? p.uscc.trim().toUpperCase() : 'P-LOOKUP-1';
  const out: LookupClause[] = [];
  for (const id of listPolicyIds()) {
    const policy = loadPolicy(id);
    if (!inJurisdiction(policy.jurisdiction?.code, region)) continue;
    const direct = policy.clauses.filter((c) => c.recipientTable === 'enterprises');
    const channels = CHANNELS.filter((x) => x.policy === id);
    if (!direct.length && !channels.length) continue;
    const year = p.year ?? yearOf(policy.effective.from) ?? new Date().getFullYear();
    const dir = mkdtempSync(join(tmpdir(), 'caijin-lookup-'));
    try {
      const hyp = writeProfileBundle(dir, p, eid, region, year);
      let bundle;
      try {
        bundle = await loadBundle(dir);
      } catch (e) {
        if (e instanceof BundleError) throw invalid('lookup.profile', '企业信息有误：' + [...new Set(e.errors.map((x) => x.zh))].join('；'), e.errors);
        throw e;
      }
      const wanted = [...direct.map((c) => c.id), ...channels.map((x) => x.clause)];
      const r = computePolicy(policy, bundle, year, { clauses: wanted, focus: [eid, hyp.guarantor, hyp.insurer], trace: true });
      for (const c of direct) {
        const award = r.awards.find((a) => a.clause === c.id && a.recipient === eid);
        const summary = r.clauses.find((x) => x.clause === c.id);
        const excluded = r.excluded.find((x) => x.clause === c.id && x.recipient === eid);
        const qualifies = !!award && award.amount !== '0.00';
        const reason = qualifies
          ? '符合条件，按所填情况测算'
          : excluded
            ? `不予享受：${excluded.exclusions.join('、')}`
            : summary?.status === 'missing_data'
              ? '未填写相关融资情况'
              : summary?.status === 'out_of_period'
                ? '不在政策有效期内'
                : `所填情况不满足条件（${c.eligible?.source ?? c.where?.source ?? c.text}）`;
        out.push({ policy: id, policy_title: policy.title, clause: c.id, title: c.title, citation: c.citation, text: c.text, qualifies, amount: award?.amount ?? '0.00', reason, trace: award?.trace ?? [], via: 'direct' });
      }
      for (const ch of channels) {
        const c = policy.clauses.find((x) => x.id === ch.clause);
        if (!c) continue;
        const who = ch.via === 'guarantee' ? hyp.guarantor : hyp.insurer;
        const award = r.awards.find((a) => a.clause === c.id && a.recipient === who);
        const qualifies = !!award && award.amount !== '0.00';
        const base = `按${ch.via === 'guarantee' ? '担保' : '保险'}金额 ${grouped(hyp.financing)} 元测算`;
        const reason = qualifies
          ? `${ch.zh}；${base}，机构可获约 ${grouped(award!.amount)} 元`
          : `该条款只计小微企业和“三农”主体的业务；按所填情况，贵单位${sizeZh(bundle) ? `划型为${sizeZh(bundle)}` : '不属于该范围'}`;
        out.push({ policy: id, policy_title: policy.title, clause: c.id, title: c.title, citation: c.citation, text: c.text, qualifies, amount: award?.amount ?? '0.00', reason, trace: award?.trace ?? [], via: ch.via });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out.sort((a, b) => Number(b.qualifies) - Number(a.qualifies) || Number(a.via !== 'direct') - Number(b.via !== 'direct'));
}

/** What published results grant this USCC already (public data: the 公示 lists). */
export async function publishedFor(db: Database, uscc: string) {
  const rows = await db.query<{ id: string; title: string; year: number; notice_until: string; result: { awards?: { clause: string; recipient: string; recipient_name?: string; amount: string; citation: string }[] } }>(
    `SELECT k.id, p.title, c.year, to_char(k.notice_until, 'YYYY-MM-DD') AS notice_until, k.result FROM computations k JOIN cycles c ON c.id = k.cycle_id JOIN programmes p ON p.id = c.programme_id
      WHERE k.status = 'published' AND p.kind = 'policy' ORDER BY k.published_at DESC`,
  );
  const out = [];
  for (const r of rows) {
    for (const a of r.result.awards ?? []) {
      if (a.recipient === uscc) out.push({ computation: r.id, title: r.title, year: r.year, clause: a.clause, citation: a.citation, name: a.recipient_name ?? null, amount: a.amount });
    }
  }
  return out;
}
