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

/** The expression text as an analyst would write it (for traces and error messages). */
export function show(e: Expr): string {
  switch (e.k) {
    case 'num':
      return e.text + (e.unit === 'percent' ? '%' : e.unit === 'yuan' ? '元' : '');
    case 'str':
      return JSON.stringify(e.value);
    case 'bool':
      return String(e.value);
    case 'unlimited':
      return 'unlimited';
    case 'list':
      return `[${e.items.map(show).join(', ')}]`;
    case 'ref':
      return e.path.join('.');
    case 'neg':
      return `-${showArg(e.arg)}`;
    case 'not':
      return `not ${showArg(e.arg)}`;
    case 'bin':
      return `${showArg(e.left)} ${e.op === '*' ? '×' : e.op} ${showArg(e.right)}`;
    case 'call':
      return `${e.fn}(${e.args.map(show).join(', ')}${e.where ? ` where ${show(e.where)}` : ''})`;
  }
}

function showArg(e: Expr): string {
  return e.k === 'bin' ? `(${show(e)})` : show(e);
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
