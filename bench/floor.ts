// What writing and hashing a snapshot cost on this machine, whoever generates it: the floor under
// the "generating no longer than computing" comparison. Measured once per run, the same way each
// time: 1 GiB written to the page cache in 4 MiB writes (no fsync: the generator does not sync
// either), and SHA-256 over 1 GiB in memory, taken from a 256 MiB buffer so that it is not hashed
// from the CPU's cache (a snapshot's columns are not either).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface IoFloor {
  /** MB/s (10^6 bytes) into the page cache, the first pass: fresh pages, as a new snapshot's are. */
  writeMBps: number;
  /**
   * The same, a second pass into the pages the first freed: how much of the first pass was the
   * host backing new memory (on this VM it has ranged from the same to ten times faster).
   */
  writeAgainMBps: number;
  /** MB/s of Node's SHA-256. */
  sha256MBps: number;
}

const GIB = 1 << 30;
const PIECE = 4 << 20;

/** MB/s writing 1 GiB to a new file (then removed). */
function writeRate(path: string, piece: Uint8Array): number {
  const t = performance.now();
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < GIB; done += piece.length) writeSync(fd, piece);
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return GIB / 1e3 / (performance.now() - t);
}

export function measureIoFloor(scratchDir: string): IoFloor {
  const piece = new Uint8Array(PIECE).fill(7);
  const path = join(scratchDir, `.io-floor-${process.pid}`);
  const writeMBps = writeRate(path, piece);
  const writeAgainMBps = writeRate(path, piece);
  const big = new Uint8Array(GIB / 4).fill(7);
  const t = performance.now();
  const h = createHash('sha256');
  for (let done = 0; done < GIB; done += big.length) h.update(big);
  h.digest();
  const hashMs = performance.now() - t;
  return { writeMBps, writeAgainMBps, sha256MBps: GIB / 1e3 / hashMs };
}

/** Bytes of the files in a snapshot directory. */
export function directoryBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size;
  return n;
}

/** Writing and hashing `bytes`, in ms of CPU, and that shared perfectly over `cores`. */
export function writeHashFloorMs(bytes: number, f: IoFloor, cores: number): { cpuMs: number; wallMs: number } {
  const cpuMs = bytes / 1e3 / f.writeMBps + bytes / 1e3 / f.sha256MBps;
  return { cpuMs, wallMs: cpuMs / cores };
}
