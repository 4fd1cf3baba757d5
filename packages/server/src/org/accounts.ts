// Accounts: one person, one role, one unit, one data scope.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/types.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import type { Scope } from '../auth/principal.ts';
import { isRole } from '../auth/roles.ts';
import { invalid } from '../http/errors.ts';

export interface AccountInput {
  username: string;
  displayName: string;
  password: string;
  unitId: string;
  role: string;
  scope: Scope;
}

export async function createAccount(tx: Sql, a: AccountInput, passwordHash?: string): Promise<string> {
  if (!isRole(a.role)) throw invalid('account.role', `未知角色 ${a.role}`);
  const problem = passwordProblem(a.password);
  if (problem) throw invalid('account.password', problem);
  const [dup] = await tx.query('SELECT 1 FROM accounts WHERE username = $1', [a.username]);
  if (dup) throw invalid('account.username', `用户名 ${a.username} 已存在`);
  const [unit] = await tx.query('SELECT 1 FROM units WHERE id = $1', [a.unitId]);
  if (!unit) throw invalid('account.unit', `单位 ${a.unitId} 不存在`);
  const id = randomUUID();
  await tx.query(
    'INSERT INTO accounts (id, username, display_name, password_hash, unit_id, role, scope) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [id, a.username, a.displayName, passwordHash ?? (await hashPassword(a.password)), a.unitId, a.role, a.scope],
  );
  return id;
}
