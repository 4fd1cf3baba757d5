// Score every unit of a scheme: indicator points (exact, then rounded to the declared digits),
// totals, grades, gates and history, ranking with ties, selection of the best N, consequences,
// rewards and clawbacks. Every number carries the sentence and article that produced it.

import { formatYuan, Q } from '@caijin/core';
import type { Bundle } from '@caijin/ledger';
import { interpret, type V } from '@caijin/rules';
import { allIndicators, type Indicator, type Scheme } from './scheme.ts';
import { scoreLeaf, showUnit } from './methods.ts';
import { dataUnits, DATA_INDICATORS } from './indicators.ts';
import type { EvalInputs, SheetRow } from './inputs.ts';

export interface Breakdown {
  indicator: string;
  name: string;
  /** Full points of the indicator. */
  points: string;
  score: string;
  actual?: string;
  target?: string;
  previous?: string;
  /** Where the figure came from: sheet (填报), data (台账计算), given (直接给分), none. */
  source: 'sheet' | 'data' | 'given' | 'none' | 'children' | 'dropped';
  method: string;
  explain: string;
  cite: string;
  filled_by?: string;
  children?: Breakdown[];
}

export interface UnitResult {
  unit: string;
  name?: string;
  score: string;
  grade: string;
  rank: number;
  consequences: string[];
  breakdown: Breakdown[];
  flags: string[];
  /** Grade from the score alone, before gates and history. */
  score_grade: string;
  adjustments: { rule: string; cite: string; from: string; to: string }[];
  reward?: string;
  clawback?: string;
  notes: string[];
}

export interface EvaluationResult {
  scheme: string;
  year: number;
  /** The bundle the ledger indicators came from (origin, and snapshot hash when read from one). */
  data?: { origin: string; snapshot?: string };
  results: UnitResult[];
  warnings: string[];
  selection?: { count: number; selected: string[]; tied_at_cut: string[]; reward_each: string };
}

export interface EvaluateOptions {
  bundle?: Bundle;
  select?: number;
}

interface Unit {
  id: string;
  name?: string;
  rows: Map<string, SheetRow>;
  data: Map<string, Q | null>;
  /** The same ledger indicators for the previous year (上年度实际值, default targets). */
  prev: Map<string, Q | null>;
}

function roundTo(q: Q, digits: number, mode: Scheme['rounding']): Q {
  const scale = Q.of(10n ** BigInt(digits));
  return new Q(q.mul(scale).round(mode), 10n ** BigInt(digits));
}

const fixed = (q: Q, digits: number) => {
  const s = q.toDecimal(digits);
  const [i, f = ''] = s.replace('…', '').split('.');
  return digits > 0 ? `${i}.${f.padEnd(digits, '0').slice(0, digits)}` : i;
};

function methodZh(ind: Indicator): string {
  const m = ind.method;
  const lower = 'lowerIsBetter' in m && m.lowerIsBetter ? '（越低越好）' : '';
  return (
    {
      ratio_to_target: '目标完成率（封顶）',
      linear: '分段线性插值',
      step: '分档计分',
      rank_index: '排名指数 (x−min)/(max−min)',
      efficacy: '功效系数法',
      bonus: '加分项',
      deduction: '扣分项',
      reviewer: '评审打分',
    }[m.kind] + lower
  );
}

export function evaluateScheme(scheme: Scheme, year: number, inputs: EvalInputs, opts: EvaluateOptions = {}): EvaluationResult {
  const warnings: string[] = [];
  const inds = allIndicators(scheme);
  const dataKeys = [...new Set(inds.filter((i) => i.data).map((i) => i.data!))];

  // Units: from the bundle (institutions of the scheme's kinds) and from the sheet.
  const units = new Map<string, Unit>();
  const unitOf = (id: string) => {
    let u = units.get(id);
    if (!u) {
      u = { id, rows: new Map(), data: new Map(), prev: new Map() };
      units.set(id, u);
    }
    return u;
  };
  if (opts.bundle) {
    for (const d of dataUnits(scheme, opts.bundle, year, dataKeys)) {
      const u = unitOf(d.id);
      u.name = d.name;
      u.data = d.values;
    }
    for (const d of dataUnits(scheme, opts.bundle, year - 1, dataKeys)) if (units.has(d.id)) units.get(d.id)!.prev = d.values;
  }
  for (const r of inputs.rows) {
    const u = unitOf(r.unit);
    if (u.rows.has(r.indicator)) warnings.push(`单位 ${r.unit} 的指标 ${r.indicator} 填报了多行，取第 ${r.row} 行 [sheet.duplicate]`);
    u.rows.set(r.indicator, r);
  }
  for (const [id, name] of inputs.names) if (units.has(id)) units.get(id)!.name ??= name;
  for (const id of inputs.flags.keys()) if (!units.has(id)) warnings.push(`情形文件中的单位 ${id} 不在评价范围内 [flags.unknown_unit]`);
  if (units.size === 0) warnings.push('没有可评价的单位：请提供 --sheet 或包含被评价机构的 --data [evaluate.no_units]');

  // Actual values per unit and indicator (sheet first, then ledgers), for peers and scoring.
  const actualOf = (u: Unit, ind: Indicator): { value: Q | null; source: 'sheet' | 'data' | 'none' } => {
    const row = u.rows.get(ind.id);
    if (row?.actual != null) return { value: row.actual, source: 'sheet' };
    if (ind.data && u.data.has(ind.data)) return { value: u.data.get(ind.data) ?? null, source: 'data' };
    return { value: null, source: 'none' };
  };
  const peers = new Map<string, Q[]>();
  for (const ind of inds) {
    if (ind.method.kind !== 'rank_index') continue;
    peers.set(
      ind.id,
      [...units.values()].map((u) => actualOf(u, ind).value).filter((v): v is Q => v !== null),
    );
  }

  const previousYear = (unit: string) => inputs.history.filter((h) => h.unit === unit && h.year === year - 1);
  const results: UnitResult[] = [];
  const exactTotals = new Map<string, Q>();
  for (const u of units.values()) {
    const flags = [...(inputs.flags.get(u.id) ?? [])];
    const dropped = new Set(scheme.gates.filter((g) => g.drop && flags.includes(g.flag)).flatMap((g) => g.drop!));
    const notes: string[] = [];

    const scoreNode = (ind: Indicator): { score: Q; b: Breakdown } => {
      const row = u.rows.get(ind.id);
      const base = { indicator: ind.id, name: ind.name, points: fixed(ind.points, scheme.digits), cite: ind.cite, method: methodZh(ind), filled_by: ind.filledBy };
      if (dropped.has(ind.id)) {
        return { score: Q.ZERO, b: { ...base, score: '—', source: 'dropped', explain: '本年度不考核该指标（见情形），总分按其余指标折算' } };
      }
      if (row?.points != null) {
        const s = roundTo(row.points, scheme.digits, scheme.rounding);
        const replaced = ind.children.length > 0 ? '；本行一级指标得分替代其下各二级指标' : '';
        return { score: s, b: { ...base, score: fixed(s, scheme.digits), source: 'given', explain: `直接给分 ${fixed(s, scheme.digits)}${replaced}` } };
      }
      if (ind.children.length > 0) {
        const kids = ind.children.map(scoreNode);
        const s = kids.reduce((a, k) => a.add(k.score), Q.ZERO);
        return {
          score: s,
          b: { ...base, score: fixed(s, scheme.digits), source: 'children', explain: `各二级指标得分合计 ${kids.map((k) => k.b.score).join(' + ')} = ${fixed(s, scheme.digits)}`, children: kids.map((k) => k.b) },
        };
      }
      const a = actualOf(u, ind);
      const prevValue = ind.data && u.prev.has(ind.data) ? (u.prev.get(ind.data) ?? null) : null;
      const target = row?.target ?? (ind.targetPreviousYear ? prevValue : (ind.target ?? null));
      const leaf = scoreLeaf(ind, { actual: a.value, target, peers: peers.get(ind.id) ?? [], given: null });
      const exact = leaf.points ?? Q.ZERO;
      const s = roundTo(exact, scheme.digits, scheme.rounding);
      const origin = a.source === 'data' ? `实际值由台账计算（${DATA_INDICATORS[ind.data!].zh}）` : a.source === 'sheet' ? '实际值为填报值' : '';
      const dataNote = a.source === 'sheet' && ind.data && u.data.has(ind.data) ? `（台账计算值 ${showUnit(u.data.get(ind.data) ?? null, ind.unit)}）` : '';
      const targetNote = row?.target != null ? '' : ind.targetPreviousYear ? (prevValue === null ? '；方案以上年实际值为目标，但台账中无上年数据' : '；目标值取本单位上年实际值（台账）') : ind.target ? '；目标值取方案默认值' : '';
      if (leaf.points === null) notes.push(`${ind.id} ${ind.name}：${leaf.text}，记 0 分`);
      return {
        score: s,
        b: {
          ...base,
          score: fixed(s, scheme.digits),
          actual: a.value === null ? undefined : showUnit(a.value, ind.unit),
          target: target === null ? undefined : showUnit(target, ind.unit),
          previous: row?.previous != null ? showUnit(row.previous, ind.unit) : prevValue !== null ? showUnit(prevValue, ind.unit) : undefined,
          source: a.source,
          explain: `${leaf.text}${leaf.points === null ? '，记 0 分' : ''}${origin ? `；${origin}${dataNote}` : ''}${targetNote}`,
        },
      };
    };

    const totalRow = u.rows.get('total');
    const tops = scheme.indicators.map(scoreNode);
    let total: Q;
    if (totalRow?.points != null) {
      total = roundTo(totalRow.points, scheme.digits, scheme.rounding);
      notes.push(`总分由第 ${totalRow.row} 行直接给定（如第三方评价结果）；分项仅供参考`);
    } else {
      total = tops.reduce((a, t) => a.add(t.score), Q.ZERO);
      const droppedPoints = inds.filter((i) => dropped.has(i.id)).reduce((a, i) => a.add(i.points), Q.ZERO);
      if (droppedPoints.sign() > 0) {
        const scaled = total.mul(scheme.totalPoints).div(scheme.totalPoints.sub(droppedPoints)) as Q;
        notes.push(`不考核指标合计 ${fixed(droppedPoints, scheme.digits)} 分，总分按 ${fixed(total, scheme.digits)} × ${scheme.totalPoints.toDecimal()} ÷ ${scheme.totalPoints.sub(droppedPoints).toDecimal()} 折算`);
        total = roundTo(scaled, scheme.digits, scheme.rounding);
      }
    }
    if (scheme.maxTotal && total.gt(scheme.maxTotal)) {
      notes.push(`加分后总分超过 ${scheme.maxTotal.toDecimal()} 分，按 ${scheme.maxTotal.toDecimal()} 分计`);
      total = scheme.maxTotal;
    }
    if (total.sign() < 0) total = Q.ZERO;
    exactTotals.set(u.id, total);

    // Grade from the score, then history and gates.
    const gradeIndex = (g: string) => scheme.grades.findIndex((x) => x.grade === g);
    let gi = scheme.grades.findIndex((g) => total.ge(g.from));
    if (gi < 0) gi = scheme.grades.length - 1;
    const scoreGrade = scheme.grades[gi].grade;
    const adjustments: UnitResult['adjustments'] = [];
    const adjust = (to: number, rule: string, cite: string) => {
      if (to !== gi) {
        adjustments.push({ rule, cite, from: scheme.grades[gi].grade, to: scheme.grades[to].grade });
        gi = to;
      }
    };
    const prev = previousYear(u.id);
    for (const h of scheme.history) {
      if (prev.some((p) => p.consequences.includes(h.previous))) adjust(Math.max(gi, gradeIndex(h.capGrade)), h.zh, h.cite);
    }
    for (const g of scheme.gates) {
      if (!flags.includes(g.flag)) continue;
      if (g.veto) adjust(scheme.grades.length - 1, `${g.zh}（一票否决）`, g.cite);
      if (g.capGrade) adjust(Math.max(gi, gradeIndex(g.capGrade)), `${g.zh}：最高评为“${g.capGrade}”`, g.cite);
      if (g.lowerBy) adjust(Math.min(scheme.grades.length - 1, gi + g.lowerBy), `${g.zh}：下调 ${g.lowerBy} 个等次`, g.cite);
    }
    results.push({
      unit: u.id,
      name: u.name,
      score: fixed(total, scheme.digits),
      grade: scheme.grades[gi].grade,
      rank: 0,
      consequences: [],
      breakdown: tops.map((t) => t.b),
      flags,
      score_grade: scoreGrade,
      adjustments,
      notes,
    });
  }

  // Ranking: by score, descending; equal scores share the best rank of their group.
  const order = [...results].sort((a, b) => exactTotals.get(b.unit)!.cmp(exactTotals.get(a.unit)!) || (a.unit < b.unit ? -1 : 1));
  order.forEach((r, i) => {
    const prevR = order[i - 1];
    r.rank = i > 0 && exactTotals.get(prevR.unit)!.eq(exactTotals.get(r.unit)!) ? prevR.rank : i + 1;
  });

  // Selection of the best N among those not disqualified; a tie across the cut is left to the reviewers.
  const selected = new Set<string>();
  const tiedAtCut = new Set<string>();
  const disqualified = new Set<string>();
  const sel = scheme.selection;
  if (sel?.disqualifyBelow) for (const r of results) if (exactTotals.get(r.unit)!.lt(sel.disqualifyBelow)) disqualified.add(r.unit);
  const n = opts.select ?? sel?.count;
  let selection: EvaluationResult['selection'];
  if (n !== undefined && n > 0) {
    const pool = order.filter((r) => !disqualified.has(r.unit));
    const cutScore = pool[n - 1] ? exactTotals.get(pool[n - 1].unit)! : null;
    for (const [i, r] of pool.entries()) {
      const s = exactTotals.get(r.unit)!;
      if (i < n && !(cutScore && s.eq(cutScore) && pool[n] && exactTotals.get(pool[n].unit)!.eq(cutScore))) selected.add(r.unit);
      else if (cutScore && s.eq(cutScore)) tiedAtCut.add(r.unit);
    }
    if (tiedAtCut.size > 0) warnings.push(`第 ${n} 名处并列（${[...tiedAtCut].join('、')}），并列单位均未自动入选，请评审确定 [selection.tie_at_cut]`);
    selection = { count: n, selected: [...selected], tied_at_cut: [...tiedAtCut], reward_each: formatYuan(sel?.reward.round('half_up') ?? 0n) };
  }

  // Consequences (the scheme's rules over grade, score, flags, history and selection).
  for (const r of results) {
    const prev = previousYear(r.unit);
    const env = {
      ref(path: string[]): V | undefined {
        switch (path.join('.')) {
          case 'grade':
            return r.grade;
          case 'score':
            return exactTotals.get(r.unit)!;
          case 'previous_grade':
            return prev[0]?.grade ?? null;
          case 'flags':
            return r.flags;
          case 'previous_consequences':
            return prev.flatMap((p) => p.consequences);
          case 'selected':
            return selected.has(r.unit);
          case 'disqualified':
            return disqualified.has(r.unit);
        }
        return undefined;
      },
      scale: () => null,
    };
    r.consequences = scheme.consequences.filter((c) => interpret(c.when, env) === true).map((c) => c.code);
    if (tiedAtCut.has(r.unit)) r.consequences.push('tied_at_cut');
    if (selected.has(r.unit) && sel) r.reward = formatYuan(sel.reward.round('half_up'));
    if (disqualified.has(r.unit)) {
      const earlier = inputs.history.filter((h) => h.unit === r.unit && h.year < year).reduce((a, h) => a.add(h.reward), Q.ZERO);
      r.clawback = formatYuan(earlier.round('half_up'));
      r.notes.push(
        earlier.sign() > 0
          ? `低于 ${sel!.disqualifyBelow!.toDecimal()} 分，取消资格并追回以往奖励 ${formatYuan(earlier.round('half_up'))} 元（${sel!.cite}）`
          : `低于 ${sel!.disqualifyBelow!.toDecimal()} 分，取消资格；历史结果中无已发奖励，追回金额为 0（提供 --history 以计算）（${sel!.cite}）`,
      );
    }
  }
  results.sort((a, b) => a.rank - b.rank || (a.unit < b.unit ? -1 : 1));
  const data = opts.bundle ? { origin: opts.bundle.origin, ...(opts.bundle.hash ? { snapshot: opts.bundle.hash } : {}) } : undefined;
  return { scheme: scheme.id, year, ...(data ? { data } : {}), results, warnings, selection };
}
