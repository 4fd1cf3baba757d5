// A task and everything around it that access checks need: its step, cycle, programme.
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import type { Sql } from '../db/types.ts';
import { notFound } from '../http/errors.ts';

export interface TaskRow {
  id: string;
  step_id: string;
  unit_id: string;
  subject_unit: string | null;
  indicators: string[] | null;
  due_date: string;
  step_code: string;
  step_title: string;
  submission: 'ledger' | 'indicators' | 'materials' | null;
  cycle_id: string;
  cycle_status: string;
  programme_id: string;
  programme_title: string;
  unit_name: string;
  /** The district a department reports for (天津: 区 under evaluation), by name. */
  subject_name: string | null;
  programme_kind: 'policy' | 'scheme';
  programme_ref: string;
  owner_unit: string;
  year: number;
}

export async function loadTask(db: Sql, id: string): Promise<TaskRow | undefined> {
  const [t] = await db.query<TaskRow & Record<string, unknown>>(
    `SELECT t.id, t.step_id, t.unit_id, t.subject_unit, t.indicators, to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
            s.code AS step_code, s.title AS step_title, s.submission, c.id AS cycle_id, c.status AS cycle_status,
            p.id AS programme_id, p.title AS programme_title, u.name AS unit_name, su.name AS subject_name, p.kind AS programme_kind, p.ref AS programme_ref, p.owner_unit, c.year
       FROM tasks t JOIN cycle_steps s ON s.id = t.step_id JOIN cycles c ON c.id = s.cycle_id JOIN programmes p ON p.id = c.programme_id
       JOIN units u ON u.id = t.unit_id LEFT JOIN units su ON su.id = t.subject_unit
      WHERE t.id = $1`,
    [id],
  );
  return t;
}

/** A task the principal may see: its own unit's, or one inside its data scope. Others look absent. */
export async function visibleTask(db: Sql, p: Principal, id: string): Promise<TaskRow> {
  const t = await loadTask(db, id);
  if (!t || !seesUnit(p, t.unit_id)) throw notFound('任务');
  return t;
}
