// 聊城（十）: guarantors check every compensation for malicious debt evasion (恶意逃废债) one by
// one and hand leads to the police. The register lists the cycle's compensations from approved
// data, each under check until cleared or handed over (with the police reference).
import { randomUUID } from 'node:crypto';
import { daysOf, maskPartyId } from '@caijin/core';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import { approvedBundle } from '../compute/approved.ts';
import { nums, refs, strs } from '../compute/columns.ts';
import type { Database, Sql } from '../db/types.ts';
import { conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { yuan } from '../money/amounts.ts';

export const EVASION_CITE = '聊城意见（十）：对被担保人恶意逃废债务的代偿业务逐笔核查，并将线索移交公安部门';

/** Open a check for every compensation of the year in approved data not yet in the register. */
export async function openEvasionChecks(db: Database, p: Principal, cycleId: string, workDir: string) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const [c] = await db.query<{ year: number; owner_unit: string; programme_id: string }>('SELECT c.year, p.owner_unit, p.id AS programme_id FROM cycles c JOIN programmes p ON p.id = c.programme_id WHERE c.id = $1', [cycleId]);
  if (!c || !seesUnit(p, c.owner_unit)) throw notFound('工作周期');
  const { bundle } = await approvedBundle(db, c.owner_unit, cycleId, workDir);
  const ev = bundle.tables.guarantee_events;
  const g = bundle.tables.guarantees;
  if (!ev || !g) return { opened: 0 };
  const type = strs(ev, 'type');
  const date = nums(ev, 'date');
  const amount = nums(ev, 'amount');
  const gRef = refs(ev, 'guarantee_id');
  const gid = strs(g, 'id');
  const guarantor = strs(g, 'guarantor_id');
  const borrower = strs(g, 'borrower_id');
  const from = daysOf(c.year, 1, 1);
  const to = daysOf(c.year, 12, 31);
  const byGuarantee = new Map<number, number>();
  for (let i = 0; i < ev.length; i++) if (type(i) === 'compensation' && date[i] >= from && date[i] <= to && gRef[i] >= 0) byGuarantee.set(gRef[i], (byGuarantee.get(gRef[i]) ?? 0) + amount[i]);
  let opened = 0;
  await db.transaction(async (tx) => {
    for (const [r, fen] of byGuarantee) {
      const rows = await tx.query(
        `INSERT INTO evasion_checks (id, programme_id, guarantor, guarantee_id, borrower, amount_fen, status, created_by) VALUES ($1, $2, $3, $4, $5, $6, 'under_check', $7)
         ON CONFLICT (programme_id, guarantee_id) DO NOTHING RETURNING id`,
        [randomUUID(), c.programme_id, guarantor(r), gid(r), borrower(r), Math.round(fen), p.accountId],
      );
      opened += rows.length;
    }
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'evasion.open', object: cycleId, detail: { opened } });
  });
  return { opened };
}

export async function evasionRegister(db: Sql, p: Principal, programmeId: string) {
  if (!can(p.role, 'money.manage') && !can(p.role, 'application.review')) throw forbidden();
  const [g] = await db.query<{ owner_unit: string }>('SELECT owner_unit FROM programmes WHERE id = $1', [programmeId]);
  if (!g || !seesUnit(p, g.owner_unit)) throw notFound('项目');
  const rows = await db.query<{ id: string; guarantor: string; guarantee_id: string; borrower: string; amount_fen: string; status: string; police_ref: string | null; note: string | null }>(
    'SELECT id, guarantor, guarantee_id, borrower, amount_fen::text AS amount_fen, status, police_ref, note FROM evasion_checks WHERE programme_id = $1 ORDER BY guarantor, guarantee_id',
    [programmeId],
  );
  return { cite: EVASION_CITE, checks: rows.map(({ amount_fen, borrower, ...r }) => ({ ...r, borrower: maskPartyId(borrower), amount: yuan(amount_fen) })) };
}

export async function decideEvasion(db: Database, p: Principal, id: string, status: 'cleared' | 'handed_to_police', note: string, policeRef?: string) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const [e] = await db.query<{ status: string; owner_unit: string }>('SELECT e.status, g.owner_unit FROM evasion_checks e JOIN programmes g ON g.id = e.programme_id WHERE e.id = $1', [id]);
  if (!e || !seesUnit(p, e.owner_unit)) throw notFound('核查记录');
  if (e.status !== 'under_check') throw conflict('evasion.decided', '该笔代偿已有核查结论');
  if (!note?.trim()) throw invalid('evasion.note', '须写明核查情况');
  if (status === 'handed_to_police' && !policeRef?.trim()) throw invalid('evasion.police_ref', '移交公安须填写移交文书编号');
  await db.transaction(async (tx) => {
    await tx.query('UPDATE evasion_checks SET status = $2, note = $3, police_ref = $4, decided_at = now() WHERE id = $1', [id, status, note, policeRef ?? null]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: `evasion.${status}`, object: id, detail: { note, policeRef: policeRef ?? null } });
  });
  return { id, status };
}
