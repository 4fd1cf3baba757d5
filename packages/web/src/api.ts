// The server's JSON API: same-origin fetch with the session cookie; every POST carries the
// session's CSRF token (x-csrf-token), which the server hands out at sign-in and on /api/me.
export interface Me {
  id: string;
  username: string;
  name: string;
  role: string;
  role_zh: string;
  unit: string;
  scope: string;
  csrf: string;
}

export class ApiErr extends Error {
  status: number;
  key: string;
  details: any;
  constructor(status: number, key: string, zh: string, details?: unknown) {
    super(zh);
    this.status = status;
    this.key = key;
    this.details = details;
  }
}

let csrf = '';
export const setCsrf = (t: string) => (csrf = t);

async function handle<T>(r: Response): Promise<T> {
  const ct = r.headers.get('content-type') ?? '';
  const body = ct.includes('json') ? await r.json() : await r.text();
  if (!r.ok) {
    const b = typeof body === 'object' && body ? body : { key: 'http', zh: String(body).slice(0, 200) };
    throw new ApiErr(r.status, b.key, b.zh ?? `请求失败（${r.status}）`, b.details);
  }
  return body as T;
}

export async function get<T = any>(url: string): Promise<T> {
  return handle<T>(await fetch(url, { credentials: 'same-origin' }));
}

export async function post<T = any>(url: string, body: unknown = {}): Promise<T> {
  return handle<T>(await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) }));
}

export async function upload<T = any>(url: string, files: File[], note?: string): Promise<T> {
  const fd = new FormData();
  if (note) fd.append('note', note);
  for (const f of files) fd.append('file', f, f.name);
  return handle<T>(await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf }, body: fd }));
}

/** Save a response (a POSTed export or any GET) as a file. */
export async function download(url: string, filename: string, body?: unknown): Promise<void> {
  const r = body === undefined
    ? await fetch(url, { credentials: 'same-origin' })
    : await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
  if (!r.ok) await handle(r);
  const blob = await r.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}
