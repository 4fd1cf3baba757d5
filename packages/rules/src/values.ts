// Runtime values of rule expressions and the operations on them. Both evaluators (columnar batch
// and traced single-recipient) call these same functions, so they cannot disagree on arithmetic;
// the property test checks that they agree on everything else (filtering, grouping, caps, pools).

import { Q } from '@caijin/core';

/** "No limit": a cap that does not bind (e.g. a category without a per-enterprise cap). */
export const UNLIMITED = Object.freeze({ unlimited: true as const });
export type Unlimited = typeof UNLIMITED;

/** A set of tags of one row (e.g. a loan's products). */
export interface TagSet {
  tags: readonly string[];
}

/** One band of a scale: applies from `lower` (inclusive when lowerIncl) up to the next band. */
export interface Band {
  lower: Q;
  lowerIncl: boolean;
  value: Q;
}

/**
 * A scale parameter. `marginal`: each band's value is a rate applied to the part of x inside the
 * band (超额累进). `step`: x takes the value of the band it falls in (阶梯/分档).
 */
export interface Scale {
  scale: 'marginal' | 'step';
  bands: Band[];
}

export type V = Q | boolean | string | null | TagSet | Unlimited | Scale | V[];

export function isQ(v: V): v is Q {
  return v instanceof Q;
}
export function isScale(v: V): v is Scale {
  return typeof v === 'object' && v !== null && !(v instanceof Q) && !Array.isArray(v) && 'scale' in v;
}
export function isUnlimited(v: V): v is Unlimited {
  return v === UNLIMITED;
}
export function isTags(v: V): v is TagSet {
  return typeof v === 'object' && v !== null && !(v instanceof Q) && !Array.isArray(v) && 'tags' in v;
}

// Arithmetic: empty (null) propagates, so a missing input leaves a result undefined rather than 0.
export function add(a: V, b: V): V {
  if (a === null || b === null) return null;
  return (a as Q).add(b as Q);
}
export function sub(a: V, b: V): V {
  if (a === null || b === null) return null;
  return (a as Q).sub(b as Q);
}
export function mul(a: V, b: V): V {
  if (a === null || b === null) return null;
  if (isUnlimited(a) || isUnlimited(b)) return UNLIMITED;
  return (a as Q).mul(b as Q);
}
/** Division by zero gives null: an undefined ratio (e.g. 代偿率 with nothing released). */
export function div(a: V, b: V): V {
  if (a === null || b === null) return null;
  return (a as Q).div(b as Q);
}
export function neg(a: V): V {
  return a === null ? null : (a as Q).neg();
}

export function equals(a: V, b: V): boolean {
  if (a === null || b === null) return false;
  if (a instanceof Q && b instanceof Q) return a.eq(b);
  return a === b;
}

/** Ordered comparison; anything compared with empty is false (an unknown value meets no threshold). */
export function compare(op: '<' | '<=' | '>' | '>=', a: V, b: V): boolean {
  if (a === null || b === null) return false;
  if (isUnlimited(a) || isUnlimited(b)) {
    const c = isUnlimited(a) ? (isUnlimited(b) ? 0 : 1) : -1;
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }
  const c = (a as Q).cmp(b as Q);
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

export function member(a: V, list: V): boolean {
  if (a === null || !Array.isArray(list)) return false;
  return list.some((x) => equals(a, x));
}

export function hasTag(tags: V, tag: V): boolean {
  return isTags(tags) && typeof tag === 'string' && tags.tags.includes(tag);
}

export function minOf(args: V[]): V {
  let best: V = UNLIMITED;
  for (const a of args) {
    if (a === null) return null;
    if (isUnlimited(a)) continue;
    if (isUnlimited(best) || (a as Q).lt(best as Q)) best = a;
  }
  return best;
}
export function maxOf(args: V[]): V {
  let best: V = null;
  for (const a of args) {
    if (a === null) return null;
    if (isUnlimited(a)) return UNLIMITED;
    if (best === null || (a as Q).gt(best as Q)) best = a;
  }
  return best;
}

/** Σ over bands of (min(x, top) − bottom)⁺ × band rate. */
export function marginal(x: V, s: V): V {
  if (x === null || !isScale(s)) return null;
  const xv = x as Q;
  let total = Q.ZERO;
  for (let i = 0; i < s.bands.length; i++) {
    const b = s.bands[i];
    const top = i + 1 < s.bands.length ? s.bands[i + 1].lower : null;
    const upto = top === null ? xv : Q.min(xv, top);
    const part = upto.sub(b.lower);
    if (part.sign() > 0) total = total.add(part.mul(b.value));
  }
  return total;
}

/** The value of the band x falls in; null when x lies below every band. */
export function step(x: V, s: V): V {
  if (x === null || !isScale(s)) return null;
  const xv = x as Q;
  let found: Q | null = null;
  for (const b of s.bands) {
    const c = xv.cmp(b.lower);
    if (c > 0 || (c === 0 && b.lowerIncl)) found = b.value;
  }
  return found;
}

/** Apply a scale parameter called like a function: marginal or step by its own kind. */
export function applyScale(s: V, x: V): V {
  if (!isScale(s)) return s; // a scalar given for a scale means that value everywhere
  return s.scale === 'marginal' ? marginal(x, s) : step(x, s);
}

export function truthy(v: V): boolean {
  return v === true;
}

/** Text of a value for traces: money in yuan with two decimals, rates as percents. */
export function showValue(v: V, type?: string): string {
  if (v === null) return '（空）';
  if (isUnlimited(v)) return '不设上限';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return v;
  if (isTags(v)) return v.tags.join(';');
  if (Array.isArray(v)) return v.map((x) => showValue(x, type)).join('、');
  if (isScale(v)) {
    return v.bands.map((b) => `${b.lowerIncl ? '≥' : '>'}${b.lower.toDecimal()}: ${b.value.toDecimal()}`).join('; ');
  }
  const q = v as Q;
  if (type === 'money') return yuanText(q);
  if (type === 'rate') return q.toPercent(6);
  return q.toDecimal(6);
}

/** Money held in fen → yuan text, exact when it is whole fen, else with "…" after 4 decimals. */
export function yuanText(fen: Q): string {
  const y = fen.div(Q.of(100)) as Q;
  const t = y.toDecimal(4);
  if (t.endsWith('…')) return t + ' 元';
  const [i, f = ''] = t.split('.');
  return `${i}.${f.padEnd(2, '0')} 元`;
}
