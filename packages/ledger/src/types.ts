// The typed, columnar shape of an accepted bundle. Every table is a set of equally long columns;
// rows are addressed by dense index (0..length-1), and every foreign key is stored as the row
// index of the row it points to, so joins are array look-ups.

/** Column types of the data contract (§1). */
export type ColumnType =
  | 'id' //        free-form unique id of the row (loan number, guarantee number...)
  | 'party' //     USCC, 公民身份号码 or P- pseudonym (enterprises.id)
  | 'uscc' //      统一社会信用代码 only (institutions.id)
  | 'string'
  | 'enum' //      one of `values`
  | 'money' //     fen, integer
  | 'rate' //      `_pct` column, stored as a fraction scaled by RATE_SCALE (0.8% → 0.008 × 1e8 = 800000)
  | 'int' //       whole number (employees, counts)
  | 'year'
  | 'date' //      days since 1970-01-01
  | 'month' //     year*12 + (month-1)
  | 'bool'
  | 'tags' //      ;-separated tags from `values`, stored as a bit mask (bit i = values[i])
  | 'region'; //   6-digit GB/T 2260 code, stored as a string

/** A `rate` column value v means the fraction v / RATE_SCALE (exact for up to 6 decimals of a percent). */
export const RATE_SCALE = 100_000_000;

export interface ColumnSchema {
  key: string; //            English key, e.g. "amount"
  zh: string; //             Chinese header, e.g. "合同金额(元)"
  type: ColumnType;
  required?: boolean;
  values?: readonly string[]; // enum / tags
  /** Foreign key: the referenced table (its `id` column, or for institution_years its (institution_id, year)). */
  ref?: TableName;
  /** Extra accepted header spellings (e.g. "金额"). */
  aliases?: readonly string[];
  /** Chinese label of each of `values` (same order); accepted in cells as well as the English value. */
  labels?: readonly string[];
  /** For a `ref` to institutions: the institution kinds the referenced row may have. */
  refKinds?: readonly string[];
  /** Negative values allowed (no column of contract v1 sets this). */
  signed?: boolean;
  /**
   * How rows usually come (a loan's balances together, month after month): a snapshot may store
   * the column as runs of values that repeat (0) or count up by one (1), where that is at most
   * half the bytes.
   */
  runStep?: 0 | 1;
}

export type TableName =
  | 'institutions'
  | 'institution_years'
  | 'enterprises'
  | 'loans'
  | 'loan_balances'
  | 'loan_losses'
  | 'guarantees'
  | 'guarantee_balances'
  | 'guarantee_events'
  | 'outlets'
  | 'special_branches'
  | 'insurance_products'
  | 'insurance_policies'
  | 'securitizations'
  | 'supply_chain_financings'
  | 'fintech_projects';

export interface TableSchema {
  name: TableName;
  zh: string; //             e.g. "贷款"
  columns: readonly ColumnSchema[];
  /** Columns whose combination must be unique (e.g. ['id'], or ['loan_id','month']). */
  unique?: readonly string[];
}

/**
 * One column of values. Numbers use NaN for an empty cell; strings/enums are dictionary-encoded
 * (codes[i] indexes dict, -1 = empty); bools are 0/1 with -1 for empty; tags are bit masks.
 * A column with `ref` additionally carries `refIndex`: the row index in the referenced table (-1 if empty).
 */
export type Column =
  | { type: 'money' | 'rate' | 'int' | 'year' | 'date' | 'month'; values: Float64Array; refIndex?: Int32Array }
  | { type: 'id' | 'party' | 'uscc' | 'string' | 'enum' | 'region'; codes: Int32Array; dict: string[]; refIndex?: Int32Array }
  | { type: 'bool'; values: Int8Array }
  | { type: 'tags'; masks: Uint32Array; tags: readonly string[] };

/** A column of dictionary-encoded text (ids, strings, enums, regions). */
export type DictColumn = Extract<Column, { codes: Int32Array }>;

export interface Table {
  name: TableName;
  length: number;
  columns: Record<string, Column>; // by English key; every schema column is present (empty if absent in the file)
  /** Where each row came from, for error messages and traces: file name and 1-based row number (header = row 1). */
  source: { file: string; rows: Int32Array };
  /** Unknown columns, kept as-is (raw strings). */
  extra: Record<string, string[]>;
}

export interface Bundle {
  /** Only the files present in the bundle. */
  tables: Partial<Record<TableName, Table>>;
  /** Human-readable origin (folder or workbook path). */
  origin: string;
  warnings: string[];
  /** SHA-256 (hex) of the snapshot the bundle was read from (see snapshot.ts); absent for a bundle parsed from CSV/XLSX. */
  hash?: string;
}

/** One problem with the input. Messages are Chinese first, with the English key. */
export interface LedgerError {
  file: string;
  row?: number; //     1-based, header is row 1
  column?: string; //  English key (the header as written goes in `header`)
  header?: string;
  value?: string;
  key: string; //      English error key, e.g. "uscc.check_char"
  zh: string; //       e.g. "统一社会信用代码校验位错误，应为 Y"
}

export class BundleError extends Error {
  readonly errors: LedgerError[];
  constructor(errors: LedgerError[]) {
    super(`${errors.length} error(s) in the bundle`);
    this.name = 'BundleError';
    this.errors = errors;
  }
}
