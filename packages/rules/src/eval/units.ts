// After either evaluator has the exact amount of every recipient (or recipient × category), the
// last steps are the same arithmetic: declared rounding to fen, ranking awards, the pool cap.

import { Q } from '@caijin/core';
import type { ClauseDef } from '../policy/types.ts';
import { allocatePool, rankAwards } from './allocate.ts';

export interface Unit {
  recipient: number;
  /** Category index when the clause is partitioned by category, else -1. */
  category: number;
  eligible: boolean;
  /** Names of the policy's exclusions that apply to this recipient (附则). */
  excluded: string[];
  /** Exact amount in fen after the per-recipient cap, before rounding; null = nothing due. */
  exact: Q | null;
  /** Ranking metric (rank clauses). */
  metric: Q | null;
}

export interface ClauseUnits {
  units: Unit[];
  /** Pool cap per partition (fen, exact), null when none. */
  poolCaps: (Q | null)[];
  items: number;
  pairs: number;
}

export interface FinishedUnit extends Unit {
  /** After declared rounding (or the rank award). */
  rounded: bigint;
  /** After the pool cap. */
  final: bigint;
  rank?: number;
  tied?: number;
}

export interface PoolOutcome {
  partition: number;
  cap: bigint;
  total: bigint;
  factor: Q | null;
}

export function finish(clause: ClauseDef, cu: ClauseUnits, idOf: (recipient: number) => string, awardsFen: bigint[]): { units: FinishedUnit[]; pools: PoolOutcome[] } {
  const units: FinishedUnit[] = cu.units.map((u) => {
    let rounded = u.exact === null ? 0n : u.exact.round(clause.rounding);
    if (rounded < 0n) rounded = 0n; // a formula that goes negative grants nothing
    return { ...u, rounded, final: rounded };
  });

  if (clause.rank) {
    const parts = new Map<number, FinishedUnit[]>();
    for (const u of units) {
      const list = parts.get(u.category) ?? [];
      list.push(u);
      parts.set(u.category, list);
    }
    for (const list of parts.values()) {
      const eligibleList = list.filter((u) => u.eligible && u.excluded.length === 0);
      const r = rankAwards(
        eligibleList.map((u) => u.metric),
        awardsFen,
        eligibleList.map((u) => idOf(u.recipient)),
      );
      eligibleList.forEach((u, i) => {
        u.rank = r.rank[i];
        u.tied = r.tied[i];
        u.rounded = u.final = r.award[i];
      });
    }
  }

  const pools: PoolOutcome[] = [];
  if (clause.pool) {
    cu.poolCaps.forEach((capQ, k) => {
      const members = units.filter((u) => (clause.partition ? u.category === k : true));
      const total = members.reduce((a, u) => a + u.rounded, 0n);
      // A cap in fractions of a fen is rounded down: the pool never pays more than the document allows.
      const cap = capQ === null ? 0n : capQ.round('down');
      const res = allocatePool(
        members.map((u) => u.rounded),
        cap < 0n ? 0n : cap,
        members.map((u) => idOf(u.recipient)),
      );
      members.forEach((u, i) => (u.final = res.parts[i]));
      pools.push({ partition: k, cap, total, factor: res.factor });
    });
  }
  return { units, pools };
}
