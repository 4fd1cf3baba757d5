import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../audit/chain.ts';
import { allow } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Ctx } from '../context.ts';
import { approveComputation, publishComputation, startComputation, visibleComputation } from '../compute/jobs.ts';
import { conflict, forbidden, notFound } from '../http/errors.ts';
import { maskResult } from '../privacy.ts';

export async function computationRoutes(api: FastifyInstance, ctx: Ctx) {
  api.post<{ Params: { id: string }; Body: { parameters?: Record<string, string>; variants?: Record<string, string> } }>(
    '/cycles/:id/computations',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            parameters: { type: 'object', additionalProperties: { type: 'string' } },
            variants: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    },
    async (req) => startComputation(ctx.db, allow(req.principal, 'computation.run'), req.params.id, req.body ?? {}, ctx.workDir),
  );

  api.get<{ Params: { id: string } }>('/cycles/:id/computations', async (req) => {
    const p = req.principal;
    if (!p || (!can(p.role, 'computation.run') && !can(p.role, 'computation.approve'))) throw forbidden();
    const rows = await ctx.db.query<{ id: string }>('SELECT id FROM computations WHERE cycle_id = $1 ORDER BY created_at', [req.params.id]);
    const out = [];
    for (const r of rows) {
      const k = await visibleComputation(ctx.db, p, r.id);
      out.push({ id: k.id, status: k.status, progress: k.progress, stage: k.stage, parameters: k.parameters, variants: k.variants, published_at: k.published_at, notice_until: k.notice_until });
    }
    return out;
  });

  // The result with 身份证 numbers masked; `?unmask=1` shows them and is logged.
  api.get<{ Params: { id: string }; Querystring: { unmask?: string } }>('/computations/:id', async (req) => {
    const p = req.principal;
    if (!p) throw forbidden('请先登录');
    const k = await visibleComputation(ctx.db, p, req.params.id);
    if (req.query.unmask === '1') {
      await ctx.db.transaction((tx) => appendAudit(tx, { actor: p.accountId, role: p.role, action: 'privacy.full_view', object: k.id }));
      return k;
    }
    return { ...k, result: maskResult(k.result) };
  });

  api.post<{ Params: { id: string } }>('/computations/:id/approve', async (req) => approveComputation(ctx.db, allow(req.principal, 'computation.approve'), req.params.id));
  api.post<{ Params: { id: string }; Body: { noticeDays?: number } }>('/computations/:id/publish', async (req) =>
    publishComputation(ctx.db, allow(req.principal, 'computation.publish'), req.params.id, req.body?.noticeDays ?? 7),
  );

  // Objections received during the 公示 period, for those who publish; each is answered once, in writing.
  api.get<{ Params: { id: string } }>('/computations/:id/objections', async (req) => {
    const p = allow(req.principal, 'computation.publish');
    const k = await visibleComputation(ctx.db, p, req.params.id);
    return ctx.db.query(
      `SELECT id, name, contact, recipient, text, status, answer, created_at FROM objections WHERE computation_id = $1 ORDER BY created_at`,
      [k.id],
    );
  });

  api.post<{ Params: { id: string }; Body: { answer: string } }>(
    '/objections/:id/answer',
    { schema: { body: { type: 'object', required: ['answer'], properties: { answer: { type: 'string', minLength: 2, maxLength: 5000 } } } } },
    async (req) => {
      const p = allow(req.principal, 'computation.publish');
      const [o] = await ctx.db.query<{ computation_id: string; status: string }>('SELECT computation_id, status FROM objections WHERE id = $1', [req.params.id]);
      if (!o) throw notFound('异议');
      await visibleComputation(ctx.db, p, o.computation_id); // 404 outside the publisher's scope
      if (o.status === 'answered') throw conflict('objection.answered', '该异议已答复');
      await ctx.db.transaction(async (tx) => {
        await tx.query(`UPDATE objections SET status = 'answered', answer = $2 WHERE id = $1`, [req.params.id, req.body.answer]);
        await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'objection.answer', object: req.params.id, detail: { computation: o.computation_id } });
      });
      return { id: req.params.id, status: 'answered' };
    },
  );
}
