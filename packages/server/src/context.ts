// What every route needs: the database, the session policy, where jobs keep their files.
import type { SessionPolicy } from './auth/sessions.ts';
import type { Database } from './db/types.ts';

export interface Ctx {
  db: Database;
  sessions: SessionPolicy;
  /** Snapshots of computed inputs and other job files. */
  workDir: string;
  /** Send the session cookie with `Secure` (behind HTTPS). */
  secureCookies: boolean;
}
