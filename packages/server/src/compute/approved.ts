// The bundle of a cycle's approved ledger versions: merged, validated, written as a snapshot
// (content-hashed, kept under the work directory) and read back from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleError, loadBundle, readSnapshot, writeSnapshot, type Bundle } from '@caijin/ledger';
import type { Sql } from '../db/types.ts';
import { institutionsUnder } from '../org/units.ts';
import { mergeBundles } from '../submissions/bundle.ts';
import { approvedVersions, filesOf, type VersionRow } from '../submissions/versions.ts';

export interface ApprovedBundle {
  bundle: Bundle;
  snapshot: string;
  versions: VersionRow[];
}

export async function approvedBundle(
  db: Sql,
  ownerUnit: string,
  cycleId: string,
  workDir: string,
  onStage: (pct: number, stage: string) => Promise<void> = async () => {},
  stepCode?: string,
): Promise<ApprovedBundle> {
  const versions = await approvedVersions(db, cycleId, 'ledger', stepCode);
  const sources = [];
  for (const v of versions) sources.push({ version: v.id, files: await filesOf(db, v.id) });
  const registry = await institutionsUnder(db, ownerUnit);
  await onStage(25, '合并数据包');
  const dir = mkdtempSync(join(tmpdir(), 'caijin-merge-'));
  try {
    const { conflicts } = mergeBundles(sources, registry, dir);
    if (conflicts.length) throw new Error(`合并数据包时发现 ${conflicts.length} 处不一致：${conflicts.slice(0, 3).map((c) => `${c.file} ${c.value}：${c.zh}`).join('；')}`);
    await onStage(40, '校验并载入');
    let bundle: Bundle;
    try {
      bundle = await loadBundle(dir);
    } catch (e) {
      if (e instanceof BundleError) throw new Error(`合并后的数据包未通过校验：${e.errors.slice(0, 3).map((x) => `${x.file} 第${x.row ?? '-'}行 ${x.column ?? ''} ${x.zh}`).join('；')}`);
      throw e;
    }
    const snap = await writeSnapshot(bundle, join(workDir, 'snapshots'));
    return { bundle: await readSnapshot(snap.path), snapshot: snap.hash, versions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
