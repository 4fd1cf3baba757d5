// The HTTP API (fastify): security headers, rate limits, upload limits, sessions with CSRF
// protection, the operation log, the OpenAPI document, and the routes of each concern.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Principal } from './auth/principal.ts';
import { principalOf } from './auth/sessions.ts';
import type { Ctx } from './context.ts';
import { ApiError } from './http/errors.ts';
import { authRoutes, SESSION_COOKIE } from './routes/auth.ts';
import { orgRoutes } from './routes/org.ts';
import { programmeRoutes } from './routes/programmes.ts';
import { submissionRoutes } from './routes/submissions.ts';
import { computationRoutes } from './routes/computations.ts';
import { publicRoutes } from './routes/public.ts';
import { auditRoutes } from './routes/audit.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { moneyRoutes } from './routes/money.ts';
import { oversightRoutes } from './routes/oversight.ts';
import { libraryRoutes } from './routes/library.ts';
import { documentRoutes } from './routes/documents.ts';
import { registerWeb, WEB_DIST } from './web/static.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface AppOptions {
  logger?: boolean;
  /** Requests per minute per client address (default 600). */
  rateLimit?: number;
  /** Sign-in attempts per minute per client address (default 20). */
  loginRateLimit?: number;
  /** Largest uploaded file, bytes (default 200 MB). */
  maxFileBytes?: number;
  /** The built browser UI to serve at `/` (default packages/web/dist when built; false: none). */
  web?: string | false;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(ctx: Ctx, o: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: o.logger ?? false, bodyLimit: 10 * 1024 * 1024, trustProxy: false });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"] } },
  });
  await app.register(cookie);
  await app.register(rateLimit, { max: o.rateLimit ?? 600, timeWindow: '1 minute' });
  await app.register(multipart, { limits: { fileSize: o.maxFileBytes ?? 200 * 1024 * 1024, files: 40, fields: 20 } });
  await app.register(swagger, {
    openapi: { info: { title: 'caijin 财金 API', version: '1' }, components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } } },
  });

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? req.cookies[SESSION_COOKIE];
    req.principal = token ? await principalOf(ctx.db, ctx.sessions, token) : null;
    // CSRF: a cookie session must echo its token on every state-changing request. A bearer token
    // is not sent by browsers on their own, so it needs none.
    if (req.principal && !bearer && UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== req.principal.csrf) {
      throw new ApiError(403, 'csrf', '请求缺少有效的 CSRF 令牌，请刷新页面后重试');
    }
  });
  app.addHook('onResponse', async (req: FastifyRequest, reply) => {
    if (!UNSAFE.has(req.method) && !req.principal) return;
    await ctx.db
      .query('INSERT INTO operation_log (account_id, method, path, status, ip) VALUES ($1, $2, $3, $4, $5)', [
        req.principal?.accountId ?? null, req.method, req.routeOptions.url ?? req.url.split('?')[0], reply.statusCode, req.ip,
      ])
      .catch(() => {});
  });
  app.setErrorHandler(async (err, req, reply) => {
    if (err instanceof ApiError) return reply.status(err.status).send({ key: err.key, zh: err.zh, details: err.details });
    const e = err as { statusCode?: number; validation?: unknown; code?: string; message: string };
    if (e.validation) return reply.status(400).send({ key: 'request.invalid', zh: `请求格式不正确：${e.message}` });
    if (e.statusCode === 429) return reply.status(429).send({ key: 'rate_limited', zh: '请求过于频繁，请稍后再试' });
    if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) return reply.status(413).send({ key: 'upload.too_large', zh: '上传文件过大' });
    if (e.code === 'P0001') return reply.status(409).send({ key: /\(([\w.]+)\)/.exec(e.message)?.[1] ?? 'locked', zh: e.message });
    if (e.statusCode && e.statusCode < 500) return reply.status(e.statusCode).send({ key: 'request.invalid', zh: e.message });
    req.log.error(err);
    if (!o.logger) process.stderr.write(`[caijin] ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}\n`);
    return reply.status(500).send({ key: 'internal', zh: '服务器内部错误' });
  });

  await app.register(async (api) => {
    await authRoutes(api, ctx, o.loginRateLimit ?? 20);
    await orgRoutes(api, ctx);
    await programmeRoutes(api, ctx);
    await submissionRoutes(api, ctx);
    await computationRoutes(api, ctx);
    await monitoringRoutes(api, ctx);
    await moneyRoutes(api, ctx);
    await oversightRoutes(api, ctx);
    await auditRoutes(api, ctx);
    await publicRoutes(api, ctx);
    await libraryRoutes(api, ctx);
    await documentRoutes(api, ctx);
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  }, { prefix: '/api' });
  if (o.web !== false) await registerWeb(app, o.web ?? WEB_DIST);
  return app;
}
