// Split one city's demo bundle into what each reporter hands in: an institution's own rows (and
// their balances, losses, events, and the borrowers they name); the city's platform data
// (supply-chain finance, securitisation) for the financial office.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableOfName, type TableName } from '@caijin/ledger';
import { readRecords, type UploadedFile } from '../submissions/bundle.ts';

const OWNER: Partial<Record<TableName, string>> = {
  institution_years: 'institution_id', loans: 'bank_id', guarantees: 'guarantor_id', outlets: 'bank_id',
  special_branches: 'bank_id', insurance_products: 'insurer_id', insurance_policies: 'insurer_id', fintech_projects: 'bank_id',
};
const CHILD: Partial<Record<TableName, [TableName, string]>> = {
  loan_balances: ['loans', 'loan_id'], loan_losses: ['loans', 'loan_id'],
  guarantee_balances: ['guarantees', 'guarantee_id'], guarantee_events: ['guarantees', 'guarantee_id'],
};
const PARTY_COLUMNS: Partial<Record<TableName, string[]>> = {
  loans: ['borrower_id'], guarantees: ['borrower_id'], insurance_policies: ['insured_id'],
  securitizations: ['enterprise_id'], supply_chain_financings: ['core_enterprise_id', 'counterparty_id'],
};
const PLATFORM_TABLES: readonly TableName[] = ['securitizations', 'supply_chain_financings'];
export const PLATFORM = 'platform';

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const toCsv = (keys: string[], rows: string[][]) => [keys, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** Owner USCC (or PLATFORM) → that reporter's files. */
export function splitBundle(dir: string): Map<string, UploadedFile[]> {
  const tables = new Map<TableName, { keys: string[]; rows: string[][] }>();
  for (const f of readdirSync(dir)) {
    const t = tableOfName(f);
    if (t && t !== 'institutions') tables.set(t, readRecords(t, readFileSync(join(dir, f))));
  }
  const byOwner = new Map<string, Map<TableName, string[][]>>();
  const put = (owner: string, t: TableName, row: string[]) => {
    let m = byOwner.get(owner);
    if (!m) byOwner.set(owner, (m = new Map()));
    let rows = m.get(t);
    if (!rows) m.set(t, (rows = []));
    rows.push(row);
  };
  const ownerOfId = new Map<TableName, Map<string, string>>();
  for (const [t, col] of Object.entries(OWNER) as [TableName, string][]) {
    const r = tables.get(t);
    if (!r) continue;
    const at = r.keys.indexOf(col);
    const idAt = r.keys.indexOf('id');
    const ids = new Map<string, string>();
    for (const row of r.rows) {
      put(row[at], t, row);
      if (idAt >= 0) ids.set(row[idAt], row[at]);
    }
    ownerOfId.set(t, ids);
  }
  for (const [t, [parent, col]] of Object.entries(CHILD) as [TableName, [TableName, string]][]) {
    const r = tables.get(t);
    if (!r) continue;
    const at = r.keys.indexOf(col);
    for (const row of r.rows) {
      const owner = ownerOfId.get(parent)?.get(row[at]);
      if (owner) put(owner, t, row);
    }
  }
  for (const t of PLATFORM_TABLES) for (const row of tables.get(t)?.rows ?? []) put(PLATFORM, t, row);
  // Each reporter's borrowers.
  const ent = tables.get('enterprises');
  const entById = new Map(ent ? ent.rows.map((r) => [r[ent.keys.indexOf('id')], r]) : []);
  const out = new Map<string, UploadedFile[]>();
  for (const [owner, m] of byOwner) {
    const parties = new Set<string>();
    for (const [t, rows] of m) {
      const keys = tables.get(t)!.keys;
      for (const col of PARTY_COLUMNS[t] ?? []) {
        const at = keys.indexOf(col);
        for (const row of rows) parties.add(row[at]);
      }
    }
    const files: UploadedFile[] = [];
    const enc = new TextEncoder();
    if (ent && parties.size) files.push({ name: 'enterprises.csv', bytes: enc.encode(toCsv(ent.keys, [...parties].flatMap((id) => (entById.has(id) ? [entById.get(id)!] : [])))) });
    for (const [t, rows] of m) files.push({ name: `${t}.csv`, bytes: enc.encode(toCsv(tables.get(t)!.keys, rows)) });
    out.set(owner, files);
  }
  return out;
}
