// 申报与核定: an institution applies for the clauses it claims inside the cycle's window; the bureau
// verifies every claim against caijin's computation on approved data (each difference with the
// award's trace); the departments the document names agree; then it is paid through the ledger.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { getUnit } from '../org/units.ts';
import { fenOf, yuan } from './amounts.ts';

/** Who must agree, and the default window, by programme ref (each citing its clause). */
export const APPLICATION_RULES: Record<string, { departments: string[]; window: (year: number) => [string, string] | null; validYears?: [number, number]; cite: string }> = {
  'linhai-2021': {
    departments: ['finance', 'financial_office', 'pboc', 'regulator'],
    // 次年2月底前 (the opening is not given: from the first day of the next year).
    window: (y) => [`${y + 1}-01-01`, new Date(Date.UTC(y + 1, 2, 0)).toISOString().slice(0, 10)],
    cite: '临海方案 五、（三）：各金融机构于次年2月底前向市金融工作中心、市财政局提出申请，经会同人民银行临海市支行、台州银保监分局临海监管组等部门审核同意后予以兑现',
  },
  'wenzhou-2022': {
    departments: ['finance'],
    // 限时办理 in the city's award-payment system: the window comes from the 申报通知; none by default.
    window: () => null,
    validYears: [2022, 2024],
    cite: '温州 附则2、3：核校数据从2022年1月1日开始计，在温州市产业政策奖励兑现系统限时办理；有效期至2024年12月31日',
  },
  'liaocheng-2023': {
    departments: ['finance'],
    window: () => null,
    cite: '聊城意见（七）（八）：由市财政给予补偿、补贴',
  },
};

export interface Claim {
  clause: string;
  amount: string;
}

async function cycleOf(db: Sql, cycleId: string) {
  const [c] = await db.query<{ id: string; year: number; ref: string; owner_unit: string; programme_id: string; application_from: string | null; application_to: string | null }>(
    `SELECT c.id, c.year, p.ref, p.owner_unit, p.id AS programme_id, to_char(c.application_from, 'YYYY-MM-DD') AS application_from, to_char(c.application_to, 'YYYY-MM-DD') AS application_to
       FROM cycles c JOIN programmes p ON p.id = c.programme_id WHERE c.id = $1`,
    [cycleId],
  );
  return c;
}

export function applicationWindow(c: { year: number; ref: string; application_from: string | null; application_to: string | null }): [string, string] | null {
  if (c.application_from && c.application_to) return [c.application_from, c.application_to];
  return APPLICATION_RULES[c.ref]?.window(c.year) ?? null;
}

/** The bureau sets the window its notice announces (申报通知). */
export async function setWindow(db: Database, p: Principal, cycleId: string, from: string, to: string) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const c = await cycleOf(db, cycleId);
  if (!c || !seesUnit(p, c.owner_unit)) throw notFound('工作周期');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || to < from) throw invalid('window.dates', '申报期应为起止日期，且截止不早于开始');
  await db.transaction(async (tx) => {
    await tx.query('UPDATE cycles SET application_from = $2, application_to = $3 WHERE id = $1', [cycleId, from, to]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'application.window', object: cycleId, detail: { from, to } });
  });
  return { from, to };
}

export async function submitApplication(db: Database, p: Principal, cycleId: string, claims: Claim[], today = new Date().toISOString().slice(0, 10)) {
  if (!can(p.role, 'submission.submit')) throw forbidden();
  const c = await cycleOf(db, cycleId);
  const unit = await getUnit(db, p.unitId);
  if (!c || !unit?.uscc || unit.parent_id !== c.owner_unit) throw notFound('工作周期');
  const rule = APPLICATION_RULES[c.ref];
  if (rule?.validYears && (c.year < rule.validYears[0] || c.year > rule.validYears[1])) throw conflict('application.out_of_period', `${c.year} 年度不在政策有效期内（${rule.cite}）`);
  const w = applicationWindow(c);
  if (!w) throw conflict('application.no_window', '财政局尚未发布本期申报通知（申报期）');
  if (today < w[0] || today > w[1]) throw conflict('application.window_closed', `不在申报期内（${w[0]} 至 ${w[1]}）`);
  if (!claims.length) throw invalid('application.empty', '申报至少应包含一个条款');
  for (const cl of claims) fenOf(cl.amount, 'amount');
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(`INSERT INTO applications (id, cycle_id, unit_id, status, claims, created_by) VALUES ($1, $2, $3, 'submitted', $4, $5)`, [id, cycleId, unit.id, JSON.stringify(claims), p.accountId]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'application.submit', object: id, detail: { cycle: cycleId, claims } });
  });
  return { id, status: 'submitted', window: w };
}

interface AppRow {
  id: string;
  cycle_id: string;
  unit_id: string;
  status: string;
  claims: Claim[];
  verification: { computation: string; lines: { clause: string; claimed: string; computed: string; difference: string }[] } | null;
}

/** An application its own unit, the programme's bureau, or an approving department of the city may see. */
async function visibleApplication(db: Sql, p: Principal, id: string): Promise<AppRow & { owner_unit: string; ref: string }> {
  const [a] = await db.query<AppRow & { owner_unit: string; ref: string }>(
    `SELECT a.*, p.owner_unit, p.ref FROM applications a JOIN cycles c ON c.id = a.cycle_id JOIN programmes p ON p.id = c.programme_id WHERE a.id = $1`,
    [id],
  );
  if (!a) throw notFound('申报');
  const unit = await getUnit(db, p.unitId);
  const approvingDept = can(p.role, 'application.review') && unit?.parent_id === a.owner_unit && APPLICATION_RULES[a.ref]?.departments.includes(unit.department ?? '');
  if (!seesUnit(p, a.unit_id) && !approvingDept) throw notFound('申报');
  return a;
}

export async function getApplication(db: Sql, p: Principal, id: string) {
  const a = await visibleApplication(db, p, id);
  const approvals = await db.query('SELECT department, decided_by, agree, note, decided_at FROM application_approvals WHERE application_id = $1 ORDER BY decided_at', [id]);
  return { ...a, approvals, required: APPLICATION_RULES[a.ref]?.departments ?? ['finance'] };
}

/** Compare each claim with the computation (published, else approved, else the latest done). */
export async function verifyApplication(db: Database, p: Principal, id: string) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const a = await visibleApplication(db, p, id);
  if (a.status !== 'submitted') throw conflict('application.state', '该申报已核定');
  const [k] = await db.query<{ id: string; result: { awards: { clause: string; recipient: string; amount: string; trace: unknown[] }[] } }>(
    `SELECT id, result FROM computations WHERE cycle_id = $1 AND status IN ('done', 'approved', 'published')
      ORDER BY CASE status WHEN 'published' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END, finished_at DESC LIMIT 1`,
    [a.cycle_id],
  );
  if (!k) throw conflict('application.no_computation', '本期尚无基于已审核数据的计算结果，无法核定');
  const unit = (await getUnit(db, a.unit_id))!;
  const mine = k.result.awards.filter((w) => w.recipient === unit.uscc);
  const clauses = new Set([...a.claims.map((c) => c.clause), ...mine.map((w) => w.clause)]);
  const lines = [...clauses].sort().map((clause) => {
    const claimed = a.claims.filter((c) => c.clause === clause).reduce((s, c) => s + fenOf(c.amount, 'amount'), 0n);
    const awards = mine.filter((w) => w.clause === clause);
    const computed = awards.reduce((s, w) => s + fenOf(w.amount, 'amount'), 0n);
    return {
      clause,
      claimed: yuan(claimed),
      computed: yuan(computed),
      difference: yuan(claimed - computed),
      agrees: claimed === computed,
      note: claimed === computed ? '申报金额与计算结果一致' : computed === 0n ? '按已审核数据计算，本条款无奖补' : claimed === 0n ? '本条款有计算结果但未申报' : `申报金额与计算结果相差 ${yuan(claimed - computed)} 元，按计算结果核定`,
      trace: awards.flatMap((w) => w.trace ?? []),
    };
  });
  const verification = { computation: k.id, lines };
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE applications SET status = 'verified', computation_id = $2, verification = $3 WHERE id = $1`, [id, k.id, JSON.stringify(verification)]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'application.verify', object: id, detail: { computation: k.id, lines: lines.map(({ trace: _t, ...l }) => l) } });
  });
  return { id, status: 'verified', ...verification };
}

/** One department agrees (or not); when every department the document names agrees, it is approved. */
export async function decideApplication(db: Database, p: Principal, id: string, agree: boolean, note?: string) {
  if (!can(p.role, 'application.review')) throw forbidden();
  const a = await visibleApplication(db, p, id);
  if (a.status !== 'verified') throw conflict('application.state', a.status === 'submitted' ? '申报尚未核定' : '该申报已有审核结论');
  const unit = (await getUnit(db, p.unitId))!;
  const dept = unit.department ?? '';
  const required = APPLICATION_RULES[a.ref]?.departments ?? ['finance'];
  if (!required.includes(dept)) throw forbidden('本部门不在该申报的审核部门之列');
  return db.transaction(async (tx) => {
    const [dup] = await tx.query('SELECT 1 FROM application_approvals WHERE application_id = $1 AND department = $2', [id, dept]);
    if (dup) throw conflict('application.decided', '本部门已经审核过');
    await tx.query('INSERT INTO application_approvals (application_id, department, decided_by, agree, note) VALUES ($1, $2, $3, $4, $5)', [id, dept, p.accountId, agree, note ?? null]);
    const done = await tx.query<{ department: string; agree: boolean }>('SELECT department, agree FROM application_approvals WHERE application_id = $1', [id]);
    const status = done.some((d) => !d.agree) ? 'rejected' : required.every((r) => done.some((d) => d.department === r)) ? 'approved' : 'verified';
    if (status !== 'verified') await tx.query('UPDATE applications SET status = $2 WHERE id = $1', [id, status]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'application.decide', object: id, detail: { department: dept, agree, note: note ?? null, status } });
    return { id, status, pending: required.filter((r) => !done.some((d) => d.department === r)) };
  });
}
