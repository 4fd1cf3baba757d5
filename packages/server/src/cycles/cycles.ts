// Opening a programme's cycle: its steps and deadlines from the calendar, and one task per unit
// that must hand something in; then the overview the bureau watches: who has handed in, who is
// late, on-time statistics per step, reminders and extensions.
import { randomUUID } from 'node:crypto';
import { loadScheme, allIndicators } from '@caijin/evaluate';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { CALENDARS, type StepSpec } from './calendars.ts';
import { leadDepartments } from './responsibility.ts';

export interface ProgrammeRow {
  id: string;
  kind: 'policy' | 'scheme';
  ref: string;
  title: string;
  region: string;
  owner_unit: string;
  year: number;
  calendar: string;
  settings: Record<string, unknown>;
}

export async function visibleProgramme(db: Sql, p: Principal, id: string): Promise<ProgrammeRow> {
  const [r] = await db.query<ProgrammeRow & Record<string, unknown>>('SELECT * FROM programmes WHERE id = $1', [id]);
  if (!r || !can(p.role, 'programme.read')) throw notFound('项目');
  if (seesUnit(p, r.owner_unit)) return r;
  // A reporter sees the programmes it has tasks in.
  const [t] = await db.query(
    `SELECT 1 FROM tasks t JOIN cycle_steps s ON s.id = t.step_id JOIN cycles c ON c.id = s.cycle_id WHERE c.programme_id = $1 AND t.unit_id = ANY($2) LIMIT 1`,
    [id, p.units ? [...p.units] : []],
  );
  if (!t) throw notFound('项目');
  return r;
}

interface UnitLite {
  id: string;
  kind: string;
  department: string | null;
  region: string;
  parent_id: string | null;
  government_backed: boolean | null;
}

async function unitsUnder(db: Sql, root: string): Promise<UnitLite[]> {
  return db.query<UnitLite & Record<string, unknown>>(
    `WITH RECURSIVE t(id) AS (SELECT id FROM units WHERE id = $1 UNION SELECT u.id FROM units u JOIN t ON u.parent_id = t.id)
     SELECT u.id, u.kind, u.department, u.region, u.parent_id, u.government_backed FROM units u JOIN t ON t.id = u.id ORDER BY u.id`,
    [root],
  );
}

interface TaskSpec {
  unit: string;
  subject: string | null;
  indicators: string[] | null;
}

function tasksFor(step: StepSpec, prog: ProgrammeRow, units: UnitLite[], schemeLeads: Map<string, string> | null, allLeaves: string[]): TaskSpec[] {
  if (!step.submission) return [];
  const districtGovs = units.filter((u) => u.kind === 'government' && u.region !== prog.region);
  switch (step.actor) {
    case 'institution':
      return units.filter((u) => u.kind === 'bank' || u.kind === 'guarantor' || u.kind === 'reguarantor' || u.kind === 'insurer').map((u) => ({ unit: u.id, subject: null, indicators: null }));
    case 'financial_office':
      return units.filter((u) => u.kind === 'department' && u.department === 'financial_office' && u.region === prog.region).map((u) => ({ unit: u.id, subject: null, indicators: null }));
    case 'guarantor':
      return units
        .filter((u) => (u.kind === 'guarantor' || u.kind === 'reguarantor') && u.government_backed !== false)
        .map((u) => ({ unit: u.id, subject: step.submission === 'indicators' || step.submission === 'materials' ? u.id : null, indicators: step.submission === 'indicators' ? allLeaves : null }));
    case 'district_finance':
      return units.filter((u) => u.kind === 'department' && u.department === 'finance' && u.region !== prog.region).map((u) => ({ unit: u.id, subject: u.parent_id, indicators: null }));
    case 'district': {
      const out: TaskSpec[] = [];
      for (const gov of districtGovs) {
        const byDept = new Map<string, string[]>();
        for (const [ind, dept] of schemeLeads ?? []) byDept.set(dept, [...(byDept.get(dept) ?? []), ind]);
        for (const [dept, inds] of byDept) {
          const unit = units.find((u) => u.parent_id === gov.id && u.department === dept);
          if (unit) out.push({ unit: unit.id, subject: gov.id, indicators: inds });
        }
      }
      return out;
    }
    default:
      return [];
  }
}

export async function openCycle(db: Database, p: Principal, programmeId: string, year: number) {
  if (!can(p.role, 'programme.manage')) throw forbidden();
  const prog = await visibleProgramme(db, p, programmeId);
  if (!seesUnit(p, prog.owner_unit)) throw forbidden();
  const cal = CALENDARS[prog.calendar];
  if (!cal) throw invalid('cycle.calendar', `未知的工作日历 ${prog.calendar}`);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('cycle.year', '年度应为四位数字');
  const units = await unitsUnder(db, prog.owner_unit);
  let leads: Map<string, string> | null = null;
  let leaves: string[] = [];
  if (prog.kind === 'scheme') {
    const scheme = loadScheme(prog.ref);
    leads = leadDepartments(scheme);
    leaves = allIndicators(scheme).filter((i) => i.children.length === 0).map((i) => i.id);
  }
  const steps = cal.steps(year);
  return db.transaction(async (tx) => {
    const [dup] = await tx.query('SELECT id FROM cycles WHERE programme_id = $1 AND year = $2', [programmeId, year]);
    if (dup) throw conflict('cycle.exists', `${year} 年度的工作已开启`);
    const cycleId = `${programmeId}-${year}`;
    await tx.query('INSERT INTO cycles (id, programme_id, year, opened_by) VALUES ($1, $2, $3, $4)', [cycleId, programmeId, year, p.accountId]);
    let tasks = 0;
    for (const [seq, s] of steps.entries()) {
      const stepId = `${cycleId}-${s.code}`;
      await tx.query(
        'INSERT INTO cycle_steps (id, cycle_id, seq, code, title, cite, actor, submission, materials, due_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [stepId, cycleId, seq + 1, s.code, s.title, s.cite, s.actor, s.submission, s.materials ? JSON.stringify(s.materials) : null, s.due],
      );
      for (const t of tasksFor(s, prog, units, leads, leaves)) {
        await tx.query('INSERT INTO tasks (id, step_id, unit_id, subject_unit, indicators, due_date) VALUES ($1, $2, $3, $4, $5, $6)', [
          randomUUID(), stepId, t.unit, t.subject, t.indicators ? JSON.stringify(t.indicators) : null, s.due,
        ]);
        tasks++;
      }
    }
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'cycle.open', object: cycleId, detail: { programme: programmeId, year, steps: steps.length, tasks } });
    return { id: cycleId, steps: steps.length, tasks };
  });
}

export interface TaskState {
  id: string;
  step: string;
  unit_id: string;
  unit_name: string;
  subject_unit: string | null;
  indicators: string[] | null;
  due_date: string;
  effective_due: string;
  status: string | null;
  latest_version: string | null;
  first_submitted: string | null;
  late: boolean;
  on_time: boolean | null;
}

/** Tasks of a cycle that the principal may see, with their state on `today`. */
export async function cycleTasks(db: Sql, p: Principal, cycleId: string, today = new Date().toISOString().slice(0, 10)): Promise<TaskState[]> {
  const rows = await db.query<TaskState & Record<string, unknown>>(
    `SELECT t.id, s.code AS step, t.unit_id, u.name AS unit_name, t.subject_unit, t.indicators,
            to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
            to_char(GREATEST(t.due_date, COALESCE((SELECT MAX(e.new_due) FROM extensions e WHERE e.task_id = t.id AND e.status = 'granted'), t.due_date)), 'YYYY-MM-DD') AS effective_due,
            (SELECT v.status FROM submission_versions v WHERE v.task_id = t.id ORDER BY v.version DESC LIMIT 1) AS status,
            (SELECT v.id FROM submission_versions v WHERE v.task_id = t.id ORDER BY v.version DESC LIMIT 1) AS latest_version,
            (SELECT to_char(MIN(v.created_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM submission_versions v WHERE v.task_id = t.id AND v.status <> 'withdrawn') AS first_submitted
       FROM tasks t JOIN cycle_steps s ON s.id = t.step_id JOIN units u ON u.id = t.unit_id
      WHERE s.cycle_id = $1 AND ($2::text[] IS NULL OR t.unit_id = ANY($2))
      ORDER BY s.seq, u.id`,
    [cycleId, p.units ? [...p.units] : null],
  );
  for (const r of rows) {
    const handedIn = r.status === 'submitted' || r.status === 'approved' || r.status === 'returned';
    r.on_time = r.first_submitted ? r.first_submitted <= r.effective_due : null;
    r.late = r.first_submitted ? r.first_submitted > r.effective_due : today > r.effective_due && !handedIn;
  }
  return rows;
}

export function onTimeStats(tasks: readonly TaskState[]) {
  const by = new Map<string, { step: string; tasks: number; on_time: number; late: number; missing: number; approved: number }>();
  for (const t of tasks) {
    const s = by.get(t.step) ?? { step: t.step, tasks: 0, on_time: 0, late: 0, missing: 0, approved: 0 };
    s.tasks++;
    if (t.on_time === true) s.on_time++;
    else if (t.on_time === false) s.late++;
    else s.missing++;
    if (t.status === 'approved') s.approved++;
    by.set(t.step, s);
  }
  return [...by.values()].map((s) => ({ ...s, on_time_rate: s.tasks ? (s.on_time / s.tasks).toFixed(4) : null }));
}

export async function requestExtension(db: Database, p: Principal, taskId: string, reason: string, newDue: string) {
  const [t] = await db.query<{ unit_id: string; due_date: string }>(`SELECT unit_id, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM tasks WHERE id = $1`, [taskId]);
  if (!t || !seesUnit(p, t.unit_id)) throw notFound('任务');
  if (t.unit_id !== p.unitId || !can(p.role, 'submission.submit')) throw forbidden('只能为本单位的任务申请延期');
  if (!reason?.trim()) throw invalid('extension.reason', '申请延期必须说明理由');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(newDue) || newDue <= t.due_date) throw invalid('extension.date', '延期后的截止日应晚于原截止日');
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO extensions (id, task_id, requested_by, reason, new_due) VALUES ($1, $2, $3, $4, $5)', [id, taskId, p.accountId, reason, newDue]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'extension.request', object: id, detail: { task: taskId, reason, newDue } });
  });
  return { id, status: 'requested' };
}

export async function decideExtension(db: Database, p: Principal, id: string, grant: boolean) {
  if (!can(p.role, 'programme.manage')) throw forbidden();
  const [e] = await db.query<{ status: string; unit_id: string; new_due: string }>(
    `SELECT e.status, t.unit_id, to_char(e.new_due, 'YYYY-MM-DD') AS new_due FROM extensions e JOIN tasks t ON t.id = e.task_id WHERE e.id = $1`,
    [id],
  );
  if (!e || !seesUnit(p, e.unit_id)) throw notFound('延期申请');
  if (e.status !== 'requested') throw conflict('extension.state', '该申请已处理');
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE extensions SET status = $2, decided_by = $3, decided_at = now(), expires_at = CASE WHEN $4 THEN new_due END WHERE id = $1`, [id, grant ? 'granted' : 'refused', p.accountId, grant]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: grant ? 'extension.grant' : 'extension.refuse', object: id, detail: { newDue: e.new_due } });
  });
  return { id, status: grant ? 'granted' : 'refused' };
}

/** Reminders for tasks not handed in: due within `days` (upcoming) or past due (overdue). */
export async function sendReminders(db: Database, p: Principal, cycleId: string, days = 7, today = new Date().toISOString().slice(0, 10)) {
  if (!can(p.role, 'programme.manage')) throw forbidden();
  const tasks = await cycleTasks(db, p, cycleId, today);
  const soon = new Date(Date.parse(today) + days * 86400000).toISOString().slice(0, 10);
  const due = tasks.filter((t) => !t.first_submitted && t.effective_due <= soon);
  await db.transaction(async (tx) => {
    for (const t of due) await tx.query('INSERT INTO reminders (task_id, sent_by, kind) VALUES ($1, $2, $3)', [t.id, p.accountId, t.effective_due < today ? 'overdue' : 'upcoming']);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'cycle.remind', object: cycleId, detail: { tasks: due.length } });
  });
  return due.map((t) => ({ task: t.id, unit: t.unit_id, due: t.effective_due, kind: t.effective_due < today ? 'overdue' : 'upcoming' }));
}
