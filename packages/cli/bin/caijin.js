#!/usr/bin/env node
// Entry shim. caijin targets Node 24; the set-up installs it as the `node` npm package.
// When this file is started by an older system Node (e.g. Debian's 20), re-run it on that one.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  let dir = dirname(realpathSync(fileURLToPath(import.meta.url)));
  let found = null;
  for (;;) {
    const candidate = join(dir, 'node_modules', 'node', 'bin', 'node');
    if (existsSync(candidate)) { found = candidate; break; }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!found) {
    process.stderr.write(`caijin needs Node >= 22 (found ${process.versions.node}); run npm install in the checkout first\n`);
    process.exit(2);
  }
  const r = spawnSync(found, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else {
  const { main } = await import('../src/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
