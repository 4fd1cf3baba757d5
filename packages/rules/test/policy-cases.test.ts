// Runs every OpenFisca-style case under policies/<id>/tests/*.yaml through the real importer and engine.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listPolicyIds, policiesRoot } from '../src/index.ts';
import { readCases, runCase } from '../src/cases.ts';

for (const id of listPolicyIds()) {
  const cases = readCases(join(policiesRoot(), id), id);
  describe(`${id} cases`, () => {
    it('has test cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      it(`${c.file}: ${c.name}`, async () => {
        const { failures } = await runCase(c);
        expect(failures).toEqual([]);
      });
    }
  });
}
