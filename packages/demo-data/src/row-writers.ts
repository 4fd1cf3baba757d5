// Typed row writers for the tables chunks fill row by row in the millions (enterprises,
// guarantees, their events, loan losses): each column's buffer is looked up once and enum codes
// are resolved once, instead of TableChunk.row's array of mixed values and per-cell dispatch.
import { enumCode, type Buf, type TableChunk, type TextCol } from './table.ts';

function enumOf(t: TableChunk, key: string): (value: string) => number {
  const spec = t.specs.find((s) => s.key === key);
  if (!spec) throw new Error(`demo-data: ${t.name} has no column ${key}`);
  const codes = new Map((spec.schema.values ?? []).map((v) => [v, enumCode(spec, v)]));
  return (v) => {
    if (v === '') return -1;
    const c = codes.get(v);
    if (c === undefined) throw new Error(`demo-data: ${t.name}.${key} has no value ${v}`);
    return c;
  };
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

export class EnterpriseRows {
  private readonly id: TextCol;
  private readonly name: TextCol;
  private readonly kind: Buf<Int32Array>;
  private readonly industry: Buf<Int32Array>;
  private readonly employees: Buf<Float64Array>;
  private readonly revenue: Buf<Float64Array>;
  private readonly totalAssets: Buf<Float64Array>;
  private readonly size: Buf<Int32Array>;
  private readonly region: TextCol;
  private readonly taxRegion: TextCol;
  private readonly tech: Buf<Int8Array>;
  private readonly annualSales: Buf<Float64Array>;
  private readonly realEstate: Buf<Int8Array>;
  private readonly mujun: Buf<Int32Array>;
  private readonly incidentYear: Buf<Float64Array>;
  /** Enum codes by value ('' is no value: -1). */
  readonly kindCode: (v: string) => number;
  readonly industryCode: (v: string) => number;
  readonly sizeCode: (v: string) => number;
  readonly mujunCode: (v: string) => number;
  constructor(t: TableChunk) {
    covers(t, ['id', 'name', 'kind', 'industry', 'employees', 'revenue', 'total_assets', 'size', 'region', 'tax_region', 'tech_enterprise', 'annual_sales', 'real_estate', 'mujun_class', 'major_incident_year']);
    this.id = t.text('id');
    this.name = t.text('name');
    this.kind = t.int('kind');
    this.industry = t.int('industry');
    this.employees = t.num('employees');
    this.revenue = t.num('revenue');
    this.totalAssets = t.num('total_assets');
    this.size = t.int('size');
    this.region = t.text('region');
    this.taxRegion = t.text('tax_region');
    this.tech = t.bool('tech_enterprise');
    this.annualSales = t.num('annual_sales');
    this.realEstate = t.bool('real_estate');
    this.mujun = t.int('mujun_class');
    this.incidentYear = t.num('major_incident_year');
    this.kindCode = enumOf(t, 'kind');
    this.industryCode = enumOf(t, 'industry');
    this.sizeCode = enumOf(t, 'size');
    this.mujunCode = enumOf(t, 'mujun_class');
  }
  /** Codes as given by the functions above (-1: empty); NaN for an empty number; '' for empty text. */
  push(id: string, name: string, kind: number, industry: number, employees: number, revenue: number, totalAssets: number, size: number, region: string, taxRegion: string, tech: boolean, annualSales: number, realEstate: boolean, mujun: number, incidentYear: number): void {
    this.id.push(id);
    this.name.push(name);
    this.kind.push(kind);
    this.industry.push(industry);
    this.employees.push(employees);
    this.revenue.push(revenue);
    this.totalAssets.push(totalAssets);
    this.size.push(size);
    this.region.push(region);
    this.taxRegion.push(taxRegion);
    this.tech.push(tech ? 1 : 0);
    this.annualSales.push(annualSales);
    this.realEstate.push(realEstate ? 1 : 0);
    this.mujun.push(mujun);
    this.incidentYear.push(incidentYear);
  }
}
