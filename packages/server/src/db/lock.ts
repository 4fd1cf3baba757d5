// PGlite has no lock of its own: two processes opening one data directory corrupt it. A lock file
// holding the owner's pid keeps a second caijin out; a lock left by a dead process (SIGKILL) is
// taken over, since a dead process writes nothing more.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLocked extends Error {
  readonly key = 'database.locked';
  readonly dir: string;
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(`数据目录 ${dir} 正被进程 ${pid} 使用，不能同时打开 (database.locked)`);
    this.dir = dir;
    this.pid = pid;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the directory's lock; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'caijin.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirLocked(dir, pid);
      if (pid === process.pid) throw new DataDirLocked(dir, pid);
      unlinkSync(file); // stale: its owner is gone
    }
  }
  throw new Error(`无法锁定数据目录 ${dir}`);
}
