// Every scheme under schemes/ (and the fixture scheme of a made-up province) runs its YAML cases.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSchemeIds, loadScheme, schemesRoot } from '../src/index.ts';
import { readSchemeCases, runSchemeCase } from '../src/cases.ts';

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'dongshan-2024');
const dirs = [...listSchemeIds().map((id) => join(schemesRoot(), id)), fixture];

for (const dir of dirs) {
  const scheme = loadScheme(dir);
  const cases = readSchemeCases(dir);
  describe(`scheme ${scheme.id}`, () => {
    it('loads with consistent points', () => expect(scheme.indicators.length).toBeGreaterThan(0));
    if (scheme.id !== 'national-2020') it('has cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      it(`${c.file}: ${c.name}`, async () => {
        const { failures } = await runSchemeCase(dir, c);
        expect(failures).toEqual([]);
      });
    }
  });
}
