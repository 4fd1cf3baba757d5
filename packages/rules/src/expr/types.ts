// Static types of rule expressions. A policy is checked when it loads: adding money to a rate,
// comparing a date with an amount or summing outside an aggregate context fails before any data
// is read, with the clause and the expression in the message.

import { show, type Expr } from './ast.ts';

export type Ty =
  | 'money' // held in fen
  | 'rate' //  a fraction (0.5% = 0.005)
  | 'number' // counts, coefficients, multiples, years
  | 'bool'
  | 'string'
  | 'date'
  | 'month'
  | 'tags'
  | 'list'
  | 'scale'
  | 'unlimited';

export class ExprTypeError extends Error {
  constructor(message: string, expr: Expr) {
    super(`${message} in: ${show(expr)}`);
    this.name = 'ExprTypeError';
  }
}

/** What a name means where an expression stands. */
export interface Scope {
  /** Type of a (dotted) name, or undefined when unknown. */
  ref(path: string[]): Ty | undefined;
  /** For a scale parameter called like a function: its kind and value type. */
  scaleParam(name: string): { scale: 'marginal' | 'step'; valueType: Ty } | undefined;
  /** Scope of the rows that aggregates (sum, count...) range over; undefined = no aggregates here. */
  rows?: Scope;
  /** Whether window functions (sum_over, min_over...) may be used (row scopes only). */
  windows?: boolean;
  /** Whether balance_sum_from(month) applies (rows of loans or guarantees). */
  balances?: boolean;
}

const NUMERIC = new Set<Ty>(['money', 'rate', 'number']);
const AGGREGATES = new Set(['sum', 'count', 'count_distinct', 'mean']);
export const WINDOW_FUNCTIONS = new Set(['sum_over', 'min_over', 'max_over', 'count_over']);

function isNumeric(t: Ty): boolean {
  return NUMERIC.has(t) || t === 'unlimited';
}

/** Two types that may be compared or combined by min/max/if. */
function compatible(a: Ty, b: Ty): boolean {
  if (a === b) return true;
  if (a === 'unlimited' || b === 'unlimited') return isNumeric(a) && isNumeric(b);
  const dimensionless = (t: Ty) => t === 'rate' || t === 'number';
  return dimensionless(a) && dimensionless(b);
}

export function typeOf(e: Expr, scope: Scope): Ty {
  switch (e.k) {
    case 'num':
      return e.unit === 'percent' ? 'rate' : e.unit === 'yuan' ? 'money' : 'number';
    case 'str':
      return 'string';
    case 'bool':
      return 'bool';
    case 'unlimited':
      return 'unlimited';
    case 'list':
      e.items.forEach((x) => typeOf(x, scope));
      return 'list';
    case 'ref': {
      const t = scope.ref(e.path);
      if (t === undefined) throw new ExprTypeError(`unknown name '${e.path.join('.')}'`, e);
      return t;
    }
    case 'neg': {
      const t = typeOf(e.arg, scope);
      if (!NUMERIC.has(t)) throw new ExprTypeError(`cannot negate a ${t}`, e);
      return t;
    }
    case 'not':
      expect(e.arg, scope, 'bool');
      return 'bool';
    case 'bin':
      return binary(e, scope);
    case 'call':
      return call(e, scope);
  }
}

function expect(e: Expr, scope: Scope, ty: Ty): void {
  const t = typeOf(e, scope);
  if (t !== ty) throw new ExprTypeError(`expected ${ty}, found ${t}`, e);
}

function binary(e: Extract<Expr, { k: 'bin' }>, scope: Scope): Ty {
  if (e.op === 'and' || e.op === 'or') {
    expect(e.left, scope, 'bool');
    expect(e.right, scope, 'bool');
    return 'bool';
  }
  const l = typeOf(e.left, scope);
  const r = typeOf(e.right, scope);
  switch (e.op) {
    case 'in':
      if (r !== 'list') throw new ExprTypeError(`'in' needs a list on the right, found ${r}`, e);
      return 'bool';
    case '=':
    case '!=':
      if (!compatible(l, r)) throw new ExprTypeError(`cannot compare ${l} with ${r}`, e);
      return 'bool';
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (!compatible(l, r) || !(isNumeric(l) || l === 'date' || l === 'month')) {
        throw new ExprTypeError(`cannot order ${l} against ${r}`, e);
      }
      return 'bool';
    case '+':
    case '-':
      if (l === 'money' && r === 'money') return 'money';
      if ((l === 'date' || l === 'month') && r === 'number') return l;
      if (l === 'date' && r === 'date' && e.op === '-') return 'number';
      if (l === 'month' && r === 'month' && e.op === '-') return 'number';
      if ((l === 'rate' || l === 'number') && (r === 'rate' || r === 'number')) return l === 'rate' || r === 'rate' ? 'rate' : 'number';
      throw new ExprTypeError(`cannot ${e.op === '+' ? 'add' : 'subtract'} ${r} ${e.op === '+' ? 'to' : 'from'} ${l}`, e);
    case '*':
      if (l === 'money' && (r === 'rate' || r === 'number')) return 'money';
      if (r === 'money' && (l === 'rate' || l === 'number')) return 'money';
      if ((l === 'rate' || l === 'number') && (r === 'rate' || r === 'number')) return l === 'rate' || r === 'rate' ? 'rate' : 'number';
      throw new ExprTypeError(`cannot multiply ${l} by ${r}`, e);
    case '/':
      if (l === 'money' && r === 'money') return 'rate';
      if (l === 'money' && (r === 'number' || r === 'rate')) return 'money';
      if (l === 'rate' && r === 'rate') return 'number';
      if (l === 'rate' && r === 'number') return 'rate';
      if (l === 'number' && (r === 'number' || r === 'rate')) return 'number';
      throw new ExprTypeError(`cannot divide ${l} by ${r}`, e);
  }
  throw new ExprTypeError(`unknown operator ${e.op}`, e);
}

function call(e: Extract<Expr, { k: 'call' }>, scope: Scope): Ty {
  const a = e.args;
  const n = (count: number) => {
    if (a.length !== count) throw new ExprTypeError(`${e.fn} takes ${count} argument(s)`, e);
  };
  if (e.where && !(AGGREGATES.has(e.fn) || ((e.fn === 'min' || e.fn === 'max') && a.length === 1))) {
    throw new ExprTypeError(`'where' only filters an aggregate`, e);
  }
  // Aggregates over the rows of this scope (sum of a recipient's loans, count of outlets...).
  if (AGGREGATES.has(e.fn) || ((e.fn === 'min' || e.fn === 'max') && a.length === 1)) {
    const rows = scope.rows;
    if (!rows) throw new ExprTypeError(`${e.fn} aggregates rows, which this place has none of`, e);
    if (e.where) expect(e.where, rows, 'bool');
    if (e.fn === 'count') {
      if (a.length !== 0) throw new ExprTypeError('count takes no argument (filter with where)', e);
      return 'number';
    }
    n(1);
    const t = typeOf(a[0], rows);
    if (e.fn === 'count_distinct') return 'number';
    if (!NUMERIC.has(t) && !(e.fn !== 'sum' && e.fn !== 'mean' && (t === 'date' || t === 'month'))) {
      throw new ExprTypeError(`${e.fn} needs numbers, found ${t}`, e);
    }
    return t;
  }
  if (WINDOW_FUNCTIONS.has(e.fn)) {
    if (!scope.windows) throw new ExprTypeError(`${e.fn} is a window over rows; use it on a row`, e);
    if (e.fn === 'count_over') {
      n(1);
      typeOf(a[0], scope);
      return 'number';
    }
    n(2);
    typeOf(a[0], scope);
    const t = typeOf(a[1], scope);
    if (e.fn === 'sum_over' && !NUMERIC.has(t)) throw new ExprTypeError(`sum_over needs numbers, found ${t}`, e);
    return t;
  }
  switch (e.fn) {
    case 'min':
    case 'max': {
      if (a.length < 2) throw new ExprTypeError(`${e.fn} of values needs two or more arguments`, e);
      const ts = a.map((x) => typeOf(x, scope));
      let out: Ty = 'unlimited';
      for (const t of ts) {
        if (!isNumeric(t)) throw new ExprTypeError(`${e.fn} needs numbers, found ${t}`, e);
        if (!compatible(ts[0], t)) throw new ExprTypeError(`${e.fn} mixes ${ts[0]} and ${t}`, e);
        if (t !== 'unlimited' && out === 'unlimited') out = t;
      }
      return out;
    }
    case 'if': {
      n(3);
      expect(a[0], scope, 'bool');
      const x = typeOf(a[1], scope);
      const y = typeOf(a[2], scope);
      if (!compatible(x, y)) throw new ExprTypeError(`if branches differ: ${x} and ${y}`, e);
      return x === 'unlimited' ? y : x;
    }
    case 'marginal': {
      n(2);
      const x = typeOf(a[0], scope);
      expect(a[1], scope, 'scale');
      if (!NUMERIC.has(x)) throw new ExprTypeError(`marginal needs a number, found ${x}`, e);
      return x;
    }
    case 'step': {
      n(2);
      typeOf(a[0], scope);
      expect(a[1], scope, 'scale');
      const p = a[1].k === 'ref' ? scope.scaleParam(a[1].path.join('.')) : undefined;
      return p?.valueType ?? 'number';
    }
    case 'has':
      n(2);
      expect(a[0], scope, 'tags');
      expect(a[1], scope, 'string');
      return 'bool';
    case 'year_of':
      n(1);
      expect(a[0], scope, 'date');
      return 'number';
    case 'month_of':
      n(1);
      expect(a[0], scope, 'date');
      return 'month';
    case 'month':
      // month(year, m): a month value, e.g. month(year, 12) = December of the evaluation year
      n(2);
      expect(a[0], scope, 'number');
      expect(a[1], scope, 'number');
      return 'month';
    case 'starts_with':
      n(2);
      expect(a[0], scope, 'string');
      expect(a[1], scope, 'string');
      return 'bool';
    case 'is_set':
      n(1);
      typeOf(a[0], scope);
      return 'bool';
    case 'coalesce': {
      n(2);
      const x = typeOf(a[0], scope);
      const y = typeOf(a[1], scope);
      if (!compatible(x, y)) throw new ExprTypeError(`coalesce mixes ${x} and ${y}`, e);
      return x;
    }
    case 'balance_sum_from':
      if (!scope.balances) throw new ExprTypeError('balance_sum_from applies to loans or guarantees', e);
      n(1);
      expect(a[0], scope, 'month');
      return 'money';
    default: {
      const p = scope.scaleParam(e.fn);
      if (!p) throw new ExprTypeError(`unknown function '${e.fn}'`, e);
      n(1);
      const x = typeOf(a[0], scope);
      return p.scale === 'marginal' ? x : p.valueType;
    }
  }
}
