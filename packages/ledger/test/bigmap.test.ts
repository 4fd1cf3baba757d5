import { describe, expect, it } from 'vitest';
import { BigMap } from '../src/bigmap.ts';

describe('BigMap', () => {
  it('spills into further Maps past its limit and keeps one value per key', () => {
    const m = new BigMap<string, number>(3);
    for (let i = 0; i < 10; i++) m.set(`k${i}`, i);
    expect(m.size).toBe(10);
    for (let i = 0; i < 10; i++) expect(m.get(`k${i}`)).toBe(i);
    m.set('k1', 100); // in the first Map
    m.set('k9', 900); // in the last
    expect(m.size).toBe(10);
    expect(m.get('k1')).toBe(100);
    expect(m.get('k9')).toBe(900);
    expect(m.get('nope')).toBeUndefined();
    expect(m.has('k5')).toBe(true);
    expect(m.has('nope')).toBe(false);
  });
});
