// Load a policy folder (policy.yaml + clauses/*.yaml), apply the chosen variants and parameter
// values, parse every expression and type check it in the place where it stands.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { RoundingMode } from '@caijin/core';
import { SCHEMA, type TableName } from '@caijin/ledger';
import { parseExpr } from '../expr/parse.ts';
import { typeOf, type Scope, type Ty } from '../expr/types.ts';
import { fieldType, relationColumn } from '../data/catalog.ts';
import { literalNumber, parseParamValue, parseScale, ParamError } from './params.ts';
import type { CategoryDef, ClauseDef, ExclusionDef, Let, ParamDef, PolicyDef } from './types.ts';
import { UNLIMITED, type V } from '../values.ts';

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** The repository's policies/ folder (overridable with CAIJIN_POLICIES). */
export function policiesRoot(): string {
  if (process.env.CAIJIN_POLICIES) return resolve(process.env.CAIJIN_POLICIES);
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../../policies');
}

export function listPolicyIds(root = policiesRoot()): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'policy.yaml')))
    .map((d) => d.name)
    .sort();
}

export interface LoadOptions {
  /** `clause.name` → raw value (from --param). */
  params?: Record<string, string>;
  /** clause → variant name (from --variant). */
  variants?: Record<string, string>;
  root?: string;
}

type Raw = Record<string, unknown>;

function readYaml(file: string): Raw {
  try {
    const v = parseYaml(readFileSync(file, 'utf8'));
    if (typeof v !== 'object' || v === null) throw new Error('not a mapping');
    return v as Raw;
  } catch (err) {
    throw new PolicyError(`${file}: ${(err as Error).message}`);
  }
}

const ROUNDING: readonly RoundingMode[] = ['half_up', 'half_even', 'down', 'up'];

/** Load a policy by id from the policies folder, or from an explicit folder path. */
export function loadPolicy(idOrDir: string, opts: LoadOptions = {}): PolicyDef {
  const dir = existsSync(join(idOrDir, 'policy.yaml')) ? resolve(idOrDir) : join(opts.root ?? policiesRoot(), idOrDir);
  const file = join(dir, 'policy.yaml');
  if (!existsSync(file)) throw new PolicyError(`unknown policy '${idOrDir}' (no ${file})`);
  const raw = readYaml(file);
  const id = String(raw.id ?? '');
  if (!id) throw new PolicyError(`${file}: missing id`);

  // Shared definitions (e.g. the contract's reading of 小微企业和三农) may come from included files.
  const includes = (raw.include as string[] | undefined) ?? [];
  const defsRaw: Record<string, Record<string, unknown>> = {};
  const constsRaw: Record<string, unknown> = {};
  for (const inc of includes) {
    const r = readYaml(resolve(dir, inc));
    mergeDefs(defsRaw, r.definitions as Raw | undefined);
    Object.assign(constsRaw, (r.constants as Raw | undefined) ?? {});
  }
  mergeDefs(defsRaw, raw.definitions as Raw | undefined);
  Object.assign(constsRaw, (raw.constants as Raw | undefined) ?? {});

  const constants: Record<string, V> = {};
  const constTypes: Record<string, Ty> = {};
  for (const [k, v] of Object.entries(constsRaw)) {
    const { value, type } = constantValue(v, `${id} constant ${k}`);
    constants[k] = value;
    constTypes[k] = type;
  }

  // Definitions: per table, in order, each may use the earlier ones.
  const definitions: Partial<Record<TableName, Let[]>> = {};
  const defTypes: Partial<Record<TableName, Record<string, Ty>>> = {};
  for (const [table, entries] of Object.entries(defsRaw)) {
    if (!(table in SCHEMA)) throw new PolicyError(`${id}: definitions for unknown table '${table}'`);
    const t = table as TableName;
    definitions[t] = [];
    defTypes[t] = defTypes[t] ?? {};
    for (const [name, body] of Object.entries(entries)) {
      const { source, zh } = letBody(body);
      const lt = makeLet(name, source, zh, `${id} definition ${table}.${name}`);
      const scope = rowScope(t, defTypes, constTypes, {}, {}, undefined);
      lt.type = defTypes[t]![name] = check(lt, scope, `${id} definition ${table}.${name}`);
      definitions[t]!.push(lt);
    }
  }

  let exclusions: PolicyDef['exclusions'] = null;
  if (raw.exclusions) {
    const ex = raw.exclusions as Raw;
    const appliesTo = String(ex.applies_to ?? 'enterprises') as TableName;
    const list: ExclusionDef[] = [];
    for (const [name, body] of Object.entries((ex.list as Raw) ?? {})) {
      const b = body as Raw;
      const lt = makeLet(name, String(b.when), String(b.zh ?? name), `${id} exclusion ${name}`);
      const scope = rowScope(appliesTo, defTypes, constTypes, {}, {}, undefined);
      const t = check(lt, scope, `${id} exclusion ${name}`);
      if (t !== 'bool') throw new PolicyError(`${id} exclusion ${name}: 'when' must be true/false`);
      list.push({ name, zh: String(b.zh ?? name), when: lt, cite: String(b.cite ?? '') });
    }
    exclusions = { appliesTo, list };
  }

  const policy: PolicyDef = {
    id,
    title: String(raw.title ?? id),
    document: String(raw.document ?? ''),
    citation: String(raw.citation ?? raw.title ?? id),
    effective: (raw.effective as PolicyDef['effective']) ?? {},
    jurisdiction: jurisdictionOf(id, raw.jurisdiction),
    dataWindow: (raw.data_window as PolicyDef['dataWindow']) ?? {},
    definitions,
    constants,
    exclusions,
    clauses: [],
    dir,
  };

  const clauseDir = join(dir, 'clauses');
  const files = existsSync(clauseDir) ? readdirSync(clauseDir).filter((f) => f.endsWith('.yaml')) : [];
  for (const f of files) {
    policy.clauses.push(loadClause(policy, join(clauseDir, f), defTypes, constTypes, opts));
  }
  policy.clauses.sort((a, b) => compareClauseIds(a.id, b.id));

  // Every --param and --variant must name something real: a typo must not silently do nothing.
  for (const key of Object.keys(opts.params ?? {})) {
    const [cl, name] = splitParamKey(key);
    const c = policy.clauses.find((x) => x.id === cl);
    if (!c || !c.params[name]) throw new ParamError(`unknown parameter ${id}/${key}`);
  }
  for (const cl of Object.keys(opts.variants ?? {})) {
    if (!policy.clauses.some((x) => x.id === cl)) throw new ParamError(`unknown clause ${id}/${cl} in --variant`);
  }
  return policy;
}

export function splitParamKey(key: string): [string, string] {
  const i = key.lastIndexOf('.');
  if (i <= 0) throw new ParamError(`parameter '${key}' should read <clause>.<name>`);
  return [key.slice(0, i), key.slice(i + 1)];
}

/** "3.1" < "3.2" < "11.1" < "15": numeric part by part. */
export function compareClauseIds(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function mergeDefs(into: Record<string, Record<string, unknown>>, from: Raw | undefined): void {
  for (const [t, entries] of Object.entries(from ?? {})) into[t] = { ...(into[t] ?? {}), ...(entries as Raw) };
}

function constantValue(v: unknown, what: string): { value: V; type: Ty } {
  if (v === 'unlimited' || v === '不设上限') return { value: UNLIMITED, type: 'unlimited' };
  if (Array.isArray(v)) return { value: v.map((x) => (typeof x === 'number' ? literalNumber(x, 'number', what) : String(x))), type: 'list' };
  if (typeof v === 'boolean') return { value: v, type: 'bool' };
  if (typeof v === 'number') return { value: literalNumber(v, 'number', what), type: 'number' };
  const s = String(v);
  if (/%$/.test(s)) return { value: literalNumber(s, 'rate', what), type: 'rate' };
  if (/[元万亿]$/.test(s)) return { value: literalNumber(s, 'money', what), type: 'money' };
  return { value: s, type: 'string' };
}

function letBody(body: unknown): { source: string; zh?: string } {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const b = body as Raw;
    return { source: String(b.expr ?? b.value ?? ''), zh: b.zh === undefined ? undefined : String(b.zh) };
  }
  return { source: typeof body === 'number' ? String(body) : String(body) };
}

function makeLet(name: string, source: string, zh: string | undefined, what: string): Let {
  try {
    return { name, source, expr: parseExpr(source), zh };
  } catch (err) {
    throw new PolicyError(`${what}: ${(err as Error).message}`);
  }
}

function check(lt: Let, scope: Scope, what: string): Ty {
  try {
    return typeOf(lt.expr, scope);
  } catch (err) {
    throw new PolicyError(`${what}: ${(err as Error).message}`);
  }
}

function lets(raw: unknown, what: string): Let[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError(`${what}: expected a mapping of name: expression`);
  return Object.entries(raw as Raw).map(([name, body]) => {
    const { source, zh } = letBody(body);
    return makeLet(name, source, zh, `${what}.${name}`);
  });
}

interface ParamTypes {
  [name: string]: { type: Ty; def: ParamDef };
}

/** Names every scope shares: parameters, constants, the evaluation year. */
function commonRef(path: readonly string[], params: ParamTypes, consts: Record<string, Ty>): Ty | undefined {
  if (path.length !== 1) return undefined;
  const [n] = path;
  if (n === 'this_year') return 'number';
  if (params[n]) return params[n].type;
  return consts[n];
}

function scaleParamOf(params: ParamTypes) {
  return (name: string) => {
    const p = params[name];
    if (!p || p.def.type !== 'scale') return undefined;
    return { scale: p.def.scale ?? 'step', valueType: (p.def.valueType ?? 'number') as Ty };
  };
}

function rowScope(
  table: TableName,
  defTypes: Partial<Record<TableName, Record<string, Ty>>>,
  consts: Record<string, Ty>,
  params: ParamTypes,
  extra: Record<string, Ty>,
  category: Record<string, Ty> | undefined,
): Scope {
  return {
    ref(path) {
      if (path.length === 1 && extra[path[0]]) return extra[path[0]];
      if (category && path[0] === 'category') return path.length === 1 ? 'string' : category[path[1]];
      return fieldType(table, path, defTypes) ?? commonRef(path, params, consts);
    },
    scaleParam: scaleParamOf(params),
    windows: true,
    balances: table === 'loans' || table === 'guarantees',
  };
}

function loadClause(
  policy: PolicyDef,
  file: string,
  defTypes: Partial<Record<TableName, Record<string, Ty>>>,
  constTypes: Record<string, Ty>,
  opts: LoadOptions,
): ClauseDef {
  const raw0 = readYaml(file);
  const id = String(raw0.id ?? '');
  const what = `${policy.id}/${id}`;
  if (!id) throw new PolicyError(`${file}: missing id`);

  // Variants: named overrides of clause keys (dotted keys reach inside, e.g. group.by).
  const variantsRaw = (raw0.variants as Raw | undefined) ?? {};
  const defaultVariant = String(variantsRaw.default ?? 'default');
  const options: Record<string, { text: string }> = {};
  for (const [name, body] of Object.entries(variantsRaw)) {
    if (name === 'default') continue;
    options[name] = { text: String((body as Raw)?.text ?? '') };
  }
  if (Object.keys(options).length === 0) options[defaultVariant] = { text: '' };
  const chosen = opts.variants?.[id] ?? defaultVariant;
  if (!options[chosen]) throw new ParamError(`${what}: unknown variant '${chosen}' (choose from ${Object.keys(options).join(', ')})`);
  const raw: Raw = structuredClone(raw0);
  const set = ((variantsRaw[chosen] as Raw | undefined)?.set as Raw | undefined) ?? {};
  for (const [path, value] of Object.entries(set)) setPath(raw, path.split('.'), value);

  const from = String(raw.from ?? '') as TableName;
  if (!(from in SCHEMA)) throw new PolicyError(`${what}: 'from' must name a table of the data contract, not '${from}'`);
  const recipient = String(raw.recipient ?? '');
  let recipientTable: TableName;
  if (recipient === 'self') recipientTable = from;
  else {
    const rel = relationColumn(from, recipient.replace(/_id$/, ''));
    if (!rel?.ref) throw new PolicyError(`${what}: recipient '${recipient}' is not a foreign key of ${from}`);
    recipientTable = rel.ref;
  }

  // Parameters, with defaults and overrides.
  const params: Record<string, ParamDef> = {};
  const paramTypes: ParamTypes = {};
  for (const [name, body] of Object.entries((raw.parameters as Raw | undefined) ?? {})) {
    const b = body as Raw;
    const type = String(b.type ?? 'number') as ParamDef['type'];
    if (!['money', 'rate', 'number', 'scale', 'choice'].includes(type)) throw new PolicyError(`${what}.${name}: unknown parameter type ${type}`);
    const def: ParamDef = {
      name,
      type,
      scale: b.scale === undefined ? undefined : (String(b.scale) as 'marginal' | 'step'),
      valueType: b.value_type === undefined ? undefined : (String(b.value_type) as 'rate' | 'number' | 'money'),
      open: b.open === true,
      choices: Array.isArray(b.choices) ? b.choices.map(String) : undefined,
      text: String(b.text ?? ''),
      note: b.note === undefined ? undefined : String(b.note),
    };
    if (type === 'scale' && def.valueType === undefined) def.valueType = 'number';
    const numType = type === 'scale' ? (def.valueType ?? 'number') : type === 'choice' ? 'number' : type;
    if (b.max !== undefined) def.max = literalNumber(b.max, numType, `${what}.${name}.max`);
    if (b.min !== undefined) def.min = literalNumber(b.min, numType, `${what}.${name}.min`);
    if (b.value !== undefined && !def.open) {
      def.default =
        type === 'scale' && Array.isArray(b.value)
          ? parseScale(b.value, def.scale ?? 'step', def.valueType ?? 'number', 'number', `${what}.${name}`)
          : parseParamValue({ ...def, max: undefined, min: undefined }, b.value, `${what}.${name}`);
    }
    params[name] = def;
    const ty: Ty = type === 'scale' ? 'scale' : type === 'choice' ? 'string' : type;
    paramTypes[name] = { type: ty, def };
  }
  for (const [key, value] of Object.entries(opts.params ?? {})) {
    const [cl, name] = splitParamKey(key);
    if (cl !== id) continue;
    const def = params[name];
    if (!def) throw new ParamError(`unknown parameter ${policy.id}/${key}`);
    def.default = parseParamValue(def, value, `${policy.id}/${key}`);
    def.open = false;
    def.note = `由运行参数给定（--param ${policy.id}/${key}=${value}）`;
  }

  // Categories (each item once, in the clause's own order, unless mode: each).
  let categories: ClauseDef['categories'];
  const catTypes: Record<string, Ty> = {};
  if (raw.categories) {
    const c = raw.categories as Raw;
    const list: CategoryDef[] = [];
    for (const item of (c.list as Raw[]) ?? []) {
      const name = String(item.name);
      const attrs: Record<string, V> = {};
      for (const [k, v] of Object.entries(item)) {
        if (['name', 'zh', 'when'].includes(k)) continue;
        const cv = constantValue(v, `${what} category ${name}.${k}`);
        attrs[k] = cv.value;
        // An attribute 'unlimited' in one category takes the type of its finite siblings.
        if (catTypes[k] === undefined || catTypes[k] === 'unlimited') catTypes[k] = cv.type;
      }
      list.push({ name, zh: String(item.zh ?? name), when: makeLet(name, String(item.when), undefined, `${what} category ${name}`), whenSource: String(item.when), attrs });
    }
    categories = { mode: c.mode === 'each' ? 'each' : 'first', list, text: String(c.text ?? '') };
  }

  const types: Record<string, Ty> = {};
  const itemExtra: Record<string, Ty> = {};
  const itemScope = rowScope(from, defTypes, constTypes, paramTypes, itemExtra, categories ? catTypes : undefined);

  const where = raw.where === undefined ? undefined : makeLet('where', String(raw.where), '业务范围', `${what}.where`);
  if (where && check(where, { ...itemScope, windows: false }, `${what}.where`) !== 'bool') throw new PolicyError(`${what}.where must be true/false`);
  if (categories) {
    for (const cat of categories.list) {
      if (check(cat.when, itemScope, `${what} category ${cat.name}`) !== 'bool') throw new PolicyError(`${what} category ${cat.name}: 'when' must be true/false`);
    }
  }

  const item = lets(raw.item, `${what}.item`);
  for (const lt of item) itemExtra[lt.name] = types[lt.name] = check(lt, itemScope, `${what}.item.${lt.name}`);

  let group: ClauseDef['group'];
  if (raw.group) {
    const g = raw.group as Raw;
    const byList = (Array.isArray(g.by) ? g.by : [g.by]).map(String);
    const by = byList.map((s, i) => makeLet(`by${i}`, s, undefined, `${what}.group.by`));
    for (const b of by) check(b, itemScope, `${what}.group.by`);
    const groupTypes: Record<string, Ty> = {};
    const groupScope: Scope = {
      ref: (path) => (path.length === 1 && groupTypes[path[0]]) || itemScope.ref(path),
      scaleParam: scaleParamOf(paramTypes),
      rows: itemScope,
    };
    const gl = lets(g.let, `${what}.group.let`);
    for (const lt of gl) groupTypes[lt.name] = check(lt, groupScope, `${what}.group.let.${lt.name}`);
    const alloc = g.allocate as Raw;
    if (!alloc) throw new PolicyError(`${what}.group needs allocate: {value, by, as}`);
    const value = String(alloc.value);
    if (!groupTypes[value]) throw new PolicyError(`${what}.group.allocate.value '${value}' is not a group let`);
    const allocBy = makeLet('by', String(alloc.by), undefined, `${what}.group.allocate.by`);
    check(allocBy, itemScope, `${what}.group.allocate.by`);
    const as = String(alloc.as);
    itemExtra[as] = types[as] = groupTypes[value];
    group = { by, let: gl, allocate: { value, by: allocBy, as }, text: String(g.text ?? '') };
  }

  const partition = raw.partition === 'category';
  if (partition && !categories) throw new PolicyError(`${what}: partition: category needs categories`);

  const cityTypes: Record<string, Ty> = {};
  const cityScope: Scope = {
    ref: (path) => (path.length === 1 && cityTypes[path[0]]) || commonRef(path, paramTypes, constTypes) || (partition && path[0] === 'category' ? itemScope.ref(path) : undefined),
    scaleParam: scaleParamOf(paramTypes),
    rows: itemScope,
  };
  const city = lets(raw.city, `${what}.city`);
  for (const lt of city) cityTypes[lt.name] = types[`city.${lt.name}`] = check(lt, cityScope, `${what}.city.${lt.name}`);

  const recTypes: Record<string, Ty> = {};
  const recScope: Scope = {
    ref(path) {
      if (path.length === 1 && recTypes[path[0]]) return recTypes[path[0]];
      if (path[0] === 'recipient') return path.length === 1 ? 'string' : fieldType(recipientTable, path.slice(1), defTypes);
      if (path[0] === 'city' && path.length === 2) return cityTypes[path[1]];
      if (partition && path[0] === 'category') return itemScope.ref(path);
      return commonRef(path, paramTypes, constTypes);
    },
    scaleParam: scaleParamOf(paramTypes),
    rows: itemScope,
  };
  const let_ = lets(raw.let, `${what}.let`);
  for (const lt of let_) recTypes[lt.name] = types[lt.name] = check(lt, recScope, `${what}.let.${lt.name}`);

  const eligible = raw.eligible === undefined ? undefined : makeLet('eligible', String(raw.eligible), '适用条件', `${what}.eligible`);
  if (eligible && check(eligible, recScope, `${what}.eligible`) !== 'bool') throw new PolicyError(`${what}.eligible must be true/false`);

  let rank: ClauseDef['rank'];
  if (raw.rank) {
    const r = raw.rank as Raw;
    const by = String(r.by);
    if (!recTypes[by] && !(paramTypes[by]?.def.type === 'choice')) throw new PolicyError(`${what}.rank.by must name a let or a choice parameter`);
    const awards = ((r.awards as unknown[]) ?? []).map((a, i) => makeLet(`award${i + 1}`, String(a), undefined, `${what}.rank.awards`));
    for (const a of awards) if (check(a, recScope, `${what}.rank.awards`) !== 'money') throw new PolicyError(`${what}.rank.awards must be amounts`);
    if (paramTypes[by]) for (const c of paramTypes[by].def.choices ?? []) if (!recTypes[c]) throw new PolicyError(`${what}: choice '${c}' of ${by} is not a let`);
    rank = { by, awards, text: String(r.text ?? '') };
  }

  let amount: Let;
  if (raw.amount !== undefined) {
    amount = makeLet('amount', String(raw.amount), '金额', `${what}.amount`);
    const at = check(amount, recScope, `${what}.amount`);
    if (at !== 'money') throw new PolicyError(`${what}.amount must be money, found ${at}`);
  } else if (rank) {
    amount = makeLet('amount', '0元', '金额', `${what}.amount`);
  } else throw new PolicyError(`${what}: missing amount`);

  let cap: ClauseDef['cap'];
  if (raw.cap) {
    const c = raw.cap as Raw;
    const v = makeLet('cap', String(c.value), '上限', `${what}.cap`);
    if (check(v, recScope, `${what}.cap`) !== 'money') throw new PolicyError(`${what}.cap must be money`);
    cap = { value: v, text: String(c.text ?? '') };
  }
  let pool: ClauseDef['pool'];
  if (raw.pool) {
    const p = raw.pool as Raw;
    const v = makeLet('pool', String(p.cap), '资金总额上限', `${what}.pool`);
    if (check(v, cityScope, `${what}.pool`) !== 'money') throw new PolicyError(`${what}.pool.cap must be money`);
    pool = { cap: v, text: String(p.text ?? '') };
  }
  const rounding = String(raw.rounding ?? 'half_up') as RoundingMode;
  if (!ROUNDING.includes(rounding)) throw new PolicyError(`${what}: rounding must be one of ${ROUNDING.join(', ')}`);
  Object.assign(types, Object.fromEntries(Object.entries(paramTypes).map(([k, v]) => [k, v.type])));

  return {
    policy: policy.id,
    id,
    cite: String(raw.cite ?? ''),
    citation: `${policy.citation} ${String(raw.cite ?? '')}`.trim(),
    title: String(raw.title ?? ''),
    text: String(raw.text ?? ''),
    from,
    recipient,
    recipientTable,
    recipientZh: String(raw.recipient_zh ?? recipientTable),
    where,
    categories,
    item,
    group,
    partition,
    city,
    let: let_,
    eligible,
    amount,
    cap,
    rank,
    pool,
    rounding,
    params,
    variants: { default: defaultVariant, options },
    variant: chosen,
    types,
  };
}

function setPath(obj: Raw, path: string[], value: unknown): void {
  let o = obj;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof o[path[i]] !== 'object' || o[path[i]] === null) o[path[i]] = {};
    o = o[path[i]] as Raw;
  }
  o[path[path.length - 1]] = value;
}

function jurisdictionOf(id: string, raw: unknown): PolicyDef['jurisdiction'] {
  if (raw === undefined || raw === null) return null;
  const j = raw as Raw;
  const code = String(j.code ?? '');
  if (!/^\d{6}$/.test(code)) throw new PolicyError(`${id} jurisdiction: code must be a 6-digit GB/T 2260 region code, got '${code}'`);
  return { code, zh: String(j.zh ?? code) };
}
