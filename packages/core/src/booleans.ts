// Boolean cells (是否…): the spellings Chinese spreadsheets actually contain.
import { type Parsed, ok, fail } from './parsed.ts';

const TRUE = new Set(['true', '1', '是', 'y', 'yes']);
const FALSE = new Set(['false', '0', '否', 'n', 'no']);

/** true/false, 1/0, 是/否, Y/N, yes/no; case-insensitive, trimmed. */
export function parseBool(text: string): Parsed<boolean> {
  const s = text.trim().toLowerCase();
  if (s === '') return fail('bool.empty', '是否值为空');
  if (TRUE.has(s)) return ok(true);
  if (FALSE.has(s)) return ok(false);
  return fail('bool.format', `无法识别的是否值“${text.trim()}”：应为 是/否、true/false、1/0 或 Y/N`);
}
