import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../audit/chain.ts';
import { allow } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Ctx } from '../context.ts';
import { approveComputation, publishComputation, startComputation, visibleComputation } from '../compute/jobs.ts';
import { forbidden } from '../http/errors.ts';
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
}
