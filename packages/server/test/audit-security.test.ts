// The audit chain detects an edited or a deleted row; sign-in lockout, idle timeout; 身份证 numbers
// masked unless a logged full view; backup and restore keep everything and the chain.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../src/audit/chain.ts';
import { openDatabase } from '../src/db/open.ts';
import { backup, restore } from '../src/ops/backup.ts';
import { dbKinds, openPlatform, PASSWORD, signIn, type Platform } from './harness.ts';

for (const kind of dbKinds()) {
  describe(`audit and security on ${kind}`, () => {
    let p: Platform;
    beforeAll(async () => {
      p = await openPlatform(kind);
      const admin = await signIn(p.app, 'admin.wz');
      await admin.post('/api/programmes/wenzhou-2022/cycles', { year: 2022 });
      await admin.post('/api/programmes/wenzhou-2022/cycles', { year: 2023 });
      await (await signIn(p.app, 'admin.lh')).post('/api/programmes/linhai-2021/cycles', { year: 2021 });
    }, 180_000);
    afterAll(async () => p?.close());

    it('the chain verifies, and is append-only', async () => {
      const v = await verifyAudit(p.db);
      expect(v.ok).toBe(true);
      expect(v.entries).toBeGreaterThanOrEqual(4);
      const auditor = await signIn(p.app, 'auditor');
      expect((await auditor.get('/api/audit/verify')).body.ok).toBe(true);
      await expect(p.db.query(`UPDATE audit_log SET action = 'x' WHERE seq = 2`)).rejects.toThrow(/audit.append_only/);
      await expect(p.db.query(`DELETE FROM audit_log WHERE seq = 2`)).rejects.toThrow(/audit.append_only/);
    });

    it('backup and restore into an empty database keep every row and the chain', async () => {
      const file = join(p.dir, 'backup.jsonl');
      const b = await backup(p.db, file);
      expect(b.audit.ok).toBe(true);
      const fresh = await openDatabase({ dataDir: null });
      try {
        const r = await restore(fresh, file);
        expect(r.tables).toEqual(b.tables);
        expect(r.audit).toEqual(b.audit);
        // The restored platform works: a demo account signs in.
        const [a] = await fresh.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM accounts`);
        expect(a.n).toBe(b.tables.accounts);
      } finally {
        await fresh.close();
      }
    });

    it('an edited row breaks the chain at that row', async () => {
      // Someone with database access switches the guard off and edits history.
      await p.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_append_only');
      await p.db.query(`UPDATE audit_log SET detail = '{"year": 2099}' WHERE seq = 3`);
      const v = await verifyAudit(p.db);
      expect(v.ok).toBe(false);
      expect(v.broken).toMatchObject({ seq: 3, key: 'audit.hash' });
    });

    it('a deleted row breaks the chain where it was', async () => {
      await p.db.query(`DELETE FROM audit_log WHERE seq = 2`);
      const v = await verifyAudit(p.db);
      expect(v.ok).toBe(false);
      expect(v.broken).toMatchObject({ seq: 3, key: 'audit.gap' });
      await p.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_append_only');
    });

    it('five wrong passwords lock the account; the security administrator unlocks it', async () => {
      for (let i = 0; i < 4; i++) {
        const r = await p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'reviewer.wz', password: 'wrong-password-1' } });
        expect(r.statusCode).toBe(401);
      }
      const fifth = await p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'reviewer.wz', password: 'wrong-password-1' } });
      expect(fifth.statusCode).toBe(423);
      // Even the right password is refused now.
      const right = await p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'reviewer.wz', password: PASSWORD } });
      expect(right.statusCode).toBe(423);
      const sec = await signIn(p.app, 'secadmin');
      const [acct] = await p.db.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'reviewer.wz'`);
      expect((await sec.post(`/api/accounts/${acct.id}/unlock`)).status).toBe(200);
      await signIn(p.app, 'reviewer.wz');
      const logins = (await sec.get('/api/security/logins')).body;
      expect(logins.filter((l: { username: string; ok: boolean }) => l.username === 'reviewer.wz' && !l.ok).length).toBeGreaterThanOrEqual(6);
      // An unknown user gets the same answer as a wrong password.
      const unknown = await p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } });
      expect(JSON.parse(unknown.body).key).toBe('auth.failed');
    });

    it('an idle session expires', async () => {
      const c = await signIn(p.app, 'admin.lh');
      expect((await c.get('/api/me')).status).toBe(200);
      await p.db.query(`UPDATE sessions SET last_seen = now() - interval '31 minutes' WHERE account_id = (SELECT id FROM accounts WHERE username = 'admin.lh')`);
      expect((await c.get('/api/me')).status).toBe(403);
    });

    it('passwords are stored as Argon2id, never in clear', async () => {
      const rows = await p.db.query<{ password_hash: string }>('SELECT password_hash FROM accounts');
      expect(rows.every((r) => r.password_hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'))).toBe(true);
      expect(new Set(rows.map((r) => r.password_hash)).size).toBe(rows.length);
    });

    it('security headers are set', async () => {
      const r = await p.app.inject({ method: 'GET', url: '/api/public/results' });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(String(r.headers['content-security-policy'])).toContain("default-src 'self'");
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    });
  });
}
