// Columnar evaluation of one clause over a whole bundle: filters and categories produce arrays of
// (item, category) pairs, aggregates are accumulated per group id in one pass each, and the
// per-recipient formulas run over dense recipient indexes. No traces: see traced.ts for those.

import { Q } from '@caijin/core';
import type { DataView } from '../data/view.ts';
import type { ClauseDef, PolicyDef } from '../policy/types.ts';
import { isQ, isUnlimited, minOf, type V } from '../values.ts';
import { commonValue, tableEnv } from './context.ts';
import { compile, type CallExpr, type CompileEnv, type Fn } from './compile.ts';
import type { Expr } from '../expr/ast.ts';
import { keyOf } from './ops.ts';
import { shareInFen } from './allocate.ts';
import { balanceSumNum, compileNumeric, groupSum, roundFen, shareFen, sumGroups, type NumFn } from './numeric.ts';
import type { ClauseUnits, Unit } from './units.ts';

export function evaluateBatch(policy: PolicyDef, clause: ClauseDef, view: DataView): ClauseUnits {
  const from = clause.from;
  const common = (path: readonly string[]) => commonValue(policy, clause, view.year, path);
  const scale = (name: string) => common([name]) ?? null;
  const n = view.length(from);

  // 1. Business scope (where) over the item rows.
  const rowEnv = tableEnv(view, from, common);
  const where = clause.where ? compile(clause.where.expr, rowEnv) : null;
  // Rows in scope, pairs and groups live in typed arrays sized up front: JS arrays of 10^7 entries
  // grown by push cost more per row the larger they get.
  const items = scopeRows(n, where);

  // Windows (sum_over, min_over...) range over the items in scope, keyed by a row value.
  const windowCache = new Map<CallExpr, Map<number, V>>();
  const windowOfItem = (call: CallExpr): Fn => {
    let perItem = windowCache.get(call);
    if (!perItem) {
      perItem = computeWindow(call, items, rowEnv);
      windowCache.set(call, perItem);
    }
    const m = perItem;
    return (i) => m.get(i) ?? null;
  };
  const catEnv: CompileEnv = { ...rowEnv, window: windowOfItem };

  // 2. Categories: each item once under its first category, or under each that fits.
  const cats = clause.categories?.list ?? [];
  let pairItem: Int32Array;
  let pairCat: Int32Array;
  if (clause.categories) {
    const whens = cats.map((c) => compile(c.when.expr, catEnv));
    const each = clause.categories.mode === 'each';
    const cap = each ? items.length * whens.length : items.length;
    const pi = new Int32Array(cap);
    const pc = new Int32Array(cap);
    let k = 0;
    for (let j = 0; j < items.length; j++) {
      const i = items[j];
      for (let c = 0; c < whens.length; c++) {
        if (whens[c](i) === true) {
          pi[k] = i;
          pc[k++] = c;
          if (!each) break;
        }
      }
    }
    pairItem = pi.subarray(0, k);
    pairCat = pc.subarray(0, k);
  } else {
    pairItem = items;
    pairCat = new Int32Array(items.length).fill(-1);
  }
  const np = pairItem.length;

  const windowOf = (call: CallExpr): Fn => {
    const f = windowOfItem(call);
    return (p) => f(pairItem[p]);
  };

  // 3. Per-pair values: the clause's item lets and the group stage's allocation.
  // Per-pair values by name: accessors, plus integer numerators over a fixed denominator where an
  // item value is exact in float64 (fen, 12 × 月均余额), so sums need no rational per row.
  const pairValues = new Map<string, Fn>();
  const pairNumeric = new Map<string, { nums: Float64Array; den: number }>();
  const balanceTable = from === 'loans' || from === 'guarantees' ? from : null;
  const pairEnv: CompileEnv = {
    ref(path) {
      if (path.length === 1 && pairValues.has(path[0])) return pairValues.get(path[0])!;
      if (path[0] === 'category' && clause.categories) {
        if (path.length === 1) return (p) => cats[pairCat[p]].name;
        const attr = path[1];
        return (p) => cats[pairCat[p]].attrs[attr] ?? null;
      }
      const f = view.field(from, path);
      if (f) return (p) => f.get(pairItem[p]);
      const c = common(path);
      return c !== undefined ? () => c : undefined;
    },
    scale,
    window: windowOf,
    constant(path) {
      if (pairValues.has(path[0]) || path[0] === 'category' || view.field(from, path)) return undefined;
      return common(path);
    },
    codes(path) {
      if (pairValues.has(path[0]) || path[0] === 'category') return undefined;
      const c = view.codes(from, path);
      if (!c) return undefined;
      const get = c.get;
      return {
        get: (p) => get(pairItem[p]),
        get dict() {
          return c.dict;
        },
      };
    },
    truth(path) {
      if (pairValues.has(path[0]) || path[0] === 'category') return undefined;
      const t = view.truth(from, path);
      return t ? (p) => t(pairItem[p]) : undefined;
    },
    mask(path) {
      if (pairValues.has(path[0])) return undefined;
      const m = view.mask(from, path);
      if (!m) return undefined;
      const get = m.get;
      return { get: (p) => get(pairItem[p]), tags: m.tags };
    },
    numeric(path) {
      const own = path.length === 1 ? pairNumeric.get(path[0]) : undefined;
      if (own) {
        const nums = own.nums;
        return { get: (p) => nums[p], den: own.den };
      }
      if (path[0] === 'category') return path.length === 2 && clause.categories ? categoryNumeric(path[1]) : undefined;
      if (pairValues.has(path[0])) return undefined;
      const m = view.numeric(from, path);
      if (!m) return undefined;
      const get = m.get;
      return { get: (p) => get(pairItem[p]), den: m.den };
    },
    balanceSumFrom: balanceTable
      ? (month) => (p) => {
          const mv = month(p);
          return mv === null ? null : Q.int(view.balanceSumFrom(balanceTable, pairItem[p], Number((mv as Q).n)));
        }
      : undefined,
  };
  /** A category attribute (e.g. enterprise_cap: 1000万 | unlimited) as numerators per pair. */
  const categoryNumeric = (attr: string): NumFn | undefined => {
    const vals = cats.map((c) => c.attrs[attr] ?? null);
    let den = 1;
    for (const v of vals) {
      if (v === null || isUnlimited(v)) continue;
      if (!isQ(v) || v.d > 1_000_000n || v.n > BigInt(Number.MAX_SAFE_INTEGER) || v.n < -BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      const d = Number(v.d);
      den = (den * d) / gcd(den, d);
    }
    const per = Float64Array.from(vals, (v) => (v === null ? NaN : isUnlimited(v) ? Infinity : Number((v as Q).n) * (den / Number((v as Q).d))));
    if (per.some((x) => Number.isFinite(x) && !Number.isSafeInteger(x))) return undefined;
    return { get: (p) => per[pairCat[p]], den, inf: per.includes(Infinity) };
  };
  const setNumeric = (name: string, nums: Float64Array, den: number) => {
    pairNumeric.set(name, { nums, den });
    pairValues.set(name, (p) => (Number.isNaN(nums[p]) ? null : Q.of(nums[p], den)));
  };
  const balanceSum = balanceTable ? balanceSumNum(view, balanceTable, pairItem) : undefined;
  for (const lt of clause.item) {
    const num = compileNumeric(lt.expr, pairEnv, balanceSum);
    if (num) {
      const nums = new Float64Array(np);
      let exact = true;
      for (let p = 0; p < np; p++) {
        const v = num.get(p);
        nums[p] = v;
        if (!Number.isNaN(v) && !Number.isSafeInteger(v)) exact = false;
      }
      if (exact && !num.inf) {
        setNumeric(lt.name, nums, num.den);
        continue;
      }
    }
    const f = compile(lt.expr, pairEnv);
    const arr = new Array<V>(np);
    for (let p = 0; p < np; p++) arr[p] = f(p);
    pairValues.set(lt.name, (p) => arr[p]);
  }

  /**
   * Aggregates of pair values into `ng` groups (group id per pair, -1 = none): sums and counts of
   * integer numerators exactly in float64 (no rational per pair or group), the rest through Q.
   */
  const aggregateInto = (groupOf: Int32Array, ng: number) => {
    const cache = new Map<CallExpr, Fn>();
    const numCache = new Map<CallExpr, NumFn | null>();
    const numericSums = (call: CallExpr) => {
      if (call.fn !== 'sum' && call.fn !== 'count') return null;
      const num = call.fn === 'count' ? { get: () => 1, den: 1 } : call.args[0] ? compileNumeric(call.args[0], pairEnv, balanceSum) : undefined;
      if (!num || num.inf) return null;
      const cond = call.where ? compile(call.where, pairEnv) : null;
      const sums = sumGroups(groupOf, ng, np, num.get, cond);
      return sums ? { sums, den: num.den } : null;
    };
    const sumsCache = new Map<CallExpr, ReturnType<typeof numericSums>>();
    const sumsOf = (call: CallExpr) => {
      if (!sumsCache.has(call)) sumsCache.set(call, numericSums(call));
      return sumsCache.get(call)!;
    };
    const numeric = (call: CallExpr): NumFn | undefined => {
      if (!numCache.has(call)) {
        const s = sumsOf(call);
        let out: NumFn | null = null;
        if (s) {
          const vals = new Float64Array(ng);
          let safe = true;
          for (let g = 0; g < ng && safe; g++) {
            const v = groupSum(s.sums, g);
            if (typeof v === 'bigint') safe = false;
            else vals[g] = v;
          }
          if (safe) out = { get: (g) => vals[g], den: s.den };
        }
        numCache.set(call, out);
      }
      return numCache.get(call) ?? undefined;
    };
    const aggregate = (call: CallExpr): Fn => {
      const hit = cache.get(call);
      if (hit) return hit;
      const s = sumsOf(call);
      if (s) {
        // Rationals only when a group's value is asked for: a group stage may have millions.
        const { sums, den } = s;
        const fn: Fn = (g) => Q.of(groupSum(sums, g), den);
        cache.set(call, fn);
        return fn;
      }
      const cond = call.where ? compile(call.where, pairEnv) : null;
      const arg = call.args.length > 0 ? compile(call.args[0], pairEnv) : null;
      const out = new Array<V>(ng).fill(null);
      if (call.fn === 'count' || call.fn === 'sum') out.fill(Q.ZERO);
      const distinct = call.fn === 'count_distinct' ? Array.from({ length: ng }, () => new Set<string>()) : null;
      const counts = call.fn === 'mean' ? new Array<number>(ng).fill(0) : null;
      for (let p = 0; p < np; p++) {
        const g = groupOf[p];
        if (g < 0) continue;
        if (cond && cond(p) !== true) continue;
        if (call.fn === 'count') {
          out[g] = (out[g] as Q).add(Q.ONE);
          continue;
        }
        const v = arg!(p);
        if (v === null) continue;
        if (distinct) distinct[g].add(keyOf(v));
        else if (call.fn === 'sum' || call.fn === 'mean') {
          out[g] = out[g] === null ? v : (out[g] as Q).add(v as Q);
          if (counts) counts[g]++;
        } else if (out[g] === null) out[g] = v;
        else if (call.fn === 'min' ? (v as Q).lt(out[g] as Q) : (v as Q).gt(out[g] as Q)) out[g] = v;
      }
      if (distinct) for (let g = 0; g < ng; g++) out[g] = Q.int(distinct[g].size);
      if (counts) for (let g = 0; g < ng; g++) out[g] = counts[g] === 0 ? null : (out[g] as Q).div(Q.int(counts[g]));
      const fn: Fn = (g) => out[g];
      cache.set(call, fn);
      return fn;
    };
    return { aggregate, numeric };
  };

  // 4. Group stage (e.g. 单户企业 cap shared across banks): compute per group, allocate back to pairs.
  if (clause.group) {
    const { groupOf, groupFirst, count } = groupPairs(clause.group.by.map((b) => b.expr), pairEnv, pairCat, np);
    const ng = count;
    const groupVals = new Map<string, Fn>();
    const groupNumeric = new Map<string, NumFn>();
    const agg = aggregateInto(groupOf, ng);
    const gEnv: CompileEnv = {
      ref(path) {
        if (path.length === 1 && groupVals.has(path[0])) return groupVals.get(path[0])!;
        // Row names inside a group take the value of its first row (group keys are constant in it).
        const f = pairEnv.ref(path);
        return f ? (g) => f(groupFirst[g]) : undefined;
      },
      numeric(path) {
        if (path.length === 1 && groupNumeric.has(path[0])) return groupNumeric.get(path[0])!;
        if (path.length === 1 && groupVals.has(path[0])) return undefined;
        const f = pairEnv.numeric!(path);
        return f ? { get: (g) => f.get(groupFirst[g]), den: f.den, inf: (f as NumFn).inf } : undefined;
      },
      scale,
      aggregate: agg.aggregate,
      aggregateNumeric: agg.numeric,
    };
    for (const lt of clause.group.let) {
      // Integer numerators per group where the let allows it (min(sum(x), cap) does), else rationals.
      const num = compileNumeric(lt.expr, gEnv);
      if (num) {
        const nums = new Float64Array(ng);
        let exact = true;
        for (let g = 0; g < ng && exact; g++) {
          const v = (nums[g] = num.get(g));
          if (!Number.isNaN(v) && !Number.isSafeInteger(v)) exact = false;
        }
        if (exact) {
          const den = num.den;
          groupNumeric.set(lt.name, { get: (g) => nums[g], den });
          groupVals.set(lt.name, (g) => (Number.isNaN(nums[g]) ? null : Q.of(nums[g], den)));
          continue;
        }
      }
      const f = compile(lt.expr, gEnv);
      const arr = new Array<V>(ng);
      for (let g = 0; g < ng; g++) arr[g] = f(g);
      groupVals.set(lt.name, (g) => arr[g]);
    }
    const valueNum = groupNumeric.get(clause.group.allocate.value);
    const value = groupVals.get(clause.group.allocate.value)!;
    const weightNum = compileNumeric(clause.group.allocate.by.expr, pairEnv, balanceSum);
    const weightFn = compile(clause.group.allocate.by.expr, pairEnv);
    // Members of each group, then each group's value shared among them in whole fen.
    const start = new Int32Array(ng + 1);
    for (let p = 0; p < np; p++) start[groupOf[p] + 1]++;
    for (let g = 0; g < ng; g++) start[g + 1] += start[g];
    const fill = start.slice(0, ng);
    const members = new Int32Array(np);
    for (let p = 0; p < np; p++) members[fill[groupOf[p]]++] = p;
    const shares = new Float64Array(np);
    const weights: number[] = [];
    let first = 0;
    const idAt = (j: number) => view.rowId(from, pairItem[members[first + j]]);
    for (let g = 0; g < ng; g++) {
      const a = (first = start[g]);
      const b = start[g + 1];
      if (valueNum) {
        // Whole fen in float64: the same rounding and largest remainder as shareInFen.
        const v = valueNum.get(g);
        if (Number.isNaN(v)) {
          for (let k = a; k < b; k++) shares[members[k]] = NaN;
          continue;
        }
        const total = roundFen(v, valueNum.den, clause.rounding);
        if (b - a === 1) {
          shares[members[a]] = total;
          continue;
        }
        let exact = !!weightNum && !weightNum.inf;
        weights.length = 0;
        for (let k = a; k < b && exact; k++) {
          const w = weightNum!.get(members[k]);
          if (!Number.isNaN(w) && !Number.isSafeInteger(w)) exact = false;
          weights.push(w);
        }
        if (exact) {
          const fen = shareFen(total, weights, idAt);
          for (let k = a; k < b; k++) shares[members[k]] = fen[k - a];
          continue;
        }
      }
      const v = value(g);
      if (!isQ(v)) {
        for (let k = a; k < b; k++) shares[members[k]] = NaN;
        continue;
      }
      if (b - a === 1) {
        const fen = v.round(clause.rounding);
        shares[members[a]] = Number(fen < 0n ? 0n : fen);
        continue;
      }
      const ps = Array.from(members.subarray(a, b));
      const ws = ps.map((p) => {
        const w = weightFn(p);
        return isQ(w) ? w : Q.ZERO;
      });
      const fen = shareInFen(v, ws, idAt, clause.rounding);
      ps.forEach((p, j) => (shares[p] = Number(fen[j])));
    }
    setNumeric(clause.group.allocate.as, shares, 1);
  }

  // 5. Recipients (and, when partitioned, recipient × category units).
  const recOfItem = clause.recipient === 'self' ? null : view.refIndex(from, clause.recipient.endsWith('_id') ? clause.recipient : `${clause.recipient}_id`);
  const unitRec: number[] = [];
  const unitCat: number[] = [];
  const unitOf = new Int32Array(np);
  const nc = Math.max(1, cats.length);
  // Unit ids through a direct table over (recipient row × category) when it is small enough.
  const nRec = view.length(clause.recipient === 'self' ? from : clause.recipientTable);
  const keyRange = clause.partition ? nRec * nc : nRec;
  const unitTable = keyRange <= 64_000_000 ? new Int32Array(keyRange).fill(-1) : null;
  const unitIds = unitTable ? null : new Map<number, number>();
  for (let p = 0; p < np; p++) {
    const r = recOfItem ? recOfItem[pairItem[p]] : pairItem[p];
    if (r < 0) {
      unitOf[p] = -1;
      continue;
    }
    const c = clause.partition ? pairCat[p] : -1;
    const key = clause.partition ? r * nc + c : r;
    let u = unitTable ? unitTable[key] : (unitIds!.get(key) ?? -1);
    if (u < 0) {
      u = unitRec.length;
      if (unitTable) unitTable[key] = u;
      else unitIds!.set(key, u);
      unitRec.push(r);
      unitCat.push(c);
    }
    unitOf[p] = u;
  }
  const nu = unitRec.length;

  // 6. City-wide values (per category when partitioned): averages to compare with, pool bases.
  const nparts = clause.partition ? cats.length : 1;
  const partOfPair = clause.partition ? pairCat : new Int32Array(np);
  const cityVals = new Map<string, V[]>();
  const cityEnv: CompileEnv = {
    ref(path) {
      if (path.length === 1 && cityVals.has(path[0])) {
        const arr = cityVals.get(path[0])!;
        return (k) => arr[k];
      }
      if (clause.partition && path[0] === 'category') {
        if (path.length === 1) return (k) => cats[k].name;
        const attr = path[1];
        return (k) => cats[k].attrs[attr] ?? null;
      }
      const c = common(path);
      return c !== undefined ? () => c : undefined;
    },
    scale,
    aggregate: aggregateInto(partOfPair, nparts).aggregate,
  };
  for (const lt of clause.city) {
    const f = compile(lt.expr, cityEnv);
    cityVals.set(lt.name, Array.from({ length: nparts }, (_, k) => f(k)));
  }
  const poolCaps: (V | undefined)[] = [];
  if (clause.pool) {
    const f = compile(clause.pool.cap.expr, cityEnv);
    for (let k = 0; k < nparts; k++) poolCaps.push(f(k));
  }

  // 7. Per-recipient formulas.
  const unitVals = new Map<string, V[]>();
  const recEnv: CompileEnv = {
    ref(path) {
      if (path.length === 1 && unitVals.has(path[0])) {
        const arr = unitVals.get(path[0])!;
        return (u) => arr[u];
      }
      if (path[0] === 'recipient') {
        if (path.length === 1) return (u) => view.rowId(clause.recipientTable, unitRec[u]);
        const f = view.field(clause.recipientTable, path.slice(1));
        return f ? (u) => f.get(unitRec[u]) : undefined;
      }
      if (path[0] === 'city' && path.length === 2 && cityVals.has(path[1])) {
        const arr = cityVals.get(path[1])!;
        return (u) => arr[clause.partition ? unitCat[u] : 0];
      }
      if (clause.partition && path[0] === 'category') {
        if (path.length === 1) return (u) => cats[unitCat[u]].name;
        const attr = path[1];
        return (u) => cats[unitCat[u]].attrs[attr] ?? null;
      }
      const c = common(path);
      return c !== undefined ? () => c : undefined;
    },
    scale,
    aggregate: aggregateInto(unitOf, nu).aggregate,
  };
  for (const lt of clause.let) {
    const f = compile(lt.expr, recEnv);
    const arr = new Array<V>(nu);
    for (let u = 0; u < nu; u++) arr[u] = f(u);
    unitVals.set(lt.name, arr);
  }
  const eligible = clause.eligible ? compile(clause.eligible.expr, recEnv) : null;
  const amount = compile(clause.amount.expr, recEnv);
  const cap = clause.cap ? compile(clause.cap.value.expr, recEnv) : null;
  const exclusions =
    policy.exclusions && policy.exclusions.appliesTo === clause.recipientTable
      ? policy.exclusions.list.map((x) => ({ name: x.name, fn: compile(x.when.expr, tableEnv(view, clause.recipientTable, common)) }))
      : [];
  const rankBy = clause.rank ? (clause.params[clause.rank.by] ? String(common([clause.rank.by]) ?? '') : clause.rank.by) : null;

  const units: Unit[] = [];
  for (let u = 0; u < nu; u++) {
    const excluded = exclusions.filter((x) => x.fn(unitRec[u]) === true).map((x) => x.name);
    const ok = eligible ? eligible(u) === true : true;
    let exact: V = null;
    if (ok && excluded.length === 0) {
      exact = amount(u);
      if (cap && exact !== null) exact = minOf([exact, cap(u)]);
    }
    const metric = rankBy ? (unitVals.get(rankBy)?.[u] ?? null) : null;
    units.push({
      recipient: unitRec[u],
      category: unitCat[u],
      eligible: ok,
      excluded,
      exact: isQ(exact) ? exact : null,
      metric: isQ(metric) ? metric : null,
    });
  }
  return { units, poolCaps: poolCaps.map((v) => (v !== undefined && isQ(v) ? v : null)), items: items.length, pairs: np };
}

/** Row indexes (ascending) where `where` holds, all rows without one. */
function scopeRows(n: number, where: Fn | null): Int32Array {
  const rows = new Int32Array(n);
  if (!where) {
    for (let i = 0; i < n; i++) rows[i] = i;
    return rows;
  }
  let k = 0;
  for (let i = 0; i < n; i++) if (where(i) === true) rows[k++] = i;
  return rows.subarray(0, k);
}

/** A window aggregate (sum_over, min_over, max_over, count_over) per item, over the items in scope. */
function computeWindow(call: CallExpr, items: Int32Array, rowEnv: CompileEnv): Map<number, V> {
  const key = compile(call.args[0], rowEnv);
  const val = call.fn === 'count_over' ? null : compile(call.args[1], rowEnv);
  const acc = new Map<string, V>();
  const keys = new Array<string>(items.length);
  items.forEach((i, j) => {
    const k = (keys[j] = keyOf(key(i)));
    const prev = acc.get(k);
    if (call.fn === 'count_over') {
      acc.set(k, ((prev as Q | undefined) ?? Q.ZERO).add(Q.ONE));
      return;
    }
    const v = val!(i);
    if (v === null) return;
    if (prev === undefined || prev === null) acc.set(k, v);
    else if (call.fn === 'sum_over') acc.set(k, (prev as Q).add(v as Q));
    else if (call.fn === 'min_over') acc.set(k, (v as Q).lt(prev as Q) ? v : prev);
    else acc.set(k, (v as Q).gt(prev as Q) ? v : prev);
  });
  const perItem = new Map<number, V>();
  items.forEach((i, j) => perItem.set(i, acc.get(keys[j]) ?? null));
  return perItem;
}

/**
 * Group ids of pairs by the `group.by` expressions. Keys made of dictionary codes (ids, foreign
 * keys) and the category index combine into one number; anything else falls back to text keys.
 */
function groupPairs(by: Expr[], env: CompileEnv, pairCat: Int32Array, np: number): { groupOf: Int32Array; groupFirst: number[]; count: number } {
  const parts: { get: Fn | ((p: number) => number); size: number; numeric: boolean }[] = by.map((e) => {
    if (e.k === 'ref' && e.path.length === 1 && e.path[0] === 'category') return { get: (p: number) => pairCat[p], size: 0, numeric: true };
    if (e.k === 'ref' && env.codes) {
      const c = env.codes(e.path);
      if (c) {
        // The key range from the codes themselves, so a large id dictionary is never decoded here.
        let max = -1;
        for (let p = 0; p < np; p++) {
          const k = c.get(p);
          if (k > max) max = k;
        }
        return { get: c.get, size: max + 1, numeric: true };
      }
    }
    return { get: compile(e, env), size: 0, numeric: false };
  });
  /** Dense group ids in order of first appearance, from any key per pair. */
  const number = <K>(keyAt: (p: number) => K) => {
    const groupOf = new Int32Array(np);
    const groupFirst: number[] = [];
    const ids = new Map<K, number>();
    for (let p = 0; p < np; p++) {
      const k = keyAt(p);
      let g = ids.get(k);
      if (g === undefined) {
        g = ids.size;
        ids.set(k, g);
        groupFirst.push(p);
      }
      groupOf[p] = g;
    }
    return { groupOf, groupFirst, count: ids.size };
  };
  if (parts.every((x) => x.numeric)) {
    let maxCat = 0;
    for (let p = 0; p < np; p++) if (pairCat[p] > maxCat) maxCat = pairCat[p];
    const sizes = parts.map((x) => (x.size === 0 ? maxCat + 2 : x.size + 1));
    const range = sizes.reduce((a, b) => a * b, 1);
    if (range <= 64_000_000) {
      // Small enough key range: a direct table instead of a hash map (no 2^23-entry Map limit, no
      // hashing, little garbage) — what keeps province-size grouping linear.
      const table = new Int32Array(range).fill(-1);
      const groupOf = new Int32Array(np);
      const groupFirst: number[] = [];
      for (let p = 0; p < np; p++) {
        let k = 0;
        for (let j = 0; j < parts.length; j++) k = k * sizes[j] + ((parts[j].get(p) as number) + 1);
        let g = table[k];
        if (g < 0) {
          g = table[k] = groupFirst.length;
          groupFirst.push(p);
        }
        groupOf[p] = g;
      }
      return { groupOf, groupFirst, count: groupFirst.length };
    }
    if (range < Number.MAX_SAFE_INTEGER) {
      return number((p) => {
        let k = 0;
        for (let j = 0; j < parts.length; j++) k = k * sizes[j] + ((parts[j].get(p) as number) + 1);
        return k;
      });
    }
  }
  const fns = by.map((e) => compile(e, env));
  return number((p) => fns.map((f) => keyOf(f(p))).join('|'));
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
