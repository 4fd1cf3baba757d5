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
  // The viewer's page: newest first, filtered by action prefix, account or a word in object/detail,
  // and a date range (Beijing time); the total for the pager.
  api.get<{ Querystring: { page?: string; size?: string; action?: string; actor?: string; q?: string; from?: string; to?: string } }>('/audit/page', async (req) => {
    allow(req.principal, 'audit.read');
    const size = Math.min(Math.max(Number(req.query.size) || 20, 1), 200);
    const page = Math.max(Number(req.query.page) || 1, 1);
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replaceAll('$?', `$${args.length}`));
    };
    if (req.query.action) add('l.action LIKE $? || \'%\'', req.query.action);
    if (req.query.actor) add('(a.username = $? OR l.actor = $?)', req.query.actor);
    if (req.query.q) add('(l.object ILIKE \'%\' || $? || \'%\' OR l.detail::text ILIKE \'%\' || $? || \'%\')', req.query.q);
    if (req.query.from && /^\d{4}-\d{2}-\d{2}$/.test(req.query.from)) add("l.at >= ($?::date)::timestamp AT TIME ZONE 'Asia/Shanghai'", req.query.from);
    if (req.query.to && /^\d{4}-\d{2}-\d{2}$/.test(req.query.to)) add("l.at < ($?::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'", req.query.to);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = 'FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor';
    const [{ total }] = await ctx.db.query<{ total: string }>(`SELECT count(*)::text AS total ${from} ${cond}`, args);
    const rows = await ctx.db.query(
      `SELECT l.seq::text AS seq, l.at, l.actor, a.username, a.display_name, l.role, l.action, l.object, l.detail, l.hash ${from} ${cond}
        ORDER BY l.seq DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, size, (page - 1) * size],
    );
    return { total: Number(total), page, size, rows };
  });
  api.get('/audit/verify', async (req) => {
    allow(req.principal, 'audit.read');
    return verifyAudit(ctx.db);
  });
}
