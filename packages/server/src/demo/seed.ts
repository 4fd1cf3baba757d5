// The demo: the five seed programmes with their organisations, one city bundle split into each
// reporter's upload, and demo accounts for every role. `caijin serve --demo` runs this once on an
// empty database and prints the accounts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeUscc, regionName, TIANJIN_DISTRICTS, CHONGQING_DISTRICTS, CHONGQING_COUNTIES } from '@caijin/core';
import { generateBundle, type DemoCity } from '@caijin/demo-data';
import { readRecords } from '../submissions/bundle.ts';
import { appendAudit } from '../audit/chain.ts';
import type { Scope } from '../auth/principal.ts';
import type { Database, Sql } from '../db/types.ts';
import { createAccount } from '../org/accounts.ts';
import { hashPassword } from '../auth/password.ts';
import { seedRegions } from '../org/regions.ts';
import { addUnit, DEPARTMENTS, type Department } from '../org/units.ts';
import { PLATFORM, splitBundle } from './split.ts';

export interface DemoAccount {
  username: string;
  role: string;
  unit: string;
  note: string;
}

interface CityDemo {
  key: string;
  city: DemoCity;
  region: string;
  bureau: string;
  programme: { id: string; ref: string; title: string; year: number; calendar: string };
}

const LEDGER_CITIES: CityDemo[] = [
  { key: 'wz', city: 'wenzhou', region: '330300', bureau: '温州市财政局', programme: { id: 'wenzhou-2022', ref: 'wenzhou-2022', title: '温州市普惠金融改革试验区财政支持政策', year: 2022, calendar: 'wenzhou-yearly' } },
  { key: 'lh', city: 'linhai', region: '331082', bureau: '临海市财政局', programme: { id: 'linhai-2021', ref: 'linhai-2021', title: '临海市财政支持深化民营和小微企业金融服务综合改革试点', year: 2021, calendar: 'linhai-yearly' } },
  { key: 'lc', city: 'liaocheng', region: '371500', bureau: '聊城市财政局', programme: { id: 'liaocheng-2023', ref: 'liaocheng-2023', title: '聊城市政府性融资担保体系支持政策', year: 2023, calendar: 'liaocheng-monthly' } },
];

const CITY_DEPTS: Department[] = ['financial_office', 'pboc', 'regulator', 'science', 'industry', 'sasac'];
const DISTRICT_DEPTS: Department[] = ['finance', 'financial_office', 'pboc', 'regulator', 'science', 'industry'];

async function addProgramme(tx: Sql, p: CityDemo['programme'], kind: 'policy' | 'scheme', region: string, owner: string) {
  await tx.query('INSERT INTO programmes (id, kind, ref, title, region, owner_unit, year, calendar) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [p.id, kind, p.ref, p.title, region, owner, p.year, p.calendar]);
}

/** Seed an empty database; returns the demo accounts (all with `password`). */
export async function seedDemo(db: Database, password: string, uploadsDir: string): Promise<DemoAccount[]> {
  const accounts: (DemoAccount & { scope: Scope; display: string })[] = [];
  const acct = (username: string, role: string, unit: string, display: string, scope: Scope, note = '') => accounts.push({ username, role, unit, display, scope, note });

  await db.transaction(async (tx) => {
    await seedRegions(tx);
    // The platform's own unit for the three security roles.
    await addUnit(tx, { id: 'platform', name: '财金平台运维', kind: 'department', department: 'finance', region: '330300' });
    acct('sysadmin', 'system_admin', 'platform', '系统管理员', 'all', '账户与备份');
    acct('secadmin', 'security_admin', 'platform', '安全管理员', 'all', '解锁、登录日志');
    acct('auditor', 'audit_admin', 'platform', '审计管理员', 'all', '审计日志');

    for (const c of LEDGER_CITIES) {
      const root = `${c.key}-czj`;
      await addUnit(tx, { id: root, name: c.bureau, kind: 'department', department: 'finance', region: c.region });
      for (const d of CITY_DEPTS) await addUnit(tx, { id: `${c.key}-${d}`, name: `${regionName(c.region)}${DEPARTMENTS[d]}`, kind: 'department', department: d, region: c.region, parentId: root });
      const dir = join(uploadsDir, c.city, 'bundle');
      await generateBundle({ city: c.city, size: 'small', seed: 1, out: dir });
      const inst = readRecords('institutions', readFileSync(join(dir, 'institutions.csv')));
      const k = (name: string) => inst.keys.indexOf(name);
      const firstOf = new Map<string, string>();
      for (const r of inst.rows) {
        const kind = r[k('kind')];
        const unitId = `${c.key}-${r[k('id')]}`;
        await addUnit(tx, {
          id: unitId, name: r[k('name')], kind: kind as 'bank', region: r[k('region')] || c.region, parentId: root, uscc: r[k('id')],
          level: (r[k('level')] || null) as 'city' | null, governmentBacked: r[k('government_backed')] === '' ? null : r[k('government_backed')] === 'true',
        });
        if (!firstOf.has(kind)) firstOf.set(kind, unitId);
      }
      // Each reporter's upload, as it would hand it in.
      for (const [owner, files] of splitBundle(dir)) {
        const out = join(uploadsDir, c.city, owner === PLATFORM ? `${c.key}-financial_office` : `${c.key}-${owner}`);
        mkdirSync(out, { recursive: true });
        for (const f of files) writeFileSync(join(out, f.name), f.bytes);
      }
      await addProgramme(tx, c.programme, 'policy', c.region, root);
      acct(`admin.${c.key}`, 'bureau_admin', root, `${c.bureau}管理员`, 'unit_tree');
      acct(`reviewer.${c.key}`, 'reviewer', root, `${c.bureau}审核员`, 'unit_tree');
      acct(`office.${c.key}`, 'district_filler', `${c.key}-financial_office`, `${regionName(c.region)}金融局填报员`, 'unit', '平台数据报送');
      // The departments that agree to applications (临海 五、（三）) review for their own department.
      for (const d of ['financial_office', 'pboc', 'regulator'] as const) acct(`${d}.${c.key}`, 'reviewer', `${c.key}-${d}`, `${regionName(c.region)}${DEPARTMENTS[d]}审核员`, 'unit', '申报会审');
      for (const [kind, role] of [['bank', 'bank_reporter'], ['guarantor', 'guarantor_reporter'], ['insurer', 'insurer_reporter']] as const) {
        const u = firstOf.get(kind);
        if (u) acct(`${kind}.${c.key}`, role, u, `${kind}填报员`, 'unit');
      }
    }

    // 天津: 16 districts, each with its departments under the district.
    await addUnit(tx, { id: 'tj-czj', name: '天津市财政局', kind: 'department', department: 'finance', region: '120000' });
    for (const d of CITY_DEPTS) await addUnit(tx, { id: `tj-${d}`, name: `天津市${DEPARTMENTS[d]}`, kind: 'department', department: d, region: '120000', parentId: 'tj-czj' });
    for (const code of TIANJIN_DISTRICTS) {
      const gov = `tj-${code}`;
      await addUnit(tx, { id: gov, name: regionName(code)!, kind: 'government', region: code, parentId: 'tj-czj' });
      for (const d of DISTRICT_DEPTS) await addUnit(tx, { id: `${gov}-${d}`, name: `${regionName(code)}${DEPARTMENTS[d]}`, kind: 'department', department: d, region: code, parentId: gov });
      for (const d of ['finance', 'pboc', 'science'] as const) acct(`tj.${code}.${d}`, 'district_filler', `${gov}-${d}`, `${regionName(code)}${DEPARTMENTS[d]}填报员`, 'unit');
    }
    await addProgramme(tx, { id: 'tianjin-pilot', ref: 'tianjin-2019', title: '天津市财政支持深化民营和小微企业金融服务综合改革试点区', year: 2019, calendar: 'tianjin-yearly' }, 'scheme', '120000', 'tj-czj');
    acct('admin.tj', 'bureau_admin', 'tj-czj', '天津市财政局管理员', 'unit_tree');
    acct('reviewer.tj', 'reviewer', 'tj-czj', '天津市财政局审核员', 'unit_tree');

    // 重庆: district finance bureaus and their government guarantors.
    await addUnit(tx, { id: 'cq-czj', name: '重庆市财政局', kind: 'department', department: 'finance', region: '500000' });
    await addUnit(tx, { id: 'cq-regulator', name: '重庆市地方金融监管局', kind: 'department', department: 'regulator', region: '500000', parentId: 'cq-czj' });
    const cqCodes = [...CHONGQING_DISTRICTS].slice(0, 4).concat([...CHONGQING_COUNTIES].slice(0, 2));
    for (const [i, code] of cqCodes.entries()) {
      const gov = `cq-${code}`;
      await addUnit(tx, { id: gov, name: regionName(code)!, kind: 'government', region: code, parentId: 'cq-czj' });
      await addUnit(tx, { id: `${gov}-finance`, name: `${regionName(code)}财政局`, kind: 'department', department: 'finance', region: code, parentId: gov });
      const uscc = makeUscc(`91${code}MA${6000 + i}DB0`);
      await addUnit(tx, { id: `${gov}-guarantor`, name: `重庆市${regionName(code)}融资担保有限公司`, kind: 'guarantor', region: code, parentId: `${gov}-finance`, uscc, level: 'county', governmentBacked: true });
      acct(`cq.${code}.finance`, 'district_filler', `${gov}-finance`, `${regionName(code)}财政局填报员`, 'unit_tree');
      acct(`guarantor.cq.${code}`, 'guarantor_reporter', `${gov}-guarantor`, `${regionName(code)}融资担保公司填报员`, 'unit');
    }
    await addProgramme(tx, { id: 'chongqing-guarantee', ref: 'chongqing-2021', title: '重庆市政府性融资担保机构绩效评价', year: 2021, calendar: 'chongqing-yearly' }, 'scheme', '500000', 'cq-czj');
    acct('admin.cq', 'bureau_admin', 'cq-czj', '重庆市财政局管理员', 'unit_tree');
    acct('reviewer.cq', 'reviewer', 'cq-czj', '重庆市财政局审核员', 'unit_tree');

    // Argon2id runs in libuv's thread pool: hash side by side, each with its own salt.
    const hashes = await Promise.all(accounts.map(() => hashPassword(password)));
    for (const [i, a] of accounts.entries()) await createAccount(tx, { username: a.username, displayName: a.display, password, unitId: a.unit, role: a.role, scope: a.scope }, hashes[i]);
    await appendAudit(tx, { actor: null, role: 'system', action: 'demo.seed', object: null, detail: { accounts: accounts.length } });
  });
  return accounts.map(({ username, role, unit, note }) => ({ username, role, unit, note }));
}
