// The one database interface the server uses, over PGlite (embedded, in a worker thread) or a
// PostgreSQL server. Every statement is parameterised ($1, $2, …); no SQL is built from input.

export type Row = Record<string, unknown>;

export interface Sql {
  /** Run one parameterised statement and return its rows. */
  query<R = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Run `fn` in one transaction: all of it commits, or none of it (also when the process dies). */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Several statements separated by semicolons, no parameters (migrations only). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/** A PostgreSQL error with its SQLSTATE code, whichever driver raised it. */
export function sqlState(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;
}
