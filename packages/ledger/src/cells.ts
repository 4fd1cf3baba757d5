// Per-type column builders: each parses one cell's text (via @caijin/core) straight into a growing
// typed array, so a row costs no object allocation unless it is wrong.
import {
  type Failure,
  parseMoneyFen,
  parsePercent,
  parseDate,
  parseMonth,
  parseYear,
  parseBool,
  validateUscc,
  validatePartyId,
  validateRegionCode,
  isValidDate,
  daysOf,
} from '@caijin/core';
import { ByteDict, lazyStrings } from './bytedict.ts';
import { RATE_SCALE, type Column, type ColumnSchema } from './types.ts';

const RATE_SCALE_N = BigInt(RATE_SCALE);

function fail(key: string, zh: string): Failure {
  return { ok: false, key, zh };
}

const NEGATIVE = (what: string): Failure => fail('value.negative', `${what}不能为负数`);

/** Doubling typed-array buffer. */
class Grow<T extends Float64Array | Int32Array | Int8Array | Uint32Array> {
  a: T;
  n = 0;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T) {
    this.make = make;
    this.a = make(1024);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  /** Room for n values without growing (each doubling is a new buffer, and V8 answers big buffer allocations with full collections). */
  reserve(n: number): void {
    if (n <= this.a.length) return;
    const b = this.make(n);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  /** Overwrite the last pushed value. */
  setLast(v: number): void {
    this.a[this.n - 1] = v;
  }
  done(): T {
    // Sized from an estimate, the array is a little too long: keep it (a view) rather than copy it.
    if (this.n >= this.a.length * 0.9) return this.a.subarray(0, this.n) as T;
    return this.a.slice(0, this.n) as T;
  }
}

export interface ColumnBuilder {
  readonly schema: ColumnSchema;
  /** Parse and store one non-empty, trimmed cell; returns the failure (and stores "empty") when the text is wrong. */
  push(text: string): Failure | null;
  /** The same for a cell given as bytes: b[s, e) is the UTF-8 encoding of the non-empty, trimmed text. */
  pushBytes(b: Buffer, s: number, e: number): Failure | null;
  pushEmpty(): void;
  /** Room for about n values (a size estimate; more may come). */
  reserve(n: number): void;
  finish(): Column;
}

/** Normalized spelling of an enum/tag value: NFKC, no spaces, lower case. */
export function normChoice(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function choiceMap(c: ColumnSchema): Map<string, number> {
  const m = new Map<string, number>();
  const values = c.values ?? [];
  values.forEach((v, i) => m.set(normChoice(v), i));
  (c.labels ?? []).forEach((l, i) => {
    if (!m.has(normChoice(l))) m.set(normChoice(l), i);
  });
  return m;
}

export function choiceList(c: ColumnSchema): string {
  const values = c.values ?? [];
  return values.map((v, i) => (c.labels?.[i] ? `${v}（${c.labels[i]}）` : v)).join('、');
}

class NumberBuilder implements ColumnBuilder {
  readonly schema: ColumnSchema;
  private readonly g = new Grow((n) => new Float64Array(n));
  private readonly parse: (t: string) => number | Failure;
  private readonly fast: (b: Uint8Array, s: number, e: number) => number;
  constructor(schema: ColumnSchema) {
    this.schema = schema;
    this.parse = numberParser(schema);
    this.fast = bytesParser(schema);
  }
  pushBytes(b: Buffer, s: number, e: number): Failure | null {
    const v = this.fast(b, s, e);
    if (v >= 0) {
      this.g.push(v);
      return null;
    }
    return this.push(b.toString('utf8', s, e));
  }
  push(text: string): Failure | null {
    const r = this.parse(text);
    if (typeof r === 'number') {
      this.g.push(r);
      return null;
    }
    this.g.push(NaN);
    return r;
  }
  pushEmpty(): void {
    this.g.push(NaN);
  }
  reserve(n: number): void {
    this.g.reserve(n);
  }
  finish(): Column {
    return { type: this.schema.type as 'money', values: this.g.done() };
  }
}

// Fast paths for the plainest spellings of the hottest cells (10^8 balance rows at province
// scale). Each accepts only texts on which core's parser gives the same value, and returns
// "not handled" (-1 / null) for anything else, which then goes through core.

/** "1234567", "1234567.8", "1234567.89" with at most 13 integer digits → fen; -1 otherwise. */
export function plainFen(t: string): number {
  const n = t.length;
  if (n === 0 || n > 16) return -1;
  let v = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  if (i === 0 || i > 13) return -1;
  if (i === n) return v * 100;
  if (t.charCodeAt(i) !== 46 || n - i - 1 < 1 || n - i - 1 > 2) return -1;
  const d1 = t.charCodeAt(i + 1) - 48;
  if (d1 < 0 || d1 > 9) return -1;
  if (n - i - 1 === 1) return v * 100 + d1 * 10;
  const d2 = t.charCodeAt(i + 2) - 48;
  if (d2 < 0 || d2 > 9) return -1;
  return v * 100 + d1 * 10 + d2;
}

function digits(t: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** "YYYY-MM-DD" of a real date in 1950–2150 → days; null otherwise. */
export function plainDate(t: string): number | null {
  if (t.length !== 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return null;
  const y = digits(t, 0, 4);
  const m = digits(t, 5, 7);
  const d = digits(t, 8, 10);
  if (y < 1950 || y > 2150 || m < 0 || d < 0 || !isValidDate(y, m, d)) return null;
  return daysOf(y, m, d);
}

/** "YYYY-MM" in 1950–2150 → month index; null otherwise. */
export function plainMonth(t: string): number | null {
  if (t.length !== 7 || t.charCodeAt(4) !== 45) return null;
  const y = digits(t, 0, 4);
  const m = digits(t, 5, 7);
  if (y < 1950 || y > 2150 || m < 1 || m > 12) return null;
  return y * 12 + m - 1;
}

// The same fast paths on the cell's bytes (CSV import): no string is made for the plainest
// spellings; -1 means "not handled here" and the text goes through the parsers above.

/** Digits b[s, e) as a number; -1 if any byte is not a digit (or the range is empty). */
function digitsAt(b: Uint8Array, s: number, e: number): number {
  if (s >= e) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** plainFen on bytes. */
export function plainFenBytes(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 0 || n > 16) return -1;
  let v = 0;
  let i = s;
  for (; i < e; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  const k = i - s;
  if (k === 0 || k > 13) return -1;
  if (i === e) return v * 100;
  const decimals = e - i - 1;
  if (b[i] !== 46 || decimals < 1 || decimals > 2) return -1;
  const d1 = b[i + 1] - 48;
  if (d1 < 0 || d1 > 9) return -1;
  if (decimals === 1) return v * 100 + d1 * 10;
  const d2 = b[i + 2] - 48;
  if (d2 < 0 || d2 > 9) return -1;
  return v * 100 + d1 * 10 + d2;
}

/** Days of each (year, month, day) of 1950–2150 once computed, plus DAYS_BASE (> 0 for every date from 1950); 0 = not yet, -1 = no such date. */
const DAYS_BASE = 100_000;
const DAYS = new Int32Array(201 * 512);

/** plainDate on bytes; -1 otherwise. */
export function plainDateBytes(b: Uint8Array, s: number, e: number): number {
  if (e - s !== 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return -1;
  const y = digitsAt(b, s, s + 4);
  const m = digitsAt(b, s + 5, s + 7);
  const d = digitsAt(b, s + 8, s + 10);
  if (y < 1950 || y > 2150 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
  const k = (y - 1950) * 512 + m * 32 + d;
  let v = DAYS[k];
  if (v === 0) DAYS[k] = v = isValidDate(y, m, d) ? daysOf(y, m, d) + DAYS_BASE : -1;
  return v === -1 ? -1 : v - DAYS_BASE;
}

/** plainMonth on bytes; -1 otherwise. */
export function plainMonthBytes(b: Uint8Array, s: number, e: number): number {
  if (e - s !== 7 || b[s + 4] !== 45) return -1;
  const y = digitsAt(b, s, s + 4);
  const m = digitsAt(b, s + 5, s + 7);
  if (y < 1950 || y > 2150 || m < 1 || m > 12) return -1;
  return y * 12 + m - 1;
}

/**
 * A `_pct` cell "3.8", "3.80", "12" (at most 9 integer digits, at most 6 decimals) → the rate
 * scaled by RATE_SCALE, exactly what parsePercent gives: digits × 10^(6 − decimals). -1 otherwise.
 */
export function plainRateBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  while (i < e && b[i] !== 46) i++;
  if (i - s < 1 || i - s > 9) return -1;
  const int = digitsAt(b, s, i);
  if (int < 0) return -1;
  if (i === e) return int * 1_000_000;
  const k = e - i - 1;
  if (k < 1 || k > 6) return -1;
  const frac = digitsAt(b, i + 1, e);
  if (frac < 0) return -1;
  return int * 1_000_000 + frac * 10 ** (6 - k);
}

/** Plain digits (at most 15) → the integer; -1 otherwise. */
function plainIntBytes(b: Uint8Array, s: number, e: number): number {
  return e - s > 15 ? -1 : digitsAt(b, s, e);
}

/** Four digits of a year within core's range (1900–2200); -1 otherwise. */
function plainYearBytes(b: Uint8Array, s: number, e: number): number {
  if (e - s !== 4) return -1;
  const y = digitsAt(b, s, e);
  return y >= 1900 && y <= 2200 ? y : -1;
}

const NOT_HANDLED = (): number => -1;

function bytesParser(c: ColumnSchema): (b: Uint8Array, s: number, e: number) => number {
  switch (c.type) {
    case 'money':
      return plainFenBytes;
    case 'rate':
      return plainRateBytes;
    case 'int':
      return plainIntBytes;
    case 'year':
      return plainYearBytes;
    case 'date':
      return plainDateBytes;
    case 'month':
      return plainMonthBytes;
    default:
      return NOT_HANDLED;
  }
}

const INT_RE = /^[+-]?(\d+|\d{1,3}(,\d{3})+)$/;

function numberParser(c: ColumnSchema): (t: string) => number | Failure {
  const signed = c.signed === true;
  switch (c.type) {
    case 'money':
      return (t) => {
        const fast = plainFen(t);
        if (fast >= 0) return fast;
        const r = parseMoneyFen(t);
        if (!r.ok) return r;
        return r.value < 0 && !signed ? NEGATIVE('金额') : r.value;
      };
    case 'rate':
      return (t) => {
        const r = parsePercent(t);
        if (!r.ok) return r.key === 'rate.negative' ? NEGATIVE('比率') : r;
        const q = r.value;
        const scaled = q.n * RATE_SCALE_N;
        if (scaled % q.d !== 0n) return fail('rate.too_many_decimals', '百分数最多六位小数');
        return Number(scaled / q.d);
      };
    case 'int':
      return (t) => {
        if (!INT_RE.test(t)) return fail('int.format', '应为整数（不带小数），如 25');
        const v = Number(t.replace(/,/g, ''));
        if (!Number.isSafeInteger(v)) return fail('int.out_of_range', '整数过大');
        return v < 0 && !signed ? NEGATIVE('数值') : v === 0 ? 0 : v;
      };
    case 'year':
      return (t) => {
        const r = parseYear(t);
        return r.ok ? r.value : r;
      };
    case 'date':
      return (t) => {
        const fast = plainDate(t);
        if (fast !== null) return fast;
        const r = parseDate(t);
        return r.ok ? r.value : r;
      };
    case 'month':
      return (t) => {
        const fast = plainMonth(t);
        if (fast !== null) return fast;
        const r = parseMonth(t);
        return r.ok ? r.value : r;
      };
    default:
      throw new Error(`not a number column: ${c.type}`);
  }
}

/**
 * id, party, uscc, string, region: dictionary-encoded strings, interned by their UTF-8 bytes
 * (`ByteDict`), so a cell read from a file's bytes needs no string at all.
 */
export class DictBuilder implements ColumnBuilder {
  readonly schema: ColumnSchema;
  private readonly g = new Grow((n) => new Int32Array(n));
  /** The values (after the check: a USCC upper-cased) → code. */
  readonly index = new ByteDict();
  /**
   * For checked columns: cell bytes as written → code, for texts whose value differs from the
   * text (lower case, spaces). A text equal to a value is found in `index` directly: the checks
   * are idempotent (check(value) = value), so such a text is known to be valid.
   */
  private readonly alias: ByteDict | null;
  private aliasCodes = new Int32Array(0);
  private lastCode = -1;
  private readonly check: ((t: string) => string | Failure) | null;
  constructor(schema: ColumnSchema) {
    this.schema = schema;
    this.check = stringChecker(schema);
    this.alias = this.check ? new ByteDict() : null;
  }
  push(text: string): Failure | null {
    const b = Buffer.from(text, 'utf8');
    return this.pushBytes(b, 0, b.length, text);
  }
  pushBytes(b: Buffer, s: number, e: number, text?: string): Failure | null {
    const index = this.index;
    // Consecutive rows often repeat a value (balances sorted by loan).
    if (this.lastCode >= 0 && index.equals(this.lastCode, b, s, e)) {
      this.g.push(this.lastCode);
      return null;
    }
    let c: number;
    if (this.check === null) c = index.intern(b, s, e);
    else {
      c = index.find(b, s, e);
      if (c < 0) {
        const alias = this.alias as ByteDict;
        const a = alias.find(b, s, e);
        if (a >= 0) c = this.aliasCodes[a];
        else {
          const r = this.check(text ?? b.toString('utf8', s, e));
          if (typeof r !== 'string') {
            this.g.push(-1);
            return r;
          }
          c = index.internString(r);
          const k = alias.intern(b, s, e);
          if (k >= this.aliasCodes.length) {
            const ac = new Int32Array(Math.max(64, k * 2));
            ac.set(this.aliasCodes);
            this.aliasCodes = ac;
          }
          this.aliasCodes[k] = c;
        }
      }
    }
    this.lastCode = c;
    this.g.push(c);
    return null;
  }
  pushEmpty(): void {
    this.g.push(-1);
  }
  reserve(n: number): void {
    this.g.reserve(n);
  }
  finish(): Column {
    const col = { type: this.schema.type as 'id', codes: this.g.done() } as Extract<Column, { codes: Int32Array }>;
    lazyStrings(col, this.index);
    return col;
  }
}

function stringChecker(c: ColumnSchema): ((t: string) => string | Failure) | null {
  switch (c.type) {
    case 'uscc':
      return (t) => {
        const r = validateUscc(t);
        return r.ok ? r.value : r;
      };
    case 'party':
      return (t) => {
        const r = validatePartyId(t);
        return r.ok ? r.value.id : r;
      };
    case 'region':
      return (t) => {
        const r = validateRegionCode(t);
        return r.ok ? r.value : r;
      };
    default:
      return null;
  }
}

/**
 * Results of a pure cell parser remembered by the cell's bytes, for columns with few distinct
 * spellings (enums, bools, tag lists): one hash look-up instead of a string, NFKC and a Map.
 * Failures are not remembered (they go through the parser again, which reports them).
 */
class BytesMemo {
  private readonly dict = new ByteDict();
  private values = new Float64Array(64);
  static readonly LIMIT = 4096;
  get(b: Uint8Array, s: number, e: number): number | undefined {
    const k = this.dict.find(b, s, e);
    return k < 0 ? undefined : this.values[k];
  }
  set(b: Uint8Array, s: number, e: number, v: number): void {
    if (this.dict.count >= BytesMemo.LIMIT) return;
    const k = this.dict.intern(b, s, e);
    if (k >= this.values.length) {
      const nv = new Float64Array(this.values.length * 2);
      nv.set(this.values);
      this.values = nv;
    }
    this.values[k] = v;
  }
}

/** enum: codes index `schema.values` (dict = values), -1 = empty. */
class EnumBuilder implements ColumnBuilder {
  readonly schema: ColumnSchema;
  private readonly g = new Grow((n) => new Int32Array(n));
  private readonly map: Map<string, number>;
  constructor(schema: ColumnSchema) {
    this.schema = schema;
    this.map = choiceMap(schema);
  }
  private readonly memo = new BytesMemo();
  push(text: string): Failure | null {
    const i = this.map.get(normChoice(text));
    if (i === undefined) {
      this.g.push(-1);
      return fail('enum.unknown', `无法识别的取值“${text}”：应为以下之一：${choiceList(this.schema)}`);
    }
    this.g.push(i);
    return null;
  }
  pushBytes(b: Buffer, s: number, e: number): Failure | null {
    const v = this.memo.get(b, s, e);
    if (v !== undefined) {
      this.g.push(v);
      return null;
    }
    const f = this.push(b.toString('utf8', s, e));
    if (f === null) this.memo.set(b, s, e, this.g.a[this.g.n - 1]);
    return f;
  }
  pushEmpty(): void {
    this.g.push(-1);
  }
  reserve(n: number): void {
    this.g.reserve(n);
  }
  finish(): Column {
    return { type: 'enum', codes: this.g.done(), dict: [...(this.schema.values ?? [])] };
  }
}

class BoolBuilder implements ColumnBuilder {
  readonly schema: ColumnSchema;
  private readonly g = new Grow((n) => new Int8Array(n));
  constructor(schema: ColumnSchema) {
    this.schema = schema;
  }
  private readonly memo = new BytesMemo();
  push(text: string): Failure | null {
    const r = parseBool(text);
    this.g.push(r.ok ? (r.value ? 1 : 0) : -1);
    return r.ok ? null : r;
  }
  pushBytes(b: Buffer, s: number, e: number): Failure | null {
    const v = this.memo.get(b, s, e);
    if (v !== undefined) {
      this.g.push(v);
      return null;
    }
    const f = this.push(b.toString('utf8', s, e));
    if (f === null) this.memo.set(b, s, e, this.g.a[this.g.n - 1]);
    return f;
  }
  pushEmpty(): void {
    this.g.push(-1);
  }
  reserve(n: number): void {
    this.g.reserve(n);
  }
  finish(): Column {
    return { type: 'bool', values: this.g.done() };
  }
}

const TAG_SEP = /[;；、]/;

/** tags: bit i of the mask = schema.values[i]. */
class TagsBuilder implements ColumnBuilder {
  readonly schema: ColumnSchema;
  private readonly g = new Grow((n) => new Uint32Array(n));
  private readonly map: Map<string, number>;
  constructor(schema: ColumnSchema) {
    this.schema = schema;
    this.map = choiceMap(schema);
    if ((schema.values?.length ?? 0) > 32) throw new Error(`tags column ${schema.key}: more than 32 tags`);
  }
  push(text: string): Failure | null {
    let mask = 0;
    for (const part of text.split(TAG_SEP)) {
      const t = part.trim();
      if (t === '') continue;
      const i = this.map.get(normChoice(t));
      if (i === undefined) {
        this.g.push(0);
        return fail('tags.unknown', `无法识别的标签“${t}”：标签用英文分号 ; 分隔，每个应为以下之一：${choiceList(this.schema)}`);
      }
      mask |= 1 << i;
    }
    this.g.push(mask >>> 0);
    return null;
  }
  private readonly memo = new BytesMemo();
  pushBytes(b: Buffer, s: number, e: number): Failure | null {
    const v = this.memo.get(b, s, e);
    if (v !== undefined) {
      this.g.push(v);
      return null;
    }
    const f = this.push(b.toString('utf8', s, e));
    if (f === null) this.memo.set(b, s, e, this.g.a[this.g.n - 1]);
    return f;
  }
  pushEmpty(): void {
    this.g.push(0);
  }
  reserve(n: number): void {
    this.g.reserve(n);
  }
  finish(): Column {
    return { type: 'tags', masks: this.g.done(), tags: [...(this.schema.values ?? [])] };
  }
}

export function columnBuilder(c: ColumnSchema): ColumnBuilder {
  switch (c.type) {
    case 'money':
    case 'rate':
    case 'int':
    case 'year':
    case 'date':
    case 'month':
      return new NumberBuilder(c);
    case 'id':
    case 'party':
    case 'uscc':
    case 'string':
    case 'region':
      return new DictBuilder(c);
    case 'enum':
      return new EnumBuilder(c);
    case 'bool':
      return new BoolBuilder(c);
    case 'tags':
      return new TagsBuilder(c);
  }
}

/** An all-empty column of `length` rows (a schema column the file does not have). */
export function emptyColumn(c: ColumnSchema, length: number): Column {
  switch (c.type) {
    case 'money':
    case 'rate':
    case 'int':
    case 'year':
    case 'date':
    case 'month':
      return { type: c.type, values: new Float64Array(length).fill(NaN) };
    case 'id':
    case 'party':
    case 'uscc':
    case 'string':
    case 'region':
      return { type: c.type, codes: new Int32Array(length).fill(-1), dict: [] };
    case 'enum':
      return { type: 'enum', codes: new Int32Array(length).fill(-1), dict: [...(c.values ?? [])] };
    case 'bool':
      return { type: 'bool', values: new Int8Array(length).fill(-1) };
    case 'tags':
      return { type: 'tags', masks: new Uint32Array(length), tags: [...(c.values ?? [])] };
  }
}
