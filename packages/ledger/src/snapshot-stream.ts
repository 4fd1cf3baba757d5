// Snapshot files written while their data is still being made: a generator hands each array's
// parts over in order as they are ready, and each part is hashed and written (at its offset, by the
// thread pool) straight away, instead of everything being kept until a final hash-and-write pass.
// The files and manifest entries are exactly those `writeSnapshotTables` makes of the same arrays
// in one piece: an array that turns out to be all one value or a range is not written, and a
// dictionary of at most DICT_INLINE_MAX entries goes into the manifest.
import { createHash, type Hash } from 'node:crypto';
import { close, open, write } from 'node:fs';
import { join } from 'node:path';
import { bytesOf, dtypeOf, type Arr, type DType } from './arrays.ts';
import { Runs, Uniformity, type PlainRef, type RunStep } from './array-shape.ts';

export interface FileRef {
  file: string;
  bytes: number;
  sha256: string;
}
/**
 * How an array is stored: a file of its elements; every element one value; element i = range + i;
 * or (columns whose schema allows it) `runs` maximal runs, in a file of their first values (dtype)
 * followed by their lengths (u32).
 */
export type ArrayRef = PlainRef | ({ dtype: DType } & (FileRef | (FileRef & { runs: number; step: RunStep })));
export type DictRef = { count: number } & ({ inline: string[] } | (FileRef & { encoding: 'lines' | 'json' }));

/** Dictionaries of at most this many entries are kept in the manifest. */
export const DICT_INLINE_MAX = 64;

function writeAt(fd: number, b: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      if (off >= b.length) return resolve();
      write(fd, b, off, b.length - off, position + off, (e, n) => (e ? reject(e) : step(off + n)));
    };
    step(0);
  });
}

/** One file, appended to part by part: hashed in order here, written at its offset by the thread pool. */
class FileSink {
  readonly name: string;
  private readonly fd: Promise<number>;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private readonly writes: Promise<void>[] = [];
  constructor(dir: string, name: string) {
    this.name = name;
    this.fd = new Promise((resolve, reject) => open(join(dir, name), 'w', 0o644, (e, fd) => (e ? reject(e) : resolve(fd))));
  }
  append(b: Uint8Array): void {
    if (b.length === 0) return;
    this.hash.update(b);
    const at = this.bytes;
    this.bytes += b.length;
    const w = this.fd.then((fd) => writeAt(fd, b, at));
    // a failed write is reported by close(), not as an unhandled rejection meanwhile
    w.catch(() => undefined);
    this.writes.push(w);
  }
  async close(): Promise<FileRef> {
    const fd = await this.fd;
    try {
      await Promise.all(this.writes);
    } finally {
      await new Promise<void>((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));
    }
    return { file: this.name, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** A whole file given in parts: hashed here, written by the thread pool (as a stream's file is). */
export function writeHashed(dir: string, name: string, parts: readonly Uint8Array[]): Promise<FileRef> {
  const sink = new FileSink(dir, name);
  for (const p of parts) sink.append(p);
  return sink.close();
}

/**
 * An array given in parts, in order. While every part so far keeps it one value or a range, the
 * parts are held (nothing is written: that is how it would be stored); from the first part that
 * breaks both, the file is written as parts come. An array that may be stored as runs (`step`)
 * keeps only its runs, and is written when closed, as runs or as elements.
 */
export class ArrayStream {
  /** `${table}.${key}.${role}`, as writeSnapshotTables names the array. */
  readonly name: string;
  readonly dtype: DType;
  readonly step: RunStep | undefined;
  private readonly dir: string;
  private readonly shape = new Uniformity();
  private held: Arr[] = [];
  private readonly runs: Runs | undefined;
  private sink: FileSink | undefined;
  private result: Promise<ArrayRef> | undefined;

  constructor(dir: string, name: string, dtype: DType, step?: RunStep) {
    this.dir = dir;
    this.name = name;
    this.dtype = dtype;
    this.step = step;
    if (step !== undefined) this.runs = new Runs(dtype, step);
  }

  push(a: Arr): void {
    if (this.result) throw new Error(`snapshot: ${this.name} is closed`);
    if (dtypeOf(a) !== this.dtype) throw new Error(`snapshot: ${this.name} is not ${this.dtype}`);
    if (this.runs) return this.runs.add(a);
    if (this.sink) {
      this.shape.length += a.length;
      return this.sink.append(bytesOf(a));
    }
    this.shape.add(a);
    this.held.push(a);
    if (!this.shape.equal && !this.shape.range) this.flush();
  }

  /** A part given as runs (a generator that makes them row by row); only for an array that may be stored as runs. */
  pushRuns(runs: Runs): void {
    if (this.result) throw new Error(`snapshot: ${this.name} is closed`);
    if (!this.runs) throw new Error(`snapshot: ${this.name} is not stored as runs`);
    if (runs.dtype !== this.dtype) throw new Error(`snapshot: ${this.name} is not ${this.dtype}`);
    this.runs.append(runs);
  }

  private flush(): void {
    this.sink = new FileSink(this.dir, `${this.name}.${this.dtype}`);
    for (const h of this.held) this.sink.append(bytesOf(h));
    this.held = [];
  }

  /** The manifest entry, once every part is written (call once all parts are pushed). */
  close(): Promise<ArrayRef> {
    return (this.result ??= this.finish());
  }

  /** Elements pushed so far. */
  get length(): number {
    return this.runs ? this.runs.length : this.shape.length;
  }

  private async finish(): Promise<ArrayRef> {
    const dtype = this.dtype;
    if (this.runs) return storeRuns(this.dir, this.name, dtype, this.runs);
    if (!this.sink) {
      const ref = this.shape.ref(dtype);
      if (ref) return ref;
      this.flush();
    }
    const ref = await (this.sink as FileSink).close();
    return { dtype, ...ref };
  }
}

/** The one rule for an array that may be stored as runs: a fill or range, else runs where they pay, else its elements. */
async function storeRuns(dir: string, name: string, dtype: DType, runs: Runs): Promise<ArrayRef> {
  const plain = runs.plain(dtype);
  if (plain) return plain;
  if (runs.pays()) {
    const ref = await writeHashed(dir, `${name}.runs.${dtype}`, runs.bytes());
    return { dtype, runs: runs.count, step: runs.step, ...ref };
  }
  const ref = await writeHashed(dir, `${name}.${dtype}`, [bytesOf(runs.expand())]);
  return { dtype, ...ref };
}

const NL = new Uint8Array([10]);

function storableAsLine(s: string): boolean {
  return !s.includes('\n') && !s.includes('\r') && (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * A dictionary given in parts, in order: entries as strings, or as UTF-8 bytes already joined by
 * "\n". Up to DICT_INLINE_MAX entries it is held (and goes into the manifest); beyond, it is
 * written as `lines` (the generator's ids and names never hold a line break: a string entry that
 * does, which writeSnapshotTables would store as JSON, is refused rather than stored otherwise).
 */
export class DictStream {
  /** `${table}.${key}`: the file is `${name}.dict.txt`. */
  readonly name: string;
  private readonly dir: string;
  count = 0;
  private held: string[] = [];
  private sink: FileSink | undefined;
  private result: Promise<DictRef> | undefined;

  constructor(dir: string, name: string) {
    this.dir = dir;
    this.name = name;
  }

  /** Entries from..to of `entries`. */
  pushStrings(entries: readonly string[], from = 0, to = entries.length): void {
    if (to <= from) return;
    if (this.hold(to - from)) {
      for (let i = from; i < to; i++) this.held.push(entries[i]);
      return;
    }
    for (let i = from; i < to; i++) if (!storableAsLine(entries[i])) this.refuse();
    const part = from === 0 && to === entries.length ? entries : entries.slice(from, to);
    this.append(Buffer.from((part as string[]).join('\n'), 'utf8'), to - from);
  }

  /** `count` entries, UTF-8, joined by "\n". */
  pushLines(lines: Uint8Array, count: number): void {
    if (count === 0) return;
    if (this.hold(count)) {
      const text = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength).toString('utf8');
      for (const e of text.split('\n')) this.held.push(e);
      return;
    }
    this.append(lines, count);
  }

  /** Whether `n` more entries are still held (the dictionary stays small enough for the manifest); opens the file if not. */
  private hold(n: number): boolean {
    if (this.result) throw new Error(`snapshot: dictionary ${this.name} is closed`);
    if (!this.sink && this.count + n <= DICT_INLINE_MAX) {
      this.count += n;
      return true;
    }
    if (!this.sink) {
      this.sink = new FileSink(this.dir, `${this.name}.dict.txt`);
      if (this.held.length) {
        for (const e of this.held) if (!storableAsLine(e)) this.refuse();
        this.sink.append(Buffer.from(this.held.join('\n'), 'utf8'));
      }
      this.held = [];
    }
    return false;
  }

  private append(lines: Uint8Array, n: number): void {
    const sink = this.sink as FileSink;
    if (this.count > 0) sink.append(NL);
    sink.append(lines);
    this.count += n;
  }

  private refuse(): never {
    throw new Error(`snapshot: dictionary ${this.name} streamed with an entry that cannot be stored as a line`);
  }

  close(): Promise<DictRef> {
    return (this.result ??= this.finish());
  }

  private async finish(): Promise<DictRef> {
    const count = this.count;
    if (!this.sink) return { count, inline: this.held };
    const ref = await this.sink.close();
    return { count, encoding: 'lines', ...ref };
  }
}
