// `caijin snapshot` and `--data <snapshot>` through the real binary.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bin = join(root, 'node_modules', '.bin', 'caijin');

function caijin(...args: string[]) {
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd: root, env: { ...process.env, CI: 'true' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('caijin snapshot', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'caijin-snap-'));

  it('writes a snapshot of a GBK bundle that computes exactly like the CSV folder', () => {
    const data = join(tmp, 'gbk');
    const g = caijin('demo-data', '--city', 'linhai', '--size', 'province', '--fraction', '0.0005', '--encoding', 'gb18030', '--seed', '3', '--out', data);
    expect(g.code).toBe(0);
    expect(g.err).toMatch(/GB18030/);
    const s = caijin('snapshot', '--data', data, '--out', join(tmp, 'snaps'));
    expect(s.code).toBe(0);
    const [path, hash] = s.out.trim().split('\n');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(path).toBe(join(tmp, 'snaps', hash.slice(0, 16)));
    expect(caijin('check', '--data', path).code).toBe(0);
    // again, from the snapshot itself: same name
    expect(caijin('snapshot', '--data', path, '--out', join(tmp, 'snaps')).out).toBe(s.out);
    const fromCsv = caijin('compute', '--policy', 'linhai-2021', '--year', '2021', '--data', data, '--format', 'json');
    const fromSnap = caijin('compute', '--policy', 'linhai-2021', '--year', '2021', '--data', path, '--format', 'json');
    expect(fromSnap.code).toBe(0);
    const a = JSON.parse(fromSnap.out);
    const b = JSON.parse(fromCsv.out);
    // Same awards; only the record of the data differs: the snapshot's result names its hash.
    expect(a.data).toMatchObject({ snapshot: hash });
    expect(b.data.snapshot).toBeUndefined();
    delete a.data;
    delete b.data;
    expect(a).toEqual(b);
  });

  it('rejects a bad bundle with the error list and exit 1', () => {
    const r = caijin('snapshot', '--data', join(tmp, 'missing'), '--out', join(tmp, 'snaps2'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bundle\.not_found/);
    expect(caijin('snapshot', '--data', join(tmp, 'missing')).code).toBe(2);
  });
});
