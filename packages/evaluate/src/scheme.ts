// Evaluation schemes as data: schemes/<id>/scheme.yaml holds the indicator tree with points,
// scoring methods, grade scale, gates, consequences and selection, each citing its article.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Q, type RoundingMode } from '@caijin/core';
import { literalNumber, parseExpr, parseScale, typeOf, type Scale, type Scope } from '@caijin/rules';

export class SchemeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemeError';
  }
}

export type ValueUnit = 'money' | 'rate' | 'number';

/** How an indicator's points are earned. Fractions (`score`) are shares of the indicator's points. */
export type Method =
  | { kind: 'ratio_to_target'; lowerIsBetter: boolean }
  | { kind: 'linear'; lowerIsBetter: boolean; knots: { at: Q; score: Q }[] }
  | { kind: 'step'; scale: Scale }
  | { kind: 'rank_index'; lowerIsBetter: boolean }
  | { kind: 'efficacy'; lowerIsBetter: boolean; standards: { level: string; value: Q; coefficient: Q }[] }
  | { kind: 'bonus'; scale: Scale }
  | { kind: 'deduction'; per: Q; max: Q }
  | { kind: 'reviewer' };

export interface Indicator {
  id: string;
  name: string;
  /** Maximum points (for bonus items: the most that can be added; deductions: the most taken). */
  points: Q;
  cite: string;
  unit: ValueUnit;
  method: Method;
  /** Ledger indicator computed from the bundle (--data), e.g. small_micro_agri_share. */
  data?: string;
  /** Default target when the sheet gives none (editable; its source is in NOTES.md). */
  target?: Q;
  /** Or: the unit's own value of the previous year, computed from the ledgers (target: previous_year). */
  targetPreviousYear?: boolean;
  /** Who fills the figures (Tianjin's division of labour). */
  filledBy?: string;
  note?: string;
  children: Indicator[];
  parent?: string;
}

export interface GradeBand {
  grade: string;
  from: Q;
}

export interface Gate {
  flag: string;
  zh: string;
  cite: string;
  /** At most this grade (e.g. 中). */
  capGrade?: string;
  /** Lower the grade by this many levels. */
  lowerBy?: number;
  /** 一票否决: the lowest grade. */
  veto?: boolean;
  /** Indicators not scored under this flag; the total is rescaled to the full points. */
  drop?: string[];
}

export interface Consequence {
  code: string;
  zh: string;
  cite: string;
  when: ReturnType<typeof parseExpr>;
  whenSource: string;
}

export interface HistoryRule {
  /** A consequence code in last year's result. */
  previous: string;
  capGrade: string;
  zh: string;
  cite: string;
}

export interface Scheme {
  id: string;
  title: string;
  citation: string;
  document: string;
  /** What is evaluated: institutions from the bundle (guarantors) or free units (districts). */
  units: { table: 'institutions' | 'none'; kinds?: string[]; governmentBacked?: boolean; zh: string };
  totalPoints: Q;
  maxTotal?: Q;
  digits: number;
  rounding: RoundingMode;
  grades: GradeBand[];
  indicators: Indicator[];
  gates: Gate[];
  history: HistoryRule[];
  consequences: Consequence[];
  selection?: { count?: number; reward: Q; disqualifyBelow?: Q; cite: string };
  dir: string;
}

type Raw = Record<string, unknown>;

export function schemesRoot(): string {
  if (process.env.CAIJIN_SCHEMES) return resolve(process.env.CAIJIN_SCHEMES);
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../schemes');
}

export function listSchemeIds(root = schemesRoot()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'scheme.yaml')))
    .map((d) => d.name)
    .sort();
}

function num(raw: unknown, unit: ValueUnit | 'fraction', what: string): Q {
  const v = literalNumber(raw, unit === 'fraction' ? 'rate' : unit, what);
  if (!(v instanceof Q)) throw new SchemeError(`${what}: must be a finite number`);
  return v;
}

function methodOf(raw: unknown, unit: ValueUnit, what: string): Method {
  const m = (typeof raw === 'string' ? { kind: raw } : (raw as Raw)) ?? { kind: 'reviewer' };
  const lower = m.lower_is_better === true;
  switch (m.kind) {
    case 'ratio_to_target':
      return { kind: 'ratio_to_target', lowerIsBetter: lower };
    case 'rank_index':
      return { kind: 'rank_index', lowerIsBetter: lower };
    case 'reviewer':
      return { kind: 'reviewer' };
    case 'linear': {
      const knots = ((m.knots as Raw[]) ?? []).map((k, i) => ({ at: num(k.at, unit, `${what} knot ${i + 1}`), score: num(k.score, 'fraction', `${what} knot ${i + 1}`) }));
      if (knots.length < 2) throw new SchemeError(`${what}: linear needs two or more knots`);
      for (let i = 1; i < knots.length; i++) if (!knots[i].at.gt(knots[i - 1].at)) throw new SchemeError(`${what}: knots must ascend`);
      return { kind: 'linear', lowerIsBetter: lower, knots };
    }
    case 'step':
      return { kind: 'step', scale: parseScale(m.bands, 'step', 'rate', unit === 'money' ? 'money' : 'rate', what) };
    case 'bonus':
      return { kind: 'bonus', scale: parseScale(m.bands, 'step', 'number', unit === 'money' ? 'money' : 'rate', what) };
    case 'deduction':
      return { kind: 'deduction', per: num(m.per, 'number', `${what} per`), max: num(m.max ?? 100, 'number', `${what} max`) };
    case 'efficacy': {
      const standards = ((m.standards as Raw[]) ?? []).map((s, i) => ({
        level: String(s.level ?? i + 1),
        value: num(s.value, unit, `${what} standard ${i + 1}`),
        coefficient: num(s.coefficient, 'fraction', `${what} standard ${i + 1}`),
      }));
      if (standards.length < 2) throw new SchemeError(`${what}: efficacy needs two or more standard values`);
      return { kind: 'efficacy', lowerIsBetter: lower, standards };
    }
    default:
      throw new SchemeError(`${what}: unknown scoring method '${String(m.kind)}'`);
  }
}

function indicatorOf(raw: Raw, parent: string | undefined, what: string): Indicator {
  const id = String(raw.id ?? '');
  if (!id) throw new SchemeError(`${what}: indicator without id`);
  const unit = String(raw.unit ?? 'number') as ValueUnit;
  if (!['money', 'rate', 'number'].includes(unit)) throw new SchemeError(`${what} ${id}: unit must be money, rate or number`);
  const children = ((raw.children as Raw[]) ?? []).map((c) => indicatorOf(c, id, what));
  const ind: Indicator = {
    id,
    name: String(raw.name ?? id),
    points: num(raw.points ?? 0, 'number', `${what} ${id}.points`),
    cite: String(raw.cite ?? ''),
    unit,
    method: children.length > 0 ? { kind: 'reviewer' } : methodOf(raw.method, unit, `${what} ${id}`),
    data: raw.data === undefined ? undefined : String(raw.data),
    target: raw.target === undefined || raw.target === 'previous_year' ? undefined : num(raw.target, unit, `${what} ${id}.target`),
    targetPreviousYear: raw.target === 'previous_year',
    filledBy: raw.filled_by === undefined ? undefined : String(raw.filled_by),
    note: raw.note === undefined ? undefined : String(raw.note),
    children,
    parent,
  };
  if (children.length > 0 && !['bonus', 'deduction'].includes(ind.method.kind)) {
    const sum = children.filter((c) => !['bonus', 'deduction'].includes(c.method.kind)).reduce((a, c) => a.add(c.points), Q.ZERO);
    if (!sum.eq(ind.points)) throw new SchemeError(`${what} ${id}: children's points add up to ${sum.toDecimal()}, not ${ind.points.toDecimal()}`);
  }
  return ind;
}

/** Every indicator, depth first. */
export function allIndicators(s: Scheme): Indicator[] {
  const out: Indicator[] = [];
  const walk = (list: Indicator[]) => {
    for (const i of list) {
      out.push(i);
      walk(i.children);
    }
  };
  walk(s.indicators);
  return out;
}

const CONSEQUENCE_SCOPE: Scope = {
  ref(path) {
    const n = path.join('.');
    if (n === 'grade' || n === 'previous_grade') return 'string';
    if (n === 'score') return 'number';
    if (n === 'flags' || n === 'previous_consequences') return 'list';
    if (n === 'selected' || n === 'disqualified') return 'bool';
    return undefined;
  },
  scaleParam: () => undefined,
};

export function loadScheme(idOrDir: string, root = schemesRoot()): Scheme {
  const dir = existsSync(join(idOrDir, 'scheme.yaml')) ? resolve(idOrDir) : join(root, idOrDir);
  const file = join(dir, 'scheme.yaml');
  if (!existsSync(file)) throw new SchemeError(`unknown scheme '${idOrDir}' (no ${file})`);
  let raw: Raw;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'), { merge: true }) as Raw;
  } catch (err) {
    throw new SchemeError(`${file}: ${(err as Error).message}`);
  }
  const id = String(raw.id ?? '');
  const what = id || file;
  const indicators = ((raw.indicators as Raw[]) ?? []).map((r) => indicatorOf(r, undefined, what));
  const totalPoints = num(raw.total_points ?? 100, 'number', `${what} total_points`);
  const top = indicators.filter((i) => !['bonus', 'deduction'].includes(i.method.kind)).reduce((a, i) => a.add(i.points), Q.ZERO);
  if (!top.eq(totalPoints)) throw new SchemeError(`${what}: first-level points add up to ${top.toDecimal()}, not ${totalPoints.toDecimal()}`);
  const grades = ((raw.grades as Raw[]) ?? []).map((g) => ({ grade: String(g.grade), from: num(g.from, 'number', `${what} grade ${String(g.grade)}`) }));
  for (let i = 1; i < grades.length; i++) if (!grades[i].from.lt(grades[i - 1].from)) throw new SchemeError(`${what}: grades must be listed best first with descending bounds`);
  const gradeNames = new Set(grades.map((g) => g.grade));
  const ids = new Set(allIndicators({ indicators } as Scheme).map((i) => i.id));
  const gates: Gate[] = ((raw.gates as Raw[]) ?? []).map((g) => {
    const gate: Gate = {
      flag: String(g.flag),
      zh: String(g.zh ?? g.flag),
      cite: String(g.cite ?? ''),
      capGrade: g.cap_grade === undefined ? undefined : String(g.cap_grade),
      lowerBy: g.lower_by === undefined ? undefined : Number(g.lower_by),
      veto: g.veto === true,
      drop: g.drop === undefined ? undefined : (g.drop as unknown[]).map(String),
    };
    if (gate.capGrade && !gradeNames.has(gate.capGrade)) throw new SchemeError(`${what}: gate ${gate.flag} caps at unknown grade ${gate.capGrade}`);
    for (const d of gate.drop ?? []) if (!ids.has(d)) throw new SchemeError(`${what}: gate ${gate.flag} drops unknown indicator ${d}`);
    return gate;
  });
  const history: HistoryRule[] = ((raw.history as Raw[]) ?? []).map((h) => ({ previous: String(h.previous), capGrade: String(h.cap_grade), zh: String(h.zh ?? ''), cite: String(h.cite ?? '') }));
  const consequences: Consequence[] = ((raw.consequences as Raw[]) ?? []).map((c) => {
    const src = String(c.when);
    let when;
    try {
      when = parseExpr(src);
      if (typeOf(when, CONSEQUENCE_SCOPE) !== 'bool') throw new Error('must be true/false');
    } catch (err) {
      throw new SchemeError(`${what}: consequence ${String(c.code)}: ${(err as Error).message}`);
    }
    return { code: String(c.code), zh: String(c.zh ?? c.code), cite: String(c.cite ?? ''), when, whenSource: src };
  });
  const sel = raw.selection as Raw | undefined;
  const units = (raw.units as Raw | undefined) ?? {};
  return {
    id,
    title: String(raw.title ?? id),
    citation: String(raw.citation ?? id),
    document: String(raw.document ?? ''),
    units: {
      table: units.table === 'institutions' ? 'institutions' : 'none',
      kinds: Array.isArray(units.kinds) ? units.kinds.map(String) : undefined,
      governmentBacked: units.government_backed === true ? true : undefined,
      zh: String(units.zh ?? '被评价单位'),
    },
    totalPoints,
    maxTotal: raw.max_total === undefined ? undefined : num(raw.max_total, 'number', `${what} max_total`),
    digits: Number(raw.digits ?? 2),
    rounding: String(raw.rounding ?? 'half_up') as RoundingMode,
    grades,
    indicators,
    gates,
    history,
    consequences,
    selection: sel
      ? {
          count: sel.count === undefined ? undefined : Number(sel.count),
          reward: num(sel.reward ?? 0, 'money', `${what} selection.reward`),
          disqualifyBelow: sel.disqualify_below === undefined ? undefined : num(sel.disqualify_below, 'number', `${what} selection.disqualify_below`),
          cite: String(sel.cite ?? ''),
        }
      : undefined,
    dir,
  };
}
