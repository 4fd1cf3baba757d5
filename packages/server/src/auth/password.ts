// Passwords are stored as Argon2id hashes (node:crypto, RFC 9106) in the PHC string format, with
// OWASP's minimum cost (19 MiB, 2 passes, 1 lane). Verification compares in constant time.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

const COST = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };

function derive(password: string, nonce: Buffer, c: typeof COST): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    argon2('argon2id', { message: password, nonce, ...c }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const key = await derive(password, nonce, COST);
  return `$argon2id$v=19$m=${COST.memory},t=${COST.passes},p=${COST.parallelism}$${nonce.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5], 'base64url');
  const key = await derive(password, Buffer.from(m[4], 'base64url'), {
    memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]), tagLength: expected.length,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** The password rule: at least 10 characters, with letters and digits (等保 二级 口令复杂度). */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return '密码至少 10 位 (password.too_short)';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字 (password.too_simple)';
  return null;
}
