// `caijin serve`: open the database (PGlite in a data directory, or DATABASE_URL), migrate, seed
// the demo when asked and the database is empty, and listen.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildApp, type AppOptions } from './app.ts';
import { DEFAULT_SESSION_POLICY } from './auth/sessions.ts';
import type { Ctx } from './context.ts';
import { openDatabase } from './db/open.ts';
import type { Database } from './db/types.ts';
import { seedDemo, type DemoAccount } from './demo/seed.ts';
import { ensureWebBuilt } from './web/static.ts';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  demo: boolean;
  /** Demo accounts' password (default: random, printed). */
  demoPassword?: string;
  log?: (line: string) => void;
  /** Limits and the like for the HTTP app (tests raise the sign-in rate limit). */
  app?: AppOptions;
}

export async function isEmpty(db: Database): Promise<boolean> {
  const [r] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM units');
  return r.n === 0;
}

export async function startServer(o: ServeOptions) {
  const log = o.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const db = await openDatabase(o.databaseUrl ? { url: o.databaseUrl } : { dataDir: join(dataDir, 'pg') });
  let accounts: DemoAccount[] | null = null;
  let password = o.demoPassword ?? process.env.CAIJIN_DEMO_PASSWORD;
  if (o.demo && (await isEmpty(db))) {
    password ??= `Demo${randomBytes(6).toString('hex')}`;
    log('正在准备演示数据（首次启动）…');
    accounts = await seedDemo(db, password, join(dataDir, 'demo-uploads'));
  }
  const ctx: Ctx = { db, sessions: DEFAULT_SESSION_POLICY, workDir: dataDir, secureCookies: process.env.CAIJIN_SECURE_COOKIES === '1' };
  // The browser UI is built here on a fresh clone (or after its sources changed).
  if (process.env.CAIJIN_NO_WEB_BUILD !== '1') ensureWebBuilt(log);
  const app = await buildApp(ctx, o.app);
  await app.listen({ port: o.port, host: o.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  log(`caijin 已启动：http://${o.host}:${port}/  （数据库：${db.kind === 'pglite' ? `PGlite ${join(dataDir, 'pg')}` : 'PostgreSQL'}；OpenAPI：/api/openapi.json）`);
  if (accounts) {
    log(`演示账户（密码均为 ${password}）：`);
    const seen = new Set<string>();
    for (const a of accounts) {
      if (seen.has(a.role) && !a.username.startsWith('admin.') && !a.username.startsWith('reviewer.')) continue;
      seen.add(a.role);
      log(`  ${a.username.padEnd(28)} ${a.role.padEnd(20)} ${a.unit}${a.note ? '  ' + a.note : ''}`);
    }
    log(`  （另有各区县部门、各机构账户共 ${accounts.length} 个，用户名规则见 docs/operations.md）`);
    log(`演示上传文件：${join(dataDir, 'demo-uploads')}`);
  }
  const stop = async () => {
    await app.close();
    await db.close();
  };
  return { app, db, port, stop, accounts, password };
}
