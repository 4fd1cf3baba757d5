// Typed row writers for the tables a loan chunk fills row by row in the millions (guarantees, their
// events, loan losses): each column's buffer is looked up once and enum codes are resolved once,
// instead of TableChunk.row's array of mixed values and per-cell dispatch.
import { enumCode, type Buf, type TableChunk } from './table.ts';

function enumOf(t: TableChunk, key: string): (value: string) => number {
  const spec = t.specs.find((s) => s.key === key);
  if (!spec) throw new Error(`demo-data: ${t.name} has no column ${key}`);
  const codes = new Map((spec.schema.values ?? []).map((v) => [v, enumCode(spec, v)]));
  return (v) => codes.get(v) as number;
}

/** Every column of the table is pushed once per row here: check that none is left out. */
function covers(t: TableChunk, keys: readonly string[]): void {
  const missing = t.specs.filter((s) => !keys.includes(s.key));
  if (missing.length) throw new Error(`demo-data: ${t.name} writer leaves out ${missing.map((s) => s.key).join(', ')}`);
}

export class GuaranteeRows {
  private readonly id: Buf<Float64Array>;
  private readonly guarantor: Buf<Int32Array>;
  private readonly bank: Buf<Int32Array>;
  private readonly borrower: Buf<Int32Array>;
  private readonly kind: Buf<Int32Array>;
  private readonly purpose: Buf<Int32Array>;
  private readonly amount: Buf<Float64Array>;
  private readonly fee: Buf<Float64Array>;
  private readonly start: Buf<Float64Array>;
  private readonly end: Buf<Float64Array>;
  private readonly share: Buf<Float64Array>;
  private readonly platform: Buf<Int8Array>;
  private readonly reguarantor: Buf<Int32Array>;
  /** Enum codes of kind and purpose. */
  readonly kindCode: (v: string) => number;
  readonly purposeCode: (v: string) => number;
  /** The codes of a loan's guarantee: kind loan, purpose business. */
  readonly loanKind: number;
  readonly businessPurpose: number;
  constructor(t: TableChunk) {
    covers(t, ['id', 'guarantor_id', 'bank_id', 'borrower_id', 'kind', 'purpose', 'amount', 'fee_rate_pct', 'start_date', 'end_date', 'bank_risk_share_pct', 'platform', 'reguarantor_id']);
    this.id = t.num('id');
    this.guarantor = t.int('guarantor_id');
    this.bank = t.int('bank_id');
    this.borrower = t.int('borrower_id');
    this.kind = t.int('kind');
    this.purpose = t.int('purpose');
    this.amount = t.num('amount');
    this.fee = t.num('fee_rate_pct');
    this.start = t.num('start_date');
    this.end = t.num('end_date');
    this.share = t.num('bank_risk_share_pct');
    this.platform = t.bool('platform');
    this.reguarantor = t.int('reguarantor_id');
    this.kindCode = enumOf(t, 'kind');
    this.purposeCode = enumOf(t, 'purpose');
    this.loanKind = this.kindCode('loan');
    this.businessPurpose = this.purposeCode('business');
  }
  /** Number (DB<n>), rows of guarantor, bank (-1: none), borrower and re-guarantor (-1: none); amounts in fen, dates in days, rates as stored. */
  push(num: number, guarantor: number, bank: number, borrower: number, kind: number, purpose: number, amount: number, fee: number, start: number, end: number, share: number, platform: boolean, reguarantor: number): void {
    this.id.push(num);
    this.guarantor.push(guarantor);
    this.bank.push(bank);
    this.borrower.push(borrower);
    this.kind.push(kind);
    this.purpose.push(purpose);
    this.amount.push(amount);
    this.fee.push(fee);
    this.start.push(start);
    this.end.push(end);
    this.share.push(share);
    this.platform.push(platform ? 1 : 0);
    this.reguarantor.push(reguarantor);
  }
}

export class GuaranteeEventRows {
  private readonly guarantee: Buf<Int32Array>;
  private readonly date: Buf<Float64Array>;
  private readonly type: Buf<Int32Array>;
  private readonly amount: Buf<Float64Array>;
  readonly release: number;
  readonly compensation: number;
  readonly recovery: number;
  constructor(t: TableChunk) {
    covers(t, ['guarantee_id', 'date', 'type', 'amount']);
    this.guarantee = t.int('guarantee_id');
    this.date = t.num('date');
    this.type = t.int('type');
    this.amount = t.num('amount');
    const code = enumOf(t, 'type');
    this.release = code('release');
    this.compensation = code('compensation');
    this.recovery = code('recovery');
  }
  /** `guarantee`: its row in this chunk; `type`: one of the codes above. */
  push(guarantee: number, date: number, type: number, amount: number): void {
    this.guarantee.push(guarantee);
    this.date.push(date);
    this.type.push(type);
    this.amount.push(amount);
  }
}

export class LoanLossRows {
  private readonly loan: Buf<Int32Array>;
  private readonly date: Buf<Float64Array>;
  private readonly principalLoss: Buf<Float64Array>;
  constructor(t: TableChunk) {
    covers(t, ['loan_id', 'date', 'principal_loss']);
    this.loan = t.int('loan_id');
    this.date = t.num('date');
    this.principalLoss = t.num('principal_loss');
  }
  push(loan: number, date: number, principalLoss: number): void {
    this.loan.push(loan);
    this.date.push(date);
    this.principalLoss.push(principalLoss);
  }
}
