// The byte index of the chunk merge gives the codes a Map in order of first appearance gives,
// whatever the strings (repeats, shared prefixes, empty, non-ASCII, colliding hashes) and however
// they are cut into chunks; and its text is the dictionary joined by "\n".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteIndex, hashBytes } from '../src/byte-index.ts';

/** Codes by first appearance, the plain way. */
function expected(values: readonly string[]): { codes: number[]; dict: string[] } {
  const m = new Map<string, number>();
  const dict: string[] = [];
  const codes = values.map((v) => {
    let c = m.get(v);
    if (c === undefined) {
      m.set(v, (c = dict.length));
      dict.push(v);
    }
    return c;
  });
  return { codes, dict };
}

/** A chunk as a worker prepares it: UTF-8 lines, each entry's end and hash. */
function prepared(values: readonly string[]): { lines: Uint8Array; ends: Uint32Array; hashes: Int32Array } {
  const lines = new Uint8Array(Buffer.from(values.join('\n'), 'utf8'));
  const ends = new Uint32Array(values.length);
  const hashes = new Int32Array(values.length);
  let from = 0;
  values.forEach((v, j) => {
    const to = from + Buffer.byteLength(v, 'utf8');
    ends[j] = to;
    hashes[j] = hashBytes(lines, from, to);
    from = to + 1;
  });
  return { lines, ends, hashes };
}

/** Different strings of one length with the same hash (found by search): only comparing the entries tells them apart. */
const COLLIDING = ['gwzx', '16cd', 'gwzy', '16ce'];

// few distinct characters, so values repeat and share prefixes; some beyond ASCII and the BMP; and
// strings whose hashes collide
const value = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', '张', '伟', '𠀋'), maxLength: 4 }), fc.constantFrom(...COLLIDING));

describe('ByteIndex', () => {
  it('is tested with strings whose hashes collide', () => {
    const h = (v: string): number => hashBytes(Buffer.from(v), 0, v.length);
    expect(h(COLLIDING[0])).toBe(h(COLLIDING[1]));
    expect(h(COLLIDING[2])).toBe(h(COLLIDING[3]));
  });

  it('give the codes of first appearance, across chunks, and the dictionary as text', () => {
    fc.assert(
      fc.property(fc.array(fc.array(value, { maxLength: 300 }), { maxLength: 6 }), fc.integer({ min: 1, max: 64 }), (chunks, capacity) => {
        const all = chunks.flat();
        const want = expected(all);
        const bytes = new ByteIndex(capacity); // small: the slots and the arena grow on the way
        const got: number[] = [];
        const text: string[] = [];
        for (const chunk of chunks) {
          const before = bytes.size;
          const p = prepared(chunk);
          const out = new Int32Array(chunk.length);
          bytes.codesOf(p.lines, p.ends, p.hashes, chunk.length, out);
          got.push(...out);
          if (bytes.size > before) text.push(Buffer.from(bytes.lines(before, bytes.size)).toString('utf8'));
        }
        expect(got).toEqual(want.codes);
        expect(bytes.size).toBe(want.dict.length);
        expect(text.join('\n')).toBe(want.dict.join('\n'));
      }),
      { numRuns: 300 },
    );
  });
});
