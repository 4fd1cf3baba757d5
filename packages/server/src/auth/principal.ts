// Who is asking, and which units' data they may see (数据权限): all, own unit, own unit and the
// units below it, or only what they themselves created.
import type { Sql } from '../db/types.ts';
import { forbidden } from '../http/errors.ts';
import { can, type Permission } from './roles.ts';

export type Scope = 'all' | 'unit' | 'unit_tree' | 'self';

export interface Principal {
  accountId: string;
  username: string;
  displayName: string;
  role: string;
  unitId: string;
  scope: Scope;
  /** Units whose data this principal may see; null = all. */
  units: ReadonlySet<string> | null;
  csrf: string;
}

export async function visibleUnits(db: Sql, unitId: string, scope: Scope): Promise<Set<string> | null> {
  if (scope === 'all') return null;
  if (scope === 'unit' || scope === 'self') return new Set([unitId]);
  const rows = await db.query<{ id: string }>(
    `WITH RECURSIVE t(id) AS (SELECT id FROM units WHERE id = $1
       UNION SELECT u.id FROM units u JOIN t ON u.parent_id = t.id)
     SELECT id FROM t`,
    [unitId],
  );
  return new Set(rows.map((r) => r.id));
}

export function allow(p: Principal | null, perm: Permission): Principal {
  if (!p) throw forbidden('请先登录');
  if (!can(p.role, perm)) throw forbidden();
  return p;
}

export function seesUnit(p: Principal, unitId: string): boolean {
  return p.units === null || p.units.has(unitId);
}

/** The units filter for SQL: null = no filter, else the array to pass as `= ANY($n)`. */
export function unitFilter(p: Principal): string[] | null {
  return p.units === null ? null : [...p.units];
}
