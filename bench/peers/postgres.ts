// PostgreSQL peer of the benchmark (issue 4): the same hand-written SQL as the DuckDB peer
// (bench/peers/duckdb.ts, where each clause's reading is explained), adapted to PostgreSQL: money in
// bigint fen, numeric (arbitrary precision, used only with integer values) wherever products can
// pass 2^63, div() for integer division, text[] for tags, COLLATE "C" for id order.
//
// Load: each CSV is streamed by the client with COPY … FROM STDIN into a text staging table, then
// converted into a typed table (then ANALYZE); the run works in a schema of its own, dropped at
// the end. With PEER_PROFILE=1 the compute statements run one by one with their times on stderr.
import { createReadStream } from 'node:fs';
import type { Socket } from 'node:net';
import pg from 'pg';
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

const M0 = YEAR * 12;
const M11 = YEAR * 12 + 11;
const PREV_END = YEAR * 12 - 1;
const D0 = `DATE '${YEAR}-01-01'`;
const D1 = `DATE '${YEAR + 1}-01-01'`;

export async function postgresRun(bundleDir: string, connectionString: string): Promise<PeerRun> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const schema = `caijin_bench_${process.pid}_${Date.now()}`;
  try {
    await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
    const [, loadMs] = await timed(() => load(client, bundleDir));
    const [result, computeMs] = await timed(() => compute(client));
    return { loadMs, computeMs, result };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// COPY FROM STDIN without extra packages: a pg "submittable" that streams the file's bytes.

class CopyFromFile {
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  private error: unknown = null;
  readonly done: Promise<void>;
  private readonly text: string;
  private readonly file: string;
  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }
  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void; sendCopyFail(m: string): void; stream: Socket }): void {
    const src = createReadStream(this.file, { highWaterMark: 1 << 20 });
    src.on('data', (chunk) => {
      connection.sendCopyFromChunk(chunk as Buffer);
      // Respect the socket's back-pressure.
      if (connection.stream.writableNeedDrain) {
        src.pause();
        connection.stream.once('drain', () => src.resume());
      }
    });
    src.on('end', () => connection.endCopyFrom());
    src.on('error', (e) => {
      this.error = e;
      connection.sendCopyFail(String(e));
    });
  }
  handleError(e: unknown): void {
    this.error ??= e;
  }
  handleCommandComplete(): void {}
  handleReadyForQuery(): void {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve();
  }
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
}

function cellSql(type: CellType, c: string): string {
  switch (type) {
    case 'text':
      return `NULLIF(trim(${c}), '')`;
    case 'fen':
      return `CAST(CAST(replace(${c}, ',', '') AS numeric(18, 2)) * 100 AS bigint)`;
    case 'pct':
      return `CAST(CAST(replace(${c}, '%', '') AS numeric(18, 6)) * 1000000 AS bigint)`;
    case 'bool':
      return `CASE WHEN ${c} IN (${TRUE_TEXTS.map(sqlText).join(', ')}) THEN TRUE WHEN ${c} IN (${FALSE_TEXTS.map(sqlText).join(', ')}) THEN FALSE END`;
    case 'date':
      return `CAST(${c} AS date)`;
    case 'month':
      return `CAST(substr(${c}, 1, 4) AS integer) * 12 + CAST(substr(${c}, 6, 2) AS integer) - 1`;
    case 'int':
      return `CAST(replace(${c}, ',', '') AS bigint)`;
  }
}

const SQL_TYPE: Record<CellType, string> = { text: 'text', fen: 'bigint', pct: 'bigint', bool: 'boolean', date: 'date', month: 'integer', int: 'bigint' };

async function load(client: pg.Client, dir: string): Promise<void> {
  for (const [table, columns] of Object.entries(INPUT_TABLES)) {
    const h = csvHeader(dir, table);
    const select = columns
      .map(([c, type]) => `${h?.columns.includes(c) ? cellSql(type, `"${c}"`) : `CAST(NULL AS ${SQL_TYPE[type]})`} AS ${c}`)
      .join(', ');
    if (!h) {
      await client.query(`CREATE TABLE ${table} AS SELECT ${select} WHERE false`);
      continue;
    }
    const stage = `stage_${table}`;
    await client.query(`CREATE UNLOGGED TABLE ${stage} (${h.columns.map((c) => `"${c}" text`).join(', ')})`);
    const copy = new CopyFromFile(`COPY ${stage} FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`, h.file);
    void client.query(copy as unknown as pg.QueryConfig);
    await copy.done;
    await client.query(`CREATE UNLOGGED TABLE ${table} AS SELECT ${select} FROM ${stage}; DROP TABLE ${stage}`);
  }
  await client.query('ANALYZE');
}

// ---------------------------------------------------------------------------------------------

const FACTS_SQL = `
CREATE FUNCTION rhu(n numeric, d numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS
  $$ SELECT div(2 * n + d, 2 * d) $$;
CREATE FUNCTION r8(n numeric, d numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN n IS NULL OR d IS NULL OR d = 0 THEN NULL
    WHEN (n >= 0) = (d > 0) THEN div(200000000 * abs(n) + abs(d), 2 * abs(d))
    ELSE -div(200000000 * abs(n) + abs(d), 2 * abs(d))
  END $$;

CREATE UNLOGGED TABLE industry_bounds (industry text, c_emp bigint, c_rev bigint, c_assets bigint,
  m_emp bigint, m_rev bigint, m_assets bigint, s_emp bigint, s_rev bigint, s_assets bigint);
INSERT INTO industry_bounds VALUES
    ${industryValuesSql()};

-- Parties: size derived when empty (300号), small_micro / small_micro_agri (definitions.yaml).
CREATE UNLOGGED TABLE ent AS
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

-- Loans with the year's balance figures (a month without a row is 0).
CREATE UNLOGGED TABLE loan_facts AS
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
SELECT l.id, l.bank_id, l.borrower_id, l.start_date, string_to_array(COALESCE(l.products, ''), ';') AS tags,
  fp.release_month, fp.provincial_endorsement,
  COALESCE(bal.sum12, 0) AS sum12, COALESCE(fr.sum_from_release, 0) AS sum_from_release, COALESCE(bal.bal_end, 0) AS bal_end
FROM loans l
LEFT JOIN fintech_projects fp ON fp.id = l.fintech_project_id
LEFT JOIN bal ON bal.loan_id = l.id
LEFT JOIN from_release fr ON fr.loan_id = l.id;

-- Guarantees with the year's events and balances; sma and counted as in the DuckDB peer.
CREATE UNLOGGED TABLE g_facts AS
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

-- Guarantee institutions: liab4 = 4 × 融资担保责任余额 (75% weights), lev_den, year row.
CREATE UNLOGGED TABLE guarantor_base AS
WITH client_end AS (
  SELECT guarantor_id, borrower_id, SUM(bal_end) AS client_end
  FROM g_facts WHERE kind = 'loan' AND bal_end <> 0 AND borrower_id IS NOT NULL
  GROUP BY guarantor_id, borrower_id
),
liab AS (
  SELECT f.guarantor_id,
    SUM(f.bal_end::numeric * CASE WHEN COALESCE(f.kind = 'loan' AND CASE
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

CREATE UNLOGGED TABLE awards (clause text, recipient text, fen numeric);
`;

// linhai-2021 第十五条 (see duckdb.ts for the reading).
const L15_UNITS_SQL = `
CREATE UNLOGGED TABLE l15_pairs AS
SELECT p.*, CASE WHEN p.category = 2 THEN p.sum_from_release ELSE p.sum12 END AS w
FROM (
  SELECT f.id, f.bank_id, f.borrower_id, f.sum12, f.sum_from_release,
    CASE
      WHEN 'first_loan' = ANY (f.tags) AND e.small_micro THEN 1                         -- 首贷户贷款
      WHEN 'fintech_project' = ANY (f.tags) AND f.provincial_endorsement
           AND f.release_month BETWEEN ${M0} AND ${M11} THEN 2                          -- 年内金融科技项目贷款
      WHEN e.tech_enterprise AND e.annual_sales <= 3000000000 THEN 3                      -- 科技型企业 ≤ 3000万
      WHEN f.tags && ARRAY['movable_equipment', 'movable_raw_material', 'movable_semi_finished', 'movable_product'] THEN 4
    END AS category
  FROM loan_facts f
  JOIN institutions bank ON bank.id = f.bank_id AND bank.kind = 'bank'
  LEFT JOIN ent e ON e.id = f.borrower_id
) p
WHERE p.category IS NOT NULL;

CREATE UNLOGGED TABLE l15_units AS
WITH grp AS (   -- 单户企业 across banks: counted = min(Σ w / 12, 1000万) half-up to fen
  SELECT borrower_id, category, SUM(w) AS t,
    CASE WHEN category IN (1, 3) AND SUM(w) > 12000000000 THEN 1000000000 ELSE div(SUM(w) + 6, 12) END AS total
  FROM l15_pairs GROUP BY borrower_id, category
),
shares AS (     -- total × w / T, floored; the fen left over go to the largest remainders
  SELECT p.bank_id, p.id, p.borrower_id, p.category, g.total,
    CASE WHEN g.t > 0 THEN div(g.total * p.w, g.t) ELSE 0 END AS base,
    CASE WHEN g.t > 0 THEN mod(g.total * p.w, g.t) ELSE 0 END AS rem
  FROM l15_pairs p JOIN grp g ON g.borrower_id = p.borrower_id AND g.category = p.category
),
ranked AS (
  SELECT *, total - SUM(base) OVER (PARTITION BY borrower_id, category) AS left_fen,
    ROW_NUMBER() OVER (PARTITION BY borrower_id, category ORDER BY rem DESC, id COLLATE "C") AS rn
  FROM shares
)
SELECT bank_id,
  SUM(base + CASE WHEN rn <= left_fen THEN 1 ELSE 0 END) AS balance,
  div(SUM(base + CASE WHEN rn <= left_fen THEN 1 ELSE 0 END) + 100, 200) AS amount    -- × 0.5%, half-up
FROM ranked GROUP BY bank_id;
`;

function poolSql(clause: string, units: string): string {
  return `
INSERT INTO awards
WITH u AS (
  SELECT recipient, part, amount, cap, SUM(amount) OVER (PARTITION BY part) AS total FROM ${units} x
),
s AS (
  SELECT *,
    CASE WHEN total > cap THEN div(cap * amount, total) ELSE amount END AS base,
    CASE WHEN total > cap THEN mod(cap * amount, total) ELSE 0 END AS rem
  FROM u
),
r AS (
  SELECT *, cap - SUM(base) OVER (PARTITION BY part) AS left_fen,
    ROW_NUMBER() OVER (PARTITION BY part ORDER BY rem DESC, recipient COLLATE "C") AS rn
  FROM s
)
SELECT '${clause}', recipient, SUM(base + CASE WHEN total > cap AND rn <= left_fen THEN 1 ELSE 0 END)
FROM r GROUP BY recipient;
`;
}

const L15_POOL_SQL = poolSql(
  CLAUSE_KEYS.l15,
  `(SELECT bank_id AS recipient, 0 AS part, amount, ${L15_BUDGET_FEN}::numeric AS cap FROM l15_units)`,
);

// wenzhou-2022 第三条（贷款产品）.
const W31_SQL = `
CREATE UNLOGGED TABLE w31_pairs AS
WITH loss AS (
  SELECT loan_id, SUM(principal_loss) AS loss FROM loan_losses
  WHERE date >= ${D0} AND date < ${D1} GROUP BY loan_id
)
SELECT f.bank_id,
  CASE
    WHEN 'kczs' = ANY (f.tags) THEN 1
    WHEN 'ip_pledge' = ANY (f.tags) THEN 2
    WHEN 'farmer_asset_trust' = ANY (f.tags) THEN 3
  END AS category,
  CASE WHEN EXTRACT(YEAR FROM f.start_date) = ${YEAR} THEN COALESCE(loss.loss, 0) ELSE 0 END AS counted_loss,
  f.bal_end
FROM loan_facts f
JOIN institutions bank ON bank.id = f.bank_id AND bank.kind = 'bank'
LEFT JOIN loss ON loss.loan_id = f.id;

CREATE UNLOGGED TABLE w31_units AS
WITH caps AS (
  SELECT category, div(5 * SUM(bal_end), 1000) AS cap       -- 0.5%, rounded down
  FROM w31_pairs WHERE category IS NOT NULL GROUP BY category
)
SELECT p.bank_id AS recipient, p.category AS part,
  rhu(3 * SUM(p.counted_loss), 10) AS amount,                -- × 30%, half-up
  c.cap
FROM w31_pairs p JOIN caps c ON c.category = p.category
GROUP BY p.bank_id, p.category, c.cap;
`;

// wenzhou-2022 第七、八、九条, liaocheng-2023 (七) (see duckdb.ts).
const GUARANTOR_CLAUSES_SQL = `
CREATE UNLOGGED TABLE sma_by_guarantor AS
SELECT f.guarantor_id,
  SUM(f.amount::numeric * f.fee) FILTER (WHERE f.issued AND f.fee IS NOT NULL) AS fee_num,
  SUM(f.amount) FILTER (WHERE f.issued AND f.fee IS NOT NULL) AS fee_den,
  SUM(f.bal_end) AS bal_end, SUM(f.bal_prev) AS bal_prev,
  SUM(f.released) AS r, SUM(f.compensated) AS c,
  COALESCE(SUM(f.sum12) FILTER (WHERE starts_with(f.borrower_region, '3303')), 0) AS sum12_local
FROM g_facts f WHERE f.sma GROUP BY f.guarantor_id;

CREATE UNLOGGED TABLE guarantor_clauses AS
SELECT s.guarantor_id AS recipient, b.city_government_guarantor AS eligible,
  CASE WHEN s.fee_den > 0 THEN rhu(GREATEST(s.bal_end - s.bal_prev, 0) * CASE
      WHEN s.fee_num <= 500000 * s.fee_den THEN 6
      WHEN s.fee_num <= 700000 * s.fee_den THEN 4
      WHEN s.fee_num <= 900000 * s.fee_den THEN 2
      ELSE 0 END, 1000) END AS w7,
  CASE WHEN s.r > 0 THEN rhu(
      (4 * GREATEST(LEAST(100 * s.c, 3 * s.r) - s.r, 0) + 3 * GREATEST(LEAST(100 * s.c, 5 * s.r) - 3 * s.r, 0))
      * (${coefficientSql('num')}),
      1000 * (${coefficientSql('den')})) END AS w8,
  CASE WHEN b.registered_capital IS NOT NULL AND s.sum12_local >= 96 * b.registered_capital::numeric
       THEN rhu(s.sum12_local, 2400) END AS w9,
  CASE WHEN s.r > 0 THEN rhu(
      10 * LEAST(100 * s.c, s.r)
      + 8 * GREATEST(LEAST(100 * s.c, 3 * s.r) - s.r, 0)
      + 6 * GREATEST(LEAST(100 * s.c, 5 * s.r) - 3 * s.r, 0)
      + 5 * GREATEST(LEAST(100 * s.c, 8 * s.r) - 5 * s.r, 0),
      1000) END AS lc7
FROM sma_by_guarantor s JOIN guarantor_base b ON b.id = s.guarantor_id;

INSERT INTO awards
SELECT '${CLAUSE_KEYS.w7}', recipient, w7 FROM guarantor_clauses WHERE eligible AND w7 IS NOT NULL
UNION ALL SELECT '${CLAUSE_KEYS.w8}', recipient, w8 FROM guarantor_clauses WHERE eligible AND w8 IS NOT NULL
UNION ALL SELECT '${CLAUSE_KEYS.w9}', recipient, w9 FROM guarantor_clauses WHERE eligible AND w9 IS NOT NULL
UNION ALL SELECT '${CLAUSE_KEYS.lc7}', recipient, lc7 FROM guarantor_clauses WHERE eligible AND lc7 IS NOT NULL;
`;

function coefficientSql(part: 'num' | 'den'): string {
  const step = stepCaseSql(W8_COEFFICIENT, 'b.liab4', '4 * b.lev_den::numeric', part);
  return W8_COEFFICIENT.scalar ? step : `CASE WHEN b.lev_den > 0 THEN ${step} END`;
}

// Guarantor indicators (see duckdb.ts). Column names are lower-case in PostgreSQL.
const INDICATORS_SQL = `
WITH flows AS (
  SELECT guarantor_id,
    SUM(released) AS released, SUM(compensated) AS compensated, SUM(recovered) AS recovered,
    SUM(amount) FILTER (WHERE issued) AS new_amount,
    SUM(amount) FILTER (WHERE issued AND sma) AS sma_amount,
    SUM(amount::numeric * fee) FILTER (WHERE issued AND fee IS NOT NULL) AS fee_num,
    SUM(amount) FILTER (WHERE issued AND fee IS NOT NULL) AS fee_den
  FROM g_facts WHERE counted GROUP BY guarantor_id
),
clients AS (
  SELECT guarantor_id, borrower_id, SUM(amount) AS total, BOOL_OR(sma) AS any_sma
  FROM g_facts WHERE counted AND issued AND borrower_id IS NOT NULL
  GROUP BY guarantor_id, borrower_id
),
client_stats AS (
  SELECT guarantor_id, COUNT(*) AS new_clients, COUNT(*) FILTER (WHERE any_sma) AS sma_clients,
    SUM(total) FILTER (WHERE total <= 1000000000) AS upto10m
  FROM clients GROUP BY guarantor_id
)
SELECT b.id,
  COALESCE(cs.new_clients, 0)::text AS newclients,
  COALESCE(cs.sma_clients, 0)::text AS smallmicroagriclients,
  COALESCE(fl.new_amount, 0)::text AS newamount,
  r8(COALESCE(fl.sma_amount, 0), COALESCE(fl.new_amount, 0))::text AS smallmicroagrishare,
  r8(COALESCE(cs.upto10m, 0), COALESCE(fl.new_amount, 0))::text AS upto10mshare,
  r8(fl.fee_num, fl.fee_den * 100000000)::text AS averagefeerate,
  rhu(b.liab4, 4)::text AS liabilitybalance,
  (CASE WHEN b.lev_den > 0 THEN r8(b.liab4, 4 * b.lev_den::numeric) END)::text AS leverage,
  r8(COALESCE(fl.compensated, 0), COALESCE(fl.released, 0))::text AS compensationrate,
  r8(COALESCE(fl.recovered, 0), COALESCE(fl.compensated, 0))::text AS recoveryrate,
  r8(b.reserves, b.compensation_receivable)::text AS provisioncoverage,
  (CASE WHEN b.state_capital_end IS NOT NULL
    THEN r8(b.state_capital_end - COALESCE(b.objective_factors, 0), b.state_capital_begin) END)::text AS statecapitalratio
FROM guarantor_base b
LEFT JOIN flows fl ON fl.guarantor_id = b.id
LEFT JOIN client_stats cs ON cs.guarantor_id = b.id
`;

// ---------------------------------------------------------------------------------------------

/** Runs SQL; with PEER_PROFILE=1 statement by statement, printing each one's time to stderr. */
async function exec(client: pg.Client, sql: string): Promise<void> {
  if (process.env.PEER_PROFILE !== '1') {
    await client.query(sql);
    return;
  }
  for (const stmt of sql.split(/;\s*$/m).filter((x) => x.trim() !== '')) {
    const t = performance.now();
    await client.query(stmt);
    const head = stmt.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('--')) ?? '';
    console.error(`[postgres] ${(performance.now() - t).toFixed(0).padStart(6)} ms  ${head.trim().slice(0, 70)}`);
  }
}

async function compute(client: pg.Client): Promise<EngineResult> {
  await exec(client, FACTS_SQL);
  await exec(client, 'ANALYZE ent, loan_facts, g_facts');

  await exec(client, L15_UNITS_SQL);
  await exec(client, L15_POOL_SQL);

  await exec(client, W31_SQL);
  await exec(client, poolSql(CLAUSE_KEYS.w31, 'w31_units'));

  await exec(client, GUARANTOR_CLAUSES_SQL);

  const awards = new Map<string, string>();
  for (const r of (await client.query('SELECT clause, recipient, fen::text AS fen FROM awards')).rows as { clause: string; recipient: string; fen: string }[]) {
    const fen = big(r.fen);
    if (fen !== 0n) awards.set(`${r.clause}|${r.recipient}`, yuanText(fen));
  }

  const indicators = new Map<string, string>();
  for (const r of (await client.query(INDICATORS_SQL)).rows as Record<string, string | null>[]) {
    for (const name of INDICATORS) {
      const v = r[name.toLowerCase()];
      let text = '';
      if (v !== null && v !== undefined) {
        if (name === 'newClients' || name === 'smallMicroAgriClients') text = v;
        else if (name === 'newAmount' || name === 'liabilityBalance') text = yuanText(big(v));
        else text = fixedText(big(v), 8);
      }
      indicators.set(`${r.id}|${name}`, text);
    }
  }
  return { awards, indicators };
}
