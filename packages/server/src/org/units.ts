// Organisations: governments and their departments by region, and the institutions (banks,
// guarantors, insurers) that report. The tree (parent_id) is what "own unit and below" follows.
import { regionName, validateRegionCode } from '@caijin/core';
import type { Sql } from '../db/types.ts';
import { invalid } from '../http/errors.ts';

export type Department = 'finance' | 'financial_office' | 'pboc' | 'regulator' | 'science' | 'industry' | 'sasac';

export const DEPARTMENTS: Record<Department, string> = {
  finance: '财政局',
  financial_office: '金融局',
  pboc: '人民银行',
  regulator: '金融监管',
  science: '科技局',
  industry: '工信局',
  sasac: '国资委',
};

export interface UnitInput {
  id: string;
  name: string;
  kind: 'government' | 'department' | 'bank' | 'guarantor' | 'reguarantor' | 'insurer' | 'other';
  department?: Department | null;
  region: string;
  parentId?: string | null;
  uscc?: string | null;
  level?: 'province' | 'city' | 'county' | null;
  governmentBacked?: boolean | null;
}

/** A valid code outside the seed list (an institution registered elsewhere) joins the tree under its province. */
async function ensureRegion(tx: Sql, code: string): Promise<void> {
  const r = validateRegionCode(code);
  if (!r.ok) throw invalid('unit.region', `${code}：${r.zh}`);
  const province = code.slice(0, 2) + '0000';
  if (code === province) return;
  await tx.query(
    `INSERT INTO regions (code, name, parent, level) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING`,
    [code, regionName(code) ?? code, province, code.endsWith('00') ? 'city' : 'county'],
  );
}

export async function addUnit(tx: Sql, u: UnitInput): Promise<void> {
  await ensureRegion(tx, u.region);
  await tx.query(
    `INSERT INTO units (id, name, kind, department, region, parent_id, uscc, level, government_backed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [u.id, u.name, u.kind, u.department ?? null, u.region, u.parentId ?? null, u.uscc ?? null, u.level ?? null, u.governmentBacked ?? null],
  );
}

export interface UnitRow {
  id: string;
  name: string;
  kind: string;
  department: string | null;
  region: string;
  parent_id: string | null;
  uscc: string | null;
  level: string | null;
  government_backed: boolean | null;
}

export async function getUnit(db: Sql, id: string): Promise<UnitRow | undefined> {
  const [u] = await db.query<UnitRow & Record<string, unknown>>('SELECT * FROM units WHERE id = $1', [id]);
  return u;
}

/** The institutions registered under a root unit: the `institutions` file every bundle is checked against. */
export async function institutionsUnder(db: Sql, rootId: string): Promise<UnitRow[]> {
  return db.query<UnitRow & Record<string, unknown>>(
    `WITH RECURSIVE t(id) AS (SELECT id FROM units WHERE id = $1 UNION SELECT u.id FROM units u JOIN t ON u.parent_id = t.id)
     SELECT u.* FROM units u JOIN t ON t.id = u.id WHERE u.kind IN ('bank', 'guarantor', 'reguarantor', 'insurer', 'other') AND u.uscc IS NOT NULL ORDER BY u.uscc`,
    [rootId],
  );
}
