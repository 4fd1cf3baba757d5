// Human-readable renderings of a result: the terminal table and the explain text.

import { formatWanYuan, formatYuanGrouped, maskPartyId } from '@caijin/core';
import type { Award, PolicyResult, TraceStep } from '@caijin/rules';

function fenOf(amount: string): bigint {
  const [i, f] = amount.split('.');
  const neg = i.startsWith('-');
  const v = BigInt(i.replace('-', '')) * 100n + BigInt(f ?? '0');
  return neg ? -v : v;
}

/** Display width of a string in a terminal (CJK characters take two columns). */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
function pad(s: string, w: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

export function renderTable(r: PolicyResult): string {
  const out: string[] = [];
  out.push(`${r.policy} · ${r.year} 年度 · 合计 ${formatWanYuan(fenOf(r.total))} 万元（${formatYuanGrouped(fenOf(r.total))} 元）`);
  for (const c of r.clauses) {
    const awards = r.awards.filter((a) => a.clause === c.clause);
    const status = c.status === 'computed' ? `${c.recipients} 个对象，合计 ${formatWanYuan(fenOf(c.total))} 万元` : { unset: '参数未设定，未计算', missing_data: '缺少数据文件，未计算', out_of_period: '不在有效期内' }[c.status];
    out.push('');
    out.push(`【${c.clause}】${c.title}（${c.citation}${c.variant !== 'default' ? `，口径：${c.variant}` : ''}）— ${status}`);
    if (c.pools) for (const p of c.pools) out.push(`    总额控制${p.category ? `（${p.category}）` : ''}：上限 ${p.cap} 元，申请 ${p.requested} 元${p.factor ? `，核减系数 ${p.factor}` : '，未核减'}`);
    if (awards.length === 0) continue;
    const rows = awards.map((a) => [maskPartyId(a.recipient), a.recipient_name ?? '', formatYuanGrouped(fenOf(a.amount))]);
    const w = [0, 1, 2].map((k) => Math.max(...rows.map((row) => width(row[k])), [6, 4, 8][k]));
    out.push(`    ${pad('对象代码', w[0])}  ${pad('名称', w[1])}  ${pad('金额(元)', w[2], true)}`);
    for (const row of rows) out.push(`    ${pad(row[0], w[0])}  ${pad(row[1], w[1])}  ${pad(row[2], w[2], true)}`);
  }
  if (r.unset.length > 0) out.push('', `未设定的参数（文件未明确，用 --param 给定）：${r.unset.join('，')}`);
  if (r.excluded.length > 0) out.push('', `按附则不予享受：${r.excluded.map((x) => `${maskPartyId(x.recipient)}（${x.exclusions.join('、')}，第 ${x.clause} 项）`).join('；')}`);
  for (const w of r.warnings) out.push(`提示：${w}`);
  return out.join('\n') + '\n';
}

export function renderTrace(a: Award): string {
  const out: string[] = [];
  out.push(`${a.citation}｜对象 ${a.recipient}${a.recipient_name ? ` ${a.recipient_name}` : ''}｜金额 ${formatYuanGrouped(fenOf(a.amount))} 元`);
  a.trace.forEach((s: TraceStep, i: number) => {
    out.push(`${String(i + 1).padStart(2)}. ${s.label}：${s.value}${s.expr ? `    ← ${s.exprZh ?? s.expr}` : ''}    〔${s.cite}〕`);
    if (s.note) out.push(`    说明：${s.note}`);
    for (const row of s.rows ?? []) {
      const vals = Object.entries(row.values)
        .map(([k, v]) => `${k}=${v}`)
        .join('，');
      out.push(`    · ${row.id}（${row.source}）${vals}`);
    }
    if (s.rowsOmitted) out.push(`    …… 另有 ${s.rowsOmitted} 笔（用 --max-rows 显示更多）`);
  });
  return out.join('\n') + '\n';
}
