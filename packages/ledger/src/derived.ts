// Quantities derived from an accepted bundle that rules and evaluations use: month-end balances,
// yearly sums of events and losses, the 小微企业和三农 flag of a guarantee, and the standard
// indicators of a guarantee institution (domain-brief §3). Money stays in integer fen (Float64Array,
// exact below 2^53 fen ≈ 90 万亿元); ratios are exact Q.
import { Q, daysOf } from '@caijin/core';
import { storedRuns, type StoredRuns } from './array-shape.ts';
import { RATE_SCALE, type Bundle, type Column, type DictColumn, type Table } from './types.ts';

type NumColumn = Extract<Column, { values: Float64Array }>;

export type BalanceTable = 'loans' | 'guarantees';

function balanceSource(bundle: Bundle, table: BalanceTable): { n: number; bal?: Table; ref: string } {
  const n = bundle.tables[table]?.length ?? 0;
  const bal = table === 'loans' ? bundle.tables.loan_balances : bundle.tables.guarantee_balances;
  return { n, bal, ref: table === 'loans' ? 'loan_id' : 'guarantee_id' };
}

function refOf(t: Table, key: string): Int32Array {
  const c = t.columns[key] as DictColumn;
  if (!c.refIndex) throw new Error(`${t.name}.${key}: foreign key not resolved`);
  return c.refIndex;
}

function nums(t: Table, key: string): Float64Array {
  return (t.columns[key] as NumColumn).values;
}

function codes(t: Table, key: string): DictColumn {
  return t.columns[key] as DictColumn;
}

/** Code of `value` in an enum column (-2 if absent, so it never equals a cell's code). */
function codeOf(c: DictColumn, value: string): number {
  const i = c.dict.indexOf(value);
  return i < 0 ? -2 : i;
}

/**
 * Month-end balances of every loan/guarantee for the 12 months of `year`: out[row*12 + (month-1)],
 * integer fen; a month without a balance row is 0.
 */
export function yearBalances(bundle: Bundle, table: BalanceTable, year: number): Float64Array {
  const { n, bal, ref } = balanceSource(bundle, table);
  const out = new Float64Array(n * 12);
  if (!bal || n === 0) return out;
  const r = refOf(bal, ref);
  const month = nums(bal, 'month');
  const balance = nums(bal, 'balance');
  const m0 = year * 12;
  for (let i = 0; i < bal.length; i++) {
    const m = month[i] - m0;
    if (m >= 0 && m < 12 && r[i] >= 0) out[r[i] * 12 + m] = balance[i];
  }
  return out;
}

export interface BalanceSummary {
  /** Sum of the 12 month-end balances of the year per row (月均余额 = sum12 / 12), fen. */
  sum12: Float64Array;
  /** December of the year and December of the previous year, fen. */
  dec: Float64Array;
  prevDec: Float64Array;
  /**
   * When the balance rows are grouped by their loan/guarantee in ascending order (as ledgers are
   * usually sent), rows first[r] .. last[r] (inclusive) hold row r's balances; otherwise null.
   */
  first: Int32Array | null;
  last: Int32Array | null;
}

const SUMMARY_CACHE = new WeakMap<Bundle, Map<string, BalanceSummary>>();

/**
 * One sequential pass over the balance rows: the year's sums, the two Decembers, and the row
 * ranges. Computed once per bundle, table and year (a bundle is immutable once accepted): the rules
 * engine and the guarantor indicators both read it.
 */
export function balanceSummary(bundle: Bundle, table: BalanceTable, year: number): BalanceSummary {
  let byKey = SUMMARY_CACHE.get(bundle);
  if (!byKey) SUMMARY_CACHE.set(bundle, (byKey = new Map()));
  const key = `${table}:${year}`;
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = summarize(bundle, table, year)));
  return hit;
}

function summarize(bundle: Bundle, table: BalanceTable, year: number): BalanceSummary {
  const { n, bal, ref } = balanceSource(bundle, table);
  const sum12 = new Float64Array(n);
  const dec = new Float64Array(n);
  const prevDec = new Float64Array(n);
  if (!bal || n === 0) return { sum12, dec, prevDec, first: null, last: null };
  const m0 = year * 12;
  const keys = storedRuns(bal.columns[ref], 'refIndex');
  const months = storedRuns(bal.columns.month, 'values');
  if (keys && months && !keys.expanded && !months.expanded) {
    const fromRuns = summarizeRuns(keys, months, nums(bal, 'balance'), n, m0);
    if (fromRuns) return fromRuns;
  }
  const r = refOf(bal, ref);
  const month = nums(bal, 'month');
  const balance = nums(bal, 'balance');
  const first = new Int32Array(n).fill(-1);
  const last = new Int32Array(n).fill(-2);
  const out = { sum12, dec, prevDec, first, last };
  const group = new GroupSums();
  // Ledgers send balances grouped by loan: then each loan's run of rows is summed in a tight inner
  // loop and stored once per loan, not once per balance row (80 M rows at province size).
  const total = bal.length;
  let sorted = true;
  let prevRow = -1;
  for (let i = 0; i < total; ) {
    const row = r[i];
    if (row < 0) {
      i++;
      continue;
    }
    if (row <= prevRow) {
      sorted = false;
      break;
    }
    let j = i + 1;
    while (j < total && r[j] === row) j++;
    for (let k = i; k < j; k++) group.add(month[k] - m0, balance[k]);
    group.store(out, row, i, j);
    prevRow = row;
    i = j;
  }
  if (sorted) return out;
  // Not grouped: accumulate row by row.
  sum12.fill(0);
  dec.fill(0);
  prevDec.fill(0);
  for (let i = 0; i < bal.length; i++) {
    const ri = r[i];
    if (ri < 0) continue;
    const m = month[i] - m0;
    if (m >= 0 && m < 12) {
      sum12[ri] += balance[i];
      if (m === 11) dec[ri] = balance[i];
    } else if (m === -1) prevDec[ri] = balance[i];
  }
  return { sum12, dec, prevDec, first: null, last: null };
}

/**
 * The same pass as summarize's grouped one, over the runs a snapshot stores for the key and month
 * columns (read as runs, never made into arrays): a key run is a loan's (or guarantee's) rows, and
 * the month of each row comes from a cursor on the month runs. Null when the rows are not grouped
 * in ascending order (the caller then takes the row-by-row pass).
 */
function summarizeRuns(keys: StoredRuns, months: StoredRuns, balance: Float64Array, n: number, m0: number): BalanceSummary | null {
  const out = { sum12: new Float64Array(n), dec: new Float64Array(n), prevDec: new Float64Array(n), first: new Int32Array(n).fill(-1), last: new Int32Array(n).fill(-2) };
  const group = new GroupSums();
  const month = months.cursor();
  let i = 0;
  let prevRow = -1;
  for (let q = 0; q < keys.count; q++) {
    const row = keys.starts[q];
    const j = i + keys.lengths[q];
    if (row < 0) {
      for (; i < j; i++) month.next();
      continue;
    }
    if (row <= prevRow) return null;
    for (let k = i; k < j; k++, month.next()) group.add(month.value - m0, balance[k]);
    group.store(out, row, i, j);
    prevRow = row;
    i = j;
  }
  return out;
}

/** One loan's (or guarantee's) balance rows summed as a BalanceSummary reports them, row by row. */
class GroupSums {
  private sum = 0;
  private dec = 0;
  private prevDec = 0;
  /** A row of month `m` (0 = January of the year) with balance `b`. */
  add(m: number, b: number): void {
    if (m >= 0 && m < 12) {
      this.sum += b;
      if (m === 11) this.dec = b;
    } else if (m === -1) this.prevDec = b;
  }
  /** The sums as row `row`'s, whose balance rows are i..j-1; then empty again for the next. */
  store(s: BalanceSummary & { first: Int32Array; last: Int32Array }, row: number, i: number, j: number): void {
    s.sum12[row] = this.sum;
    s.dec[row] = this.dec;
    s.prevDec[row] = this.prevDec;
    s.first[row] = i;
    s.last[row] = j - 1;
    this.sum = this.dec = this.prevDec = 0;
  }
}

/**
 * Sum of the month-end balances in rows first..last of a balance table (one loan's or guarantee's,
 * from BalanceSummary) whose month is from month `from` (0 = January of `year`) to December. Reads
 * the month runs where the snapshot stored them, so the month column is not made for it.
 */
export function balanceSumOfRows(bundle: Bundle, table: BalanceTable, year: number, first: number, last: number, from: number): number {
  const { bal } = balanceSource(bundle, table);
  if (!bal || first < 0 || last < first) return 0;
  const balance = nums(bal, 'balance');
  const m0 = year * 12;
  const runs = storedRuns(bal.columns.month, 'values');
  let sum = 0;
  if (runs && !runs.expanded) {
    const month = runs.cursor(first);
    for (let k = first; k <= last; k++, month.next()) {
      const m = month.value - m0;
      if (m >= from && m < 12) sum += balance[k];
    }
    return sum;
  }
  const month = nums(bal, 'month');
  for (let k = first; k <= last; k++) {
    const m = month[k] - m0;
    if (m >= from && m < 12) sum += balance[k];
  }
  return sum;
}

/** Balance of every row at the end of month `monthIndex` (year*12 + month-1), 0 where no balance row. */
export function balancesAt(bundle: Bundle, table: BalanceTable, monthIndex: number): Float64Array {
  const { n, bal, ref } = balanceSource(bundle, table);
  const out = new Float64Array(n);
  if (!bal || n === 0) return out;
  const r = refOf(bal, ref);
  const month = nums(bal, 'month');
  const balance = nums(bal, 'balance');
  for (let i = 0; i < bal.length; i++) if (month[i] === monthIndex && r[i] >= 0) out[r[i]] = balance[i];
  return out;
}

/** Sum of the 12 month-end balances of `year` per row (integer fen); 月均余额 = sum / 12 (see monthlyAverage). */
export function yearBalanceSums(bundle: Bundle, table: BalanceTable, year: number): Float64Array {
  return balanceSummary(bundle, table, year).sum12;
}

/** 月均余额 in fen, exact: the year's balance sum / 12. */
export function monthlyAverage(sumFen: number): Q {
  return Q.of(sumFen, 12);
}

/** [first day of year, first day of next year) in days since epoch. */
function yearDays(year: number): [number, number] {
  return [daysOf(year, 1, 1), daysOf(year + 1, 1, 1)];
}

export interface GuaranteeEventSums {
  released: Float64Array;
  compensated: Float64Array;
  recovered: Float64Array;
}

/** Per guarantee: amounts released (解保), compensated (代偿) and recovered (代偿回收) by events dated in `year`, fen. */
export function guaranteeEventSums(bundle: Bundle, year: number): GuaranteeEventSums {
  const n = bundle.tables.guarantees?.length ?? 0;
  const out = { released: new Float64Array(n), compensated: new Float64Array(n), recovered: new Float64Array(n) };
  const ev = bundle.tables.guarantee_events;
  if (!ev || n === 0) return out;
  const r = refOf(ev, 'guarantee_id');
  const date = nums(ev, 'date');
  const amount = nums(ev, 'amount');
  const type = codes(ev, 'type');
  const rel = codeOf(type, 'release');
  const comp = codeOf(type, 'compensation');
  const rec = codeOf(type, 'recovery');
  const [d0, d1] = yearDays(year);
  for (let i = 0; i < ev.length; i++) {
    const g = r[i];
    if (g < 0 || !(date[i] >= d0 && date[i] < d1)) continue;
    const t = type.codes[i];
    if (t === rel) out.released[g] += amount[i];
    else if (t === comp) out.compensated[g] += amount[i];
    else if (t === rec) out.recovered[g] += amount[i];
  }
  return out;
}

/** Per loan: principal losses (本金实际损失) dated in `year`, fen. */
export function loanLossSums(bundle: Bundle, year: number): Float64Array {
  const n = bundle.tables.loans?.length ?? 0;
  const out = new Float64Array(n);
  const ll = bundle.tables.loan_losses;
  if (!ll || n === 0) return out;
  const r = refOf(ll, 'loan_id');
  const date = nums(ll, 'date');
  const loss = nums(ll, 'principal_loss');
  const [d0, d1] = yearDays(year);
  for (let i = 0; i < ll.length; i++) if (r[i] >= 0 && date[i] >= d0 && date[i] < d1) out[r[i]] += loss[i];
  return out;
}

const SMALL_MICRO_AGRI_KINDS = ['individual_business', 'farmer', 'new_agri_entity', 'business_owner'];

/** Per enterprise row: 1 if the party is 小微企业和三农 (contract §4): an individual business, farmer, new agricultural entity or small/micro-business owner, or an enterprise (or a party of unknown kind) of size small or micro. */
export function smallMicroAgriParty(bundle: Bundle): Uint8Array {
  const e = bundle.tables.enterprises;
  const out = new Uint8Array(e?.length ?? 0);
  if (!e) return out;
  const kind = codes(e, 'kind');
  const size = codes(e, 'size');
  const agriKinds = new Set(SMALL_MICRO_AGRI_KINDS.map((k) => codeOf(kind, k)));
  const enterprise = codeOf(kind, 'enterprise');
  const small = codeOf(size, 'small');
  const micro = codeOf(size, 'micro');
  for (let i = 0; i < e.length; i++) {
    const k = kind.codes[i];
    const s = size.codes[i];
    if (agriKinds.has(k) || ((k === enterprise || k < 0) && (s === small || s === micro))) out[i] = 1;
  }
  return out;
}

/** Per guarantee: 1 if it is 小微企业和三农 business (contract §4): kind `loan`, purpose `business`, borrower as in smallMicroAgriParty. */
export function smallMicroAgriGuarantee(bundle: Bundle): Uint8Array {
  const g = bundle.tables.guarantees;
  const out = new Uint8Array(g?.length ?? 0);
  if (!g) return out;
  const party = smallMicroAgriParty(bundle);
  const borrower = refOf(g, 'borrower_id');
  const kind = codes(g, 'kind');
  const purpose = codes(g, 'purpose');
  const loan = codeOf(kind, 'loan');
  const business = codeOf(purpose, 'business');
  for (let i = 0; i < g.length; i++) {
    if (kind.codes[i] === loan && purpose.codes[i] === business && borrower[i] >= 0 && party[borrower[i]]) out[i] = 1;
  }
  return out;
}

export interface GuarantorIndicators {
  /** Row index in institutions. */
  institution: number;
  id: string;
  kind: 'guarantor' | 'reguarantor';
  /** New guarantees (start_date in the year) of counted business: amount (fen), count, distinct clients. */
  newAmount: number;
  newCount: number;
  newClients: number;
  /** Of which 小微企业和三农 (smallMicroAgriGuarantee). */
  smallMicroAgriAmount: number;
  smallMicroAgriClients: number;
  /** 支小支农占比 by amount and by client count; null when there is no new business. */
  smallMicroAgriShare: Q | null;
  smallMicroAgriClientShare: Q | null;
  /** New amount of clients whose new guarantees with this institution total ≤ 10,000,000 元 (及以下), and its share (单户1000万元及以下占比). */
  upTo10mAmount: number;
  upTo10mShare: Q | null;
  /** Amount-weighted mean annual fee rate (a fraction) of new guarantees that state a fee rate; null if none does. */
  averageFeeRate: Q | null;
  /** Events dated in the year on counted business, fen. */
  released: number;
  compensated: number;
  recovered: number;
  /** 代偿率 = compensated / released (null if nothing released); 代偿回收率 = recovered / compensated (null if nothing compensated). */
  compensationRate: Q | null;
  recoveryRate: Q | null;
  /** In-force balance of counted business at the end of the year and of the previous year, and end − previous (may be negative). */
  balanceEnd: number;
  balancePrevEnd: number;
  balanceIncrement: number;
  /** Reguarantee business (guarantees naming this institution as reguarantor_id): new amount and year-end balance. */
  reguaranteeNewAmount: number;
  reguaranteeBalanceEnd: number;
  /** 融资担保责任余额 at year end (fen, exact; 75% weights make it fractional). */
  liabilityBalance: Q;
  /** 放大倍数 = liability / (net_assets − guarantee_equity_investment); null without an institution_years row or a positive denominator. */
  leverage: Q | null;
  /** 拨备覆盖率 = reserves / compensation_receivable. */
  provisionCoverage: Q | null;
  /** 国有资本保值增值率 = (state_capital_end − objective_factors) / state_capital_begin. */
  stateCapitalRatio: Q | null;
  /** Whether institution_years has a row for this institution and year. */
  hasYearRow: boolean;
}

export interface GuarantorIndicatorOptions {
  /** Count 消费类 guarantees too (default: only 经营类 business counts). */
  includeConsumer?: boolean;
}

const TEN_MILLION_FEN = 1_000_000_000; // 1000万元
const FIVE_MILLION_FEN = 500_000_000; // 500万元
const TWO_MILLION_FEN = 200_000_000; // 200万元

function ratio(num: number, den: number): Q | null {
  return den === 0 ? null : Q.of(num, den);
}

/**
 * The standard indicators (domain-brief §3) of every institution of kind guarantor or reguarantor,
 * in institutions order, for `year`.
 *
 * Counted business: guarantees of this institution (guarantor_id) of a financing kind (`loan`,
 * `bond`, `other_financing`; `non_financing` is never counted) whose purpose is not `consumer`
 * (unless includeConsumer). 融资担保责任余额 follows 银保监发〔2018〕1号 on all financing
 * guarantees whatever their purpose (it is a regulatory stock, not a policy flow): see liability().
 */
export function guarantorIndicators(bundle: Bundle, year: number, opts: GuarantorIndicatorOptions = {}): GuarantorIndicators[] {
  // A bundle is immutable once accepted, so the indicators of a year are computed once per bundle
  // (the rules engine's 放大倍数 and an evaluation may both ask for them).
  const key = `${year}:${opts.includeConsumer === true}`;
  let byKey = INDICATOR_CACHE.get(bundle);
  if (!byKey) {
    byKey = new Map();
    INDICATOR_CACHE.set(bundle, byKey);
  }
  const hit = byKey.get(key);
  if (hit) return hit;
  const computed = computeGuarantorIndicators(bundle, year, opts);
  byKey.set(key, computed);
  return computed;
}

const INDICATOR_CACHE = new WeakMap<Bundle, Map<string, GuarantorIndicators[]>>();

function computeGuarantorIndicators(bundle: Bundle, year: number, opts: GuarantorIndicatorOptions): GuarantorIndicators[] {
  const inst = bundle.tables.institutions;
  if (!inst) return [];
  const instKind = codes(inst, 'kind');
  const ids = codes(inst, 'id');
  const gKind = codeOf(instKind, 'guarantor');
  const rKind = codeOf(instKind, 'reguarantor');
  const slot = new Int32Array(inst.length).fill(-1);
  const out: GuarantorIndicators[] = [];
  for (let i = 0; i < inst.length; i++) {
    const k = instKind.codes[i];
    if (k !== gKind && k !== rKind) continue;
    slot[i] = out.length;
    out.push(emptyIndicators(i, ids.dict[ids.codes[i]], k === gKind ? 'guarantor' : 'reguarantor'));
  }
  if (out.length === 0) return out;

  const g = bundle.tables.guarantees;
  if (g) guaranteeFlows(bundle, g, year, opts, slot, out);
  yearRows(bundle, year, slot, out);
  return out;
}

function emptyIndicators(institution: number, id: string, kind: 'guarantor' | 'reguarantor'): GuarantorIndicators {
  return {
    institution,
    id,
    kind,
    newAmount: 0,
    newCount: 0,
    newClients: 0,
    smallMicroAgriAmount: 0,
    smallMicroAgriClients: 0,
    smallMicroAgriShare: null,
    smallMicroAgriClientShare: null,
    upTo10mAmount: 0,
    upTo10mShare: null,
    averageFeeRate: null,
    released: 0,
    compensated: 0,
    recovered: 0,
    compensationRate: null,
    recoveryRate: null,
    balanceEnd: 0,
    balancePrevEnd: 0,
    balanceIncrement: 0,
    reguaranteeNewAmount: 0,
    reguaranteeBalanceEnd: 0,
    liabilityBalance: Q.ZERO,
    leverage: null,
    provisionCoverage: null,
    stateCapitalRatio: null,
    hasYearRow: false,
  };
}

function guaranteeFlows(bundle: Bundle, g: Table, year: number, opts: GuarantorIndicatorOptions, slot: Int32Array, out: GuarantorIndicators[]): void {
  const guarantor = refOf(g, 'guarantor_id');
  const reguarantor = refOf(g, 'reguarantor_id');
  const borrower = refOf(g, 'borrower_id');
  const kind = codes(g, 'kind');
  const purpose = codes(g, 'purpose');
  const amount = nums(g, 'amount');
  const fee = nums(g, 'fee_rate_pct');
  const start = nums(g, 'start_date');
  const nonFinancing = codeOf(kind, 'non_financing');
  const consumer = opts.includeConsumer ? -3 : codeOf(purpose, 'consumer');
  const smallAgri = smallMicroAgriGuarantee(bundle);
  const ev = guaranteeEventSums(bundle, year);
  // Year-end and previous year-end balances: the Decembers of the one pass over the balance rows.
  const { dec: end, prevDec: prev } = balanceSummary(bundle, 'guarantees', year);
  const [d0, d1] = yearDays(year);
  const m = out.length;

  // Per (institution, client): new amount in the year, and whether any of it is 小微三农.
  const gslot = new Int32Array(g.length).fill(-1);
  const clientRows = new Uint8Array(g.length);
  const nEnt = bundle.tables.enterprises?.length ?? 0;
  // Σ amount × fee rate per institution: exact in float64 halves while each product is a safe
  // integer (then no bigint per guarantee), in bigint otherwise.
  const feeHi = new Float64Array(m);
  const feeLo = new Float64Array(m);
  const feeBig = new Array<bigint>(m).fill(0n);
  const feeDen = new Float64Array(m);

  for (let i = 0; i < g.length; i++) {
    const inst = guarantor[i];
    const s = inst >= 0 ? slot[inst] : -1;
    const counted = kind.codes[i] !== nonFinancing && purpose.codes[i] !== consumer;
    const isNew = start[i] >= d0 && start[i] < d1;
    if (s >= 0 && counted) {
      const o = out[s];
      o.released += ev.released[i];
      o.compensated += ev.compensated[i];
      o.recovered += ev.recovered[i];
      o.balanceEnd += end[i];
      o.balancePrevEnd += prev[i];
      if (isNew) {
        o.newAmount += amount[i];
        o.newCount++;
        if (smallAgri[i]) o.smallMicroAgriAmount += amount[i];
        if (borrower[i] >= 0) {
          gslot[i] = s;
          clientRows[i] = 1;
        }
        if (!Number.isNaN(fee[i])) {
          const x = amount[i] * fee[i];
          if (Number.isSafeInteger(x)) {
            const h = Math.floor(x / SPLIT);
            feeHi[s] += h;
            feeLo[s] += x - h * SPLIT;
          } else feeBig[s] += BigInt(amount[i]) * BigInt(fee[i]);
          feeDen[s] += amount[i];
        }
      }
    }
    const ri = reguarantor[i];
    const rs = ri >= 0 ? slot[ri] : -1;
    if (rs >= 0 && counted) {
      if (isNew) out[rs].reguaranteeNewAmount += amount[i];
      out[rs].reguaranteeBalanceEnd += end[i];
    }
  }
  forEachClient(gslot, clientRows, m, borrower, nEnt, amount, smallAgri, (s, total, small) => {
    const o = out[s];
    o.newClients++;
    if (small) o.smallMicroAgriClients++;
    if (total <= TEN_MILLION_FEN) o.upTo10mAmount += total;
  });
  const liab = liability(bundle, g, end, slot, m);
  for (let s = 0; s < m; s++) {
    const o = out[s];
    o.smallMicroAgriShare = ratio(o.smallMicroAgriAmount, o.newAmount);
    o.smallMicroAgriClientShare = ratio(o.smallMicroAgriClients, o.newClients);
    o.upTo10mShare = ratio(o.upTo10mAmount, o.newAmount);
    const feeNum = BigInt(feeHi[s]) * BigInt(SPLIT) + BigInt(feeLo[s]) + feeBig[s];
    o.averageFeeRate = feeDen[s] === 0 ? null : new Q(feeNum, BigInt(feeDen[s]) * BigInt(RATE_SCALE));
    o.compensationRate = ratio(o.compensated, o.released);
    o.recoveryRate = ratio(o.recovered, o.compensated);
    o.balanceIncrement = o.balanceEnd - o.balancePrevEnd;
    o.liabilityBalance = liab[s];
  }
}

/**
 * 融资担保责任余额 at year end per institution (计量办法, 银保监发〔2018〕1号):
 * - `loan` guarantees weigh 75% when the borrower is a farmer whose year-end in-force balance of
 *   loan guarantees with this guarantor is ≤ 2,000,000 元, or a small/micro party (size `small` or
 *   `micro`, any kind but farmer) with such a balance ≤ 5,000,000 元 (以下 includes the bound);
 *   100% otherwise (a party of unknown size weighs 100%);
 * - `bond` 100%: the 80% weight for issuers rated AA or better needs ratings, which contract v1
 *   does not carry;
 * - `other_financing` 100%; `non_financing` is not a financing guarantee and is left out.
 */
function liability(bundle: Bundle, g: Table, end: Float64Array, slot: Int32Array, m: number): Q[] {
  const guarantor = refOf(g, 'guarantor_id');
  const borrower = refOf(g, 'borrower_id');
  const kind = codes(g, 'kind');
  const loan = codeOf(kind, 'loan');
  const nonFinancing = codeOf(kind, 'non_financing');
  const e = bundle.tables.enterprises;
  const nEnt = e?.length ?? 0;
  const eKind = e ? codes(e, 'kind') : undefined;
  const eSize = e ? codes(e, 'size') : undefined;
  const farmer = eKind ? codeOf(eKind, 'farmer') : -2;
  const small = eSize ? codeOf(eSize, 'small') : -2;
  const micro = eSize ? codeOf(eSize, 'micro') : -2;

  // Each guarantee's client balance with its guarantor (loan guarantees in force at year end).
  const gslot = new Int32Array(g.length).fill(-1);
  const inForceLoan = new Uint8Array(g.length);
  for (let i = 0; i < g.length; i++) {
    gslot[i] = guarantor[i] >= 0 ? slot[guarantor[i]] : -1;
    if (gslot[i] >= 0 && kind.codes[i] === loan && end[i] !== 0 && borrower[i] >= 0) inForceLoan[i] = 1;
  }
  const clientBalance = perClientOfRow(gslot, inForceLoan, m, borrower, nEnt, end);
  const full = new Float64Array(m);
  const reduced = new Float64Array(m);
  for (let i = 0; i < g.length; i++) {
    const s = gslot[i];
    if (s < 0 || end[i] === 0 || kind.codes[i] === nonFinancing || kind.codes[i] < 0) continue;
    let weighted75 = false;
    const b = borrower[i];
    if (kind.codes[i] === loan && b >= 0 && eKind && eSize) {
      const client = inForceLoan[i] ? clientBalance[i] : 0;
      if (eKind.codes[b] === farmer) weighted75 = client <= TWO_MILLION_FEN;
      else if (eSize.codes[b] === small || eSize.codes[b] === micro) weighted75 = client <= FIVE_MILLION_FEN;
    }
    if (weighted75) reduced[s] += end[i];
    else full[s] += end[i];
  }
  const out: Q[] = [];
  for (let s = 0; s < m; s++) out.push(Q.of(full[s]).add(Q.of(reduced[s] * 3, 4)));
  return out;
}

const SPLIT = 2 ** 26;

/**
 * Guarantee rows (those with `use[i]`) bucketed by institution slot, by counting sort: rows of
 * slot s are order[start[s] .. start[s+1]). Sums per (institution, client) then need no hash map of
 * millions of keys: one client-sized array is reused slot after slot.
 */
function bySlot(gslot: Int32Array, use: Uint8Array, m: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(m + 1);
  for (let i = 0; i < gslot.length; i++) if (use[i] && gslot[i] >= 0) start[gslot[i] + 1]++;
  for (let s = 0; s < m; s++) start[s + 1] += start[s];
  const fill = start.slice(0, m);
  const order = new Int32Array(start[m]);
  for (let i = 0; i < gslot.length; i++) if (use[i] && gslot[i] >= 0) order[fill[gslot[i]]++] = i;
  return { start, order };
}

/** Per (institution, client) of the used rows: Σ value and whether any row is flagged, visited once each. */
function forEachClient(gslot: Int32Array, use: Uint8Array, m: number, borrower: Int32Array, nEnt: number, value: Float64Array, flag: Uint8Array, visit: (s: number, total: number, flagged: boolean) => void): void {
  const { start, order } = bySlot(gslot, use, m);
  const acc = new Float64Array(nEnt);
  const seen = new Uint8Array(nEnt);
  const flagged = new Uint8Array(nEnt);
  const touched = new Int32Array(nEnt);
  for (let s = 0; s < m; s++) {
    let nt = 0;
    for (let k = start[s]; k < start[s + 1]; k++) {
      const i = order[k];
      const b = borrower[i];
      if (!seen[b]) {
        seen[b] = 1;
        touched[nt++] = b;
      }
      acc[b] += value[i];
      if (flag[i]) flagged[b] = 1;
    }
    for (let t = 0; t < nt; t++) {
      const b = touched[t];
      visit(s, acc[b], flagged[b] === 1);
      acc[b] = 0;
      seen[b] = 0;
      flagged[b] = 0;
    }
  }
}

/** For each used row, Σ value over the used rows of the same (institution, client). */
function perClientOfRow(gslot: Int32Array, use: Uint8Array, m: number, borrower: Int32Array, nEnt: number, value: Float64Array): Float64Array {
  const { start, order } = bySlot(gslot, use, m);
  const acc = new Float64Array(nEnt);
  const out = new Float64Array(gslot.length);
  for (let s = 0; s < m; s++) {
    for (let k = start[s]; k < start[s + 1]; k++) acc[borrower[order[k]]] += value[order[k]];
    for (let k = start[s]; k < start[s + 1]; k++) out[order[k]] = acc[borrower[order[k]]];
    for (let k = start[s]; k < start[s + 1]; k++) acc[borrower[order[k]]] = 0;
  }
  return out;
}

/** Leverage, provision coverage and state-capital ratio from institution_years. */
function yearRows(bundle: Bundle, year: number, slot: Int32Array, out: GuarantorIndicators[]): void {
  const iy = bundle.tables.institution_years;
  if (!iy) return;
  const inst = refOf(iy, 'institution_id');
  const y = nums(iy, 'year');
  const net = nums(iy, 'net_assets');
  const equity = nums(iy, 'guarantee_equity_investment');
  const reserves = nums(iy, 'reserves');
  const receivable = nums(iy, 'compensation_receivable');
  const begin = nums(iy, 'state_capital_begin');
  const endCap = nums(iy, 'state_capital_end');
  const objective = nums(iy, 'objective_factors');
  const z = (v: number) => (Number.isNaN(v) ? 0 : v);
  for (let i = 0; i < iy.length; i++) {
    if (y[i] !== year || inst[i] < 0) continue;
    const s = slot[inst[i]];
    if (s < 0) continue;
    const o = out[s];
    o.hasYearRow = true;
    // An empty 对其他融资担保机构股权投资 means none; an empty net assets leaves leverage undefined.
    if (!Number.isNaN(net[i])) {
      const den = net[i] - z(equity[i]);
      o.leverage = den > 0 ? o.liabilityBalance.div(Q.of(den)) : null;
    }
    if (!Number.isNaN(reserves[i]) && !Number.isNaN(receivable[i])) o.provisionCoverage = ratio(reserves[i], receivable[i]);
    if (!Number.isNaN(begin[i]) && !Number.isNaN(endCap[i])) o.stateCapitalRatio = ratio(endCap[i] - z(objective[i]), begin[i]);
  }
}
