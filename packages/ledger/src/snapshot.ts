// Columnar snapshots of an accepted bundle: written once after validation, then loaded by reading
// raw typed arrays straight from disk (no CSV/XLSX parsing, no per-row work), and named by the
// SHA-256 of their content so that every computation can record exactly which data it used.
//
// ## Format `caijin-snapshot`, version 2
//
// A snapshot is a directory (by default named by the first 16 hex digits of its hash) holding
// `manifest.json` and one file per stored array, dictionary or extra column. Nothing else.
//
// manifest.json:
//   {
//     "format": "caijin-snapshot", "version": 2,
//     "hash": "<64 hex: SHA-256, see below>",
//     "origin": "<where the bundle was imported from>", "warnings": [<import warnings>],
//     "tables": [ TableEntry, ... ]            // contract order (institutions first), present tables only
//   }
//   TableEntry  = { "name": "loans", "length": n,
//                   "source": { "file": "loans.csv", "rows": ArrayRef },   // 1-based source row per row
//                   "columns": [ ColumnEntry, ... ],                      // every schema column, schema order
//                   "extra": [ { "key": "<header as written>", "file", "bytes", "sha256" } ] }  // JSON array of strings
//   ColumnEntry = { "key": "amount", "type": "money", <arrays by role>, ["dict": DictRef], ["tags": [...]] }
//                 roles: "values" (number columns: f64, NaN = empty; bool: i8, -1 = empty),
//                        "codes" (i32 dictionary codes, -1 = empty), "refIndex" (i32 row in the
//                        referenced table, -1 = none), "masks" (u32 tag bit masks)
//   ArrayRef    = { "dtype": "f64"|"i32"|"i8"|"u32", "file": "loans.amount.values.f64", "bytes", "sha256" }
//               | { "dtype", "fill": <number> | "NaN" }        // every element equal (e.g. an absent column)
//               | { "dtype", "range": start }                  // element i = start + i (ids' codes, source rows)
//               | { "dtype", "runs": k, "step": 0|1, "file": "….runs.f64", "bytes", "sha256" }
//                 only for columns whose schema has `runStep` (balances' loan_id/guarantee_id and
//                 month), and only where it takes at most half the bytes: the k maximal runs of
//                 values that repeat (step 0) or count up by one (step 1), as their k first
//                 values (dtype) followed by their k lengths (u32)
//   DictRef     = { "count": k, "inline": [...] }               // small dictionaries (enums), in the manifest
//               | { "count": k, "encoding": "lines"|"json", "file", "bytes", "sha256" }
//                 lines: UTF-8, entries joined by "\n" (used when no entry holds "\n"/"\r" and the
//                 text is well-formed UTF-16); json: a UTF-8 JSON array of strings.
//               | { "of": "refIndex" }  // a foreign key whose text is the referenced rows' ids: no
//                 codes are stored; they number refIndex in order of first appearance, and the
//                 dictionary is those rows' ids in that order (see reftext.ts)
//
// Version 1 (still read) had neither runs nor text that follows refIndex.
//
// Array files are the raw little-endian bytes of the typed array (n × 8/4/4/1 bytes), nothing else.
// All arrays of a table have `length` elements.
//
// Hash: every file's SHA-256 is in the manifest, and the snapshot's hash is
//   SHA-256( UTF-8( JSON.stringify({ format, version, tables }) ) )
// over the manifest's fields in that order (`origin` and `warnings` are informative and not
// hashed: the same data imported from another path has the same hash; the source file names and
// row numbers are part of the data, as traces cite them). Checking a snapshot (`verify`) re-hashes
// every file and the manifest; plain loading only checks sizes.
//
// Immutability: a snapshot is written to a temporary directory and renamed into place; if a
// snapshot with that name exists it is kept as it is. Files are made read-only.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { SCHEMA, TABLE_NAMES } from './schema.ts';
import { bytesOf, ctorOf, dtypeOf, type Arr, type DType } from './arrays.ts';
import { attachRuns, Runs, StoredRuns, Uniformity, type RunRole, type RunStep } from './array-shape.ts';
import { ArrayStream, DICT_INLINE_MAX, DictStream, writeHashed, type ArrayRef, type DictRef, type FileRef } from './snapshot-stream.ts';
import { ENTRY, entryOf, followsRefs, makeRefText } from './reftext.ts';
import { BundleError, type Bundle, type Column, type DictColumn, type LedgerError, type Table, type TableName } from './types.ts';

export const SNAPSHOT_FORMAT = 'caijin-snapshot';
export const SNAPSHOT_VERSION = 2;
/** Versions read: 1 stored every array of a foreign key and had no runs. */
const READABLE_VERSIONS: readonly number[] = [1, 2];
export const SNAPSHOT_MANIFEST = 'manifest.json';
/** Hex digits of the hash used as the directory name. */
export const SNAPSHOT_NAME_LENGTH = 16;

export type { ArrayRef, DictRef };

/**
 * The dictionary of a foreign key whose text is exactly the referenced rows' ids: codes number
 * `refIndex` in order of first appearance, and entry c is the id of the row code c was first given
 * to. Neither is stored.
 */
export interface RefTextRef {
  of: 'refIndex';
}

export interface ColumnEntry {
  key: string;
  type: Column['type'];
  values?: ArrayRef;
  codes?: ArrayRef;
  refIndex?: ArrayRef;
  masks?: ArrayRef;
  dict?: DictRef | RefTextRef;
  tags?: string[];
}

export interface TableEntry {
  name: TableName;
  length: number;
  source: { file: string; rows: ArrayRef };
  columns: ColumnEntry[];
  extra: (FileRef & { key: string })[];
}

export interface SnapshotManifest {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  hash: string;
  origin: string;
  warnings: string[];
  tables: TableEntry[];
}

export interface SnapshotInfo {
  /** Full SHA-256 (64 hex digits). */
  hash: string;
  /** The snapshot directory. */
  path: string;
}

export interface ReadSnapshotOptions {
  /** Re-hash every file and the manifest, and reject the snapshot if anything differs (default false). */
  verify?: boolean;
  /** Load only these tables (a worker that computes loan clauses needs no guarantee rows). */
  tables?: readonly TableName[];
}

const READ_CHUNK = 64 << 20;

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function manifestHash(m: Pick<SnapshotManifest, 'format' | 'version' | 'tables'>): string {
  return createHash('sha256').update(JSON.stringify({ format: m.format, version: m.version, tables: m.tables })).digest('hex');
}

/** Is this directory a snapshot (has a manifest.json of our format)? Never throws. */
export async function isSnapshotDir(path: string): Promise<boolean> {
  try {
    const st = await stat(join(path, SNAPSHOT_MANIFEST));
    if (!st.isFile() || st.size > 256 << 20) return false;
    const fh = await open(join(path, SNAPSHOT_MANIFEST), 'r');
    try {
      const head = Buffer.alloc(200);
      const { bytesRead } = await fh.read(head, 0, 200, 0);
      return head.subarray(0, bytesRead).toString('utf8').includes(`"${SNAPSHOT_FORMAT}"`);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing
//
// A bundle is first described as SnapshotTableInputs: its arrays, each possibly in several parts
// (a generator's chunks), and its dictionaries, possibly already encoded. From that the manifest
// is planned, and each file is hashed on this thread while the thread pool writes it. A generator
// streams its large arrays and dictionaries (SnapshotDraft) and gives the rest whole.

/**
 * An array to store: its parts, in order, or a value every element has, or element i = range + i,
 * or a stream of the draft being written (SnapshotDraft.array), already hashed and written.
 */
export type ArrayInput = { dtype: DType } & ({ parts: readonly Arr[] } | { fill: number } | { range: number } | { stream: ArrayStream });

/**
 * A dictionary: its entries, or (large id dictionaries) its text already encoded: UTF-8 entries
 * joined by "\n", none holding a line break, or a stream of the draft (SnapshotDraft.dict).
 */
export type DictInput = readonly string[] | { count: number; lines: readonly Uint8Array[] } | DictStream;

export interface SnapshotColumnInput {
  key: string;
  type: Column['type'];
  values?: ArrayInput;
  codes?: ArrayInput;
  refIndex?: ArrayInput;
  masks?: ArrayInput;
  /** With `{ of: 'refIndex' }` (and no `codes`): the text follows refIndex, see RefTextRef. */
  dict?: DictInput | RefTextRef;
  tags?: readonly string[];
}

export interface SnapshotTableInput {
  name: TableName;
  length: number;
  source: { file: string; rows: ArrayInput };
  /** Every schema column, in schema order. */
  columns: SnapshotColumnInput[];
  extra: Record<string, string[]>;
}

class Planner {
  private readonly dir: string;
  /** Every file of the snapshot but the manifest: written here or by streams. */
  readonly fileNames: string[] = [];
  /** The writes of files given whole; each fills its manifest ref's sha256 when done. */
  readonly writes: Promise<void>[] = [];
  /** The closed streams' entries. */
  private readonly closed: Map<ArrayStream | DictStream, ArrayRef | DictRef>;
  constructor(dir: string, closed: Map<ArrayStream | DictStream, ArrayRef | DictRef>) {
    this.dir = dir;
    this.closed = closed;
  }
  streamed(s: ArrayStream, name: string, length: number, step: RunStep | undefined): ArrayRef {
    if (s.name !== name) throw new Error(`snapshot: stream ${s.name} given for ${name}`);
    if (s.step !== step) throw new Error(`snapshot: stream ${name} made with run step ${s.step}, the schema says ${step}`);
    if (s.length !== length) throw new Error(`snapshot: ${name} has ${s.length} elements, table has ${length}`);
    return this.take(s) as ArrayRef;
  }
  streamedDict(s: DictStream, name: string): DictRef {
    if (s.name !== name) throw new Error(`snapshot: dictionary stream ${s.name} given for ${name}`);
    return this.take(s) as DictRef;
  }
  private take(s: ArrayStream | DictStream): ArrayRef | DictRef {
    const ref = this.closed.get(s);
    if (!ref) throw new Error(`snapshot: stream ${s.name} not closed`);
    if ('file' in ref) this.fileNames.push(ref.file);
    return ref;
  }
  /** `into` with the file's name, size and (once written) hash added, in that order. */
  file<T extends object>(name: string, parts: readonly Uint8Array[], into: T): T & FileRef {
    let bytes = 0;
    for (const p of parts) bytes += p.byteLength;
    const ref = Object.assign(into, { file: name, bytes, sha256: '' });
    this.fileNames.push(name);
    this.writes.push(writeHashed(this.dir, name, parts).then((w) => void (ref.sha256 = w.sha256)));
    return ref;
  }
}

/** The run step the schema allows for array `${table}.${key}.${role}` (none for `${table}.source.rows`: no column is named source). */
export function runStepOf(name: string): RunStep | undefined {
  const [table, key] = name.split('.');
  return SCHEMA[table as TableName]?.columns.find((c) => c.key === key)?.runStep;
}

function planArray(w: Planner, name: string, a: ArrayInput, length: number): ArrayRef {
  const { dtype } = a;
  const fill = (v: number): ArrayRef => ({ dtype, fill: v !== v ? 'NaN' : v });
  const step = runStepOf(name);
  if ('stream' in a) return w.streamed(a.stream, name, length, step);
  if ('fill' in a) return fill(a.fill);
  // a range of 0 or 1 elements is a fill, as a stored array of that length would be
  if ('range' in a) return length === 0 ? fill(0) : length === 1 ? fill(a.range) : { dtype, range: a.range };
  for (const p of a.parts) if (dtypeOf(p) !== dtype) throw new Error(`snapshot: ${name} is not ${dtype}`);
  let stored: ArrayRef | undefined;
  let runs: Runs | undefined;
  let count = 0;
  if (step === undefined) {
    const shape = new Uniformity();
    for (const p of a.parts) shape.add(p);
    stored = shape.ref(dtype);
    count = shape.length;
  } else {
    // the rule of storeRuns (a streamed array's), for an array given whole
    runs = new Runs(dtype, step);
    for (const p of a.parts) runs.add(p);
    stored = runs.plain(dtype);
    count = runs.length;
  }
  if (count !== length) throw new Error(`snapshot: ${name} has ${count} elements, table has ${length}`);
  if (stored) return stored;
  if (runs?.pays()) return w.file(`${name}.runs.${dtype}`, runs.bytes(), { dtype, runs: runs.count, step: runs.step });
  return w.file(`${name}.${dtype}`, a.parts.map(bytesOf), { dtype });
}

function planDict(w: Planner, name: string, dict: DictInput): DictRef {
  if (dict instanceof DictStream) return w.streamedDict(dict, name);
  if (!('lines' in dict)) return writeDict(w, name, dict as readonly string[]);
  const count = dict.count;
  if (count <= DICT_INLINE_MAX) {
    const text = Buffer.concat(dict.lines.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))).toString('utf8');
    return { count, inline: count === 0 ? [] : text.split('\n') };
  }
  return w.file(`${name}.dict.txt`, dict.lines, { count, encoding: 'lines' as const });
}

function writeDict(w: Planner, name: string, dict: readonly string[]): DictRef {
  const count = dict.length;
  if (count <= DICT_INLINE_MAX) return { count, inline: [...dict] };
  let lines = true;
  for (let i = 0; i < count; i++) {
    const s = dict[i];
    if (s.includes('\n') || s.includes('\r')) {
      lines = false;
      break;
    }
  }
  let text = lines ? dict.join('\n') : '';
  if (lines && !(text as unknown as { isWellFormed(): boolean }).isWellFormed()) lines = false;
  if (!lines) text = JSON.stringify(dict);
  return w.file(`${name}.dict.${lines ? 'txt' : 'json'}`, [Buffer.from(text, 'utf8')], { count, encoding: lines ? ('lines' as const) : ('json' as const) });
}

function planTable(w: Planner, t: SnapshotTableInput): TableEntry {
  const n = t.length;
  const columns: ColumnEntry[] = [];
  for (const c of t.columns) {
    const base = `${t.name}.${c.key}`;
    const e: ColumnEntry = { key: c.key, type: c.type };
    if (c.values) e.values = planArray(w, `${base}.values`, c.values, n);
    if (c.masks) {
      e.masks = planArray(w, `${base}.masks`, c.masks, n);
      e.tags = [...(c.tags ?? [])];
    }
    if (c.dict && 'of' in c.dict) {
      if (c.codes || !c.refIndex) throw new Error(`snapshot: ${base}: text that follows refIndex is given with codes or without refIndex`);
      e.dict = { of: 'refIndex' };
    } else if (c.codes) {
      e.codes = planArray(w, `${base}.codes`, c.codes, n);
      e.dict = planDict(w, base, c.dict ?? []);
    }
    if (c.refIndex) e.refIndex = planArray(w, `${base}.refIndex`, c.refIndex, n);
    columns.push(e);
  }
  const extra = Object.entries(t.extra).map(([key, values], i) => {
    if (values.length !== n) throw new Error(`snapshot: extra column ${key} of ${t.name} has ${values.length} values, table has ${n}`);
    return w.file(`${t.name}.extra.${i}.json`, [Buffer.from(JSON.stringify(values), 'utf8')], { key });
  });
  return { name: t.name, length: n, source: { file: t.source.file, rows: planArray(w, `${t.name}.source.rows`, t.source.rows, n) }, columns, extra };
}

/** A bundle's table as snapshot input: each array whole, as it is in memory; a foreign key's text stored only where it does not follow refIndex. */
function tableInput(t: Table, bundle: Bundle): SnapshotTableInput {
  const arr = (a: Arr): ArrayInput => ({ dtype: dtypeOf(a), parts: [a] });
  const columns: SnapshotColumnInput[] = Object.entries(t.columns).map(([key, c]) => {
    switch (c.type) {
      case 'bool':
        return { key, type: c.type, values: arr(c.values) };
      case 'tags':
        return { key, type: c.type, masks: arr(c.masks), tags: c.tags };
      case 'money':
      case 'rate':
      case 'int':
      case 'year':
      case 'date':
      case 'month':
        return { key, type: c.type, values: arr(c.values), refIndex: c.refIndex && arr(c.refIndex) };
      default: {
        const target = SCHEMA[t.name].columns.find((x) => x.key === key)?.ref;
        const targetId = target && (bundle.tables[target]?.columns.id as DictColumn | undefined);
        if (c.refIndex && target && followsRefs(c as typeof c & { refIndex: Int32Array }, targetId)) return { key, type: c.type, dict: { of: 'refIndex' }, refIndex: arr(c.refIndex) };
        return { key, type: c.type, codes: arr(c.codes), dict: c.dict, refIndex: c.refIndex && arr(c.refIndex) };
      }
    }
  });
  return { name: t.name, length: t.length, source: { file: t.source.file, rows: arr(t.source.rows) }, columns, extra: t.extra };
}

/**
 * Write `bundle` as a snapshot directory under `outDir`, named by its hash. Writing the same data
 * again gives the same hash and leaves the existing snapshot untouched.
 */
export async function writeSnapshot(bundle: Bundle, outDir: string): Promise<SnapshotInfo> {
  const tables: SnapshotTableInput[] = [];
  for (const name of TABLE_NAMES) {
    const t = bundle.tables[name];
    if (t) tables.push(tableInput(t, bundle));
  }
  return writeSnapshotTables(tables, bundle.origin, bundle.warnings, outDir);
}

/**
 * Write tables (in contract order) as a snapshot directory under `outDir`: the same snapshot, byte
 * for byte, as writeSnapshot of a bundle holding the same arrays. `files` writes and hashes the
 * array files (default: on this thread).
 */
export async function writeSnapshotTables(
  input: readonly SnapshotTableInput[],
  origin: string,
  warnings: readonly string[],
  outDir: string,
): Promise<SnapshotInfo> {
  const draft = await SnapshotDraft.open(outDir);
  return draft.finish(input, origin, warnings);
}

/**
 * A snapshot being written: its temporary directory exists from the start, so that arrays and
 * dictionaries can be streamed into it (`array`, `dict`) while they are made; `finish` then
 * writes whatever was given whole, the manifest, and renames the directory into place.
 */
export class SnapshotDraft {
  readonly outDir: string;
  /** The temporary directory. */
  readonly dir: string;
  private constructor(outDir: string, dir: string) {
    this.outDir = outDir;
    this.dir = dir;
  }

  static async open(outDir: string): Promise<SnapshotDraft> {
    if (endianness() !== 'LE') throw new Error('snapshot: only little-endian platforms are supported');
    await mkdir(outDir, { recursive: true });
    return new SnapshotDraft(outDir, await mkdtemp(join(outDir, '.snapshot-tmp-')));
  }

  /** The array `${table}.${key}.${role}` (e.g. "loans.amount.values"), to be given in parts. */
  array(name: string, dtype: DType): ArrayStream {
    return new ArrayStream(this.dir, name, dtype, runStepOf(name));
  }

  /** The dictionary of column `${table}.${key}`, to be given in parts. */
  dict(name: string): DictStream {
    return new DictStream(this.dir, name);
  }

  async finish(input: readonly SnapshotTableInput[], origin: string, warnings: readonly string[]): Promise<SnapshotInfo> {
    const tmp = this.dir;
    try {
      const closed = new Map<ArrayStream | DictStream, ArrayRef | DictRef>();
      const streams: (ArrayStream | DictStream)[] = [];
      const add = (x: ArrayInput | DictInput | undefined): void => {
        if (x instanceof DictStream) streams.push(x);
        else if (x && 'stream' in x) streams.push(x.stream);
      };
      for (const t of input) {
        add(t.source.rows);
        for (const c of t.columns) [c.values, c.codes, c.refIndex, c.masks, c.dict && 'of' in c.dict ? undefined : c.dict].forEach(add);
      }
      await Promise.all(streams.map(async (s) => closed.set(s, await s.close())));
      const w = new Planner(tmp, closed);
      const tables = input.map((t) => planTable(w, t));
      await Promise.all(w.writes);
      const head = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION } as const;
      const hash = manifestHash({ ...head, tables });
      const manifest: SnapshotManifest = { ...head, hash, origin, warnings: [...warnings], tables };
      await writeFile(join(tmp, SNAPSHOT_MANIFEST), JSON.stringify(manifest, null, 1) + '\n', 'utf8');
      await Promise.all([...w.fileNames, SNAPSHOT_MANIFEST].map((f) => chmod(join(tmp, f), 0o444)));
      await chmod(tmp, 0o755);
      const path = resolve(this.outDir, hash.slice(0, SNAPSHOT_NAME_LENGTH));
      try {
        await rename(tmp, path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Someone wrote it first (rename onto a non-empty directory fails): immutable, keep theirs.
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw e;
        await rm(tmp, { recursive: true, force: true });
      }
      return { hash, path };
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  /** Removes the temporary directory (after a failure). */
  async abort(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

function problem(path: string, key: string, zh: string): BundleError {
  return new BundleError([{ file: path, key, zh } satisfies LedgerError]);
}

/** Reads a whole file into a fresh, 8-byte-aligned buffer of exactly `bytes` bytes. */
async function readExact(path: string, bytes: number): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw problem(basename(path), 'snapshot.missing', `无法读取快照文件 ${basename(path)}（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）：快照不完整`);
  }
  try {
    const st = await fh.stat();
    if (st.size !== bytes) throw problem(basename(path), 'snapshot.size', `快照文件 ${basename(path)} 大小为 ${st.size} 字节，清单记录为 ${bytes} 字节：快照已损坏`);
    const buf = Buffer.allocUnsafeSlow(bytes); // own ArrayBuffer, offset 0
    const parts: Promise<unknown>[] = [];
    for (let off = 0; off < bytes; off += READ_CHUNK) {
      const len = Math.min(READ_CHUNK, bytes - off);
      parts.push(
        (async () => {
          let done = 0;
          while (done < len) {
            const { bytesRead } = await fh.read(buf, off + done, len - done, off + done);
            if (bytesRead === 0) throw problem(basename(path), 'snapshot.size', `快照文件 ${basename(path)} 读取不完整`);
            done += bytesRead;
          }
        })(),
      );
    }
    await Promise.all(parts);
    return buf;
  } finally {
    await fh.close();
  }
}

interface ReadCtx {
  dir: string;
  verify: boolean;
  bad: LedgerError[];
}

async function readFileRef(ctx: ReadCtx, ref: FileRef): Promise<Uint8Array> {
  const b = await readExact(join(ctx.dir, ref.file), ref.bytes);
  if (ctx.verify && sha256(b) !== ref.sha256) {
    ctx.bad.push({ file: ref.file, key: 'snapshot.hash', zh: `快照文件 ${ref.file} 的内容与清单记录的 SHA-256 不符：快照已被改动或损坏` });
  }
  return b;
}

async function readArray(ctx: ReadCtx, ref: ArrayRef, n: number): Promise<Arr> {
  expectedBytes(ref, n);
  return arrayOf(ref, 'file' in ref ? await readFileRef(ctx, ref) : undefined, n);
}

/** Checks a stored array's size against the manifest before it is read. */
function expectedBytes(ref: ArrayRef, n: number): void {
  if (!('file' in ref)) return;
  const size = ctorOf(ref.dtype).BYTES_PER_ELEMENT;
  if ('runs' in ref) {
    if (ref.bytes !== ref.runs * (size + 4) || ref.runs > n) throw problem(ref.file, 'snapshot.size', `快照文件 ${ref.file} 应有 ${ref.runs} 段`);
  } else if (ref.bytes !== n * size) throw problem(ref.file, 'snapshot.size', `快照文件 ${ref.file} 应有 ${n} 个元素`);
}

/** The `n` elements of a stored array, from its file's bytes (exactly as many as expectedBytes checked). */
function arrayOf(ref: ArrayRef, bytes: Uint8Array | undefined, n: number): Arr {
  const C = ctorOf(ref.dtype);
  if ('fill' in ref) return new C(n).fill(ref.fill === 'NaN' ? NaN : ref.fill);
  if ('range' in ref) {
    const a = new C(n);
    for (let i = 0, v = ref.range; i < n; i++, v++) a[i] = v;
    return a;
  }
  const b = bytes as Uint8Array;
  if (!('runs' in ref)) return new C(b.buffer as ArrayBuffer, b.byteOffset, n);
  return storedRunsOf(ref, b, n).expand((m) => new C(m));
}

/** A runs file's runs (their lengths checked against the table's `n` rows), not yet expanded. */
function storedRunsOf(ref: ArrayRef & { runs: number; file: string; step: RunStep }, b: Uint8Array, n: number): StoredRuns {
  const C = ctorOf(ref.dtype);
  const k = ref.runs;
  const startBytes = k * C.BYTES_PER_ELEMENT;
  const starts = new C(b.buffer as ArrayBuffer, b.byteOffset, k);
  // lengths follow the first values: aligned for f64/i32 first values, copied otherwise
  const at = b.byteOffset + startBytes;
  const lengths = at % 4 === 0 ? new Uint32Array(b.buffer as ArrayBuffer, at, k) : new Uint32Array(b.slice(startBytes).buffer);
  let total = 0;
  for (let j = 0; j < k; j++) total += lengths[j];
  if (total !== n) throw problem(ref.file, 'snapshot.size', `快照文件 ${ref.file} 的各段共 ${total} 个元素，表有 ${n} 行：快照已损坏`);
  return new StoredRuns(starts, lengths, k, ref.step, n);
}

/** col[role] made from its runs on first use (see storedRuns). */
function lazyRuns(col: Record<string, unknown>, role: RunRole, runs: StoredRuns, dtype: DType): void {
  const C = ctorOf(dtype);
  attachRuns(col, role, runs);
  let set: Arr | undefined;
  Object.defineProperty(col, role, {
    enumerable: true,
    configurable: true,
    get(): Arr {
      return set ?? runs.expand((m) => new C(m));
    },
    set(v: Arr) {
      // another array now: readers must not take the runs for it
      set = v;
      attachRuns(col, role, undefined);
    },
  });
}

function decodeDict(bytes: Uint8Array, ref: DictRef): string[] {
  if ('inline' in ref) return ref.inline;
  if (ref.count === 0) return [];
  const text = new TextDecoder('utf-8').decode(bytes);
  const d: string[] = ref.encoding === 'lines' ? text.split('\n') : JSON.parse(text);
  if (d.length !== ref.count) throw new Error(`snapshot: dictionary ${ref.file} has ${d.length} entries, manifest says ${ref.count}`);
  return d;
}

/**
 * Entry `code` of a text column's dictionary. For a snapshot's large dictionaries this decodes that
 * one entry, not the millions of others (a tie broken by loan number needs two of them).
 */
export const dictEntry = entryOf;

/**
 * `col.dict` decoded on first use: large id dictionaries (millions of loan numbers) cost seconds
 * to turn into strings, and most computations only follow `refIndex` and never look at them.
 */
function lazyDict(col: Record<string, unknown>, bytes: Uint8Array, ref: DictRef): void {
  let cached: string[] | undefined;
  if (!('inline' in ref) && ref.encoding === 'lines' && ref.count > 0) {
    // One entry without the rest: where each line starts, found once, then one small decode.
    let starts: Float64Array | undefined;
    const decoder = new TextDecoder('utf-8');
    ENTRY.set(col, (code) => {
      if (cached) return cached[code];
      if (!starts) {
        starts = new Float64Array(ref.count + 1);
        let k = 1;
        for (let at = bytes.indexOf(10); at >= 0 && k < ref.count; at = bytes.indexOf(10, at + 1)) starts[k++] = at + 1;
        starts[ref.count] = bytes.length + 1;
      }
      return decoder.decode(bytes.subarray(starts[code], starts[code + 1] - 1));
    });
  }
  Object.defineProperty(col, 'dict', {
    enumerable: true,
    configurable: true,
    get(): string[] {
      cached ??= decodeDict(bytes, ref);
      return cached;
    },
    set(v: string[]) {
      cached = v;
    },
  });
}

/** The id column of a table not loaded (a foreign key's text asked for without it), read here and now. */
function idColumnSync(dir: string, e: TableEntry | undefined): DictColumn {
  const c = e?.columns.find((x) => x.key === 'id');
  if (!e || !c?.codes || !c.dict || 'of' in c.dict) throw problem(dir, 'snapshot.schema', `快照缺少外键所指表的编号列 ${e?.name ?? ''}`);
  const fileBytes = (ref: FileRef): Uint8Array => {
    const b = readFileSync(join(dir, ref.file));
    if (b.length !== ref.bytes) throw problem(ref.file, 'snapshot.size', `快照文件 ${ref.file} 大小为 ${b.length} 字节，清单记录为 ${ref.bytes} 字节：快照已损坏`);
    // typed arrays over the bytes need them aligned
    return b.byteOffset % 8 === 0 ? b : new Uint8Array(b);
  };
  expectedBytes(c.codes, e.length);
  const col: Record<string, unknown> = { type: c.type, codes: arrayOf(c.codes, 'file' in c.codes ? fileBytes(c.codes) : undefined, e.length), dict: undefined };
  if ('inline' in c.dict) col.dict = [...c.dict.inline];
  else lazyDict(col, fileBytes(c.dict), c.dict);
  return col as unknown as DictColumn;
}

async function readDict(ctx: ReadCtx, col: Record<string, unknown>, ref: DictRef): Promise<void> {
  if ('inline' in ref) {
    col.dict = [...ref.inline];
    return;
  }
  const bytes = await readFileRef(ctx, ref);
  lazyDict(col, bytes, ref);
}

function checkSchema(m: SnapshotManifest, where: string): void {
  const errors: LedgerError[] = [];
  for (const t of m.tables) {
    const s = SCHEMA[t.name];
    if (!s) {
      errors.push({ file: where, key: 'snapshot.schema', zh: `快照含有数据契约之外的表 ${t.name}：请从原始数据重新生成快照` });
      continue;
    }
    const have = new Map(t.columns.map((c) => [c.key, c.type]));
    for (const c of s.columns) {
      const ty = have.get(c.key);
      if (ty !== c.type) {
        errors.push({
          file: where,
          column: c.key,
          key: 'snapshot.schema',
          zh: ty === undefined ? `快照的 ${t.name} 表缺少列 ${c.key}：快照由旧版数据契约生成，请从原始数据重新生成` : `快照的 ${t.name}.${c.key} 类型为 ${ty}，数据契约为 ${c.type}：请从原始数据重新生成快照`,
        });
      }
    }
  }
  if (errors.length) throw new BundleError(errors);
}

async function readManifest(dir: string): Promise<SnapshotManifest> {
  let m: SnapshotManifest;
  try {
    m = JSON.parse(await readFile(join(dir, SNAPSHOT_MANIFEST), 'utf8')) as SnapshotManifest;
  } catch (e) {
    throw problem(dir, 'snapshot.manifest', `无法读取快照清单 ${join(dir, SNAPSHOT_MANIFEST)}：${(e as Error).message}`);
  }
  if (m.format !== SNAPSHOT_FORMAT) throw problem(dir, 'snapshot.manifest', `${dir} 不是 caijin 快照（manifest.json 的 format 不是 ${SNAPSHOT_FORMAT}）`);
  if (!READABLE_VERSIONS.includes(m.version)) throw problem(dir, 'snapshot.version', `快照格式版本 ${m.version} 不受支持（本程序读取版本 ${READABLE_VERSIONS.join('、')}）：请重新生成快照`);
  return m;
}

async function readTable(ctx: ReadCtx, e: TableEntry): Promise<Table> {
  const n = e.length;
  const columns: Record<string, Column> = {};
  const jobs: Promise<unknown>[] = [];
  const roles = ['values', 'codes', 'refIndex', 'masks'] as const;
  for (const c of e.columns) {
    // properties created up front in the builder's order (the reads below finish in any order)
    const col: Record<string, unknown> = { type: c.type };
    if (c.values) col.values = undefined;
    if (c.codes || (c.dict && 'of' in c.dict)) col.codes = undefined;
    if (c.dict) col.dict = undefined;
    if (c.refIndex) col.refIndex = undefined;
    if (c.masks) col.masks = undefined;
    if (c.tags) col.tags = [...c.tags];
    columns[c.key] = col as unknown as Column;
    for (const role of roles) {
      const ref = c[role];
      if (!ref) continue;
      if ((role === 'values' || role === 'refIndex') && 'runs' in ref) {
        expectedBytes(ref, n);
        jobs.push(readFileRef(ctx, ref).then((b) => lazyRuns(col, role, storedRunsOf(ref, b, n), ref.dtype)));
      } else jobs.push(readArray(ctx, ref, n).then((a) => (col[role] = a)));
    }
    if (c.dict && !('of' in c.dict)) jobs.push(readDict(ctx, col, c.dict));
  }
  const extra: Record<string, string[]> = {};
  for (const x of e.extra) {
    extra[x.key] = [];
    jobs.push(readFileRef(ctx, x).then((b) => (extra[x.key] = JSON.parse(new TextDecoder().decode(b)) as string[])));
  }
  const rows = await readArray(ctx, e.source.rows, n);
  await Promise.all(jobs);
  return { name: e.name, length: n, columns, source: { file: e.source.file, rows: rows as Int32Array }, extra };
}

/**
 * Load a snapshot directory. Reads every array file straight into its typed array; dictionaries
 * are read too but decoded into strings on first use. With `verify`, every file and the manifest
 * are re-hashed, and a BundleError lists what does not match.
 */
export async function readSnapshot(path: string, opts: ReadSnapshotOptions = {}): Promise<Bundle> {
  if (endianness() !== 'LE') throw new Error('snapshot: only little-endian platforms are supported');
  const m = await readManifest(path);
  checkSchema(m, path);
  const ctx: ReadCtx = { dir: path, verify: opts.verify === true, bad: [] };
  if (ctx.verify) {
    const h = manifestHash(m);
    if (h !== m.hash) ctx.bad.push({ file: SNAPSHOT_MANIFEST, key: 'snapshot.hash', zh: `快照清单的内容与其记录的哈希 ${m.hash} 不符（实际 ${h}）：快照已被改动或损坏` });
    const name = basename(resolve(path));
    if (/^[0-9a-f]{16}$/.test(name) && !m.hash.startsWith(name)) {
      ctx.bad.push({ file: SNAPSHOT_MANIFEST, key: 'snapshot.name', zh: `快照目录名 ${name} 与清单记录的哈希 ${m.hash} 不符` });
    }
  }
  const tables: Partial<Record<TableName, Table>> = {};
  const wanted = opts.tables ? m.tables.filter((e) => opts.tables!.includes(e.name as TableName)) : m.tables;
  const read = await Promise.all(wanted.map((e) => readTable(ctx, e)));
  for (const t of read) tables[t.name] = t;
  if (ctx.bad.length) throw new BundleError(ctx.bad);
  // foreign keys whose text follows refIndex: made from the referenced ids when first asked for
  const absent = new Map<TableName, DictColumn>();
  const idsOf = (target: TableName) => (): DictColumn => {
    const loaded = tables[target]?.columns.id as DictColumn | undefined;
    if (loaded) return loaded;
    let id = absent.get(target);
    if (!id) absent.set(target, (id = idColumnSync(path, m.tables.find((e) => e.name === target))));
    return id;
  };
  for (const e of wanted) {
    for (const c of e.columns) {
      if (!c.dict || !('of' in c.dict)) continue;
      const target = SCHEMA[e.name].columns.find((x) => x.key === c.key)?.ref;
      if (!target) throw problem(path, 'snapshot.schema', `快照的 ${e.name}.${c.key} 不是外键，却记录为随外键行号生成文本`);
      makeRefText(tables[e.name]!.columns[c.key] as unknown as Record<string, unknown>, idsOf(target));
    }
  }
  return { tables, origin: `${path}（快照 snapshot of ${m.origin}）`, warnings: m.warnings, hash: m.hash };
}
