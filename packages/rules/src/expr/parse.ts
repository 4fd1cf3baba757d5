// A small recursive-descent parser for rule expressions such as
//   released * marginal(compensation_rate, bands) * leverage_coefficient(recipient.leverage)
//   sum(amount * fee_rate_pct where issued) / sum(amount where issued)
// Numbers may carry a unit: 0.5% (rate), 400万 / 400万元 / 1亿 / 500元 (money in yuan).

import type { BinaryOp, Expr } from './ast.ts';

type Tok =
  | { t: 'num'; text: string; unit: 'number' | 'percent' | 'yuan'; pos: number }
  | { t: 'str'; value: string; pos: number }
  | { t: 'id'; name: string; pos: number }
  | { t: 'op'; op: string; pos: number }
  | { t: 'end'; pos: number };

export class ExprSyntaxError extends Error {
  readonly pos: number;
  readonly source: string;
  constructor(message: string, source: string, pos: number) {
    super(`${message} at column ${pos + 1} of: ${source}`);
    this.name = 'ExprSyntaxError';
    this.pos = pos;
    this.source = source;
  }
}

const OPS = ['<=', '>=', '!=', '==', '≤', '≥', '≠', '+', '-', '*', '×', '/', '÷', '=', '<', '>', '(', ')', '[', ']', ',', '.'];
const NORMAL: Record<string, string> = { '×': '*', '÷': '/', '≤': '<=', '≥': '>=', '≠': '!=', '==': '=' };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < src.length && /[0-9_]/.test(src[j])) j++;
      if (src[j] === '.' && /[0-9]/.test(src[j + 1] ?? '')) {
        j++;
        while (j < src.length && /[0-9_]/.test(src[j])) j++;
      }
      let text = src.slice(i, j).replace(/_/g, '');
      let unit: 'number' | 'percent' | 'yuan' = 'number';
      const rest = src.slice(j);
      if (rest.startsWith('%')) {
        unit = 'percent';
        j += 1;
      } else if (rest.startsWith('万元') || rest.startsWith('万')) {
        unit = 'yuan';
        text = scaleDecimal(text, 4);
        j += rest.startsWith('万元') ? 2 : 1;
      } else if (rest.startsWith('亿元') || rest.startsWith('亿')) {
        unit = 'yuan';
        text = scaleDecimal(text, 8);
        j += rest.startsWith('亿元') ? 2 : 1;
      } else if (rest.startsWith('元')) {
        unit = 'yuan';
        j += 1;
      }
      out.push({ t: 'num', text, unit, pos: start });
      i = j;
      continue;
    }
    if (c === '"' || c === "'" || c === '“' || c === '‘') {
      const close = c === '“' ? '”' : c === '‘' ? '’' : c;
      const j = src.indexOf(close, i + 1);
      if (j < 0) throw new ExprSyntaxError('unterminated string', src, i);
      out.push({ t: 'str', value: src.slice(i + 1, j), pos: start });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j])) j++;
      out.push({ t: 'id', name: src.slice(i, j), pos: start });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprSyntaxError(`unexpected character '${c}'`, src, i);
    out.push({ t: 'op', op: NORMAL[op] ?? op, pos: start });
    i += op.length;
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

/** Multiply a decimal literal by 10^k without floats ("1.5", 4 → "15000"). */
function scaleDecimal(text: string, k: number): string {
  const [int, frac = ''] = text.split('.');
  const digits = int + frac.padEnd(k, '0');
  const point = int.length + k;
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point);
  return rest.length > 0 ? `${whole}.${rest}` : whole;
}

export function parseExpr(src: string): Expr {
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (op: string) => {
    const t = toks[p];
    return t.t === 'op' && t.op === op;
  };
  const isId = (name: string) => {
    const t = toks[p];
    return t.t === 'id' && t.name === name;
  };
  const expectOp = (op: string) => {
    if (!isOp(op)) throw new ExprSyntaxError(`expected '${op}'`, src, peek().pos);
    p++;
  };

  function or(): Expr {
    let left = and();
    while (isId('or')) {
      p++;
      left = { k: 'bin', op: 'or', left, right: and() };
    }
    return left;
  }
  function and(): Expr {
    let left = not();
    while (isId('and')) {
      p++;
      left = { k: 'bin', op: 'and', left, right: not() };
    }
    return left;
  }
  function not(): Expr {
    if (isId('not')) {
      p++;
      return { k: 'not', arg: not() };
    }
    return cmp();
  }
  function cmp(): Expr {
    const left = add();
    const t = peek();
    if (t.t === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.op)) {
      p++;
      return { k: 'bin', op: t.op as BinaryOp, left, right: add() };
    }
    if (isId('in')) {
      p++;
      return { k: 'bin', op: 'in', left, right: add() };
    }
    if (isId('not') && toks[p + 1].t === 'id' && (toks[p + 1] as { name: string }).name === 'in') {
      p += 2;
      return { k: 'not', arg: { k: 'bin', op: 'in', left, right: add() } };
    }
    return left;
  }
  function add(): Expr {
    let left = mul();
    for (;;) {
      if (isOp('+') || isOp('-')) {
        const op = (peek() as { op: string }).op as BinaryOp;
        p++;
        left = { k: 'bin', op, left, right: mul() };
      } else return left;
    }
  }
  function mul(): Expr {
    let left = unary();
    for (;;) {
      if (isOp('*') || isOp('/')) {
        const op = (peek() as { op: string }).op as BinaryOp;
        p++;
        left = { k: 'bin', op, left, right: unary() };
      } else return left;
    }
  }
  function unary(): Expr {
    if (isOp('-')) {
      p++;
      return { k: 'neg', arg: unary() };
    }
    return postfix();
  }
  function postfix(): Expr {
    const e = primary();
    if (e.k !== 'ref') return e;
    while (isOp('.')) {
      p++;
      const t = peek();
      if (t.t !== 'id') throw new ExprSyntaxError('expected a name after "."', src, t.pos);
      e.path.push(t.name);
      p++;
    }
    return e;
  }
  function primary(): Expr {
    const t = peek();
    if (t.t === 'num') {
      p++;
      return { k: 'num', text: t.text, unit: t.unit };
    }
    if (t.t === 'str') {
      p++;
      return { k: 'str', value: t.value };
    }
    if (t.t === 'op' && t.op === '(') {
      p++;
      const e = or();
      expectOp(')');
      return e;
    }
    if (t.t === 'op' && t.op === '[') {
      p++;
      const items: Expr[] = [];
      if (!isOp(']')) {
        items.push(or());
        while (isOp(',')) {
          p++;
          items.push(or());
        }
      }
      expectOp(']');
      return { k: 'list', items };
    }
    if (t.t === 'id') {
      p++;
      if (t.name === 'true' || t.name === 'false') return { k: 'bool', value: t.name === 'true' };
      if (t.name === 'unlimited') return { k: 'unlimited' };
      if (isOp('(')) {
        p++;
        const args: Expr[] = [];
        let where: Expr | undefined;
        if (!isOp(')') && !isId('where')) {
          args.push(or());
          while (isOp(',')) {
            p++;
            args.push(or());
          }
        }
        if (isId('where')) {
          p++;
          where = or();
        }
        expectOp(')');
        return where ? { k: 'call', fn: t.name, args, where } : { k: 'call', fn: t.name, args };
      }
      return { k: 'ref', path: [t.name] };
    }
    throw new ExprSyntaxError(t.t === 'end' ? 'unexpected end' : 'unexpected token', src, t.pos);
  }

  const e = or();
  if (peek().t !== 'end') throw new ExprSyntaxError('unexpected text after the expression', src, peek().pos);
  return e;
}
