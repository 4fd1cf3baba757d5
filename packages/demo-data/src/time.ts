// Day and month helpers over @caijin/core's day numbers (days since 1970-01-01) and month indexes
// (year*12 + month-1), with cached text forms for fast CSV writing.
import { civilOfDays, daysInMonth, daysOf, formatDate, formatMonth, monthIndexOfDays } from '@caijin/core';

export class Calendar {
  private readonly dateBase: number;
  private readonly dates: (string | undefined)[] = [];
  private readonly months = new Map<number, string>();
  private readonly monthOfDayCache: Int32Array;
  constructor(firstYear: number, lastYear: number) {
    this.dateBase = daysOf(firstYear, 1, 1);
    const n = daysOf(lastYear, 12, 31) - this.dateBase + 1;
    this.monthOfDayCache = new Int32Array(n);
    for (let i = 0; i < n; i++) this.monthOfDayCache[i] = monthIndexOfDays(this.dateBase + i);
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
