// A policy that exists only as a test fixture (a made-up city's stepped fee subsidy and banded
// compensation) loads, type checks and computes on the unchanged engine.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '../src/index.ts';
import { readCases, runCase } from '../src/cases.ts';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'binjiang-2025');

describe('a new city needs a new file, not a new engine', () => {
  it('loads the fixture policy', () => {
    const p = loadPolicy(dir);
    expect(p.clauses.map((c) => c.id)).toEqual(['3', '4']);
  });
  const cases = readCases(dir, 'binjiang-2025');
  it('has cases', () => expect(cases.length).toBe(2));
  for (const c of cases) {
    it(c.name, async () => {
      const { failures, result } = await runCase(c, dir);
      expect(failures).toEqual([]);
      expect(result.awards.every((a) => a.trace.length > 0)).toBe(true);
    });
  }
});
