// YAML test cases beside each scheme (schemes/<id>/tests/*.yaml): sheet rows, flags and earlier
// results in, expected scores, grades, ranks, consequences, rewards and clawbacks out. Inputs are
// written as real files and read back through the same readers as `caijin evaluate`.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readInputs } from './inputs.ts';
import { evaluateScheme, type EvaluationResult } from './evaluate.ts';
import { loadScheme } from './scheme.ts';

export interface SchemeCase {
  file: string;
  name: string;
  year: number;
  select?: number;
  sheet: Record<string, unknown>[];
  flags: Record<string, unknown>[];
  history: unknown[];
  expect: Record<string, Record<string, unknown>>;
}

export function readSchemeCases(dir: string): SchemeCase[] {
  const tests = join(dir, 'tests');
  if (!existsSync(tests)) return [];
  const out: SchemeCase[] = [];
  for (const f of readdirSync(tests).filter((x) => x.endsWith('.yaml')).sort()) {
    for (const c of parseYaml(readFileSync(join(tests, f), 'utf8'), { merge: true }) as Record<string, unknown>[]) {
      out.push({
        file: f,
        name: String(c.name),
        year: Number(c.year),
        select: c.select === undefined ? undefined : Number(c.select),
        sheet: (c.sheet as Record<string, unknown>[]) ?? [],
        flags: (c.flags as Record<string, unknown>[]) ?? [],
        history: (c.history as unknown[]) ?? [],
        expect: (c.expect as SchemeCase['expect']) ?? {},
      });
    }
  }
  return out;
}

function csv(rows: Record<string, unknown>[], cols: string[]): string {
  const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

export async function runSchemeCase(schemeDir: string, c: SchemeCase): Promise<{ result: EvaluationResult; failures: string[] }> {
  const tmp = mkdtempSync(join(tmpdir(), 'caijin-eval-'));
  try {
    const scheme = loadScheme(schemeDir);
    const sheet = join(tmp, 'sheet.csv');
    writeFileSync(sheet, csv(c.sheet, ['unit_id', 'indicator', 'actual', 'target', 'points']));
    const flags = join(tmp, 'flags.csv');
    writeFileSync(flags, csv(c.flags, ['unit_id', 'flag']));
    const history = c.history.map((h, i) => {
      const f = join(tmp, `history${i}.json`);
      writeFileSync(f, JSON.stringify(h));
      return f;
    });
    const inputs = await readInputs(scheme, { sheet, flags, history });
    const result = evaluateScheme(scheme, c.year, inputs, { select: c.select });
    const failures: string[] = [];
    for (const [unit, want] of Object.entries(c.expect)) {
      const got = result.results.find((r) => r.unit === unit);
      if (!got) {
        failures.push(`${unit}: no result`);
        continue;
      }
      for (const [k, v] of Object.entries(want)) {
        const g = (got as unknown as Record<string, unknown>)[k];
        const same = Array.isArray(v) ? JSON.stringify([...(g as string[])].sort()) === JSON.stringify([...(v as string[])].sort()) : String(g) === String(v);
        if (!same) failures.push(`${unit}.${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(g)}`);
      }
    }
    return { result, failures };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
