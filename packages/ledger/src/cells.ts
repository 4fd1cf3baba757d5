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
import { BigMap } from './bigmap.ts';
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
  /** Overwrite the last pushed value. */
  setLast(v: number): void {
    this.a[this.n - 1] = v;
  }
  done(): T {
    return this.a.slice(0, this.n) as T;
  }
}

export interface ColumnBuilder {
  readonly schema: ColumnSchema;
  /** Parse and store one non-empty, trimmed cell; returns the failure (and stores "empty") when the text is wrong. */
  push(text: string): Failure | null;
  pushEmpty(): void;
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
  constructor(schema: ColumnSchema) {
    this.schema = schema;
    this.parse = numberParser(schema);
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

/** id, party, uscc, string, region: dictionary-encoded strings. */
class DictBuilder implements ColumnBuilder {
  readonly schema: ColumnSchema;
  private readonly g = new Grow((n) => new Int32Array(n));
  readonly dict: string[] = [];
  private readonly index = new BigMap<string, number>();
  /** Cell text as written → code, for texts already validated (ids repeat: a bank on every loan). */
  private readonly seen = new BigMap<string, number>();
  private lastText = '';
  private lastCode = -1;
  private readonly check: ((t: string) => string | Failure) | null;
  constructor(schema: ColumnSchema) {
    this.schema = schema;
    this.check = stringChecker(schema);
  }
  push(text: string): Failure | null {
    // Consecutive rows often repeat a value (balances sorted by loan).
    if (text === this.lastText && this.lastCode >= 0) {
      this.g.push(this.lastCode);
      return null;
    }
    let c: number;
    if (this.check === null) c = this.code(text);
    else {
      const hit = this.seen.get(text);
      if (hit !== undefined) c = hit;
      else {
        const r = this.check(text);
        if (typeof r !== 'string') {
          this.g.push(-1);
          return r;
        }
        c = this.code(r);
        this.seen.set(text, c);
      }
    }
    this.lastText = text;
    this.lastCode = c;
    this.g.push(c);
    return null;
  }
  code(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.index.set(s, c);
    }
    return c;
  }
  pushEmpty(): void {
    this.g.push(-1);
  }
  finish(): Column {
    return { type: this.schema.type as 'id', codes: this.g.done(), dict: this.dict };
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

/** enum: codes index `schema.values` (dict = values), -1 = empty. */
class EnumBuilder implements ColumnBuilder {
  readonly schema: ColumnSchema;
  private readonly g = new Grow((n) => new Int32Array(n));
  private readonly map: Map<string, number>;
  constructor(schema: ColumnSchema) {
    this.schema = schema;
    this.map = choiceMap(schema);
  }
  push(text: string): Failure | null {
    const i = this.map.get(normChoice(text));
    if (i === undefined) {
      this.g.push(-1);
      return fail('enum.unknown', `无法识别的取值“${text}”：应为以下之一：${choiceList(this.schema)}`);
    }
    this.g.push(i);
    return null;
  }
  pushEmpty(): void {
    this.g.push(-1);
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
  push(text: string): Failure | null {
    const r = parseBool(text);
    this.g.push(r.ok ? (r.value ? 1 : 0) : -1);
    return r.ok ? null : r;
  }
  pushEmpty(): void {
    this.g.push(-1);
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
  pushEmpty(): void {
    this.g.push(0);
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
