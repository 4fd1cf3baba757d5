export { loadScheme, listSchemeIds, schemesRoot, allIndicators, SchemeError, type Scheme, type Indicator, type Method } from './scheme.ts';
export { readInputs, type EvalInputs, type SheetRow, type HistoryEntry } from './inputs.ts';
export { evaluateScheme, type EvaluationResult, type UnitResult, type Breakdown, type EvaluateOptions } from './evaluate.ts';
export { scoreLeaf, showUnit } from './methods.ts';
export { DATA_INDICATORS } from './indicators.ts';
