// What changed between two versions of a submission: per table, rows added, removed and changed
// (matched by the table's unique key), with the changed cells; per indicator, old and new values;
// per material, files added, removed and replaced.
import { SCHEMA, type TableName } from '@caijin/ledger';
import { readRecords, type UploadedFile } from './bundle.ts';
import { tableOfName } from '@caijin/ledger';

const DETAIL_CAP = 200;

export interface TableDiff {
  file: string;
  added: number;
  removed: number;
  changed: number;
  /** The first changes, for display. */
  details: { key: string; change: 'added' | 'removed' | 'changed'; cells?: { column: string; from: string; to: string }[] }[];
}

function keyed(t: TableName, f: UploadedFile | undefined): { keys: string[]; rows: Map<string, string[]> } {
  const rows = new Map<string, string[]>();
  if (!f) return { keys: [], rows };
  const r = readRecords(t, f.bytes);
  const unique = SCHEMA[t].unique ?? [];
  const at = unique.map((k) => r.keys.indexOf(k));
  r.rows.forEach((row, i) => rows.set(at.every((x) => x >= 0) ? at.map((x) => row[x]).join('|') : `#${i + 2}`, row));
  return { keys: r.keys, rows };
}

export function diffLedger(before: readonly UploadedFile[], after: readonly UploadedFile[]): TableDiff[] {
  const byTable = (fs: readonly UploadedFile[]) => new Map(fs.flatMap((f) => {
    const t = tableOfName(f.name);
    return t ? [[t, f] as const] : [];
  }));
  const b = byTable(before);
  const a = byTable(after);
  const out: TableDiff[] = [];
  for (const t of new Set([...b.keys(), ...a.keys()])) {
    const old = keyed(t, b.get(t));
    const now = keyed(t, a.get(t));
    const d: TableDiff = { file: (a.get(t) ?? b.get(t))!.name, added: 0, removed: 0, changed: 0, details: [] };
    const note = (x: TableDiff['details'][number]) => d.details.length < DETAIL_CAP && d.details.push(x);
    for (const [k, row] of now.rows) {
      const prev = old.rows.get(k);
      if (!prev) {
        d.added++;
        note({ key: k, change: 'added' });
        continue;
      }
      const cells: { column: string; from: string; to: string }[] = [];
      now.keys.forEach((col, i) => {
        const j = old.keys.indexOf(col);
        const from = j >= 0 ? (prev[j] ?? '') : '';
        if ((row[i] ?? '') !== from) cells.push({ column: col, from, to: row[i] ?? '' });
      });
      if (cells.length) {
        d.changed++;
        note({ key: k, change: 'changed', cells });
      }
    }
    for (const k of old.rows.keys()) {
      if (!now.rows.has(k)) {
        d.removed++;
        note({ key: k, change: 'removed' });
      }
    }
    if (d.added || d.removed || d.changed) out.push(d);
  }
  return out;
}

export interface IndicatorValue {
  subject: string;
  indicator: string;
  actual: string | null;
  target: string | null;
  points: string | null;
  previous: string | null;
}

export function diffIndicators(before: readonly IndicatorValue[], after: readonly IndicatorValue[]) {
  const k = (v: IndicatorValue) => `${v.subject}|${v.indicator}`;
  const old = new Map(before.map((v) => [k(v), v]));
  const changes: { subject: string; indicator: string; field: string; from: string | null; to: string | null }[] = [];
  const fields = ['actual', 'target', 'points', 'previous'] as const;
  for (const v of after) {
    const p = old.get(k(v));
    for (const f of fields) if ((p?.[f] ?? null) !== v[f]) changes.push({ subject: v.subject, indicator: v.indicator, field: f, from: p?.[f] ?? null, to: v[f] });
    old.delete(k(v));
  }
  for (const p of old.values()) for (const f of fields) if (p[f] !== null) changes.push({ subject: p.subject, indicator: p.indicator, field: f, from: p[f], to: null });
  return changes;
}

export function diffFiles(before: readonly { name: string; sha256: string }[], after: readonly { name: string; sha256: string }[]) {
  const old = new Map(before.map((f) => [f.name, f.sha256]));
  const out: { name: string; change: 'added' | 'removed' | 'replaced' }[] = [];
  for (const f of after) {
    const s = old.get(f.name);
    if (s === undefined) out.push({ name: f.name, change: 'added' });
    else if (s !== f.sha256) out.push({ name: f.name, change: 'replaced' });
    old.delete(f.name);
  }
  for (const name of old.keys()) out.push({ name, change: 'removed' });
  return out;
}
