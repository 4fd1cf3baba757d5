// Amounts at the API boundary: yuan text in ("1234.56", at most two decimals), fen inside, yuan
// text out. Never a float.
import { formatYuan, parseMoneyFen } from '@caijin/core';
import { invalid } from '../http/errors.ts';

export function fenOf(text: unknown, field: string): bigint {
  const r = parseMoneyFen(String(text ?? ''));
  if (!r.ok) throw invalid(`${field}.${r.key}`, `${field}：${r.zh}`);
  return BigInt(r.value);
}

export const yuan = (fen: bigint | string | number) => formatYuan(typeof fen === 'string' ? BigInt(fen) : fen);
