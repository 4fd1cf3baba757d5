import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  usccCheckChar, validateUscc, makeUscc, residentIdCheckChar, validateResidentId, makeResidentId, validatePartyId,
  maskResidentId, maskPartyId,
} from '../src/index.ts';

const keyOf = (r: { ok: boolean; key?: string }): string | undefined => (r.ok ? undefined : r.key);
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('统一社会信用代码', () => {
  it('accepts the brief examples', () => {
    expect(validateUscc('91350100M000100Y43')).toEqual({ ok: true, value: '91350100M000100Y43' });
    expect(validateUscc('91110000100000000R')).toEqual({ ok: true, value: '91110000100000000R' });
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(usccCheckChar('91110000100000000')).toBe('R');
  });
  it('trims and upper-cases', () => {
    expect(validateUscc('  91350100m000100y43 ')).toEqual({ ok: true, value: '91350100M000100Y43' });
  });
  it('names the expected check character', () => {
    const r = validateUscc('91350100M000100Y44');
    expect(keyOf(r)).toBe('uscc.check_char');
    expect(r.ok ? '' : r.zh).toContain('应为“3”');
  });
  it('length and alphabet', () => {
    expect(keyOf(validateUscc('91350100M000100Y4'))).toBe('uscc.length');
    expect(keyOf(validateUscc(''))).toBe('uscc.length');
    for (const bad of ['I', 'O', 'S', 'V', 'Z', '-', '中']) {
      expect(keyOf(validateUscc(`9135010${bad}M000100Y43`))).toBe('uscc.char');
    }
  });
  it('usccCheckChar rejects bad input', () => {
    expect(usccCheckChar('9135')).toBeNull();
    expect(usccCheckChar('9135010IM000100Y4')).toBeNull();
  });
  it('makeUscc produces valid codes and any single-character change is caught', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 17, maxLength: 17 }), fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 30 }), (idx, pos, shift) => {
          const code = makeUscc(idx.map((i) => USCC_ALPHABET[i]).join(''));
          expect(validateUscc(code).ok).toBe(true);
          const j = (USCC_ALPHABET.indexOf(code[pos]) + shift) % 31;
          const typo = code.slice(0, pos) + USCC_ALPHABET[j] + code.slice(pos + 1);
          expect(keyOf(validateUscc(typo))).toBe('uscc.check_char');
        }),
    );
    expect(() => makeUscc('123')).toThrow(RangeError);
  });
});

describe('公民身份号码', () => {
  it('accepts the brief example, lower-case x too', () => {
    expect(validateResidentId('11010519491231002X')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(validateResidentId(' 11010519491231002x ')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });
  it('names the expected check character', () => {
    const r = validateResidentId('110105194912310021');
    expect(keyOf(r)).toBe('resident_id.check_char');
    expect(r.ok ? '' : r.zh).toContain('应为“X”');
  });
  const bad: Array<[string, string]> = [
    ['110105491231002', 'resident_id.length'], // old 15-digit
    ['1101051949123100', 'resident_id.length'],
    ['11010519491231002A', 'resident_id.char'],
    ['1101051949123A002X', 'resident_id.char'],
    ['99010519491231002X', 'resident_id.region'],
    ['00010519491231002X', 'resident_id.region'],
    ['110105' + '19490230' + '002X', 'resident_id.birth_date'],
    ['110105' + '19491301' + '002X', 'resident_id.birth_date'],
    ['110105' + '18700101' + '002X', 'resident_id.birth_date'],
  ];
  for (const [t, k] of bad) it(`rejects ${t} with ${k}`, () => expect(keyOf(validateResidentId(t))).toBe(k));
  it('15-digit numbers get a hint', () => {
    const r = validateResidentId('110105491231002');
    expect(r.ok ? '' : r.zh).toContain('15位');
  });
  it('makeResidentId round-trips', () => {
    expect(makeResidentId('11010519491231002')).toBe('11010519491231002X');
    expect(() => makeResidentId('1101051949123100A')).toThrow(RangeError);
  });
  it('masks all but the first 6 and last 2', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105**********2X');
    expect(maskResidentId('1234')).toBe('****');
  });
});

describe('validatePartyId', () => {
  it('kinds', () => {
    expect(validatePartyId('91350100M000100Y43')).toEqual({ ok: true, value: { id: '91350100M000100Y43', kind: 'uscc' } });
    expect(validatePartyId('11010519491231002x')).toEqual({ ok: true, value: { id: '11010519491231002X', kind: 'resident' } });
    expect(validatePartyId(' P-farmer_001 ')).toEqual({ ok: true, value: { id: 'P-farmer_001', kind: 'pseudonym' } });
    expect(validatePartyId('P-a-B-9')).toEqual({ ok: true, value: { id: 'P-a-B-9', kind: 'pseudonym' } });
  });
  it('pseudonym needs a body of [A-Za-z0-9_-]', () => {
    expect(keyOf(validatePartyId('P-'))).toBe('party.pseudonym');
    expect(keyOf(validatePartyId('P-张三'))).toBe('party.pseudonym');
    expect(keyOf(validatePartyId('P-a b'))).toBe('party.pseudonym');
    expect(keyOf(validatePartyId('p-abc'))).toBe('party.length'); // the prefix is upper-case P
  });
  it('wrong length', () => {
    expect(keyOf(validatePartyId('12345'))).toBe('party.length');
    expect(keyOf(validatePartyId(''))).toBe('party.length');
  });
  it('reports the most helpful error', () => {
    expect(keyOf(validatePartyId('91350100M000100Y44'))).toBe('uscc.check_char');
    expect(keyOf(validatePartyId('9135010IM000100Y43'))).toBe('uscc.char');
    expect(keyOf(validatePartyId('110105194912310021'))).toBe('resident_id.check_char');
    // a birth-date typo (that does not happen to pass the USCC check) is reported as such
    const typo = ['0', '1', '2', '3'].map((c) => '110105' + '19490230' + '00' + c + 'X').find((id) => !validateUscc(id).ok);
    expect(keyOf(validatePartyId(typo as string))).toBe('resident_id.birth_date');
  });
  // Identity numbers whose 18th character also happens to be the USCC check character.
  const collisions = (wantResidentValid: boolean): string[] => {
    const out: string[] = [];
    for (let seq = 0; seq < 1000 && out.length < 3; seq++) {
      const first17 = '11010519800101' + String(seq).padStart(3, '0');
      const u = usccCheckChar(first17) as string;
      const r = residentIdCheckChar(first17) as string;
      if (!/[\dX]/.test(u)) continue;
      if ((u === r) === wantResidentValid) out.push(first17 + u);
    }
    return out;
  };
  it('an identity number that also passes the USCC check is still a resident id', () => {
    const ids = collisions(true);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(validateUscc(id).ok).toBe(true);
      expect(validatePartyId(id)).toEqual({ ok: true, value: { id, kind: 'resident' } });
    }
  });
  it('a mistyped identity number is not accepted as a USCC', () => {
    const ids = collisions(false);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(validateUscc(id).ok).toBe(true);
      expect(keyOf(validatePartyId(id))).toBe('resident_id.check_char');
    }
  });
  it('maskPartyId masks identity numbers only', () => {
    expect(maskPartyId('11010519491231002X')).toBe('110105**********2X');
    expect(maskPartyId('91350100M000100Y43')).toBe('91350100M000100Y43');
    expect(maskPartyId('P-farmer_001')).toBe('P-farmer_001');
    for (const id of collisions(true)) expect(maskPartyId(id)).toBe(maskResidentId(id));
  });
});
