import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  parseDate, parseMonth, parseYear, parseExcelSerial, excelSerialToDays, formatDate, formatMonth, yearOfDays,
  monthIndexOfDays, monthIndex, yearOfMonth, monthOfYear, daysOf, civilOfDays, daysInMonth, isLeapYear,
} from '../src/index.ts';

const date = (t: string): number => {
  const r = parseDate(t);
  if (!r.ok) throw new Error(`${t}: ${r.key}`);
  return r.value;
};
const dateKey = (t: string): string | undefined => {
  const r = parseDate(t);
  return r.ok ? undefined : r.key;
};
const utcDays = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;

describe('daysOf / civilOfDays', () => {
  it('epoch and known dates', () => {
    expect(daysOf(1970, 1, 1)).toBe(0);
    expect(daysOf(1969, 12, 31)).toBe(-1);
    expect(daysOf(2000, 3, 1)).toBe(11017);
    expect(daysOf(1900, 1, 1)).toBe(-25567);
    expect(civilOfDays(0)).toEqual([1970, 1, 1]);
  });
  it('agrees with Date.UTC across 1900..2200 and round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysOf(1900, 1, 1), max: daysOf(2200, 12, 31) }), (d) => {
        const [y, m, day] = civilOfDays(d);
        expect(utcDays(y, m, day)).toBe(d);
        expect(daysOf(y, m, day)).toBe(d);
        expect(date(formatDate(d))).toBe(d);
        expect(yearOfDays(d)).toBe(y);
        expect(monthIndexOfDays(d)).toBe(monthIndex(y, m));
      }),
    );
  });
  it('throws on impossible dates', () => {
    expect(() => daysOf(2022, 2, 29)).toThrow(RangeError);
    expect(() => daysOf(2022, 13, 1)).toThrow(RangeError);
    expect(() => daysOf(2022, 4, 31)).toThrow(RangeError);
    expect(() => daysOf(2022, 1, 0)).toThrow(RangeError);
  });
  it('leap years', () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2023, 12)).toBe(31);
  });
});

describe('parseDate', () => {
  const d20220301 = daysOf(2022, 3, 1);
  for (const t of ['2022-03-01', '2022-3-1', '2022/3/1', '2022/03/01', '2022年3月1日', '2022年03月01日', ' 2022-03-01 ',
    '2022/3/1 0:00', '2022-03-01 00:00:00', '2022-03-01T00:00:00']) {
    it(`"${t}"`, () => expect(date(t)).toBe(d20220301));
  }
  it('leap days', () => {
    expect(date('2024-02-29')).toBe(daysOf(2024, 2, 29));
    expect(date('2000-02-29')).toBe(daysOf(2000, 2, 29));
  });
  const bad: Array<[string, string]> = [
    ['', 'date.empty'],
    ['2022-02-30', 'date.invalid'], ['2022-13-01', 'date.invalid'], ['2023-02-29', 'date.invalid'],
    ['1900-02-29', 'date.invalid'], ['2022-04-31', 'date.invalid'], ['2022-00-10', 'date.invalid'], ['2022-01-00', 'date.invalid'],
    ['2022-1/3', 'date.format'], ['20220301', 'date.format'], ['22-03-01', 'date.format'], ['2022.03.01', 'date.format'],
    ['01/03/2022', 'date.format'], ['2022-03', 'date.format'], ['44621', 'date.format'], ['abc', 'date.format'],
    ['2022-003-01', 'date.format'], ['2022年3月1', 'date.format'],
    ['2022-03-01 12:30', 'date.time'],
    ['1899-12-31', 'date.out_of_range'], ['2201-01-01', 'date.out_of_range'],
  ];
  for (const [t, k] of bad) it(`rejects "${t}" with ${k}`, () => expect(dateKey(t)).toBe(k));
  it('names the missing day', () => {
    const r = parseDate('2022-02-30');
    expect(r.ok ? '' : r.zh).toContain('2022年2月没有30日');
  });
});

describe('Excel serials (1900 system)', () => {
  it('maps known serials', () => {
    expect(formatDate(excelSerialToDays(1))).toBe('1900-01-01');
    expect(formatDate(excelSerialToDays(59))).toBe('1900-02-28');
    expect(formatDate(excelSerialToDays(61))).toBe('1900-03-01');
    expect(excelSerialToDays(25569)).toBe(0);
    expect(formatDate(excelSerialToDays(44927))).toBe('2023-01-01');
    expect(formatDate(excelSerialToDays(44621))).toBe('2022-03-01');
    expect(formatDate(excelSerialToDays(2958465))).toBe('9999-12-31');
  });
  it('drops the time of day', () => {
    expect(excelSerialToDays(44927.75)).toBe(excelSerialToDays(44927));
  });
  it('rejects the fake 1900-02-29 and out-of-range serials', () => {
    expect(() => excelSerialToDays(60)).toThrow(RangeError);
    expect(() => excelSerialToDays(0)).toThrow(RangeError);
    expect(() => excelSerialToDays(Number.NaN)).toThrow(RangeError);
    expect(() => excelSerialToDays(2958466)).toThrow(RangeError);
    const r = parseExcelSerial(60);
    expect(r.ok ? '' : r.key).toBe('date.excel_1900_02_29');
    expect(parseExcelSerial(-1).ok).toBe(false);
  });
});

describe('months', () => {
  it('index arithmetic', () => {
    expect(monthIndex(2022, 1)).toBe(2022 * 12);
    expect(monthIndex(2022, 12)).toBe(2022 * 12 + 11);
    expect(yearOfMonth(monthIndex(2022, 12))).toBe(2022);
    expect(monthOfYear(monthIndex(2022, 12))).toBe(12);
    expect(monthOfYear(monthIndex(2023, 1))).toBe(1);
    expect(monthIndex(2022, 12) + 1).toBe(monthIndex(2023, 1));
    expect(formatMonth(monthIndex(2022, 3))).toBe('2022-03');
    expect(() => monthIndex(2022, 13)).toThrow(RangeError);
    expect(() => monthIndex(2022, 0)).toThrow(RangeError);
  });
  it('monthIndexOfDays at month edges', () => {
    expect(monthIndexOfDays(daysOf(2022, 1, 31))).toBe(monthIndex(2022, 1));
    expect(monthIndexOfDays(daysOf(2022, 2, 1))).toBe(monthIndex(2022, 2));
    expect(monthIndexOfDays(daysOf(2021, 12, 31))).toBe(monthIndex(2021, 12));
  });
  for (const t of ['2022-03', '2022-3', '2022/3', '2022/03', '2022年3月', ' 2022-03 ']) {
    it(`parseMonth "${t}"`, () => expect(parseMonth(t)).toEqual({ ok: true, value: monthIndex(2022, 3) }));
  }
  const bad: Array<[string, string]> = [
    ['', 'month.empty'], ['2022-13', 'month.invalid'], ['2022-00', 'month.invalid'], ['2022-03-01', 'month.format'],
    ['202203', 'month.format'], ['03/2022', 'month.format'], ['2022-3/', 'month.format'], ['1899-12', 'month.out_of_range'],
  ];
  for (const [t, k] of bad) {
    it(`parseMonth rejects "${t}" with ${k}`, () => {
      const r = parseMonth(t);
      expect(r.ok ? undefined : r.key).toBe(k);
    });
  }
});

describe('parseYear', () => {
  it('accepts 4 digits in 1900..2200', () => {
    expect(parseYear('2022')).toEqual({ ok: true, value: 2022 });
    expect(parseYear(' 1900 ')).toEqual({ ok: true, value: 1900 });
    expect(parseYear('2200')).toEqual({ ok: true, value: 2200 });
    expect(parseYear('2022年')).toEqual({ ok: true, value: 2022 });
  });
  const bad: Array<[string, string]> = [
    ['', 'year.empty'], ['22', 'year.format'], ['2022.0', 'year.format'], ['02022', 'year.format'], ['abcd', 'year.format'],
    ['1899', 'year.out_of_range'], ['2201', 'year.out_of_range'],
  ];
  for (const [t, k] of bad) {
    it(`rejects "${t}" with ${k}`, () => {
      const r = parseYear(t);
      expect(r.ok ? undefined : r.key).toBe(k);
    });
  }
});
