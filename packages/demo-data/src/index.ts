// @caijin/demo-data: deterministic, realistic demo bundles (folders of CSV files following
// shared/data-contract.md §1) for Wenzhou, Linhai and Liaocheng, at three sizes.
export { generateBundle } from './bundle.ts';
export type { DemoOptions, DemoResult, DemoSpec } from './generate.ts';
export type { DemoCity } from './cities.ts';
export type { DemoSize } from './scale.ts';
export { CITIES } from './cities.ts';
export { SCALES, scaleOf, type Scale } from './scale.ts';
export { encodeGb18030 } from './gb18030.ts';
export type { CsvFileEncoding } from './csv.ts';
export { COLUMNS, FILE_NAMES, type FileName } from './columns.ts';
