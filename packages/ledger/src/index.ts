export * from './types.ts';
export {
  SCHEMA,
  TABLE_NAMES,
  INDUSTRY_PAIRS,
  ENTERPRISE_KINDS,
  SIZES,
  LOAN_PRODUCTS,
  normalizeHeader,
  headerSpellings,
  headerKeyMap,
  tableOfName,
  columnOf,
} from './schema.ts';
export { CsvParser, parseCsvText, decodeCsvBytes, readCsvFile, bomEncoding, type CsvEncoding, type CsvProblem, type CsvSink } from './csv.ts';
export { readWorkbook, cellText, numberText, isPercentFormat, percentText, type XlsxCell, type SheetSink, type WorkbookInfo } from './xlsx.ts';
export { loadBundle, checkBundle, type LoadOptions } from './load.ts';
export { DEFAULT_ERROR_CAP } from './errors.ts';
export {
  writeSnapshot,
  writeSnapshotTables,
  SnapshotDraft,
  readSnapshot,
  dictEntry,
  isSnapshotDir,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  SNAPSHOT_MANIFEST,
  type SnapshotInfo,
  type SnapshotManifest,
  type ReadSnapshotOptions,
  type SnapshotTableInput,
  type SnapshotColumnInput,
  type ArrayInput,
  type DictInput,
} from './snapshot.ts';
export { ArrayStream, DictStream } from './snapshot-stream.ts';
export { Runs, StoredRuns, RunCursor, storedRuns, type RunStep, type RunRole } from './array-shape.ts';
export {
  yearBalances,
  balanceSummary,
  balanceSumOfRows,
  type BalanceSummary,
  balancesAt,
  yearBalanceSums,
  monthlyAverage,
  guaranteeEventSums,
  loanLossSums,
  smallMicroAgriParty,
  smallMicroAgriGuarantee,
  guarantorIndicators,
  type BalanceTable,
  type GuaranteeEventSums,
  type GuarantorIndicators,
  type GuarantorIndicatorOptions,
} from './derived.ts';
