import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../audit/chain.ts';
import { allow, unitFilter } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { createAccount } from '../org/accounts.ts';

export async function orgRoutes(api: FastifyInstance, ctx: Ctx) {
  api.get('/regions', async () => ctx.db.query('SELECT code, name, parent, level FROM regions ORDER BY code'));

  api.get('/units', async (req) => {
    const p = req.principal;
    if (!p) throw notFound('单位');
    // The account administrator needs the whole tree to place accounts; others see their scope.
    const filter = p.role === 'system_admin' ? null : unitFilter(p);
    return ctx.db.query(
      'SELECT id, name, kind, department, region, parent_id, uscc FROM units WHERE ($1::text[] IS NULL OR id = ANY($1)) ORDER BY id',
      [filter],
    );
  });

  api.get('/accounts', async (req) => {
    allow(req.principal, 'account.manage');
    return ctx.db.query('SELECT id, username, display_name, unit_id, role, scope, disabled, locked_until FROM accounts ORDER BY username');
  });

  api.post<{ Body: { username: string; displayName: string; password: string; unitId: string; role: string; scope: 'all' | 'unit' | 'unit_tree' | 'self' } }>(
    '/accounts',
    {
      schema: {
        body: {
          type: 'object',
          required: ['username', 'displayName', 'password', 'unitId', 'role', 'scope'],
          properties: {
            username: { type: 'string', pattern: '^[A-Za-z0-9._-]{3,64}$' },
            displayName: { type: 'string', maxLength: 100 },
            password: { type: 'string', maxLength: 200 },
            unitId: { type: 'string' },
            role: { type: 'string' },
            scope: { enum: ['all', 'unit', 'unit_tree', 'self'] },
          },
        },
      },
    },
    async (req) => {
      const p = allow(req.principal, 'account.manage');
      return ctx.db.transaction(async (tx) => {
        const id = await createAccount(tx, req.body);
        await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'account.create', object: id, detail: { username: req.body.username, role: req.body.role, unit: req.body.unitId, scope: req.body.scope } });
        return { id };
      });
    },
  );

  api.post<{ Params: { id: string } }>('/accounts/:id/unlock', async (req) => {
    const p = allow(req.principal, 'security.manage');
    return ctx.db.transaction(async (tx) => {
      const [a] = await tx.query('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1 RETURNING id', [req.params.id]);
      if (!a) throw notFound('账户');
      await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'account.unlock', object: req.params.id });
      return { ok: true };
    });
  });

  api.get('/security/logins', async (req) => {
    allow(req.principal, 'security.manage');
    return ctx.db.query('SELECT id::text, at, username, account_id, ok, reason, ip FROM login_log ORDER BY id DESC LIMIT 500');
  });
}
