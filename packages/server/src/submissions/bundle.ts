// Ledger bundles handed in by reporters: checked by the ledger package exactly as the batch
// interface checks them, then for data scope (an institution reports only its own business), and
// merged across the approved versions of a cycle into the one bundle caijin computes on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BundleError,
  decodeCsvBytes,
  headerKeyMap,
  loadBundle,
  normalizeHeader,
  parseCsvText,
  SCHEMA,
  tableOfName,
  TABLE_NAMES,
  type Bundle,
  type LedgerError,
  type TableName,
} from '@caijin/ledger';
import { invalid } from '../http/errors.ts';
import type { UnitRow } from '../org/units.ts';

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** The column naming the institution a row belongs to, for the tables an institution reports. */
const OWNER_COLUMN: Partial<Record<TableName, string>> = {
  institution_years: 'institution_id',
  loans: 'bank_id',
  guarantees: 'guarantor_id',
  outlets: 'bank_id',
  special_branches: 'bank_id',
  insurance_products: 'insurer_id',
  insurance_policies: 'insurer_id',
  fintech_projects: 'bank_id',
};
/** Tables whose rows belong to an owned row of another table (a loan's balances are its bank's). */
const CHILD_TABLES: ReadonlySet<TableName> = new Set(['loan_balances', 'loan_losses', 'guarantee_balances', 'guarantee_events']);
/** Shared reference data any reporter may include (its borrowers). */
const SHARED_TABLES: ReadonlySet<TableName> = new Set(['enterprises']);

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const csvLine = (cells: readonly string[]) => cells.map(csvCell).join(',') + '\n';

/** The registry's institutions file: the bureau keeps it, reporters never send it. */
export function institutionsCsv(registry: readonly UnitRow[]): string {
  let out = csvLine(['id', 'name', 'kind', 'region', 'government_backed', 'level']);
  for (const u of registry) {
    out += csvLine([u.uscc!, u.name, u.kind, u.region, u.government_backed === null ? '' : String(u.government_backed), u.level ?? '']);
  }
  return out;
}

function tableFile(name: string): TableName | null {
  if (!/\.csv$/i.test(name)) return null;
  return tableOfName(name) ?? null;
}

/** Each error with its column's Chinese name from the data contract (column_zh), beside the English key. */
function named(errors: readonly LedgerError[]): (LedgerError & { column_zh?: string })[] {
  return errors.map((e) => {
    const t = tableFile(e.file);
    const zh = t && e.column ? SCHEMA[t].columns.find((c) => c.key === e.column)?.zh : undefined;
    // The importer's message may start with the English key ("amount：…"); a reporter reads the header's name.
    return zh ? { ...e, zh: e.zh.startsWith(`${e.column}：`) ? `${zh}：${e.zh.slice(e.column!.length + 1)}` : e.zh, column_zh: zh } : e;
  });
}

/** Check a reporter's files; returns the loaded bundle and per-file row counts, or throws with every error. */
export async function checkReporterBundle(
  files: readonly UploadedFile[],
  registry: readonly UnitRow[],
  reporter: UnitRow,
): Promise<{ bundle: Bundle; rows: Record<string, number> }> {
  const errors: LedgerError[] = [];
  const seen = new Set<TableName>();
  for (const f of files) {
    const t = tableFile(f.name);
    if (!t) errors.push({ file: f.name, key: 'bundle.unknown_file', zh: '不是数据规范中的文件（应为 loans.csv、贷款.csv 等 CSV 文件）' });
    else if (t === 'institutions') errors.push({ file: f.name, key: 'bundle.institutions_managed', zh: '机构名录由财政局维护，报送时不需要也不接受 institutions 文件' });
    else if (seen.has(t)) errors.push({ file: f.name, key: 'bundle.duplicate_file', zh: `同一数据表（${SCHEMA[t].zh}）出现了两个文件` });
    else if (reporter.uscc && !OWNER_COLUMN[t] && !CHILD_TABLES.has(t) && !SHARED_TABLES.has(t)) {
      errors.push({ file: f.name, key: 'scope.table_not_allowed', zh: `${SCHEMA[t].zh}不由金融机构报送` });
    }
    if (t) seen.add(t);
  }
  if (errors.length) throw invalid('bundle.rejected', `数据包未通过校验，共 ${errors.length} 处错误，未保存任何数据`, errors);

  const dir = mkdtempSync(join(tmpdir(), 'caijin-upload-'));
  try {
    for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
    writeFileSync(join(dir, 'institutions.csv'), institutionsCsv(registry));
    let bundle: Bundle;
    try {
      bundle = await loadBundle(dir);
    } catch (e) {
      if (e instanceof BundleError) throw invalid('bundle.rejected', `数据包未通过校验，共 ${e.errors.length} 处错误，未保存任何数据`, named(e.errors));
      throw e;
    }
    if (reporter.uscc) {
      for (const [t, col] of Object.entries(OWNER_COLUMN) as [TableName, string][]) {
        const table = bundle.tables[t];
        const c = table?.columns[col];
        if (!table || !c || !('codes' in c)) continue;
        for (let i = 0; i < table.length; i++) {
          const v = c.codes[i] >= 0 ? c.dict[c.codes[i]] : '';
          if (v !== reporter.uscc) {
            errors.push({ file: table.source.file, row: table.source.rows[i], column: col, value: v, key: 'scope.not_own', zh: `该行属于其他机构（${v || '空'}），只能报送本机构（${reporter.uscc}）的数据` });
            if (errors.length >= 1000) break;
          }
        }
      }
      if (errors.length) throw invalid('bundle.rejected', `数据包含有非本机构的数据，共 ${errors.length} 处，未保存任何数据`, named(errors));
    }
    const rows: Record<string, number> = {};
    for (const t of TABLE_NAMES) if (t !== 'institutions' && bundle.tables[t]) rows[bundle.tables[t]!.source.file] = bundle.tables[t]!.length;
    return { bundle, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CSV file as English-keyed records (header mapped through the contract's spellings). */
export function readRecords(t: TableName, bytes: Uint8Array): { keys: string[]; rows: string[][] } {
  const d = decodeCsvBytes(bytes);
  if (!('text' in d)) throw new Error('undecodable CSV');
  const [header = [], ...rows] = parseCsvText(d.text);
  const map = headerKeyMap(t);
  const keys = header.map((h) => map.get(normalizeHeader(h)) ?? `extra:${h}`);
  return { keys, rows: rows.filter((r) => r.some((c) => c.trim() !== '')) };
}

export interface MergeSource {
  version: string;
  files: UploadedFile[];
}

/**
 * One folder of CSV files from many reporters' approved versions plus the registry: the rows of
 * each table one after the other; a shared row (an enterprise two banks lend to) kept once, and an
 * error when two reporters describe it differently.
 */
export function mergeBundles(sources: readonly MergeSource[], registry: readonly UnitRow[], outDir: string): { conflicts: LedgerError[] } {
  writeFileSync(join(outDir, 'institutions.csv'), institutionsCsv(registry));
  const conflicts: LedgerError[] = [];
  const byTable = new Map<TableName, { keys: string[]; rows: string[][]; seen: Map<string, { row: string; version: string }> }>();
  for (const s of sources) {
    for (const f of s.files) {
      const t = tableFile(f.name);
      if (!t || t === 'institutions') continue;
      const { keys, rows } = readRecords(t, f.bytes);
      let acc = byTable.get(t);
      if (!acc) {
        acc = { keys: SCHEMA[t].columns.map((c) => c.key), rows: [], seen: new Map() };
        byTable.set(t, acc);
      }
      const index = acc.keys.map((k) => keys.indexOf(k));
      const idAt = acc.keys.indexOf('id');
      for (const r of rows) {
        const out = index.map((i) => (i >= 0 ? (r[i] ?? '') : ''));
        if (SHARED_TABLES.has(t) && idAt >= 0) {
          const id = out[idAt];
          const text = out.join('\u0001');
          const prev = acc.seen.get(id);
          if (prev) {
            if (prev.row !== text) conflicts.push({ file: f.name, column: 'id', value: id, key: 'merge.conflict', zh: `同一主体在版本 ${prev.version} 与 ${s.version} 中的信息不一致` });
            continue;
          }
          acc.seen.set(id, { row: text, version: s.version });
        }
        acc.rows.push(out);
      }
    }
  }
  for (const [t, acc] of byTable) {
    let text = csvLine(acc.keys);
    for (const r of acc.rows) text += csvLine(r);
    writeFileSync(join(outDir, `${t}.csv`), text);
  }
  return { conflicts };
}
