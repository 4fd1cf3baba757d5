// A PostgreSQL server (≥ 15) by connection string, through node-postgres' pool.
import pg from 'pg';
import type { Database, Row, Sql } from './types.ts';

export async function openPostgres(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 8 });
  const [{ v }] = (await pool.query('SHOW server_version_num')).rows.map((r) => ({ v: Number(r.server_version_num) }));
  if (v < 150000) {
    await pool.end();
    throw new Error(`PostgreSQL ${v} 版本过低，需要 15 及以上 (database.version)`);
  }
  return {
    kind: 'postgres',
    query: async <R>(text: string, params?: readonly unknown[]) => (await pool.query(text, params as unknown[])).rows as R[],
    exec: async (script) => void (await pool.query(script)),
    transaction: async (fn) => {
      const client = await pool.connect();
      const tx: Sql = { query: async <R>(text: string, params?: readonly unknown[]) => (await client.query(text, params as unknown[])).rows as R[] };
      try {
        await client.query('BEGIN');
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
