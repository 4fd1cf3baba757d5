// Uses of a reward fund: only the purposes the document allows, never more than received, and
// not to a 主体 already supported by the programmes it must complement (Tianjin 四、（三）).
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { ApiError, conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { fenOf, yuan } from './amounts.ts';
import { programmeFor } from './payments.ts';
import { DUPLICATION_RULES, FUND_PURPOSES, SUPPORT_KIND } from './rules.ts';

export async function fundBalance(db: Sql, programmeId: string, unitId: string) {
  const [r] = await db.query<{ received: string; used: string }>(
    `SELECT (SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE programme_id = $1 AND recipient = $2)::text AS received,
            (SELECT COALESCE(SUM(amount_fen), 0) FROM fund_uses WHERE programme_id = $1 AND unit_id = $2)::text AS used`,
    [programmeId, unitId],
  );
  const received = BigInt(r.received);
  const used = BigInt(r.used);
  return { received: yuan(received), used: yuan(used), balance: yuan(received - used), fen: { received, used } };
}

export async function recordFundUse(
  db: Database,
  p: Principal,
  input: { programme: string; unit: string; purpose: string; amount: string; usedOn: string; description: string; beneficiary?: string },
) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const g = await programmeFor(db, p, input.programme);
  if (!seesUnit(p, input.unit)) throw notFound('单位');
  const rules = FUND_PURPOSES[g.ref];
  if (!rules) throw invalid('fund.not_tracked', '该项目没有专项资金用途限制');
  const amount = fenOf(input.amount, 'amount');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.usedOn)) throw invalid('used_on.format', '使用日期应为 YYYY-MM-DD');
  const refuse = async (key: string, zh: string, details?: unknown): Promise<never> => {
    await db.transaction((tx) => appendAudit(tx, { actor: p.accountId, role: p.role, action: 'fund.use_refused', object: null, detail: { ...input, key } }));
    throw new ApiError(409, key, zh, details);
  };
  if (!(input.purpose in rules.purposes)) {
    return refuse('fund.purpose_forbidden', `奖励资金不得用于“${input.description}”（${input.purpose}）。允许的用途：${Object.values(rules.purposes).join('、')}（${rules.cite}）`);
  }
  // The same 主体 may not also hold fee-reduction or compensation support that year.
  if (input.beneficiary) {
    const rule = DUPLICATION_RULES.find((r) => r.kind === 'recipient_exclusive' && r.programme === g.ref);
    if (rule && rule.kind === 'recipient_exclusive') {
      const other = await db.query<{ id: string; programme_id: string; ref: string; clause: string; amount_fen: string; paid_on: string; voucher: string }>(
        `SELECT p.id, p.programme_id, g.ref, p.clause, p.amount_fen::text AS amount_fen, to_char(p.paid_on, 'YYYY-MM-DD') AS paid_on, p.voucher
           FROM payments p JOIN programmes g ON g.id = p.programme_id WHERE p.recipient = $1 AND to_char(p.paid_on, 'YYYY') = $2`,
        [input.beneficiary, input.usedOn.slice(0, 4)],
      );
      const clash = other.filter((o) => {
        const k = SUPPORT_KIND[o.ref]?.[o.clause];
        return k !== undefined && rule.againstSupport.includes(k);
      });
      if (clash.length) {
        return refuse('fund.recipient_supported', `${rule.zh}：${input.beneficiary} 已于 ${clash[0].paid_on} 获 ${clash[0].programme_id} 第${clash[0].clause}条 ${yuan(clash[0].amount_fen)} 元（${rule.cite}）`, clash);
      }
    }
  }
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7003)');
    const b = await fundBalance(tx, g.id, input.unit);
    if (amount > b.fen.received - b.fen.used) throw conflict('fund.insufficient', `余额不足：已到账 ${b.received} 元，已使用 ${b.used} 元`);
    const id = randomUUID();
    await tx.query(
      'INSERT INTO fund_uses (id, programme_id, unit_id, purpose, amount_fen, used_on, description, beneficiary, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [id, g.id, input.unit, input.purpose, amount.toString(), input.usedOn, input.description, input.beneficiary ?? null, p.accountId],
    );
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'fund.use', object: id, detail: { programme: g.id, unit: input.unit, purpose: input.purpose, amount: yuan(amount), beneficiary: input.beneficiary ?? null } });
    const after = await fundBalance(tx, g.id, input.unit);
    return { id, balance: after.balance };
  });
}
