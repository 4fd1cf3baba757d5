// 抽审 (重庆 第十二条: 市财政局会同市金融监管局对区县报送的绩效评价结果和相关材料进行抽审): a
// sample drawn reproducibly from a recorded seed — each unit ranked by SHA-256(seed:unit), the
// first k taken — so anyone can redraw it and get the same units; then re-review findings.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import type { Database, Sql } from '../db/types.ts';
import { conflict, forbidden, invalid, notFound } from '../http/errors.ts';

export function drawSample(population: readonly string[], size: number, seed: string): string[] {
  const key = (u: string) => createHash('sha256').update(`${seed}:${u}`).digest('hex');
  return [...new Set(population)]
    .map((u) => ({ u, k: key(u) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .slice(0, size)
    .map((x) => x.u)
    .sort();
}

async function cycleOwner(db: Sql, p: Principal, cycleId: string) {
  const [c] = await db.query<{ owner_unit: string }>('SELECT p.owner_unit FROM cycles c JOIN programmes p ON p.id = c.programme_id WHERE c.id = $1', [cycleId]);
  if (!c || !seesUnit(p, c.owner_unit)) throw notFound('工作周期');
}

/** The units whose results are in this cycle: evaluated units of the latest result, else those who reported. */
async function population(db: Sql, cycleId: string): Promise<string[]> {
  const [k] = await db.query<{ result: { results?: { unit: string }[]; awards?: { recipient: string }[] } }>(
    `SELECT result FROM computations WHERE cycle_id = $1 AND result IS NOT NULL ORDER BY CASE status WHEN 'published' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END, finished_at DESC LIMIT 1`,
    [cycleId],
  );
  if (k?.result.results) return k.result.results.map((r) => r.unit);
  const rows = await db.query<{ unit_id: string }>(
    `SELECT DISTINCT v.unit_id FROM submission_versions v JOIN tasks t ON t.id = v.task_id JOIN cycle_steps s ON s.id = t.step_id WHERE s.cycle_id = $1 AND v.status = 'approved'`,
    [cycleId],
  );
  return rows.map((r) => r.unit_id);
}

export async function startSampling(db: Database, p: Principal, cycleId: string, size: number, seed?: string) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  await cycleOwner(db, p, cycleId);
  if (!Number.isInteger(size) || size < 1) throw invalid('sampling.size', '抽样数量应为正整数');
  const pop = (await population(db, cycleId)).sort();
  if (pop.length === 0) throw conflict('sampling.empty', '本期没有可抽审的评价结果');
  const s = seed ?? randomBytes(16).toString('hex');
  const sample = drawSample(pop, Math.min(size, pop.length), s);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO sampling_reviews (id, cycle_id, seed, population, size, sample, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [id, cycleId, s, JSON.stringify(pop), size, JSON.stringify(sample), p.accountId]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'sampling.draw', object: id, detail: { cycle: cycleId, seed: s, size, population: pop.length, sample } });
  });
  return { id, seed: s, population: pop, sample };
}

export async function getSampling(db: Sql, p: Principal, id: string) {
  const [r] = await db.query<{ id: string; cycle_id: string; seed: string; population: string[]; size: number; sample: string[] }>('SELECT id, cycle_id, seed, population, size, sample FROM sampling_reviews WHERE id = $1', [id]);
  if (!r) throw notFound('抽审');
  await cycleOwner(db, p, r.cycle_id);
  const findings = await db.query('SELECT unit_id, outcome, note, created_at FROM review_findings WHERE review_id = $1 ORDER BY created_at', [id]);
  // Anyone can redraw from the recorded seed and population: it must give the same units.
  const redrawn = drawSample(r.population, Math.min(r.size, r.population.length), r.seed);
  return { ...r, reproducible: JSON.stringify(redrawn) === JSON.stringify(r.sample), findings };
}

export async function recordFinding(db: Database, p: Principal, id: string, unit: string, outcome: 'confirmed' | 'adjusted' | 'false_reporting', note: string) {
  if (!can(p.role, 'money.manage') && !can(p.role, 'application.review')) throw forbidden();
  const r = await getSampling(db, p, id);
  if (!r.sample.includes(unit)) throw invalid('sampling.not_sampled', '该单位不在本次抽审样本中');
  if (!note?.trim()) throw invalid('sampling.note', '复核意见不能为空');
  const fid = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO review_findings (id, review_id, unit_id, outcome, note, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [fid, id, unit, outcome, note, p.accountId]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'sampling.finding', object: fid, detail: { review: id, unit, outcome, note } });
  });
  return { id: fid };
}
