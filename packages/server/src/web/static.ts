// The browser UI: packages/web/dist (built by Vite) served at `/`, with the single-page app's
// index.html for every other non-API GET, so a reload on /cycles/… works. The UI is built on
// demand (`ensureWebBuilt`) when dist is missing or older than its sources, so a fresh clone's
// `caijin serve` and the browser tests need no separate build step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const here = dirname(fileURLToPath(import.meta.url));
/** packages/web, next to this package. */
export const WEB_PACKAGE = resolve(here, '../../../web');
export const WEB_DIST = join(WEB_PACKAGE, 'dist');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const n of readdirSync(path)) m = Math.max(m, newest(join(path, n)));
  return m;
}

/** Is dist missing or older than the UI's sources? */
export function webBuildStale(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = [join(WEB_PACKAGE, 'src'), join(WEB_PACKAGE, 'index.html'), join(WEB_PACKAGE, 'vite.config.ts')].filter((p) => existsSync(p));
  return sources.some((p) => newest(p) > built);
}

/** Build the UI with Vite when needed (a few seconds to a minute). Returns false when it cannot. */
export function ensureWebBuilt(log: (line: string) => void = () => {}): boolean {
  if (!existsSync(join(WEB_PACKAGE, 'package.json'))) return false;
  if (!webBuildStale()) return true;
  const vite = resolve(WEB_PACKAGE, '../../node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) {
    log('未找到 Vite（请先 npm install），界面未构建');
    return false;
  }
  log('正在构建网页界面（vite build）…');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: WEB_PACKAGE, stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0 && existsSync(join(WEB_DIST, 'index.html'));
}

/** Serve the built UI when there is one; the API under /api is untouched. */
export async function registerWeb(app: FastifyInstance, root = WEB_DIST): Promise<void> {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: false, maxAge: '1h', immutable: false });
  // Every non-API GET that is not a file gets the app; the router in the page takes it from there.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(index));
    }
    return reply.status(404).send({ key: 'not_found', zh: '未找到' });
  });
}
