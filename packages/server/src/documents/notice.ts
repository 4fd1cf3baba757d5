// Printable A4 documents: the 公示 notice of a published result and an evaluation's 计分表, laid
// out after GB/T 9704 (版心 156 × 225 mm: top 37 mm, left 28 mm; title 2号 (22 pt) 小标宋-like,
// body 3号 (16 pt) 仿宋-like, 28 characters a line). The fonts are Noto Serif/Sans CJK, which
// `.ci/run` installs with Debian's fonts-noto-cjk, so they render on a fresh machine; PDFs come from
// Debian's chromium printing this HTML (no network, no other tool).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fenOf } from '../routes/library.ts';

export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 1234567.80 → 1,234,567.80 (from the yuan string, never through a float). */
export function groupYuan(yuan: string): string {
  const [i, d] = yuan.replace('-', '').split('.');
  return `${yuan.startsWith('-') ? '-' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(d ?? '').padEnd(2, '0')}`;
}
/** Yuan → 万元 with 2 decimals, half-up, exact. */
export function wanYuan(yuan: string): string {
  const fen = fenOf(yuan);
  const q = (fen * 100n + 500_000n) / 1_000_000n; // hundredths of 万元
  return `${q / 100n}.${String(q % 100n).padStart(2, '0')}`;
}

const STYLE = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { font-family: "Noto Serif CJK SC", "Noto Serif SC", "FangSong", "STFangsong", serif; color: #000; }
body { margin: 0; font-size: 16pt; line-height: 28.9pt; }
.issuer { text-align: center; color: #c00; font-size: 26pt; letter-spacing: 2pt; font-weight: 700; margin: 0 0 4mm; }
.rule { border: 0; border-top: 1.2pt solid #c00; margin: 0 0 10mm; }
h1 { font-family: "Noto Serif CJK SC", serif; font-weight: 700; font-size: 22pt; line-height: 1.5; text-align: center; margin: 0 0 8mm; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table { width: 100%; border-collapse: collapse; margin: 4mm 0; font-family: "Noto Sans CJK SC", sans-serif; font-size: 10.5pt; line-height: 1.5; page-break-inside: auto; }
th, td { border: 0.75pt solid #000; padding: 1mm 1.5mm; }
th { font-weight: 700; text-align: center; background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { page-break-inside: avoid; }
tr.total td { font-weight: 700; }
.sign { text-align: right; margin-top: 12mm; line-height: 1.8; }
.note { font-size: 12pt; line-height: 1.6; text-indent: 0; margin-top: 3mm; }
`;

export interface NoticeInput {
  issuer: string;
  title: string;
  programme: string;
  year: number;
  publishedAt: string;
  noticeUntil: string;
  kind: 'policy' | 'scheme';
  result: Record<string, any>;
}

/** The 公示 notice of a published result, as a self-contained HTML page (no scripts, no fetches). */
export function noticeHtml(n: NoticeInput): string {
  let body = '';
  if (n.kind === 'policy') {
    const awards: { clause: string; recipient: string; recipient_name?: string; amount: string; citation: string }[] = n.result.awards ?? [];
    const rows = awards.map((a, i) => `<tr><td class="num">${i + 1}</td><td>${esc(a.recipient_name ?? a.recipient)}</td><td>${esc(a.recipient)}</td><td>${esc(a.citation)}</td><td class="num">${groupYuan(a.amount)}</td></tr>`).join('');
    body = `<p>根据《${esc(n.programme)}》有关规定，经数据报送、审核和计算，现将${n.year}年度奖补资金拟安排情况予以公示（共 ${awards.length} 项，合计 ${groupYuan(n.result.total)} 元，即 ${wanYuan(n.result.total)} 万元）。</p>
<p>公示期自 ${esc(n.publishedAt)} 至 ${esc(n.noticeUntil)}。如对公示内容有异议，请在公示期内通过财金平台“公示结果”页面实名提出，并说明事实和理由。</p>
<table><thead><tr><th>序号</th><th>单位（主体）名称</th><th>统一社会信用代码</th><th>政策条款</th><th>金额（元）</th></tr></thead><tbody>${rows}
<tr class="total"><td colspan="4">合计</td><td class="num">${groupYuan(n.result.total)}</td></tr></tbody></table>
<p class="note">注：金额按政策条款逐项计算，精确到分；个人身份证号码已作脱敏处理。</p>`;
  } else {
    const results: { unit: string; name?: string; score: string; grade: string; rank: number; reward?: string }[] = n.result.results ?? [];
    const rows = results.map((r) => `<tr><td class="num">${r.rank}</td><td>${esc(r.name ?? r.unit)}</td><td class="num">${esc(r.score)}</td><td>${esc(r.grade)}</td><td class="num">${r.reward ? groupYuan(r.reward) : '—'}</td></tr>`).join('');
    body = `<p>根据《${esc(n.programme)}》有关规定，现将${n.year}年度绩效评价结果予以公示。</p>
<p>公示期自 ${esc(n.publishedAt)} 至 ${esc(n.noticeUntil)}。如有异议，请在公示期内通过财金平台提出。</p>
<table><thead><tr><th>排名</th><th>单位</th><th>得分</th><th>等次</th><th>奖励（元）</th></tr></thead><tbody>${rows}</tbody></table>`;
  }
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(n.title)}</title><style>${STYLE}</style></head><body>
<div class="issuer">${esc(n.issuer)}</div><hr class="rule">
<h1>${esc(n.title)}</h1>
${body}
<div class="sign">${esc(n.issuer)}<br>${esc(n.publishedAt)}</div>
</body></html>`;
}

/** One unit's 计分表 (evaluation score sheet), indicator by indicator. */
export function scoreSheetHtml(issuer: string, title: string, year: number, r: Record<string, any>): string {
  const rows: string[] = [];
  const walk = (b: any, depth: number) => {
    rows.push(`<tr><td style="padding-left:${1.5 + depth * 4}mm">${esc(b.name)}</td><td class="num">${esc(b.points)}</td><td class="num">${esc(b.actual ?? '')}</td><td class="num">${esc(b.target ?? '')}</td><td class="num">${esc(b.score)}</td><td>${esc(b.explain)}</td></tr>`);
    for (const c of b.children ?? []) walk(c, depth + 1);
  };
  for (const b of r.breakdown ?? []) walk(b, 0);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>计分表</title><style>${STYLE}</style></head><body>
<h1>${esc(title)}<br>${year}年度计分表</h1>
<p>被评价单位：${esc(r.name ?? r.unit)}；总分 ${esc(r.score)}；等次 ${esc(r.grade)}；排名 ${esc(r.rank)}。</p>
<table><thead><tr><th>指标</th><th>分值</th><th>实际值</th><th>目标值</th><th>得分</th><th>计分说明</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<div class="sign">${esc(issuer)}</div></body></html>`;
}

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;

/** Print HTML to an A4 PDF with Debian's chromium; null when chromium is not installed. */
export async function htmlToPdf(html: string): Promise<Buffer | null> {
  if (!CHROMIUM) return null;
  const dir = mkdtempSync(join(tmpdir(), 'caijin-pdf-'));
  try {
    const src = join(dir, 'doc.html');
    const out = join(dir, 'doc.pdf');
    writeFileSync(src, html);
    await new Promise<void>((resolve, reject) => {
      const p = spawn(CHROMIUM, [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer',
        `--print-to-pdf=${out}`, `file://${src}`,
      ], { stdio: 'ignore' });
      const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
      p.on('error', reject);
      p.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return existsSync(out) ? readFileSync(out) : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
