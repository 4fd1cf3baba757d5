// Compile an expression tree into a closure over an index (a row, a pair, a recipient). The batch
// evaluator runs these closures down whole columns; nothing here parses or evaluates text.

import type { Expr } from '../expr/ast.ts';
import { show } from '../expr/ast.ts';
import { WINDOW_FUNCTIONS } from '../expr/types.ts';
import { Q } from '@caijin/core';
import { UNLIMITED, neg, type V } from '../values.ts';
import { binaryOp, scalarCall } from './ops.ts';

export type Fn = (x: number) => V;
export type CallExpr = Extract<Expr, { k: 'call' }>;

export interface CompileEnv {
  ref(path: string[]): Fn | undefined;
  scale(name: string): V;
  /** Per-index value of an aggregate over this index's rows (computed by the caller). */
  aggregate?(call: CallExpr): Fn;
  /** The same as integer numerators over one denominator, where every value allows it. */
  aggregateNumeric?(call: CallExpr): { get(x: number): number; den: number } | undefined;
  window?(call: CallExpr): Fn;
  balanceSumFrom?(month: Fn): Fn;
  /** Fast paths over stored columns (optional): dictionary codes, tag masks, numerators. */
  codes?(path: string[]): { get(x: number): number; dict: readonly string[] } | undefined;
  mask?(path: string[]): { get(x: number): number; tags: readonly string[] } | undefined;
  numeric?(path: string[]): { get(x: number): number; den: number } | undefined;
  /** A bool field as 1 / 0 / -1 (empty). */
  truth?(path: string[]): ((x: number) => number) | undefined;
  /** The value of a name that is the same for every index (parameter, constant, this_year). */
  constant?(path: string[]): V | undefined;
}

const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' } as const;
type CmpOp = keyof typeof FLIP;

/** An expression's value when it reads no row: literals, constants and scalar calls on them. */
function constantValue(e: Expr, env: CompileEnv): V | undefined {
  const lit = literal(e);
  if (lit !== undefined) return lit;
  if (e.k === 'ref') return env.constant?.(e.path);
  if (e.k === 'call' && !isAggregate(e) && !WINDOW_FUNCTIONS.has(e.fn) && e.fn !== 'balance_sum_from' && e.fn !== 'if') {
    const args = e.args.map((a) => constantValue(a, env));
    if (args.some((a) => a === undefined)) return undefined;
    return scalarCall(e.fn, args as V[], (name) => env.scale(name));
  }
  return undefined;
}

/**
 * `column op constant` on an integer column: the constant becomes an integer bound once, and each
 * row compares two numbers (no rational per row). x/den op n/d, x an integer: x < t ⟺ x < ⌈t⌉,
 * x ≤ t ⟺ x ≤ ⌊t⌋, and so on, with t = n·den/d.
 */
function numericCompare(e: Extract<Expr, { k: 'bin' }>, env: CompileEnv): Fn | undefined {
  if (!env.numeric || !(e.op in FLIP)) return undefined;
  for (const [ref, other, flipped] of [
    [e.left, e.right, false],
    [e.right, e.left, true],
  ] as const) {
    if (ref.k !== 'ref') continue;
    const c = constantValue(other, env);
    if (!(c instanceof Q)) continue;
    const num = env.numeric(ref.path);
    if (!num) continue;
    const op: CmpOp = flipped ? FLIP[e.op as CmpOp] : (e.op as CmpOp);
    const tn = c.n * BigInt(num.den);
    let fl = tn / c.d;
    if (tn % c.d !== 0n && tn < 0n) fl -= 1n;
    const exact = tn % c.d === 0n;
    const ce = exact ? fl : fl + 1n;
    const lim = BigInt(Number.MAX_SAFE_INTEGER);
    if (fl > lim || fl < -lim || ce > lim || ce < -lim) return undefined;
    const lo = Number(fl);
    const hi = Number(ce);
    const get = num.get;
    // NaN (empty) compares false every way, as in the general path.
    switch (op) {
      case '<':
        return (x) => get(x) < hi;
      case '<=':
        return (x) => get(x) <= lo;
      case '>':
        return (x) => get(x) > lo;
      case '>=':
        return (x) => get(x) >= hi;
      case '=':
        return exact ? (x) => get(x) === lo : () => false;
      case '!=':
        return exact
          ? (x) => {
              const v = get(x);
              return v === v && v !== lo;
            }
          : (x) => {
              const v = get(x);
              return v === v;
            };
    }
  }
  return undefined;
}

/** `column = "text"`, `column in [...]`, `has(tags, "x")` compiled to integer tests when the env can. */
function fastPath(e: Expr, env: CompileEnv): Fn | undefined {
  if (e.k === 'bin' && (e.op === '=' || e.op === '!=') && env.codes) {
    const [ref, lit] = e.left.k === 'ref' && e.right.k === 'str' ? [e.left, e.right] : e.right.k === 'ref' && e.left.k === 'str' ? [e.right, e.left] : [null, null];
    if (ref && lit) {
      const c = env.codes(ref.path);
      if (c) {
        const code = c.dict.indexOf(lit.value);
        const get = c.get;
        // Like the general path: an empty cell compares false both ways.
        return e.op === '=' ? (x) => code >= 0 && get(x) === code : (x) => get(x) >= 0 && get(x) !== code;
      }
    }
  }
  if (e.k === 'bin' && (e.op === '=' || e.op === '!=') && env.truth) {
    const [ref, lit] = e.left.k === 'ref' && e.right.k === 'bool' ? [e.left, e.right] : e.right.k === 'ref' && e.left.k === 'bool' ? [e.right, e.left] : [null, null];
    const t = ref && lit ? env.truth(ref.path) : undefined;
    if (t && lit) {
      // Like the general path: an empty cell compares false both ways.
      const want = (e.op === '=') === lit.value ? 1 : 0;
      return (x) => t(x) === want;
    }
  }
  if (e.k === 'bin' && e.op === 'in' && e.left.k === 'ref' && e.right.k === 'list' && env.codes && e.right.items.every((i) => i.k === 'str')) {
    const c = env.codes(e.left.path);
    if (c) {
      const wanted = new Uint8Array(c.dict.length);
      for (const item of e.right.items) {
        const k = c.dict.indexOf((item as { value: string }).value);
        if (k >= 0) wanted[k] = 1;
      }
      const get = c.get;
      return (x) => {
        const k = get(x);
        return k >= 0 && wanted[k] === 1;
      };
    }
  }
  if (e.k === 'bin') {
    const cmp = numericCompare(e, env);
    if (cmp) return cmp;
  }
  // has(t, "a") or has(t, "b") or …: one mask test for the lot.
  if (e.k === 'bin' && e.op === 'or' && env.mask) {
    const any = tagsTested(e);
    if (any) {
      const m = env.mask(any.path);
      if (m) {
        let bits = 0;
        for (const tag of any.tags) {
          const b = m.tags.indexOf(tag);
          if (b >= 0) bits |= 1 << b;
        }
        const get = m.get;
        return (x) => (get(x) & bits) !== 0;
      }
    }
  }
  if (e.k === 'call' && e.fn === 'has' && e.args[0].k === 'ref' && e.args[1].k === 'str' && env.mask) {
    const m = env.mask(e.args[0].path);
    if (m) {
      const b = m.tags.indexOf(e.args[1].value);
      if (b < 0) return () => false;
      const get = m.get;
      return (x) => ((get(x) >>> b) & 1) === 1;
    }
  }
  return undefined;
}

/** The tags of `has(t, "a") or has(t, "b") …` on one tags column, if the expression is exactly that. */
function tagsTested(e: Expr): { path: string[]; tags: string[] } | undefined {
  if (e.k === 'call' && e.fn === 'has' && e.args[0].k === 'ref' && e.args[1].k === 'str') return { path: e.args[0].path, tags: [e.args[1].value] };
  if (e.k === 'bin' && e.op === 'or') {
    const l = tagsTested(e.left);
    const r = tagsTested(e.right);
    if (l && r && l.path.join('.') === r.path.join('.')) return { path: l.path, tags: [...l.tags, ...r.tags] };
  }
  return undefined;
}

export const AGGREGATE_FNS = new Set(['sum', 'count', 'count_distinct', 'mean']);

export function isAggregate(e: CallExpr): boolean {
  return AGGREGATE_FNS.has(e.fn) || ((e.fn === 'min' || e.fn === 'max') && e.args.length === 1);
}

export function literal(e: Expr): V | undefined {
  switch (e.k) {
    case 'num': {
      const q = Q.parse(e.text);
      if (!q) return undefined;
      if (e.unit === 'percent') return q.div(Q.of(100));
      if (e.unit === 'yuan') return q.mul(Q.of(100)); // money is held in fen
      return q;
    }
    case 'str':
      return e.value;
    case 'bool':
      return e.value;
    case 'unlimited':
      return UNLIMITED;
    case 'list': {
      const items = e.items.map(literal);
      return items.every((x) => x !== undefined) ? (items as V[]) : undefined;
    }
    default:
      return undefined;
  }
}

export function compile(e: Expr, env: CompileEnv): Fn {
  const lit = literal(e);
  if (lit !== undefined) return () => lit;
  const fast = fastPath(e, env);
  if (fast) return fast;
  switch (e.k) {
    case 'ref': {
      const f = env.ref(e.path);
      if (!f) throw new Error(`cannot resolve '${e.path.join('.')}'`);
      return f;
    }
    case 'list': {
      const fs = e.items.map((x) => compile(x, env));
      return (i) => fs.map((f) => f(i));
    }
    case 'neg': {
      const f = compile(e.arg, env);
      return (i) => neg(f(i));
    }
    case 'not': {
      const f = compile(e.arg, env);
      return (i) => f(i) !== true;
    }
    case 'bin': {
      const l = compile(e.left, env);
      const r = compile(e.right, env);
      if (e.op === 'and') return (i) => l(i) === true && r(i) === true;
      if (e.op === 'or') return (i) => l(i) === true || r(i) === true;
      const op = e.op;
      return (i) => binaryOp(op, l(i), r(i));
    }
    case 'call': {
      if (isAggregate(e)) {
        if (!env.aggregate) throw new Error(`aggregate not allowed here: ${show(e)}`);
        return env.aggregate(e);
      }
      if (WINDOW_FUNCTIONS.has(e.fn)) {
        if (!env.window) throw new Error(`window not allowed here: ${show(e)}`);
        return env.window(e);
      }
      if (e.fn === 'balance_sum_from') {
        if (!env.balanceSumFrom) throw new Error('balance_sum_from not allowed here');
        return env.balanceSumFrom(compile(e.args[0], env));
      }
      if (e.fn === 'if') {
        const [c, a, b] = e.args.map((x) => compile(x, env));
        return (i) => (c(i) === true ? a(i) : b(i));
      }
      const args = e.args.map((x) => compile(x, env));
      const fn = e.fn;
      const scale = (name: string) => env.scale(name);
      if (args.length === 1) {
        const [a0] = args;
        return (i) => scalarCall(fn, [a0(i)], scale);
      }
      return (i) => scalarCall(fn, args.map((f) => f(i)), scale);
    }
    default:
      throw new Error(`cannot compile ${show(e)}`);
  }
}

/** Every aggregate call inside an expression (not descending into aggregate arguments). */
export function aggregateCalls(e: Expr, out: CallExpr[] = []): CallExpr[] {
  switch (e.k) {
    case 'call':
      if (isAggregate(e)) out.push(e);
      else e.args.forEach((a) => aggregateCalls(a, out));
      break;
    case 'bin':
      aggregateCalls(e.left, out);
      aggregateCalls(e.right, out);
      break;
    case 'neg':
    case 'not':
      aggregateCalls(e.arg, out);
      break;
    case 'list':
      e.items.forEach((x) => aggregateCalls(x, out));
      break;
    default:
      break;
  }
  return out;
}
