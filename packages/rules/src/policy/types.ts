// The in-memory form of a policy after loading, type checking and applying variants.

import type { RoundingMode } from '@caijin/core';
import type { TableName } from '@caijin/ledger';
import type { Expr } from '../expr/ast.ts';
import type { Ty } from '../expr/types.ts';
import type { V } from '../values.ts';

export interface ParamDef {
  name: string;
  type: 'money' | 'rate' | 'number' | 'scale' | 'choice';
  /** For scales: marginal (超额累进) or step (分档), and the type of the scale's values. */
  scale?: 'marginal' | 'step';
  valueType?: 'rate' | 'number' | 'money';
  /** The document leaves the figure open: no default; clauses needing it award nothing until given. */
  open: boolean;
  default?: V;
  /** "不高于/不超过 X" sets max = X (and the default is X, said in the trace). */
  min?: V;
  max?: V;
  choices?: readonly string[];
  /** The document's words for this figure. */
  text: string;
  note?: string;
}

export interface Let {
  name: string;
  expr: Expr;
  source: string;
  /** Chinese label for traces, e.g. 代偿率. */
  zh?: string;
  /** Checked type (set for definitions). */
  type?: Ty;
}

export interface CategoryDef {
  name: string;
  zh: string;
  when: Let;
  whenSource: string;
  attrs: Record<string, V>;
}

export interface ClauseDef {
  policy: string;
  id: string;
  /** e.g. "第八条"; the full citation is `${policy.citation} ${cite}`. */
  cite: string;
  citation: string;
  title: string;
  text: string;
  /** Items: the rows this clause counts (loans, guarantees, outlets...). */
  from: TableName;
  /** The item column naming the recipient, or 'self' when each item row is itself the recipient. */
  recipient: string;
  recipientTable: TableName;
  /** Chinese name of the recipient role, e.g. 担保机构. */
  recipientZh: string;
  where?: Let;
  categories?: { mode: 'first' | 'each'; list: CategoryDef[]; text: string };
  item: Let[];
  group?: { by: Let[]; let: Let[]; allocate: { value: string; by: Let; as: string }; text: string };
  partition: boolean;
  city: Let[];
  let: Let[];
  eligible?: Let;
  amount: Let;
  cap?: { value: Let; text: string };
  rank?: { by: string; awards: Let[]; text: string };
  pool?: { cap: Let; text: string };
  rounding: RoundingMode;
  params: Record<string, ParamDef>;
  variants: { default: string; options: Record<string, { text: string }> };
  variant: string;
  /** Types of every name in scope, after checking (for trace formatting). */
  types: Record<string, Ty>;
}

export interface ExclusionDef {
  name: string;
  zh: string;
  when: Let;
  cite: string;
}

export interface PolicyDef {
  id: string;
  title: string;
  document: string;
  citation: string;
  effective: { from?: string; to?: string };
  /** Where the issuing government's policy applies (GB/T 2260 code of the city or county), e.g. 330300 温州市. */
  jurisdiction: { code: string; zh: string } | null;
  dataWindow: { from?: string; to?: string };
  /** Named, reusable row predicates and values per table (virtual fields), e.g. guarantees.small_micro_agri. */
  definitions: Partial<Record<TableName, Let[]>>;
  constants: Record<string, V>;
  exclusions: { appliesTo: TableName; list: ExclusionDef[] } | null;
  clauses: ClauseDef[];
  dir: string;
}
