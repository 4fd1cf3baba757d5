// loadBundle: a folder of CSV files or one .xlsx workbook → validated typed tables, or a
// BundleError listing every problem (all or nothing: a bad row is never dropped or guessed).
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { TableBuilder, CELL_FAILED, type BuiltTable, type CellFailure } from './builder.ts';
import { checkTables, displayValue } from './checks.ts';
import { parseFiles, type CsvJob, type Settled } from './csvfiles.ts';
import { ErrorList, DEFAULT_ERROR_CAP } from './errors.ts';
import { checkUnique, resolveRefs, type Built } from './refs.ts';
import { tableOfName, TABLE_NAMES } from './schema.ts';
import { isSnapshotDir, readSnapshot } from './snapshot.ts';
import { BundleError, type Bundle, type LedgerError, type Table, type TableName } from './types.ts';
import { cellText, readWorkbook, type XlsxCell } from './xlsx.ts';

export interface LoadOptions {
  /** Errors listed before the closing "more errors" entry (default 1000). */
  maxErrors?: number;
  /** For a snapshot directory: re-hash every file (loadBundle default false; checkBundle always verifies). */
  verify?: boolean;
  /**
   * CSV folder: 1 reads the files on this thread; 2 also in a worker thread, two files at a time.
   * Default: 2 when the folder holds at least 64 MB of CSV and the machine has two cores.
   */
  threads?: 1 | 2;
}

interface Loaded {
  built: Built;
  errors: ErrorList;
  warnings: string[];
  /** File names in reading order, to sort the errors. */
  files: string[];
}

/** A parsed file's errors, warnings and table, merged as if it had been read just now. */
function take(out: Loaded, r: Settled): BuiltTable {
  if (!r.ok) throw r.error;
  out.errors.merge(r.parsed.errors);
  out.warnings.push(...r.parsed.warnings);
  return r.parsed.built;
}

async function loadFolder(dir: string, out: Loaded, threads: number | undefined): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  // Contract order (institutions first), then unknown names: errors then read in a stable order.
  const rank = (f: string) => {
    const t = tableOfName(f);
    return t ? TABLE_NAMES.indexOf(t) : TABLE_NAMES.length;
  };
  entries.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  // First what to do with each file, in reading order; then the parsing (maybe two at a time);
  // then the steps replayed in order, so errors and warnings come in the same order either way.
  const steps: ({ warning: string } | { error: LedgerError } | { job: number })[] = [];
  const jobs: CsvJob[] = [];
  const seen = new Map<TableName, string>();
  for (const f of entries) {
    if (extname(f).toLowerCase() !== '.csv') {
      if (/\.(xlsx|xls|et|ods)$/i.test(f)) steps.push({ warning: `文件夹中的 ${f} 不会被读取：数据包是 CSV 文件夹时只读 .csv 文件` });
      continue;
    }
    const name = tableOfName(f);
    if (!name) {
      steps.push({ warning: `未知文件 ${f}，已忽略（文件名应为 ${TABLE_NAMES.join('、')} 之一）` });
      continue;
    }
    const prev = seen.get(name);
    if (prev) {
      steps.push({ error: { file: f, key: 'file.duplicate', zh: `${f} 与 ${prev} 都是 ${name} 表；请只保留一个` } });
      continue;
    }
    seen.set(name, f);
    const path = join(dir, f);
    steps.push({ job: jobs.length });
    jobs.push({ path, file: f, name, bytes: (await stat(path)).size });
  }
  const results = await parseFiles(jobs, out.errors.cap, threads);
  for (const s of steps) {
    if ('warning' in s) out.warnings.push(s.warning);
    else if ('error' in s) out.errors.add(s.error);
    else {
      const j = jobs[s.job];
      out.files.push(j.file);
      out.built[j.name] = take(out, results[s.job]);
    }
  }
}

async function loadWorkbook(path: string, out: Loaded): Promise<void> {
  const base = basename(path);
  const builders = new Map<TableName, TableBuilder>();
  const texts: string[] = [];
  await readWorkbook(path, (sheet, info) => {
    const name = tableOfName(sheet);
    const file = `${base}#${sheet}`;
    if (!name) {
      out.warnings.push(`未知工作表 ${file}，已忽略（工作表名应为 ${TABLE_NAMES.join('、')} 之一）`);
      return null;
    }
    if (builders.has(name)) {
      out.errors.add({ file, key: 'file.duplicate', zh: `工作表 ${sheet} 与另一工作表都是 ${name} 表；请只保留一个` });
      return null;
    }
    const b = new TableBuilder(name, file, out.errors, out.warnings, false);
    builders.set(name, b);
    out.files.push(file);
    return {
      row(cells: readonly XlsxCell[], row: number) {
        texts.length = cells.length;
        let failures: (CellFailure | undefined)[] | undefined;
        const typed = b.hasHeader;
        for (let i = 0; i < cells.length; i++) {
          const r = cellText(cells[i], typed ? b.inputType(i) : undefined, info.date1904);
          if (r.ok) texts[i] = r.value;
          else {
            texts[i] = CELL_FAILED;
            (failures ??= [])[i] = { key: r.key, zh: r.zh, raw: rawText(cells[i]) };
          }
        }
        b.row(texts, row, failures);
      },
    };
  });
  for (const [name, b] of builders) out.built[name] = b.finish();
}

function rawText(v: XlsxCell): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return v.error === 'formula_without_result' ? '(公式)' : v.error;
  return String(v);
}

async function load(path: string, opts: LoadOptions): Promise<Loaded> {
  const out: Loaded = { built: {}, errors: new ErrorList(opts.maxErrors ?? DEFAULT_ERROR_CAP), warnings: [], files: [] };
  let st;
  try {
    st = await stat(path);
  } catch {
    out.errors.add({ file: path, key: 'bundle.not_found', zh: `找不到数据包 ${path}：应为 CSV 文件夹或 .xlsx 工作簿` });
    return out;
  }
  const file = basename(path);
  try {
    if (st.isDirectory()) await loadFolder(path, out, opts.threads);
    else if (/\.xlsx$/i.test(path)) await loadWorkbook(path, out);
    else if (/\.csv$/i.test(path) && tableOfName(file)) {
      const name = tableOfName(file) as TableName;
      out.files.push(file);
      out.built[name] = take(out, (await parseFiles([{ path, file, name, bytes: st.size }], out.errors.cap, 1))[0]);
    } else {
      out.errors.add({ file, key: 'bundle.kind', zh: `${file} 不是数据包：应为 CSV 文件夹或 .xlsx 工作簿（.xls 请另存为 .xlsx）` });
      return out;
    }
  } catch (e) {
    out.errors.add({ file, key: 'file.unreadable', zh: `无法读取 ${file}：${(e as Error).message}` });
    return out;
  }
  checkTables(out.built, out.errors, out.warnings);
  resolveRefs(out.built, out.errors);
  checkUnique(out.built, out.errors, displayValue);
  for (const t of Object.values(out.built)) for (const d of Object.values(t?.dicts ?? {})) d.dropIndex();
  return out;
}

function sortedErrors(l: Loaded): LedgerError[] {
  const all = l.errors.result();
  const tail = all.length && all[all.length - 1].key === 'errors.truncated' ? all.pop() : undefined;
  const order = new Map(l.files.map((f, i) => [f, i]));
  const indexed = all.map((e, i) => ({ e, i }));
  indexed.sort((a, b) => {
    const fa = order.get(a.e.file) ?? -1;
    const fb = order.get(b.e.file) ?? -1;
    if (fa !== fb) return fa - fb;
    const ra = a.e.row ?? 0;
    const rb = b.e.row ?? 0;
    return ra !== rb ? ra - rb : a.i - b.i;
  });
  const out = indexed.map((x) => x.e);
  if (tail) out.push(tail);
  return out;
}

/**
 * Load and validate a bundle (folder of `<table>.csv`, one `.xlsx`, or a snapshot directory written
 * by writeSnapshot, which was validated when written and loads without parsing). Throws BundleError
 * with every problem found.
 */
export async function loadBundle(path: string, opts: LoadOptions = {}): Promise<Bundle> {
  if (await isSnapshotDir(path)) return readSnapshot(path, { verify: opts.verify });
  const l = await load(path, opts);
  if (!l.errors.empty) throw new BundleError(sortedErrors(l));
  const tables: Partial<Record<TableName, Table>> = {};
  for (const name of TABLE_NAMES) {
    const b = l.built[name];
    if (b) tables[name] = b.table;
  }
  return { tables, origin: path, warnings: l.warnings };
}

/** Validate only: every problem of the bundle (empty when it loads). */
export async function checkBundle(path: string, opts: LoadOptions = {}): Promise<LedgerError[]> {
  if (await isSnapshotDir(path)) {
    try {
      await readSnapshot(path, { verify: opts.verify ?? true });
      return [];
    } catch (e) {
      if (e instanceof BundleError) return e.errors;
      throw e;
    }
  }
  const l = await load(path, opts);
  return l.errors.empty ? [] : sortedErrors(l);
}
