// Day and month helpers over @caijin/core's day numbers (days since 1970-01-01) and month indexes
// (year*12 + month-1), with cached text forms for fast CSV writing.
import { civilOfDays, daysInMonth, daysOf, formatDate, formatMonth, monthIndexOfDays } from '@caijin/core';

export class Calendar {
  private readonly dateBase: number;
  private readonly dates: (string | undefined)[] = [];
  private readonly months = new Map<number, string>();
  private readonly monthOfDayCache: Int32Array;
  private readonly firstYear: number;
  /** Month index of January of the first year. */
  private readonly monthBase: number;
  /** Day number of the 1st of each month from January of the first year to January after the last. */
  private readonly monthFirst: Int32Array;
  constructor(firstYear: number, lastYear: number) {
    this.firstYear = firstYear;
    this.dateBase = daysOf(firstYear, 1, 1);
    const n = daysOf(lastYear, 12, 31) - this.dateBase + 1;
    this.monthOfDayCache = new Int32Array(n);
    for (let i = 0; i < n; i++) this.monthOfDayCache[i] = monthIndexOfDays(this.dateBase + i);
    this.monthBase = firstYear * 12;
    const months = (lastYear - firstYear + 1) * 12;
    this.monthFirst = new Int32Array(months + 1);
    for (let j = 0; j <= months; j++) this.monthFirst[j] = daysOf(firstYear + Math.floor(j / 12), (j % 12) + 1, 1);
  }
  /** 1 January of `year` (a day number). */
  jan1(year: number): number {
    const j = (year - this.firstYear) * 12;
    return j >= 0 && j < this.monthFirst.length ? this.monthFirst[j] : daysOf(year, 1, 1);
  }
  /** addMonths from tables: the loans' maturities (10^7 of them at province size). */
  addMonths(day: number, n: number): number {
    const i = day - this.dateBase;
    if (i < 0 || i >= this.monthOfDayCache.length || n < 0) return addMonths(day, n);
    const j = this.monthOfDayCache[i] - this.monthBase;
    const t = j + n;
    if (t + 1 >= this.monthFirst.length) return addMonths(day, n);
    const d = day - this.monthFirst[j] + 1;
    const len = this.monthFirst[t + 1] - this.monthFirst[t];
    return this.monthFirst[t] + Math.min(d, len) - 1;
  }
  date(day: number): string {
    const i = day - this.dateBase;
    let s = this.dates[i];
    if (s === undefined) {
      s = formatDate(day);
      if (i >= 0) this.dates[i] = s;
    }
    return s;
  }
  month(mi: number): string {
    let s = this.months.get(mi);
    if (s === undefined) {
      s = formatMonth(mi);
      this.months.set(mi, s);
    }
    return s;
  }
  monthOf(day: number): number {
    const i = day - this.dateBase;
    return i >= 0 && i < this.monthOfDayCache.length ? this.monthOfDayCache[i] : monthIndexOfDays(day);
  }
}

/** The same day of the month `n` months later (clamped to the month's last day). */
export function addMonths(day: number, n: number): number {
  const [y, m, d] = civilOfDays(day);
  const t = y * 12 + (m - 1) + n;
  const ty = Math.floor(t / 12);
  const tm = t - ty * 12 + 1;
  return daysOf(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}
