// Backup and restore: a logical copy of every platform table as JSON lines, the same on PGlite and
// on a PostgreSQL server, so a backup of one restores into the other. Restore goes into a freshly
// migrated, empty database, without switching triggers off: locked versions are written as
// pending, their files added, then their real status set, and the audit chain is verified after.
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { verifyAudit, type AuditVerdict } from '../audit/chain.ts';
import type { Database, Sql } from '../db/types.ts';

/** Tables in an order that keeps foreign keys satisfied row by row. */
const TABLES = [
  'regions', 'units', 'accounts', 'sessions', 'login_log', 'operation_log', 'programmes', 'cycles', 'cycle_steps', 'tasks',
  'extensions', 'reminders', 'blobs', 'submission_versions', 'version_files', 'indicator_values', 'computations', 'objections', 'audit_log',
] as const;
/** Tables with a self-reference: parents first. */
const TREE_ORDER: Record<string, string> = {
  regions: `WITH RECURSIVE t(code, d) AS (SELECT code, 0 FROM regions WHERE parent IS NULL UNION ALL SELECT r.code, t.d + 1 FROM regions r JOIN t ON r.parent = t.code)
            SELECT row_to_json(x)::text AS j FROM regions x JOIN t ON t.code = x.code ORDER BY t.d, x.code`,
  units: `WITH RECURSIVE t(id, d) AS (SELECT id, 0 FROM units WHERE parent_id IS NULL UNION ALL SELECT u.id, t.d + 1 FROM units u JOIN t ON u.parent_id = t.id)
          SELECT row_to_json(x)::text AS j FROM units x JOIN t ON t.id = x.id ORDER BY t.d, x.id`,
};
const SERIALS: Record<string, string> = { login_log: 'id', operation_log: 'id', reminders: 'id' };

export interface BackupInfo {
  tables: Record<string, number>;
  audit: AuditVerdict;
}

export async function backup(db: Database, file: string): Promise<BackupInfo> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: string) => {
    if (!out.write(line + '\n')) await once(out, 'drain');
  };
  const [m] = await db.query<{ v: number }>('SELECT MAX(version)::int AS v FROM schema_migrations');
  await write(JSON.stringify({ format: 'caijin-backup', version: 1, schema: m.v, created_at: new Date().toISOString() }));
  const tables: Record<string, number> = {};
  // One transaction: a consistent picture even while the server runs.
  await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY').catch(() => {});
    for (const t of TABLES) {
      const rows = await tx.query<{ j: string }>(TREE_ORDER[t] ?? `SELECT row_to_json(x)::text AS j FROM ${t} x`);
      await write(JSON.stringify({ table: t, rows: rows.length }));
      for (const r of rows) await write(r.j);
      tables[t] = rows.length;
    }
  });
  out.end();
  await once(out, 'finish');
  return { tables, audit: await verifyAudit(db) };
}

async function insertRow(tx: Sql, table: string, json: string): Promise<void> {
  await tx.query(`INSERT INTO ${table} SELECT * FROM json_populate_record(NULL::${table}, $1::json)`, [json]);
}

export async function restore(db: Database, file: string): Promise<BackupInfo> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const head = JSON.parse((await it.next()).value ?? '{}');
  if (head.format !== 'caijin-backup') throw new Error('不是 caijin 备份文件 (backup.format)');
  const [m] = await db.query<{ v: number }>('SELECT MAX(version)::int AS v FROM schema_migrations');
  if (head.schema !== m.v) throw new Error(`备份的数据库结构版本 ${head.schema} 与当前 ${m.v} 不同 (backup.schema)`);
  const [n] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM units');
  if (n.n > 0) throw new Error('只能恢复到空数据库 (backup.not_empty)');
  const tables: Record<string, number> = {};
  const finalStatus: { id: string; status: string }[] = [];
  await db.transaction(async (tx) => {
    let table = '';
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const line = r.value;
      if (!line) continue;
      const o = JSON.parse(line);
      if (typeof o.table === 'string' && Object.keys(o).length === 2 && 'rows' in o) {
        if (!(TABLES as readonly string[]).includes(o.table)) throw new Error(`未知的表 ${o.table} (backup.table)`);
        table = o.table;
        tables[table] = 0;
        continue;
      }
      if (table === 'submission_versions' && (o.status === 'approved' || o.status === 'superseded')) {
        finalStatus.push({ id: o.id, status: o.status });
        await insertRow(tx, table, JSON.stringify({ ...o, status: 'submitted' }));
      } else {
        if (table === 'computations' && finalStatus.length) await settle(tx, finalStatus);
        await insertRow(tx, table, line);
      }
      tables[table]++;
    }
    await settle(tx, finalStatus);
    for (const [t, col] of Object.entries(SERIALS)) {
      await tx.query(`SELECT setval(pg_get_serial_sequence('${t}', '${col}'), GREATEST((SELECT MAX(${col}) FROM ${t}), 1))`);
    }
  });
  const audit = await verifyAudit(db);
  return { tables, audit };
}

async function settle(tx: Sql, pending: { id: string; status: string }[]): Promise<void> {
  for (const v of pending.splice(0)) await tx.query('UPDATE submission_versions SET status = $2 WHERE id = $1', [v.id, v.status]);
}
