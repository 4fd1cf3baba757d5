import type { FastifyInstance } from 'fastify';
import { login, logout } from '../auth/sessions.ts';
import { ROLES, isRole } from '../auth/roles.ts';
import type { Ctx } from '../context.ts';
import { forbidden } from '../http/errors.ts';

export const SESSION_COOKIE = 'caijin_session';

export async function authRoutes(api: FastifyInstance, ctx: Ctx, loginsPerMinute: number) {
  api.post<{ Body: { username: string; password: string } }>(
    '/auth/login',
    {
      config: { rateLimit: { max: loginsPerMinute, timeWindow: '1 minute' } },
      schema: { body: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string', maxLength: 100 }, password: { type: 'string', maxLength: 200 } } } },
    },
    async (req, reply) => {
      const s = await login(ctx.db, ctx.sessions, req.body.username, req.body.password, req.ip);
      reply.setCookie(SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'strict', secure: ctx.secureCookies, path: '/' });
      // The token is also returned for API clients (Authorization: Bearer); browsers use the cookie.
      return { token: s.token, csrf: s.csrf };
    },
  );
  api.post('/auth/logout', async (req, reply) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? req.cookies[SESSION_COOKIE];
    if (token) await logout(ctx.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  api.get('/me', async (req) => {
    const p = req.principal;
    if (!p) throw forbidden('请先登录');
    return { id: p.accountId, username: p.username, name: p.displayName, role: p.role, role_zh: isRole(p.role) ? ROLES[p.role].zh : p.role, unit: p.unitId, scope: p.scope, csrf: p.csrf };
  });
}
