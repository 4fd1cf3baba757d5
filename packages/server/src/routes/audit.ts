import type { FastifyInstance } from 'fastify';
import { verifyAudit } from '../audit/chain.ts';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';

export async function auditRoutes(api: FastifyInstance, ctx: Ctx) {
  api.get<{ Querystring: { after?: string; limit?: string } }>('/audit', async (req) => {
    allow(req.principal, 'audit.read');
    const limit = Math.min(Number(req.query.limit) || 200, 1000);
    return ctx.db.query(
      'SELECT seq::text AS seq, at, actor, role, action, object, detail, hash FROM audit_log WHERE audit_log.seq > $1 ORDER BY audit_log.seq LIMIT $2',
      [Number(req.query.after) || 0, limit],
    );
  });
  api.get('/audit/verify', async (req) => {
    allow(req.principal, 'audit.read');
    return verifyAudit(ctx.db);
  });
}
