// A throwaway PostgreSQL server for the benchmark: initdb into a temp folder, start it on a free
// localhost port (unix socket in the same folder), hand back the connection string and a stop
// function that shuts it down and deletes the folder. Only localhost, never another host.
//
// The binaries are looked up on PATH, in /usr/local/bin and in /usr/lib/postgresql/*/bin. When
// they are missing this says that `apt-get install -y postgresql` is needed, and tries it when
// running as root. PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
// system user (or `nobody`).
//
// Settings for a benchmark of query speed on a disposable cluster: fsync, synchronous_commit and
// full_page_writes off (nothing here needs to survive a crash), work_mem 1GB (hash aggregates over
// millions of loans stay in memory).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface PgServer {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  connectionString: string;
  /** The same server over its unix socket. */
  socketConnectionString: string;
  port: number;
  dir: string;
  version: string;
  stop(): Promise<void>;
}

const TOOLS = ['initdb', 'pg_ctl', 'postgres'] as const;

/** A folder holding initdb, pg_ctl and postgres, or null. */
export function findPgBin(): string | null {
  const candidates: string[] = [];
  for (const d of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) candidates.push(d);
  candidates.push('/usr/local/bin');
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) {
    const versions = readdirSync(lib)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(lib, v, 'bin'));
  }
  for (const d of candidates) {
    if (!TOOLS.every((t) => existsSync(join(d, t)))) continue;
    // Symlinks in /usr/local/bin point into the real bin folder; use that one for all three.
    const real = dirname(realpathSync(join(d, 'initdb')));
    if (TOOLS.every((t) => existsSync(join(real, t)))) return real;
    return d;
  }
  return null;
}

function ensurePgBin(): string {
  let bin = findPgBin();
  if (bin) return bin;
  console.error('PostgreSQL (initdb, pg_ctl, postgres) not found: `apt-get install -y postgresql` is needed.');
  if (process.getuid?.() === 0) {
    console.error('Running as root: trying apt-get install -y postgresql …');
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    const r = spawnSync('apt-get', ['install', '-y', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status === 0) bin = findPgBin();
  }
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  return bin;
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The user the server runs as: ourselves, or as root an unprivileged system user. */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status !== 0) continue;
    const uid = Number(r.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
    return { name, uid, gid };
  }
  throw new Error('running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as');
}

export async function startPgServer(): Promise<PgServer> {
  const bin = ensurePgBin();
  const dir = mkdtempSync(join(tmpdir(), 'caijin-pg-'));
  const data = join(dir, 'data');
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (tool: string, args: string[]) => {
    const cmd = join(bin, tool);
    const [file, argv] = user ? ['runuser', ['-u', user.name, '--', cmd, ...args]] : [cmd, args];
    return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  const version = run('postgres', ['--version']).trim();
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const port = await freePort();
  const opts = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c work_mem=1GB',
    '-c max_wal_size=4GB',
  ].join(' ');
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // already down
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', opts, 'start']);
  } catch (e) {
    stopSync();
    throw e;
  }
  // If the benchmark dies without calling stop(), still shut this server down.
  process.once('exit', stopSync);
  return {
    connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    socketConnectionString: `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    port,
    dir,
    version,
    async stop() {
      process.removeListener('exit', stopSync);
      stopSync();
    },
  };
}

/** The name bench/run.ts uses. */
export const startPostgres = startPgServer;

// Run directly: start a server, print its connection string, stop on Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startPgServer();
  console.log(`${s.version}: ${s.connectionString} (socket folder ${s.dir}); Ctrl-C stops it`);
  const keep = setInterval(() => {}, 1 << 30);
  process.on('SIGINT', () => {
    clearInterval(keep);
    void s.stop().then(() => process.exit(0));
  });
}
