// Shared by the peer implementations (DuckDB, polars, PostgreSQL): the clause set's open parameters
// as exact integers, the enterprise-size thresholds of 工信部联企业〔2011〕300号 (contract §1: an empty
// `size` is derived from them), and small BigInt helpers: text formatting, half-up rounding and the
// largest-remainder split. Nothing here comes from caijin's packages: the peers only share the
// clause set (bench/clause-set.ts) and the result shape with it.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_YEAR, PARAMS, type EngineResult } from '../clause-set.ts';

export const YEAR = BENCH_YEAR;

export interface PeerRun {
  loadMs: number;
  computeMs: number;
  result: EngineResult;
}

/** An exact fraction [numerator, denominator], denominator > 0. */
export type Frac = [bigint, bigint];

/** "1.2" → [12n, 10n]; "50000000" → [50000000n, 1n]. */
export function decimalFraction(text: string): Frac {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  const n = BigInt(m[2] + frac) * (m[1] === '-' ? -1n : 1n);
  return [n, 10n ** BigInt(frac.length)];
}

function wholeFen(yuanText: string): bigint {
  const [n, d] = decimalFraction(yuanText);
  if ((n * 100n) % d !== 0n) throw new Error(`not whole fen: ${yuanText}`);
  return (n * 100n) / d;
}

/** linhai-2021/15.budget (元) in fen: the pool cap of 第十五条. */
export const L15_BUDGET_FEN = wholeFen(PARAMS['linhai-2021']['15.budget']);

/** One band of a step scale: applies from `lower` (inclusive when `incl`) up to the next band. */
export interface StepBand {
  lower: Frac;
  incl: boolean;
  value: Frac;
}

/** A step scale: `scalar` when the parameter is one number (that value everywhere, even where x is empty). */
export interface StepScale {
  scalar: Frac | null;
  bands: StepBand[];
}

/** wenzhou-2022/8.leverage_coefficient, keyed by the recipient's 放大倍数. */
export const W8_COEFFICIENT: StepScale = (() => {
  const raw = JSON.parse(PARAMS['wenzhou-2022']['8.leverage_coefficient']) as unknown;
  if (typeof raw === 'number') return { scalar: decimalFraction(String(raw)), bands: [] };
  const bands = (raw as { from?: number; above?: number; value: number }[]).map((b) => ({
    lower: decimalFraction(String(b.from ?? b.above)),
    incl: b.from !== undefined,
    value: decimalFraction(String(b.value)),
  }));
  return { scalar: null, bands };
})();

/**
 * SQL CASE giving the numerator or denominator of the step-scale value at x = xNum / xDen (xDen > 0);
 * NULL when x is NULL or lies below every band. Bands are tested from the top: the last band x reaches wins.
 */
export function stepCaseSql(s: StepScale, xNum: string, xDen: string, part: 'num' | 'den'): string {
  if (s.scalar) return String(part === 'num' ? s.scalar[0] : s.scalar[1]);
  const whens = [...s.bands].reverse().map((b) => {
    const [ln, ld] = b.lower;
    const cmp = b.incl ? '>=' : '>';
    const v = part === 'num' ? b.value[0] : b.value[1];
    return `WHEN (${xNum}) * ${ld} ${cmp} ${ln} * (${xDen}) THEN ${v}`;
  });
  return `CASE ${whens.join(' ')} ELSE NULL END`;
}

/** The same step scale in TS (polars finishing): value at x = xNum / xDen (xNum null: x empty), or null. */
export function stepValue(s: StepScale, xNum: bigint | null, xDen: bigint): Frac | null {
  if (s.scalar) return s.scalar;
  if (xNum === null) return null;
  let found: Frac | null = null;
  for (const b of s.bands) {
    const l = xNum * b.lower[1];
    const r = b.lower[0] * xDen;
    if (l > r || (l === r && b.incl)) found = b.value;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// 工信部联企业〔2011〕300号: per industry, the lower bounds of 中型 and 小型 (all must be met) and the
// SME ceiling (大型 when every ceiling bound is met). Persons, and 万元 for money. Transcribed from the
// document's annex; contract §1 names these 16 industry keys.

interface Bounds {
  employees?: number;
  revenueWan?: number;
  assetsWan?: number;
}
interface IndustryBounds {
  industry: string;
  ceiling: Bounds;
  medium: Bounds;
  small: Bounds;
}

export const INDUSTRY_BOUNDS: IndustryBounds[] = [
  { industry: 'agriculture', ceiling: { revenueWan: 20000 }, medium: { revenueWan: 500 }, small: { revenueWan: 50 } },
  { industry: 'industry', ceiling: { employees: 1000, revenueWan: 40000 }, medium: { employees: 300, revenueWan: 2000 }, small: { employees: 20, revenueWan: 300 } },
  { industry: 'construction', ceiling: { revenueWan: 80000, assetsWan: 80000 }, medium: { revenueWan: 6000, assetsWan: 5000 }, small: { revenueWan: 300, assetsWan: 300 } },
  { industry: 'wholesale', ceiling: { employees: 200, revenueWan: 40000 }, medium: { employees: 20, revenueWan: 5000 }, small: { employees: 5, revenueWan: 1000 } },
  { industry: 'retail', ceiling: { employees: 300, revenueWan: 20000 }, medium: { employees: 50, revenueWan: 500 }, small: { employees: 10, revenueWan: 100 } },
  { industry: 'transport', ceiling: { employees: 1000, revenueWan: 30000 }, medium: { employees: 300, revenueWan: 3000 }, small: { employees: 20, revenueWan: 200 } },
  { industry: 'warehousing', ceiling: { employees: 200, revenueWan: 30000 }, medium: { employees: 100, revenueWan: 1000 }, small: { employees: 20, revenueWan: 100 } },
  { industry: 'postal', ceiling: { employees: 1000, revenueWan: 30000 }, medium: { employees: 300, revenueWan: 2000 }, small: { employees: 20, revenueWan: 100 } },
  { industry: 'accommodation', ceiling: { employees: 300, revenueWan: 10000 }, medium: { employees: 100, revenueWan: 2000 }, small: { employees: 10, revenueWan: 100 } },
  { industry: 'catering', ceiling: { employees: 300, revenueWan: 10000 }, medium: { employees: 100, revenueWan: 2000 }, small: { employees: 10, revenueWan: 100 } },
  { industry: 'telecom', ceiling: { employees: 2000, revenueWan: 100000 }, medium: { employees: 100, revenueWan: 1000 }, small: { employees: 10, revenueWan: 100 } },
  { industry: 'software', ceiling: { employees: 300, revenueWan: 10000 }, medium: { employees: 100, revenueWan: 1000 }, small: { employees: 10, revenueWan: 50 } },
  { industry: 'real_estate_dev', ceiling: { revenueWan: 200000, assetsWan: 10000 }, medium: { revenueWan: 1000, assetsWan: 5000 }, small: { revenueWan: 100, assetsWan: 2000 } },
  { industry: 'property_mgmt', ceiling: { employees: 1000, revenueWan: 5000 }, medium: { employees: 300, revenueWan: 1000 }, small: { employees: 100, revenueWan: 500 } },
  { industry: 'leasing_business', ceiling: { employees: 300, assetsWan: 120000 }, medium: { employees: 100, assetsWan: 8000 }, small: { employees: 10, assetsWan: 100 } },
  { industry: 'other', ceiling: { employees: 300 }, medium: { employees: 100 }, small: { employees: 10 } },
];

const FEN_PER_WAN = 1_000_000;

/** Column order of the thresholds table: NULL = not a criterion; money in fen. */
export const INDUSTRY_COLUMNS = ['industry', 'c_emp', 'c_rev', 'c_assets', 'm_emp', 'm_rev', 'm_assets', 's_emp', 's_rev', 's_assets'] as const;

export function industryRows(): (string | number | null)[][] {
  const b = (x: Bounds) => [x.employees ?? null, x.revenueWan === undefined ? null : x.revenueWan * FEN_PER_WAN, x.assetsWan === undefined ? null : x.assetsWan * FEN_PER_WAN];
  return INDUSTRY_BOUNDS.map((i) => [i.industry, ...b(i.ceiling), ...b(i.medium), ...b(i.small)]);
}

/** `VALUES (...), (...)` of the thresholds table, for SQL engines. */
export function industryValuesSql(): string {
  return industryRows()
    .map((r) => `(${r.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v}'` : String(v))).join(', ')})`)
    .join(',\n    ');
}

// ---------------------------------------------------------------------------------------------
// Text of results (clause-set.ts): yuan with 2 decimals, ratios with 8 decimals.

/** Integer `scaled` / 10^digits as text with exactly `digits` decimals. */
export function fixedText(scaled: bigint, digits: number): string {
  const neg = scaled < 0n;
  let s = (neg ? -scaled : scaled).toString().padStart(digits + 1, '0');
  if (digits > 0) s = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return (neg ? '-' : '') + s;
}

export const yuanText = (fen: bigint): string => fixedText(fen, 2);

/** n / d rounded half-up (ties away from zero) to an integer; d ≠ 0. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return neg ? -q : q;
}

/** n / d as text with 8 decimals half-up, or "" when d = 0 (an undefined ratio). */
export function ratio8(n: bigint, d: bigint): string {
  return d === 0n ? '' : fixedText(roundHalfUp(n * 100_000_000n, d), 8);
}

/**
 * Split `total` fen in proportion to `weights` (≥ 0): floor each share, then hand the fen left over
 * one by one to the largest remainders (ties: smaller id, then earlier). All zero weights: all zero.
 */
export function splitLargestRemainder(total: bigint, weights: bigint[], ids: string[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (total * w) / sum);
  const rem = weights.map((w) => (total * w) % sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  const order = weights.map((_, i) => i).sort((a, b) => (rem[a] !== rem[b] ? (rem[a] > rem[b] ? -1 : 1) : ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b));
  for (const i of order) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts;
}

/** Pool cap (总额控制): when the amounts exceed `cap`, scale all by cap / total, fen by largest remainder. */
export function poolSplit(amounts: bigint[], cap: bigint, ids: string[]): bigint[] {
  const total = amounts.reduce((a, b) => a + b, 0n);
  return total <= cap ? [...amounts] : splitLargestRemainder(cap, amounts, ids);
}

/** BigInt of an integer cell read back from an engine (number, bigint or decimal text). */
export function big(v: unknown): bigint {
  if (v === null || v === undefined) throw new Error('unexpected NULL');
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`not a safe integer: ${v}`);
    return BigInt(v);
  }
  return BigInt(String(v));
}

export function bigOrNull(v: unknown): bigint | null {
  return v === null || v === undefined ? null : big(v);
}

/** Names of the benchmark's clause keys (clause-set.ts): `${policy}/${clause}`. */
export const CLAUSE_KEYS = {
  l15: 'linhai-2021/15',
  w31: 'wenzhou-2022/3.1',
  w7: 'wenzhou-2022/7',
  w8: 'wenzhou-2022/8',
  w9: 'wenzhou-2022/9',
  lc7: 'liaocheng-2023/7',
} as const;

/** Wall-clock milliseconds of an async step. */
export async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
}

// ---------------------------------------------------------------------------------------------
// The input columns the clause set reads (contract §1, English keys as the demo generator writes
// them), with how each cell is converted. Every engine loads these into typed tables:
// fen = money in integer fen; pct = a `_pct` percent scaled by 10^6 (0.8% → 800000, so the
// fraction is pct / 10^8); month = year*12 + month-1.

export type CellType = 'text' | 'fen' | 'pct' | 'bool' | 'date' | 'month' | 'int';

export const INPUT_TABLES: Record<string, [string, CellType][]> = {
  institutions: [['id', 'text'], ['kind', 'text'], ['government_backed', 'bool'], ['level', 'text']],
  institution_years: [
    ['institution_id', 'text'], ['year', 'int'], ['registered_capital', 'fen'], ['net_assets', 'fen'],
    ['guarantee_equity_investment', 'fen'], ['state_capital_begin', 'fen'], ['state_capital_end', 'fen'],
    ['objective_factors', 'fen'], ['reserves', 'fen'], ['compensation_receivable', 'fen'],
  ],
  enterprises: [
    ['id', 'text'], ['kind', 'text'], ['industry', 'text'], ['employees', 'int'], ['revenue', 'fen'],
    ['total_assets', 'fen'], ['size', 'text'], ['region', 'text'], ['tech_enterprise', 'bool'], ['annual_sales', 'fen'],
  ],
  loans: [['id', 'text'], ['bank_id', 'text'], ['borrower_id', 'text'], ['start_date', 'date'], ['products', 'text'], ['fintech_project_id', 'text']],
  loan_balances: [['loan_id', 'text'], ['month', 'month'], ['balance', 'fen']],
  loan_losses: [['loan_id', 'text'], ['date', 'date'], ['principal_loss', 'fen']],
  guarantees: [
    ['id', 'text'], ['guarantor_id', 'text'], ['borrower_id', 'text'], ['kind', 'text'], ['purpose', 'text'],
    ['amount', 'fen'], ['fee_rate_pct', 'pct'], ['start_date', 'date'],
  ],
  guarantee_balances: [['guarantee_id', 'text'], ['month', 'month'], ['balance', 'fen']],
  guarantee_events: [['guarantee_id', 'text'], ['date', 'date'], ['type', 'text'], ['amount', 'fen']],
  fintech_projects: [['id', 'text'], ['release_month', 'month'], ['provincial_endorsement', 'bool']],
};

/** Texts of true and false in boolean cells (contract §1). */
export const TRUE_TEXTS = ['true', 'TRUE', 'True', '1', '是', 'Y', 'y'];
export const FALSE_TEXTS = ['false', 'FALSE', 'False', '0', '否', 'N', 'n'];

/** The CSV file of a table and its header keys, or null when the bundle has no such file. */
export function csvHeader(dir: string, table: string): { file: string; columns: string[] } | null {
  const file = join(dir, `${table}.csv`);
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    let text = buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const line = text.split(/\r?\n/)[0];
    return { file, columns: line.split(',').map((c) => c.trim().replace(/^"|"$/g, '')) };
  } finally {
    closeSync(fd);
  }
}

/** `'text'` as an SQL string literal. */
export const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;
