// DuckDB peer of the benchmark (issue 4): the clause set of bench/clause-set.ts and the guarantor
// indicators in hand-written SQL over the bundle's CSV files, exact to the fen.
//
// Money is integer fen (BIGINT, HUGEINT where products can pass 2^63); rates are exact integer
// fractions; every rounding is spelled out: half-up to fen per recipient (× category) as each
// clause declares, before pool caps; pool caps rounded down; pools split by one exact factor with
// the fen left over going to the largest remainders (ties: smaller recipient id); 第十五条's group
// stage shares each enterprise's counted balance among its loans in whole fen the same way (as
// caijin does since 40038ab, linhai-2021/NOTES.md). No DOUBLE ever touches money. Ratios of the
// indicators are rounded half-up at 8 decimals from exact integer numerators and denominators.
//
// The statements are run one by one with their times printed when PEER_PROFILE=1.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { EngineResult } from '../clause-set.ts';
import { INDICATORS } from '../clause-set.ts';
import {
  CLAUSE_KEYS,
  FALSE_TEXTS,
  INPUT_TABLES,
  L15_BUDGET_FEN,
  TRUE_TEXTS,
  W8_COEFFICIENT,
  YEAR,
  big,
  csvHeader,
  fixedText,
  industryValuesSql,
  sqlText,
  stepCaseSql,
  timed,
  yuanText,
  type CellType,
  type PeerRun,
} from './common.ts';

// Month indexes (year*12 + month-1) and dates of the benchmark year.
const M0 = YEAR * 12; // January
const M11 = YEAR * 12 + 11; // December: year-end balances
const PREV_END = YEAR * 12 - 1; // December of the previous year
const D0 = `DATE '${YEAR}-01-01'`;
const D1 = `DATE '${YEAR + 1}-01-01'`;

export async function duckdbRun(bundleDir: string): Promise<PeerRun> {
  const [con, loadMs] = await timed(async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await load(c, bundleDir);
    return c;
  });
  try {
    const [result, computeMs] = await timed(() => compute(con));
    return { loadMs, computeMs, result };
  } finally {
    con.closeSync();
  }
}

// ---------------------------------------------------------------------------------------------
// Load: one typed table per input file (contract §1), converted exactly from the cell text.

function cellSql(type: CellType, c: string): string {
  switch (type) {
    case 'text':
      return `NULLIF(trim(${c}), '')`;
    case 'fen': // yuan with at most 2 decimals, optional thousands separators → integer fen
      return `CAST(CAST(replace(${c}, ',', '') AS DECIMAL(18, 2)) * 100 AS BIGINT)`;
    case 'pct': // percent number, optional trailing % → percent × 10^6
      return `CAST(CAST(replace(${c}, '%', '') AS DECIMAL(18, 6)) * 1000000 AS BIGINT)`;
    case 'bool':
      return `CASE WHEN ${c} IN (${TRUE_TEXTS.map(sqlText).join(', ')}) THEN TRUE WHEN ${c} IN (${FALSE_TEXTS.map(sqlText).join(', ')}) THEN FALSE END`;
    case 'date':
      return `CAST(${c} AS DATE)`;
    case 'month': // YYYY-MM → year*12 + month-1
      return `CAST(substr(${c}, 1, 4) AS INTEGER) * 12 + CAST(substr(${c}, 6, 2) AS INTEGER) - 1`;
    case 'int':
      return `CAST(replace(${c}, ',', '') AS BIGINT)`;
  }
}

const SQL_TYPE: Record<CellType, string> = { text: 'VARCHAR', fen: 'BIGINT', pct: 'BIGINT', bool: 'BOOLEAN', date: 'DATE', month: 'INTEGER', int: 'BIGINT' };

async function load(con: DuckDBConnection, dir: string): Promise<void> {
  for (const [table, columns] of Object.entries(INPUT_TABLES)) {
    const h = csvHeader(dir, table);
    const select = columns
      .map(([c, type]) => `${h?.columns.includes(c) ? cellSql(type, `"${c}"`) : `CAST(NULL AS ${SQL_TYPE[type]})`} AS ${c}`)
      .join(', ');
    // A missing file is an empty table: the clauses that need it award nothing.
    const from = h ? `FROM read_csv(${sqlText(h.file)}, header = true, all_varchar = true)` : 'WHERE false';
    await con.run(`CREATE TABLE ${table} AS SELECT ${select} ${from}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared facts: parties with their size and §4 flags, loans and guarantees with the year's figures.

const FACTS_SQL = `
-- Exact helpers: half-up rounding of n / d (n ≥ 0, d > 0), and a ratio as 10^8 × value rounded
-- half-up (ties away from zero), NULL when undefined (d = 0).
CREATE TEMP MACRO rhu(n, d) AS (2 * CAST(n AS HUGEINT) + d) // (2 * CAST(d AS HUGEINT));
CREATE TEMP MACRO r8(n, d) AS CASE
  WHEN n IS NULL OR d IS NULL OR d = 0 THEN NULL
  WHEN (n >= 0) = (d > 0) THEN (200000000 * abs(CAST(n AS HUGEINT)) + abs(CAST(d AS HUGEINT))) // (2 * abs(CAST(d AS HUGEINT)))
  ELSE -((200000000 * abs(CAST(n AS HUGEINT)) + abs(CAST(d AS HUGEINT))) // (2 * abs(CAST(d AS HUGEINT))))
END;

-- 工信部联企业〔2011〕300号 bounds (fen, persons; NULL = not a criterion).
CREATE TEMP TABLE industry_bounds (industry VARCHAR, c_emp BIGINT, c_rev BIGINT, c_assets BIGINT,
  m_emp BIGINT, m_rev BIGINT, m_assets BIGINT, s_emp BIGINT, s_rev BIGINT, s_assets BIGINT);
INSERT INTO industry_bounds VALUES
    ${industryValuesSql()};

-- Parties. Contract §1: an empty size is derived from industry/employees/revenue/assets (大型 when
-- every SME-ceiling bound is met, else 中型/小型 when all their bounds are met, else 微型); natural
-- persons and agricultural entities (farmer, new_agri_entity, business_owner) are not sized, nor is a
-- party without an industry. policies/_contract/definitions.yaml: small_micro and small_micro_agri.
CREATE TEMP TABLE ent AS
WITH sized AS (
  SELECT e.id, e.kind, e.region, e.tech_enterprise, e.annual_sales,
    CASE
      WHEN e.size IS NOT NULL THEN e.size
      WHEN e.kind IN ('farmer', 'new_agri_entity', 'business_owner') OR e.industry IS NULL THEN NULL
      WHEN (b.c_emp IS NULL OR e.employees >= b.c_emp) AND (b.c_rev IS NULL OR e.revenue >= b.c_rev)
           AND (b.c_assets IS NULL OR e.total_assets >= b.c_assets) THEN 'large'
      WHEN (b.m_emp IS NULL OR e.employees >= b.m_emp) AND (b.m_rev IS NULL OR e.revenue >= b.m_rev)
           AND (b.m_assets IS NULL OR e.total_assets >= b.m_assets) THEN 'medium'
      WHEN (b.s_emp IS NULL OR e.employees >= b.s_emp) AND (b.s_rev IS NULL OR e.revenue >= b.s_rev)
           AND (b.s_assets IS NULL OR e.total_assets >= b.s_assets) THEN 'small'
      ELSE 'micro'
    END AS size
  FROM enterprises e LEFT JOIN industry_bounds b ON b.industry = e.industry
)
SELECT *,
  COALESCE(kind IN ('individual_business', 'business_owner'), FALSE)
    OR (COALESCE(kind = 'enterprise', TRUE) AND COALESCE(size IN ('small', 'micro'), FALSE)) AS small_micro,
  COALESCE(kind IN ('individual_business', 'farmer', 'new_agri_entity', 'business_owner'), FALSE)
    OR (COALESCE(kind = 'enterprise', TRUE) AND COALESCE(size IN ('small', 'micro'), FALSE)) AS small_micro_agri
FROM sized;

-- Loans with the year's figures (contract §1: a month without a row has balance 0):
-- sum12 = Σ of the 12 month-end balances (月均余额 × 12), bal_end = December balance,
-- sum_from_release = Σ from the fintech project's release month (第十五条: 自项目成功发布之月起算).
CREATE TEMP TABLE loan_facts AS
WITH bal AS (
  SELECT loan_id, SUM(balance) AS sum12, SUM(balance) FILTER (WHERE month = ${M11}) AS bal_end
  FROM loan_balances WHERE month BETWEEN ${M0} AND ${M11}
  GROUP BY loan_id
),
from_release AS (   -- loans of a fintech project: the months from its release month
  SELECT b.loan_id, SUM(b.balance) AS sum_from_release
  FROM loans l
  JOIN fintech_projects fp ON fp.id = l.fintech_project_id
  JOIN loan_balances b ON b.loan_id = l.id AND b.month BETWEEN GREATEST(fp.release_month, ${M0}) AND ${M11}
  GROUP BY b.loan_id
)
SELECT l.id, l.bank_id, l.borrower_id, l.start_date, string_split(COALESCE(l.products, ''), ';') AS tags,
  fp.release_month, fp.provincial_endorsement,
  COALESCE(bal.sum12, 0) AS sum12, COALESCE(fr.sum_from_release, 0) AS sum_from_release, COALESCE(bal.bal_end, 0) AS bal_end
FROM loans l
LEFT JOIN fintech_projects fp ON fp.id = l.fintech_project_id
LEFT JOIN bal ON bal.loan_id = l.id
LEFT JOIN from_release fr ON fr.loan_id = l.id;

-- Guarantees with the year's figures: events dated in the year (release / compensation / recovery),
-- balances at year end, previous year end and their 12-month sum; sma = 小微企业和"三农" business
-- (definitions.yaml: kind loan, purpose business, borrower small_micro_agri); counted = the
-- indicators' business (financing kinds, never non_financing; 消费类 not counted).
CREATE TEMP TABLE g_facts AS
WITH bal AS (
  SELECT guarantee_id,
    SUM(balance) FILTER (WHERE month BETWEEN ${M0} AND ${M11}) AS sum12,
    SUM(balance) FILTER (WHERE month = ${M11}) AS bal_end,
    SUM(balance) FILTER (WHERE month = ${PREV_END}) AS bal_prev
  FROM guarantee_balances WHERE month BETWEEN ${PREV_END} AND ${M11}
  GROUP BY guarantee_id
),
ev AS (
  SELECT guarantee_id,
    SUM(amount) FILTER (WHERE type = 'release') AS released,
    SUM(amount) FILTER (WHERE type = 'compensation') AS compensated,
    SUM(amount) FILTER (WHERE type = 'recovery') AS recovered
  FROM guarantee_events WHERE date >= ${D0} AND date < ${D1}
  GROUP BY guarantee_id
)
SELECT g.id, g.guarantor_id, g.borrower_id, g.kind, g.amount, g.fee_rate_pct AS fee,
  COALESCE(g.start_date >= ${D0} AND g.start_date < ${D1}, FALSE) AS issued,
  COALESCE(g.kind = 'loan' AND g.purpose = 'business' AND e.small_micro_agri, FALSE) AS sma,
  (g.kind IS DISTINCT FROM 'non_financing' AND g.purpose IS DISTINCT FROM 'consumer') AS counted,
  e.kind AS borrower_kind, e.size AS borrower_size, e.region AS borrower_region,
  COALESCE(bal.sum12, 0) AS sum12, COALESCE(bal.bal_end, 0) AS bal_end, COALESCE(bal.bal_prev, 0) AS bal_prev,
  COALESCE(ev.released, 0) AS released, COALESCE(ev.compensated, 0) AS compensated, COALESCE(ev.recovered, 0) AS recovered
FROM guarantees g
LEFT JOIN ent e ON e.id = g.borrower_id
LEFT JOIN bal ON bal.guarantee_id = g.id
LEFT JOIN ev ON ev.guarantee_id = g.id;

-- Guarantee institutions with their year-end 融资担保责任余额 (银保监发〔2018〕1号, as ledger's
-- guarantorIndicators reads it): all financing guarantees whatever their purpose; a loan guarantee
-- weighs 75% when the borrower is a farmer whose year-end loan-guarantee balance with this guarantor
-- is ≤ 200万, or a small/micro party (not a farmer) with such a balance ≤ 500万; 100% otherwise.
-- liab4 = 4 × 责任余额 (integer fen). lev_den = 年末净资产 − 对其他融资担保机构股权投资.
CREATE TEMP TABLE guarantor_base AS
WITH client_end AS (
  SELECT guarantor_id, borrower_id, SUM(bal_end) AS client_end
  FROM g_facts WHERE kind = 'loan' AND bal_end <> 0 AND borrower_id IS NOT NULL
  GROUP BY guarantor_id, borrower_id
),
liab AS (
  SELECT f.guarantor_id,
    SUM(CAST(f.bal_end AS HUGEINT) * CASE WHEN COALESCE(f.kind = 'loan' AND CASE
          WHEN f.borrower_kind = 'farmer' THEN c.client_end <= 200000000
          WHEN f.borrower_size IN ('small', 'micro') THEN c.client_end <= 500000000
          ELSE FALSE END, FALSE) THEN 3 ELSE 4 END) AS liab4
  FROM g_facts f LEFT JOIN client_end c ON c.guarantor_id = f.guarantor_id AND c.borrower_id = f.borrower_id
  WHERE f.bal_end <> 0 AND f.kind IS NOT NULL AND f.kind <> 'non_financing'
  GROUP BY f.guarantor_id
)
SELECT i.id, i.kind,
  COALESCE(i.kind = 'guarantor' AND i.level = 'city' AND i.government_backed, FALSE) AS city_government_guarantor,
  COALESCE(liab.liab4, 0) AS liab4,
  y.institution_id IS NOT NULL AS has_year_row,
  y.registered_capital, y.net_assets,
  y.net_assets - COALESCE(y.guarantee_equity_investment, 0) AS lev_den,
  y.reserves, y.compensation_receivable, y.state_capital_begin, y.state_capital_end, y.objective_factors
FROM institutions i
LEFT JOIN liab ON liab.guarantor_id = i.id
LEFT JOIN institution_years y ON y.institution_id = i.id AND y.year = ${YEAR}
WHERE i.kind IN ('guarantor', 'reguarantor');

CREATE TEMP TABLE awards (clause VARCHAR, recipient VARCHAR, fen HUGEINT);
`;

// ---------------------------------------------------------------------------------------------
// linhai-2021 第十五条 重点贷款风险补偿. Loans of banks; each counts once, under the first category of
// the clause's order it fits (首贷户 → 金融科技项目 → 科技型企业 → 动产四类). Counted balance ×12:
// w = sum12, or for 金融科技项目 the months from the release month (still divided by 12).
// Group stage (variant across_banks, linhai-2021/NOTES.md): per (borrower, category) the counted
// 月均余额 is min(Σ w / 12, 1000万) for 首贷户 and 科技型企业 (no cap for the others), rounded half-up to
// fen, and shared back to the loans in proportion to w by largest remainder (ties: smaller loan id),
// so the shares add up to it. amount = Σ bank's shares × 0.5%, half-up to fen; then the pool cap
// (budget) by largest remainder.

const L15_UNITS_SQL = `
CREATE TEMP TABLE l15_pairs AS
SELECT p.*, CASE WHEN p.category = 2 THEN p.sum_from_release ELSE p.sum12 END AS w
FROM (
  SELECT f.id, f.bank_id, f.borrower_id, f.sum12, f.sum_from_release,
    CASE
      -- 首贷户贷款: first_loan, borrower 小微企业
      WHEN list_contains(f.tags, 'first_loan') AND e.small_micro THEN 1
      -- 年内金融科技项目贷款: project with provincial endorsement, released in the year
      WHEN list_contains(f.tags, 'fintech_project') AND f.provincial_endorsement
           AND f.release_month BETWEEN ${M0} AND ${M11} THEN 2
      -- 科技型企业 with 年销售收入 ≤ 3000万 (及以下)
      WHEN e.tech_enterprise AND e.annual_sales <= 3000000000 THEN 3
      -- 四类动产抵质押
      WHEN list_has_any(f.tags, ['movable_equipment', 'movable_raw_material', 'movable_semi_finished', 'movable_product']) THEN 4
    END AS category
  FROM loan_facts f
  JOIN institutions bank ON bank.id = f.bank_id AND bank.kind = 'bank'
  LEFT JOIN ent e ON e.id = f.borrower_id
) p
WHERE p.category IS NOT NULL;

CREATE TEMP TABLE l15_units AS
WITH grp AS (   -- 单户企业 across banks: T = Σ w; counted = min(T / 12, 1000万) half-up to fen
  SELECT borrower_id, category, SUM(w) AS t,
    CASE WHEN category IN (1, 3) AND SUM(w) > 12000000000 THEN 1000000000 ELSE (SUM(w) + 6) // 12 END AS total
  FROM l15_pairs GROUP BY borrower_id, category
),
shares AS (     -- total × w / T, floored; the fen left over go to the largest remainders
  SELECT p.bank_id, p.id, p.borrower_id, p.category, g.total,
    CASE WHEN g.t > 0 THEN (CAST(g.total AS HUGEINT) * p.w) // g.t ELSE 0 END AS base,
    CASE WHEN g.t > 0 THEN (CAST(g.total AS HUGEINT) * p.w) % g.t ELSE 0 END AS rem
  FROM l15_pairs p JOIN grp g ON g.borrower_id = p.borrower_id AND g.category = p.category
),
ranked AS (
  SELECT *, total - SUM(base) OVER (PARTITION BY borrower_id, category) AS left_fen,
    ROW_NUMBER() OVER (PARTITION BY borrower_id, category ORDER BY rem DESC, id) AS rn
  FROM shares
)
SELECT bank_id,
  SUM(base + CASE WHEN rn <= left_fen THEN 1 ELSE 0 END) AS balance,     -- 纳入风险补偿的月均余额 (fen)
  (SUM(base + CASE WHEN rn <= left_fen THEN 1 ELSE 0 END) + 100) // 200 AS amount   -- × 0.5%, half-up
FROM ranked GROUP BY bank_id;
`;

/** Pool cap over units(recipient, part, amount, cap): one exact factor, fen by largest remainder. */
function poolSql(clause: string, units: string): string {
  return `
INSERT INTO awards
WITH u AS (
  SELECT recipient, part, amount, cap, SUM(amount) OVER (PARTITION BY part) AS total FROM ${units}
),
s AS (
  SELECT *,
    CASE WHEN total > cap THEN (CAST(cap AS HUGEINT) * amount) // total ELSE amount END AS base,
    CASE WHEN total > cap THEN (CAST(cap AS HUGEINT) * amount) % total ELSE 0 END AS rem
  FROM u
),
r AS (
  SELECT *, cap - SUM(base) OVER (PARTITION BY part) AS left_fen,
    ROW_NUMBER() OVER (PARTITION BY part ORDER BY rem DESC, recipient) AS rn
  FROM s
)
SELECT '${clause}', recipient, SUM(base + CASE WHEN total > cap AND rn <= left_fen THEN 1 ELSE 0 END)
FROM r GROUP BY recipient;
`;
}

const L15_POOL_SQL = poolSql(
  CLAUSE_KEYS.l15,
  `(SELECT bank_id AS recipient, 0 AS part, amount, ${L15_BUDGET_FEN} AS cap FROM l15_units)`,
);

// ---------------------------------------------------------------------------------------------
// wenzhou-2022 第三条（贷款产品）. Loans of banks under the first of 科创指数贷 → 知识产权质押 →
// 农民资产授托 (mode first). Variant issued_in_year: principal losses dated in the year on loans
// issued in the year, × 30%, per bank × product, half-up to fen. Pool per product: 0.5% × the
// city-wide December balance of that product's loans (any issue year), rounded down to fen.

const W31_SQL = `
CREATE TEMP TABLE w31_pairs AS
WITH loss AS (
  SELECT loan_id, SUM(principal_loss) AS loss FROM loan_losses
  WHERE date >= ${D0} AND date < ${D1} GROUP BY loan_id
)
SELECT f.bank_id,
  CASE
    WHEN list_contains(f.tags, 'kczs') THEN 1
    WHEN list_contains(f.tags, 'ip_pledge') THEN 2
    WHEN list_contains(f.tags, 'farmer_asset_trust') THEN 3
  END AS category,
  CASE WHEN year(f.start_date) = ${YEAR} THEN COALESCE(loss.loss, 0) ELSE 0 END AS counted_loss,
  f.bal_end
FROM loan_facts f
JOIN institutions bank ON bank.id = f.bank_id AND bank.kind = 'bank'
LEFT JOIN loss ON loss.loan_id = f.id;

CREATE TEMP TABLE w31_units AS
WITH caps AS (
  SELECT category, (5 * SUM(CAST(bal_end AS HUGEINT))) // 1000 AS cap      -- 0.5%, rounded down
  FROM w31_pairs WHERE category IS NOT NULL GROUP BY category
)
SELECT p.bank_id AS recipient, p.category AS part,
  rhu(3 * SUM(p.counted_loss), 10) AS amount,                                -- × 30%, half-up
  c.cap
FROM w31_pairs p JOIN caps c ON c.category = p.category
GROUP BY p.bank_id, p.category, c.cap;
`;

// ---------------------------------------------------------------------------------------------
// 市级政府性融资担保机构 clauses over 小微企业和"三农" business (sma), per guarantor:
// wenzhou-2022 第七条 (step on the amount-weighted fee rate of guarantees issued in the year with a
// fee rate; 0.6% / 0.4% / 0.2% / 0 for ≤0.5% / ≤0.7% / ≤0.9% / above, on the year-end increment,
// negative as 0), 第八条 (marginal 40% on the 代偿率 part in (1%, 3%], 30% on (3%, 5%], times the
// leverage coefficient), 第九条 (borrowers registered in 温州 3303…: 月均在保余额 ≥ 8 × 注册资本 →
// 0.5% of it), liaocheng-2023 (七) (marginal 100% / 80% / 60% / 50% on [0,1%), [1%,3%), [3%,5%),
// [5%,8%], nothing above 8%). r = released, c = compensated (events in the year); 代偿率 = c / r,
// undefined (no award) when r = 0. Amounts are written ×1000 as integers, then rounded half-up.

const GUARANTOR_CLAUSES_SQL = `
CREATE TEMP TABLE sma_by_guarantor AS
SELECT f.guarantor_id,
  SUM(CAST(f.amount AS HUGEINT) * f.fee) FILTER (WHERE f.issued AND f.fee IS NOT NULL) AS fee_num,
  SUM(f.amount) FILTER (WHERE f.issued AND f.fee IS NOT NULL) AS fee_den,
  SUM(f.bal_end) AS bal_end, SUM(f.bal_prev) AS bal_prev,
  SUM(f.released) AS r, SUM(f.compensated) AS c,
  COALESCE(SUM(f.sum12) FILTER (WHERE starts_with(f.borrower_region, '3303')), 0) AS sum12_local
FROM g_facts f WHERE f.sma GROUP BY f.guarantor_id;

CREATE TEMP TABLE guarantor_clauses AS
SELECT s.guarantor_id AS recipient, b.city_government_guarantor AS eligible,
  -- 第七条: fee rate = fee_num / (fee_den × 10^8); "以下" includes the bound
  CASE WHEN s.fee_den > 0 THEN rhu(GREATEST(s.bal_end - s.bal_prev, 0) * CASE
      WHEN s.fee_num <= 500000 * CAST(s.fee_den AS HUGEINT) THEN 6
      WHEN s.fee_num <= 700000 * CAST(s.fee_den AS HUGEINT) THEN 4
      WHEN s.fee_num <= 900000 * CAST(s.fee_den AS HUGEINT) THEN 2
      ELSE 0 END, 1000) END AS w7,
  -- 第八条: 1000 × 分段补偿额 = 4·(min(100c, 3r) − r)⁺ + 3·(min(100c, 5r) − 3r)⁺, × coefficient:
  -- the coefficient is a step scale of 放大倍数 = liab4 / (4 × lev_den), empty without a positive lev_den
  CASE WHEN s.r > 0 THEN rhu(
      (4 * GREATEST(LEAST(100 * CAST(s.c AS HUGEINT), 3 * CAST(s.r AS HUGEINT)) - s.r, 0)
       + 3 * GREATEST(LEAST(100 * CAST(s.c AS HUGEINT), 5 * CAST(s.r AS HUGEINT)) - 3 * CAST(s.r AS HUGEINT), 0))
      * (${coefficientSql('num')}),
      1000 * (${coefficientSql('den')})) END AS w8,
  -- 第九条: 月均在保余额 = sum12_local / 12 ≥ 8 × 注册资本 ("达到" includes it); × 0.5%
  CASE WHEN b.registered_capital IS NOT NULL AND s.sum12_local >= 96 * CAST(b.registered_capital AS HUGEINT)
       THEN rhu(s.sum12_local, 2400) END AS w9,
  -- 聊城 (七): 1000 × amount = 10·min(100c, r) + 8·(min(100c,3r) − r)⁺ + 6·(min(100c,5r) − 3r)⁺ + 5·(min(100c,8r) − 5r)⁺
  CASE WHEN s.r > 0 THEN rhu(
      10 * LEAST(100 * CAST(s.c AS HUGEINT), s.r)
      + 8 * GREATEST(LEAST(100 * CAST(s.c AS HUGEINT), 3 * CAST(s.r AS HUGEINT)) - s.r, 0)
      + 6 * GREATEST(LEAST(100 * CAST(s.c AS HUGEINT), 5 * CAST(s.r AS HUGEINT)) - 3 * CAST(s.r AS HUGEINT), 0)
      + 5 * GREATEST(LEAST(100 * CAST(s.c AS HUGEINT), 8 * CAST(s.r AS HUGEINT)) - 5 * CAST(s.r AS HUGEINT), 0),
      1000) END AS lc7
FROM sma_by_guarantor s JOIN guarantor_base b ON b.id = s.guarantor_id;

INSERT INTO awards
SELECT '${CLAUSE_KEYS.w7}', recipient, w7 FROM guarantor_clauses WHERE eligible AND w7 IS NOT NULL
UNION ALL SELECT '${CLAUSE_KEYS.w8}', recipient, w8 FROM guarantor_clauses WHERE eligible AND w8 IS NOT NULL
UNION ALL SELECT '${CLAUSE_KEYS.w9}', recipient, w9 FROM guarantor_clauses WHERE eligible AND w9 IS NOT NULL
UNION ALL SELECT '${CLAUSE_KEYS.lc7}', recipient, lc7 FROM guarantor_clauses WHERE eligible AND lc7 IS NOT NULL;
`;

/** Numerator or denominator of 第八条's leverage coefficient (a scalar parameter applies even without a leverage). */
function coefficientSql(part: 'num' | 'den'): string {
  const step = stepCaseSql(W8_COEFFICIENT, 'b.liab4', '4 * CAST(b.lev_den AS HUGEINT)', part);
  return W8_COEFFICIENT.scalar ? step : `CASE WHEN b.lev_den > 0 THEN ${step} END`;
}

// ---------------------------------------------------------------------------------------------
// Guarantor indicators (ledger's guarantorIndicators), for every institution of kind guarantor or
// reguarantor: counted business = financing kinds, not 消费类; new = start_date in the year.
// Ratios come out as 10^8 × value rounded half-up; money in fen.

const INDICATORS_SQL = `
WITH flows AS (
  SELECT guarantor_id,
    SUM(released) AS released, SUM(compensated) AS compensated, SUM(recovered) AS recovered,
    SUM(amount) FILTER (WHERE issued) AS new_amount,
    SUM(amount) FILTER (WHERE issued AND sma) AS sma_amount,
    SUM(CAST(amount AS HUGEINT) * fee) FILTER (WHERE issued AND fee IS NOT NULL) AS fee_num,
    SUM(amount) FILTER (WHERE issued AND fee IS NOT NULL) AS fee_den
  FROM g_facts WHERE counted GROUP BY guarantor_id
),
clients AS (   -- per (institution, client): new amount in the year, any of it 小微三农
  SELECT guarantor_id, borrower_id, SUM(amount) AS total, BOOL_OR(sma) AS any_sma
  FROM g_facts WHERE counted AND issued AND borrower_id IS NOT NULL
  GROUP BY guarantor_id, borrower_id
),
client_stats AS (   -- 单户1000万元及以下: clients whose new amount with this institution is ≤ 1000万
  SELECT guarantor_id, COUNT(*) AS new_clients, COUNT(*) FILTER (WHERE any_sma) AS sma_clients,
    SUM(total) FILTER (WHERE total <= 1000000000) AS upto10m
  FROM clients GROUP BY guarantor_id
)
SELECT b.id,
  CAST(COALESCE(cs.new_clients, 0) AS VARCHAR) AS newClients,
  CAST(COALESCE(cs.sma_clients, 0) AS VARCHAR) AS smallMicroAgriClients,
  CAST(COALESCE(fl.new_amount, 0) AS VARCHAR) AS newAmount,
  CAST(r8(COALESCE(fl.sma_amount, 0), COALESCE(fl.new_amount, 0)) AS VARCHAR) AS smallMicroAgriShare,
  CAST(r8(COALESCE(cs.upto10m, 0), COALESCE(fl.new_amount, 0)) AS VARCHAR) AS upTo10mShare,
  CAST(r8(fl.fee_num, CAST(fl.fee_den AS HUGEINT) * 100000000) AS VARCHAR) AS averageFeeRate,
  CAST(rhu(b.liab4, 4) AS VARCHAR) AS liabilityBalance,
  CAST(CASE WHEN b.lev_den > 0 THEN r8(b.liab4, 4 * CAST(b.lev_den AS HUGEINT)) END AS VARCHAR) AS leverage,
  CAST(r8(COALESCE(fl.compensated, 0), COALESCE(fl.released, 0)) AS VARCHAR) AS compensationRate,
  CAST(r8(COALESCE(fl.recovered, 0), COALESCE(fl.compensated, 0)) AS VARCHAR) AS recoveryRate,
  CAST(r8(b.reserves, b.compensation_receivable) AS VARCHAR) AS provisionCoverage,
  CAST(CASE WHEN b.state_capital_end IS NOT NULL
    THEN r8(b.state_capital_end - COALESCE(b.objective_factors, 0), b.state_capital_begin) END AS VARCHAR) AS stateCapitalRatio
FROM guarantor_base b
LEFT JOIN flows fl ON fl.guarantor_id = b.id
LEFT JOIN client_stats cs ON cs.guarantor_id = b.id
`;

// ---------------------------------------------------------------------------------------------

/** Runs SQL; with PEER_PROFILE=1 statement by statement, printing each one's time to stderr. */
async function exec(con: DuckDBConnection, sql: string): Promise<void> {
  if (process.env.PEER_PROFILE !== '1') {
    await con.run(sql);
    return;
  }
  for (const stmt of sql.split(/;\s*$/m).filter((x) => x.trim() !== '')) {
    const t = performance.now();
    await con.run(stmt);
    const head = stmt.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('--')) ?? '';
    console.error(`[duckdb] ${(performance.now() - t).toFixed(0).padStart(6)} ms  ${head.trim().slice(0, 70)}`);
  }
}

async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

async function compute(con: DuckDBConnection): Promise<EngineResult> {
  await exec(con, FACTS_SQL);

  await exec(con, L15_UNITS_SQL);
  await exec(con, L15_POOL_SQL);

  await exec(con, W31_SQL);
  await exec(con, poolSql(CLAUSE_KEYS.w31, 'w31_units'));

  await exec(con, GUARANTOR_CLAUSES_SQL);

  const awards = new Map<string, string>();
  for (const r of await rows(con, 'SELECT clause, recipient, CAST(fen AS VARCHAR) AS fen FROM awards')) {
    const fen = big(r.fen);
    if (fen !== 0n) awards.set(`${r.clause}|${r.recipient}`, yuanText(fen));
  }

  const indicators = new Map<string, string>();
  for (const r of await rows(con, INDICATORS_SQL)) {
    for (const name of INDICATORS) {
      const v = r[name.toLowerCase()] ?? r[name];
      let text = '';
      if (v !== null && v !== undefined) {
        if (name === 'newClients' || name === 'smallMicroAgriClients') text = String(v);
        else if (name === 'newAmount' || name === 'liabilityBalance') text = yuanText(big(v));
        else text = fixedText(big(v), 8);
      }
      indicators.set(`${r.id}|${name}`, text);
    }
  }
  return { awards, indicators };
}
