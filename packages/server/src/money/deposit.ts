// 温州 第一条 竞争性存放: banks are scored on the inclusive-finance indicator (普惠金融发展支持力度)
// and a deposit amount is split in proportion to the scores, exactly to the fen (largest
// remainder). The four parts of the indicator and their weights are data the bureau edits; the
// document names the parts but gives no weights, so the defaults below are the platform's and say so.
import { randomUUID } from 'node:crypto';
import { daysOf, Q } from '@caijin/core';
import { balanceSummary, RATE_SCALE, type Bundle } from '@caijin/ledger';
import { splitProportionally } from '@caijin/rules';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import { can } from '../auth/roles.ts';
import { approvedBundle } from '../compute/approved.ts';
import { hasTag, nums, refs, strs } from '../compute/columns.ts';
import type { Database, Sql } from '../db/types.ts';
import { forbidden, invalid, notFound } from '../http/errors.ts';
import { fenOf, yuan } from './amounts.ts';

export const DEPOSIT_CITE = '温州方案 第一条：专设普惠金融发展支持力度指标，激励加大普惠型小微企业贷款、普惠型农户生产经营性贷款、小微企业信用贷款的投放力度和降低当年新发放普惠型小微企业贷款平均利率';

export const DEPOSIT_INDICATORS: Record<string, { zh: string; reading: string; defaultWeight: string }> = {
  inclusive_small_micro_growth: { zh: '普惠型小微企业贷款余额增长率', reading: '小微企业、个体工商户、小微企业主，单户授信（年末未结清及当年发放合同金额合计）1000万元及以下；年末余额较上年末', defaultWeight: '0.4' },
  farmer_production_growth: { zh: '普惠型农户生产经营性贷款余额增长率', reading: '借款人为农户，单户授信500万元及以下；年末余额较上年末', defaultWeight: '0.2' },
  small_micro_credit_growth: { zh: '小微企业信用贷款余额增长率', reading: '小微企业借款人、产品标签含“信用贷”；年末余额较上年末', defaultWeight: '0.2' },
  new_inclusive_rate_fall: { zh: '当年新发放普惠型小微企业贷款平均利率下降幅度', reading: '上年与当年新发放普惠型小微企业贷款按金额加权平均利率之差（百分点）', defaultWeight: '0.2' },
};

export async function depositWeights(db: Sql, programmeId: string): Promise<Record<string, string>> {
  const rows = await db.query<{ indicator: string; weight: string }>('SELECT indicator, weight::text AS weight FROM deposit_weights WHERE programme_id = $1', [programmeId]);
  const out: Record<string, string> = {};
  for (const [k, d] of Object.entries(DEPOSIT_INDICATORS)) out[k] = rows.find((r) => r.indicator === k)?.weight ?? d.defaultWeight;
  return out;
}

export async function setDepositWeights(db: Database, p: Principal, programmeId: string, weights: Record<string, string>) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const [g] = await db.query<{ owner_unit: string; ref: string }>('SELECT owner_unit, ref FROM programmes WHERE id = $1', [programmeId]);
  if (!g || !seesUnit(p, g.owner_unit)) throw notFound('项目');
  for (const [k, w] of Object.entries(weights)) {
    if (!(k in DEPOSIT_INDICATORS)) throw invalid('deposit.indicator', `未知指标 ${k}`);
    if (!/^\d+(\.\d+)?$/.test(w)) throw invalid('deposit.weight', `权重应为非负数：${w}`);
  }
  await db.transaction(async (tx) => {
    for (const [k, w] of Object.entries(weights)) {
      await tx.query(
        `INSERT INTO deposit_weights (programme_id, indicator, weight, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (programme_id, indicator) DO UPDATE SET weight = EXCLUDED.weight, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [programmeId, k, w, p.accountId],
      );
    }
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'deposit.weights', object: programmeId, detail: weights });
  });
  return depositWeights(db, programmeId);
}

interface BankFigures {
  bank: string;
  name: string;
  values: Record<string, Q | null>;
}

/** Each bank's four figures for `year` from the bundle. */
export function bankFigures(bundle: Bundle, year: number): BankFigures[] {
  const loans = bundle.tables.loans;
  const inst = bundle.tables.institutions!;
  const n = loans?.length ?? 0;
  const bankRef = refs(loans, 'bank_id');
  const borrower = refs(loans, 'borrower_id');
  const amount = nums(loans, 'amount');
  const start = nums(loans, 'start_date');
  const rate = nums(loans, 'rate_pct');
  const credit = hasTag(loans, 'products', 'credit');
  const ent = bundle.tables.enterprises;
  const kind = strs(ent, 'kind');
  const size = strs(ent, 'size');
  const s = loans ? balanceSummary(bundle, 'loans', year) : null;
  const from = daysOf(year, 1, 1);
  const to = daysOf(year, 12, 31);
  const pFrom = daysOf(year - 1, 1, 1);
  const pTo = daysOf(year - 1, 12, 31);
  // 单户授信: the borrower's contract amounts of loans in force at year end or issued in the year.
  const credit10m = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if ((s && s.dec[i] > 0) || (start[i] >= from && start[i] <= to)) credit10m.set(borrower[i], (credit10m.get(borrower[i]) ?? 0) + amount[i]);
  }
  const smallMicro = (b: number) => {
    const k = kind(b);
    return k === 'individual_business' || k === 'business_owner' || ((k === 'enterprise' || k === '') && (size(b) === 'small' || size(b) === 'micro'));
  };
  const inclusive = (i: number) => borrower[i] >= 0 && smallMicro(borrower[i]) && (credit10m.get(borrower[i]) ?? 0) <= 10_000_000_00;
  const farmer = (i: number) => borrower[i] >= 0 && kind(borrower[i]) === 'farmer' && (credit10m.get(borrower[i]) ?? 0) <= 5_000_000_00;
  const smallMicroCredit = (i: number) => borrower[i] >= 0 && smallMicro(borrower[i]) && credit(i);

  type Acc = { end: number; prev: number };
  interface BankAcc {
    inc: Acc;
    farm: Acc;
    cred: Acc;
    /** Σ amount × rate and Σ amount of new inclusive loans, this year and last. */
    rateNow: [bigint, bigint];
    ratePrev: [bigint, bigint];
  }
  const acc = new Map<number, BankAcc>();
  const get = (b: number): BankAcc => {
    let a = acc.get(b);
    if (!a) acc.set(b, (a = { inc: { end: 0, prev: 0 }, farm: { end: 0, prev: 0 }, cred: { end: 0, prev: 0 }, rateNow: [0n, 0n], ratePrev: [0n, 0n] }));
    return a;
  };
  for (let i = 0; i < n; i++) {
    const a = get(bankRef[i]);
    const end = s ? s.dec[i] : 0;
    const prev = s ? s.prevDec[i] : 0;
    if (inclusive(i)) {
      a.inc.end += end;
      a.inc.prev += prev;
      const w = BigInt(Math.round(amount[i]));
      if (!Number.isNaN(rate[i]) && start[i] >= from && start[i] <= to) {
        a.rateNow[0] += w * BigInt(Math.round(rate[i]));
        a.rateNow[1] += w;
      }
      if (!Number.isNaN(rate[i]) && start[i] >= pFrom && start[i] <= pTo) {
        a.ratePrev[0] += w * BigInt(Math.round(rate[i]));
        a.ratePrev[1] += w;
      }
    }
    if (farmer(i)) {
      a.farm.end += end;
      a.farm.prev += prev;
    }
    if (smallMicroCredit(i)) {
      a.cred.end += end;
      a.cred.prev += prev;
    }
  }
  const growth = (x: Acc) => (x.prev > 0 ? Q.of(Math.round(x.end - x.prev), Math.round(x.prev)) : null);
  const avg = (r: [bigint, bigint]) => (r[1] > 0n ? new Q(r[0], r[1] * BigInt(RATE_SCALE)) : null);
  const bankKind = strs(inst, 'kind');
  const out: BankFigures[] = [];
  for (let b = 0; b < inst.length; b++) {
    if (bankKind(b) !== 'bank') continue;
    const a = acc.get(b);
    const now = a ? avg(a.rateNow) : null;
    const before = a ? avg(a.ratePrev) : null;
    out.push({
      bank: strs(inst, 'id')(b),
      name: strs(inst, 'name')(b),
      values: {
        inclusive_small_micro_growth: a ? growth(a.inc) : null,
        farmer_production_growth: a ? growth(a.farm) : null,
        small_micro_credit_growth: a ? growth(a.cred) : null,
        new_inclusive_rate_fall: now && before ? before.sub(now) : null,
      },
    });
  }
  return out.sort((x, y) => (x.bank < y.bank ? -1 : 1));
}

/** Scores (each part divided by the best bank's, clamped to [0, 1], weighted) and the split of `total`. */
export function allocateDeposit(figures: BankFigures[], weights: Record<string, string>, total: bigint) {
  const keys = Object.keys(DEPOSIT_INDICATORS);
  const best = Object.fromEntries(keys.map((k) => [k, figures.reduce<Q | null>((m, f) => (f.values[k] && f.values[k]!.gt(Q.ZERO) && (!m || f.values[k]!.gt(m)) ? f.values[k] : m), null)]));
  const w = Object.fromEntries(keys.map((k) => [k, Q.parse(weights[k]) ?? Q.ZERO]));
  const rows = figures.map((f) => {
    const parts = keys.map((k) => {
      const v = f.values[k];
      const norm = v && best[k] && v.gt(Q.ZERO) ? Q.min(v.div(best[k]!)!, Q.ONE) : Q.ZERO;
      return { indicator: k, zh: DEPOSIT_INDICATORS[k].zh, value: v === null ? null : v.toDecimal(6), normalised: norm.toDecimal(6), weight: weights[k], points: norm.mul(w[k]) };
    });
    const score = parts.reduce((s, x) => s.add(x.points), Q.ZERO);
    return { bank: f.bank, name: f.name, score, parts };
  });
  // Integer weights in proportion to the exact scores: bring them to one denominator.
  const lcm = rows.reduce((l, r) => {
    const d = r.score.d;
    let a = l;
    let b = d;
    while (b) [a, b] = [b, a % b];
    return (l / a) * d;
  }, 1n);
  const intWeights = rows.map((r) => r.score.n * (lcm / r.score.d));
  const amounts = splitProportionally(total, intWeights, rows.map((r) => r.bank));
  return rows.map((r, i) => ({
    bank: r.bank,
    name: r.name,
    score: r.score.toDecimal(6),
    amount: yuan(amounts[i]),
    parts: r.parts.map(({ points, ...x }) => ({ ...x, points: points.toDecimal(6) })),
    cite: DEPOSIT_CITE,
  }));
}

export async function runDepositAllocation(db: Database, p: Principal, cycleId: string, totalText: string, workDir: string) {
  if (!can(p.role, 'money.manage')) throw forbidden();
  const [c] = await db.query<{ id: string; year: number; owner_unit: string; programme_id: string; ref: string }>(
    'SELECT c.id, c.year, p.owner_unit, p.id AS programme_id, p.ref FROM cycles c JOIN programmes p ON p.id = c.programme_id WHERE c.id = $1',
    [cycleId],
  );
  if (!c || !seesUnit(p, c.owner_unit)) throw notFound('工作周期');
  if (c.ref !== 'wenzhou-2022') throw invalid('deposit.programme', '竞争性存放适用于温州普惠金融政策（第一条）');
  const total = fenOf(totalText, 'total');
  const weights = await depositWeights(db, c.programme_id);
  const { bundle, snapshot } = await approvedBundle(db, c.owner_unit, cycleId, workDir);
  const banks = allocateDeposit(bankFigures(bundle, c.year), weights, total);
  const sum = banks.reduce((s, b) => s + fenOf(b.amount, 'amount'), 0n);
  const result = { year: c.year, total: yuan(total), sum: yuan(sum), weights, readings: DEPOSIT_INDICATORS, banks };
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO deposit_allocations (id, cycle_id, total_fen, weights, snapshot, result, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [id, cycleId, total.toString(), JSON.stringify(weights), snapshot, JSON.stringify(result), p.accountId]);
    await appendAudit(tx, { actor: p.accountId, role: p.role, action: 'deposit.allocate', object: id, detail: { cycle: cycleId, total: yuan(total), weights, snapshot } });
  });
  return { id, snapshot, ...result };
}
