// Identifier construction: 统一社会信用代码 (with a GB 11714 organisation-code check inside and
// the GB 32100 check character from @caijin/core) and 公民身份号码, both bijections of a sequence
// number, so that chunks generated apart never collide.
import { daysOf, formatDate, makeUscc, residentIdCheckChar } from '@caijin/core';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const BODY_SPACE = 31 ** 6; // "MA" + 6 characters
const MULT = 387_420_489; // 3^18, coprime with 31: n → n·MULT mod 31^6 is a bijection
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function orgValue(ch: string): number {
  const c = ch.charCodeAt(0);
  return c <= 57 ? c - 48 : c - 55; // '0'..'9' → 0..9, 'A'..'Z' → 10..35
}

// GB 32100 weights and the values above as numbers, for UsccIssuer.at's fast path
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_HEAD = /^[0-9A-HJ-NP-RT-UWXY]{8}$/;
/** orgValue of each ALPHABET character. */
const ORG_VALUE = Array.from(ALPHABET, orgValue);
/** The org-code check sum of "MA", and its USCC check sum at positions 9 and 10. */
const ORG_MA = orgValue('M') * ORG_WEIGHTS[0] + orgValue('A') * ORG_WEIGHTS[1];
const USCC_MA = ALPHABET.indexOf('M') * USCC_WEIGHTS[8] + ALPHABET.indexOf('A') * USCC_WEIGHTS[9];
const ALPHABET_X = ALPHABET.indexOf('X');

/** The USCC check sum of characters `from`… of `text` (ALPHABET characters). */
function checkSum(text: string, from: number): number {
  let s = 0;
  for (let i = 0; i < text.length; i++) s += ALPHABET.indexOf(text[i]) * USCC_WEIGHTS[from + i];
  return s;
}

/** GB 11714 组织机构代码 check character of 8 body characters. */
function orgCheck(body: string): string {
  let s = 0;
  for (let i = 0; i < 8; i++) s += orgValue(body[i]) * ORG_WEIGHTS[i];
  const c = 11 - (s % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Issues distinct USCCs: `n` is a sequence number unique within the bundle. */
export class UsccIssuer {
  private n = 0;
  private readonly offset: number;
  constructor(seed: number) {
    this.offset = (Math.abs(Math.floor(seed)) * 7919 + 12345) % BODY_SPACE;
  }
  /** Sequence numbers used by `next` so far. */
  get issued(): number {
    return this.n;
  }
  /** category: '91' company, '92' individual business, '93' farmers' cooperative, '12' public institution. */
  next(category: string, region: string): string {
    return this.at(this.n++, category, region);
  }
  /** The USCC of sequence number n: distinct numbers give distinct codes. */
  at(n: number, category: string, region: string): string {
    let k = (((n % BODY_SPACE) * MULT) % BODY_SPACE + this.offset) % BODY_SPACE;
    // (n·MULT) can exceed 2^53 only for n > 2.3e7: far beyond any bundle here
    const head = category + region;
    const headSum = this.headSums.get(head);
    if (headSum === undefined || head.length !== 8) {
      let body = '';
      for (let i = 0; i < 6; i++) {
        body = ALPHABET[k % 31] + body;
        k = Math.floor(k / 31);
      }
      const org = 'MA' + body;
      const code = makeUscc(head + org + orgCheck(org));
      if (head.length === 8 && USCC_HEAD.test(head)) this.headSums.set(head, checkSum(head, 0));
      return code;
    }
    // the same characters as above, with the check sums from the values (2 million enterprises)
    const d = this.digits;
    for (let i = 5; i >= 0; i--) {
      d[i] = k % 31;
      k = Math.floor(k / 31);
    }
    let org = ORG_MA;
    let sum = headSum + USCC_MA;
    for (let i = 0; i < 6; i++) {
      org += ORG_VALUE[d[i]] * ORG_WEIGHTS[i + 2];
      sum += d[i] * USCC_WEIGHTS[10 + i];
    }
    const oc = 11 - (org % 11);
    const orgChar = oc === 10 ? ALPHABET_X : oc === 11 ? 0 : oc;
    sum += orgChar * USCC_WEIGHTS[16];
    const check = (31 - (sum % 31)) % 31;
    const c = (j: number): number => ALPHABET.charCodeAt(j);
    return head + String.fromCharCode(77, 65, c(d[0]), c(d[1]), c(d[2]), c(d[3]), c(d[4]), c(d[5]), c(orgChar), c(check));
  }
  /** Weighted check sum of each category + region seen (the USCC's first 8 characters). */
  private readonly headSums = new Map<string, number>();
  private readonly digits = new Int32Array(6);
}

const FIRST_BIRTH = daysOf(1955, 1, 1);
const BIRTH_DAYS = daysOf(2001, 12, 31) - FIRST_BIRTH + 1;
/** (birth day, sequence 001–999) pairs: 17.1 million. */
const PERSON_SPACE = BIRTH_DAYS * 999;
/** Coprime with PERSON_SPACE (= 2·3^4·37·2861), and small enough that i·PERSON_MULT stays exact. */
const PERSON_MULT = 4_999_963;

/**
 * The 公民身份号码 (born 1955–2001) of person number i: birth day and sequence number are a
 * bijection of i, so the ids of a bundle are distinct without a registry of those issued (chunks
 * of enterprises are generated independently), and look scattered.
 */
export function personIdAt(seed: number, i: number, region: string): string {
  if (i >= PERSON_SPACE) throw new Error('demo-data: too many persons for distinct 公民身份号码');
  const k = (i * PERSON_MULT + (Math.abs(Math.floor(seed)) * 104_729 + 7) % PERSON_SPACE) % PERSON_SPACE;
  const day = FIRST_BIRTH + Math.floor(k / 999);
  const seq = String((k % 999) + 1).padStart(3, '0');
  const first17 = region + ymd(day) + seq;
  return first17 + residentIdCheckChar(first17);
}

/** YYYYMMDD of a day number. */
function ymd(days: number): string {
  return formatDate(days).replace(/-/g, '');
}
