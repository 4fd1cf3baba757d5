// polars peer of the benchmark (issue 4): the clause set of bench/clause-set.ts and the guarantor
// indicators with nodejs-polars over the bundle's CSV files, exact to the fen.
//
// polars has no exact decimals for every step, so: cells are parsed from text straight into Int64
// fen (never through a float); joins and group-bys over loans, guarantees and monthly balances run in
// polars on Int64 columns whose sums stay far below 2^63; products that could pass 2^63 (amount × fee
// rate, an enterprise's counted balance × a loan's weight in 第十五条's group split) and the last
// per-recipient steps (half-up rounding, ratios, pool caps by largest remainder) are finished in TS
// with BigInt over the small grouped tables polars hands back.
// The readings are those of the DuckDB peer (bench/peers/duckdb.ts), where each is explained.
// With PEER_PROFILE=1 the time of each stage is printed to stderr.
import pl from 'nodejs-polars';
import type { EngineResult } from '../clause-set.ts';
import {
  CLAUSE_KEYS,
  FALSE_TEXTS,
  INDUSTRY_COLUMNS,
  INPUT_TABLES,
  L15_BUDGET_FEN,
  TRUE_TEXTS,
  W8_COEFFICIENT,
  YEAR,
  big,
  bigOrNull,
  csvHeader,
  industryRows,
  poolSplit,
  splitLargestRemainder,
  ratio8,
  roundHalfUp,
  stepValue,
  timed,
  yuanText,
  type CellType,
  type PeerRun,
} from './common.ts';

type DF = pl.DataFrame;
type Tables = Record<string, DF>;

const M0 = YEAR * 12;
const M11 = YEAR * 12 + 11;
const PREV_END = YEAR * 12 - 1;

const col = pl.col;
/** An Int64 literal (a bare JS number would be a float literal). */
const int = (n: number | bigint) => pl.lit(Number(n)).cast(pl.Int64);
const str = (s: string) => pl.lit(s);

export async function polarsRun(bundleDir: string): Promise<PeerRun> {
  const [tables, loadMs] = await timed(async () => load(bundleDir));
  const [result, computeMs] = await timed(async () => compute(tables));
  return { loadMs, computeMs, result };
}

// ---------------------------------------------------------------------------------------------
// Load: every cell read as text, converted exactly (contract §1).

const DTYPE: Record<CellType, pl.DataType> = {
  text: pl.Utf8,
  fen: pl.Int64,
  pct: pl.Int64,
  bool: pl.Bool,
  date: pl.Date,
  month: pl.Int32,
  int: pl.Int64,
};

/** Decimal text with at most `digits` decimals → integer × 10^digits (sign, thousands separators). */
function scaledInt(e: pl.Expr, digits: number): pl.Expr {
  const ip = e.str.extract(/^[+-]?(\d+)/, 1).cast(pl.Int64);
  const fp = e.str.extract(/\.(\d+)$/, 1).str.padEnd(digits, '0').cast(pl.Int64).fillNull(int(0));
  const mag = ip.mul(int(10 ** digits)).add(fp);
  return pl.when(e.str.startsWith('-')).then(int(0).sub(mag)).otherwise(mag);
}

function cellExpr(type: CellType, c: string): pl.Expr {
  const s = col(c);
  switch (type) {
    case 'text':
      return s;
    case 'fen':
      return scaledInt(s.str.replaceAll(',', '', true), 2);
    case 'pct': // percent × 10^6
      return scaledInt(s.str.replaceAll('%', '', true), 6);
    case 'bool':
      return pl.when(s.isIn(TRUE_TEXTS)).then(pl.lit(true)).when(s.isIn(FALSE_TEXTS)).then(pl.lit(false)).otherwise(pl.lit(null)).cast(pl.Bool);
    case 'date':
      return s.str.strptime(pl.Date, '%Y-%m-%d');
    case 'month':
      return s.str.slice(0, 4).cast(pl.Int32).mul(12).add(s.str.slice(5, 2).cast(pl.Int32)).sub(1);
    case 'int':
      return s.str.replaceAll(',', '', true).cast(pl.Int64);
  }
}

function load(dir: string): Tables {
  const out: Tables = {};
  for (const [table, columns] of Object.entries(INPUT_TABLES)) {
    const h = csvHeader(dir, table);
    if (!h) {
      out[table] = pl.DataFrame(columns.map(([c, t]) => pl.Series(c, [], DTYPE[t])));
      continue;
    }
    // Only the columns the clause set reads, all as text.
    const raw = pl.readCSV(h.file, { inferSchemaLength: 0, columns: columns.map(([c]) => c).filter((c) => h.columns.includes(c)) });
    out[table] = raw.select(
      ...columns.map(([c, t]) => (h.columns.includes(c) ? cellExpr(t, c) : pl.lit(null).cast(DTYPE[t])).cast(DTYPE[t]).alias(c)),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const has = (tag: string) => col('tags').lst.contains(tag).fillNull(false);
const yearOf = (c: string) => col(c).dt.year();

interface Rec {
  [k: string]: unknown;
}

/** With PEER_PROFILE=1, prints the time since the previous lap to stderr. */
function laps(): (label: string) => void {
  let last = performance.now();
  return (label) => {
    if (process.env.PEER_PROFILE !== '1') return;
    const now = performance.now();
    console.error(`[polars] ${(now - last).toFixed(0).padStart(6)} ms  ${label}`);
    last = now;
  };
}

function compute(t: Tables): EngineResult {
  const lap = laps();
  // Parties: size derived when empty (300号); small_micro / small_micro_agri (definitions.yaml).
  const bounds = pl.readRecords(
    industryRows().map((r) => Object.fromEntries(INDUSTRY_COLUMNS.map((k, i) => [k, r[i]]))),
    { schema: Object.fromEntries(INDUSTRY_COLUMNS.map((k) => [k, k === 'industry' ? pl.Utf8 : pl.Int64])) },
  );
  const meets = (p: string) =>
    col(`${p}_emp`).isNull().or(col('employees').gtEq(col(`${p}_emp`)))
      .and(col(`${p}_rev`).isNull().or(col('revenue').gtEq(col(`${p}_rev`))))
      .and(col(`${p}_assets`).isNull().or(col('total_assets').gtEq(col(`${p}_assets`))));
  const sized = t.enterprises.join(bounds, { on: 'industry', how: 'left' }).withColumns(
    pl.when(col('size').isNotNull()).then(col('size'))
      .when(col('kind').isIn(['farmer', 'new_agri_entity', 'business_owner']).or(col('industry').isNull())).then(pl.lit(null).cast(pl.Utf8))
      .when(meets('c')).then(str('large'))
      .when(meets('m')).then(str('medium'))
      .when(meets('s')).then(str('small'))
      .otherwise(str('micro'))
      .alias('size'),
  );
  const smallSize = col('kind').eq(str('enterprise')).fillNull(true).and(col('size').isIn(['small', 'micro']).fillNull(false));
  const ent = sized.select(
    col('id'), col('kind'), col('size'), col('region'), col('tech_enterprise'), col('annual_sales'),
    col('kind').isIn(['individual_business', 'business_owner']).fillNull(false).or(smallSize).alias('small_micro'),
    col('kind').isIn(['individual_business', 'farmer', 'new_agri_entity', 'business_owner']).fillNull(false).or(smallSize).alias('small_micro_agri'),
  );

  lap('parties');
  // Loans with the year's figures: sum12, sum from the fintech release month, December balance.
  const lf = t.loans
    .join(t.fintech_projects.select(col('id').alias('fintech_project_id'), col('release_month'), col('provincial_endorsement')), { on: 'fintech_project_id', how: 'left' })
    .withColumns(col('products').str.split(';').alias('tags'));
  const yearBal = t.loan_balances.filter(col('month').gtEq(M0).and(col('month').ltEq(M11)));
  const loanBal = yearBal.groupBy('loan_id').agg(col('balance').sum().alias('sum12'), col('balance').filter(col('month').eq(M11)).sum().alias('bal_end'));
  // Loans of a fintech project: the months from its release month.
  const fintechLoans = lf.filter(col('release_month').isNotNull()).select(col('id').alias('loan_id'), col('release_month'));
  const fromRelease = yearBal
    .filter(col('loan_id').isIn(fintechLoans.getColumn('loan_id').toArray()))
    .join(fintechLoans, { on: 'loan_id', how: 'inner' })
    .filter(col('month').gtEq(col('release_month')))
    .groupBy('loan_id')
    .agg(col('balance').sum().alias('sum_from_release'));
  const loanFacts = lf
    .join(loanBal.rename({ loan_id: 'id' }), { on: 'id', how: 'left' })
    .join(fromRelease.rename({ loan_id: 'id' }), { on: 'id', how: 'left' })
    .withColumns(col('sum12').fillNull(int(0)), col('sum_from_release').fillNull(int(0)), col('bal_end').fillNull(int(0)));
  const bankLoans = loanFacts.join(t.institutions.filter(col('kind').eq(str('bank'))).select(col('id').alias('bank_id')), { on: 'bank_id', how: 'inner' });

  // Awards in fen per `${clause}|${recipient}` (a recipient's parts in several categories add up).
  const fenByKey = new Map<string, bigint>();
  const award = (clause: string, recipient: string, fen: bigint) => {
    const key = `${clause}|${recipient}`;
    fenByKey.set(key, (fenByKey.get(key) ?? 0n) + fen);
  };

  lap('loan facts');
  // ---- linhai-2021 第十五条 ----
  const l15Pairs = bankLoans
    .join(ent.select(col('id').alias('borrower_id'), col('small_micro'), col('tech_enterprise'), col('annual_sales')), { on: 'borrower_id', how: 'left' })
    .withColumns(
      pl.when(has('first_loan').and(col('small_micro'))).then(int(1))
        .when(has('fintech_project').and(col('provincial_endorsement')).and(col('release_month').gtEq(M0)).and(col('release_month').ltEq(M11))).then(int(2))
        .when(col('tech_enterprise').and(col('annual_sales').ltEq(int(3_000_000_000)))).then(int(3))
        .when(has('movable_equipment').or(has('movable_raw_material')).or(has('movable_semi_finished')).or(has('movable_product'))).then(int(4))
        .otherwise(pl.lit(null).cast(pl.Int64))
        .alias('category'),
    )
    .filter(col('category').isNotNull())
    .withColumns(pl.when(col('category').eq(int(2))).then(col('sum_from_release')).otherwise(col('sum12')).alias('w'));
  // 单户企业 across banks: counted = min(Σ w / 12, 1000万) half-up to fen, shared back to the loans in
  // proportion to w by largest remainder (ties: smaller loan id). A one-loan group keeps it whole.
  const l15Shares = l15Pairs
    .join(
      l15Pairs
        .groupBy(['borrower_id', 'category'])
        .agg(col('w').sum().alias('t'), col('w').count().alias('members'))
        .withColumns(
          pl.when(col('category').eq(int(1)).or(col('category').eq(int(3))).and(col('t').gt(int(12_000_000_000))))
            .then(int(1_000_000_000))
            .otherwise(col('t').add(int(6)).div(int(12))) // Int64 / Int64 is integer division in polars
            .alias('total'),
        ),
      { on: ['borrower_id', 'category'], how: 'inner' },
    );
  const l15Balance = new Map<string, bigint>();
  const addBalance = (bank: string, fen: bigint) => l15Balance.set(bank, (l15Balance.get(bank) ?? 0n) + fen);
  for (const r of l15Shares.filter(col('members').eq(int(1))).groupBy('bank_id').agg(col('total').sum().alias('b')).toRecords() as Rec[]) {
    addBalance(String(r.bank_id), big(r.b));
  }
  // Groups of several loans: total × w can pass 2^63, so the split is finished with BigInt.
  const multi = l15Shares.filter(col('members').gt(int(1))).sort(['borrower_id', 'category']).select('borrower_id', 'category', 'id', 'bank_id', 'w', 't', 'total').toRecords() as Rec[];
  for (let i = 0; i < multi.length; ) {
    let j = i;
    while (j < multi.length && multi[j].borrower_id === multi[i].borrower_id && multi[j].category === multi[i].category) j++;
    const g = multi.slice(i, j);
    const parts = splitLargestRemainder(big(g[0].total), g.map((r) => big(r.w)), g.map((r) => String(r.id)));
    g.forEach((r, k) => addBalance(String(r.bank_id), parts[k]));
    i = j;
  }
  const l15Banks = [...l15Balance.keys()];
  const l15Amounts = l15Banks.map((b) => roundHalfUp(l15Balance.get(b)!, 200n)); // × 0.5%, half-up to fen
  poolSplit(l15Amounts, L15_BUDGET_FEN, l15Banks).forEach((fen, i) => award(CLAUSE_KEYS.l15, l15Banks[i], fen));

  lap('linhai 15');
  // ---- wenzhou-2022 第三条（贷款产品）----
  const loss = t.loan_losses.filter(yearOf('date').eq(YEAR)).groupBy('loan_id').agg(col('principal_loss').sum().alias('loss'));
  const w31Pairs = bankLoans
    .join(loss.rename({ loan_id: 'id' }), { on: 'id', how: 'left' })
    .withColumns(
      pl.when(has('kczs')).then(int(1)).when(has('ip_pledge')).then(int(2)).when(has('farmer_asset_trust')).then(int(3)).otherwise(pl.lit(null).cast(pl.Int64)).alias('category'),
      pl.when(yearOf('start_date').eq(YEAR)).then(col('loss').fillNull(int(0))).otherwise(int(0)).alias('counted_loss'),
    )
    .filter(col('category').isNotNull());
  const w31Units = w31Pairs.groupBy(['category', 'bank_id']).agg(col('counted_loss').sum().alias('loss')).sort(['category', 'bank_id']).toRecords() as Rec[];
  const w31Caps = new Map((w31Pairs.groupBy('category').agg(col('bal_end').sum().alias('b')).toRecords() as Rec[]).map((r) => [Number(r.category), (5n * big(r.b)) / 1000n]));
  for (const [cat, cap] of w31Caps) {
    const units = w31Units.filter((u) => Number(u.category) === cat);
    const ids = units.map((u) => String(u.bank_id));
    const amounts = units.map((u) => roundHalfUp(3n * big(u.loss), 10n));
    poolSplit(amounts, cap, ids).forEach((fen, i) => award(CLAUSE_KEYS.w31, ids[i], fen));
  }

  lap('wenzhou 3.1');
  // ---- guarantees with the year's figures ----
  const gBal = t.guarantee_balances
    .filter(col('month').gtEq(PREV_END).and(col('month').ltEq(M11)))
    .groupBy('guarantee_id')
    .agg(
      col('balance').filter(col('month').gtEq(M0)).sum().alias('sum12'),
      col('balance').filter(col('month').eq(M11)).sum().alias('bal_end'),
      col('balance').filter(col('month').eq(PREV_END)).sum().alias('bal_prev'),
    );
  const gEv = t.guarantee_events
    .filter(yearOf('date').eq(YEAR))
    .groupBy('guarantee_id')
    .agg(
      col('amount').filter(col('type').eq(str('release'))).sum().alias('released'),
      col('amount').filter(col('type').eq(str('compensation'))).sum().alias('compensated'),
      col('amount').filter(col('type').eq(str('recovery'))).sum().alias('recovered'),
    );
  const zero = (c: string) => col(c).fillNull(int(0));
  const gf = t.guarantees
    .join(
      ent.select(col('id').alias('borrower_id'), col('kind').alias('borrower_kind'), col('size').alias('borrower_size'), col('region').alias('borrower_region'), col('small_micro_agri')),
      { on: 'borrower_id', how: 'left' },
    )
    .join(gBal.rename({ guarantee_id: 'id' }), { on: 'id', how: 'left' })
    .join(gEv.rename({ guarantee_id: 'id' }), { on: 'id', how: 'left' })
    .withColumns(
      zero('sum12'), zero('bal_end'), zero('bal_prev'), zero('released'), zero('compensated'), zero('recovered'),
      col('fee_rate_pct').alias('fee'),
      yearOf('start_date').eq(YEAR).fillNull(false).alias('issued'),
      col('kind').eq(str('loan')).and(col('purpose').eq(str('business'))).and(col('small_micro_agri')).fillNull(false).alias('sma'),
      col('kind').neq(str('non_financing')).fillNull(true).and(col('purpose').neq(str('consumer')).fillNull(true)).alias('counted'),
    );

  lap('guarantee facts');
  // Guarantee institutions: liab4 = 4 × 融资担保责任余额 (75% weights), year row.
  const clientEnd = gf
    .filter(col('kind').eq(str('loan')).and(col('bal_end').neq(int(0))).and(col('borrower_id').isNotNull()))
    .groupBy(['guarantor_id', 'borrower_id'])
    .agg(col('bal_end').sum().alias('client_end'));
  const liab = gf
    .filter(col('bal_end').neq(int(0)).and(col('kind').isNotNull()).and(col('kind').neq(str('non_financing'))))
    .join(clientEnd, { on: ['guarantor_id', 'borrower_id'], how: 'left' })
    .withColumns(
      col('kind').eq(str('loan')).and(
        pl.when(col('borrower_kind').eq(str('farmer'))).then(col('client_end').ltEq(int(200_000_000)))
          .when(col('borrower_size').isIn(['small', 'micro'])).then(col('client_end').ltEq(int(500_000_000)))
          .otherwise(pl.lit(false)),
      ).fillNull(false).alias('w75'),
    )
    .groupBy('guarantor_id')
    .agg(col('bal_end').mul(pl.when(col('w75')).then(int(3)).otherwise(int(4))).sum().alias('liab4'));
  const base = t.institutions
    .filter(col('kind').isIn(['guarantor', 'reguarantor']))
    .join(liab.rename({ guarantor_id: 'id' }), { on: 'id', how: 'left' })
    .join(t.institution_years.filter(col('year').eq(YEAR)).rename({ institution_id: 'id' }), { on: 'id', how: 'left' })
    .toRecords() as Rec[];
  const baseById = new Map(base.map((r) => [String(r.id), r]));
  const levDen = (b: Rec) => (b.net_assets === null || b.net_assets === undefined ? null : big(b.net_assets) - (bigOrNull(b.guarantee_equity_investment) ?? 0n));
  const liab4 = (b: Rec) => bigOrNull(b.liab4) ?? 0n;

  /** Σ amount × fee per guarantor over the rows of `df` (BigInt: the product can pass 2^63). */
  const feeNum = (df: DF): Map<string, bigint> => {
    const m = new Map<string, bigint>();
    for (const r of df.groupBy(['guarantor_id', 'fee']).agg(col('amount').sum().alias('a')).toRecords() as Rec[]) {
      const k = String(r.guarantor_id);
      m.set(k, (m.get(k) ?? 0n) + big(r.a) * big(r.fee));
    }
    return m;
  };

  lap('guarantor base');
  // ---- wenzhou-2022 第七、八、九条, liaocheng-2023 (七): 小微三农 business per guarantor ----
  const sma = gf.filter(col('sma'));
  const smaFeeNum = feeNum(sma.filter(col('issued').and(col('fee').isNotNull())));
  const smaBy = sma
    .groupBy('guarantor_id')
    .agg(
      col('amount').filter(col('issued').and(col('fee').isNotNull())).sum().alias('fee_den'),
      col('bal_end').sum().alias('bal_end'),
      col('bal_prev').sum().alias('bal_prev'),
      col('released').sum().alias('r'),
      col('compensated').sum().alias('c'),
      col('sum12').filter(col('borrower_region').str.startsWith('3303')).sum().alias('sum12_local'),
    )
    .toRecords() as Rec[];
  const max0 = (x: bigint) => (x > 0n ? x : 0n);
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  for (const s of smaBy) {
    const id = String(s.guarantor_id);
    const b = baseById.get(id);
    // 市级政府性融资担保机构 only (definitions.yaml city_government_guarantor)
    if (!b || !(b.kind === 'guarantor' && b.level === 'city' && b.government_backed === true)) continue;
    const feeDen = big(s.fee_den);
    const r = big(s.r);
    const c100 = 100n * big(s.c);
    // 第七条
    if (feeDen > 0n) {
      const num = smaFeeNum.get(id) ?? 0n;
      const perMille = num <= 500_000n * feeDen ? 6n : num <= 700_000n * feeDen ? 4n : num <= 900_000n * feeDen ? 2n : 0n;
      award(CLAUSE_KEYS.w7, id, roundHalfUp(max0(big(s.bal_end) - big(s.bal_prev)) * perMille, 1000n));
    }
    // 第八条
    if (r > 0n) {
      const base1000 = 4n * max0(min(c100, 3n * r) - r) + 3n * max0(min(c100, 5n * r) - 3n * r);
      const den = levDen(b);
      const coef = den !== null && den > 0n ? stepValue(W8_COEFFICIENT, liab4(b), 4n * den) : stepValue(W8_COEFFICIENT, null, 1n);
      if (coef) award(CLAUSE_KEYS.w8, id, roundHalfUp(base1000 * coef[0], 1000n * coef[1]));
    }
    // 第九条
    const rc = bigOrNull(b.registered_capital);
    const local = big(s.sum12_local);
    if (rc !== null && local >= 96n * rc) award(CLAUSE_KEYS.w9, id, roundHalfUp(local, 2400n));
    // 聊城 (七)
    if (r > 0n) {
      const n1000 = 10n * min(c100, r) + 8n * max0(min(c100, 3n * r) - r) + 6n * max0(min(c100, 5n * r) - 3n * r) + 5n * max0(min(c100, 8n * r) - 5n * r);
      award(CLAUSE_KEYS.lc7, id, roundHalfUp(n1000, 1000n));
    }
  }

  lap('guarantor clauses');
  // ---- guarantor indicators ----
  const counted = gf.filter(col('counted'));
  const flowFeeNum = feeNum(counted.filter(col('issued').and(col('fee').isNotNull())));
  const flows = new Map(
    (counted
      .groupBy('guarantor_id')
      .agg(
        col('released').sum().alias('released'),
        col('compensated').sum().alias('compensated'),
        col('recovered').sum().alias('recovered'),
        col('amount').filter(col('issued')).sum().alias('new_amount'),
        col('amount').filter(col('issued').and(col('sma'))).sum().alias('sma_amount'),
        col('amount').filter(col('issued').and(col('fee').isNotNull())).sum().alias('fee_den'),
      )
      .toRecords() as Rec[]).map((r) => [String(r.guarantor_id), r]),
  );
  const clientStats = new Map(
    (counted
      .filter(col('issued').and(col('borrower_id').isNotNull()))
      .groupBy(['guarantor_id', 'borrower_id'])
      .agg(col('amount').sum().alias('total'), col('sma').any().alias('any_sma'))
      .groupBy('guarantor_id')
      .agg(
        col('borrower_id').count().alias('new_clients'),
        col('any_sma').cast(pl.Int64).sum().alias('sma_clients'),
        col('total').filter(col('total').ltEq(int(1_000_000_000))).sum().alias('upto10m'),
      )
      .toRecords() as Rec[]).map((r) => [String(r.guarantor_id), r]),
  );
  const indicators = new Map<string, string>();
  for (const b of base) {
    const id = String(b.id);
    const f = flows.get(id);
    const cs = clientStats.get(id);
    const v = (r: Rec | undefined, k: string) => (r ? (bigOrNull(r[k]) ?? 0n) : 0n);
    const newAmount = v(f, 'new_amount');
    const feeDen = v(f, 'fee_den');
    const den = levDen(b);
    const reserves = bigOrNull(b.reserves);
    const receivable = bigOrNull(b.compensation_receivable);
    const begin = bigOrNull(b.state_capital_begin);
    const end = bigOrNull(b.state_capital_end);
    const set = (name: string, text: string) => indicators.set(`${id}|${name}`, text);
    set('newClients', String(v(cs, 'new_clients')));
    set('smallMicroAgriClients', String(v(cs, 'sma_clients')));
    set('newAmount', yuanText(newAmount));
    set('smallMicroAgriShare', ratio8(v(f, 'sma_amount'), newAmount));
    set('upTo10mShare', ratio8(v(cs, 'upto10m'), newAmount));
    set('averageFeeRate', ratio8(flowFeeNum.get(id) ?? 0n, feeDen * 100_000_000n));
    set('liabilityBalance', yuanText(roundHalfUp(liab4(b), 4n)));
    set('leverage', den !== null && den > 0n ? ratio8(liab4(b), 4n * den) : '');
    set('compensationRate', ratio8(v(f, 'compensated'), v(f, 'released')));
    set('recoveryRate', ratio8(v(f, 'recovered'), v(f, 'compensated')));
    set('provisionCoverage', reserves !== null && receivable !== null ? ratio8(reserves, receivable) : '');
    set('stateCapitalRatio', begin !== null && end !== null ? ratio8(end - (bigOrNull(b.objective_factors) ?? 0n), begin) : '');
  }
  lap('indicators');
  const awards = new Map<string, string>();
  for (const [k, fen] of fenByKey) if (fen !== 0n) awards.set(k, yuanText(fen));
  return { awards, indicators };
}
