// Whole-fen allocation: pool caps (总额控制) and tied ranks. Exact shares are computed as
// rationals, floored to fen, and the fen left over go one by one to the largest remainders, so the
// parts always add up to the total exactly. Ties in remainders go to the smaller id, for repeatability.

import { Q, type RoundingMode } from '@caijin/core';

export interface PoolResult {
  parts: bigint[];
  /** cap / total when the cap binds, else null. */
  factor: Q | null;
}

/** Scale every amount by one exact factor so they sum to `cap` (only when their total exceeds it). */
export function allocatePool(amounts: readonly bigint[], cap: bigint, ids: readonly string[]): PoolResult {
  const total = amounts.reduce((a, b) => a + b, 0n);
  if (total <= cap) return { parts: [...amounts], factor: null };
  const factor = new Q(cap, total);
  return { parts: splitProportionally(cap, amounts, ids), factor };
}

/**
 * Split `total` fen in proportion to `weights` (non-negative), by largest remainder. `ids` may be a
 * function, so ids (row numbers of a 10^7-row table) are looked up only when remainders tie.
 */
export function splitProportionally(total: bigint, weights: readonly bigint[], ids: readonly string[] | ((i: number) => string)): bigint[] {
  const id = typeof ids === 'function' ? ids : (i: number) => ids[i];
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (total * w) / sum);
  const rema = weights.map((w) => (total * w) % sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => (rema[a] === rema[b] ? (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : a - b) : rema[a] > rema[b] ? -1 : 1));
  for (const i of order) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts;
}

export interface RankResult {
  /** 1-based rank, or 0 when not ranked (no metric or metric ≤ 0). Equal metrics share the best rank. */
  rank: number[];
  award: bigint[];
  /** How many units share each unit's rank. */
  tied: number[];
}

/**
 * Rank by metric, largest first; `awards[k]` goes to rank k+1. Units with equal metrics share the
 * summed awards of the ranks they occupy equally (fen by largest remainder).
 */
export function rankAwards(metrics: readonly (Q | null)[], awards: readonly bigint[], ids: readonly string[]): RankResult {
  const n = metrics.length;
  const rank = new Array<number>(n).fill(0);
  const award = new Array<bigint>(n).fill(0n);
  const tied = new Array<number>(n).fill(0);
  const order = metrics
    .map((m, i) => i)
    .filter((i) => metrics[i] !== null && metrics[i]!.sign() > 0)
    .sort((a, b) => {
      const c = metrics[b]!.cmp(metrics[a]!);
      return c !== 0 ? c : ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0;
    });
  let pos = 0;
  while (pos < order.length) {
    let end = pos + 1;
    while (end < order.length && metrics[order[end]]!.eq(metrics[order[pos]]!)) end++;
    const members = order.slice(pos, end);
    let pot = 0n;
    for (let k = pos; k < end; k++) pot += awards[k] ?? 0n;
    const shares = splitProportionally(pot, members.map(() => 1n), members.map((i) => ids[i]));
    members.forEach((i, j) => {
      rank[i] = pos + 1;
      award[i] = shares[j];
      tied[i] = members.length;
    });
    pos = end;
  }
  return { rank, award, tied };
}

function lcm(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return (a / x) * b;
}

/**
 * Share a group's value among its members in proportion to their weights, in whole fen: the value
 * is rounded to fen with the clause's rounding, then split by largest remainder (ties to the smaller
 * id). This is the declared rounding of a group stage (e.g. an enterprise's capped balance shared
 * among its banks): every share is a money amount, and the shares add up to the group's value.
 */
export function shareInFen(value: Q, weights: readonly Q[], ids: readonly string[] | ((i: number) => string), mode: RoundingMode): bigint[] {
  let total = value.round(mode);
  if (total < 0n) total = 0n;
  if (weights.length === 1) return [total];
  let den = 1n;
  for (const w of weights) den = lcm(den, w.d);
  const ints = weights.map((w) => (w.sign() > 0 ? w.n * (den / w.d) : 0n));
  return splitProportionally(total, ints, ids);
}
