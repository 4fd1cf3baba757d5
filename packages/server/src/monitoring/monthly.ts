// 聊城（十二）: each government guarantor reports its guarantee business every month to the working
// group, and the report is passed on to the banks. The report is built from the month's approved
// reports: per guarantor, the month's new business, the year to date and the month-end balance,
// and per cooperating bank its part. A bank sees only its own part.
import { daysOf, formatYuan, Q } from '@caijin/core';
import { smallMicroAgriGuarantee, yearBalances } from '@caijin/ledger';
import { strs } from '../compute/columns.ts';
import type { Principal } from '../auth/principal.ts';
import { seesUnit } from '../auth/principal.ts';
import type { Sql } from '../db/types.ts';
import { invalid, notFound } from '../http/errors.ts';
import { approvedBundle } from '../compute/approved.ts';
import { getUnit } from '../org/units.ts';

interface Part {
  newCount: number;
  newAmount: number;
  balance: number;
}

const fresh = (): Part => ({ newCount: 0, newAmount: 0, balance: 0 });
const money = (fen: number) => formatYuan(fen);


export async function monthlyGuaranteeReport(db: Sql, p: Principal, cycleId: string, month: number, workDir: string) {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw invalid('report.month', '月份应为 1–12');
  const [c] = await db.query<{ id: string; year: number; owner_unit: string; calendar: string }>(
    'SELECT c.id, c.year, p.owner_unit, p.calendar FROM cycles c JOIN programmes p ON p.id = c.programme_id WHERE c.id = $1',
    [cycleId],
  );
  if (!c || c.calendar !== 'liaocheng-monthly') throw notFound('月度报备');
  // The bureau sees all of it; a bank of the city sees its own part.
  const unit = await getUnit(db, p.unitId);
  const bankOnly = unit?.kind === 'bank' ? unit.uscc : null;
  if (!bankOnly && !seesUnit(p, c.owner_unit)) throw notFound('月度报备');
  if (bankOnly && unit!.parent_id !== c.owner_unit) throw notFound('月度报备');

  const step = `month-${String(month).padStart(2, '0')}`;
  const { bundle, snapshot, versions } = await approvedBundle(db, c.owner_unit, cycleId, workDir, undefined, step);
  const g = bundle.tables.guarantees;
  const inst = bundle.tables.institutions!;
  const instId = strs(inst, 'id');
  const instName = strs(inst, 'name');
  const rows: { guarantor: string; name: string; month: Part; ytdAmount: number; smallMicroAgriShare: string; banks: Map<string, Part> }[] = [];
  if (g) {
    const from = daysOf(c.year, month, 1);
    const yearFrom = daysOf(c.year, 1, 1);
    const to = month === 12 ? daysOf(c.year, 12, 31) : daysOf(c.year, month + 1, 1) - 1;
    const start = g.columns.start_date as { values: Float64Array };
    const amount = g.columns.amount as { values: Float64Array };
    const guarantor = (g.columns.guarantor_id as { refIndex: Int32Array }).refIndex;
    const bank = strs(g, 'bank_id');
    const bal = yearBalances(bundle, 'guarantees', c.year);
    const sma = smallMicroAgriGuarantee(bundle);
    const by = new Map<number, (typeof rows)[number] & { smaYtd: number }>();
    for (let i = 0; i < g.length; i++) {
      const gi = guarantor[i];
      let r = by.get(gi);
      if (!r) by.set(gi, (r = { guarantor: instId(gi), name: instName(gi), month: fresh(), ytdAmount: 0, smallMicroAgriShare: '', banks: new Map(), smaYtd: 0 }));
      const b = bank(i) || '（无合作银行）';
      let part = r.banks.get(b);
      if (!part) r.banks.set(b, (part = fresh()));
      const s = start.values[i];
      const balance = bal[i * 12 + month - 1];
      r.month.balance += balance;
      part.balance += balance;
      if (s >= from && s <= to) {
        r.month.newCount++;
        r.month.newAmount += amount.values[i];
        part.newCount++;
        part.newAmount += amount.values[i];
      }
      if (s >= yearFrom && s <= to) {
        r.ytdAmount += amount.values[i];
        if (sma[i]) r.smaYtd += amount.values[i];
      }
    }
    for (const r of by.values()) {
      r.smallMicroAgriShare = r.ytdAmount > 0 ? Q.of(r.smaYtd, r.ytdAmount).toPercent(2) : '—';
      rows.push(r);
    }
  }
  const shown = rows
    .map((r) => ({
      guarantor: r.guarantor,
      name: r.name,
      month_new_count: r.month.newCount,
      month_new_amount: money(r.month.newAmount),
      year_to_date_amount: money(r.ytdAmount),
      month_end_balance: money(r.month.balance),
      small_micro_agri_share_ytd: r.smallMicroAgriShare,
      banks: [...r.banks]
        .filter(([b]) => !bankOnly || b === bankOnly)
        .map(([b, x]) => ({ bank: b, new_count: x.newCount, new_amount: money(x.newAmount), month_end_balance: money(x.balance) })),
    }))
    .map((r) => (bankOnly ? { guarantor: r.guarantor, name: r.name, banks: r.banks } : r))
    .filter((r) => r.banks.length > 0 || !bankOnly);
  return {
    title: `${c.year}年${month}月政府性融资担保业务情况`,
    cite: '聊城意见（十二）按月报备并向各银行业金融机构通报',
    cycle: c.id,
    month: `${c.year}-${String(month).padStart(2, '0')}`,
    reports: versions.length,
    snapshot,
    guarantors: shown,
  };
}
