// Public pages' API: published results (公示) and objections during the notice period. No login.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../audit/chain.ts';
import type { Ctx } from '../context.ts';
import { conflict, notFound } from '../http/errors.ts';
import { publicResult } from '../privacy.ts';

export async function publicRoutes(api: FastifyInstance, ctx: Ctx) {
  api.get('/public/results', async () =>
    ctx.db.query(
      `SELECT k.id, p.title, p.kind, p.ref, c.year, k.published_at, to_char(k.notice_until, 'YYYY-MM-DD') AS notice_until
         FROM computations k JOIN cycles c ON c.id = k.cycle_id JOIN programmes p ON p.id = c.programme_id
        WHERE k.status = 'published' ORDER BY k.published_at DESC`,
    ),
  );

  api.get<{ Params: { id: string } }>('/public/results/:id', async (req) => {
    const [k] = await ctx.db.query<{ id: string; title: string; year: number; result: Record<string, unknown>; notice_until: string; published_at: Date }>(
      `SELECT k.id, p.title, c.year, k.result, to_char(k.notice_until, 'YYYY-MM-DD') AS notice_until, k.published_at
         FROM computations k JOIN cycles c ON c.id = k.cycle_id JOIN programmes p ON p.id = c.programme_id WHERE k.id = $1 AND k.status = 'published'`,
      [req.params.id],
    );
    if (!k) throw notFound('公示结果');
    return { ...k, result: publicResult(k.result) };
  });

  api.post<{ Params: { id: string }; Body: { name: string; contact: string; recipient?: string; text: string } }>(
    '/public/results/:id/objections',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        body: {
          type: 'object',
          required: ['name', 'contact', 'text'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, contact: { type: 'string', minLength: 3, maxLength: 100 }, recipient: { type: 'string', maxLength: 100 }, text: { type: 'string', minLength: 5, maxLength: 5000 } },
        },
      },
    },
    async (req) => {
      const [k] = await ctx.db.query<{ open: boolean }>(
        `SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date <= notice_until AS open FROM computations WHERE id = $1 AND status = 'published'`,
        [req.params.id],
      );
      if (!k) throw notFound('公示结果');
      if (!k.open) throw conflict('objection.closed', '公示期已结束，不再受理异议');
      const id = randomUUID();
      await ctx.db.transaction(async (tx) => {
        await tx.query('INSERT INTO objections (id, computation_id, name, contact, recipient, text) VALUES ($1, $2, $3, $4, $5, $6)', [id, req.params.id, req.body.name, req.body.contact, req.body.recipient ?? null, req.body.text]);
        await appendAudit(tx, { actor: null, role: 'public', action: 'objection.receive', object: id, detail: { computation: req.params.id } });
      });
      return { id, status: 'received' };
    },
  );

  // The objector reads the answer with the receipt number and the contact given (nobody else can).
  api.get<{ Params: { id: string }; Querystring: { contact?: string } }>('/public/objections/:id', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req) => {
    const [o] = await ctx.db.query<{ status: string; answer: string | null; created_at: Date }>(
      'SELECT status, answer, created_at FROM objections WHERE id = $1 AND contact = $2',
      [req.params.id, (req.query.contact ?? '').trim()],
    );
    if (!o) throw notFound('异议');
    return o;
  });
}
