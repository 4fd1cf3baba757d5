import type { FastifyInstance } from 'fastify';
import { allow, unitFilter } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { cycleTasks, decideExtension, onTimeStats, openCycle, requestExtension, sendReminders, visibleProgramme } from '../cycles/cycles.ts';
import { notFound } from '../http/errors.ts';

export async function programmeRoutes(api: FastifyInstance, ctx: Ctx) {
  api.get('/programmes', async (req) => {
    const p = allow(req.principal, 'programme.read');
    const units = unitFilter(p);
    return ctx.db.query(
      `SELECT p.id, p.kind, p.ref, p.title, p.region, p.year, p.calendar FROM programmes p
        WHERE $1::text[] IS NULL OR p.owner_unit = ANY($1)
           OR EXISTS (SELECT 1 FROM tasks t JOIN cycle_steps s ON s.id = t.step_id JOIN cycles c ON c.id = s.cycle_id WHERE c.programme_id = p.id AND t.unit_id = ANY($1))
        ORDER BY p.id`,
      [units],
    );
  });

  api.get<{ Params: { id: string } }>('/programmes/:id', async (req) => {
    const p = allow(req.principal, 'programme.read');
    const prog = await visibleProgramme(ctx.db, p, req.params.id);
    const cycles = await ctx.db.query('SELECT id, year, status, opened_at FROM cycles WHERE programme_id = $1 ORDER BY year', [prog.id]);
    return { ...prog, cycles };
  });

  api.post<{ Params: { id: string }; Body: { year: number } }>(
    '/programmes/:id/cycles',
    { schema: { body: { type: 'object', required: ['year'], properties: { year: { type: 'integer' } } } } },
    async (req) => openCycle(ctx.db, allow(req.principal, 'programme.manage'), req.params.id, req.body.year),
  );

  api.get<{ Params: { id: string }; Querystring: { today?: string } }>('/cycles/:id', async (req) => {
    const p = allow(req.principal, 'programme.read');
    const [c] = await ctx.db.query<{ id: string; programme_id: string; year: number; status: string }>('SELECT id, programme_id, year, status FROM cycles WHERE id = $1', [req.params.id]);
    if (!c) throw notFound('工作周期');
    const prog = await visibleProgramme(ctx.db, p, c.programme_id);
    const steps = await ctx.db.query(`SELECT id, seq, code, title, cite, actor, submission, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM cycle_steps WHERE cycle_id = $1 ORDER BY seq`, [c.id]);
    const tasks = await cycleTasks(ctx.db, p, c.id, req.query.today);
    return { ...c, programme_title: prog.title, steps, tasks, stats: onTimeStats(tasks) };
  });

  api.post<{ Params: { id: string }; Body: { days?: number; today?: string } }>('/cycles/:id/reminders', async (req) =>
    sendReminders(ctx.db, allow(req.principal, 'programme.manage'), req.params.id, req.body?.days, req.body?.today),
  );

  // The workbench: my unit's tasks across programmes, with deadlines and state.
  api.get('/tasks', async (req) => {
    const p = allow(req.principal, 'programme.read');
    return ctx.db.query(
      `SELECT t.id, s.cycle_id, s.code AS step, s.title, s.submission, t.subject_unit, t.indicators, to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
              (SELECT v.status FROM submission_versions v WHERE v.task_id = t.id ORDER BY v.version DESC LIMIT 1) AS status,
              (SELECT COUNT(*)::int FROM reminders r WHERE r.task_id = t.id) AS reminders
         FROM tasks t JOIN cycle_steps s ON s.id = t.step_id WHERE t.unit_id = $1 ORDER BY t.due_date, s.seq`,
      [p.unitId],
    );
  });

  api.post<{ Params: { id: string }; Body: { reason: string; newDue: string } }>(
    '/tasks/:id/extensions',
    { schema: { body: { type: 'object', required: ['reason', 'newDue'], properties: { reason: { type: 'string', maxLength: 2000 }, newDue: { type: 'string' } } } } },
    async (req) => requestExtension(ctx.db, allow(req.principal, 'programme.read'), req.params.id, req.body.reason, req.body.newDue),
  );
  api.post<{ Params: { id: string }; Body: { grant: boolean } }>(
    '/extensions/:id/decision',
    { schema: { body: { type: 'object', required: ['grant'], properties: { grant: { type: 'boolean' } } } } },
    async (req) => decideExtension(ctx.db, allow(req.principal, 'programme.manage'), req.params.id, req.body.grant),
  );
}
