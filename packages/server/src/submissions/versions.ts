// Submissions as immutable versions: submit (a new version, the previous pending one superseded),
// withdraw, send back with a reason, approve (locks it; an earlier approved version is superseded).
// Each write is one transaction with its audit entry: all of it lands, or none of it.
import { createHash, randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { getUnit, institutionsUnder } from '../org/units.ts';
import { checkReporterBundle, type UploadedFile } from './bundle.ts';
import { diffFiles, diffIndicators, diffLedger, type IndicatorValue } from './diff.ts';
import { faultPoint } from './fault.ts';
import { loadTask, visibleTask, type TaskRow } from './tasks.ts';
import type { RequiredMaterial } from '../cycles/calendars.ts';

export interface VersionRow {
  id: string;
  task_id: string;
  unit_id: string;
  version: number;
  kind: 'ledger' | 'indicators' | 'materials';
  status: 'submitted' | 'withdrawn' | 'returned' | 'approved' | 'superseded';
  note: string | null;
  bundle_hash: string | null;
  summary: Record<string, unknown>;
  diff: unknown;
  created_by: string;
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const DECIMAL = /^-?\d+(\.\d+)?$/;

async function taskForSubmit(db: Sql, p: Principal, taskId: string, kind: TaskRow['submission']): Promise<TaskRow> {
  const t = await visibleTask(db, p, taskId);
  if (!can(p.role, 'submission.submit') || t.unit_id !== p.unitId) throw forbidden('只能由任务所属单位的填报员报送');
  if (t.cycle_status !== 'open') throw conflict('cycle.closed', '本期工作已结束，不再接受报送');
  if (t.submission !== kind) throw invalid('submission.kind', `该任务应报送${t.submission === 'ledger' ? '业务数据包' : t.submission === 'indicators' ? '指标表' : '材料'}`);
  return t;
}

export async function filesOf(db: Sql, versionId: string): Promise<(UploadedFile & { sha256: string })[]> {
  const rows = await db.query<{ name: string; sha256: string; bytes: Uint8Array }>(
    'SELECT f.name, f.sha256, b.bytes FROM version_files f JOIN blobs b ON b.sha256 = f.sha256 WHERE f.version_id = $1 ORDER BY f.name',
    [versionId],
  );
  return rows.map((r) => ({ name: r.name, sha256: r.sha256, bytes: new Uint8Array(r.bytes) }));
}

async function latest(db: Sql, taskId: string, statuses: string[]): Promise<VersionRow | undefined> {
  const [v] = await db.query<VersionRow & Record<string, unknown>>(
    'SELECT * FROM submission_versions WHERE task_id = $1 AND status = ANY($2) ORDER BY version DESC LIMIT 1',
    [taskId, statuses],
  );
  return v;
}

async function insertVersion(
  tx: Sql,
  p: Principal,
  t: TaskRow,
  kind: VersionRow['kind'],
  fields: { note?: string; bundleHash?: string | null; summary: object; diff: unknown },
): Promise<{ id: string; version: number }> {
  // One writer per task at a time: version numbers stay dense.
  await tx.query('SELECT id FROM tasks WHERE id = $1 FOR UPDATE', [t.id]);
  const [{ n }] = await tx.query<{ n: number }>('SELECT COALESCE(MAX(version), 0)::int + 1 AS n FROM submission_versions WHERE task_id = $1', [t.id]);
  await tx.query(`UPDATE submission_versions SET status = 'superseded' WHERE task_id = $1 AND status = 'submitted'`, [t.id]);
  const id = randomUUID();
  await tx.query(
    `INSERT INTO submission_versions (id, task_id, unit_id, version, kind, status, note, bundle_hash, summary, diff, created_by)
     VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8, $9, $10)`,
    [id, t.id, t.unit_id, n, kind, fields.note ?? null, fields.bundleHash ?? null, JSON.stringify(fields.summary), JSON.stringify(fields.diff ?? null), p.accountId],
  );
  return { id, version: n };
}

async function storeFiles(tx: Sql, versionId: string, files: readonly UploadedFile[], rows: Record<string, number> = {}): Promise<void> {
  for (const f of files) {
    const h = sha256(f.bytes);
    await tx.query('INSERT INTO blobs (sha256, size, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [h, f.bytes.length, f.bytes]);
    await faultPoint('import.file');
    await tx.query('INSERT INTO version_files (version_id, name, sha256, rows) VALUES ($1, $2, $3, $4)', [versionId, f.name, h, rows[f.name] ?? null]);
  }
}

/** The content hash of a set of files: SHA-256 over their names and hashes, in name order. */
export function filesHash(files: readonly UploadedFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) h.update(`${f.name}\n${sha256(f.bytes)}\n`);
  return h.digest('hex');
}

export async function submitLedger(db: Database, p: Principal, taskId: string, files: UploadedFile[], note?: string) {
  const t = await taskForSubmit(db, p, taskId, 'ledger');
  if (files.length === 0) throw invalid('bundle.empty', '没有上传任何文件');
  const reporter = (await getUnit(db, t.unit_id))!;
  const registry = await institutionsUnder(db, t.owner_unit);
  const { rows } = await checkReporterBundle(files, registry, reporter);
  const prev = await latest(db, t.id, ['submitted', 'approved', 'returned', 'withdrawn']);
  const diff = prev ? diffLedger(await filesOf(db, prev.id), files) : null;
  const bundleHash = filesHash(files);
  return db.transaction(async (tx) => {
    const v = await insertVersion(tx, p, t, 'ledger', { note, bundleHash, summary: { rows }, diff });
    await storeFiles(tx, v.id, files, rows);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'submission.submit', object: v.id, detail: { task: t.id, version: v.version, kind: 'ledger', bundleHash, rows } });
    return { ...v, bundleHash, rows, diff };
  });
}

export async function submitIndicators(db: Database, p: Principal, taskId: string, values: IndicatorValue[], note?: string) {
  const t = await taskForSubmit(db, p, taskId, 'indicators');
  const allowed = new Set(t.indicators ?? []);
  const errors: { row: number; column?: string; value?: string; key: string; zh: string }[] = [];
  values.forEach((v, i) => {
    if (v.subject !== t.subject_unit) errors.push({ row: i + 1, column: 'subject', value: v.subject, key: 'indicator.subject', zh: '只能填报本任务对应的被评价单位' });
    if (!allowed.has(v.indicator)) errors.push({ row: i + 1, column: 'indicator', value: v.indicator, key: 'indicator.not_assigned', zh: `指标 ${v.indicator} 不由本部门填报（本部门负责：${[...allowed].join('、')}）` });
    for (const f of ['actual', 'target', 'points', 'previous'] as const) {
      const x = v[f];
      if (x !== null && x !== undefined && !DECIMAL.test(String(x))) errors.push({ row: i + 1, column: f, value: String(x), key: 'indicator.number', zh: '应为数字' });
    }
  });
  if (errors.length) throw invalid('indicators.rejected', `指标表未通过校验，共 ${errors.length} 处错误，未保存任何数据`, errors);
  const norm = values.map((v) => ({ ...v, actual: v.actual ?? null, target: v.target ?? null, points: v.points ?? null, previous: v.previous ?? null }));
  const prev = await latest(db, t.id, ['submitted', 'approved', 'returned', 'withdrawn']);
  const diff = prev ? diffIndicators(await indicatorValues(db, prev.id), norm) : null;
  return db.transaction(async (tx) => {
    const v = await insertVersion(tx, p, t, 'indicators', { note, summary: { values: norm.length }, diff });
    for (const x of norm) {
      await tx.query(
        'INSERT INTO indicator_values (version_id, subject, indicator, actual, target, points, previous) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [v.id, x.subject, x.indicator, x.actual, x.target, x.points, x.previous],
      );
    }
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'submission.submit', object: v.id, detail: { task: t.id, version: v.version, kind: 'indicators', values: norm.length } });
    return { ...v, diff };
  });
}

export async function submitMaterials(db: Database, p: Principal, taskId: string, files: UploadedFile[], note?: string) {
  const t = await taskForSubmit(db, p, taskId, 'materials');
  if (files.length === 0) throw invalid('materials.empty', '没有上传任何材料');
  const [step] = await db.query<{ materials: RequiredMaterial[] | null; cite: string }>('SELECT materials, cite FROM cycle_steps WHERE id = $1', [t.step_id]);
  const required = step.materials ?? [];
  const covered = required.map((m) => ({ ...m, files: files.filter((f) => new RegExp(m.match).test(f.name)).map((f) => f.name) }));
  const missing = covered.filter((m) => m.files.length === 0);
  if (missing.length) {
    throw invalid('materials.missing', `缺少${step.cite}规定的材料：${missing.map((m) => m.zh).join('、')}（文件名应含“${missing.map((m) => m.match).join('”“')}”）`, missing.map((m) => ({ key: 'materials.missing', item: m.code, zh: m.zh })));
  }
  const prev = await latest(db, t.id, ['submitted', 'approved', 'returned', 'withdrawn']);
  const now = files.map((f) => ({ name: f.name, sha256: sha256(f.bytes) }));
  const diff = prev ? diffFiles(await filesOf(db, prev.id), now) : null;
  return db.transaction(async (tx) => {
    const v = await insertVersion(tx, p, t, 'materials', { note, bundleHash: filesHash(files), summary: { files: now, items: covered.map(({ code, zh, files }) => ({ code, zh, files })) }, diff });
    await storeFiles(tx, v.id, files);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'submission.submit', object: v.id, detail: { task: t.id, version: v.version, kind: 'materials', files: now } });
    return { ...v, diff };
  });
}

export async function indicatorValues(db: Sql, versionId: string): Promise<IndicatorValue[]> {
  return db.query<IndicatorValue & Record<string, unknown>>(
    'SELECT subject, indicator, actual::text, target::text, points::text, previous::text FROM indicator_values WHERE version_id = $1 ORDER BY subject, indicator',
    [versionId],
  );
}

/** A version the principal may see (its unit's, or within its scope); others look absent. */
export async function visibleVersion(db: Sql, p: Principal, id: string): Promise<VersionRow> {
  if (!can(p.role, 'submission.read')) throw forbidden();
  const [v] = await db.query<VersionRow & Record<string, unknown>>('SELECT * FROM submission_versions WHERE id = $1', [id]);
  if (!v || !seesUnit(p, v.unit_id)) throw notFound('报送版本');
  if (p.scope === 'self' && v.created_by !== p.accountId) throw notFound('报送版本');
  return v;
}

async function decide(db: Database, p: Principal, id: string, to: 'withdrawn' | 'returned' | 'approved', reason?: string) {
  const v = await visibleVersion(db, p, id);
  if (to === 'withdrawn') {
    if (v.created_by !== p.accountId && v.unit_id !== p.unitId) throw forbidden('只能撤回本单位的报送');
    if (!can(p.role, 'submission.submit')) throw forbidden();
  } else {
    if (!can(p.role, 'submission.review')) throw forbidden('只有审核员可以退回或审核通过');
    if (to === 'returned' && !reason?.trim()) throw invalid('review.reason', '退回必须说明理由');
  }
  if (v.status !== 'submitted') throw conflict('submission.state', `该版本当前状态为“${STATUS_ZH[v.status]}”，不能${ACTION_ZH[to]}`);
  return db.transaction(async (tx) => {
    // Lock the row and re-check: two reviewers clicking at once decide once.
    const [cur] = await tx.query<{ status: string }>('SELECT status FROM submission_versions WHERE id = $1 FOR UPDATE', [id]);
    if (cur.status !== 'submitted') throw conflict('submission.state', `该版本已被${STATUS_ZH[cur.status as VersionRow['status']]}`);
    if (to === 'approved') {
      await tx.query(`UPDATE submission_versions SET status = 'superseded' WHERE task_id = $1 AND status = 'approved'`, [v.task_id]);
    }
    await tx.query('UPDATE submission_versions SET status = $2, decided_by = $3, decided_at = now(), reason = $4 WHERE id = $1', [id, to, p.accountId, reason ?? null]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: `submission.${to === 'withdrawn' ? 'withdraw' : to === 'returned' ? 'return' : 'approve'}`, object: id, detail: { task: v.task_id, version: v.version, reason: reason ?? null } });
    return { id, status: to };
  });
}

const STATUS_ZH: Record<VersionRow['status'], string> = { submitted: '待审核', withdrawn: '已撤回', returned: '已退回', approved: '已通过', superseded: '已被新版本替代' };
const ACTION_ZH = { withdrawn: '撤回', returned: '退回', approved: '审核通过' } as const;

export const withdrawVersion = (db: Database, p: Principal, id: string) => decide(db, p, id, 'withdrawn');
export const returnVersion = (db: Database, p: Principal, id: string, reason: string) => decide(db, p, id, 'returned', reason);
export const approveVersion = (db: Database, p: Principal, id: string) => decide(db, p, id, 'approved');

/**
 * What computations read: for ledgers, each unit's approved version of its latest step (a monthly
 * report carries the year to date, so the newest month replaces the earlier ones); for indicator
 * tables and materials, the approved version of every task.
 */
export async function approvedVersions(db: Sql, cycleId: string, kind: VersionRow['kind'], stepCode?: string): Promise<(VersionRow & { subject_unit: string | null })[]> {
  const all = await db.query<VersionRow & { subject_unit: string | null; seq: number } & Record<string, unknown>>(
    `SELECT v.*, t.subject_unit, s.seq FROM submission_versions v JOIN tasks t ON t.id = v.task_id JOIN cycle_steps s ON s.id = t.step_id
      WHERE s.cycle_id = $1 AND v.kind = $2 AND v.status = 'approved' AND ($3::text IS NULL OR s.code = $3) ORDER BY v.unit_id, s.seq DESC`,
    [cycleId, kind, stepCode ?? null],
  );
  if (kind !== 'ledger') return all;
  const seen = new Set<string>();
  return all.filter((v) => !seen.has(v.unit_id) && seen.add(v.unit_id));
}

export { loadTask };
