import { describe, expect, it } from 'vitest';
import { rm, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBundle, checkBundle, BundleError, RATE_SCALE, type Column, type LedgerError } from '../src/index.ts';
import { makeUscc } from '@caijin/core';
import { baseBundle, writeCsvBundle, setCell, toCsv, BANK, E1, E4, F1, NOBODY, type BundleRows } from './fixtures.ts';

async function errorsOf(b: BundleRows): Promise<LedgerError[]> {
  const dir = await writeCsvBundle(b);
  try {
    return await checkBundle(dir);
  } finally {
    await rm(dir, { recursive: true });
  }
}

type Dict = Extract<Column, { codes: Int32Array }>;
type Num = Extract<Column, { values: Float64Array }>;

describe('loadBundle on a valid bundle', () => {
  it('reads all 16 files into typed columns with resolved foreign keys', async () => {
    const dir = await writeCsvBundle(baseBundle());
    const b = await loadBundle(dir);
    expect(Object.keys(b.tables).length).toBe(16);
    expect(b.warnings).toEqual([]);
    const loans = b.tables.loans!;
    expect(loans.length).toBe(3);
    expect(Array.from((loans.columns.amount as Num).values)).toEqual([100_000_000, 20_000_000, 50_000_050]);
    // 2022-01-10, 2021年5月1日, 2022-03-15 as days since epoch
    expect(Array.from((loans.columns.start_date as Num).values)).toEqual([19002, 18748, 19066]);
    expect(Array.from((loans.columns.rate_pct as Num).values)).toEqual([0.0435 * RATE_SCALE, 5_000_000, 3_850_000].map(Math.round));
    const products = loans.columns.products as Extract<Column, { type: 'tags' }>;
    expect(products.masks[0]).toBe(0b11); // credit;first_loan
    expect(products.tags[products.masks[1].toString(2).length - 1]).toBe('farmer_asset_trust');
    const borrower = loans.columns.borrower_id as Dict;
    const ents = b.tables.enterprises!;
    const entIds = ents.columns.id as Dict;
    expect(Array.from(borrower.refIndex!).map((r) => entIds.dict[entIds.codes[r]])).toEqual([E1, F1, E4]);
    expect(Array.from((loans.columns.guarantor_id as Dict).refIndex!)).toEqual([-1, 1, -1]);
    expect(Array.from((loans.columns.fintech_project_id as Dict).refIndex!)).toEqual([-1, -1, 0]);
    expect(loans.source).toEqual({ file: 'loans.csv', rows: Int32Array.from([2, 3, 4]) });
    await rm(dir, { recursive: true });
  });

  it('derives an empty size, defaults tax_region to region, accepts Chinese enum labels', async () => {
    const dir = await writeCsvBundle(baseBundle());
    const b = await loadBundle(dir);
    const e = b.tables.enterprises!;
    const size = e.columns.size as Dict;
    expect(Array.from(size.codes).map((c) => (c < 0 ? '' : size.dict[c]))).toEqual(['small', 'medium', '', 'micro', '', '']);
    const tax = e.columns.tax_region as Dict;
    expect(Array.from(tax.codes).map((c) => tax.dict[c])).toEqual(['330302', '330304', '330302', '330302', '330324', '330302']);
    const kind = e.columns.kind as Dict;
    expect(kind.dict[kind.codes[3]]).toBe('enterprise'); // 企业
    const industry = e.columns.industry as Dict;
    expect(industry.dict[industry.codes[1]]).toBe('wholesale'); // 批发业
    const inst = b.tables.institutions!.columns;
    expect(Array.from((inst.government_backed as Extract<Column, { type: 'bool' }>).values)).toEqual([0, 1, 1, 0]);
    await rm(dir, { recursive: true });
  });

  it('keeps unknown columns in extra and warns about them', async () => {
    const bb = baseBundle();
    bb.outlets[0].push('备注');
    bb.outlets[1].push('新开网点');
    const dir = await writeCsvBundle(bb);
    const b = await loadBundle(dir);
    expect(b.tables.outlets!.extra).toEqual({ 备注: ['新开网点'] });
    expect(b.warnings.some((w) => w.includes('备注'))).toBe(true);
    await rm(dir, { recursive: true });
  });

  it('accepts header aliases: no unit suffix, full-width parentheses, English in any case', async () => {
    const bb = baseBundle();
    bb.loans[0] = ['ID', 'Bank_ID', '借款人', '合同金额', '发放日', '到期日', '年利率（%）', ' 产品标签 ', '金融科技项目', '担保机构'];
    bb.guarantees[0][bb.guarantees[0].indexOf('amount')] = '担保金额（元）';
    const b = await loadBundle(await writeCsvBundle(bb));
    expect(Array.from((b.tables.loans!.columns.amount as Num).values)).toEqual([100_000_000, 20_000_000, 50_000_050]);
    expect((b.tables.guarantees!.columns.amount as Num).values[0]).toBe(300_000_000);
  });

  it('a 万元 header is not taken for 元', async () => {
    const bb = baseBundle();
    bb.loans[0][3] = '合同金额(万元)';
    const errs = await errorsOf(bb);
    expect(errs.map((e) => [e.key, e.column])).toEqual([['column.missing', 'amount']]);
  });
});

describe('each kind of bad input gives exactly one precise error', () => {
  const cases: {
    name: string;
    edit: (b: BundleRows) => void;
    key: string;
    file: string;
    row?: number;
    column?: string;
    zh?: RegExp;
  }[] = [
    {
      name: 'wrong USCC check character',
      edit: (b) => setCell(b, 'loans', 0, '贷款银行', BANK.slice(0, 17) + (BANK[17] === 'A' ? 'B' : 'A')),
      key: 'uscc.check_char',
      file: 'loans.csv',
      row: 2,
      column: 'bank_id',
      zh: /贷款银行（bank_id）：统一社会信用代码校验位错误：第18位应为“R”/,
    },
    {
      name: 'unknown borrower',
      edit: (b) => setCell(b, 'loans', 1, '借款人', NOBODY),
      key: 'ref.unknown',
      file: 'loans.csv',
      row: 3,
      column: 'borrower_id',
      zh: new RegExp(`借款人（borrower_id） ${NOBODY} 不在 enterprises`),
    },
    {
      name: 'negative amount',
      edit: (b) => setCell(b, 'guarantees', 2, 'amount', '-5'),
      key: 'value.negative',
      file: 'guarantees.csv',
      row: 4,
      column: 'amount',
    },
    {
      name: 'negative rate',
      edit: (b) => setCell(b, 'guarantees', 0, 'fee_rate_pct', '-0.5'),
      key: 'value.negative',
      file: 'guarantees.csv',
      row: 2,
      column: 'fee_rate_pct',
    },
    {
      name: 'negative integer',
      edit: (b) => setCell(b, 'enterprises', 0, 'employees', '-3'),
      key: 'value.negative',
      file: 'enterprises.csv',
      row: 2,
      column: 'employees',
    },
    {
      name: 'malformed date',
      edit: (b) => setCell(b, 'guarantees', 0, 'start_date', '2022.03.01'),
      key: 'date.format',
      file: 'guarantees.csv',
      row: 2,
      column: 'start_date',
    },
    {
      name: 'impossible date 2022-02-30',
      edit: (b) => setCell(b, 'guarantee_events', 0, 'date', '2022-02-30'),
      key: 'date.invalid',
      file: 'guarantee_events.csv',
      row: 2,
      column: 'date',
      zh: /2022年2月没有30日/,
    },
    {
      name: 'more than 2 decimals',
      edit: (b) => setCell(b, 'loan_balances', 3, 'balance', '100000.005'),
      key: 'money.too_many_decimals',
      file: 'loan_balances.csv',
      row: 5,
      column: 'balance',
    },
    {
      name: 'bad enum value',
      edit: (b) => setCell(b, 'guarantees', 1, 'kind', 'loans'),
      key: 'enum.unknown',
      file: 'guarantees.csv',
      row: 3,
      column: 'kind',
      zh: /应为以下之一：loan（借款类）、bond（发行债券）/,
    },
    {
      name: 'bad tag',
      edit: (b) => setCell(b, 'loans', 0, '产品标签', 'credit;首贷;xyz'),
      key: 'tags.unknown',
      file: 'loans.csv',
      row: 2,
      column: 'products',
    },
    {
      name: 'missing required column',
      edit: (b) => {
        for (const r of b.loan_losses) r.splice(2, 1);
      },
      key: 'column.missing',
      file: 'loan_losses.csv',
      row: 1,
      column: 'principal_loss',
      zh: /缺少必填列“本金损失\(元\)”（principal_loss）/,
    },
    {
      name: 'duplicate id',
      edit: (b) => {
        b.guarantees.push(b.guarantees[2].slice());
      },
      key: 'unique.duplicate',
      file: 'guarantees.csv',
      row: 11,
      column: 'id',
      zh: /与第 3 行相同/,
    },
    {
      name: 'duplicate (loan, month) balance',
      edit: (b) => setCell(b, 'loan_balances', 2, 'month', '2022-2'),
      key: 'unique.duplicate',
      file: 'loan_balances.csv',
      row: 4,
      column: 'month',
    },
    {
      name: 'bad month',
      edit: (b) => setCell(b, 'guarantee_balances', 0, 'month', '2022-13'),
      key: 'month.invalid',
      file: 'guarantee_balances.csv',
      row: 2,
      column: 'month',
    },
    {
      name: 'bad percent',
      edit: (b) => setCell(b, 'loans', 2, '年利率(%)', '3.85‰'),
      key: 'rate.format',
      file: 'loans.csv',
      row: 4,
      column: 'rate_pct',
    },
    {
      name: 'required cell empty',
      edit: (b) => setCell(b, 'guarantee_events', 1, 'amount', ''),
      key: 'value.required',
      file: 'guarantee_events.csv',
      row: 3,
      column: 'amount',
    },
    {
      name: 'bad region code',
      edit: (b) => setCell(b, 'outlets', 0, 'region', '33108'),
      key: 'region.format',
      file: 'outlets.csv',
      row: 2,
      column: 'region',
    },
    {
      name: 'bad resident id check digit',
      edit: (b) => {
        const bad = F1.slice(0, 17) + (F1[17] === '0' ? '1' : '0');
        setCell(b, 'enterprises', 4, 'id', bad);
        setCell(b, 'loans', 1, '借款人', E1);
        setCell(b, 'guarantees', 4, 'borrower_id', E1);
      },
      key: 'resident_id.check_char',
      file: 'enterprises.csv',
      row: 6,
      column: 'id',
    },
    {
      name: 'bank_id pointing at an insurer',
      edit: (b) => setCell(b, 'outlets', 0, 'bank_id', b.institutions[4][0]),
      key: 'ref.kind',
      file: 'outlets.csv',
      row: 2,
      column: 'bank_id',
      zh: /机构类型为 insurer（保险机构），应为 bank（银行）/,
    },
    {
      name: 'maturity before start',
      edit: (b) => setCell(b, 'loans', 0, '到期日', '2021-01-09'),
      key: 'date.order',
      file: 'loans.csv',
      row: 2,
      column: 'maturity_date',
    },
    {
      name: 'fintech_project tag without a project',
      edit: (b) => setCell(b, 'loans', 2, '金融科技项目', ''),
      key: 'loans.fintech_project_missing',
      file: 'loans.csv',
      row: 4,
      column: 'fintech_project_id',
    },
    {
      name: 'size empty and not derivable',
      edit: (b) => setCell(b, 'enterprises', 0, 'employees', ''),
      key: 'size.underivable',
      file: 'enterprises.csv',
      row: 2,
      column: 'size',
      zh: /需要“从业人员”/,
    },
    {
      name: 'loan guarantee without purpose',
      edit: (b) => setCell(b, 'guarantees', 0, 'purpose', ''),
      key: 'value.required',
      file: 'guarantees.csv',
      row: 2,
      column: 'purpose',
    },
    {
      name: 'duplicate header',
      edit: (b) => {
        b.outlets[0].push('网点编号');
        b.outlets[1].push('O1');
      },
      key: 'header.duplicate',
      file: 'outlets.csv',
      row: 1,
      column: 'id',
    },
    {
      name: 'unquoted comma in a number',
      edit: (b) => {
        // "300,000" written without quotes: one cell too many
        b.supply_chain_financings[1][4] = '300';
        b.supply_chain_financings[1].push('000');
      },
      key: 'row.too_many_cells',
      file: 'supply_chain_financings.csv',
      row: 2,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const b = baseBundle();
      c.edit(b);
      const errs = await errorsOf(b);
      expect(errs.length, JSON.stringify(errs, null, 1)).toBe(1);
      const e = errs[0];
      expect(e.key).toBe(c.key);
      expect(e.file).toBe(c.file);
      if (c.row !== undefined) expect(e.row).toBe(c.row);
      if (c.column !== undefined) expect(e.column).toBe(c.column);
      if (c.zh) expect(e.zh).toMatch(c.zh);
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
    });
  }

  it('a foreign key into a file the bundle lacks', async () => {
    const b = baseBundle();
    delete (b as Partial<BundleRows>).fintech_projects;
    const errs = await errorsOf(b);
    expect(errs.map((e) => [e.key, e.file, e.column])).toEqual([['ref.missing_table', 'loans.csv', 'fintech_project_id']]);
  });

  it('error records carry the header as written and the value', async () => {
    const errs = await errorsOf(setCell(baseBundle(), 'loans', 0, '合同金额(元)', '12.345'));
    expect(errs).toEqual([
      {
        file: 'loans.csv',
        row: 2,
        column: 'amount',
        header: '合同金额(元)',
        value: '12.345',
        key: 'money.too_many_decimals',
        zh: '合同金额(元)（amount）：金额最多两位小数（精确到分）',
      },
    ]);
  });
});

describe('all or nothing', () => {
  it('three bad rows: three errors, no tables', async () => {
    const b = baseBundle();
    setCell(b, 'loans', 0, '合同金额(元)', 'abc');
    setCell(b, 'guarantees', 5, 'start_date', '2022-02-29');
    setCell(b, 'loan_balances', 6, 'balance', '-1');
    const dir = await writeCsvBundle(b);
    let thrown: unknown;
    const result = await loadBundle(dir).catch((e) => {
      thrown = e;
      return undefined;
    });
    expect(result).toBeUndefined();
    expect(thrown).toBeInstanceOf(BundleError);
    const errs = (thrown as BundleError).errors;
    expect(errs.map((e) => `${e.file}:${e.row}:${e.column}:${e.key}`)).toEqual([
      'loans.csv:2:amount:money.format',
      'loan_balances.csv:8:balance:value.negative',
      'guarantees.csv:7:start_date:date.invalid',
    ]);
  });

  it('caps the list and says how many more there are', async () => {
    const b = baseBundle();
    for (let i = 0; i < 30; i++) b.loan_balances.push(['L1', `${2023 + Math.floor(i / 12)}-${(i % 12) + 1}`, 'x']);
    const dir = await writeCsvBundle(b);
    const errs = await checkBundle(dir, { maxErrors: 10 });
    expect(errs.length).toBe(11);
    expect(errs[10].key).toBe('errors.truncated');
    expect(errs[10].zh).toContain('另有 20 个错误');
  });
});

describe('bundle shapes', () => {
  it('a missing path is an error, not a crash', async () => {
    const errs = await checkBundle('/nonexistent/bundle');
    expect(errs.map((e) => e.key)).toEqual(['bundle.not_found']);
  });

  it('unknown files are warned about, Chinese file names accepted', async () => {
    const b = baseBundle();
    const dir = await writeCsvBundle(b);
    await writeFile(join(dir, 'notes.csv'), 'a,b\n1,2\n');
    await unlink(join(dir, 'outlets.csv'));
    await writeFile(join(dir, '网点.csv'), toCsv(b.outlets));
    const bundle = await loadBundle(dir);
    expect(bundle.tables.outlets?.source.file).toBe('网点.csv');
    expect(bundle.warnings.some((w) => w.includes('notes.csv'))).toBe(true);
  });

  it('blank lines and a header-only file', async () => {
    const b = baseBundle();
    const dir = await writeCsvBundle(b);
    await writeFile(join(dir, 'outlets.csv'), 'id,bank_id\n');
    await writeFile(join(dir, 'special_branches.csv'), `id,bank_id,kind,year\n\nSB1,${BANK},tech,2022\n,,,\n`);
    const bundle = await loadBundle(dir);
    expect(bundle.tables.outlets!.length).toBe(0);
    expect(bundle.tables.special_branches!.length).toBe(1);
    expect(bundle.tables.special_branches!.source.rows[0]).toBe(3);
  });

  it('loan ids unique per bank: balances need bank_id only when an id is shared', async () => {
    const b = baseBundle();
    const BANK2 = makeUscc('91330300MA0000009');
    b.institutions.push([BANK2, '另一家银行', 'bank', '330300', '', '']);
    b.loans.push(['L1', BANK2, E1, '5000', '2022-06-01', '', '', '', '', '']);
    let errs = await errorsOf(b);
    expect(errs.map((e) => e.key)).toEqual(Array(4).fill('ref.ambiguous'));
    b.loan_balances[0].push('bank_id');
    for (let i = 1; i < b.loan_balances.length; i++) b.loan_balances[i].push(BANK);
    b.loan_balances.push(['L1', '2022-06', '5000', BANK2]);
    b.loan_losses[0].push('bank_id');
    errs = await errorsOf(b);
    expect(errs).toEqual([]);
    const bundle = await loadBundle(await writeCsvBundle(b));
    const ref = (bundle.tables.loan_balances!.columns.loan_id as Dict).refIndex!;
    expect(Array.from(ref)).toEqual([0, 0, 0, 0, 1, 1, 2, 3]);
  });

  it('guarantees without a purpose column count as business, with a warning', async () => {
    const b = baseBundle();
    const p = b.guarantees[0].indexOf('purpose');
    for (const r of b.guarantees) r.splice(p, 1);
    const bundle = await loadBundle(await writeCsvBundle(b));
    const purpose = bundle.tables.guarantees!.columns.purpose as Dict;
    expect(Array.from(purpose.codes).every((c) => purpose.dict[c] === 'business')).toBe(true);
    expect(bundle.warnings.some((w) => w.includes('purpose'))).toBe(true);
  });
});
