import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifySize,
  INDUSTRIES,
  LIAOCHENG_COUNTIES,
  validatePartyId,
  validateResidentId,
  validateUscc,
  WENZHOU_MOUNTAIN_COUNTIES,
  WENZHOU_URBAN,
} from '@caijin/core';
import { BundleError, loadBundle, readSnapshot, SCHEMA, writeSnapshot } from '@caijin/ledger';
import { COLUMNS, encodeGb18030, FILE_NAMES, generateBundle, scaleOf, SCALES, type DemoCity } from '../src/index.ts';
import { Rng } from '../src/rng.ts';
import { sizeIndex, SIZES } from '../src/size.ts';
import { UsccIssuer } from '../src/ids.ts';
import { addMonths, Calendar } from '../src/time.ts';
import { daysOf } from '@caijin/core';
import { Lines } from '../src/snapshot-out.ts';

type Row = Record<string, string>;

function readCsv(dir: string, file: string): Row[] {
  const text = readFileSync(join(dir, `${file}.csv`), 'utf8');
  const lines = text.split('\n');
  expect(lines.pop()).toBe(''); // ends with a newline
  const keys = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    expect(cells.length).toBe(keys.length);
    return Object.fromEntries(keys.map((k, i) => [k, cells[i]]));
  });
}

const CITIES: { city: DemoCity; year: number; regions: ReadonlySet<string> }[] = [
  { city: 'wenzhou', year: 2022, regions: new Set([...WENZHOU_URBAN, ...WENZHOU_MOUNTAIN_COUNTIES, '330381', '330382', '330383']) },
  { city: 'linhai', year: 2021, regions: new Set(['331082']) },
  { city: 'liaocheng', year: 2023, regions: LIAOCHENG_COUNTIES },
];

let root: string;
const dirs = new Map<DemoCity, string>();
const results = new Map<DemoCity, Record<string, number>>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'caijin-demo-'));
  for (const { city } of CITIES) {
    const out = join(root, city);
    const r = await generateBundle({ city, size: 'small', seed: 7, out });
    dirs.set(city, r.out);
    results.set(city, r.files);
  }
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('determinism', () => {
  it('gives byte-identical files for the same options', async () => {
    const a = join(root, 'det-a');
    const b = join(root, 'det-b');
    const ra = await generateBundle({ city: 'wenzhou', size: 'small', seed: 42, out: a });
    const rb = await generateBundle({ city: 'wenzhou', size: 'small', seed: 42, out: b });
    expect(rb.files).toEqual(ra.files);
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    expect(files.length).toBe(16);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('gives different data for another seed, and the default year per city', async () => {
    const c = join(root, 'det-c');
    await generateBundle({ city: 'wenzhou', size: 'small', seed: 43, out: c });
    expect(readFileSync(join(c, 'loans.csv')).equals(readFileSync(join(root, 'det-a', 'loans.csv')))).toBe(false);
    const y = readCsv(dirs.get('linhai')!, 'institution_years').map((r) => r.year);
    expect(new Set(y)).toEqual(new Set(['2020', '2021']));
  });

  it('takes another year', async () => {
    const d = join(root, 'year-2023');
    await generateBundle({ city: 'wenzhou', size: 'small', seed: 1, year: 2023, out: d });
    const months = new Set(readCsv(d, 'loan_balances').map((r) => r.month));
    expect(months.has('2022-12')).toBe(true);
    expect(months.has('2023-12')).toBe(true);
    expect([...months].every((m) => m >= '2022-12' && m <= '2023-12')).toBe(true);
    await loadBundle(d);
  });
});

describe.each(CITIES)('$city small bundle', ({ city, year, regions }) => {
  const dir = (): string => dirs.get(city)!;

  it('is accepted by @caijin/ledger loadBundle', async () => {
    try {
      const b = await loadBundle(dir());
      expect(Object.keys(b.tables).length).toBe(16);
      expect(b.warnings).toEqual([]);
    } catch (e) {
      if (e instanceof BundleError) throw new Error(JSON.stringify(e.errors.slice(0, 5), null, 1));
      throw e;
    }
  });

  it('has roughly the small sizes', () => {
    const f = results.get(city)!;
    expect(Object.keys(f).sort()).toEqual([...FILE_NAMES].sort());
    expect(f.enterprises).toBe(300);
    expect(f.loans).toBe(1000);
    expect(f.loan_balances).toBeGreaterThan(5000);
    expect(f.loan_balances).toBeLessThanOrEqual(13 * 1000);
    expect(f.guarantees).toBeGreaterThan(120);
    expect(f.guarantees).toBeLessThan(400);
    expect(f.loan_losses).toBeGreaterThanOrEqual(5);
    expect(f.loan_losses).toBeLessThanOrEqual(40);
    for (const file of FILE_NAMES) expect(f[file], file).toBeGreaterThan(0);
    for (const file of FILE_NAMES) expect(readCsv(dir(), file).length).toBe(f[file]);
  });

  it('uses valid and unique ids everywhere, and the city\'s region codes', () => {
    const inst = readCsv(dir(), 'institutions');
    const instIds = new Set(inst.map((r) => r.id));
    expect(instIds.size).toBe(inst.length);
    for (const r of inst) expect(validateUscc(r.id).ok, r.id).toBe(true);
    const kindOf = new Map(inst.map((r) => [r.id, r.kind]));

    const ents = readCsv(dir(), 'enterprises');
    const entIds = new Set(ents.map((r) => r.id));
    expect(entIds.size).toBe(ents.length);
    let pseudonyms = 0;
    for (const e of ents) {
      expect(regions.has(e.region), e.region).toBe(true);
      if (e.tax_region) expect(regions.has(e.tax_region)).toBe(true);
      const v = validatePartyId(e.id);
      expect(v.ok, e.id).toBe(true);
      if (e.kind === 'farmer' || e.kind === 'business_owner') {
        if (e.id.startsWith('P-')) pseudonyms++;
        else {
          expect(validateResidentId(e.id).ok, e.id).toBe(true);
          expect(e.id.slice(0, 6)).toBe(e.region);
        }
      } else {
        expect(validateUscc(e.id).ok, e.id).toBe(true);
        expect(e.id.slice(2, 8), e.id).toBe(e.region); // registration region digits
        const cat = e.id.slice(0, 2);
        if (e.kind === 'enterprise') expect(cat).toBe('91');
        if (e.kind === 'individual_business') expect(cat).toBe('92');
        if (e.kind === 'new_agri_entity') expect(['92', '93']).toContain(cat);
      }
    }
    expect(pseudonyms).toBeLessThan(ents.length * 0.05);

    const loans = readCsv(dir(), 'loans');
    const loanIds = new Set(loans.map((r) => r.id));
    expect(loanIds.size).toBe(loans.length);
    const projects = new Set(readCsv(dir(), 'fintech_projects').map((r) => r.id));
    for (const l of loans) {
      expect(kindOf.get(l.bank_id)).toBe('bank');
      expect(entIds.has(l.borrower_id)).toBe(true);
      if (l.guarantor_id) expect(kindOf.get(l.guarantor_id)).toBe('guarantor');
      if (l.fintech_project_id) expect(projects.has(l.fintech_project_id)).toBe(true);
      expect(l.products.split(';').includes('fintech_project')).toBe(l.fintech_project_id !== '');
    }
    const gs = readCsv(dir(), 'guarantees');
    const gIds = new Set(gs.map((r) => r.id));
    expect(gIds.size).toBe(gs.length);
    for (const g of gs) {
      expect(kindOf.get(g.guarantor_id)).toBe('guarantor');
      if (g.bank_id) expect(kindOf.get(g.bank_id)).toBe('bank');
      if (g.reguarantor_id) expect(kindOf.get(g.reguarantor_id)).toBe('reguarantor');
      expect(entIds.has(g.borrower_id)).toBe(true);
    }
    for (const r of readCsv(dir(), 'loan_balances')) expect(loanIds.has(r.loan_id)).toBe(true);
    for (const r of readCsv(dir(), 'loan_losses')) expect(loanIds.has(r.loan_id)).toBe(true);
    for (const r of readCsv(dir(), 'guarantee_balances')) expect(gIds.has(r.guarantee_id)).toBe(true);
    for (const r of readCsv(dir(), 'guarantee_events')) expect(gIds.has(r.guarantee_id)).toBe(true);
    for (const r of readCsv(dir(), 'insurance_policies')) {
      expect(kindOf.get(r.insurer_id)).toBe('insurer');
      expect(entIds.has(r.insured_id)).toBe(true);
    }
    for (const r of readCsv(dir(), 'securitizations')) {
      expect(entIds.has(r.enterprise_id)).toBe(true);
      expect(instIds.has(r.issuer_id)).toBe(true);
      if (r.guarantor_id) expect(kindOf.get(r.guarantor_id)).toBe('guarantor');
    }
    for (const r of readCsv(dir(), 'supply_chain_financings')) {
      expect(entIds.has(r.core_enterprise_id)).toBe(true);
      expect(entIds.has(r.counterparty_id)).toBe(true);
    }
    for (const file of ['outlets', 'special_branches', 'insurance_products', 'insurance_policies', 'securitizations', 'supply_chain_financings', 'fintech_projects'] as const) {
      const ids = readCsv(dir(), file).map((r) => r.id);
      expect(new Set(ids).size, file).toBe(ids.length);
    }
  });

  it('keeps amounts, dates and balances consistent', () => {
    const money = /^\d+\.\d\d$/;
    const loans = readCsv(dir(), 'loans');
    const byId = new Map(loans.map((l) => [l.id, l]));
    for (const l of loans) {
      expect(l.amount).toMatch(money);
      expect(l.start_date <= l.maturity_date).toBe(true);
      expect(l.start_date >= `${year - 3}-01-01` && l.start_date <= `${year}-12-31`).toBe(true);
      expect(Number(l.rate_pct)).toBeGreaterThanOrEqual(3.5);
      expect(Number(l.rate_pct)).toBeLessThanOrEqual(6);
      expect(Number(l.amount)).toBeLessThanOrEqual(50_000_000);
    }
    const months = new Set<string>();
    for (const b of readCsv(dir(), 'loan_balances')) {
      const l = byId.get(b.loan_id)!;
      expect(b.balance).toMatch(money);
      expect(Number(b.balance)).toBeGreaterThan(0);
      expect(Number(b.balance)).toBeLessThanOrEqual(Number(l.amount));
      expect(b.month >= l.start_date.slice(0, 7)).toBe(true);
      months.add(b.month);
    }
    expect([...months].sort()).toEqual([`${year - 1}-12`, ...Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)]);
    for (const x of readCsv(dir(), 'loan_losses')) {
      expect(Number(x.principal_loss)).toBeLessThanOrEqual(Number(byId.get(x.loan_id)!.amount));
      expect(x.date <= `${year}-12-31`).toBe(true);
    }
    const gs = new Map(readCsv(dir(), 'guarantees').map((g) => [g.id, g]));
    for (const g of gs.values()) {
      const fee = Number(g.fee_rate_pct);
      expect(fee).toBeGreaterThanOrEqual(0.3);
      expect(fee).toBeLessThanOrEqual(2);
      expect(Number(g.bank_risk_share_pct)).toBeGreaterThanOrEqual(0);
      expect(Number(g.bank_risk_share_pct)).toBeLessThanOrEqual(30);
      expect(g.start_date <= g.end_date).toBe(true);
    }
    const compensated = new Map<string, number>();
    for (const e of readCsv(dir(), 'guarantee_events')) {
      const g = gs.get(e.guarantee_id)!;
      expect(e.date <= `${year}-12-31`).toBe(true);
      expect(e.date >= g.start_date).toBe(true);
      expect(Number(e.amount)).toBeLessThanOrEqual(Number(g.amount));
      if (e.type === 'compensation') compensated.set(e.guarantee_id, Number(e.amount));
      if (e.type === 'recovery') expect(compensated.has(e.guarantee_id)).toBe(true);
    }
  });

  it('fills size for about 70% and keeps it derivable and consistent', () => {
    const ents = readCsv(dir(), 'enterprises');
    let sized = 0;
    let filled = 0;
    for (const e of ents) {
      if (!e.employees) continue;
      sized++;
      const derived = classifySize({ industry: e.industry, employees: Number(e.employees), revenueFen: Math.round(Number(e.revenue) * 100), totalAssetsFen: Math.round(Number(e.total_assets) * 100) });
      expect(derived.ok).toBe(true);
      if (e.size) {
        filled++;
        expect(e.size).toBe(derived.ok && derived.value);
      }
    }
    expect(filled / sized).toBeGreaterThan(0.6);
    expect(filled / sized).toBeLessThan(0.8);
    const kinds = new Set(ents.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['enterprise', 'individual_business', 'farmer', 'new_agri_entity', 'business_owner']));
  });

  it('exercises the clauses\' boundaries and caps', () => {
    const ents = readCsv(dir(), 'enterprises');
    const sales = ents.map((e) => e.annual_sales);
    expect(sales).toContain('30000000.00');
    expect(sales).toContain('30000000.01');
    expect(ents.some((e) => e.real_estate === 'true')).toBe(true);
    expect(ents.some((e) => e.mujun_class === 'C' || e.mujun_class === 'D')).toBe(true);
    expect(ents.some((e) => e.major_incident_year === String(year))).toBe(true);

    const policies = readCsv(dir(), 'insurance_policies');
    expect(policies.some((p) => p.premium_rate_pct === '1.20')).toBe(true);
    expect(policies.some((p) => Number(p.premium_rate_pct) > 1.2)).toBe(true);
    const products = readCsv(dir(), 'insurance_products');
    expect(products.some((p) => Number(p.premium) * 0.2 > 1_000_000 && Number(p.claims) > (Number(p.premium) * Number(p.stop_sale_loss_ratio_pct)) / 100)).toBe(true);

    // supply chain: a core enterprise with exactly 5 counterparties and 10 financings in the year
    const scf = readCsv(dir(), 'supply_chain_financings').filter((r) => r.date.startsWith(String(year)));
    const cores = new Map<string, { n: number; cps: Set<string>; amount: number }>();
    for (const r of scf) {
      const c = cores.get(r.core_enterprise_id) ?? { n: 0, cps: new Set(), amount: 0 };
      c.n++;
      c.cps.add(r.counterparty_id);
      c.amount += Number(r.amount);
      cores.set(r.core_enterprise_id, c);
    }
    const stats = [...cores.values()];
    expect(stats.some((c) => c.n === 10 && c.cps.size === 5)).toBe(true);
    expect(stats.some((c) => c.n < 10 || c.cps.size < 5)).toBe(true);
    expect(stats.some((c) => c.amount * 0.001 > 200_000)).toBe(true);

    // securitizations: over the 400,000 interest-subsidy and 4,000,000 loss caps
    const sec = readCsv(dir(), 'securitizations').filter((r) => r.year === String(year));
    expect(sec.some((r) => Number(r.interest_paid) * 0.3 > 400_000)).toBe(true);
    expect(sec.some((r) => Number(r.guarantor_principal_loss) * 0.2 > 4_000_000)).toBe(true);

    // guarantee events of every type; fee rates exactly on the boundaries
    const types = new Set(readCsv(dir(), 'guarantee_events').map((e) => e.type));
    expect(types).toEqual(new Set(['release', 'compensation', 'recovery']));
    const fees = new Set(readCsv(dir(), 'guarantees').map((g) => g.fee_rate_pct));
    for (const f of ['0.50', '0.70', '0.90', '1.00', '1.20']) expect(fees.has(f), f).toBe(true);
    expect(readCsv(dir(), 'guarantees').some((g) => g.platform === 'true')).toBe(true);

    // outlets in and outside the year, with and without 存贷
    const outlets = readCsv(dir(), 'outlets');
    expect(outlets.some((o) => o.opened_date.startsWith(String(year)) && o.location === 'town' && o.deposit_and_loan === 'true')).toBe(true);
    expect(outlets.some((o) => o.deposit_and_loan === 'false')).toBe(true);
    expect(outlets.some((o) => o.opened_date < `${year}-01-01`)).toBe(true);
    if (city === 'linhai') expect(outlets.some((o) => o.location === 'port_zone')).toBe(true);

    const sb = readCsv(dir(), 'special_branches');
    expect(new Set(sb.map((s) => s.kind))).toEqual(new Set(['tech', 'talent']));
    expect(new Set(sb.map((s) => s.passed_annual_review))).toEqual(new Set(['true', 'false']));
    const fp = readCsv(dir(), 'fintech_projects');
    expect(new Set(fp.map((p) => p.provincial_endorsement))).toEqual(new Set(['true', 'false']));
    expect(fp.some((p) => p.release_month.startsWith(String(year)))).toBe(true);
  });

  it('has city-level government guarantors on both sides of 8× registered capital', () => {
    const inst = readCsv(dir(), 'institutions');
    const cityGov = inst.filter((r) => r.kind === 'guarantor' && r.level === 'city' && r.government_backed === 'true');
    expect(cityGov.length).toBeGreaterThanOrEqual(1);
    expect(cityGov.length).toBeLessThanOrEqual(2);
    expect(inst.some((r) => r.kind === 'guarantor' && r.level === 'county')).toBe(true);
    expect(inst.filter((r) => r.kind === 'reguarantor').length).toBe(1);
    if (city === 'linhai') return; // one city-level guarantor: 台州信保基金
    expect(cityGov.length).toBe(2);
    const ents = new Map(readCsv(dir(), 'enterprises').map((e) => [e.id, e]));
    const smallMicro = (id: string): boolean => {
      const e = ents.get(id)!;
      if (e.kind !== 'enterprise') return true;
      const size = e.size || (classifySize({ industry: e.industry, employees: Number(e.employees), revenueFen: Math.round(Number(e.revenue) * 100), totalAssetsFen: Math.round(Number(e.total_assets) * 100) }) as { value: string }).value;
      return size === 'small' || size === 'micro';
    };
    const gs = new Map(readCsv(dir(), 'guarantees').map((g) => [g.id, g]));
    const avg = new Map<string, number>();
    for (const b of readCsv(dir(), 'guarantee_balances')) {
      const g = gs.get(b.guarantee_id)!;
      if (!b.month.startsWith(String(year)) || g.kind !== 'loan' || g.purpose !== 'business' || !smallMicro(g.borrower_id)) continue;
      avg.set(g.guarantor_id, (avg.get(g.guarantor_id) ?? 0) + Number(b.balance) / 12);
    }
    const capital = new Map(readCsv(dir(), 'institution_years').filter((r) => r.year === String(year)).map((r) => [r.institution_id, Number(r.registered_capital)]));
    const ratios = cityGov.map((g) => avg.get(g.id)! / capital.get(g.id)!);
    expect(Math.max(...ratios)).toBeGreaterThan(8);
    expect(Math.min(...ratios)).toBeLessThan(8);
  });
});

describe('Wenzhou specifics', () => {
  it('has losses in the year on kczs, ip_pledge and farmer_asset_trust loans issued in the year, and enterprises outside 市区', () => {
    const dir = dirs.get('wenzhou')!;
    const loans = new Map(readCsv(dir, 'loans').map((l) => [l.id, l]));
    for (const t of ['kczs', 'ip_pledge', 'farmer_asset_trust']) {
      const n = readCsv(dir, 'loan_losses').filter((x) => {
        const l = loans.get(x.loan_id)!;
        return x.date.startsWith('2022') && l.start_date.startsWith('2022') && l.products.split(';').includes(t);
      }).length;
      expect(n, t).toBeGreaterThan(0);
    }
    const ents = readCsv(dir, 'enterprises');
    const urban = ents.filter((e) => WENZHOU_URBAN.has(e.region)).length;
    expect(urban / ents.length).toBeGreaterThan(0.5);
    expect(ents.some((e) => WENZHOU_MOUNTAIN_COUNTIES.has(e.region))).toBe(true);
    expect(ents.some((e) => WENZHOU_URBAN.has(e.region) && e.tax_region && !WENZHOU_URBAN.has(e.tax_region))).toBe(true);
  });
});

describe('headers', () => {
  it('writes the contract\'s Chinese headers with headers: zh, and they load', async () => {
    const out = join(root, 'zh');
    const r = await generateBundle({ city: 'liaocheng', size: 'small', seed: 3, out, headers: 'zh' });
    const b = await loadBundle(r.out);
    expect(b.tables.loans?.length).toBe(1000);
    const header = readFileSync(join(out, 'loans.csv'), 'utf8').split('\n')[0];
    expect(header).toBe(COLUMNS.loans.map((c) => c[1]).join(','));
  });

  it('uses the Chinese headers of @caijin/ledger\'s schema', () => {
    for (const file of FILE_NAMES) {
      const schema = SCHEMA[file];
      for (const [key, zh] of COLUMNS[file]) {
        const col = schema.columns.find((c) => c.key === key);
        expect(col, `${file}.${key}`).toBeDefined();
        expect(col!.zh, `${file}.${key}`).toBe(zh);
      }
    }
  });
});

describe('fraction and encoding', () => {
  it('scales every row count of a size, deterministically', async () => {
    expect(scaleOf('province', 1)).toBe(SCALES.province);
    const s = scaleOf('province', 0.001);
    expect(s.enterprises).toBe(2_000);
    expect(s.loans).toBe(10_000);
    expect(s.banks).toBe(SCALES.small.banks); // 0.2 banks: never below the small bundle
    expect(s.outletsPerBank).toBe(SCALES.province.outletsPerBank);
    expect(() => scaleOf('city', 0)).toThrow(/fraction/);
    const a = await generateBundle({ city: 'linhai', size: 'province', fraction: 0.001, seed: 5, out: join(root, 'frac-a') });
    const b = await generateBundle({ city: 'linhai', size: 'province', fraction: 0.001, seed: 5, out: join(root, 'frac-b') });
    expect(a.files.loans).toBe(10_000);
    expect(a.files.enterprises).toBe(2_000);
    for (const f of readdirSync(a.out)) expect(readFileSync(join(b.out, f)).equals(readFileSync(join(a.out, f))), f).toBe(true);
    await expect(loadBundle(a.out)).resolves.toBeDefined();
  });

  it('writes GB18030 (GBK) files that decode to the UTF-8 ones and load the same', async () => {
    const u = await generateBundle({ city: 'wenzhou', size: 'small', seed: 9, out: join(root, 'enc-utf8') });
    const g = await generateBundle({ city: 'wenzhou', size: 'small', seed: 9, out: join(root, 'enc-gbk'), encoding: 'gb18030', headers: 'en' });
    expect(g.files).toEqual(u.files);
    const dec = new TextDecoder('gb18030', { fatal: true });
    for (const f of readdirSync(u.out)) {
      const gb = readFileSync(join(g.out, f));
      const utf = readFileSync(join(u.out, f), 'utf8');
      expect(dec.decode(gb), f).toBe(utf);
      if (/[^\x00-\x7f]/.test(utf)) expect(gb.equals(readFileSync(join(u.out, f))), f).toBe(false);
    }
    const bu = await loadBundle(u.out);
    const bg = await loadBundle(g.out);
    for (const [name, t] of Object.entries(bu.tables)) {
      for (const [k, c] of Object.entries(t.columns)) expect(bg.tables[name as 'loans']!.columns[k], `${name}.${k}`).toEqual(c);
    }
  });

  it('encodes any text as GB18030, beyond GBK too', () => {
    const dec = new TextDecoder('gb18030', { fatal: true });
    const text = '温州市鹿城区恒信鞋业有限公司,abc\n€¥·—“”…々〇㐀䶵ḿ😀𠀀\u00e9\u0416\uffff';
    expect(dec.decode(encodeGb18030(text))).toBe(text);
    expect(Array.from(encodeGb18030('中'))).toEqual([0xd6, 0xd0]);
    expect(Array.from(encodeGb18030('😀'))).toEqual([0x94, 0x39, 0xfc, 0x36]);
  });
});

describe('snapshot output', () => {
  /** The snapshot importing the generated CSV gives. */
  async function viaCsv(opts: Parameters<typeof generateBundle>[0]): Promise<string> {
    const csv = await generateBundle({ ...opts, format: 'csv' });
    return (await writeSnapshot(await loadBundle(csv.out), join(opts.out, 'from-csv'))).hash;
  }

  it.each(CITIES)('is the snapshot the CSV of $city imports to', async ({ city }) => {
    const out = join(root, `snap-${city}`);
    const direct = await generateBundle({ city, size: 'small', seed: 11, out: join(out, 'direct'), format: 'snapshot', workers: 0 });
    expect(direct.snapshot?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await viaCsv({ city, size: 'small', seed: 11, out, workers: 0 })).toBe(direct.snapshot!.hash);
    const b = await readSnapshot(direct.out, { verify: true });
    expect(b.tables.loans?.length).toBe(1000);
    expect(direct.files.loans).toBe(1000);
  });

  it('is the same across chunks and worker threads, CSV and snapshot alike', async () => {
    // many small chunks of enterprises, loans and other guarantees
    const spec = { city: 'wenzhou' as const, size: 'small' as const, seed: 2, chunks: { parties: 70, loans: 150, others: 20 } };
    const out = join(root, 'chunks');
    const hashes = [];
    for (const workers of [0, 1, 2]) hashes.push((await generateBundle({ ...spec, out: join(out, `w${workers}`), format: 'snapshot', workers })).snapshot!.hash);
    expect(new Set(hashes).size).toBe(1);
    expect(await viaCsv({ ...spec, out: join(out, 'csv'), workers: 2 })).toBe(hashes[0]);
    const again = await generateBundle({ ...spec, out: join(out, 'again'), format: 'snapshot', workers: 2 });
    expect(again.snapshot!.hash).toBe(hashes[0]);
    const other = await generateBundle({ ...spec, seed: 3, out: join(out, 'seed3'), format: 'snapshot', workers: 2 });
    expect(other.snapshot!.hash).not.toBe(hashes[0]);
    const oneChunk = await generateBundle({ ...spec, chunks: undefined, out: join(out, 'one'), format: 'snapshot', workers: 0 });
    expect(oneChunk.snapshot!.hash).not.toBe(hashes[0]); // the chunks' own random streams
  });
});

describe('size classification', () => {
  it('sizeIndex gives classifySize\'s answer, on and around every bound', () => {
    const rng = new Rng(7, 'sizes');
    for (const ind of INDUSTRIES) {
      const bounds = [ind.ceiling, ind.medium, ind.small].flatMap((t) => Object.entries(t) as [string, number][]);
      const near = (k: string): number[] => {
        const vs = bounds.filter(([b]) => b === k).map(([, v]) => (k === 'employees' ? v : v * 1_000_000));
        return vs.flatMap((v) => [v - 1, v, v + 1]).concat([0, 1, Math.floor(rng.logUniform(1, 1e12))]);
      };
      for (let n = 0; n < 2000; n++) {
        const v = { employees: rng.pick(near('employees').concat([5, 50, 500])), revenueFen: rng.pick(near('revenueWan').concat([1e8])), totalAssetsFen: rng.pick(near('totalAssetsWan').concat([1e9])) };
        const expected = classifySize({ industry: ind.key, ...v });
        expect(expected.ok).toBe(true);
        expect(SIZES[sizeIndex(ind.key, v)]).toBe((expected as { value: string }).value);
      }
    }
  });
});

describe('USCC issuer', () => {
  it('gives valid codes, the same on its fast path as on its first (makeUscc) one', () => {
    const fresh = (): UsccIssuer => new UsccIssuer(3);
    const warm = fresh();
    for (const [cat, region] of [['91', '330302'], ['92', '330381'], ['93', '330327'], ['12', '330000']]) warm.at(0, cat, region);
    for (let n = 0; n < 20000; n += 7) {
      for (const [cat, region] of [['91', '330302'], ['92', '330381'], ['93', '330327'], ['12', '330000']]) {
        const code = warm.at(n, cat, region);
        expect(code).toBe(fresh().at(n, cat, region));
        expect(validateUscc(code).ok).toBe(true);
      }
    }
  });
});

describe('id texts', () => {
  it('Lines.seq writes prefix + zero-padded number, in order runs and across its buffers too', () => {
    const lines = new Lines(64);
    const want: string[] = [];
    const rng = new Rng(5, 'lines');
    let v = 0;
    for (let i = 0; i < 20000; i++) {
      v = rng.chance(0.8) ? v + 1 : rng.chance(0.5) ? rng.int(0, 1_000_000) : rng.pick([9, 99, 999_999, 999_999_999, 1e9, 12_345_678_901]);
      const [prefix, width] = rng.chance(0.9) ? ['DK', 9] : ['DB', 6];
      lines.seq(prefix, v, width);
      want.push(prefix + String(v).padStart(width, '0'));
    }
    expect(Buffer.concat(lines.take()).toString('latin1')).toBe(want.join('\n'));
  });
});

describe('calendar tables', () => {
  it('Calendar.addMonths and jan1 give addMonths\'s and daysOf\'s answers, month ends and leap years included', () => {
    const cal = new Calendar(2019, 2024);
    for (let y = 2017; y <= 2026; y++) expect(cal.jan1(y)).toBe(daysOf(y, 1, 1));
    // every day of the calendar's years and a little outside them, every term the generator uses and more
    for (let day = daysOf(2018, 12, 1); day <= daysOf(2025, 1, 31); day++) {
      for (const n of [0, 1, 2, 5, 6, 11, 12, 13, 24, 36, 48, 60, 72]) expect(cal.addMonths(day, n), `${day}+${n}`).toBe(addMonths(day, n));
    }
  });
});
