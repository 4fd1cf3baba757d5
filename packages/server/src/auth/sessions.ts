// Sign-in and sessions: Argon2id passwords, lockout after repeated failures, an idle timeout and
// an absolute lifetime, a per-session CSRF token, and the login log (登录日志).
import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/chain.ts';
import type { Database, Sql } from '../db/types.ts';
import { ApiError } from '../http/errors.ts';
import { verifyPassword } from './password.ts';
import { visibleUnits, type Principal, type Scope } from './principal.ts';

export interface SessionPolicy {
  /** Failures in a row before the account locks. */
  maxFailures: number;
  lockMinutes: number;
  idleMinutes: number;
  maxHours: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { maxFailures: 5, lockMinutes: 15, idleMinutes: 30, maxHours: 12 };

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  unit_id: string;
  role: string;
  scope: Scope;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
}

export async function login(
  db: Database,
  policy: SessionPolicy,
  username: string,
  password: string,
  ip: string,
): Promise<{ token: string; csrf: string; accountId: string }> {
  const [a] = await db.query<AccountRow>('SELECT * FROM accounts WHERE username = $1', [username]);
  const refuse = async (reason: string, zh: string, status = 401): Promise<never> => {
    await db.query('INSERT INTO login_log (username, account_id, ok, reason, ip) VALUES ($1, $2, false, $3, $4)', [username, a?.id ?? null, reason, ip]);
    throw new ApiError(status, reason, zh);
  };
  // The same message for an unknown user and a wrong password: no probing for user names.
  if (!a || a.disabled) {
    await verifyPassword(password, '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    return refuse('auth.failed', '用户名或密码错误');
  }
  if (a.locked_until && a.locked_until.getTime() > Date.now()) {
    return refuse('auth.locked', `账户已锁定，请于 ${a.locked_until.toISOString()} 后再试或联系安全管理员`, 423);
  }
  if (!(await verifyPassword(password, a.password_hash))) {
    const failures = a.failed_logins + 1;
    const lock = failures >= policy.maxFailures;
    await db.query(
      `UPDATE accounts SET failed_logins = $2, locked_until = CASE WHEN $3 THEN now() + make_interval(mins => $4) ELSE locked_until END WHERE id = $1`,
      [a.id, lock ? 0 : failures, lock, policy.lockMinutes],
    );
    if (lock) {
      await db.transaction((tx) => appendAudit(tx, { actor: a.id, role: a.role, action: 'account.locked', object: a.id, detail: { failures } }));
      return refuse('auth.locked', `连续 ${failures} 次密码错误，账户已锁定 ${policy.lockMinutes} 分钟`, 423);
    }
    return refuse('auth.failed', '用户名或密码错误');
  }
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    await tx.query('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1', [a.id]);
    await tx.query('INSERT INTO sessions (token_hash, account_id, csrf_token) VALUES ($1, $2, $3)', [tokenHash(token), a.id, csrf]);
    await tx.query('INSERT INTO login_log (username, account_id, ok, ip) VALUES ($1, $2, true, $3)', [username, a.id, ip]);
  });
  return { token, csrf, accountId: a.id };
}

/** The principal of a session token, or null when it is unknown, ended, idle too long or too old. */
export async function principalOf(db: Database, policy: SessionPolicy, token: string): Promise<Principal | null> {
  const [s] = await db.query<AccountRow & { csrf_token: string; token_hash: string }>(
    `SELECT a.*, s.csrf_token, s.token_hash FROM sessions s JOIN accounts a ON a.id = s.account_id
      WHERE s.token_hash = $1 AND s.ended_at IS NULL AND NOT a.disabled
        AND s.last_seen > now() - make_interval(mins => $2) AND s.created_at > now() - make_interval(hours => $3)`,
    [tokenHash(token), policy.idleMinutes, policy.maxHours],
  );
  if (!s) return null;
  await db.query('UPDATE sessions SET last_seen = now() WHERE token_hash = $1', [s.token_hash]);
  return {
    accountId: s.id,
    username: s.username,
    displayName: s.display_name,
    role: s.role,
    unitId: s.unit_id,
    scope: s.scope,
    units: await visibleUnits(db, s.unit_id, s.scope),
    csrf: s.csrf_token,
  };
}

export async function logout(db: Sql, token: string): Promise<void> {
  await db.query('UPDATE sessions SET ended_at = now() WHERE token_hash = $1', [tokenHash(token)]);
}
