// Scoring methods as first-class kinds. Each returns exact points and the sentence that explains
// them with the numbers used; rounding to the scheme's digits happens once, in evaluate.ts.

import { formatFixed, Q } from '@caijin/core';
import { step } from '@caijin/rules';
import type { Indicator, ValueUnit } from './scheme.ts';

export interface LeafInput {
  actual: Q | null;
  target: Q | null;
  /** Values of every unit for this indicator (ranking index among peers). */
  peers: Q[];
  /** Points given directly (reviewer-scored items, or any row with `points`). */
  given: Q | null;
}

export interface LeafScore {
  points: Q | null;
  text: string;
}

/** A value as people read it on a score sheet: 万元 / 元, percents and numbers, rounded for display only. */
export function showUnit(v: Q | null, unit: ValueUnit): string {
  if (v === null) return '（空）';
  if (unit === 'money') {
    const yuan = v.div(Q.of(100)) as Q;
    return yuan.abs().ge(Q.of(10000)) ? `${formatFixed(yuan.div(Q.of(10000)) as Q, 2)}万元` : `${formatFixed(yuan, 2)}元`;
  }
  if (unit === 'rate') return `${formatFixed(v.mul(Q.of(100)), 2)}%`;
  return v.isInteger() ? v.toString() : formatFixed(v, 4);
}

const clamp01 = (q: Q) => Q.max(Q.ZERO, Q.min(Q.ONE, q));
const pts = (q: Q) => (q.isInteger() ? q.toString() : formatFixed(q, 4));

export function scoreLeaf(ind: Indicator, input: LeafInput): LeafScore {
  const m = ind.method;
  const { actual, target } = input;
  const P = ind.points;
  const show = (v: Q | null) => showUnit(v, ind.unit);
  switch (m.kind) {
    case 'reviewer':
      if (input.given === null) return { points: null, text: '评审打分项，未填报得分' };
      return { points: input.given, text: `评审给分 ${pts(input.given)}` };
    case 'ratio_to_target': {
      if (actual === null) return { points: null, text: '无实际值' };
      if (target === null || target.sign() <= 0) return { points: null, text: `无有效目标值（实际值 ${show(actual)}）` };
      if (m.lowerIsBetter) {
        if (actual.le(target)) return { points: P, text: `实际值 ${show(actual)} 不高于目标值 ${show(target)}，得满分 ${pts(P)}` };
        const f = target.div(actual) as Q;
        return { points: P.mul(f), text: `${pts(P)} × 目标值 ${show(target)} ÷ 实际值 ${show(actual)} = ${pts(P.mul(f))}` };
      }
      const raw = actual.div(target) as Q;
      const f = clamp01(raw);
      return { points: P.mul(f), text: `${pts(P)} × min(max(实际值 ${show(actual)} ÷ 目标值 ${show(target)}, 0), 1) = ${pts(P)} × ${formatFixed(f, 4)} = ${pts(P.mul(f))}` };
    }
    case 'linear': {
      if (actual === null) return { points: null, text: '无实际值' };
      const k = m.knots;
      let f: Q;
      if (actual.le(k[0].at)) f = k[0].score;
      else if (actual.ge(k[k.length - 1].at)) f = k[k.length - 1].score;
      else {
        let i = 0;
        while (!(actual.ge(k[i].at) && actual.le(k[i + 1].at))) i++;
        const t = actual.sub(k[i].at).div(k[i + 1].at.sub(k[i].at)) as Q;
        f = k[i].score.add(k[i + 1].score.sub(k[i].score).mul(t));
      }
      return { points: P.mul(f), text: `实际值 ${show(actual)} 在分段线性表中对应 ${f.toPercent(2)}，${pts(P)} × ${f.toPercent(2)} = ${pts(P.mul(f))}` };
    }
    case 'step': {
      if (actual === null) return { points: null, text: '无实际值' };
      const f = step(actual, m.scale);
      const fq = f instanceof Q ? f : Q.ZERO;
      return { points: P.mul(fq), text: `实际值 ${show(actual)} 所在档得分比例 ${fq.toPercent(2)}，${pts(P)} × ${fq.toPercent(2)} = ${pts(P.mul(fq))}` };
    }
    case 'rank_index': {
      if (actual === null) return { points: null, text: '无实际值' };
      const min = input.peers.reduce((a, b) => Q.min(a, b), actual);
      const max = input.peers.reduce((a, b) => Q.max(a, b), actual);
      if (max.eq(min)) return { points: P, text: `各单位实际值相同（${show(actual)}），均得满分 ${pts(P)}` };
      const f = (m.lowerIsBetter ? max.sub(actual) : actual.sub(min)).div(max.sub(min)) as Q;
      const formula = m.lowerIsBetter ? '(最大值 − 实际值) ÷ (最大值 − 最小值)' : '(实际值 − 最小值) ÷ (最大值 − 最小值)';
      return { points: P.mul(f), text: `${formula} = (${m.lowerIsBetter ? `${show(max)} − ${show(actual)}` : `${show(actual)} − ${show(min)}`}) ÷ (${show(max)} − ${show(min)}) = ${formatFixed(f, 4)}；${pts(P)} × ${formatFixed(f, 4)} = ${pts(P.mul(f))}` };
    }
    case 'efficacy': {
      if (actual === null) return { points: null, text: '无实际值' };
      // Order standards from worst to best; "better" means larger unless lowerIsBetter.
      const better = (a: Q, b: Q) => (m.lowerIsBetter ? a.lt(b) : a.gt(b));
      const s = [...m.standards].sort((a, b) => (better(a.value, b.value) ? 1 : better(b.value, a.value) ? -1 : 0));
      const best = s[s.length - 1];
      const worst = s[0];
      if (!better(best.value, actual)) return { points: P, text: `实际值 ${show(actual)} 达到${best.level}值 ${show(best.value)}，得满分 ${pts(P)}` };
      if (better(worst.value, actual)) return { points: Q.ZERO, text: `实际值 ${show(actual)} 低于${worst.level}值 ${show(worst.value)}，得 0 分` };
      // Bracket: the last standard the actual value reaches and the next one up.
      let i = 0;
      while (i + 1 < s.length - 1 && !better(s[i + 1].value, actual)) i++;
      const lo = s[i];
      const hi = s[i + 1];
      const t = actual.sub(lo.value).div(hi.value.sub(lo.value)) as Q;
      const coef = lo.coefficient.add(hi.coefficient.sub(lo.coefficient).mul(t));
      const got = P.mul(coef);
      return {
        points: got,
        text: `功效系数法：实际值 ${show(actual)} 介于${lo.level}值 ${show(lo.value)} 与${hi.level}值 ${show(hi.value)} 之间；本档基础分 ${pts(P.mul(lo.coefficient))} + 调整分 ${pts(P.mul(hi.coefficient.sub(lo.coefficient)).mul(t))} = ${pts(got)}`,
      };
    }
    case 'bonus': {
      if (actual === null) return { points: Q.ZERO, text: '无实际值，不加分' };
      const v = step(actual, m.scale);
      const add = Q.min(v instanceof Q ? v : Q.ZERO, P);
      return { points: add, text: `加分项：实际值 ${show(actual)}，加 ${pts(add)} 分（最多 ${pts(P)}）` };
    }
    case 'deduction': {
      const n = actual ?? Q.ZERO;
      const minus = Q.min(n.mul(m.per), m.max);
      return { points: minus.neg(), text: `扣分项：${n.toDecimal(4)} 次 × ${pts(m.per)} 分，最多扣 ${pts(m.max)} 分，扣 ${pts(minus)} 分` };
    }
  }
}
