// The abstract syntax of rule expressions. Policy text is parsed into this tree and only this
// tree is ever evaluated: there is no path from a policy file to JavaScript code.

export type BinaryOp = '+' | '-' | '*' | '/' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | 'in';

export type Expr =
  | { k: 'num'; text: string; unit: 'number' | 'percent' | 'yuan' }
  | { k: 'str'; value: string }
  | { k: 'bool'; value: boolean }
  | { k: 'unlimited' }
  | { k: 'list'; items: Expr[] }
  /** A name, possibly dotted: `released`, `borrower.size`, `recipient.leverage`, `category.cap`. */
  | { k: 'ref'; path: string[] }
  | { k: 'neg'; arg: Expr }
  | { k: 'not'; arg: Expr }
  | { k: 'bin'; op: BinaryOp; left: Expr; right: Expr }
  /** Function call; aggregates may carry a `where` filter: `sum(amount where issued)`. */
  | { k: 'call'; fn: string; args: Expr[]; where?: Expr };

/**
 * How an expression is worded when shown: the default is the text as an analyst writes it; a
 * wording can name references (a column's or a step's Chinese label, a parameter's value) and
 * operators, functions and booleans in words (see `zh.ts`).
 */
export interface Wording {
  name?(path: string[]): string | undefined;
  op?: Partial<Record<BinaryOp | 'not', string>>;
  fn?: Readonly<Record<string, string>>;
  where?: string;
  bool?: readonly [yes: string, no: string];
}

/** The expression text as an analyst would write it (for traces and error messages). */
export function show(e: Expr, w: Wording = {}): string {
  const sub = (x: Expr) => show(x, w);
  const arg = (x: Expr) => (x.k === 'bin' ? `(${sub(x)})` : sub(x));
  switch (e.k) {
    case 'num':
      return e.text + (e.unit === 'percent' ? '%' : e.unit === 'yuan' ? '元' : '');
    case 'str':
      return JSON.stringify(e.value);
    case 'bool':
      return w.bool ? w.bool[e.value ? 0 : 1] : String(e.value);
    case 'unlimited':
      return 'unlimited';
    case 'list':
      return `[${e.items.map(sub).join(', ')}]`;
    case 'ref':
      return w.name?.(e.path) ?? e.path.join('.');
    case 'neg':
      return `-${arg(e.arg)}`;
    case 'not':
      return `${w.op?.not ?? 'not'} ${arg(e.arg)}`;
    case 'bin':
      return `${arg(e.left)} ${w.op?.[e.op] ?? (e.op === '*' ? '×' : e.op)} ${arg(e.right)}`;
    case 'call':
      return `${w.fn?.[e.fn] ?? e.fn}(${e.args.map(sub).join(', ')}${e.where ? ` ${w.where ?? 'where'} ${sub(e.where)}` : ''})`;
  }
}

/** Every dotted name an expression refers to (used to find which parameters a clause needs). */
export function refs(e: Expr, out: string[][] = []): string[][] {
  switch (e.k) {
    case 'ref':
      out.push(e.path);
      break;
    case 'list':
      e.items.forEach((x) => refs(x, out));
      break;
    case 'neg':
    case 'not':
      refs(e.arg, out);
      break;
    case 'bin':
      refs(e.left, out);
      refs(e.right, out);
      break;
    case 'call':
      e.args.forEach((x) => refs(x, out));
      if (e.where) refs(e.where, out);
      out.push([e.fn]); // a scale parameter may be called like a function
      break;
    default:
      break;
  }
  return out;
}
