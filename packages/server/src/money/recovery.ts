// 追回: a case raised by a result (Tianjin: below 70, the whole reward) or by a finding (false
// reporting, an inspection), followed event by event to recovered or written off.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { fenOf, yuan } from './amounts.ts';
import { programmeFor } from './payments.ts';

/** Raise a case for every unit a published result disqualifies, for what it has received. */
export async function casesFromResult(db: Database, p: Principal, computationId: string) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const [k] = await db.query<{ status: string; programme_id: string; year: number; result: { results?: { unit: string; score: string; consequences: string[] }[] } }>(
    'SELECT k.status, c.programme_id, c.year, k.result FROM computations k JOIN cycles c ON c.id = k.cycle_id WHERE k.id = $1',
    [computationId],
  );
  if (!k) throw notFound('计算');
  const g = await programmeFor(db, p, k.programme_id);
  if (k.status !== 'published') throw conflict('recovery.unpublished', '只能依据已发布的评价结果追回');
  const raised: { id: string; unit: string; amount: string }[] = [];
  await db.transaction(async (tx) => {
    for (const r of k.result.results ?? []) {
      if (!r.consequences.includes('disqualified_clawback')) continue;
      const [paid] = await tx.query<{ s: string }>('SELECT COALESCE(SUM(amount_fen), 0)::text AS s FROM payments WHERE programme_id = $1 AND recipient = $2', [g.id, r.unit]);
      if (BigInt(paid.s) === 0n) continue; // nothing received, nothing to recover
      const [dup] = await tx.query('SELECT 1 FROM recovery_cases WHERE programme_id = $1 AND unit_id = $2 AND reason = $3 AND source = $4', [g.id, r.unit, 'below_threshold', computationId]);
      if (dup) continue;
      const id = randomUUID();
      await tx.query(
        `INSERT INTO recovery_cases (id, programme_id, unit_id, reason, cite, amount_fen, source, status, created_by) VALUES ($1, $2, $3, 'below_threshold', $4, $5, $6, 'open', $7)`,
        [id, g.id, r.unit, '天津实施方案 二、（三）：低于70分的，取消试点资格，追回全部奖励资金', paid.s, computationId, p.accountId],
      );
      await tx.query(`INSERT INTO recovery_events (case_id, kind, amount_fen, note, created_by) VALUES ($1, 'raised', $2, $3, $4)`, [id, paid.s, `${k.year}年度评价得分 ${r.score}，低于70分`, p.accountId]);
      await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'recovery.raise', object: id, detail: { unit: r.unit, amount: yuan(paid.s), score: r.score, computation: computationId } });
      raised.push({ id, unit: r.unit, amount: yuan(paid.s) });
    }
  });
  return raised;
}

export async function raiseCase(db: Database, p: Principal, input: { programme: string; unit: string; reason: 'false_reporting' | 'finding'; cite: string; amount: string; note: string }) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const g = await programmeFor(db, p, input.programme);
  if (!seesUnit(p, input.unit)) throw notFound('单位');
  if (!input.cite?.trim() || !input.note?.trim()) throw invalid('recovery.basis', '追回须写明依据和事实');
  const amount = fenOf(input.amount, 'amount');
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(`INSERT INTO recovery_cases (id, programme_id, unit_id, reason, cite, amount_fen, source, status, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)`, [id, g.id, input.unit, input.reason, input.cite, amount.toString(), id, p.accountId]);
    await tx.query(`INSERT INTO recovery_events (case_id, kind, amount_fen, note, created_by) VALUES ($1, 'raised', $2, $3, $4)`, [id, amount.toString(), input.note, p.accountId]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'recovery.raise', object: id, detail: { ...input } });
  });
  return { id, status: 'open' };
}

async function caseOf(db: Sql, p: Principal, id: string) {
  const [c] = await db.query<{ id: string; programme_id: string; unit_id: string; status: string; amount_fen: string; owner_unit: string }>(
    'SELECT r.id, r.programme_id, r.unit_id, r.status, r.amount_fen::text AS amount_fen, g.owner_unit FROM recovery_cases r JOIN programmes g ON g.id = r.programme_id WHERE r.id = $1',
    [id],
  );
  if (!c || !seesUnit(p, c.owner_unit)) throw notFound('追回案件');
  return c;
}

export async function getCase(db: Sql, p: Principal, id: string) {
  const c = await caseOf(db, p, id);
  const events = await db.query<{ kind: string; amount_fen: string; note: string | null; voucher: string | null; at: Date }>('SELECT kind, amount_fen::text AS amount_fen, note, voucher, at FROM recovery_events WHERE case_id = $1 ORDER BY id', [id]);
  const recovered = events.filter((e) => e.kind === 'received').reduce((s, e) => s + BigInt(e.amount_fen), 0n);
  return { ...c, amount: yuan(c.amount_fen), recovered: yuan(recovered), outstanding: yuan(BigInt(c.amount_fen) - recovered), events: events.map((e) => ({ ...e, amount: yuan(e.amount_fen) })) };
}

/** Record what happened: notified, money received (part or all), or written off with a reason. */
export async function caseEvent(db: Database, p: Principal, id: string, e: { kind: 'notified' | 'received' | 'written_off'; amount?: string; note?: string; voucher?: string }) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const c = await caseOf(db, p, id);
  if (c.status === 'recovered' || c.status === 'written_off') throw conflict('recovery.closed', '该案件已结案');
  const amount = e.kind === 'received' ? fenOf(e.amount, 'amount') : 0n;
  if (e.kind === 'received' && !e.voucher?.trim()) throw invalid('recovery.voucher', '收回资金须填写缴款凭证号');
  if (e.kind === 'written_off' && !e.note?.trim()) throw invalid('recovery.reason', '核销须说明理由');
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM recovery_cases WHERE id = $1 FOR UPDATE', [id]);
    const [got] = await tx.query<{ s: string }>(`SELECT COALESCE(SUM(amount_fen), 0)::text AS s FROM recovery_events WHERE case_id = $1 AND kind = 'received'`, [id]);
    const outstanding = BigInt(c.amount_fen) - BigInt(got.s);
    if (amount > outstanding) throw conflict('recovery.over', `收回金额超过应追回余额 ${yuan(outstanding)} 元`);
    await tx.query('INSERT INTO recovery_events (case_id, kind, amount_fen, note, voucher, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [id, e.kind, amount.toString(), e.note ?? null, e.voucher ?? null, p.accountId]);
    const status = e.kind === 'written_off' ? 'written_off' : amount === outstanding && e.kind === 'received' ? 'recovered' : 'recovering';
    await tx.query('UPDATE recovery_cases SET status = $2 WHERE id = $1', [id, status]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: `recovery.${e.kind}`, object: id, detail: { amount: yuan(amount), note: e.note ?? null, voucher: e.voucher ?? null, status } });
    return { id, status, outstanding: yuan(outstanding - amount) };
  });
}
