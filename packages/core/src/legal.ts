// Legal boundary words (法定界限用语). 民法典 第一千二百五十九条: "以上、以下、以内、届满，包括本数；
// 不满、超过、以外，不包括本数". Every threshold text of a policy goes through here, so that
// "不超过1000万元" and "超过1000万元" never get the same boundary by accident.
import { Q } from './rational.ts';
import { type Parsed, type Failure, ok, fail } from './parsed.ts';

export type BoundOp = '<=' | '<' | '>=' | '>';

/** `value` is in the base unit: 元 for 元/万元/亿元, a fraction for % (1% → 0.01), a count otherwise. */
export interface Bound {
  op: BoundOp;
  value: Q;
  word: string; // the word as written, e.g. "不超过"; for "A—B" ranges the dash
  unit?: string; // the unit as written, e.g. "万元"; absent for a plain number
}

const WORDS: Readonly<Record<string, BoundOp>> = {
  以上: '>=', 及以上: '>=', 达到: '>=', 不低于: '>=', 不少于: '>=', 不小于: '>=',
  以下: '<=', 及以下: '<=', 以内: '<=', 不超过: '<=', 不高于: '<=', 不多于: '<=', 不大于: '<=', 届满: '<=',
  超过: '>', 高于: '>', 大于: '>', 多于: '>',
  不满: '<', 未满: '<', 不足: '<', 低于: '<', 小于: '<', 少于: '<',
};
// Which words stand before the number ("超过1%") and which after it ("1%以上").
const PREFIX = sortLongestFirst(['达到', '不低于', '不少于', '不小于', '不超过', '不高于', '不多于', '不大于',
  '超过', '高于', '大于', '多于', '不满', '未满', '不足', '低于', '小于', '少于']);
const SUFFIX = sortLongestFirst(['以上', '及以上', '以下', '及以下', '以内', '届满', '不满', '不足']);

/** Unit → factor to the base unit. */
const UNITS: ReadonlyMap<string, Q> = new Map([
  ['亿元', Q.of(100_000_000)], ['万元', Q.of(10_000)], ['元', Q.ONE], ['亿', Q.of(100_000_000)], ['万', Q.of(10_000)],
  ['%', Q.of(1, 100)], ['个百分点', Q.of(1, 100)], ['‰', Q.of(1, 1000)], ['倍', Q.ONE],
  ['个月', Q.ONE], ['年', Q.ONE], ['月', Q.ONE], ['日', Q.ONE], ['天', Q.ONE], ['人', Q.ONE], ['户', Q.ONE],
  ['家', Q.ONE], ['笔', Q.ONE], ['个', Q.ONE], ['次', Q.ONE], ['分', Q.ONE],
]);
const UNIT_NAMES = sortLongestFirst([...UNITS.keys()]);
const RANGE_SEPS = sortLongestFirst(['——', '—', '–', '-', '~', '～', '至', '到']);
const LIST_SEPS = sortLongestFirst(['、', ',', ';', '且', '并且', '但', '而']);

function sortLongestFirst(xs: string[]): readonly string[] {
  return [...xs].sort((a, b) => b.length - a.length);
}

function normalize(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/％/g, '%').replace(/．/g, '.').replace(/（/g, '(').replace(/）/g, ')')
    .replace(/[，；]/g, (c) => (c === '，' ? ',' : ';'))
    .replace(/\s+/g, '')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1'); // thousands separators inside a number
}

function matchAny(s: string, i: number, list: readonly string[]): string | undefined {
  return list.find((w) => s.startsWith(w, i));
}

/** One "word? number unit? (含)? word? (含)?" piece of a threshold text. */
interface Piece {
  prefix?: string;
  suffix?: string;
  num: Q;
  unit?: string;
  incl?: boolean; // (含) → true, (不含) → false
  end: number;
}

function readIncl(s: string, i: number): { incl: boolean; len: number } | undefined {
  if (s.startsWith('(含)', i)) return { incl: true, len: 3 };
  if (s.startsWith('(不含)', i)) return { incl: false, len: 4 };
  return undefined;
}

function readPiece(s: string, start: number): Piece | Failure {
  let i = start;
  const prefix = matchAny(s, i, PREFIX);
  if (prefix) i += prefix.length;
  const m = /^\d+(?:\.\d+)?/.exec(s.slice(i));
  if (!m) return fail('legal.number', `界限表述缺少数值：“${s.slice(start) || s}”`);
  const num = Q.parse(m[0]) as Q;
  i += m[0].length;
  const unit = matchAny(s, i, UNIT_NAMES);
  if (unit) i += unit.length;
  let inc = readIncl(s, i);
  if (inc) i += inc.len;
  const suffix = prefix ? undefined : matchAny(s, i, SUFFIX);
  if (suffix) {
    i += suffix.length;
    const inc2 = readIncl(s, i);
    if (inc2 && !inc) {
      inc = inc2;
      i += inc2.len;
    }
  }
  return { prefix, suffix, num, unit, incl: inc?.incl, end: i };
}

function withIncl(op: BoundOp, incl: boolean | undefined): BoundOp {
  if (incl === undefined) return op;
  if (op === '>' || op === '>=') return incl ? '>=' : '>';
  return incl ? '<=' : '<';
}

function inclText(incl: boolean | undefined): string {
  return incl === undefined ? '' : incl ? '(含)' : '(不含)';
}

function valueOf(p: Piece, unit: string | undefined): Q {
  return unit ? p.num.mul(UNITS.get(unit) as Q) : p.num;
}

function boundOf(p: Piece, unit: string | undefined): Bound {
  const word = (p.prefix ?? p.suffix) as string;
  const b: Bound = { op: withIncl(WORDS[word], p.incl), value: valueOf(p, unit), word };
  if (unit) b.unit = unit;
  return b;
}

const NO_WORD = '缺少界限用语（如 以上、以下、超过、不超过、不满）';

/** "超过1%", "0.9%以下", "不超过1000万元", "达到8倍", "500万元(含)以上" → one bound. */
export function parseLegalBound(text: string): Parsed<Bound> {
  const s = normalize(text);
  if (s === '') return fail('legal.empty', '界限表述为空');
  const p = readPiece(s, 0);
  if ('ok' in p) return p;
  if (p.end !== s.length) return fail('legal.format', `无法识别的界限表述：“${text.trim()}”`);
  if (!p.prefix && !p.suffix) return fail('legal.no_word', NO_WORD);
  return ok(boundOf(p, p.unit));
}

export interface LegalRange {
  lower?: Bound;
  upper?: Bound;
}

const isLower = (b: Bound): boolean => b.op === '>' || b.op === '>=';

/**
 * Two-sided (or one-sided) threshold text:
 * - two worded bounds, separated or not: "超过1%、不超过3%", "1%以上3%以下";
 * - "A—B" (also -, ~, 至, 到) without words: lower ≥ A, upper < B; "(含)" after B makes it ≤ B,
 *   "(不含)" after A makes it > A; a unit written only once applies to both ("1—3%");
 * - "超过A至B" (a word on A only): B is included, as in the tax tables' "超过36000元至144000元".
 */
export function parseLegalRange(text: string): Parsed<LegalRange> {
  const s = normalize(text);
  if (s === '') return fail('legal.empty', '界限表述为空');
  const a = readPiece(s, 0);
  if ('ok' in a) return a;
  let i = a.end;
  const dash = matchAny(s, i, RANGE_SEPS);
  let bounds: Bound[];
  if (i === s.length) {
    if (!a.prefix && !a.suffix) return fail('legal.no_word', NO_WORD);
    bounds = [boundOf(a, a.unit)];
  } else {
    const sep = dash ?? matchAny(s, i, LIST_SEPS) ?? '';
    i += sep.length;
    const b = readPiece(s, i);
    if ('ok' in b) return b;
    if (b.end !== s.length) return fail('legal.format', `无法识别的界限表述：“${text.trim()}”`);
    const aWord = a.prefix ?? a.suffix;
    const bWord = b.prefix ?? b.suffix;
    if (!aWord && !dash) return fail('legal.no_word', NO_WORD);
    const unitA = a.unit ?? (aWord ? undefined : b.unit);
    const unitB = b.unit ?? (bWord ? undefined : a.unit);
    const lower: Bound = aWord
      ? boundOf(a, unitA)
      : { op: withIncl('>=', a.incl), value: valueOf(a, unitA), word: sep + inclText(a.incl) };
    if (unitA && !aWord) lower.unit = unitA;
    let upper: Bound;
    if (bWord) upper = boundOf(b, unitB);
    else if (dash) {
      // "A—B" reads "from A up to B": B excluded unless marked (含); after a worded A ("超过A至B") B is included.
      const op = withIncl(aWord ? '<=' : '<', b.incl);
      upper = { op, value: valueOf(b, unitB), word: sep + inclText(b.incl) };
      if (unitB) upper.unit = unitB;
    } else return fail('legal.no_word', NO_WORD);
    bounds = [lower, upper];
  }
  const r: LegalRange = {};
  for (const b of bounds) {
    const side = isLower(b) ? 'lower' : 'upper';
    if (r[side]) {
      return fail('legal.range_conflict', `区间两端同为${side === 'lower' ? '下限' : '上限'}：“${text.trim()}”`);
    }
    r[side] = b;
  }
  if (r.lower && r.upper) {
    const c = r.lower.value.cmp(r.upper.value);
    if (c > 0 || (c === 0 && (r.lower.op === '>' || r.upper.op === '<'))) {
      return fail('legal.range_empty', `区间为空（下限不小于上限）：“${text.trim()}”`);
    }
  }
  return ok(r);
}

/** Does `value` meet the bound? (value in the bound's base unit). */
export function satisfies(value: Q, b: Bound): boolean {
  const c = value.cmp(b.value);
  switch (b.op) {
    case '<=': return c <= 0;
    case '<': return c < 0;
    case '>=': return c >= 0;
    case '>': return c > 0;
  }
}

/** Within both sides of a range (an absent side is no constraint). */
export function inRange(value: Q, r: LegalRange): boolean {
  return (!r.lower || satisfies(value, r.lower)) && (!r.upper || satisfies(value, r.upper));
}
