// OpenFisca-style test cases beside each policy (policies/<id>/tests/*.yaml): a period, a small
// input bundle written as YAML rows, the parameters/variants, and the expected amounts. Each case
// is written out as real CSV files and goes through the real importer, so a case tests the whole path.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { makeUscc } from '@caijin/core';
import { loadBundle } from '@caijin/ledger';
import { loadPolicy } from './policy/load.ts';
import { computePolicy, type PolicyResult } from './run.ts';

export interface PolicyCase {
  file: string;
  name: string;
  policy: string;
  year: number;
  params: Record<string, string>;
  variants: Record<string, string>;
  input: Record<string, Record<string, unknown>[]>;
  /** clause → recipient alias/id → amount ("0.00" means no award). */
  output: Record<string, Record<string, string>>;
  unset?: string[];
  excluded?: Record<string, string[]>;
}

/** `@bank1` → a valid USCC derived from the alias, so cases read like prose yet pass id checks. */
export function aliasId(alias: string): string {
  const h = createHash('sha256').update(alias).digest();
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '91330300';
  for (let i = 0; i < 9; i++) body += alphabet[h[i] % 31];
  return makeUscc(body);
}

function resolveAliases(v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith('@')) return aliasId(v);
  return v;
}

export function readCases(policyDir: string, policyId: string): PolicyCase[] {
  const dir = join(policyDir, 'tests');
  if (!existsSync(dir)) return [];
  const out: PolicyCase[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
    const doc = parseYaml(readFileSync(join(dir, f), 'utf8'), { merge: true }) as Record<string, unknown>[];
    for (const c of doc) {
      out.push({
        file: f,
        name: String(c.name),
        policy: policyId,
        year: Number(c.year),
        params: Object.fromEntries(Object.entries((c.params as Record<string, unknown>) ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
        variants: (c.variants as Record<string, string>) ?? {},
        input: (c.input as PolicyCase['input']) ?? {},
        output: (c.output as PolicyCase['output']) ?? {},
        unset: c.unset as string[] | undefined,
        excluded: c.excluded as Record<string, string[]> | undefined,
      });
    }
  }
  return out;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(';') : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Expand `_balance` shorthands on loans/guarantees into month-end balance rows. */
function expandBalances(c: PolicyCase): Record<string, Record<string, unknown>[]> {
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const [t, rows] of Object.entries(c.input)) tables[t] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, resolveAliases(v)])));
  for (const [t, balT, key] of [
    ['loans', 'loan_balances', 'loan_id'],
    ['guarantees', 'guarantee_balances', 'guarantee_id'],
  ] as const) {
    for (const r of tables[t] ?? []) {
      const bal = r._balance;
      const end = r._end ?? bal;
      const prev = r._prev_end;
      const monthly = r._months as Record<string, unknown> | undefined;
      delete r._balance;
      delete r._end;
      delete r._prev_end;
      delete r._months;
      const rows = (tables[balT] ??= []);
      if (bal !== undefined || end !== undefined) {
        for (let m = 1; m <= 12; m++) {
          const v = m === 12 ? end : bal;
          if (v !== undefined && v !== null) rows.push({ [key]: r.id, month: `${c.year}-${String(m).padStart(2, '0')}`, balance: v });
        }
      }
      if (monthly) for (const [month, v] of Object.entries(monthly)) rows.push({ [key]: r.id, month, balance: v });
      if (prev !== undefined) rows.push({ [key]: r.id, month: `${c.year - 1}-12`, balance: prev });
    }
  }
  return tables;
}

export async function runCase(c: PolicyCase, policyDir?: string): Promise<{ result: PolicyResult; failures: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'caijin-case-'));
  try {
    for (const [t, rows] of Object.entries(expandBalances(c))) {
      const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      const lines = [cols.join(','), ...rows.map((r) => cols.map((k) => csvCell(r[k])).join(','))];
      writeFileSync(join(dir, `${t}.csv`), lines.join('\n') + '\n');
    }
    const policy = loadPolicy(policyDir ?? c.policy, { params: c.params, variants: c.variants });
    const bundle = await loadBundle(dir);
    const result = computePolicy(policy, bundle, c.year);
    const failures: string[] = [];
    for (const [clause, expected] of Object.entries(c.output)) {
      for (const [who, amount] of Object.entries(expected)) {
        const id = who.startsWith('@') ? aliasId(who) : who;
        const got = result.awards.find((a) => a.clause === clause && a.recipient === id)?.amount ?? '0.00';
        const want = typeof amount === 'number' ? (amount as number).toFixed(2) : String(amount);
        if (got !== want) failures.push(`clause ${clause} ${who}: expected ${want}, got ${got}`);
      }
      // Nobody else may receive money under a clause whose recipients the case lists.
      const listed = new Set(Object.keys(expected).map((w) => (w.startsWith('@') ? aliasId(w) : w)));
      for (const a of result.awards.filter((x) => x.clause === clause && !listed.has(x.recipient))) {
        failures.push(`clause ${clause}: unexpected award ${a.amount} to ${a.recipient}`);
      }
    }
    if (c.unset) {
      const want = [...c.unset].sort().join(',');
      const got = [...result.unset].sort().join(',');
      if (want !== got) failures.push(`unset: expected [${want}], got [${got}]`);
    }
    for (const [clause, whos] of Object.entries(c.excluded ?? {})) {
      for (const who of whos) {
        const id = who.startsWith('@') ? aliasId(who) : who;
        if (!result.excluded.some((x) => x.clause === clause && x.recipient === id)) failures.push(`clause ${clause}: ${who} should be excluded`);
      }
    }
    if (result.warnings.some((w) => w.includes('engine.mismatch'))) failures.push(`engine mismatch: ${result.warnings.join('; ')}`);
    return { result, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
