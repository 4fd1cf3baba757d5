// Test harness: the real server (fastify app, real database) on PGlite or on a throwaway
// PostgreSQL server, seeded with the demo, driven through HTTP requests (fastify's inject).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { DEFAULT_SESSION_POLICY } from '../src/auth/sessions.ts';
import { openDatabase } from '../src/db/open.ts';
import type { Database } from '../src/db/types.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { findPgBin, startPgServer, type PgServer } from '../../../bench/peers/pg-server.ts';

export const PASSWORD = 'Demo2026pass';

export type DbKind = 'pglite' | 'postgres';

/** The database kinds to run on: PGlite always; PostgreSQL when its binaries are here (always in CI). */
export function dbKinds(): DbKind[] {
  if (findPgBin()) return ['pglite', 'postgres'];
  if (process.env.CI) throw new Error('CI must install PostgreSQL (apt-get install postgresql): API tests run on both databases');
  return ['pglite'];
}

export interface Platform {
  app: FastifyInstance;
  db: Database;
  dir: string;
  uploads: string;
  close(): Promise<void>;
}

let pg: PgServer | null = null;
let pgUsers = 0;
let dbSeq = 0;

export async function openPlatform(kind: DbKind): Promise<Platform> {
  const dir = mkdtempSync(join(tmpdir(), 'caijin-test-'));
  let db: Database;
  if (kind === 'postgres') {
    pg ??= await startPgServer();
    pgUsers++;
    const { default: pgLib } = await import('pg');
    const admin = new pgLib.Client({ connectionString: pg.connectionString });
    await admin.connect();
    const name = `caijin_test_${process.pid}_${++dbSeq}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    db = await openDatabase({ url: pg.connectionString.replace(/\/postgres$/, `/${name}`) });
  } else {
    db = await openDatabase({ dataDir: null });
  }
  const uploads = join(dir, 'uploads');
  await seedDemo(db, PASSWORD, uploads);
  const app = await buildApp({ db, sessions: DEFAULT_SESSION_POLICY, workDir: dir, secureCookies: false }, { rateLimit: 100000, loginRateLimit: 100000 });
  return {
    app,
    db,
    dir,
    uploads,
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres' && --pgUsers === 0 && pg) {
        await pg.stop();
        pg = null;
      }
    },
  };
}

export interface Res {
  status: number;
  body: any;
}

export interface Client {
  username: string;
  token: string;
  csrf: string;
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown): Promise<Res>;
  upload(url: string, files: { name: string; bytes: Uint8Array }[], note?: string): Promise<Res>;
}

function parse(r: { statusCode: number; body: string; headers: Record<string, unknown> }): Res {
  const ct = String(r.headers['content-type'] ?? '');
  return { status: r.statusCode, body: ct.includes('json') ? JSON.parse(r.body) : r.body };
}

export function multipart(files: { name: string; bytes: Uint8Array }[], note?: string): { payload: Buffer; contentType: string } {
  const boundary = `----caijin${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  if (note !== undefined) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n${note}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: text/csv\r\n\r\n`));
    parts.push(Buffer.from(f.bytes));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Sign in through the API and keep the session cookie and CSRF token, as a browser would. */
export async function signIn(app: FastifyInstance, username: string, password = PASSWORD): Promise<Client> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
  const { token, csrf } = JSON.parse(r.body);
  const cookies = { caijin_session: token };
  return {
    username,
    token,
    csrf,
    get: async (url) => parse(await app.inject({ method: 'GET', url, cookies })),
    post: async (url, body) => parse(await app.inject({ method: 'POST', url, cookies, headers: { 'x-csrf-token': csrf }, payload: (body ?? {}) as object })),
    upload: async (url, files, note) => {
      const m = multipart(files, note);
      return parse(await app.inject({ method: 'POST', url, cookies, headers: { 'x-csrf-token': csrf, 'content-type': m.contentType }, payload: m.payload }));
    },
  };
}

export function folderFiles(dir: string): { name: string; bytes: Uint8Array }[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
}
