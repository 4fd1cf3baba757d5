// Result of parsing one cell. Parsers never throw on bad input: the importer collects every
// failure (file, row, column, value + this key and message) and rejects the bundle as a whole.

export type Parsed<T> = { ok: true; value: T } | { ok: false; key: string; zh: string };

/** The failure half of Parsed, assignable to Parsed<T> for every T. */
export type Failure = { ok: false; key: string; zh: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** `key`: stable English error key (e.g. `money.too_many_decimals`); `zh`: the message users read. */
export function fail(key: string, zh: string): Failure {
  return { ok: false, key, zh };
}
