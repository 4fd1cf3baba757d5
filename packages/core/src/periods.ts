// Dates are integer days since 1970-01-01 and months are year*12 + (month-1): plain integers that
// sort, subtract and index arrays, with no time zone anywhere (a date cell has no time of day).
import { type Parsed, ok, fail } from './parsed.ts';

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days of a month (month 1..12). */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isSafeInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Days since 1970-01-01 of a real calendar date (proleptic Gregorian); throws on an impossible date. */
export function daysOf(year: number, month: number, day: number): number {
  if (!isValidDate(year, month, day)) throw new RangeError(`daysOf: no such date ${year}-${month}-${day}`);
  // H. Hinnant's days_from_civil: years start in March so the leap day is the year's last day.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1..12, day] of a day number. */
export function civilOfDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

export function yearOfDays(days: number): number {
  return civilOfDays(days)[0];
}

export function monthIndexOfDays(days: number): number {
  const [y, m] = civilOfDays(days);
  return y * 12 + (m - 1);
}

export function monthIndex(year: number, month1to12: number): number {
  if (!Number.isInteger(month1to12) || month1to12 < 1 || month1to12 > 12) {
    throw new RangeError(`monthIndex: month ${month1to12} not in 1..12`);
  }
  return year * 12 + (month1to12 - 1);
}

export function yearOfMonth(mi: number): number {
  return Math.floor(mi / 12);
}

/** 1..12 */
export function monthOfYear(mi: number): number {
  return (((mi % 12) + 12) % 12) + 1;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export function formatDate(days: number): string {
  const [y, m, d] = civilOfDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export function formatMonth(mi: number): string {
  return `${pad(yearOfMonth(mi), 4)}-${pad(monthOfYear(mi), 2)}`;
}

const DATE_FORMS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
];
const DATE_HINT = '应为 YYYY-MM-DD（也接受 YYYY/M/D、YYYY年M月D日）';

/** "2022-03-01", "2022/3/1", "2022-3-1", "2022年3月1日" → days. A midnight time ("2022/3/1 0:00", as WPS writes) is tolerated. */
export function parseDate(text: string): Parsed<number> {
  let s = text.trim();
  if (s === '') return fail('date.empty', '日期为空');
  const t = /^(\S+)(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(s);
  if (t) {
    if (!/^[0:.]+$/.test(s.slice(t[1].length).trim().replace(/^T/, ''))) {
      return fail('date.time', '日期不应包含时刻（非零点）：请只填写日期');
    }
    s = t[1];
  }
  const m = DATE_FORMS.map((re) => re.exec(s)).find((x) => x !== null);
  if (!m) return fail('date.format', `日期格式不正确：${DATE_HINT}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return fail('date.out_of_range', `年份应在${MIN_YEAR}–${MAX_YEAR}之间`);
  if (mo < 1 || mo > 12) return fail('date.invalid', `日期不存在：月份应为1–12，实际为${mo}`);
  if (!isValidDate(y, mo, d)) return fail('date.invalid', `日期不存在：${y}年${mo}月没有${d}日`);
  return ok(daysOf(y, mo, d));
}

/** Excel's last date serial, 9999-12-31. */
const EXCEL_MAX_SERIAL = 2958465;

/**
 * Excel 1900 date system: serial 1 = 1900-01-01, 25569 = 1970-01-01. Excel keeps Lotus 1-2-3's
 * bug of a 1900-02-29 (serial 60), so serials below 60 are one day "late". A fraction is a time
 * of day and is dropped. Throws for 60, for < 1 and beyond 9999-12-31; see parseExcelSerial.
 */
export function excelSerialToDays(serial: number): number {
  const r = parseExcelSerial(serial);
  if (!r.ok) throw new RangeError(`excelSerialToDays: ${r.key} (${serial})`);
  return r.value;
}

/** excelSerialToDays as a Parsed, for cell import. */
export function parseExcelSerial(serial: number): Parsed<number> {
  if (!Number.isFinite(serial) || serial < 1 || serial >= EXCEL_MAX_SERIAL + 1) {
    return fail('date.excel_serial', `Excel 日期序列号超出范围：${serial}`);
  }
  const whole = Math.floor(serial);
  if (whole === 60) return fail('date.excel_1900_02_29', 'Excel 日期 1900-02-29 并不存在（Excel 的历史错误）');
  return ok(whole < 60 ? whole - 25568 : whole - 25569);
}

const MONTH_FORMS = [/^(\d{4})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})$/, /^(\d{4})年(\d{1,2})月$/];

/** "2022-03", "2022-3", "2022/3", "2022年3月" → month index. */
export function parseMonth(text: string): Parsed<number> {
  const s = text.trim();
  if (s === '') return fail('month.empty', '月份为空');
  const m = MONTH_FORMS.map((re) => re.exec(s)).find((x) => x !== null);
  if (!m) return fail('month.format', '月份格式不正确：应为 YYYY-MM（也接受 YYYY/M、YYYY年M月）');
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (y < MIN_YEAR || y > MAX_YEAR) return fail('month.out_of_range', `年份应在${MIN_YEAR}–${MAX_YEAR}之间`);
  if (mo < 1 || mo > 12) return fail('month.invalid', `月份应为1–12，实际为${mo}`);
  return ok(monthIndex(y, mo));
}

/** Four digits, 1900..2200 (a trailing 年 is allowed). */
export function parseYear(text: string): Parsed<number> {
  const s = text.trim().replace(/年$/, '');
  if (s === '') return fail('year.empty', '年度为空');
  if (!/^\d{4}$/.test(s)) return fail('year.format', '年度应为四位数字，如 2022');
  const y = Number(s);
  if (y < MIN_YEAR || y > MAX_YEAR) return fail('year.out_of_range', `年度应在${MIN_YEAR}–${MAX_YEAR}之间`);
  return ok(y);
}
