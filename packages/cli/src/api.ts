// `caijin api`: the platform's API from the command line, for everything the server does
// (applications, payments, fund uses, recovery cases, deposit allocations, sampling reviews…).
// Signs in as the given account; the password comes from an environment variable, never argv.
import { one, onlyFlags, UsageError, type Parsed } from './args.ts';

export async function apiCommand(p: Parsed): Promise<number> {
  onlyFlags(p, ['url', 'user', 'password-env', 'body']);
  const [, method, path] = p.positional;
  if (!method || !path || !/^(GET|POST)$/i.test(method) || !path.startsWith('/api/')) {
    throw new UsageError('usage: caijin api GET|POST /api/… [--body <json>] --user <name> [--password-env CAIJIN_PASSWORD] [--url http://127.0.0.1:8080]');
  }
  const url = one(p, 'url') ?? process.env.CAIJIN_URL ?? 'http://127.0.0.1:8080';
  const user = one(p, 'user', true)!;
  const envName = one(p, 'password-env') ?? 'CAIJIN_PASSWORD';
  const password = process.env[envName];
  if (!password) throw new UsageError(`set the password in the environment variable ${envName}`);
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  if (!login.ok) {
    process.stderr.write(`登录失败 (${login.status})：${await login.text()}\n`);
    return 1;
  }
  const { token } = (await login.json()) as { token: string };
  const body = one(p, 'body');
  const r = await fetch(url + path, {
    method: method.toUpperCase(),
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ?? (method.toUpperCase() === 'POST' ? '{}' : undefined),
  });
  const text = await r.text();
  (r.ok ? process.stdout : process.stderr).write(text.endsWith('\n') ? text : text + '\n');
  await fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => {});
  return r.ok ? 0 : 1;
}
