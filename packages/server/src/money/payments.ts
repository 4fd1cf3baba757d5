// 兑现台账: one ledger of payments across programmes, each with the business it rests on. Before
// a payment is written, the non-duplication rules run: the same business twice in one payment,
// the same business already paid under a rule's programmes, the same recipient already supported
// by a programme it must not be combined with. A refusal shows both payments.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { ApiError, conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { fenOf, yuan } from './amounts.ts';
import { DUPLICATION_RULES, SUPPORT_KIND, type BusinessOnceRule } from './rules.ts';

export interface BusinessRef {
  kind: 'loan' | 'guarantee' | 'outlet' | 'project' | 'policy' | 'branch';
  id: string;
  category?: string;
}

export interface PaymentInput {
  programme: string;
  cycle?: string;
  application?: string;
  recipient: string;
  recipientName?: string;
  clause: string;
  category?: string;
  amount: string;
  paidOn: string;
  voucher: string;
  business?: BusinessRef[];
}

export interface PaymentRow {
  id: string;
  programme_id: string;
  ref: string;
  recipient: string;
  clause: string;
  category: string | null;
  amount: string;
  paid_on: string;
  voucher: string;
}

const PAYMENT_COLUMNS = `p.id, p.programme_id, g.ref, p.recipient, p.clause, p.category, p.amount_fen::text AS amount_fen, to_char(p.paid_on, 'YYYY-MM-DD') AS paid_on, p.voucher`;
const shown = (r: PaymentRow & { amount_fen?: string }) => ({ id: r.id, programme: r.programme_id, clause: r.clause, category: r.category, recipient: r.recipient, amount: r.amount ?? yuan(r.amount_fen!), paid_on: r.paid_on, voucher: r.voucher });

export async function programmeFor(db: Sql, p: Principal, id: string): Promise<{ id: string; ref: string; owner_unit: string }> {
  const [g] = await db.query<{ id: string; ref: string; owner_unit: string }>('SELECT id, ref, owner_unit FROM programmes WHERE id = $1', [id]);
  if (!g || !seesUnit(p, g.owner_unit)) throw notFound('项目');
  return g;
}

/** Every rule problem with this payment; empty when it may be paid. */
export async function duplicationProblems(tx: Sql, ref: string, input: { recipient: string; clause: string; paidOn: string; business: BusinessRef[]; programme: string }) {
  const problems: { key: string; zh: string; cite: string; business?: BusinessRef; existing?: ReturnType<typeof shown> }[] = [];
  // The same business twice in one payment (e.g. one loan under two categories).
  const seen = new Map<string, BusinessRef>();
  for (const b of input.business) {
    const k = `${b.kind}:${b.id}`;
    const before = seen.get(k);
    if (before) {
      const rule = DUPLICATION_RULES.find((r): r is BusinessOnceRule => r.kind === 'business_once' && r.programmes.includes(ref));
      problems.push({ key: 'payment.business_twice', zh: `${b.kind === 'loan' ? '贷款' : '业务'} ${b.id} 在本次兑现中被计入两个类别（${before.category ?? '—'}、${b.category ?? '—'}）`, cite: rule?.cite ?? '同一笔业务不重复享受', business: b });
    } else seen.set(k, b);
  }
  for (const rule of DUPLICATION_RULES) {
    if (rule.kind === 'business_once') {
      if (!rule.programmes.includes(ref) || (rule.clauses && !rule.clauses.includes(input.clause))) continue;
      for (const b of seen.values()) {
        const prior = await tx.query<PaymentRow & { amount_fen: string }>(
          `SELECT ${PAYMENT_COLUMNS} FROM payment_business x JOIN payments p ON p.id = x.payment_id JOIN programmes g ON g.id = p.programme_id
            WHERE x.kind = $1 AND x.business_id = $2 AND g.ref = ANY($3) AND ($4::text[] IS NULL OR p.clause = ANY($4))`,
          [b.kind, b.id, rule.programmes, rule.clauses ?? null],
        );
        for (const e of prior) problems.push({ key: 'payment.duplicate', zh: `${rule.zh}：${b.id} 已于 ${e.paid_on} 由 ${e.programme_id} 第${e.clause}条兑现（凭证 ${e.voucher}）`, cite: rule.cite, business: b, existing: shown(e) });
      }
    } else {
      // The recipient may not hold both kinds of support in one year.
      const year = input.paidOn.slice(0, 4);
      const kind = SUPPORT_KIND[ref]?.[input.clause];
      if (kind && rule.againstSupport.includes(kind)) {
        const uses = await tx.query<{ id: string; programme_id: string; amount_fen: string; used_on: string; purpose: string }>(
          `SELECT u.id, u.programme_id, u.amount_fen::text AS amount_fen, to_char(u.used_on, 'YYYY-MM-DD') AS used_on, u.purpose FROM fund_uses u JOIN programmes g ON g.id = u.programme_id
            WHERE g.ref = $1 AND u.beneficiary = $2 AND to_char(u.used_on, 'YYYY') = $3`,
          [rule.programme, input.recipient, year],
        );
        for (const u of uses) problems.push({ key: 'payment.recipient_supported', zh: `${rule.zh}：${input.recipient} 已于 ${u.used_on} 获 ${u.programme_id} 奖励资金支持 ${yuan(u.amount_fen)} 元`, cite: rule.cite });
      }
    }
  }
  return problems;
}

export async function recordPayment(db: Database, p: Principal, input: PaymentInput) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const g = await programmeFor(db, p, input.programme);
  const amount = fenOf(input.amount, 'amount');
  if (amount <= 0n) throw invalid('amount.positive', '兑现金额应大于0');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.paidOn)) throw invalid('paid_on.format', '兑现日期应为 YYYY-MM-DD');
  if (!input.voucher?.trim()) throw invalid('voucher.empty', '须填写支付凭证号');
  const business = input.business ?? [];
  return db.transaction(async (tx) => {
    // One payment decision at a time, so two clerks cannot pay the same business at once.
    await tx.query('SELECT pg_advisory_xact_lock(7002)');
    if (input.application) {
      const [a] = await tx.query<{ status: string; verification: { lines: { clause: string; computed: string }[] } }>('SELECT status, verification FROM applications WHERE id = $1', [input.application]);
      if (!a) throw notFound('申报');
      if (a.status !== 'approved') throw conflict('application.state', '申报尚未经各部门审核同意，不能兑现');
      const line = a.verification.lines.find((l) => l.clause === input.clause);
      const paid = await tx.query<{ s: string }>('SELECT COALESCE(SUM(amount_fen), 0)::text AS s FROM payments WHERE application_id = $1 AND clause = $2', [input.application, input.clause]);
      if (!line || BigInt(paid[0].s) + amount > fenOf(line.computed, 'computed')) {
        throw conflict('payment.over_verified', `兑现金额超过核定金额（第${input.clause}条核定 ${line?.computed ?? '0.00'} 元，已兑现 ${yuan(paid[0].s)} 元）`);
      }
    }
    const problems = await duplicationProblems(tx, g.ref, { recipient: input.recipient, clause: input.clause, paidOn: input.paidOn, business, programme: g.id });
    if (problems.length) throw new ApiError(409, 'payment.refused', `兑现被拒绝：${problems[0].zh}`, problems);
    const id = randomUUID();
    await tx.query(
      `INSERT INTO payments (id, programme_id, cycle_id, application_id, recipient, recipient_name, clause, category, amount_fen, paid_on, voucher, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, g.id, input.cycle ?? null, input.application ?? null, input.recipient, input.recipientName ?? null, input.clause, input.category ?? null, amount.toString(), input.paidOn, input.voucher, p.accountId],
    );
    for (const b of business) await tx.query('INSERT INTO payment_business (payment_id, kind, business_id, category) VALUES ($1, $2, $3, $4)', [id, b.kind, b.id, b.category ?? null]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'payment.record', object: id, detail: { programme: g.id, clause: input.clause, recipient: input.recipient, amount: yuan(amount), business: business.length, voucher: input.voucher } });
    return { id, amount: yuan(amount) };
  }).catch(async (e) => {
    // A refusal is an action too: it goes into the audit chain on its own, after the rollback.
    if (e instanceof ApiError && e.key === 'payment.refused') {
      await db.transaction((tx) => appendAudit(tx, { actor: p.accountId, role: p.role, action: 'payment.refused', object: null, detail: { programme: g.id, clause: input.clause, recipient: input.recipient, amount: input.amount, problems: e.details } }));
    }
    throw e;
  });
}

export async function paymentLedger(db: Sql, p: Principal, programme?: string) {
  if (!can(p.role, 'money.manage') && !can(p.role, 'application.review')) throw forbidden();
  const rows = await db.query<PaymentRow & { amount_fen: string; owner_unit: string }>(
    `SELECT ${PAYMENT_COLUMNS}, g.owner_unit FROM payments p JOIN programmes g ON g.id = p.programme_id WHERE ($1::text IS NULL OR p.programme_id = $1) ORDER BY p.paid_on, p.id`,
    [programme ?? null],
  );
  return rows.filter((r) => seesUnit(p, r.owner_unit)).map(shown);
}
