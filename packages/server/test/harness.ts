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

export interface LedgerProgramme {
  id: string;
  key: string;
  city: string;
  year: number;
}

const ROLE_OF: Record<string, string> = { bank: 'bank_reporter', guarantor: 'guarantor_reporter', reguarantor: 'guarantor_reporter', insurer: 'insurer_reporter', department: 'district_filler' };

/**
 * A ledger programme's cycle through the API: the bureau opens it, every reporter the calendar
 * asks uploads its demo data (monthly programmes: an early month and December), the reviewer
 * approves everything, the bureau computes. Returns the cycle and the finished computation.
 */
export async function runLedgerCycle(p: Platform, prog: LedgerProgramme): Promise<{ cycleId: string; computationId: string; admin: Client; reporters: Map<string, Client> }> {
  const { jobs } = await import('../src/compute/jobs.ts');
  const sys = await signIn(p.app, 'sysadmin');
  const admin = await signIn(p.app, `admin.${prog.key}`);
  const reviewer = await signIn(p.app, `reviewer.${prog.key}`);
  const opened = await admin.post(`/api/programmes/${prog.id}/cycles`, { year: prog.year });
  if (opened.status !== 200) throw new Error(`open cycle: ${JSON.stringify(opened.body)}`);
  const cycleId: string = opened.body.id;
  const units: { id: string; kind: string }[] = (await sys.get('/api/units')).body;
  const reporters = new Map<string, Client>();
  const versions: string[] = [];
  for (const dir of readdirSync(join(p.uploads, prog.city))) {
    if (dir === 'bundle') continue;
    const unit = units.find((u) => u.id === dir)!;
    const username = `r.${dir}`.slice(0, 60);
    const exists = await p.db.query('SELECT 1 FROM accounts WHERE username = $1', [username]);
    if (!exists.length) {
      const r = await sys.post('/api/accounts', { username, displayName: `${dir} 填报员`, password: PASSWORD, unitId: dir, role: ROLE_OF[unit.kind], scope: 'unit' });
      if (r.status !== 200) throw new Error(`account ${username}: ${JSON.stringify(r.body)}`);
    }
    const c = await signIn(p.app, username);
    const tasks = ((await c.get('/api/tasks')).body as { id: string; cycle_id: string; submission: string }[]).filter((t) => t.cycle_id === cycleId && t.submission === 'ledger');
    // Only the units the programme's calendar asks (Liaocheng: its guarantors) report.
    if (tasks.length === 0) continue;
    reporters.set(dir, c);
    const files = folderFiles(join(p.uploads, prog.city, dir));
    // Monthly programmes: the December report carries the year to date; an earlier month is also
    // handed in and approved, and must not be counted twice.
    if (tasks.length > 1) {
      const early = await c.upload(`/api/tasks/${tasks[0].id}/ledger`, files);
      if (early.status !== 200) throw new Error(`upload ${dir}: ${JSON.stringify(early.body).slice(0, 2000)}`);
      versions.push(early.body.id);
    }
    const r = await c.upload(`/api/tasks/${tasks.at(-1)!.id}/ledger`, files, '年度数据');
    if (r.status !== 200) throw new Error(`upload ${dir}: ${JSON.stringify(r.body).slice(0, 2000)}`);
    versions.push(r.body.id);
  }
  for (const v of versions) {
    const r = await reviewer.post(`/api/versions/${v}/approve`);
    if (r.status !== 200) throw new Error(`approve ${v}: ${JSON.stringify(r.body)}`);
  }
  const started = await admin.post(`/api/cycles/${cycleId}/computations`, {});
  if (started.status !== 200) throw new Error(`compute: ${JSON.stringify(started.body)}`);
  await jobs.done(started.body.id);
  return { cycleId, computationId: started.body.id, admin, reporters };
}
