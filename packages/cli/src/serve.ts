// The platform commands: `caijin serve`, `caijin audit verify`, `caijin db backup|restore|migrate`.
// The database is PGlite in <data-dir>/pg unless DATABASE_URL (or --database-url) names a server.
import { join, resolve } from 'node:path';
import { backup, openDatabase, restore, startServer, verifyAudit } from '@caijin/server';
import { one, onlyFlags, UsageError, type Parsed } from './args.ts';

const dbOptions = (p: Parsed) => {
  const url = one(p, 'database-url') ?? process.env.DATABASE_URL;
  return url ? { url } : { dataDir: join(resolve(one(p, 'data-dir') ?? process.env.CAIJIN_DATA_DIR ?? 'caijin-data'), 'pg') };
};

export async function serveCommand(p: Parsed): Promise<number> {
  onlyFlags(p, ['port', 'host', 'data-dir', 'database-url', 'demo', 'demo-password']);
  const s = await startServer({
    port: Number(one(p, 'port') ?? process.env.PORT ?? 8080),
    host: one(p, 'host') ?? '127.0.0.1',
    dataDir: one(p, 'data-dir') ?? process.env.CAIJIN_DATA_DIR ?? 'caijin-data',
    databaseUrl: one(p, 'database-url') ?? process.env.DATABASE_URL,
    demo: p.flags.has('demo'),
    demoPassword: one(p, 'demo-password'),
  });
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await s.stop();
  return 0;
}

export async function auditCommand(p: Parsed, sub: string | undefined): Promise<number> {
  if (sub !== 'verify') throw new UsageError('usage: caijin audit verify [--data-dir <dir> | --database-url <url>]');
  onlyFlags(p, ['data-dir', 'database-url']);
  const db = await openDatabase(dbOptions(p));
  try {
    const v = await verifyAudit(db);
    process.stdout.write(JSON.stringify(v, null, 2) + '\n');
    if (!v.ok) process.stderr.write(`审计链校验失败：第 ${v.broken!.seq} 条，${v.broken!.zh} [${v.broken!.key}]\n`);
    return v.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

export async function dbCommand(p: Parsed, sub: string | undefined): Promise<number> {
  onlyFlags(p, ['data-dir', 'database-url', 'out', 'from']);
  const db = await openDatabase(dbOptions(p));
  try {
    if (sub === 'migrate') {
      process.stdout.write('数据库结构已是最新\n');
      return 0;
    }
    if (sub === 'backup') {
      const info = await backup(db, one(p, 'out', true)!);
      process.stdout.write(JSON.stringify(info, null, 2) + '\n');
      return info.audit.ok ? 0 : 1;
    }
    if (sub === 'restore') {
      const info = await restore(db, one(p, 'from', true)!);
      process.stdout.write(JSON.stringify(info, null, 2) + '\n');
      return info.audit.ok ? 0 : 1;
    }
    throw new UsageError('usage: caijin db migrate|backup --out <file>|restore --from <file> [--data-dir <dir> | --database-url <url>]');
  } finally {
    await db.close();
  }
}
