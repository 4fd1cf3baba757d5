import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeUscc } from '@caijin/core';
import { expandRuns, Runs, StoredRuns, Uniformity } from '../src/array-shape.ts';
import {
  balanceSummary,
  balanceSumOfRows,
  BundleError,
  checkBundle,
  storedRuns,
  dictEntry,
  isSnapshotDir,
  loadBundle,
  readSnapshot,
  SCHEMA,
  SnapshotDraft,
  writeSnapshot,
  writeSnapshotTables,
  type Bundle,
  type Column,
  type DictColumn,
  type SnapshotManifest,
  type SnapshotTableInput,
} from '../src/index.ts';
import { BANK, baseBundle, E1, E4, tempDir, writeCsvBundle, type BundleRows } from './fixtures.ts';

/** The fixture bundle, plus 100 more enterprises (dictionaries stored in files, one name with a newline) and an unknown column. */
function bigBundle(): BundleRows {
  const b = baseBundle();
  const ents = b.enterprises;
  ents[0].push('备注');
  for (let i = 1; i < ents.length; i++) ents[i].push(i === 2 ? '含,逗号' : '');
  for (let i = 0; i < 100; i++) {
    const id = makeUscc(`91330302MA${String(1000 + i).padStart(7, '0')}`);
    const name = i === 50 ? '换行\n有限公司' : `测试${i}有限公司`;
    ents.push([id, name, 'enterprise', 'industry', String(10 + i), '5000000', '', '', '330302', '', 'A', i % 3 === 0 ? `x${i}` : '']);
  }
  return b;
}

function columnsOf(b: Bundle): Record<string, Column> {
  const out: Record<string, Column> = {};
  for (const [name, t] of Object.entries(b.tables)) for (const [k, c] of Object.entries(t.columns)) out[`${name}.${k}`] = c;
  return out;
}

function expectSameData(a: Bundle, b: Bundle): void {
  expect(Object.keys(b.tables)).toEqual(Object.keys(a.tables));
  for (const [name, t] of Object.entries(a.tables)) {
    const u = b.tables[name as keyof Bundle['tables']]!;
    expect(u.length, name).toBe(t.length);
    expect(u.source, name).toEqual(t.source);
    expect(u.extra, name).toEqual(t.extra);
    expect(Object.keys(u.columns), name).toEqual(Object.keys(t.columns));
  }
  const ca = columnsOf(a);
  const cb = columnsOf(b);
  for (const k of Object.keys(ca)) expect({ ...cb[k] }, k).toEqual({ ...ca[k] });
  expect(b.warnings).toEqual(a.warnings);
}

async function flipByte(path: string, at = 0): Promise<void> {
  await chmod(path, 0o644);
  const buf = await readFile(path);
  buf[at] ^= 0xff;
  await writeFile(path, buf);
}

/** A Runs' first values and lengths, its parts joined. */
function flat(r: Runs): { starts: Float64Array; lengths: Uint32Array } {
  const parts = r.parts();
  const starts = new Float64Array(r.count);
  const lengths = new Uint32Array(r.count);
  let o = 0;
  for (const p of parts) {
    starts.set(p.starts, o);
    lengths.set(p.lengths, o);
    o += p.starts.length;
  }
  return { starts, lengths };
}

describe('snapshots', () => {
  it('round-trips every column of a bundle, and loadBundle reads it', async () => {
    const src = await writeCsvBundle(bigBundle());
    const out = await tempDir();
    try {
      const a = await loadBundle(src);
      expect(a.tables.enterprises!.extra['备注'][1]).toBe('含,逗号');
      expect(a.hash).toBeUndefined();
      const snap = await writeSnapshot(a, out);
      expect(snap.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(snap.path).toBe(join(out, snap.hash.slice(0, 16)));
      expect(await isSnapshotDir(snap.path)).toBe(true);
      expect(await isSnapshotDir(src)).toBe(false);

      const b = await readSnapshot(snap.path, { verify: true });
      expect(b.hash).toBe(snap.hash);
      expect(b.origin).toContain(src);
      expectSameData(a, b);
      const names = b.tables.enterprises!.columns.name as Extract<Column, { codes: Int32Array }>;
      expect(names.dict).toContain('换行\n有限公司');

      const c = await loadBundle(snap.path);
      expect(c.hash).toBe(snap.hash);
      expectSameData(a, c);
      expect(await checkBundle(snap.path)).toEqual([]);

      // the manifest documents the layout: file dictionaries in both encodings, fills and ranges
      const m = JSON.parse(await readFile(join(snap.path, 'manifest.json'), 'utf8')) as SnapshotManifest;
      expect(m.format).toBe('caijin-snapshot');
      expect(m.hash).toBe(snap.hash);
      const ents = m.tables.find((t) => t.name === 'enterprises')!;
      expect(ents.length).toBe(106);
      expect(ents.source).toEqual({ file: 'enterprises.csv', rows: { dtype: 'i32', range: 2 } });
      const col = (k: string) => ents.columns.find((x) => x.key === k)!;
      expect(col('id').codes).toEqual({ dtype: 'i32', range: 0 });
      expect(col('id').dict).toMatchObject({ count: 106, encoding: 'lines', file: 'enterprises.id.dict.txt' });
      expect(col('name').dict).toMatchObject({ count: 106, encoding: 'json' });
      expect(col('kind').dict).toMatchObject({ inline: expect.any(Array) });
      expect(col('annual_sales').values).toEqual({ dtype: 'f64', fill: 'NaN' });
      expect(col('employees').values).toMatchObject({ dtype: 'f64', file: 'enterprises.employees.values.f64', bytes: 106 * 8 });
      const files = (await readdir(snap.path)).sort();
      const listed = new Set(['manifest.json']);
      for (const t of m.tables) {
        for (const c of t.columns) for (const r of [c.values, c.codes, c.refIndex, c.masks, c.dict]) if (r && 'file' in r) listed.add(r.file);
        if ('file' in t.source.rows) listed.add(t.source.rows.file);
        for (const x of t.extra) listed.add(x.file);
      }
      expect(files).toEqual([...listed].sort());
    } finally {
      await rm(src, { recursive: true });
      await rm(out, { recursive: true, force: true });
    }
  });

  it('has a stable hash: same data → same name, and the existing snapshot is kept', async () => {
    const src = await writeCsvBundle(bigBundle());
    const out1 = await tempDir();
    const out2 = await tempDir();
    try {
      const a = await loadBundle(src);
      const s1 = await writeSnapshot(a, out1);
      const s2 = await writeSnapshot(a, out2);
      expect(s2.hash).toBe(s1.hash);
      // read back and written again: same hash; into the same folder: the existing one is kept
      const again = await writeSnapshot(await readSnapshot(s1.path), out1);
      expect(again).toEqual(s1);
      expect(await readdir(out1)).toEqual([s1.hash.slice(0, 16)]);
      // origin and warnings are not part of the hash
      const s3 = await writeSnapshot({ ...a, origin: 'elsewhere', warnings: ['x'] }, out2);
      expect(s3.hash).toBe(s1.hash);
      // the data is
      const b = await loadBundle(src);
      (b.tables.loans!.columns.amount as Extract<Column, { values: Float64Array }>).values[0] += 1;
      expect((await writeSnapshot(b, out2)).hash).not.toBe(s1.hash);
    } finally {
      await rm(src, { recursive: true });
      await rm(out1, { recursive: true, force: true });
      await rm(out2, { recursive: true, force: true });
    }
  });

  it('detects tampering when verifying', async () => {
    const src = await writeCsvBundle(bigBundle());
    const out = await tempDir();
    try {
      const snap = await writeSnapshot(await loadBundle(src), out);
      const file = join(snap.path, 'loans.amount.values.f64');
      await flipByte(file, 3);
      // plain loading trusts the files (sizes only); verifying re-hashes them
      await expect(readSnapshot(snap.path)).resolves.toBeDefined();
      const err = await readSnapshot(snap.path, { verify: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BundleError);
      expect((err as BundleError).errors).toEqual([expect.objectContaining({ file: 'loans.amount.values.f64', key: 'snapshot.hash' })]);
      expect((await checkBundle(snap.path)).map((e) => e.key)).toEqual(['snapshot.hash']);
      await flipByte(file, 3);
      expect(await checkBundle(snap.path)).toEqual([]);

      // an edited manifest no longer matches its hash
      const mpath = join(snap.path, 'manifest.json');
      await chmod(mpath, 0o644);
      const m = JSON.parse(await readFile(mpath, 'utf8')) as SnapshotManifest;
      m.tables[0].source.file = 'other.csv';
      await writeFile(mpath, JSON.stringify(m));
      expect((await checkBundle(snap.path)).map((e) => e.key)).toEqual(['snapshot.hash']);

      // a truncated file is caught even without verify
      const ids = join(snap.path, 'enterprises.id.dict.txt');
      await chmod(ids, 0o644);
      await writeFile(ids, 'x');
      await expect(loadBundle(snap.path)).rejects.toBeInstanceOf(BundleError);
      // and a missing one
      await rm(ids);
      const missing = await loadBundle(snap.path).catch((e: unknown) => e);
      expect((missing as BundleError).errors.map((e) => e.key)).toEqual(['snapshot.missing']);
    } finally {
      await rm(src, { recursive: true });
      await rm(out, { recursive: true, force: true });
    }
  });

  it('rejects a snapshot of another contract version', async () => {
    const src = await writeCsvBundle(bigBundle());
    const out = await tempDir();
    try {
      const snap = await writeSnapshot(await loadBundle(src), out);
      const mpath = join(snap.path, 'manifest.json');
      await chmod(mpath, 0o644);
      const m = JSON.parse(await readFile(mpath, 'utf8')) as SnapshotManifest;
      m.tables[0].columns = m.tables[0].columns.filter((c) => c.key !== 'name');
      await writeFile(mpath, JSON.stringify(m));
      const err = await loadBundle(snap.path).catch((e: unknown) => e);
      expect((err as BundleError).errors.map((e) => e.key)).toEqual(['snapshot.schema']);
      m.version = 99;
      await writeFile(mpath, JSON.stringify(m));
      expect((await checkBundle(snap.path)).map((e) => e.key)).toEqual(['snapshot.version']);
    } finally {
      await rm(src, { recursive: true });
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('a snapshot written in parts (SnapshotDraft)', () => {
  it('is the snapshot writeSnapshotTables makes of the whole arrays, byte for byte', async () => {
    const dir = await tempDir();
    const n = 300;
    // parts of 7: a range, a fill, one that is a range until its last part, one that is equal until a late part, plain values
    const range = Int32Array.from({ length: n }, (_, i) => 5 + i);
    const fill = new Float64Array(n).fill(NaN);
    const lateBreak = Int32Array.from({ length: n }, (_, i) => (i === n - 1 ? 0 : i));
    const equalThenNot = new Int8Array(n).map((_, i) => (i > 250 ? 1 : -1));
    const values = Float64Array.from({ length: n }, (_, i) => i * 1.5);
    const codes = Int32Array.from({ length: n }, (_, i) => i % 70);
    const small = Int32Array.from({ length: n }, (_, i) => i % 3);
    const bigDict = Array.from({ length: 70 }, (_, i) => `名称${i}`);
    const smallDict = ['甲', '乙', '丙'];
    const parts = <T extends { subarray(a: number, b: number): T; length: number }>(a: T): T[] => {
      const out: T[] = [];
      for (let i = 0; i < a.length; i += 7) out.push(a.subarray(i, Math.min(a.length, i + 7)));
      return out;
    };
    const whole = (): SnapshotTableInput[] => [
      {
        name: 'enterprises',
        length: n,
        source: { file: 'enterprises.csv', rows: { dtype: 'i32', range: 2 } },
        columns: SCHEMA.enterprises.columns.map((c, k) => {
          const pick = [range, fill, lateBreak, equalThenNot, values][k % 5] as Int32Array;
          if (k === 1) return { key: c.key, type: c.type, codes: { dtype: 'i32', parts: [codes] }, dict: bigDict };
          if (k === 2) return { key: c.key, type: c.type, codes: { dtype: 'i32', parts: [small] }, dict: smallDict };
          const dtype = pick instanceof Float64Array ? 'f64' : pick instanceof Int8Array ? 'i8' : 'i32';
          return { key: c.key, type: c.type, values: { dtype, parts: [pick] } };
        }),
        extra: {},
      },
    ];
    const a = await writeSnapshotTables(whole(), 'whole', [], join(dir, 'a'));
    const draft = await SnapshotDraft.open(join(dir, 'b'));
    const streamed: SnapshotTableInput[] = whole().map((t) => ({
      ...t,
      columns: t.columns.map((c) => {
        const base = `${t.name}.${c.key}`;
        if (c.codes && 'parts' in c.codes) {
          const s = draft.array(`${base}.codes`, 'i32');
          for (const p of parts(c.codes.parts[0] as Int32Array)) s.push(p);
          const d = draft.dict(base);
          const entries = c.dict as string[];
          if (entries.length > 10) {
            d.pushStrings(entries, 0, 10);
            d.pushLines(Buffer.from(entries.slice(10).join('\n')), entries.length - 10);
          } else d.pushStrings(entries);
          return { ...c, codes: { dtype: 'i32', stream: s }, dict: d };
        }
        const v = c.values as { dtype: 'f64' | 'i32' | 'i8'; parts: (Float64Array | Int32Array | Int8Array)[] };
        const s = draft.array(`${base}.values`, v.dtype);
        for (const p of parts(v.parts[0] as Int32Array)) s.push(p);
        return { ...c, values: { dtype: v.dtype, stream: s } };
      }),
    }));
    const b = await draft.finish(streamed, 'streamed', []);
    expect(b.hash).toBe(a.hash);
    const files = await readdir(a.path);
    expect((await readdir(b.path)).sort()).toEqual(files.sort());
    for (const f of files) if (f !== 'manifest.json') expect(await readFile(join(b.path, f))).toEqual(await readFile(join(a.path, f)));
    await rm(dir, { recursive: true, force: true });
  });
});

/** The fixture bundle plus 20 loans with twelve month-end balances each, so that runs pay. */
function monthlyBundle(): BundleRows {
  const b = baseBundle();
  for (let l = 0; l < 20; l++) {
    b.loans.push([`LM${l}`, BANK, l % 2 ? E1 : E4, '1200000', '2021-12-20', '2023-12-20', '4.35', '', '', '']);
    for (let m = 1; m <= 12; m++) b.loan_balances.push([`LM${l}`, `2022-${String(m).padStart(2, '0')}`, String(1200000 - (l % 2) * m * 10000)]);
  }
  return b;
}

/** `rows` imported from CSV, and a scratch folder, for `fn`; both removed after. */
async function withImported(rows: BundleRows, fn: (bundle: Bundle, out: string) => Promise<void>): Promise<void> {
  const src = await writeCsvBundle(rows);
  const out = await tempDir();
  try {
    await fn(await loadBundle(src), out);
  } finally {
    await rm(src, { recursive: true });
    await rm(out, { recursive: true, force: true });
  }
}

/** A snapshot's manifest, and one column's entry in it. */
async function manifestOf(path: string): Promise<SnapshotManifest & { column(table: string, key: string): SnapshotManifest['tables'][number]['columns'][number] }> {
  const m = JSON.parse(await readFile(join(path, 'manifest.json'), 'utf8')) as SnapshotManifest;
  return { ...m, column: (table, key) => m.tables.find((x) => x.name === table)!.columns.find((c) => c.key === key)! };
}

describe('what a version 2 snapshot does not store twice', () => {
  it('keeps balances as runs and foreign keys as rows, and gives back the same columns', () =>
    withImported(monthlyBundle(), async (a, out) => {
      const snap = await writeSnapshot(a, out);
      const m = await manifestOf(snap.path);
      expect(m.version).toBe(2);
      // 247 balance rows of 23 loans: 23 runs of a repeated row; 25 runs of consecutive months (L1 skips to December, L2 to June)
      expect(m.column('loan_balances', 'loan_id')).toEqual({
        key: 'loan_id', type: 'id', dict: { of: 'refIndex' },
        refIndex: { dtype: 'i32', runs: 23, step: 0, file: 'loan_balances.loan_id.refIndex.runs.i32', bytes: 23 * 8, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      expect(m.column('loan_balances', 'month').values).toMatchObject({ dtype: 'f64', runs: 25, step: 1, bytes: 25 * 12 });
      // the balances themselves are not flagged, and ten guarantee balances are too few for runs to pay
      expect(m.column('loan_balances', 'balance').values).toMatchObject({ dtype: 'f64', file: 'loan_balances.balance.values.f64' });
      expect(m.column('guarantee_balances', 'month').values).toMatchObject({ file: 'guarantee_balances.month.values.f64' });
      // every foreign key's text is the referenced ids: only rows are stored
      expect(m.column('loans', 'borrower_id')).toMatchObject({ dict: { of: 'refIndex' }, refIndex: { file: 'loans.borrower_id.refIndex.i32' } });
      expect(m.column('loans', 'borrower_id').codes).toBeUndefined();
      expect(m.column('loans', 'guarantor_id')).toMatchObject({ dict: { of: 'refIndex' } });
      expect((await readdir(snap.path)).filter((f) => f.endsWith('.codes.i32') && /_id\./.test(f))).toEqual([]);

      const b = await readSnapshot(snap.path, { verify: true });
      // read as runs, the balance pass and a loan's sum from a month on need no array of them
      const lbKey = storedRuns(b.tables.loan_balances!.columns.loan_id, 'refIndex')!;
      const lbMonth = storedRuns(b.tables.loan_balances!.columns.month, 'values')!;
      expect([lbKey.count, lbMonth.count]).toEqual([23, 25]);
      expect(storedRuns(a.tables.loan_balances!.columns.month, 'values')).toBeUndefined();
      for (const year of [2021, 2022, 2023]) {
        const sa = balanceSummary(a, 'loans', year);
        const sb = balanceSummary(b, 'loans', year);
        expect(sb).toEqual(sa);
        expect(sb.first).not.toBeNull();
        for (let r = 0; r < a.tables.loans!.length; r++) {
          for (const from of [0, 3, 11, 12]) {
            expect(balanceSumOfRows(b, 'loans', year, sb.first![r], sb.last![r], from), `${year} ${r} ${from}`).toBe(balanceSumOfRows(a, 'loans', year, sa.first![r], sa.last![r], from));
          }
        }
      }
      expect([lbKey.expanded, lbMonth.expanded]).toEqual([false, false]);
      expectSameData(a, b);
      expect([lbKey.expanded, lbMonth.expanded]).toEqual([true, true]);
      // one entry without the whole dictionary, and a table loaded without the one it refers to
      const borrower = b.tables.loans!.columns.borrower_id as DictColumn;
      expect(dictEntry(borrower, borrower.codes[2])).toBe(E4);
      const only = await readSnapshot(snap.path, { tables: ['loan_balances'] });
      expect(only.tables.loans).toBeUndefined();
      const lb = only.tables.loan_balances!.columns.loan_id as DictColumn;
      expect(lb.dict.slice(0, 4)).toEqual(['L1', 'L2', 'L3', 'LM0']);
      expect(Array.from(lb.codes.subarray(0, 8))).toEqual([0, 0, 0, 0, 1, 1, 2, 3]);

      // read back and written again: the same snapshot
      expect((await writeSnapshot(b, out)).hash).toBe(snap.hash);
    }));

  it('stores the text of a foreign key that does not follow its rows (a loan number two banks use)', () => {
    const b = baseBundle();
    const BANK2 = makeUscc('91330300MA0000009');
    b.institutions.push([BANK2, '另一家银行', 'bank', '330300', '', '']);
    b.loans.push(['L1', BANK2, E1, '5000', '2022-06-01', '', '', '', '', '']);
    b.loan_balances[0].push('bank_id');
    for (let i = 1; i < b.loan_balances.length; i++) b.loan_balances[i].push(BANK);
    b.loan_balances.push(['L1', '2022-06', '5000', BANK2]);
    b.loan_losses[0].push('bank_id');
    return withImported(b, async (a, out) => {
      const snap = await writeSnapshot(a, out);
      const lb = (await manifestOf(snap.path)).column('loan_balances', 'loan_id');
      // "L1" is one dictionary entry for rows 0 and 3 of loans
      expect(lb.codes).toMatchObject({ file: 'loan_balances.loan_id.codes.i32' });
      expect(lb.dict).toEqual({ count: 3, inline: ['L1', 'L2', 'L3'] });
      expectSameData(a, await readSnapshot(snap.path, { verify: true }));
    });
  });

  it('checks the text against the ids when the importer did not (a column changed after import)', () =>
    withImported(baseBundle(), async (a, out) => {
      const loans = a.tables.loans!;
      const borrower = loans.columns.borrower_id as DictColumn;
      // same codes and rows, one text not the row's id
      const dict = [...borrower.dict];
      dict[1] = `${dict[1]}X`;
      loans.columns.borrower_id = { type: borrower.type, codes: borrower.codes, dict, refIndex: borrower.refIndex } as Column;
      const snap = await writeSnapshot(a, out);
      const col = (await manifestOf(snap.path)).column('loans', 'borrower_id');
      expect(col.dict).toEqual({ count: 3, inline: dict });
      expect(col.codes).toEqual({ dtype: 'i32', range: 0 });
      expectSameData(a, await readSnapshot(snap.path));
    }));

  it('gives an empty foreign key into a table the bundle lacks its empty text', () => {
    const b = baseBundle();
    delete b.fintech_projects;
    const at = b.loans[0].indexOf('金融科技项目');
    const tags = b.loans[0].indexOf('产品标签');
    for (const r of b.loans.slice(1)) {
      r[at] = '';
      r[tags] = r[tags].replace('fintech_project;', '');
    }
    return withImported(b, async (a, out) => {
      const back = await readSnapshot((await writeSnapshot(a, out)).path, { verify: true });
      expect(back.tables.fintech_projects).toBeUndefined();
      const col = back.tables.loans!.columns.fintech_project_id as DictColumn;
      expect(col.dict).toEqual([]);
      expect(Array.from(col.codes)).toEqual([-1, -1, -1]);
      expectSameData(a, back);
    });
  });

  it('reads version 1 snapshots (every array stored), and writes them again as version 2', () =>
    withImported(baseBundle(), async (a, out) => {
      const v1 = join(import.meta.dirname, 'fixtures', 'snapshot-v1');
      expect((await manifestOf(v1)).version).toBe(1);
      const old = await readSnapshot(v1, { verify: true });
      expectSameData(a, old);
      expect((await writeSnapshot(old, out)).hash).toBe((await writeSnapshot(a, out)).hash);
    }));

  it('sums balances stored as runs whose loans are not in ascending order as it sums the rows', () => {
    const b = monthlyBundle();
    // the balance rows grouped by loan, the last loans first: runs that pay, but not ascending
    const [head, ...rows] = b.loan_balances;
    const groups = new Map<string, string[][]>();
    for (const r of rows) groups.set(r[0], [...(groups.get(r[0]) ?? []), r]);
    b.loan_balances = [head, ...[...groups.values()].reverse().flat()];
    return withImported(b, async (a, out) => {
      const snap = await writeSnapshot(a, out);
      const c = await readSnapshot(snap.path);
      const months = storedRuns(c.tables.loan_balances!.columns.month, 'values')!;
      expect(months).toBeDefined();
      expect(balanceSummary(a, 'loans', 2022).first).toBeNull();
      expect(balanceSummary(c, 'loans', 2022)).toEqual(balanceSummary(a, 'loans', 2022));
      // the row-by-row pass made the arrays from the runs
      expect(months.expanded).toBe(true);
      // a column given another array is no longer read through its runs
      const col = c.tables.loan_balances!.columns.month as { values: Float64Array };
      const other = col.values.map((m) => m + 1);
      col.values = other;
      expect(storedRuns(col as unknown as Column, 'values')).toBeUndefined();
      expect(col.values).toBe(other);
    });
  });

  it('rejects runs that do not add up to the table', () =>
    withImported(monthlyBundle(), async (a, out) => {
      const snap = await writeSnapshot(a, out);
      // the first run's length (after 25 first values of 8 bytes) one larger
      const runs = join(snap.path, 'loan_balances.month.values.runs.f64');
      await chmod(runs, 0o644);
      const buf = await readFile(runs);
      buf[25 * 8] += 1;
      await writeFile(runs, buf);
      const err = await readSnapshot(snap.path).catch((e: unknown) => e);
      expect((err as BundleError).errors).toEqual([expect.objectContaining({ file: 'loan_balances.month.values.runs.f64', key: 'snapshot.size', zh: expect.stringContaining('248') })]);
    }));
});

describe('Runs', () => {
  it('find a fill or a range as Uniformity does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2, max: 3 }), { maxLength: 12 }), fc.boolean(), fc.constantFrom(0 as const, 1 as const), (xs, counting, step) => {
        const a = Int32Array.from(xs, (x, i) => (counting ? (xs[0] ?? 0) + i : x));
        const shape = new Uniformity();
        shape.add(a);
        const runs = new Runs('i32', step);
        runs.add(a);
        expect(runs.plain('i32')).toEqual(shape.ref('i32'));
      }),
    );
  });

  const values = fc.constantFrom(0, -0, 1, 2, 3, NaN, 2.5, 3.5, -1, 1e300, Infinity);
  const cutsOf = (n: number) => fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 6 }).map((c) => [...c].sort((x, y) => x - y));
  const bitsOf = (a: ArrayLike<number>) => Array.from(a, (x) => (Object.is(x, -0) ? '-0' : String(x)));

  it('read back (StoredRuns): a cursor from any element walks the very elements, and the array is made only when asked for', () => {
    const run = fc.record({ start: values, length: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(fc.array(run, { maxLength: 12 }), fc.constantFrom(0 as const, 1 as const), (rs, step) => {
        const starts = Float64Array.from(rs, (r) => r.start);
        const lengths = Uint32Array.from(rs, (r) => r.length);
        const n = lengths.reduce((x, y) => x + y, 0);
        const want = new Float64Array(n);
        expandRuns(starts, lengths, rs.length, step, want);
        const stored = new StoredRuns(starts, lengths, rs.length, step, n);
        for (let k = 0; k < n; k++) {
          const c = stored.cursor(k);
          const got: number[] = [];
          for (let j = k; j < n; j++, c.next()) got.push(c.value);
          expect(bitsOf(got), `from ${k}`).toEqual(bitsOf(want.subarray(k)));
        }
        expect(stored.expanded).toBe(false);
        expect(bitsOf(stored.expand((m) => new Float64Array(m)))).toEqual(bitsOf(want));
        expect(stored.expanded).toBe(true);
      }),
    );
  });

  it('are the maximal runs, whatever the parts, and expand to the very elements', () => {
    fc.assert(
      fc.property(fc.array(values, { maxLength: 60 }), fc.constantFrom(0 as const, 1 as const), fc.integer({ min: 0, max: 100 }), (xs, step, seed) => {
        // step 1 wants counting: turn some elements into the one before plus one
        const a = Float64Array.from(xs);
        if (step === 1) for (let i = 1; i < a.length; i++) if ((i * 7 + seed) % 3) a[i] = a[i - 1] + 1;
        const whole = new Runs('f64', step);
        whole.add(a);
        expect(bitsOf(whole.expand())).toEqual(bitsOf(a));
        const cuts = fc.sample(cutsOf(a.length), { seed, numRuns: 1 })[0];
        const parted = new Runs('f64', step);
        let from = 0;
        for (const c of [...cuts.filter((c) => c < a.length), a.length]) {
          parted.add(a.subarray(from, c));
          from = c;
        }
        // row by row, and as one Runs appended to another, the same again
        const pushed = new Runs('f64', step, 1); // a tail of one run: sealed and grown again and again
        for (const x of a) pushed.push(x);
        const joined = new Runs('f64', step);
        const mid = a.length >> 1;
        joined.add(a.subarray(0, mid));
        const rest = new Runs('f64', step, 1); // in several parts itself
        for (const x of a.subarray(mid)) rest.push(x);
        joined.append(rest);
        const w = flat(whole);
        expect(w.starts.length).toBe(whole.count);
        for (const other of [parted, pushed, joined]) {
          expect(other.count).toBe(whole.count);
          expect(other.length).toBe(a.length);
          expect(bitsOf(other.expand())).toEqual(bitsOf(a));
          const o = flat(other);
          expect(bitsOf(o.starts)).toEqual(bitsOf(w.starts));
          expect(Array.from(o.lengths)).toEqual(Array.from(w.lengths));
          // the file's bytes do not depend on how the runs came in parts
          expect(Buffer.concat(other.bytes())).toEqual(Buffer.concat(whole.bytes()));
        }
        // maximal: no run could take the next one's first element
        const e = whole.expand();
        let at = 0;
        for (let k = 0; k + 1 < whole.count; k++) {
          at += w.lengths[k];
          const prev = e[at - 1];
          const next = e[at];
          const joins = step === 0 ? Object.is(prev, next) : next === prev + 1 && !Object.is(next, -0);
          expect(joins).toBe(false);
        }
      }),
    );
  });
});
