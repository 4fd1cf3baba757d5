// 审计日志: an append-only, hash-chained log of every business action. Each entry's hash is the
// SHA-256 of the previous entry's hash and this entry's canonical JSON, so editing or deleting any
// row breaks the chain from there on; `verifyAudit` finds the first break.
import { createHash } from 'node:crypto';
import type { Sql } from '../db/types.ts';

export interface AuditEntry {
  actor: string | null;
  role: string | null;
  action: string;
  object?: string | null;
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

function entryHash(prev: string, e: { seq: number; at: string; actor: string | null; role: string | null; action: string; object: string | null; detail: unknown }): string {
  const body = canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, role: e.role, action: e.action, object: e.object, detail: e.detail });
  return createHash('sha256').update(prev).update('\n').update(body).digest('hex');
}

/** Append one entry inside the caller's transaction (so the action and its record commit together). */
export async function appendAudit(tx: Sql, e: AuditEntry): Promise<{ seq: number; hash: string }> {
  // One writer at a time, or two transactions would chain onto the same predecessor.
  await tx.query('SELECT pg_advisory_xact_lock(7001)');
  const [last] = await tx.query<{ seq: string; hash: string }>('SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1');
  const seq = last ? Number(last.seq) + 1 : 1;
  const prev = last ? last.hash : GENESIS;
  const at = new Date().toISOString();
  // Round-trip through JSON so the hash covers exactly what jsonb gives back.
  const detail = JSON.parse(JSON.stringify(e.detail ?? {}));
  const entry = { seq, at, actor: e.actor, role: e.role, action: e.action, object: e.object ?? null, detail };
  const hash = entryHash(prev, entry);
  await tx.query(
    'INSERT INTO audit_log (seq, at, actor, role, action, object, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [seq, at, entry.actor, entry.role, entry.action, entry.object, JSON.stringify(detail), prev, hash],
  );
  return { seq, hash };
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  /** The first entry where the chain breaks, and why. */
  broken?: { seq: number; key: string; zh: string };
}

export async function verifyAudit(db: Sql): Promise<AuditVerdict> {
  const rows = await db.query<{ seq: string; at: Date; actor: string | null; role: string | null; action: string; object: string | null; detail: unknown; prev_hash: string; hash: string }>(
    'SELECT seq::text AS seq, at, actor, role, action, object, detail, prev_hash, hash FROM audit_log ORDER BY audit_log.seq',
  );
  let prev = GENESIS;
  let expected = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    const fail = (key: string, zh: string): AuditVerdict => ({ ok: false, entries: rows.length, head: null, broken: { seq, key, zh } });
    if (seq !== expected) return fail('audit.gap', `第 ${expected} 条记录缺失（下一条是第 ${seq} 条），日志被删除过`);
    if (r.prev_hash !== prev) return fail('audit.link', `第 ${seq} 条记录的前序哈希与第 ${seq - 1} 条不符，日志被改动过`);
    const at = r.at instanceof Date ? r.at.toISOString() : new Date(String(r.at)).toISOString();
    const h = entryHash(prev, { seq, at, actor: r.actor, role: r.role, action: r.action, object: r.object, detail: r.detail });
    if (h !== r.hash) return fail('audit.hash', `第 ${seq} 条记录的内容与其哈希不符，记录被改动过`);
    prev = r.hash;
    expected++;
  }
  const last = rows.at(-1);
  return { ok: true, entries: rows.length, head: last ? { seq: Number(last.seq), hash: last.hash } : null };
}
