// Party identifiers: 统一社会信用代码 (GB 32100-2015), 公民身份号码 (GB 11643-1999) and P- pseudonyms.
import { type Parsed, ok, fail } from './parsed.ts';
import { isProvinceCode } from './regions.ts';
import { isValidDate } from './periods.ts';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // no I, O, S, V, Z
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check character for the first 17 characters of a USCC; null if they are not 17 alphabet characters. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Trimmed and upper-cased; 18 characters of the alphabet with a correct check character. */
export function validateUscc(text: string): Parsed<string> {
  const s = text.trim().toUpperCase();
  if (s.length !== 18) return fail('uscc.length', `统一社会信用代码应为18位，实际为${s.length}位`);
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(s[i])) {
      return fail('uscc.char', `统一社会信用代码第${i + 1}位“${s[i]}”不是有效字符（只用数字和除 I、O、S、V、Z 外的大写字母）`);
    }
  }
  const want = usccCheckChar(s.slice(0, 17)) as string;
  if (s[17] !== want) return fail('uscc.check_char', `统一社会信用代码校验位错误：第18位应为“${want}”，实际为“${s[17]}”`);
  return ok(s);
}

/** The full code for 17 given characters (demo data). Throws if they are not 17 alphabet characters. */
export function makeUscc(first17: string): string {
  const c = usccCheckChar(first17);
  if (c === null) throw new RangeError(`makeUscc: not 17 USCC characters: ${first17}`);
  return first17 + c;
}

const RID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RID_CHECK = '10X98765432';

/** Check character ('0'..'9' or 'X') for 17 digits; null if they are not 17 digits. */
export function residentIdCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RID_WEIGHTS[i];
  return RID_CHECK[sum % 11];
}

/** The full number for 17 given digits (demo data). Throws if they are not 17 digits. */
export function makeResidentId(first17: string): string {
  const c = residentIdCheckChar(first17);
  if (c === null) throw new RangeError(`makeResidentId: not 17 digits: ${first17}`);
  return first17 + c;
}

/** Earliest birth year accepted: nobody born earlier holds an 18-digit number in use. */
const MIN_BIRTH_YEAR = 1880;

function birthDateValid(s: string): boolean {
  const y = Number(s.slice(6, 10));
  return y >= MIN_BIRTH_YEAR && isValidDate(y, Number(s.slice(10, 12)), Number(s.slice(12, 14)));
}

/** Trimmed, lower-case x upper-cased; 18 characters, real province prefix, real birth date, correct check. */
export function validateResidentId(text: string): Parsed<string> {
  const s = text.trim().toUpperCase();
  if (s.length !== 18) {
    const old = s.length === 15 ? '（15位旧号码请换用18位号码）' : '';
    return fail('resident_id.length', `公民身份号码应为18位，实际为${s.length}位${old}`);
  }
  if (!/^\d{17}[\dX]$/.test(s)) return fail('resident_id.char', '公民身份号码前17位应为数字，第18位为数字或 X');
  if (!isProvinceCode(s.slice(0, 2))) {
    return fail('resident_id.region', `公民身份号码前两位“${s.slice(0, 2)}”不是有效的省级行政区划代码`);
  }
  if (!birthDateValid(s)) return fail('resident_id.birth_date', `公民身份号码中的出生日期“${s.slice(6, 14)}”不存在`);
  const want = residentIdCheckChar(s.slice(0, 17)) as string;
  if (s[17] !== want) return fail('resident_id.check_char', `公民身份号码校验码错误：第18位应为“${want}”，实际为“${s[17]}”`);
  return ok(s);
}

export type PartyKind = 'uscc' | 'resident' | 'pseudonym';

/** Shaped like a 公民身份号码 apart from the check: 17 digits + digit/X, province prefix, real birth date. */
function looksResident(s: string): boolean {
  return /^\d{17}[\dX]$/.test(s) && isProvinceCode(s.slice(0, 2)) && birthDateValid(s);
}

/**
 * An enterprise/person id: "P-…" pseudonym, 公民身份号码 or USCC.
 * Anything shaped like a 身份证号 (province prefix + real birth date) is judged as one, even when
 * its check would pass as a USCC: about 1 in 31 identity numbers also passes the USCC check, and
 * taking those for enterprise codes would show them unmasked. Company codes (91/92/93…) never
 * have a province prefix, so they are never mistaken the other way.
 */
export function validatePartyId(text: string): Parsed<{ id: string; kind: PartyKind }> {
  const raw = text.trim();
  if (raw.startsWith('P-')) {
    if (/^P-[A-Za-z0-9_-]+$/.test(raw)) return ok({ id: raw, kind: 'pseudonym' });
    return fail('party.pseudonym', '假名编号应为“P-”后接字母、数字、下划线或连字符');
  }
  const s = raw.toUpperCase();
  if (s.length !== 18) {
    return fail('party.length', `主体编号应为18位统一社会信用代码、18位公民身份号码或以“P-”开头的假名编号，实际为${s.length}位`);
  }
  if (looksResident(s)) {
    const r = validateResidentId(s);
    return r.ok ? ok({ id: r.value, kind: 'resident' }) : r;
  }
  const u = validateUscc(s);
  if (u.ok) return ok({ id: u.value, kind: 'uscc' });
  // 17 digits after a province prefix: most likely a 身份证号 with a typo in the birth date.
  if (/^\d{17}[\dX]$/.test(s) && isProvinceCode(s.slice(0, 2))) {
    const r = validateResidentId(s);
    if (!r.ok) return r;
  }
  return u;
}

/** Keep the first 6 and last 2 characters (个人信息保护法: lists, exports and logs show only these). */
export function maskResidentId(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 8) + id.slice(-2);
}

/** Masks a party id that is (or may be) a 公民身份号码; USCCs and pseudonyms are shown as they are. */
export function maskPartyId(id: string): string {
  const s = id.trim().toUpperCase();
  const residentLike = /^\d{17}[\dX]$/.test(s) && (looksResident(s) || !validateUscc(s).ok);
  return residentLike ? maskResidentId(s) : id;
}
