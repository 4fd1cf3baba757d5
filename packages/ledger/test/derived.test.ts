import { describe, expect, it } from 'vitest';
import { Q } from '@caijin/core';
import {
  loadBundle,
  yearBalances,
  balancesAt,
  yearBalanceSums,
  monthlyAverage,
  guaranteeEventSums,
  loanLossSums,
  smallMicroAgriGuarantee,
  guarantorIndicators,
  type Bundle,
} from '../src/index.ts';
import { baseBundle, writeCsvBundle, setCell, GUAR, REG, type BundleRows } from './fixtures.ts';

async function load(b: BundleRows = baseBundle()): Promise<Bundle> {
  return loadBundle(await writeCsvBundle(b));
}

const q = (n: number | bigint, d: number | bigint = 1) => Q.of(n, d);

describe('balances', () => {
  it('month-end balances of a year, 0 where no row', async () => {
    const b = await load();
    const y = yearBalances(b, 'loans', 2022);
    expect(y.length).toBe(3 * 12);
    expect(Array.from(y.subarray(0, 12))).toEqual([100_000_000, 90_000_000, 80_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 10_000_000]);
    expect(Array.from(y.subarray(12, 24))).toEqual([0, 0, 0, 0, 0, 15_000_000, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(balancesAt(b, 'loans', 2021 * 12 + 11))).toEqual([0, 20_000_000, 0]);
    const sums = yearBalanceSums(b, 'loans', 2022);
    expect(Array.from(sums)).toEqual([280_000_000, 15_000_000, 50_000_050]);
    expect(monthlyAverage(sums[0]).eq(q(70_000_000, 3))).toBe(true); // 2,800,000 元 / 12
    expect(Array.from(balancesAt(b, 'guarantees', 2022 * 12 + 11))).toEqual([
      300_000_000, 300_000_000, 200_000_000, 1_200_000_000, 200_000_001, 50_000_000, 1_000_000_000, 100_000_000, 0,
    ]);
  });

  it('events and losses dated in the year', async () => {
    const b = await load();
    const ev = guaranteeEventSums(b, 2022);
    expect(Array.from(ev.released)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 80_000_000]);
    expect(Array.from(ev.compensated)).toEqual([0, 0, 0, 0, 0, 10_000_000, 0, 0, 20_000_000]);
    expect(Array.from(ev.recovered)).toEqual([5_000_000, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(guaranteeEventSums(b, 2021).released)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 10_000_000]);
    expect(Array.from(loanLossSums(b, 2022))).toEqual([0, 3_000_000, 0]);
    expect(Array.from(loanLossSums(b, 2021))).toEqual([0, 100_000, 0]);
  });

  it('小微企业和三农 guarantees (contract §4)', async () => {
    const b = await load();
    // GA1 small enterprise, GA2/GA3 micro, GA4 medium, GA5 farmer, GA6 consumer, GA7 bond, GA8 non-financing, GA9 individual business
    expect(Array.from(smallMicroAgriGuarantee(b))).toEqual([1, 1, 1, 0, 1, 0, 0, 0, 1]);
  });
});

describe('guarantorIndicators', () => {
  it('hand-computed example (2022)', async () => {
    const b = await load();
    const all = guarantorIndicators(b, 2022);
    expect(all.map((g) => [g.id, g.kind])).toEqual([
      [GUAR, 'guarantor'],
      [REG, 'reguarantor'],
    ]);
    const g = all[0];
    // New in 2022, counted: GA1 3M, GA2 3M, GA4 12M, GA5 2.5M, GA7 10M (GA6 consumer, GA8 non-financing out)
    expect(g.newAmount).toBe(3_050_000_000);
    expect(g.newCount).toBe(5);
    expect(g.newClients).toBe(4); // E1, E4, E2 (GA4 + GA7), F1
    // 支小支农: GA1 + GA2 + GA5 = 8.5M of 30.5M; clients E1, E4, F1 of 4
    expect(g.smallMicroAgriAmount).toBe(850_000_000);
    expect(g.smallMicroAgriShare!.eq(q(17, 61))).toBe(true);
    expect(g.smallMicroAgriClientShare!.eq(q(3, 4))).toBe(true);
    // 单户1000万元及以下: E1 3M, E4 3M, F1 2.5M; E2 has 22M
    expect(g.upTo10mAmount).toBe(850_000_000);
    expect(g.upTo10mShare!.eq(q(17, 61))).toBe(true);
    // (3M×1% + 3M×0.8% + 12M×1.5% + 2.5M×0.5% + 10M×1.2%) / 30.5M = 366,500 / 30,500,000
    expect(g.averageFeeRate!.eq(q(366_500, 30_500_000))).toBe(true);
    expect([g.released, g.compensated, g.recovered]).toEqual([80_000_000, 20_000_000, 5_000_000]);
    expect(g.compensationRate!.eq(q(1, 4))).toBe(true);
    expect(g.recoveryRate!.eq(q(1, 4))).toBe(true);
    // in force, counted: 3M + 3M + 2M + 12M + 2,000,000.01 + 10M; previous year end GA3 2M + GA9 1M
    expect(g.balanceEnd).toBe(3_200_000_001);
    expect(g.balancePrevEnd).toBe(300_000_000);
    expect(g.balanceIncrement).toBe(2_900_000_001);
    // 责任余额: 75% on GA1 (E1 small, 3M) and GA2+GA3 (E4 micro, exactly 5,000,000 元: 以下 includes);
    // 100% on GA4 (medium), GA5 (farmer, 2,000,000.01 > 2M), GA6 (owner, no size), GA7 (bond); GA8 out.
    // = 24,500,000.01 + 0.75 × 8,000,000 = 30,500,000.01 元
    expect(g.liabilityBalance.eq(q(3_050_000_001))).toBe(true);
    // / (300M − 50M) 元
    expect(g.leverage!.eq(q(3_050_000_001, 25_000_000_000))).toBe(true);
    expect(g.provisionCoverage!.eq(q(2))).toBe(true);
    expect(g.stateCapitalRatio!.eq(q(26, 25))).toBe(true); // (270M − 10M) / 250M
    expect(g.hasYearRow).toBe(true);

    const r = all[1];
    expect(r.reguaranteeNewAmount).toBe(300_000_000); // GA2
    expect(r.reguaranteeBalanceEnd).toBe(300_000_000);
    expect(r.newAmount).toBe(0);
    expect(r.compensationRate).toBeNull();
    expect(r.leverage).toBeNull();
    expect(r.hasYearRow).toBe(false);
  });

  it('75% weight boundary: 5,000,000.00 per client is 75%, one fen more is 100%', async () => {
    const b = baseBundle();
    setCell(b, 'guarantee_balances', 3, 'balance', '2000000.01'); // GA3: E4 now 5,000,000.01
    const g = guarantorIndicators(await load(b), 2022)[0];
    // reduced part: GA1 3M only; full: 24,500,000.01 + 5,000,000.01
    expect(g.liabilityBalance.eq(q(2_950_000_002).add(q(300_000_000 * 3, 4)))).toBe(true);
    expect(g.liabilityBalance.eq(q(3_175_000_002))).toBe(true);
  });

  it('farmer boundary: 2,000,000.00 is 75%', async () => {
    const b = baseBundle();
    setCell(b, 'guarantee_balances', 5, 'balance', '2000000');
    const g = guarantorIndicators(await load(b), 2022)[0];
    // 24,500,000.01 − 2,000,000.01 full; 8,000,000 + 2,000,000 at 75%
    expect(g.liabilityBalance.eq(q(2_250_000_000 + 750_000_000))).toBe(true);
  });

  it('includeConsumer counts 消费类 business', async () => {
    const b = await load();
    const g = guarantorIndicators(b, 2022, { includeConsumer: true })[0];
    expect(g.newAmount).toBe(3_100_000_000);
    expect(g.compensated).toBe(30_000_000);
    expect(g.compensationRate!.eq(q(3, 8))).toBe(true);
    expect(g.smallMicroAgriShare!.eq(q(850, 3100))).toBe(true); // owner's consumer guarantee is not 支小支农
    expect(g.liabilityBalance.eq(q(3_050_000_001))).toBe(true); // the liability never depended on purpose
  });

  it('leverage undefined without a positive denominator', async () => {
    const b = baseBundle();
    setCell(b, 'institution_years', 0, '对其他融资担保机构股权投资(元)', '300000000');
    const g = guarantorIndicators(await load(b), 2022)[0];
    expect(g.leverage).toBeNull();
    expect(guarantorIndicators(await load(), 2023)[0].leverage).toBeNull();
  });
});
