// Applying an operator or scalar function to already evaluated arguments. Shared by the compiler
// (batch) and the interpreter (traced), which differ in how they reach data, not in arithmetic.

import { Q, monthIndexOfDays, yearOfDays, monthIndex } from '@caijin/core';
import type { BinaryOp } from '../expr/ast.ts';
import {
  add,
  applyScale,
  compare,
  div,
  equals,
  hasTag,
  isUnlimited,
  marginal,
  maxOf,
  member,
  minOf,
  mul,
  step,
  sub,
  type V,
} from '../values.ts';

export function binaryOp(op: Exclude<BinaryOp, 'and' | 'or'>, a: V, b: V): V {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
    case '=':
      return equals(a, b);
    case '!=':
      return a === null || b === null ? false : !equals(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b);
    case 'in':
      return member(a, b);
  }
}

/** Scalar functions (not aggregates, not windows). `scaleValue` resolves a scale parameter called by name. */
export function scalarCall(fn: string, args: V[], scaleValue: (name: string) => V): V {
  switch (fn) {
    case 'min':
      return minOf(args);
    case 'max':
      return maxOf(args);
    case 'if':
      return args[0] === true ? args[1] : args[2];
    case 'marginal':
      return marginal(args[0], args[1]);
    case 'step':
      return step(args[0], args[1]);
    case 'has':
      return hasTag(args[0], args[1]);
    case 'year_of':
      return args[0] === null ? null : Q.int(yearOfDays(Number((args[0] as Q).n)));
    case 'month_of':
      return args[0] === null ? null : Q.int(monthIndexOfDays(Number((args[0] as Q).n)));
    case 'month':
      return args[0] === null || args[1] === null ? null : Q.int(monthIndex(Number((args[0] as Q).n), Number((args[1] as Q).n)));
    case 'starts_with':
      return typeof args[0] === 'string' && typeof args[1] === 'string' && args[0].startsWith(args[1]);
    case 'is_set':
      return args[0] !== null;
    case 'coalesce':
      return args[0] === null ? args[1] : args[0];
    default:
      return applyScale(scaleValue(fn), args[0]);
  }
}

/** A grouping key for any value (window keys, group keys, distinct counts). */
export function keyOf(v: V): string {
  if (v === null) return '∅';
  if (v instanceof Q) return `q${v.toString()}`;
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (isUnlimited(v)) return '∞';
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}
