// `caijin`: the batch interface of data-contract §2. Exit codes: 0 computed, 1 bad input (errors on
// stderr, nothing written), 2 usage.

import { writeFileSync } from 'node:fs';
import { BundleError, loadBundle, checkBundle, writeSnapshot, type LedgerError } from '@caijin/ledger';
import { computePolicy, listPolicyIds, loadPolicy, ParamError, PolicyError, showValue, type PolicyDef } from '@caijin/rules';
import { generateBundle, type DemoCity, type DemoSize } from '@caijin/demo-data';
import { many, one, onlyFlags, parseArgs, UsageError, yearArg, type Parsed } from './args.ts';
import { renderTable, renderTrace } from './format.ts';
import { evaluateCommand } from './evaluate.ts';
import { SchemeError } from '@caijin/evaluate';
import { writeWorkbook } from './xlsx.ts';
import { auditCommand, dbCommand, serveCommand } from './serve.ts';
import { apiCommand } from './api.ts';

const USAGE = `caijin — 财政支持小微企业金融政策的可执行规则

用法 usage:
  caijin compute --policy <id> --year <YYYY> --data <folder|workbook.xlsx|snapshot>
                 [--param <policy>/<clause>.<name>=<value>]... [--variant <policy>/<clause>=<name>]...
                 [--format json|table|xlsx] [--out <file>] [--no-trace]
  caijin explain --policy <id> --year <YYYY> --data <...> --clause <clause> --recipient <id> [--format text|json]
  caijin check   --data <folder|workbook.xlsx|snapshot>
  caijin snapshot --data <folder|workbook.xlsx|snapshot> --out <dir>
  caijin policies list
  caijin policies show <id>
  caijin evaluate --scheme <id> --year <YYYY> [--sheet <file.csv|xlsx>] [--flags <file>] [--history <result.json>]...
                 [--data <bundle>] [--select N] [--format json|table|xlsx] [--out <file>]
  caijin demo-data --city <wenzhou|linhai|liaocheng> --size <small|city|province> --seed <N> --out <dir>
                 [--fraction <0.0625>] [--encoding utf-8|gb18030] [--year <YYYY>]
                 [--format csv|snapshot] [--workers <N>]

  caijin serve [--demo] [--port 8080] [--host 127.0.0.1] [--data-dir caijin-data] [--database-url <postgres://…>]
  caijin audit verify [--data-dir <dir> | --database-url <url>]
  caijin db migrate|backup --out <file>|restore --from <file> [--data-dir <dir> | --database-url <url>]
  caijin api GET|POST /api/<path> [--body <json>] --user <name> [--password-env CAIJIN_PASSWORD] [--url <server>]

  --data also takes a snapshot directory written by \`caijin snapshot\` (loads without re-parsing).
  demo-data --format snapshot writes the snapshot the CSV files would import to, without the CSV
  (into <dir>/<hash>); --workers 0 generates on one thread (the data does not depend on it).
`;

export async function main(argv: string[]): Promise<number> {
  try {
    const p = parseArgs(argv);
    const [cmd, sub] = p.positional;
    if (!cmd || p.flags.has('help')) {
      process.stdout.write(USAGE);
      return cmd ? 0 : 2;
    }
    switch (cmd) {
      case 'compute':
        return await compute(p);
      case 'explain':
        return await explain(p);
      case 'check':
        return await check(p);
      case 'snapshot':
        return await snapshot(p);
      case 'policies':
        return policies(p, sub);
      case 'demo-data':
        return await demoData(p);
      case 'evaluate':
        return await evaluateCommand(p);
      case 'serve':
        return await serveCommand(p);
      case 'audit':
        return await auditCommand(p, sub);
      case 'db':
        return await dbCommand(p, sub);
      case 'api':
        return await apiCommand(p);
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (err) {
    if (err instanceof BundleError) {
      printErrors(err.errors);
      return 1;
    }
    if (err instanceof UsageError || err instanceof ParamError || err instanceof PolicyError || err instanceof SchemeError) {
      process.stderr.write(`caijin: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

function printErrors(errors: LedgerError[]): void {
  process.stderr.write(`数据包校验未通过，共 ${errors.length} 处错误，未做任何计算 (bundle rejected: ${errors.length} error(s)):\n`);
  for (const e of errors) {
    const where = [e.file, e.row !== undefined ? `第${e.row}行` : '', e.column ? `列 ${e.column}${e.header && e.header !== e.column ? `(${e.header})` : ''}` : ''].filter(Boolean).join(' ');
    const value = e.value !== undefined ? ` 值 "${e.value}"` : '';
    process.stderr.write(`  ${where}${value}：${e.zh} [${e.key}]\n`);
  }
}

/** --param wenzhou-2022/8.leverage_coefficient=1.2 → { '8.leverage_coefficient': '1.2' } for this policy. */
function policyOptions(p: Parsed, policyId: string): { params: Record<string, string>; variants: Record<string, string> } {
  const params: Record<string, string> = {};
  for (const raw of many(p, 'param')) {
    const eq = raw.indexOf('=');
    if (eq < 0) throw new UsageError(`--param '${raw}' should read <policy>/<clause>.<name>=<value>`);
    const key = raw.slice(0, eq);
    const slash = key.indexOf('/');
    if (slash < 0) throw new UsageError(`--param '${raw}' should start with the policy id`);
    if (key.slice(0, slash) !== policyId) throw new UsageError(`--param '${raw}' is for another policy than ${policyId}`);
    params[key.slice(slash + 1)] = raw.slice(eq + 1);
  }
  const variants: Record<string, string> = {};
  for (const raw of many(p, 'variant')) {
    const m = /^([^/]+)\/([^=]+)=(.+)$/.exec(raw);
    if (!m) throw new UsageError(`--variant '${raw}' should read <policy>/<clause>=<name>`);
    if (m[1] !== policyId) throw new UsageError(`--variant '${raw}' is for another policy than ${policyId}`);
    variants[m[2]] = m[3];
  }
  return { params, variants };
}

async function compute(p: Parsed): Promise<number> {
  onlyFlags(p, ['policy', 'year', 'data', 'param', 'variant', 'format', 'out', 'no-trace', 'clause', 'max-rows']);
  const policyId = one(p, 'policy', true)!;
  const year = yearArg(p);
  const data = one(p, 'data', true)!;
  const format = one(p, 'format') ?? (process.stdout.isTTY ? 'table' : 'json');
  if (!['json', 'table', 'xlsx'].includes(format)) throw new UsageError(`--format must be json, table or xlsx`);
  const out = one(p, 'out');
  if (format === 'xlsx' && !out) throw new UsageError('--format xlsx needs --out <file.xlsx>');
  const policy = loadPolicy(policyId, policyOptions(p, policyId));
  const bundle = await loadBundle(data);
  const clauses = many(p, 'clause');
  const result = computePolicy(policy, bundle, year, {
    trace: !p.flags.has('no-trace'),
    clauses: clauses.length ? clauses : undefined,
    maxTraceRows: Number(one(p, 'max-rows') ?? 50),
  });
  if (format === 'xlsx') {
    await writeWorkbook(result, out!);
    process.stderr.write(`已写入 ${out}：${result.awards.length} 项奖补，合计 ${result.total} 元\n`);
    return 0;
  }
  const text = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : renderTable(result);
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return 0;
}

async function explain(p: Parsed): Promise<number> {
  onlyFlags(p, ['policy', 'year', 'data', 'param', 'variant', 'clause', 'recipient', 'format', 'max-rows']);
  const policyId = one(p, 'policy', true)!;
  const year = yearArg(p);
  const clause = one(p, 'clause', true)!;
  const recipient = one(p, 'recipient', true)!;
  const policy = loadPolicy(policyId, policyOptions(p, policyId));
  if (!policy.clauses.some((c) => c.id === clause)) throw new UsageError(`${policyId} has no clause '${clause}' (${policy.clauses.map((c) => c.id).join(', ')})`);
  const bundle = await loadBundle(one(p, 'data', true)!);
  const result = computePolicy(policy, bundle, year, { clauses: [clause], focus: [recipient], maxTraceRows: Number(one(p, 'max-rows') ?? 200) });
  const awards = result.awards.filter((a) => a.recipient === recipient);
  if (one(p, 'format') === 'json') {
    process.stdout.write(JSON.stringify({ ...result, awards }, null, 2) + '\n');
    return 0;
  }
  if (awards.length === 0) {
    const why = result.unset.length ? `所需参数未设定：${result.unset.join('，')}` : result.excluded.find((x) => x.recipient === recipient) ? `按附则不予享受：${result.excluded.find((x) => x.recipient === recipient)!.exclusions.join('、')}` : '该对象没有纳入本条款计算的业务';
    process.stdout.write(`${policy.citation} 第 ${clause} 项：对象 ${recipient} 无奖补。${why}\n`);
    for (const w of result.warnings) process.stdout.write(`提示：${w}\n`);
    return 0;
  }
  for (const a of awards) process.stdout.write(renderTrace(a));
  for (const w of result.warnings) process.stdout.write(`提示：${w}\n`);
  return 0;
}

async function check(p: Parsed): Promise<number> {
  onlyFlags(p, ['data']);
  const data = one(p, 'data', true)!;
  const errors = await checkBundle(data);
  if (errors.length > 0) {
    printErrors(errors);
    return 1;
  }
  process.stdout.write(`数据包校验通过 (bundle OK): ${data}\n`);
  return 0;
}

async function snapshot(p: Parsed): Promise<number> {
  onlyFlags(p, ['data', 'out']);
  const data = one(p, 'data', true)!;
  const out = one(p, 'out', true)!;
  const bundle = await loadBundle(data); // BundleError → exit 1 with the error list
  const { path, hash } = await writeSnapshot(bundle, out);
  process.stdout.write(`${path}\n${hash}\n`);
  return 0;
}

function policies(p: Parsed, sub: string | undefined): number {
  if (sub === 'list') {
    for (const id of listPolicyIds()) {
      const pol = loadPolicy(id);
      process.stdout.write(`${id}\t${pol.title}\t条款 ${pol.clauses.map((c) => c.id).join(', ')}\n`);
    }
    return 0;
  }
  if (sub === 'show') {
    const id = p.positional[2];
    if (!id) throw new UsageError('policies show needs a policy id');
    process.stdout.write(describePolicy(loadPolicy(id)));
    return 0;
  }
  throw new UsageError('policies needs list or show <id>');
}

export function describePolicy(pol: PolicyDef): string {
  const out: string[] = [`${pol.id}：${pol.title}`, `文件：${pol.document}`, `有效期：${pol.effective.from ?? '…'} 至 ${pol.effective.to ?? '…'}`];
  if (pol.exclusions) out.push(`不予享受（适用于领取资金的${pol.exclusions.appliesTo}）：${pol.exclusions.list.map((x) => x.zh).join('；')}`);
  for (const c of pol.clauses) {
    out.push('', `【${c.id}】${c.title}（${c.citation}）`, `  原文：${c.text}`, `  对象：${c.recipientZh}（${c.from} → ${c.recipient}）`);
    for (const prm of Object.values(c.params)) {
      const v = prm.default === undefined ? '未设定（文件未明确，须用 --param 给定）' : showValue(prm.default, prm.type === 'scale' || prm.type === 'choice' ? undefined : prm.type);
      out.push(`  参数 ${c.policy}/${c.id}.${prm.name} = ${v}${prm.text ? `｜${prm.text}` : ''}${prm.note ? `｜${prm.note}` : ''}${prm.choices ? `｜可选：${prm.choices.join(', ')}` : ''}`);
    }
    const names = Object.keys(c.variants.options);
    if (names.length > 1 || c.variants.options[c.variants.default]?.text) {
      for (const n of names) out.push(`  口径 ${c.policy}/${c.id}=${n}${n === c.variants.default ? '（默认）' : ''}：${c.variants.options[n].text}`);
    }
  }
  return out.join('\n') + '\n';
}

async function demoData(p: Parsed): Promise<number> {
  onlyFlags(p, ['city', 'size', 'seed', 'out', 'year', 'fraction', 'encoding', 'format', 'workers']);
  const city = one(p, 'city', true)! as DemoCity;
  if (!['wenzhou', 'linhai', 'liaocheng'].includes(city)) throw new UsageError('--city must be wenzhou, linhai or liaocheng');
  const size = (one(p, 'size') ?? 'city') as DemoSize;
  if (!['small', 'city', 'province'].includes(size)) throw new UsageError('--size must be small, city or province');
  const seed = Number(one(p, 'seed') ?? '1');
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
  const out = one(p, 'out', true)!;
  const year = one(p, 'year');
  const fractionText = one(p, 'fraction');
  const fraction = fractionText === undefined ? undefined : Number(fractionText);
  if (fraction !== undefined && !(Number.isFinite(fraction) && fraction > 0 && fraction <= 64)) throw new UsageError('--fraction must be a number in (0, 64], e.g. 0.0625');
  const encoding = (one(p, 'encoding') ?? 'utf-8').toLowerCase();
  if (encoding !== 'utf-8' && encoding !== 'gb18030') throw new UsageError('--encoding must be utf-8 or gb18030');
  const format = one(p, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'snapshot') throw new UsageError('--format must be csv or snapshot');
  const workersText = one(p, 'workers');
  const workers = workersText === undefined ? undefined : Number(workersText);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64)) throw new UsageError('--workers must be a whole number from 0 to 64');
  const res = await generateBundle({ city, size, seed, out, year: year ? Number(year) : undefined, fraction, encoding, format, workers });
  const rows = Object.values(res.files).reduce((a, b) => a + b, 0);
  const label = fraction === undefined || fraction === 1 ? size : `${size}×${fraction}`;
  if (res.snapshot) {
    process.stdout.write(`${res.snapshot.path}\n${res.snapshot.hash}\n`);
    process.stderr.write(`已生成 ${city} ${label} 数据包快照（seed ${seed}）：${res.snapshot.path}，${Object.keys(res.files).length} 个表，${rows} 行\n`);
    return 0;
  }
  process.stderr.write(`已生成 ${city} ${label} 数据包（seed ${seed}${encoding === 'gb18030' ? '，GB18030 编码' : ''}）：${res.out}，${Object.keys(res.files).length} 个文件，${rows} 行\n`);
  return 0;
}
