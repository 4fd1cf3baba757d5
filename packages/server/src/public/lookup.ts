// 惠企政策一键查: an enterprise (or farmer) describes itself and its financing, and sees the clauses
// that pay enterprises directly, with an estimate and the reasons, computed by the same rules on a
// one-enterprise bundle; with its USCC it also sees what published results already grant it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeUscc, validateUscc } from '@caijin/core';
import { loadBundle, BundleError } from '@caijin/ledger';
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

/** The clauses whose recipient is the enterprise itself, run on the profile as a one-row bundle. */
export async function lookupProfile(p: LookupProfile): Promise<LookupClause[]> {
  const region = /^\d{6}$/.test(p.region ?? '') ? p.region! : '330300';
  const eid = p.uscc && validateUscc(p.uscc).ok ? p.uscc.trim().toUpperCase() : 'P-LOOKUP-1';
  const bank = makeUscc(`91${region}MA0000001`);
  const balance = money(p.tech_branch_loan_balance, '科技支行贷款月均余额');
  const interest = money(p.securitization_interest, '证券化融资利息');
  // 营业收入 defaults to the 年销售收入 given: enough to classify the size (工信部联企业〔2011〕300号).
  const out: LookupClause[] = [];
  for (const id of listPolicyIds()) {
    const policy = loadPolicy(id);
    const clauses = policy.clauses.filter((c) => c.recipientTable === 'enterprises');
    if (!clauses.length) continue;
    const year = p.year ?? yearOf(policy.effective.from) ?? new Date().getFullYear();
    const dir = mkdtempSync(join(tmpdir(), 'caijin-lookup-'));
    try {
      writeFileSync(join(dir, 'institutions.csv'), csv([['id', 'name', 'kind', 'region'], [bank, '（测算用）科技支行', 'bank', region]]));
      writeFileSync(join(dir, 'enterprises.csv'), csv([
        ['id', 'name', 'kind', 'industry', 'employees', 'revenue', 'total_assets', 'region', 'tech_enterprise', 'annual_sales'],
        [eid, p.name ?? '', p.kind ?? 'enterprise', p.industry || 'other', (p.employees ?? '').replace(/\D/g, ''), money(p.revenue || p.annual_sales, '营业收入'), money(p.total_assets, '资产总额'), region, p.tech_enterprise ? 'true' : 'false', money(p.annual_sales, '年销售收入')],
      ]));
      if (balance) {
        writeFileSync(join(dir, 'loans.csv'), csv([['id', 'bank_id', 'borrower_id', 'amount', 'start_date', 'maturity_date', 'products'], ['LOOKUP-1', bank, eid, balance, `${year - 1}-12-01`, `${year + 1}-12-01`, 'tech_branch']]));
        const months: (string | number)[][] = [['loan_id', 'month', 'balance']];
        for (let m = 0; m <= 12; m++) months.push(['LOOKUP-1', m === 0 ? `${year - 1}-12` : `${year}-${String(m).padStart(2, '0')}`, balance]);
        writeFileSync(join(dir, 'loan_balances.csv'), csv(months));
      }
      if (interest) writeFileSync(join(dir, 'securitizations.csv'), csv([['id', 'enterprise_id', 'year', 'interest_paid'], ['LOOKUP-S1', eid, year, interest]]));
      let bundle;
      try {
        bundle = await loadBundle(dir);
      } catch (e) {
        if (e instanceof BundleError) throw invalid('lookup.profile', '企业信息有误：' + e.errors.map((x) => `${x.column ?? ''} ${x.zh}`).join('；'), e.errors);
        throw e;
      }
      const r = computePolicy(policy, bundle, year, { clauses: clauses.map((c) => c.id), focus: [eid], trace: true });
      for (const c of clauses) {
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
                : `所填情况不满足条件（${c.where?.source ?? c.eligible?.source ?? c.text}）`;
        out.push({ policy: id, policy_title: policy.title, clause: c.id, title: c.title, citation: c.citation, text: c.text, qualifies, amount: award?.amount ?? '0.00', reason, trace: award?.trace ?? [] });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out.sort((a, b) => Number(b.qualifies) - Number(a.qualifies));
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
