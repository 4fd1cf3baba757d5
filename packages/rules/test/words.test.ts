// Formulas in words: the explanation shows each step's formula with Chinese labels for names,
// parameters by their values and operators and functions in Chinese, beside the formula as written.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBundle } from '@caijin/demo-data';
import { loadBundle } from '@caijin/ledger';
import { parseExpr } from '../src/expr/parse.ts';
import { show } from '../src/expr/ast.ts';
import { showInWords } from '../src/expr/zh.ts';
import { computePolicy, loadPolicy } from '../src/index.ts';

describe('showInWords', () => {
  const names: Record<string, string> = { amount: '担保金额(元)', issued: '当年新增', 'recipient.level': '机构层级' };
  const words = (src: string) => showInWords(parseExpr(src), (path) => names[path.join('.')]);

  it('names, operators, functions and booleans in Chinese; unknown names as written', () => {
    expect(words('sum(amount where issued and not late) / count() >= 10')).toBe('(合计(担保金额(元) 其中 当年新增 且 非 late) ÷ 笔数()) ≥ 10');
    expect(words('recipient.level = "city" or issued != true')).toBe('(机构层级 = "city") 或 (当年新增 ≠ 是)');
    expect(words('max(amount - 5万元, 0元) * 1%')).toBe('取大(担保金额(元) - 50000元, 0元) × 1%');
  });

  it('leaves the written form alone', () => {
    expect(show(parseExpr('sum(amount where issued) / count() >= 10'))).toBe('(sum(amount where issued) / count()) >= 10');
  });
});

describe('traces carry the formula in words', () => {
  it('Wenzhou 3.1 and 7: labels, parameter values and functions in words, the written form kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caijin-words-'));
    try {
      await generateBundle({ city: 'wenzhou', size: 'small', seed: 1, out: dir });
      const bundle = await loadBundle(dir);
      const r = computePolicy(loadPolicy('wenzhou-2022'), bundle, 2022);
      const step = (clause: string, label: string) => r.awards.find((a) => a.clause === clause)!.trace.find((s) => s.label === label)!;
      const amount31 = step('3.1', '计算金额');
      expect(amount31.expr).toBe('loss * compensation_share');
      expect(amount31.exprZh).toBe('本金实际损失合计 × 30%');
      expect(step('3.1', '本金实际损失合计').exprZh).toBe('合计(当年度发放贷款在当年确认的本金实际损失)');
      const fee = r.awards.find((a) => a.clause === '7')!.trace.find((s) => s.label.startsWith('当年发放业务的平均担保费率'))!;
      expect(fee.exprZh).toBe('合计(担保金额(元) × 年化担保费率(%) 其中 当年新增) ÷ 合计(担保金额(元) 其中 当年新增 且 已填(年化担保费率(%)))');
      // A recipient's own field, through `recipient.`
      expect(step('7', '适用条件').exprZh).not.toContain('recipient.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
