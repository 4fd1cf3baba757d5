// A server killed with SIGKILL in the middle of an import restarts with nothing half-written; a
// second process cannot open the same PGlite data directory while the first runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { verifyAudit } from '../src/audit/chain.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const NODE = process.execPath;
const CLI = join(ROOT, 'packages/cli/bin/caijin.js');
const PASSWORD = 'Demo2026pass';

function serve(dir: string, port: number, env: Record<string, string> = {}): { proc: ChildProcess; out: () => string; ready: Promise<void> } {
  const proc = spawn(NODE, [CLI, 'serve', '--demo', '--data-dir', dir, '--port', String(port), '--demo-password', PASSWORD], { env: { ...process.env, ...env } });
  let out = '';
  proc.stdout!.on('data', (b) => (out += b));
  proc.stderr!.on('data', (b) => (out += b));
  const ready = new Promise<void>((res, rej) => {
    const t = setInterval(() => {
      if (out.includes('caijin 已启动')) {
        clearInterval(t);
        res();
      }
    }, 100);
    proc.once('exit', (code) => {
      clearInterval(t);
      rej(new Error(`server exited ${code}: ${out}`));
    });
  });
  return { proc, out: () => out, ready };
}

async function login(base: string, username: string) {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const { token } = (await r.json()) as { token: string };
  return {
    get: async (url: string) => (await fetch(base + url, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>,
    post: async (url: string, body: unknown) => fetch(base + url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    upload: (url: string, dir: string) => {
      const form = new FormData();
      for (const f of readdirSync(dir)) form.append('file', new Blob([readFileSync(join(dir, f))]), f);
      return fetch(base + url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    },
  };
}

describe('crash safety (PGlite data directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'caijin-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL during an import leaves nothing half-written; the restart takes over the lock', async () => {
    const port = 20000 + (process.pid % 10000);
    const base = `http://127.0.0.1:${port}`;
    const first = serve(dir, port, { CAIJIN_FAULT: 'import.file:60000' });
    await first.ready;

    // While it runs, a second process is refused the data directory.
    const second = spawnSync(NODE, [CLI, 'audit', 'verify', '--data-dir', dir], { encoding: 'utf8' });
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain('database.locked');

    const admin = await login(base, 'admin.wz');
    expect((await admin.post('/api/programmes/wenzhou-2022/cycles', { year: 2022 })).status).toBe(200);
    const bank = await login(base, 'bank.wz');
    const me = await bank.get('/api/me');
    const task = (await bank.get('/api/tasks')).find((t: { step: string }) => t.step === 'ledger');
    const upload = bank.upload(`/api/tasks/${task.id}/ledger`, join(dir, 'demo-uploads', 'wenzhou', me.unit)).catch(() => null);
    // Kill it inside the import's transaction: the first file is written, the rest is not.
    for (let i = 0; i < 600 && !first.out().includes('fault point import.file reached'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(first.out()).toContain('fault point import.file reached');
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    expect(await upload).toBeNull();

    // Restart on the same directory: the stale lock is taken over, the import is simply absent.
    const again = serve(dir, port);
    await again.ready;
    try {
      const bank2 = await login(base, 'bank.wz');
      expect((await bank2.get(`/api/tasks/${task.id}/versions`)).versions).toEqual([]);
      const ok = await bank2.upload(`/api/tasks/${task.id}/ledger`, join(dir, 'demo-uploads', 'wenzhou', me.unit));
      expect(ok.status).toBe(200);
      expect((await bank2.get(`/api/tasks/${task.id}/versions`)).versions).toHaveLength(1);
      // The same API from the command line (password from the environment, not argv).
      const cli = spawnSync(NODE, [CLI, 'api', 'GET', `/api/tasks/${task.id}/versions`, '--user', 'bank.wz', '--url', base], { encoding: 'utf8', env: { ...process.env, CAIJIN_PASSWORD: PASSWORD } });
      expect(cli.status, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout).versions).toHaveLength(1);
      const refused = spawnSync(NODE, [CLI, 'api', 'GET', '/api/accounts', '--user', 'bank.wz', '--url', base], { encoding: 'utf8', env: { ...process.env, CAIJIN_PASSWORD: PASSWORD } });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('forbidden');
    } finally {
      again.proc.kill('SIGTERM');
      await new Promise((r) => again.proc.once('exit', r));
    }
    // After a clean stop: no orphan files, and the audit chain holds.
    const db = await openDatabase({ dataDir: join(dir, 'pg') });
    try {
      const [orphans] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM version_files f WHERE f.sha256 = b.sha256)');
      expect(orphans.n).toBe(0);
      const [v] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM submission_versions');
      expect(v.n).toBe(1);
      expect((await verifyAudit(db)).ok).toBe(true);
    } finally {
      await db.close();
    }
  }, 300_000);
});
