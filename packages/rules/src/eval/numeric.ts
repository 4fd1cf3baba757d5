// Integer numerators over one fixed denominator: the batch evaluator's path for values built from
// stored integer columns (fen, counts, 12 × 月均余额) and their sums per group. Float64 holds them
// exactly below 2^53; every consumer checks that and falls back to rationals when a value leaves
// that range, so results are the same fen as the rational path, with no object per row or group.

import { Q, type RoundingMode } from '@caijin/core';
import type { DataView } from '../data/view.ts';
import type { Expr } from '../expr/ast.ts';
import { compile, isAggregate, literal, type CompileEnv, type Fn } from './compile.ts';
import { splitProportionally } from './allocate.ts';

export interface NumFn {
  get(x: number): number;
  den: number;
  /** May yield Infinity (an `unlimited` category attribute): only min/max may take it further. */
  inf?: boolean;
}

/** Denominators stay far below 2^53 so numerator × factor checks keep their meaning. */
const MAX_DEN = 2 ** 40;

function lcmNum(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** balance_sum_from(month) per pair as a number (fen), for the numeric path. */
export function balanceSumNum(view: DataView, table: 'loans' | 'guarantees', pairItem: Int32Array) {
  return (month: Fn) => (p: number) => {
    const mv = month(p);
    return mv === null ? NaN : view.balanceSumFrom(table, pairItem[p], Number((mv as Q).n));
  };
}

/** A positive literal n/d with small parts, for × and ÷ on numerators. */
function smallPositive(e: Expr): { n: number; d: number } | undefined {
  const r = literal(e);
  if (!(r instanceof Q) || r.sign() <= 0 || r.n > 1_000_000n || r.d > 1_000_000n) return undefined;
  return { n: Number(r.n), d: Number(r.d) };
}

/**
 * A value as integer numerators over one fixed denominator, when the expression is made only of
 * stored integer columns, numeric aggregates (where the env offers them), small literals, + − ×
 * ÷ by literals, products, min/max and if. Undefined otherwise (the general rational path then runs).
 */
export function compileNumeric(e: Expr, env: CompileEnv, balanceSum?: (month: Fn) => (p: number) => number): NumFn | undefined {
  const lit = literal(e);
  if (lit !== undefined) {
    if (!(lit instanceof Q) || lit.n > BigInt(Number.MAX_SAFE_INTEGER) || lit.n < -BigInt(Number.MAX_SAFE_INTEGER) || lit.d > 1_000_000n) return undefined;
    const n = Number(lit.n);
    return { get: () => n, den: Number(lit.d) };
  }
  const scaleTo = (f: NumFn, den: number): ((p: number) => number) => {
    const k = den / f.den;
    return k === 1 ? f.get : (p) => f.get(p) * k;
  };
  const sub = (x: Expr) => {
    const f = compileNumeric(x, env, balanceSum);
    return f && !f.inf ? f : undefined;
  };
  switch (e.k) {
    case 'ref':
      return env.numeric?.(e.path);
    case 'bin': {
      if (e.op === '/' || e.op === '*') {
        const a = sub(e.left);
        if (!a) return undefined;
        const r = smallPositive(e.right);
        if (r) {
          // × n/d and ÷ n/d scale the numerator and the denominator.
          const [mul, div] = e.op === '*' ? [r.n, r.d] : [r.d, r.n];
          const den = a.den * div;
          if (den > MAX_DEN) return undefined;
          return mul === 1 ? { get: a.get, den } : { get: (p) => a.get(p) * mul, den };
        }
        if (e.op === '/') return undefined;
        const b = sub(e.right);
        if (!b || a.den * b.den > MAX_DEN) return undefined;
        return { get: (p) => a.get(p) * b.get(p), den: a.den * b.den };
      }
      if (e.op === '+' || e.op === '-') {
        const a = sub(e.left);
        const b = sub(e.right);
        if (!a || !b) return undefined;
        const den = lcmNum(a.den, b.den);
        if (den > MAX_DEN) return undefined;
        const x = scaleTo(a, den);
        const y = scaleTo(b, den);
        return e.op === '+' ? { get: (p) => x(p) + y(p), den } : { get: (p) => x(p) - y(p), den };
      }
      return undefined;
    }
    case 'call': {
      if (isAggregate(e)) return env.aggregateNumeric?.(e);
      if (e.fn === 'if' && e.args.length === 3) {
        const c = compile(e.args[0], env);
        const a = sub(e.args[1]);
        const b = sub(e.args[2]);
        if (!a || !b) return undefined;
        const den = lcmNum(a.den, b.den);
        if (den > MAX_DEN) return undefined;
        const x = scaleTo(a, den);
        const y = scaleTo(b, den);
        return { get: (p) => (c(p) === true ? x(p) : y(p)), den };
      }
      if ((e.fn === 'min' || e.fn === 'max') && e.args.length >= 2) {
        // Infinity (unlimited) is the neutral element of min, as in minOf; a result that is still
        // Infinity is not a safe integer, so its consumer falls back to rationals.
        const fs = e.args.map((a) => compileNumeric(a, env, balanceSum));
        if (fs.some((f) => !f)) return undefined;
        const den = fs.reduce((d, f) => lcmNum(d, f!.den), 1);
        if (den > MAX_DEN) return undefined;
        const gs = fs.map((f) => scaleTo(f!, den));
        const inf = fs.some((f) => f!.inf);
        const pick = e.fn === 'min' ? Math.min : Math.max;
        if (gs.length === 2) {
          const [g0, g1] = gs;
          return { get: (p) => pick(g0(p), g1(p)), den, inf };
        }
        return { get: (p) => pick(...gs.map((g) => g(p))), den, inf };
      }
      if (e.fn === 'balance_sum_from' && balanceSum) {
        return { get: balanceSum(compile(e.args[0], env)), den: 1 };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const SPLIT = 2 ** 26;

/**
 * Exact sums of integer numerators per group. Each value is split at 2^26 and the halves are
 * summed apart, so no sum can leave float64's exact range (for fewer than 2^26 values per group).
 * Null when a value is not a safe integer: the caller then sums rationals.
 */
export function sumGroups(groupOf: Int32Array, ng: number, n: number, get: (p: number) => number, cond: Fn | null): { hi: Float64Array; lo: Float64Array } | null {
  if (n >= SPLIT) return null;
  const hi = new Float64Array(ng);
  const lo = new Float64Array(ng);
  for (let p = 0; p < n; p++) {
    const g = groupOf[p];
    if (g < 0 || (cond && cond(p) !== true)) continue;
    const v = get(p);
    if (Number.isNaN(v)) continue;
    if (!Number.isSafeInteger(v)) return null;
    const h = Math.floor(v / SPLIT);
    hi[g] += h;
    lo[g] += v - h * SPLIT;
  }
  return { hi, lo };
}

/** One group's exact sum: a number when it is a safe integer, else a bigint. */
export function groupSum(s: { hi: Float64Array; lo: Float64Array }, g: number): number | bigint {
  const t = s.hi[g] * SPLIT + s.lo[g];
  return Math.abs(t) <= Number.MAX_SAFE_INTEGER ? t : BigInt(s.hi[g]) * BigInt(SPLIT) + BigInt(s.lo[g]);
}

/**
 * num/den rounded to whole fen with the clause's rounding, negative results as 0 (like
 * Q.round followed by the group stage's clamp). `num` is a safe integer.
 */
export function roundFen(num: number, den: number, mode: RoundingMode): number {
  if (num <= 0) return 0;
  if (den === 1) return num;
  let q = Math.floor(num / den);
  let r = num - q * den;
  if (r < 0) {
    q -= 1;
    r += den;
  } else if (r >= den) {
    q += 1;
    r -= den;
  }
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return r > 0 ? q + 1 : q;
    case 'half_up':
      return 2 * r >= den ? q + 1 : q;
    case 'half_even':
      return 2 * r > den ? q + 1 : 2 * r < den ? q : q % 2 === 0 ? q : q + 1;
  }
}

/**
 * `total` fen (≥ 0) shared in proportion to integer weights (not positive or empty = 0) by largest
 * remainder, ties to the smaller id: splitProportionally's result, in float64 while total × Σweights
 * stays exact, else through it. Ids are asked for only when remainders tie.
 */
export function shareFen(total: number, weights: ArrayLike<number>, idAt: (j: number) => string): number[] {
  const k = weights.length;
  if (k === 1) return [total];
  const w = new Array<number>(k);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    w[j] = weights[j] > 0 ? weights[j] : 0;
    sum += w[j];
  }
  if (sum === 0) return w.map(() => 0);
  if (!(sum <= Number.MAX_SAFE_INTEGER && total * sum <= Number.MAX_SAFE_INTEGER)) {
    return splitProportionally(BigInt(total), w.map(BigInt), idAt).map(Number);
  }
  const parts = new Array<number>(k);
  const rema = new Array<number>(k);
  let left = total;
  for (let j = 0; j < k; j++) {
    const x = total * w[j];
    let q = Math.floor(x / sum);
    let r = x - q * sum;
    if (r < 0) {
      q -= 1;
      r += sum;
    } else if (r >= sum) {
      q += 1;
      r -= sum;
    }
    parts[j] = q;
    rema[j] = r;
    left -= q;
  }
  if (left > 0) {
    const order = parts.map((_, j) => j);
    order.sort((a, b) => {
      if (rema[a] !== rema[b]) return rema[a] > rema[b] ? -1 : 1;
      const ia = idAt(a);
      const ib = idAt(b);
      return ia < ib ? -1 : ia > ib ? 1 : a - b;
    });
    for (let j = 0; j < k && left > 0; j++, left--) parts[order[j]] += 1;
  }
  return parts;
}
