import { describe, expect, it } from 'vitest';
import { Q } from '@caijin/core';
import { parseExpr, ExprSyntaxError } from '../src/expr/parse.ts';
import { show } from '../src/expr/ast.ts';
import { typeOf, type Scope, type Ty } from '../src/expr/types.ts';
import { interpret } from '../src/eval/traced.ts';
import { compile } from '../src/eval/compile.ts';
import { marginal, step, type V, type Scale } from '../src/values.ts';

const names: Record<string, Ty> = { released: 'money', rate: 'rate', n: 'number', region: 'string', products: 'tags', d: 'date', ok: 'bool', bands: 'scale' };
const rows: Scope = { ref: (p) => names[p.join('.')], scaleParam: () => undefined, windows: true };
const scope: Scope = { ...rows, rows };

function ty(src: string): Ty {
  return typeOf(parseExpr(src), scope);
}

describe('parser', () => {
  it('reads units without floats', () => {
    expect(show(parseExpr('400万 + 1.5亿 + 0.5% + 500元'))).toBe('((4000000元 + 150000000元) + 0.5%) + 500元');
    expect(show(parseExpr('0.07万'))).toBe('700元');
  });
  it('parses aggregates with where, windows and calls', () => {
    expect(show(parseExpr('sum(amount * fee where issued) / sum(amount where issued)'))).toBe('sum(amount × fee where issued) / sum(amount where issued)');
    expect(show(parseExpr('count(where location = "town")'))).toBe('count( where location = "town")');
    expect(show(parseExpr('x not in ["A", "B"]'))).toBe('not (x in ["A", "B"])');
  });
  it('accepts × ÷ ≤ ≥ ≠ and rejects junk with a position', () => {
    expect(show(parseExpr('a × b ÷ c ≤ d'))).toBe('((a × b) / c) <= d');
    expect(() => parseExpr('a +')).toThrow(ExprSyntaxError);
    expect(() => parseExpr('a ; b')).toThrow(/column 3/);
    // Only plain names can be called, and only the engine's own functions exist: text never reaches JS.
    expect(() => parseExpr('process.exit(1)')).toThrow(ExprSyntaxError);
    expect(() => typeOf(parseExpr('eval("1")'), scope)).toThrow(/unknown function/);
  });
});

describe('type checker', () => {
  it('keeps money, rates and numbers apart', () => {
    expect(ty('released * rate')).toBe('money');
    expect(ty('released / released')).toBe('rate');
    expect(ty('released * n')).toBe('money');
    expect(ty('rate * rate')).toBe('rate');
    expect(() => ty('released + rate')).toThrow(/cannot add/);
    expect(() => ty('released * released')).toThrow(/cannot multiply/);
    expect(() => ty('released > rate')).toThrow(/cannot order/);
    expect(() => ty('d > released')).toThrow(/cannot order/);
    expect(() => ty('ok + 1')).toThrow();
    expect(() => ty('unknown_name')).toThrow(/unknown name/);
    expect(() => ty('has(products, 1)')).toThrow();
  });
  it('allows aggregates only where rows exist', () => {
    expect(ty('sum(released where ok)')).toBe('money');
    expect(() => typeOf(parseExpr('sum(released)'), rows)).toThrow(/aggregates rows/);
    expect(() => ty('if(ok, released, rate)')).toThrow(/branches differ/);
  });
});

describe('scales', () => {
  const bands: Scale = { scale: 'marginal', bands: [
    { lower: Q.ZERO, lowerIncl: true, value: Q.ZERO },
    { lower: Q.of(1, 100), lowerIncl: false, value: Q.of(40, 100) },
    { lower: Q.of(3, 100), lowerIncl: false, value: Q.of(30, 100) },
    { lower: Q.of(5, 100), lowerIncl: false, value: Q.ZERO },
  ] };
  it('marginal applies each rate to its own part only', () => {
    expect((marginal(Q.of(1, 100), bands) as Q).eq(Q.ZERO)).toBe(true);
    expect((marginal(Q.of(2, 100), bands) as Q).eq(Q.of(4, 1000))).toBe(true);
    expect((marginal(Q.of(6, 100), bands) as Q).eq(Q.of(14, 1000))).toBe(true);
  });
  it('step honours inclusive and exclusive lower bounds', () => {
    const s: Scale = { scale: 'step', bands: [
      { lower: Q.ZERO, lowerIncl: true, value: Q.of(6, 1000) },
      { lower: Q.of(5, 1000), lowerIncl: false, value: Q.of(4, 1000) },
    ] };
    expect((step(Q.of(5, 1000), s) as Q).eq(Q.of(6, 1000))).toBe(true);
    expect((step(Q.of(5001, 1000000), s) as Q).eq(Q.of(4, 1000))).toBe(true);
    expect(step(Q.of(-1, 1000), s)).toBe(null);
  });
});

describe('compiled and interpreted expressions agree', () => {
  const values: Record<string, V> = { a: Q.of(7), b: Q.of(3), r: Q.of(1, 3), z: Q.ZERO, nil: null, s: 'x' };
  const exprs = ['a / b * b', 'a / z', 'min(a, b, 10)', 'max(a, nil)', 'if(a > b, a - b, b - a)', 'a * r', 'coalesce(nil, b)', 'not (a = b) and s in ["x", "y"]', 'nil > 1', 'a >= 7'];
  for (const src of exprs) {
    it(src, () => {
      const e = parseExpr(src);
      const env = { ref: (p: string[]) => values[p[0]], scale: () => null };
      const c = compile(e, { ref: (p) => (p[0] in values ? () => values[p[0]] : undefined), scale: () => null })(0);
      const i = interpret(e, env);
      expect(String(c)).toBe(String(i));
    });
  }
});
