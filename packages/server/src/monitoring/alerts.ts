// Monitoring from approved data: the documents' targets tracked from the ledgers, and alerts for
// regulatory limits and policy lines (融资担保公司监督管理条例; 国办发〔2019〕6号; 聊城意见).
import { Q, daysOf, formatYuan, maskPartyId } from '@caijin/core';
import { balanceSummary, guarantorIndicators, type Bundle } from '@caijin/ledger';
import { hasTag, nums, refs, strs } from '../compute/columns.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import type { Sql } from '../db/types.ts';
import { notFound } from '../http/errors.ts';
import { approvedBundle } from '../compute/approved.ts';
import { visibleProgramme } from '../cycles/cycles.ts';
import { balanceTrends, smallMicroBorrower } from './trend.ts';

export interface Alert {
  code: string;
  institution: string;
  zh: string;
  value: string;
  limit: string;
  cite: string;
}

export interface Target {
  code: string;
  zh: string;
  year: number;
  actual: string;
  target: string;
  met: boolean;
  cite: string;
}

const pct = (q: Q | null) => (q === null ? '—' : q.toPercent(2));

/** Alerts for each guarantor in the bundle, year `year`. */
export function guarantorAlerts(bundle: Bundle, year: number): Alert[] {
  const out: Alert[] = [];
  const g = bundle.tables.guarantees;
  const inst = bundle.tables.institutions!;
  const instName = strs(inst, 'name');
  const from = daysOf(year, 1, 1);
  const to = daysOf(year, 12, 31);
  const start = nums(g, 'start_date');
  const amount = nums(g, 'amount');
  const share = nums(g, 'bank_risk_share_pct');
  const guarantor = refs(g, 'guarantor_id');
  const borrower = refs(g, 'borrower_id');
  const platform = g?.columns.platform && 'values' in g.columns.platform ? (g.columns.platform.values as Int8Array) : new Int8Array(g?.length ?? 0);
  const dec = g ? balanceSummary(bundle, 'guarantees', year).dec : new Float64Array(0);
  const years = bundle.tables.institution_years;
  const netAssets = new Map<number, number>();
  if (years) {
    const yi = refs(years, 'institution_id');
    const yy = nums(years, 'year');
    const na = nums(years, 'net_assets');
    for (let i = 0; i < years.length; i++) if (yy[i] === year && !Number.isNaN(na[i])) netAssets.set(yi[i], na[i]);
  }
  const enterpriseId = strs(bundle.tables.enterprises, 'id');

  for (const x of guarantorIndicators(bundle, year)) {
    const who = `${x.id} ${instName(x.institution)}`;
    if (x.smallMicroAgriShare && x.smallMicroAgriShare.lt(Q.of(80, 100))) {
      out.push({ code: 'small_micro_agri_share', institution: who, zh: '支小支农担保金额占比低于80%', value: pct(x.smallMicroAgriShare), limit: '≥ 80%', cite: '国办发〔2019〕6号；聊城意见（一）' });
    }
    if (x.averageFeeRate && x.averageFeeRate.gt(Q.of(1, 100))) {
      out.push({ code: 'fee_rate', institution: who, zh: '平均担保费率超过1%', value: pct(x.averageFeeRate), limit: '≤ 1%', cite: '聊城意见（二）' });
    }
    // 主要为小微和三农服务 read as: more than half of new business is 支小支农.
    const mainlySmall = x.smallMicroAgriShare !== null && x.smallMicroAgriShare.gt(Q.of(1, 2));
    const cap = mainlySmall ? 15 : 10;
    if (x.leverage && x.leverage.gt(Q.int(cap))) {
      out.push({ code: 'leverage', institution: who, zh: `融资担保放大倍数超过${cap}倍`, value: x.leverage.toDecimal(2), limit: `≤ ${cap}`, cite: '融资担保公司监督管理条例 第十五条' });
    }
    // Bank risk share of the year's new guarantees with a bank, amount-weighted.
    let weighted = 0n;
    let base = 0n;
    let platformCount = 0;
    let platformAmount = 0;
    const clientBalance = new Map<number, number>();
    for (let i = 0; i < (g?.length ?? 0); i++) {
      if (guarantor[i] !== x.institution) continue;
      if (dec[i] > 0 && borrower[i] >= 0) clientBalance.set(borrower[i], (clientBalance.get(borrower[i]) ?? 0) + dec[i]);
      if (start[i] < from || start[i] > to) continue;
      if (platform[i] === 1) {
        platformCount++;
        platformAmount += amount[i];
      }
      if (!Number.isNaN(share[i])) {
        weighted += BigInt(Math.round(amount[i])) * BigInt(Math.round(share[i]));
        base += BigInt(Math.round(amount[i]));
      }
    }
    if (base > 0n) {
      const bankShare = new Q(weighted, base * 100_000_000n);
      if (bankShare.lt(Q.of(20, 100))) {
        out.push({ code: 'bank_risk_share', institution: who, zh: '银行承担风险责任比例低于20%', value: pct(bankShare), limit: '≥ 20%', cite: '聊城意见（五）' });
      }
    }
    if (platformCount > 0) {
      out.push({ code: 'platform', institution: who, zh: `为政府融资平台提供担保 ${platformCount} 笔`, value: `${formatYuan(platformAmount)} 元`, limit: '不得提供', cite: '国办发〔2019〕6号；聊城意见（一）' });
    }
    const na = netAssets.get(x.institution);
    if (na && na > 0) {
      for (const [client, bal] of clientBalance) {
        if (bal * 10 > na) {
          out.push({ code: 'single_client', institution: who, zh: `单一客户 ${maskPartyId(enterpriseId(client))} 在保余额超过净资产的10%`, value: Q.of(Math.round(bal), Math.round(na)).toPercent(2), limit: '≤ 10%', cite: '融资担保公司监督管理条例 第十六条' });
        }
      }
    }
  }
  return out;
}

function sumWhere(n: number, pick: (i: number) => boolean, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) if (pick(i) && !Number.isNaN(v[i])) s += v[i];
  return s;
}


/** The documents' targets, measured on the bundle for `year`. */
export function programmeTargets(ref: string, bundle: Bundle, year: number): Target[] {
  const loans = bundle.tables.loans;
  const n = loans?.length ?? 0;
  const from = daysOf(year, 1, 1);
  const to = daysOf(year, 12, 31);
  const start = nums(loans, 'start_date');
  const amount = nums(loans, 'amount');
  const out: Target[] = [];
  const yuan100m = (fen: number) => Q.of(Math.round(fen), 10_000_000_000); // 亿元
  // 亿元 shown to two decimals, half up (the comparison with the target uses the exact figure).
  const yi = (fen: number) => {
    const f = BigInt(Math.round(fen));
    const units = ((f < 0n ? -f : f) + 50_000_000n) / 100_000_000n; // 0.01 亿元 = 10^8 fen
    return `${f < 0n && units > 0n ? '-' : ''}${units / 100n}.${String(units % 100n).padStart(2, '0')}`;
  };
  const borrower = refs(loans, 'borrower_id');
  const isSmallMicro = smallMicroBorrower(bundle);
  const smallMicro = (i: number) => isSmallMicro(borrower[i]);
  if (ref === 'linhai-2021') {
    const inYear = (i: number) => start[i] >= from && start[i] <= to;
    const newLoans = sumWhere(n, inYear, amount);
    const firstLoan = hasTag(loans, 'products', 'first_loan');
    const firstClients = new Set<number>();
    for (let i = 0; i < n; i++) if (inYear(i) && firstLoan(i)) firstClients.add(borrower[i]);
    const s = loans ? balanceSummary(bundle, 'loans', year) : null;
    let inc = 0;
    for (let i = 0; i < n; i++) if (s && smallMicro(i)) inc += s.dec[i] - s.prevDec[i];
    const fin = refs(loans, 'fintech_project_id');
    const fintech = sumWhere(n, (i) => inYear(i) && fin[i] >= 0, amount);
    out.push(
      { code: 'new_loans', zh: '全年新增贷款（亿元）', year, actual: yi(newLoans), target: '180', met: !yuan100m(newLoans).lt(Q.int(180)), cite: '临海方案 二、总体目标（180亿元以上）' },
      { code: 'first_loan_clients', zh: '首贷户（户）', year, actual: String(firstClients.size), target: '800', met: firstClients.size >= 800, cite: '二、总体目标（力争800户以上）' },
      { code: 'small_micro_increase', zh: '小微企业贷款余额增加（亿元）', year, actual: yi(inc), target: '50', met: !yuan100m(inc).lt(Q.int(50)), cite: '二、总体目标（增加50亿元以上）' },
      { code: 'fintech_loans', zh: '“金融科技”项目贷款（亿元）', year, actual: yi(fintech), target: '20', met: !yuan100m(fintech).lt(Q.int(20)), cite: '二、总体目标（力争20亿元以上）' },
    );
  } else if (ref === 'wenzhou-2022') {
    const s = loans ? balanceSummary(bundle, 'loans', year) : null;
    let end = 0;
    let prev = 0;
    for (let i = 0; i < n; i++) if (s && smallMicro(i)) {
      end += s.dec[i];
      prev += s.prevDec[i];
    }
    const growth = prev > 0 ? Q.of(Math.round(end - prev), Math.round(prev)) : null;
    out.push(
      { code: 'inclusive_balance', zh: `${year}年末普惠型小微企业贷款余额（亿元）`, year, actual: yi(end), target: '5000', met: !yuan100m(end).lt(Q.int(5000)), cite: '温州方案 二、主要目标（2022年末达5000亿元）' },
      { code: 'inclusive_growth', zh: '普惠型小微企业贷款余额同比增长', year, actual: pct(growth), target: '20%', met: growth !== null && !growth.lt(Q.of(20, 100)), cite: '二、主要目标（同比增长20%）' },
    );
  } else if (ref === 'liaocheng-2023') {
    let all = 0;
    let smallAgri = 0;
    let feeW: Q = Q.ZERO;
    let feeBase = 0;
    for (const x of guarantorIndicators(bundle, year)) {
      all += x.newAmount;
      smallAgri += x.smallMicroAgriAmount;
      if (x.averageFeeRate) {
        feeW = feeW.add(x.averageFeeRate.mul(Q.int(x.newAmount)));
        feeBase += x.newAmount;
      }
    }
    const share = all > 0 ? Q.of(smallAgri, all) : null;
    const fee = feeBase > 0 ? feeW.div(Q.int(feeBase)) : null;
    out.push(
      { code: 'small_micro_agri_share', zh: '支小支农担保业务占比', year, actual: pct(share), target: '80%（2025年前）', met: share !== null && !share.lt(Q.of(80, 100)), cite: '聊城意见（一）' },
      { code: 'average_fee_rate', zh: '平均担保费率', year, actual: pct(fee), target: '1%以下', met: fee !== null && fee.lt(Q.of(1, 100)), cite: '聊城意见（二）“降至1%以下”' },
    );
  }
  return out;
}

export async function cycleMonitoring(db: Sql, p: Principal, cycleId: string, workDir: string) {
  const [c] = await db.query<{ id: string; year: number; programme_id: string }>('SELECT id, year, programme_id FROM cycles WHERE id = $1', [cycleId]);
  if (!c) throw notFound('工作周期');
  const prog = await visibleProgramme(db, p, c.programme_id);
  if (!seesUnit(p, prog.owner_unit)) throw notFound('工作周期');
  if (prog.kind !== 'policy') return { cycle: c.id, year: c.year, targets: [], alerts: [], trends: [] };
  const { bundle, snapshot } = await approvedBundle(db, prog.owner_unit, cycleId, workDir);
  return { cycle: c.id, year: c.year, snapshot, targets: programmeTargets(prog.ref, bundle, c.year), alerts: guarantorAlerts(bundle, c.year), trends: balanceTrends(bundle, c.year) };
}
