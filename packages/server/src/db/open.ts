// Open the platform database: a PostgreSQL server when DATABASE_URL (or --database-url) is given,
// otherwise the embedded PGlite in a data directory (or in memory for tests), then migrate.
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Database } from './types.ts';

export interface OpenOptions {
  url?: string;
  /** PGlite data directory; null = in memory. */
  dataDir?: string | null;
}

export async function openDatabase(o: OpenOptions): Promise<Database> {
  const db = o.url ? await openPostgres(o.url) : await openPglite(o.dataDir ?? null);
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
