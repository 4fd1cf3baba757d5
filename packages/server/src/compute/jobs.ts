// Computations run as jobs from approved versions only: merge the approved ledger bundles (or
// collect the approved indicator tables), run the rules or the scheme, and record exactly what was
// used: policy version (hash of its files), parameters, variants and the input snapshot's hash.
// Then the bureau approves and publishes; a published result is frozen, with a 公示 period.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Q } from '@caijin/core';
import { evaluateScheme, loadScheme, schemesRoot, type EvalInputs } from '@caijin/evaluate';
import { computePolicy, loadPolicy, policiesRoot, PolicyError, ParamError } from '@caijin/rules';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { conflict, forbidden, invalid, notFound } from '../http/errors.ts';
import { approvedVersions, indicatorValues } from '../submissions/versions.ts';
import { approvedBundle } from './approved.ts';
import { visibleProgramme, type ProgrammeRow } from '../cycles/cycles.ts';

export interface ComputeRequest {
  parameters?: Record<string, string>;
  variants?: Record<string, string>;
}

/** SHA-256 over a policy or scheme folder's files (names and contents): the rule version used. */
export function folderHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else h.update(`${rel}${name}\n`).update(readFileSync(p)).update('\n');
    }
  };
  walk(dir, '');
  return h.digest('hex');
}

async function cycleAndProgramme(db: Sql, p: Principal, cycleId: string): Promise<{ cycle: { id: string; year: number; status: string }; prog: ProgrammeRow }> {
  const [c] = await db.query<{ id: string; year: number; status: string; programme_id: string }>('SELECT id, year, status, programme_id FROM cycles WHERE id = $1', [cycleId]);
  if (!c) throw notFound('工作周期');
  const prog = await visibleProgramme(db, p, c.programme_id);
  if (!seesUnit(p, prog.owner_unit)) throw notFound('工作周期');
  return { cycle: c, prog };
}

export interface JobRunner {
  /** Resolves when the job has finished (tests wait on it; the API reports progress meanwhile). */
  done(id: string): Promise<void>;
}

const running = new Map<string, Promise<void>>();
export const jobs: JobRunner = { done: (id) => running.get(id) ?? Promise.resolve() };

export async function startComputation(db: Database, p: Principal, cycleId: string, req: ComputeRequest, workDir: string) {
  if (!can(p.role, 'computation.run')) throw forbidden();
  const { cycle, prog } = await cycleAndProgramme(db, p, cycleId);
  // Check parameters and variants now, so a typo is a clear error rather than a failed job.
  if (prog.kind === 'policy') {
    try {
      loadPolicy(prog.ref, { params: req.parameters, variants: req.variants });
    } catch (e) {
      if (e instanceof PolicyError || e instanceof ParamError) throw invalid('computation.parameters', (e as Error).message);
      throw e;
    }
  }
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO computations (id, cycle_id, status, stage, parameters, variants, created_by) VALUES ($1, $2, 'queued', '排队', $3, $4, $5)`,
      [id, cycleId, JSON.stringify(req.parameters ?? {}), JSON.stringify(req.variants ?? {}), p.accountId],
    );
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'computation.start', object: id, detail: { cycle: cycleId, parameters: req.parameters ?? {}, variants: req.variants ?? {} } });
  });
  const job = runJob(db, id, prog, cycle.year, cycleId, req, workDir).catch(async (e) => {
    await db.query(`UPDATE computations SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, (e as Error).message]).catch(() => {});
  });
  running.set(id, job.finally(() => running.delete(id)));
  return { id, status: 'queued' };
}

async function progress(db: Sql, id: string, pct: number, stage: string) {
  await db.query(`UPDATE computations SET status = 'running', progress = $2, stage = $3 WHERE id = $1`, [id, pct, stage]);
}

async function runJob(db: Database, id: string, prog: ProgrammeRow, year: number, cycleId: string, req: ComputeRequest, workDir: string) {
  await progress(db, id, 5, '收集已审核数据');
  if (prog.kind === 'policy') {
    const { bundle, snapshot, versions } = await approvedBundle(db, prog.owner_unit, cycleId, workDir, (pct, stage) => progress(db, id, pct, stage));
    await progress(db, id, 60, '计算');
    const policy = loadPolicy(prog.ref, { params: req.parameters, variants: req.variants });
    const result = computePolicy(policy, bundle, year, { trace: true });
    const inputs = { snapshot, versions: versions.map((v) => ({ id: v.id, unit: v.unit_id, version: v.version, bundle_hash: v.bundle_hash })) };
    await finish(db, id, folderHash(join(policiesRoot(), prog.ref)), inputs, result);
  } else {
    const scheme = loadScheme(prog.ref);
    const versions = await approvedVersions(db, cycleId, 'indicators');
    const rows: EvalInputs['rows'] = [];
    const names = new Map<string, string>();
    for (const v of versions) {
      for (const x of await indicatorValues(db, v.id)) {
        const q = (s: string | null) => (s === null ? null : Q.parse(s));
        rows.push({ unit: x.subject, indicator: x.indicator, actual: q(x.actual), target: q(x.target), points: q(x.points), previous: q(x.previous), row: rows.length + 2 });
      }
    }
    for (const u of await db.query<{ id: string; name: string }>('SELECT id, name FROM units WHERE id = ANY($1)', [[...new Set(rows.map((r) => r.unit))]])) names.set(u.id, u.name);
    // Earlier published results of this programme: history for 连续两年 and 取消评优 rules.
    const history: EvalInputs['history'] = [];
    for (const h of await db.query<{ year: number; result: { results: { unit: string; grade: string; consequences: string[]; reward?: string }[] } }>(
      `SELECT c.year, k.result FROM computations k JOIN cycles c ON c.id = k.cycle_id WHERE c.programme_id = $1 AND c.year < $2 AND k.status = 'published'`,
      [prog.id, year],
    )) {
      for (const r of h.result.results) history.push({ year: h.year, unit: r.unit, grade: r.grade, consequences: r.consequences, reward: Q.parse(r.reward ?? '0') ?? Q.ZERO });
    }
    await progress(db, id, 60, '评价');
    const result = evaluateScheme(scheme, year, { rows, flags: new Map(), history, names }, { select: scheme.selection?.count });
    const inputs = { versions: versions.map((v) => ({ id: v.id, unit: v.unit_id, subject: v.subject_unit, version: v.version })) };
    await finish(db, id, folderHash(join(schemesRoot(), prog.ref)), inputs, result);
  }
}

async function finish(db: Database, id: string, ruleHash: string, inputs: unknown, result: unknown) {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE computations SET status = 'done', progress = 100, stage = '完成', policy_version = $2, inputs = $3, result = $4, finished_at = now() WHERE id = $1`,
      [id, ruleHash, JSON.stringify(inputs), JSON.stringify(result)],
    );
    await appendAudit(tx, { actor: null, role: 'system', action: 'computation.done', object: id, detail: { policy_version: ruleHash, inputs } });
  });
}

export interface ComputationRow {
  id: string;
  cycle_id: string;
  status: string;
  progress: number;
  stage: string | null;
  parameters: Record<string, string>;
  variants: Record<string, string>;
  policy_version: string | null;
  inputs: unknown;
  result: unknown;
  error: string | null;
  notice_until: string | null;
  published_at: Date | null;
}

/** A computation the principal may see, named by its programme and year (pages show these, not ids). */
export async function visibleComputation(db: Sql, p: Principal, id: string): Promise<ComputationRow & { programme_title: string; year: number }> {
  const [k] = await db.query<ComputationRow & Record<string, unknown>>(`SELECT *, to_char(notice_until, 'YYYY-MM-DD') AS notice_until FROM computations WHERE id = $1`, [id]);
  if (!k) throw notFound('计算');
  const { cycle, prog } = await cycleAndProgramme(db, p, k.cycle_id);
  if (!can(p.role, 'computation.run') && !can(p.role, 'computation.approve')) throw notFound('计算');
  return { ...k, programme_title: prog.title, year: cycle.year };
}

export async function approveComputation(db: Database, p: Principal, id: string) {
  if (!can(p.role, 'computation.approve')) throw forbidden();
  const k = await visibleComputation(db, p, id);
  if (k.status !== 'done') throw conflict('computation.state', '只有已完成的计算可以批准');
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE computations SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1`, [id, p.accountId]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'computation.approve', object: id });
  });
  return { id, status: 'approved' };
}

export async function publishComputation(db: Database, p: Principal, id: string, noticeDays = 7) {
  if (!can(p.role, 'computation.publish')) throw forbidden();
  const k = await visibleComputation(db, p, id);
  if (k.status !== 'approved') throw conflict('computation.state', '只有已批准的结果可以发布');
  if (!Number.isInteger(noticeDays) || noticeDays < 1 || noticeDays > 60) throw invalid('publish.notice_days', '公示期应为 1–60 天');
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE computations SET status = 'published', published_at = now(), notice_until = (now() AT TIME ZONE 'Asia/Shanghai')::date + $2::int WHERE id = $1`, [id, noticeDays]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'computation.publish', object: id, detail: { noticeDays } });
  });
  return { id, status: 'published' };
}
