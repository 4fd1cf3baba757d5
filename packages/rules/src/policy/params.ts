// Parameter values: the policy file's defaults and `--param` values from the command line, turned
// into typed values. Literals only: a parameter value is never evaluated as an expression.

import { Q } from '@caijin/core';
import { parseExpr } from '../expr/parse.ts';
import type { Expr } from '../expr/ast.ts';
import { UNLIMITED, type Band, type Scale, type V } from '../values.ts';
import type { ParamDef } from './types.ts';

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

/** A literal number with its unit, exactly; money is returned in fen. */
export function literalNumber(raw: unknown, as: 'money' | 'rate' | 'number', what: string): Q | typeof UNLIMITED {
  const text = typeof raw === 'number' ? numberText(raw) : String(raw).trim();
  if (text === 'unlimited' || text === '不设上限') return UNLIMITED;
  let e: Expr;
  try {
    e = parseExpr(text);
  } catch {
    throw new ParamError(`${what}: '${text}' is not a number`);
  }
  let neg = false;
  if (e.k === 'neg') {
    neg = true;
    e = e.arg;
  }
  if (e.k !== 'num') throw new ParamError(`${what}: '${text}' is not a literal number`);
  let q = Q.parse(e.text);
  if (!q) throw new ParamError(`${what}: '${text}' is not a number`);
  if (neg) q = q.neg();
  if (e.unit === 'percent') {
    if (as !== 'rate') throw new ParamError(`${what}: a percent is not a ${as}`);
    return q.div(Q.of(100)) as Q;
  }
  if (e.unit === 'yuan') {
    if (as !== 'money') throw new ParamError(`${what}: an amount in yuan is not a ${as}`);
    return q.mul(Q.of(100));
  }
  // A plain number: yuan for money, a fraction for a rate, itself otherwise.
  return as === 'money' ? q.mul(Q.of(100)) : q;
}

/** YAML gives floats for 0.005; print them back without exponent so Q.parse sees the decimal. */
function numberText(n: number): string {
  if (Number.isInteger(n)) return n.toString();
  const s = n.toString();
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '');
}

/** A scale from a list such as [{from: 0, rate: 0}, {above: 1%, rate: 40%}] (YAML or JSON). */
export function parseScale(raw: unknown, kind: 'marginal' | 'step', valueType: 'rate' | 'number' | 'money', inputType: 'rate' | 'number' | 'money', what: string): Scale {
  if (!Array.isArray(raw)) throw new ParamError(`${what}: a scale is a list of bands`);
  const bands: Band[] = raw.map((b, i) => {
    if (typeof b !== 'object' || b === null) throw new ParamError(`${what}: band ${i + 1} is not an object`);
    const o = b as Record<string, unknown>;
    const hasFrom = 'from' in o;
    const hasAbove = 'above' in o;
    if (hasFrom === hasAbove) throw new ParamError(`${what}: band ${i + 1} needs exactly one of from (以上, inclusive) / above (超过, exclusive)`);
    // Percents and plain numbers are both accepted on either side of a band (1% or 0.01).
    const lower = literalNumber(hasFrom ? o.from : o.above, inputType === 'money' ? 'money' : 'rate', `${what} band ${i + 1}`);
    const rawValue = 'value' in o ? o.value : o.rate;
    if (rawValue === undefined) throw new ParamError(`${what}: band ${i + 1} needs a value (or rate)`);
    const value = literalNumber(rawValue, valueType === 'money' ? 'money' : 'rate', `${what} band ${i + 1}`);
    if (!(lower instanceof Q) || !(value instanceof Q)) throw new ParamError(`${what}: band ${i + 1} must be finite`);
    return { lower, lowerIncl: hasFrom, value };
  });
  for (let i = 1; i < bands.length; i++) {
    if (bands[i].lower.lt(bands[i - 1].lower)) throw new ParamError(`${what}: bands must ascend`);
  }
  return { scale: kind, bands };
}

/** Turn a raw value (YAML default or command-line text) into the parameter's typed value. */
export function parseParamValue(def: ParamDef, raw: unknown, what: string): V {
  let value: V;
  switch (def.type) {
    case 'choice': {
      const s = String(raw).trim();
      if (!def.choices?.includes(s)) throw new ParamError(`${what}: '${s}' is not one of ${def.choices?.join(', ')}`);
      value = s;
      break;
    }
    case 'scale': {
      let r = raw;
      if (typeof r === 'string' && r.trim().startsWith('[')) {
        try {
          r = JSON.parse(r);
        } catch {
          throw new ParamError(`${what}: not a JSON list`);
        }
      }
      if (Array.isArray(r)) value = parseScale(r, def.scale ?? 'step', def.valueType ?? 'number', 'number', what);
      else value = literalNumber(r, def.valueType ?? 'number', what); // one value everywhere
      break;
    }
    default:
      value = literalNumber(raw, def.type, what);
  }
  if (value instanceof Q) {
    if (def.max instanceof Q && value.gt(def.max)) throw new ParamError(`${what}: ${raw} exceeds the document's ceiling`);
    if (def.min instanceof Q && value.lt(def.min)) throw new ParamError(`${what}: ${raw} is below the document's floor`);
  }
  return value;
}
