import { describe, it, expect } from 'vitest';
import { parseBool } from '../src/index.ts';

describe('parseBool', () => {
  for (const t of ['true', 'TRUE', 'True', '1', '是', 'Y', 'y', 'yes', 'YES', ' 是 ']) {
    it(`"${t}" → true`, () => expect(parseBool(t)).toEqual({ ok: true, value: true }));
  }
  for (const t of ['false', 'FALSE', '0', '否', 'N', 'n', 'no', 'No', '\t0\n']) {
    it(`"${t}" → false`, () => expect(parseBool(t)).toEqual({ ok: true, value: false }));
  }
  for (const [t, k] of [['', 'bool.empty'], ['  ', 'bool.empty'], ['2', 'bool.format'], ['对', 'bool.format'],
    ['t', 'bool.format'], ['10', 'bool.format'], ['是的', 'bool.format']]) {
    it(`rejects "${t}" with ${k}`, () => {
      const r = parseBool(t);
      expect(r.ok ? undefined : r.key).toBe(k);
    });
  }
});
