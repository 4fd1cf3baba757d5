// The region tree (GB/T 2260) of the seed cities, from @caijin/core's code list: a code's parent
// is its prefecture (XXYY00) when listed, else its province (XX0000).
import { REGIONS } from '@caijin/core';
import type { Sql } from '../db/types.ts';

export interface RegionRow {
  code: string;
  name: string;
  parent: string | null;
  level: 'province' | 'city' | 'district' | 'county';
}

export function regionTree(): RegionRow[] {
  const rows: RegionRow[] = [];
  for (const [code, name] of REGIONS) {
    const province = code.slice(0, 2) + '0000';
    const city = code.slice(0, 4) + '00';
    if (code === province) rows.push({ code, name, parent: null, level: 'province' });
    else if (code === city) rows.push({ code, name, parent: province, level: 'city' });
    else rows.push({ code, name, parent: REGIONS.has(city) ? city : province, level: name.endsWith('区') ? 'district' : 'county' });
  }
  // Parents first, so the foreign key holds row by row.
  const order = { province: 0, city: 1, district: 2, county: 2 } as const;
  return rows.sort((a, b) => order[a.level] - order[b.level] || (a.code < b.code ? -1 : 1));
}

export async function seedRegions(tx: Sql): Promise<void> {
  for (const r of regionTree()) {
    await tx.query('INSERT INTO regions (code, name, parent, level) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING', [r.code, r.name, r.parent, r.level]);
  }
}
