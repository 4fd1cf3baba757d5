// 个人信息保护: a natural person's 公民身份号码 is masked in every list, export and log; seeing it
// in full is a logged action.
import { maskPartyId } from '@caijin/core';

/** Every 公民身份号码 anywhere in a result (recipients, trace rows, names of rows) masked; USCCs stay. */
export function maskResult<T>(result: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.length === 18 ? maskPartyId(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(result) as T;
}

/** The public form of a result: who gets how much and why in words; no input rows (commercial data). */
export function publicResult(result: Record<string, unknown>): Record<string, unknown> {
  const stripped = { ...result };
  if (Array.isArray(stripped.awards)) {
    stripped.awards = (stripped.awards as Record<string, unknown>[]).map(({ trace: _t, ...a }) => a);
  }
  if (Array.isArray(stripped.results)) {
    stripped.results = (stripped.results as Record<string, unknown>[]).map(({ breakdown: _b, ...r }) => r);
  }
  delete stripped.data;
  return maskResult(stripped);
}
