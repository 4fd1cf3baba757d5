// Month-end balance trends for the monitoring dashboard: each month of the cycle's year against the
// same month a year earlier (同比), from the approved balance tables. Sums are whole fen.
import { Q, formatYuan } from '@caijin/core';
import type { Bundle } from '@caijin/ledger';
import { nums, refs, strs } from '../compute/columns.ts';

export interface TrendSeries {
  code: string;
  zh: string;
  /** Yuan per month, January to December; null where no balance was reported for that month. */
  thisYear: (string | null)[];
  lastYear: (string | null)[];
  /** 同比增长 per month as a percentage to two decimals (half up; "…" marks a rounded figure); null without both months. */
  yoy: (string | null)[];
  /** 比年初增长: each month against last December (the year's opening balance), as a percentage. */
  sinceYearStart: (string | null)[];
}

/** 普惠小微 borrower test used by the targets: individual businesses, owners, small and micro enterprises. */
export function smallMicroBorrower(bundle: Bundle): (row: number) => boolean {
  const ent = bundle.tables.enterprises;
  const size = strs(ent, 'size');
  const kind = strs(ent, 'kind');
  return (b) => {
    if (b < 0) return false;
    const k = kind(b);
    return k === 'individual_business' || k === 'business_owner' || ((k === 'enterprise' || k === '') && (size(b) === 'small' || size(b) === 'micro'));
  };
}

/** Sums month-end balances per month for rows `pick` accepts, months year-1 Jan … year Dec. */
function monthlyTotals(bundle: Bundle, table: 'loans' | 'guarantees', year: number, pick: (row: number) => boolean): { totals: bigint[]; seen: boolean[] } {
  const bal = table === 'loans' ? bundle.tables.loan_balances : bundle.tables.guarantee_balances;
  const totals = new Array<bigint>(24).fill(0n);
  const seen = new Array<boolean>(24).fill(false);
  if (!bal) return { totals, seen };
  const ref = refs(bal, table === 'loans' ? 'loan_id' : 'guarantee_id');
  const month = nums(bal, 'month');
  const balance = nums(bal, 'balance');
  const m0 = (year - 1) * 12;
  // Per-month float sums stay exact: every balance is whole fen and a month's total is far below 2^53.
  const acc = new Float64Array(24);
  const keep = new Map<number, boolean>();
  for (let i = 0; i < bal.length; i++) {
    const m = month[i] - m0;
    if (!(m >= 0 && m < 24) || ref[i] < 0) continue;
    let ok = keep.get(ref[i]);
    if (ok === undefined) keep.set(ref[i], (ok = pick(ref[i])));
    if (!ok) continue;
    acc[m] += balance[i];
    seen[m] = true;
  }
  for (let m = 0; m < 24; m++) totals[m] = BigInt(Math.round(acc[m]));
  return { totals, seen };
}

function series(code: string, zh: string, t: { totals: bigint[]; seen: boolean[] }): TrendSeries {
  const yuan = (m: number) => (t.seen[m] ? formatYuan(t.totals[m]) : null);
  const thisYear = Array.from({ length: 12 }, (_, m) => yuan(12 + m));
  const lastYear = Array.from({ length: 12 }, (_, m) => yuan(m));
  const yoy = Array.from({ length: 12 }, (_, m) =>
    t.seen[m] && t.seen[12 + m] && t.totals[m] > 0n ? new Q(t.totals[12 + m] - t.totals[m], t.totals[m]).toPercent(2) : null,
  );
  const opening = t.totals[11];
  const sinceYearStart = Array.from({ length: 12 }, (_, m) =>
    t.seen[11] && t.seen[12 + m] && opening > 0n ? new Q(t.totals[12 + m] - opening, opening).toPercent(2) : null,
  );
  return { code, zh, thisYear, lastYear, yoy, sinceYearStart };
}

/** The trend lines a programme's dashboard shows: loans, 普惠小微 loans, guarantees in force. */
export function balanceTrends(bundle: Bundle, year: number): TrendSeries[] {
  const out: TrendSeries[] = [];
  if (bundle.tables.loan_balances?.length) {
    const borrower = refs(bundle.tables.loans, 'borrower_id');
    const small = smallMicroBorrower(bundle);
    out.push(series('loans', '贷款月末余额', monthlyTotals(bundle, 'loans', year, () => true)));
    out.push(series('small_micro_loans', '普惠小微贷款月末余额', monthlyTotals(bundle, 'loans', year, (i) => small(borrower[i]))));
  }
  if (bundle.tables.guarantee_balances?.length) {
    out.push(series('guarantees', '担保月末在保余额', monthlyTotals(bundle, 'guarantees', year, () => true)));
  }
  return out;
}
