export { loadPolicy, listPolicyIds, policiesRoot, PolicyError, type LoadOptions } from './policy/load.ts';
export { ParamError } from './policy/params.ts';
export type { PolicyDef, ClauseDef, ParamDef } from './policy/types.ts';
export { computePolicy, type PolicyResult, type Award, type ComputeOptions, type ClauseSummary } from './run.ts';
export type { TraceStep, TraceRow } from './eval/traced.ts';
export { parseExpr, ExprSyntaxError } from './expr/parse.ts';
export { show } from './expr/ast.ts';
export { allocatePool, rankAwards, splitProportionally } from './eval/allocate.ts';
export { showValue } from './values.ts';
