// Collecting every problem of a bundle (the import never stops at the first), up to a cap.
import type { LedgerError } from './types.ts';

export const DEFAULT_ERROR_CAP = 1000;

export class ErrorList {
  readonly list: LedgerError[] = [];
  total = 0;
  readonly cap: number;

  constructor(cap = DEFAULT_ERROR_CAP) {
    this.cap = cap;
  }

  add(e: LedgerError): void {
    this.total++;
    if (this.list.length < this.cap) this.list.push(e);
  }

  mark(): { total: number; listed: number } {
    return { total: this.total, listed: this.list.length };
  }

  /** Forget everything added since `mark()`. */
  rollback(m: { total: number; listed: number }): void {
    this.total = m.total;
    this.list.length = m.listed;
  }

  /** Add another list's errors after these (as if they had been added here, one by one). */
  merge(other: ErrorList): void {
    for (const e of other.list) this.add(e);
    this.total += other.total - other.list.length;
  }

  get empty(): boolean {
    return this.total === 0;
  }

  /** The errors, with a closing `errors.truncated` entry when more were found than listed. */
  result(): LedgerError[] {
    if (this.total <= this.list.length) return this.list.slice();
    const more = this.total - this.list.length;
    return [
      ...this.list,
      {
        file: this.list[this.list.length - 1]?.file ?? '',
        key: 'errors.truncated',
        zh: `另有 ${more} 个错误未列出（共 ${this.total} 个）；请先修正以上错误后重新检查`,
        value: String(more),
      },
    ];
  }
}

/** "…：应为 X" style context for a cell: "合同金额(元)（amount）". */
export function colLabel(header: string | undefined, key: string): string {
  return header && header !== key ? `${header}（${key}）` : key;
}
