// Which department fills which indicator, read from the scheme's own `filled_by` text (the
// document's 填报口径): the district part before "；市：", parentheses dropped, first department
// named leads (牵头) and fills; "同一级指标N" inherits from indicator N.
import type { Indicator, Scheme } from '@caijin/evaluate';
import type { Department } from '../org/units.ts';

const WORDS: [RegExp, Department][] = [
  [/人民银行/, 'pboc'],
  [/银保监|金融监管/, 'regulator'],
  [/财政局|财政部门/, 'finance'],
  [/金融局|金融工作/, 'financial_office'],
  [/科技/, 'science'],
  [/工信|工业和信息化/, 'industry'],
];

export function departmentsIn(text: string): Department[] {
  const district = text.split(/；\s*市：/)[0].replace(/（[^）]*）|\([^)]*\)/g, '').replace(/^区：/, '');
  const found: { at: number; d: Department }[] = [];
  for (const [re, d] of WORDS) {
    const m = re.exec(district);
    if (m) found.push({ at: m.index, d });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.d);
}

/** Leaf indicator id → the department that fills it at district level. */
export function leadDepartments(scheme: Scheme): Map<string, Department> {
  const out = new Map<string, Department>();
  const walk = (ind: Indicator, inherited: Department | undefined) => {
    const text = ind.filledBy ?? '';
    const same = /同一级指标\s*(\S+)/.exec(text);
    const own = same ? inherited : (departmentsIn(text)[0] ?? inherited);
    const children = ind.children;
    if (children.length === 0 && own) out.set(ind.id, own);
    for (const c of children) walk(c, own);
  };
  for (const i of scheme.indicators) walk(i, undefined);
  return out;
}
