// The bundle generator, in chunks. First the institutions (small, and recomputed identically by
// every worker), then the enterprises in chunks of PARTY_CHUNK (their kind, size, region... kept in
// typed arrays that may be shared between threads: loans need them), then the loans in chunks of
// LOAN_CHUNK with their balances, losses and — for guaranteed loans — the guarantee, its balances
// and events, then the guarantees that finance nothing in `loans`, in chunks too, then the
// guarantors' yearly accounts (which need the guarantee totals of every chunk) and the small files
// for the remaining clauses.
//
// Each chunk draws from its own random stream, named after the seed, the table and the chunk's
// index, and numbers its rows from the chunk's start: a chunk's rows depend on nothing but the
// options, so chunks can be generated on any thread in any order and the bundle is the same. The
// first chunk of each kind keeps the stream of the former one-pass generator, so small and city
// bundles (one chunk) are as before.
import { daysOf, INDUSTRIES, monthIndex, type EnterpriseSize } from '@caijin/core';
import { CITIES, FEES, INSURERS, NATIONAL_BANKS, regionNameOf, type CityConfig, type DemoCity, type GuarantorSpec } from './cities.ts';
import type { FileName } from './columns.ts';
import type { CsvFileEncoding } from './csv.ts';
import { personIdAt, UsccIssuer } from './ids.ts';
import { ChunkTables, fen, rateHundredths, ratePercent, type Buf, type RunBuf, type TableChunk } from './table.ts';
import { EnterpriseRows, GuaranteeEventRows, GuaranteeRows, LoanLossRows } from './row-writers.ts';
import { agriEntityName, companyName, FINTECH_PROJECTS, personName, platformName, shopName } from './names.ts';
import { Rng, WeightedTable, Weights } from './rng.ts';
import { scaleOf, type DemoSize, type Scale } from './scale.ts';
import { drawIndicators, sizeIndex, type Indicators } from './size.ts';
import { Calendar } from './time.ts';

/** What is generated: the bundle's content. */
export interface DemoSpec {
  city: DemoCity;
  size: DemoSize;
  seed: number;
  /** Default: wenzhou 2022, linhai 2021, liaocheng 2023. */
  year?: number;
  /** Scales every row count of `size` (e.g. 0.0625 = 1/16 of a province); default 1. */
  fraction?: number;
  /** Rows per chunk (default PARTY_CHUNK, LOAN_CHUNK, OTHER_CHUNK). The data depends on them: tests make many small chunks. */
  chunks?: ChunkSizes;
}

export interface ChunkSizes {
  parties: number;
  loans: number;
  others: number;
}

export interface DemoOptions extends DemoSpec {
  /** Output folder (created if missing); for `format: 'snapshot'` the folder the snapshot directory is written into. */
  out: string;
  /** CSV files (default) or a caijin snapshot (the typed columns importing those files would give, written directly). */
  format?: 'csv' | 'snapshot';
  /** Header row: English keys (default) or the contract's Chinese headers. */
  headers?: 'en' | 'zh';
  /** File encoding: UTF-8 without BOM (default) or GB18030/GBK, as Excel/WPS on Chinese Windows saves CSV. */
  encoding?: CsvFileEncoding;
  /** Worker threads (default: one per core, at most 4; 0 = generate on this thread). The output does not depend on it. */
  workers?: number;
}

export interface DemoResult {
  out: string;
  /** Data rows per file (header not counted), keyed by file name without `.csv`. */
  files: Record<string, number>;
  /** With `format: 'snapshot'`: its hash and directory (`out` is the directory too). */
  snapshot?: { hash: string; path: string };
}

/** Enterprises per chunk, loans per chunk, guarantees outside loans per chunk. */
export const PARTY_CHUNK = 1 << 16;
export const LOAN_CHUNK = 1 << 18;
export const OTHER_CHUNK = 1 << 16;

/** Per-enterprise attributes the later tables draw on (typed, so they can live in shared memory). */
export interface PartyAttrs {
  kind: Uint8Array;
  size: Uint8Array;
  region: Uint8Array;
  industry: Uint8Array;
  flags: Uint8Array;
  weight: Float64Array;
  primaryBank: Uint16Array;
}

export function partyAttrs(n: number, shared: boolean): PartyAttrs {
  const buf = (bytes: number): ArrayBuffer => (shared ? (new SharedArrayBuffer(bytes) as unknown as ArrayBuffer) : new ArrayBuffer(bytes));
  return {
    kind: new Uint8Array(buf(n)),
    size: new Uint8Array(buf(n)),
    region: new Uint8Array(buf(n)),
    industry: new Uint8Array(buf(n)),
    flags: new Uint8Array(buf(n)),
    weight: new Float64Array(buf(n * 8)),
    primaryBank: new Uint16Array(buf(n * 2)),
  };
}

/** Guarantor totals a chunk adds up (see GuarantorAgg), flattened: AGG_WIDTH numbers per guarantor. */
export const AGG_WIDTH = 32;

// ---------------------------------------------------------------------------------------------
// Enumerations

const KIND_KEYS = ['enterprise', 'individual_business', 'farmer', 'new_agri_entity', 'business_owner'] as const;
const K_ENT = 0;
const K_IND = 1;
const K_FARMER = 2;
const K_AGRI = 3;
const K_OWNER = 4;

const SIZE_KEYS: readonly EnterpriseSize[] = ['large', 'medium', 'small', 'micro'];
const S_MEDIUM = 1;
const S_SMALL = 2;
const S_NONE = 4;

const INDUSTRY_KEYS = INDUSTRIES.map((i) => i.key);
const industryIndex = (key: string): number => {
  const i = INDUSTRY_KEYS.indexOf(key);
  if (i < 0) throw new Error(`unknown industry ${key}`);
  return i;
};

/** Loan product tags in the contract's order (bit i of a mask). */
const PRODUCTS = [
  'credit', 'first_loan', 'kczs', 'ip_pledge', 'farmer_asset_trust', 'movable_equipment', 'movable_raw_material',
  'movable_semi_finished', 'movable_product', 'tech_branch', 'flexible_continuous', 'bank_guarantee_batch', 'fintech_project',
] as const;
type Product = (typeof PRODUCTS)[number];
/** Bit of each product in a mask (looked up by name per loan: an object, not indexOf). */
const BIT = Object.fromEntries(PRODUCTS.map((p, i) => [p, 1 << i])) as Record<Product, number>;
const SECURED = BIT.ip_pledge | BIT.farmer_asset_trust | BIT.movable_equipment | BIT.movable_raw_material |
  BIT.movable_semi_finished | BIT.movable_product;
/** Wenzhou 第三条's three products. */
const LOSS_PRODUCTS: readonly Product[] = ['kczs', 'ip_pledge', 'farmer_asset_trust'];
/** Their bits, in the same order (looked up per loan). */
const LOSS_BITS: readonly number[] = LOSS_PRODUCTS.map((t) => 1 << PRODUCTS.indexOf(t));

// enterprise flags
const F_TECH = 1;
const F_FIRST = 2;
const F_PLATFORM = 4;
const F_EXCLUDED = 8; // real estate, 亩均 C/D, incident: keep out of random picks for the featured files

const ENTERPRISE_INDUSTRY_WEIGHTS: Record<string, number> = {
  agriculture: 3, industry: 34, construction: 6, wholesale: 14, retail: 9, transport: 4, warehousing: 2, postal: 1,
  accommodation: 2, catering: 3, telecom: 1, software: 5, real_estate_dev: 1.5, property_mgmt: 1.5, leasing_business: 7, other: 6,
};
const INDIVIDUAL_INDUSTRY_WEIGHTS: Record<string, number> = { retail: 35, catering: 25, accommodation: 5, other: 20, transport: 8, agriculture: 7 };

// Fixed weights of the draws below (Rng.draw: summed once, not per row)
const SIZE_WEIGHTS = new Weights([2, 8, 28, 62]);
const MUJUN_WEIGHTS = new Weights([20, 50, 22, 8]);
const INCIDENT_YEARS_BACK_WEIGHTS = new Weights([6, 3, 1]);
const AGRI_SIZE_WEIGHTS = new Weights([0, 5, 30, 65]);
const LOAN_START_YEAR_WEIGHTS = new Weights([27, 40, 33]);
const OTHER_GUARANTEE_KIND_WEIGHTS = new Weights([40, 30, 22, 3]);
const OTHER_GUARANTEE_START_YEAR_WEIGHTS = new Weights([20, 35, 45]);
const OUTLET_AGE_WEIGHTS = new Weights([35, 25, 40]);
const FARMER_TERM_WEIGHTS = new Weights([45, 25, 30]);
const INDIVIDUAL_TERM_WEIGHTS = new Weights([8, 45, 25, 22]);
const OWNER_TERM_WEIGHTS = new Weights([40, 30, 30]);
const AGRI_TERM_WEIGHTS = new Weights([35, 30, 35]);
const MIDSIZE_TERM_WEIGHTS = new Weights([25, 20, 30, 25]);
const SMALL_TERM_WEIGHTS = new Weights([4, 30, 28, 26, 12]);
const YEARS_BACK = [2, 1, 0];
const TERMS_3 = [12, 24, 36];
const TERMS_IND = [6, 12, 24, 36];
const TERMS_MID = [12, 24, 36, 60];
const TERMS_SMALL = [6, 12, 24, 36, 60];

/** Interest rates, hundredths of a percent: by enterprise size, else by kind; the round rates a fifth of loans have. */
const RATE_BY_SIZE = [365, 395, 435, 485];
const RATE_BY_KIND = [0, 495, 475, 470, 500];
const ROUND_RATES = [365, 385, 435, 465, 485, 500, 550];

const WAN = 1_000_000; // fen per 万元
const YUAN = 100; // fen per yuan

// ---------------------------------------------------------------------------------------------

interface Institution {
  /** Row in institutions. */
  row: number;
  id: string;
  name: string;
  kind: 'bank' | 'guarantor' | 'reguarantor' | 'insurer' | 'other';
  region: string;
  government: boolean | null;
  level: 'province' | 'city' | 'county' | '';
}

interface Bank extends Institution {
  weight: number;
  techBranch: boolean;
}

interface GuarantorAgg {
  /** Month-end in-force balance (fen) of small/micro + 三农 business, index 0 = December of the previous year. */
  smBalance: Float64Array;
  allBalance: Float64Array;
  releasedSm: number;
  compensatedSm: number;
  compensationToYearEnd: number;
  recoveryToYearEnd: number;
  compensationToPrevYearEnd: number;
  recoveryToPrevYearEnd: number;
}

interface Guarantor extends Institution {
  spec: GuarantorSpec;
  /** Default probability of a loan it guarantees, calibrated to its target 代偿率. */
  hazard: number;
  agg: GuarantorAgg;
}

interface FintechProject {
  id: string;
  bank: number;
  name: string;
  releaseMonth: number;
  endorsed: boolean;
  rdCostFen: number;
}

interface PartySpec {
  kind?: number;
  industry?: string;
  size?: EnterpriseSize;
  region?: string;
  taxRegion?: string;
  tech?: boolean;
  salesFen?: number;
  realEstate?: boolean;
  mujun?: string;
  /** 0 = none. */
  incidentYear?: number;
  platform?: boolean;
  firstLoan?: boolean;
  /** Takes part in the random loan allocation (featured parties get their loans explicitly). */
  borrower?: boolean;
}

/** An enterprise chunk's row writer, with the enum codes of the generator's kind, industry and size indexes. */
class PartyRows {
  readonly rows: EnterpriseRows;
  readonly kind: number[];
  readonly industry: number[];
  readonly size: number[];
  constructor(rows: EnterpriseRows) {
    this.rows = rows;
    this.kind = KIND_KEYS.map(rows.kindCode);
    this.industry = INDUSTRY_KEYS.map(rows.industryCode);
    this.size = SIZE_KEYS.map(rows.sizeCode);
  }
}

interface LoanOverrides {
  bank?: number;
  amountFen?: number;
  startDay?: number;
  term?: number;
  products?: readonly Product[];
  bullet?: boolean;
  noDefault?: boolean;
  /** Guarantor index, or -1 for none. */
  guarantor?: number;
  /** Guarantee fee, hundredths of a percent. */
  fee?: number;
  /** Defaults soon after issue and is written off within the year. */
  forceLoss?: boolean;
}

interface LoanCols {
  loans: TableChunk;
  id: Buf<Float64Array>;
  bank: Buf<Int32Array>;
  borrower: Buf<Int32Array>;
  amount: Buf<Float64Array>;
  start: Buf<Float64Array>;
  maturity: Buf<Float64Array>;
  rate: Buf<Float64Array>;
  products: Buf<Uint32Array>;
  project: Buf<Int32Array>;
  guarantor: Buf<Int32Array>;
  balances: TableChunk;
  bLoan: RunBuf;
  bMonth: RunBuf;
  bBalance: Buf<Float64Array>;
  losses: TableChunk;
  guarantees: TableChunk;
  gBalances: TableChunk;
  gbGuarantee: RunBuf;
  gbMonth: RunBuf;
  gbBalance: Buf<Float64Array>;
  events: TableChunk;
  guaranteeRows: GuaranteeRows;
  eventRows: GuaranteeEventRows;
  lossRows: LoanLossRows;
}

/** Rows a chunk of `n` loans (or of n other guarantees) is expected to have per table, so columns are sized once. */
function loanCols(t: ChunkTables, n: number, others = false): LoanCols {
  const loans = t.get('loans', others ? 0 : n);
  const balances = t.get('loan_balances', others ? 0 : n * 8.5);
  const gBalances = t.get('guarantee_balances', n * (others ? 9 : 2));
  t.get('loan_losses', others ? 0 : n * 0.02);
  t.get('guarantees', others ? n : n * 0.25);
  t.get('guarantee_events', n * 0.12);
  return {
    loans,
    id: loans.num('id'),
    bank: loans.int('bank_id'),
    borrower: loans.int('borrower_id'),
    amount: loans.num('amount'),
    start: loans.num('start_date'),
    maturity: loans.num('maturity_date'),
    rate: loans.num('rate_pct'),
    products: loans.tags('products'),
    project: loans.int('fintech_project_id'),
    guarantor: loans.int('guarantor_id'),
    balances,
    bLoan: balances.runs('loan_id'),
    bMonth: balances.runs('month'),
    bBalance: balances.num('balance'),
    losses: t.get('loan_losses'),
    guarantees: t.get('guarantees'),
    gBalances,
    gbGuarantee: gBalances.runs('guarantee_id'),
    gbMonth: gBalances.runs('month'),
    gbBalance: gBalances.num('balance'),
    events: t.get('guarantee_events'),
    guaranteeRows: new GuaranteeRows(t.get('guarantees')),
    eventRows: new GuaranteeEventRows(t.get('guarantee_events')),
    lossRows: new LoanLossRows(t.get('loan_losses')),
  };
}

export class Generator {
  private readonly opts: DemoSpec;
  private readonly cfg: CityConfig;
  private readonly scale: Scale;
  private readonly year: number;
  private readonly seed: number;
  private readonly cal: Calendar;
  /** Where the rows of the current chunk go. */
  private t = new ChunkTables();
  private readonly uscc: UsccIssuer;
  /** USCC sequence numbers used by the institutions: enterprise i gets number usccBase + i. */
  private usccBase = 0;
  private readonly pseudonymPrefix: string;

  // time window
  private readonly yearStart: number;
  private readonly yearEnd: number;
  private readonly prevYearEnd: number;
  private readonly windowStart: number; // first day of December of the previous year
  private readonly prevYearStart: number;
  // days the loans' featured cases turn on
  private readonly mar1: number;
  private readonly jul1: number;
  private readonly sep30: number;
  private readonly m0: number; // month index of December of the previous year
  private readonly m1: number; // month index of December of the year

  // institutions
  private readonly banks: Bank[] = [];
  private readonly guarantors: Guarantor[] = [];
  private reguarantor!: Institution;
  private readonly insurers: Institution[] = [];
  private readonly issuers: Institution[] = [];
  private bankTable!: WeightedTable;
  private readonly banksByRegion = new Map<string, number[]>();
  private readonly fintech: FintechProject[] = [];

  // parties
  private readonly regionCodes: string[];
  private readonly kindWeights: Weights;
  private readonly regionTable: WeightedTable;
  private kind!: Uint8Array;
  private size!: Uint8Array;
  private region!: Uint8Array;
  private industry!: Uint8Array;
  private flags!: Uint8Array;
  private weight!: Float64Array;
  private primaryBank!: Uint16Array;
  /** Enterprises in the bundle. */
  readonly count: number;
  readonly chunks: ChunkSizes;
  private readonly featured = new Map<string, number>();
  private readonly featuredSpecs: [string, PartySpec][];

  // per loan chunk: the featured cases that happen a few times in the bundle happen in chunk 0
  private loanSeq = 0;
  /** Per LOSS_PRODUCTS entry: loans made to lose so far in this chunk (Infinity: none in this chunk). */
  private forcedLosses = new Float64Array(LOSS_PRODUCTS.length);
  /** Per guarantor: whether this chunk has shown its compensation with a recovery (1), or need not (chunks after the first). */
  private compensationShown = new Uint8Array(0);

  constructor(opts: DemoSpec) {
    this.opts = opts;
    this.cfg = CITIES[opts.city];
    if (!this.cfg) throw new Error(`demo-data: unknown city ${opts.city}`);
    this.scale = scaleOf(opts.size, opts.fraction ?? 1);
    this.year = opts.year ?? this.cfg.defaultYear;
    if (!Number.isInteger(this.year) || this.year < 2000 || this.year > 2100) throw new Error(`demo-data: bad year ${opts.year}`);
    this.seed = Math.floor(opts.seed);
    const Y = this.year;
    this.cal = new Calendar(1990, Y + 12);
    this.uscc = new UsccIssuer(this.seed);
    this.pseudonymPrefix = this.cfg.city.slice(0, 2).toUpperCase();
    this.yearStart = daysOf(Y, 1, 1);
    this.yearEnd = daysOf(Y, 12, 31);
    this.prevYearEnd = daysOf(Y - 1, 12, 31);
    this.windowStart = daysOf(Y - 1, 12, 1);
    this.prevYearStart = daysOf(Y - 1, 1, 1);
    this.mar1 = daysOf(Y, 3, 1);
    this.jul1 = daysOf(Y, 7, 1);
    this.sep30 = daysOf(Y, 9, 30);
    this.m0 = monthIndex(Y - 1, 12);
    this.m1 = monthIndex(Y, 12);
    this.regionCodes = this.cfg.regions.map((r) => r[0]);
    this.kindWeights = new Weights(this.cfg.kindWeights);
    this.regionTable = new WeightedTable(this.cfg.regions.map((r) => r[1]));
    this.count = this.scale.enterprises;
    this.chunks = opts.chunks ?? { parties: PARTY_CHUNK, loans: LOAN_CHUNK, others: OTHER_CHUNK };
    this.featuredSpecs = this.featuredParties();
    this.featuredSpecs.forEach(([key], i) => this.featured.set(key, i));
    // The institutions and what loans need of them: small, and the same on every thread.
    this.institutions();
    this.usccBase = this.uscc.issued;
    this.specialBranchesAndFintech();
    this.head = this.t;
  }

  /** The rows of institutions, special_branches and fintech_projects. */
  readonly head: ChunkTables;

  /** A stream per table and chunk: chunk 0 keeps the table's own name. */
  private rng(stream: string, chunk = 0): Rng {
    return new Rng(this.seed, `${this.cfg.city}/${this.year}/${this.opts.size}/${stream}${chunk ? `#${chunk}` : ''}`);
  }

  private open(file: FileName): TableChunk {
    return this.t.get(file);
  }

  /** Institution ids by row, for writing foreign keys as text. */
  institutionIds(): string[] {
    return [...this.banks, ...this.guarantors, this.reguarantor, ...this.insurers, ...this.issuers].map((x) => x.id);
  }

  fintechIds(): string[] {
    return this.fintech.map((p) => p.id);
  }

  get partyChunks(): number {
    return Math.ceil(this.count / this.chunks.parties);
  }

  /** Use these attribute arrays (filled by the enterprise chunks, perhaps on other threads). */
  useParties(a: PartyAttrs): void {
    this.kind = a.kind;
    this.size = a.size;
    this.region = a.region;
    this.industry = a.industry;
    this.flags = a.flags;
    this.weight = a.weight;
    this.primaryBank = a.primaryBank;
  }

  /** Enterprises of chunk c (the featured ones first in chunk 0), into the attribute arrays. */
  partyChunk(c: number): ChunkTables {
    this.t = new ChunkTables();
    const r = this.rng('enterprises', c);
    const w = new PartyRows(new EnterpriseRows(this.t.get('enterprises', Math.min(this.chunks.parties, this.count - c * this.chunks.parties))));
    let i = c * this.chunks.parties;
    const end = Math.min(this.count, i + this.chunks.parties);
    if (c === 0) {
      const main = this.mainRegion();
      for (const [, spec] of this.featuredSpecs) {
        // featured enterprises are clean unless their spec says otherwise
        const clean: PartySpec = { region: main, kind: K_ENT, mujun: spec.industry === 'industry' && this.cfg.mujun ? 'A' : '', taxRegion: '', incidentYear: 0 };
        this.party(i++, r, w, { ...clean, ...spec });
      }
    }
    for (; i < end; i++) this.party(i, r, w, { borrower: true });
    return this.t;
  }

  // -------------------------------------------------------------------------------------------
  // Institutions

  private regionOfName(name: string): string {
    for (const code of this.regionCodes) {
      const n = regionNameOf(code);
      if (name.includes(n) || name.includes(n.replace(/[区县市]$/, ''))) return code;
    }
    return this.cfg.cityRegion;
  }

  private institutions(): void {
    const cfg = this.cfg;
    const w = this.open('institutions');
    let rows = 0;
    const write = (x: Institution): void => {
      x.row = rows++;
      w.row([x.id, x.name, x.kind, x.region, x.government, x.level]);
    };

    // banks: the big six, then the city's own banks, then the other national banks, then sub-branches
    const names: { name: string; weight: number }[] = [];
    const big = NATIONAL_BANKS.slice(0, 6).map((b, i) => ({ name: b + cfg.branchSuffix, weight: i < 4 ? 10 : i === 4 ? 4 : 6 }));
    const local = cfg.localBanks.map((b) => ({
      name: b,
      weight: b.includes('农村商业银行') ? 9 : b.includes('村镇银行') ? 1 : /^(温州银行|台州银行)/.test(b) ? 8 : 2.5,
    }));
    const national = NATIONAL_BANKS.slice(6).map((b) => ({ name: b + cfg.branchSuffix, weight: 2.5 }));
    names.push(...big, ...local.slice(0, 8), ...national, ...local.slice(8));
    // sub-branches named after the counties (Linhai: its towns)
    const places = (this.regionCodes.length > 1 ? this.regionCodes.map(regionNameOf) : LINHAI_TOWNS.map((t) => `临海${t}`)).map((p) =>
      p.length > 2 ? p.replace(/(区|县|市|镇|街道)$/, '') : p,
    );
    for (let round = 0; names.length < this.scale.banks; round++) {
      for (const p of places) {
        for (const b of NATIONAL_BANKS.slice(0, 16)) {
          if (names.length >= this.scale.banks) break;
          names.push({ name: `${b}${p}${round ? ['', '城东', '城西', '开发区', '城南', '城北'][round % 6] : ''}支行`, weight: 1 });
        }
      }
    }
    for (const { name, weight } of names.slice(0, this.scale.banks)) {
      const region = this.regionOfName(name);
      const level = /支行|村镇银行|农村商业银行/.test(name) && !name.includes('聊城农村') ? 'county' : 'city';
      const b: Bank = { row: -1, id: this.uscc.next('91', region), name, kind: 'bank', region, government: null, level, weight, techBranch: false };
      this.banks.push(b);
      write(b);
    }
    this.bankTable = new WeightedTable(this.banks.map((b) => b.weight));
    this.banks.forEach((b, i) => {
      const list = this.banksByRegion.get(b.region) ?? [];
      list.push(i);
      this.banksByRegion.set(b.region, list);
    });

    // guarantors: the city's own list, then county guarantors to reach the size's count
    const specs = [...cfg.guarantors];
    const suffixes = ['融资担保有限公司', '中小企业融资担保有限公司', '农业融资担保有限公司', '科技融资担保有限公司', '信用融资担保有限公司', '小微企业融资担保有限公司'];
    const prefixes = ['', '东方', '城投', '兴业', '汇金', '民富', '信诚', '瑞丰', '华信', '金鼎'];
    const extraRates = [0.002, 0.01, 0.02, 0.035, 0.05, 0.065, 0.085, 0.11];
    const used = new Set(specs.map((x) => x.name));
    let k = 0;
    outer: for (const prefix of prefixes) {
      for (const suffix of suffixes) {
        for (const code of this.regionCodes) {
          if (specs.length >= this.scale.guarantors) break outer;
          const name = `${this.placeOf(code)}${prefix}${suffix}`;
          if (used.has(name)) continue;
          used.add(name);
          const government = k % 5 !== 4;
          specs.push({
            name, level: 'county', government, region: code, category: '91', share: 2, serves: [code],
            fees: government ? FEES.county : FEES.commercial,
            compensationRate: extraRates[k % extraRates.length], capitalMultiple: 0,
          });
          k++;
        }
      }
    }
    for (const spec of specs.slice(0, this.scale.guarantors)) {
      const gu: Guarantor = {
        row: -1,
        id: this.uscc.next(spec.category, spec.region),
        name: spec.name,
        kind: 'guarantor',
        region: spec.region,
        government: spec.government,
        level: spec.level,
        spec,
        hazard: Math.min(0.5, spec.compensationRate * 0.75),
        agg: {
          smBalance: new Float64Array(13),
          allBalance: new Float64Array(13),
          releasedSm: 0,
          compensatedSm: 0,
          compensationToYearEnd: 0,
          recoveryToYearEnd: 0,
          compensationToPrevYearEnd: 0,
          recoveryToPrevYearEnd: 0,
        },
      };
      this.guarantors.push(gu);
      write(gu);
    }

    this.reguarantor = {
      row: -1,
      id: this.uscc.next('91', cfg.provinceRegion),
      name: cfg.reguarantor,
      kind: 'reguarantor',
      region: cfg.provinceRegion,
      government: true,
      level: 'province',
    };
    write(this.reguarantor);

    for (let i = 0; i < this.scale.insurers; i++) {
      const base = INSURERS[i % INSURERS.length];
      const suffix = i < INSURERS.length ? cfg.insurerSuffix : `${regionNameOf(this.regionCodes[i % this.regionCodes.length])}支公司`;
      const ins: Institution = {
        row: -1,
        id: this.uscc.next('91', cfg.cityRegion),
        name: base + suffix,
        kind: 'insurer',
        region: cfg.cityRegion,
        government: null,
        level: suffix.includes('支公司') ? 'county' : 'city',
      };
      this.insurers.push(ins);
      write(ins);
    }
    for (const name of cfg.securities) {
      const s: Institution = { row: -1, id: this.uscc.next('91', cfg.capitalRegion), name, kind: 'other', region: cfg.capitalRegion, government: null, level: '' };
      this.issuers.push(s);
      write(s);
    }
  }

  /** Special branches (tech/talent) decide which banks issue `tech_branch` loans; fintech projects are needed by loans. */
  private specialBranchesAndFintech(): void {
    const r = this.rng('special_branches');
    const Y = this.year;
    const w = this.open('special_branches');
    let n = 0;
    const nb = this.banks.length;
    for (let i = 0; i < nb; i++) {
      const b = this.banks[i];
      // the 2nd and 4th banks always have a tech branch, the 3rd a talent branch, so small bundles have both
      const tech = i === 1 || i === 3 || (i > 4 && r.chance(0.25));
      const talent = i === 2 || (i > 4 && r.chance(0.12));
      if (tech) {
        b.techBranch = true;
        const since = i === 1 ? Y - 1 : r.chance(0.6) ? Y : Y - 1;
        for (let y = since; y <= Y; y++) {
          const passed = i === 1 ? true : i === 3 ? y < Y : r.chance(0.82);
          w.row([`TSZH${String(++n).padStart(4, '0')}`, b.row, 'tech', y, passed]);
        }
      }
      if (talent) {
        const passed = i === 2 ? true : r.chance(0.8);
        w.row([`TSZH${String(++n).padStart(4, '0')}`, b.row, 'talent', Y, passed]);
      }
    }

    // fintech projects: released in the year (a couple the year before), most with provincial endorsement
    const fr = this.rng('fintech_projects');
    const fw = this.open('fintech_projects');
    for (let i = 0; i < this.scale.fintechProjects; i++) {
      const bank = i < 4 ? [0, 6, 7, 1][i] % nb : fr.int(0, nb - 1);
      const releaseMonth = i === 3 ? monthIndex(Y - 1, 11) : i === 0 ? monthIndex(Y, 1) : i === 1 ? monthIndex(Y, 12) : monthIndex(fr.chance(0.1) ? Y - 1 : Y, fr.int(1, 12));
      const endorsed = i === 0 || i === 3 ? true : i === 2 ? false : fr.chance(0.6);
      const rd = i === 0 ? 5_000_000_00 : Math.round(fr.logUniform(300_000, 8_000_000)) * YUAN;
      const p: FintechProject = {
        id: `JRKJ${Y}${String(i + 1).padStart(3, '0')}`,
        bank,
        name: FINTECH_PROJECTS[i % FINTECH_PROJECTS.length] + (i >= FINTECH_PROJECTS.length ? `（${Math.floor(i / FINTECH_PROJECTS.length) + 1}期）` : ''),
        releaseMonth,
        endorsed,
        rdCostFen: rd,
      };
      this.fintech.push(p);
      fw.row([p.id, this.banks[p.bank].row, p.name, p.releaseMonth, p.endorsed, fen(p.rdCostFen)]);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Enterprises and people

  private readonly places = new Map<string, string>();
  private placeOf(code: string): string {
    let p = this.places.get(code);
    if (p === undefined) {
      const n = regionNameOf(code);
      this.places.set(code, (p = n.endsWith('区') ? regionNameOf(this.cfg.cityRegion) + n : n));
    }
    return p;
  }

  /** Main region: where featured enterprises register (温州市区 for Wenzhou). */
  private mainRegion(): string {
    return this.regionCodes[0];
  }

  /** The enterprises on the clauses' boundaries, first in the file. */
  private featuredParties(): [string, PartySpec][] {
    const Y = this.year;
    const main = this.regionCodes[0];
    const wz = this.cfg.city === 'wenzhou';
    return [
      ['tech30m', { industry: 'software', tech: true, salesFen: 30_000_000_00, size: 'small' }],
      ['tech30m_above', { industry: 'industry', tech: true, salesFen: 30_000_000_01 }],
      ['tech30m_below', { industry: 'software', tech: true, salesFen: 29_999_999_99 }],
      ['first_big', { industry: 'industry', size: 'small', firstLoan: true }],
      ['real_estate', { industry: 'real_estate_dev', size: 'medium', realEstate: true }],
      ['mujun_d', { industry: 'industry', size: 'small', tech: true, mujun: 'D' }],
      ['mujun_c', { industry: 'industry', size: 'medium', mujun: 'C' }],
      ['incident', { industry: 'industry', size: 'medium', incidentYear: Y, mujun: 'B' }],
      ['incident_prev', { industry: 'industry', size: 'small', incidentYear: Y - 1, mujun: 'A', tech: true }],
      ['outside', { industry: 'software', size: 'small', tech: true, region: wz ? '330381' : main }],
      ['tax_outside', { industry: 'wholesale', size: 'medium', taxRegion: wz ? '330382' : main }],
      ['platform', { industry: 'construction', size: 'large', platform: true }],
      ['sec1', { industry: 'software', size: 'small', tech: true }],
      ['sec2', { industry: 'industry', size: 'micro', tech: true, mujun: 'A' }],
      ['sec3', { industry: 'software', size: 'micro', tech: true }],
      ['sec4', { industry: 'telecom', size: 'small', tech: true }],
      ['sec5', { industry: 'industry', size: 'medium', tech: true, mujun: 'B' }],
      ['sec6', { industry: 'software', size: 'small', tech: true }],
      ['core1', { industry: 'industry', size: 'large', mujun: 'A' }],
      ['core2', { industry: 'industry', size: 'medium', mujun: 'A' }],
      ['core3', { industry: 'wholesale', size: 'medium' }],
      ['core4', { industry: 'industry', size: 'large', mujun: 'A' }],
      ['core5', { industry: 'industry', size: 'medium', mujun: 'B' }],
    ];
  }

  private party(i: number, r: Rng, w: PartyRows, spec: PartySpec): void {
    const Y = this.year;
    const cfg = this.cfg;
    const kind = spec.kind ?? r.draw(this.kindWeights);
    const regionCode = spec.region ?? this.regionCodes[this.regionTable.draw(r)];
    const place = this.placeOf(regionCode);
    let id: string;
    let name: string;
    let industry: string;
    let ind: Indicators | null = null;
    let size = S_NONE;
    let flags = 0;
    let sales = NaN;
    let mujun = '';
    let realEstate = false;
    let incident = NaN;
    let taxRegion = '';

    if (kind === K_ENT) {
      industry = spec.industry ?? pickWeighted(r, ENTERPRISE_INDUSTRY_WEIGHTS);
      const techCapable = industry === 'industry' || industry === 'software' || industry === 'telecom' || industry === 'other';
      const tech = spec.tech ?? (techCapable && r.chance(industry === 'other' ? 0.05 : 0.15));
      if (tech) {
        flags |= F_TECH;
        // 年销售收入 spread around Linhai's 3000万 line, some exactly on it
        let salesFen = spec.salesFen;
        if (salesFen === undefined) {
          const u = r.next();
          salesFen = u < 0.06 ? 30_000_000_00 : u < 0.4 ? Math.round(r.range(20_000_000, 40_000_000)) * YUAN : Math.round(r.logUniform(1_000_000, 300_000_000)) * YUAN;
        }
        sales = salesFen;
        // revenue = sales; staff in the band of the requested size where one is asked for
        const employees = spec.size ? drawIndicators(r, industry, spec.size, false).employees : Math.round(r.logUniform(5, 400));
        ind = { employees, revenueFen: salesFen, totalAssetsFen: Math.round((salesFen * r.range(0.5, 1.8)) / 100) * 100 };
      } else {
        const target = spec.size ?? SIZE_KEYS[r.draw(SIZE_WEIGHTS)];
        ind = drawIndicators(r, industry, target, r.chance(0.03));
      }
      size = sizeIndex(industry, ind);
      realEstate = spec.realEstate ?? industry === 'real_estate_dev';
      if (spec.mujun !== undefined) mujun = spec.mujun;
      else if (cfg.mujun && industry === 'industry') mujun = 'ABCD'[r.draw(MUJUN_WEIGHTS)];
      const inc = spec.incidentYear ?? (r.chance(0.004) ? Y - r.draw(INCIDENT_YEARS_BACK_WEIGHTS) : 0);
      if (inc) incident = inc;
      if (spec.taxRegion !== undefined) taxRegion = spec.taxRegion;
      else if (cfg.regions.length > 1) {
        const u = r.next();
        if (u < 0.12) taxRegion = regionCode;
        else if (u < 0.15) taxRegion = this.regionCodes[this.regionTable.draw(r)];
      }
      if (realEstate || mujun === 'C' || mujun === 'D' || inc) flags |= F_EXCLUDED;
      if (spec.platform) {
        flags |= F_PLATFORM;
        name = platformName(place, i);
      } else name = companyName(r, r.chance(0.2) ? (cfg.provinceRegion === '330000' ? '浙江' : '山东') : place, industry, size <= S_MEDIUM);
      id = this.uscc.at(this.usccBase + i, '91', regionCode);
    } else if (kind === K_IND) {
      industry = pickWeighted(r, INDIVIDUAL_INDUSTRY_WEIGHTS);
      ind = drawIndicators(r, industry, r.chance(0.92) ? 'micro' : 'small', r.chance(0.03));
      size = sizeIndex(industry, ind);
      name = shopName(r, place);
      id = this.uscc.at(this.usccBase + i, '92', regionCode);
    } else if (kind === K_AGRI) {
      industry = 'agriculture';
      ind = drawIndicators(r, industry, SIZE_KEYS[r.draw(AGRI_SIZE_WEIGHTS)], r.chance(0.03));
      size = sizeIndex(industry, ind);
      const a = agriEntityName(r, place);
      name = a.name;
      id = this.uscc.at(this.usccBase + i, a.cooperative ? '93' : '92', regionCode);
    } else {
      // 农户 and 小微企业主: natural persons
      industry = kind === K_FARMER ? 'agriculture' : pickWeighted(r, ENTERPRISE_INDUSTRY_WEIGHTS);
      name = personName(r);
      // numbered by the enterprise's index: unique across chunks without a shared registry
      id = r.chance(0.05) ? `P-${this.pseudonymPrefix}${String(i + 1).padStart(6, '0')}` : personIdAt(this.seed, i, regionCode);
    }

    if (spec.firstLoan) flags |= F_FIRST;
    let weight = 0;
    if (spec.borrower && r.chance(0.88)) {
      const base = kind === K_ENT ? [8, 5, 3, 1.6][size] : kind === K_IND ? 1.2 : kind === K_AGRI ? 1.6 : 1;
      weight = base * r.logNormal(1, 0.5);
      const smallish = kind !== K_ENT || size >= S_SMALL;
      if (smallish && r.chance(0.07 * (cfg.products.first_loan ?? 0))) flags |= F_FIRST;
    }
    // primary bank: a bank of the borrower's county for a third of them
    const local = this.banksByRegion.get(regionCode);
    this.primaryBank[i] = local && r.chance(0.35) ? local[r.int(0, local.length - 1)] : this.bankTable.draw(r);

    this.kind[i] = kind;
    this.size[i] = size;
    this.region[i] = Math.max(0, this.regionCodes.indexOf(regionCode));
    this.industry[i] = industryIndex(industry);
    this.flags[i] = flags;
    this.weight[i] = weight;

    const fillSize = size !== S_NONE && r.chance(0.7);
    w.rows.push(
      id,
      name,
      w.kind[kind],
      w.industry[this.industry[i]],
      ind ? ind.employees : NaN,
      ind ? fen(ind.revenueFen) : NaN,
      ind ? fen(ind.totalAssetsFen) : NaN,
      fillSize ? w.size[size] : -1,
      regionCode,
      taxRegion,
      (flags & F_TECH) !== 0,
      sales,
      realEstate,
      w.rows.mujunCode(mujun),
      incident,
    );
  }

  /** Small/micro enterprise or 三农/individual: the business Wenzhou 第七–九条 and Liaocheng count. */
  private smallMicro(p: number): boolean {
    return this.kind[p] !== K_ENT || this.size[p] >= S_SMALL;
  }

  /** A random party satisfying `ok` (rejection sampling; falls back to a scan). */
  private pickParty(r: Rng, ok: (p: number) => boolean): number {
    for (let t = 0; t < 200; t++) {
      const p = r.int(0, this.count - 1);
      if (ok(p)) return p;
    }
    const start = r.int(0, this.count - 1);
    for (let k = 0; k < this.count; k++) {
      const p = (start + k) % this.count;
      if (ok(p)) return p;
    }
    throw new Error('demo-data: no party fits');
  }

  // -------------------------------------------------------------------------------------------
  // Loans, their balances and losses, and the guarantees behind guaranteed loans

  private wr!: LoanCols;
  private rLoan!: Rng;
  private guarantorTables = new Map<number, WeightedTable | null>();
  private guarantorChoices = new Map<number, number[]>();

  /** Guarantor totals back to zero, for a chunk's own. */
  private resetAggs(): void {
    for (const gu of this.guarantors) {
      const a = gu.agg;
      a.smBalance.fill(0);
      a.allBalance.fill(0);
      a.releasedSm = a.compensatedSm = a.compensationToYearEnd = a.recoveryToYearEnd = a.compensationToPrevYearEnd = a.recoveryToPrevYearEnd = 0;
    }
  }

  /** The guarantor totals, AGG_WIDTH numbers per guarantor. Sums of whole fen: chunks' totals add up exactly in any order. */
  private aggs(): Float64Array {
    const out = new Float64Array(this.guarantors.length * AGG_WIDTH);
    this.guarantors.forEach((gu, g) => {
      const a = gu.agg;
      const o = g * AGG_WIDTH;
      out.set(a.smBalance, o);
      out.set(a.allBalance, o + 13);
      out.set([a.releasedSm, a.compensatedSm, a.compensationToYearEnd, a.recoveryToYearEnd, a.compensationToPrevYearEnd, a.recoveryToPrevYearEnd], o + 26);
    });
    return out;
  }

  private addAggs(x: Float64Array): void {
    this.guarantors.forEach((gu, g) => {
      const a = gu.agg;
      const o = g * AGG_WIDTH;
      for (let m = 0; m < 13; m++) {
        a.smBalance[m] += x[o + m];
        a.allBalance[m] += x[o + 13 + m];
      }
      a.releasedSm += x[o + 26];
      a.compensatedSm += x[o + 27];
      a.compensationToYearEnd += x[o + 28];
      a.recoveryToYearEnd += x[o + 29];
      a.compensationToPrevYearEnd += x[o + 30];
      a.recoveryToPrevYearEnd += x[o + 31];
    });
  }

  /** Loans per enterprise (besides the featured ones): the bundle's loans shared out by weight. */
  allocateLoans(): Int32Array {
    const N = this.count;
    const counts = new Int32Array(N);
    let W = 0;
    for (let i = 0; i < N; i++) W += this.weight[i];
    const T = Math.max(0, this.scale.loans - this.featuredLoans().length);
    let cum = 0;
    let prev = 0;
    for (let p = 0; p < N; p++) {
      const wt = this.weight[p];
      if (wt === 0) continue;
      cum += wt;
      const upto = Math.floor((cum * T) / W + 1e-9);
      const c = Math.min(upto, T) - prev;
      prev += c;
      counts[p] = c;
    }
    return counts;
  }

  /** Loans in the bundle: the featured ones, then the allocated ones. */
  loanTotal(counts: Int32Array): number {
    let t = this.featuredLoans().length;
    for (let i = 0; i < counts.length; i++) t += counts[i];
    return t;
  }

  /**
   * Loans chunk c: positions [c·LOAN_CHUNK, (c+1)·LOAN_CHUNK) of the bundle's loans (featured,
   * then `counts[p]` loans of each enterprise p in turn), with their balances, losses and guarantees.
   */
  loanChunk(c: number, counts: Int32Array): { tables: ChunkTables; aggs: Float64Array } {
    this.t = new ChunkTables();
    const s0 = c * this.chunks.loans;
    const s1 = Math.min(this.loanTotal(counts), s0 + this.chunks.loans);
    this.wr = loanCols(this.t, s1 - s0);
    this.rLoan = this.rng('loans', c);
    this.resetAggs();
    // The few forced losses and the one compensation per guarantor shown with a recovery happen in chunk 0 only.
    this.forcedLosses = new Float64Array(LOSS_PRODUCTS.length).fill(c === 0 ? 0 : Infinity);
    this.compensationShown = new Uint8Array(this.guarantors.length).fill(c === 0 ? 0 : 1);
    const featured = this.featuredLoans();
    this.loanSeq = s0;
    let pos = s0;
    for (; pos < s1 && pos < featured.length; pos++) this.loan(featured[pos][0], featured[pos][1]);
    // the allocated loan at position `pos`: enterprise p, its j-th
    let a = pos - featured.length;
    let p = 0;
    while (p < counts.length && a >= counts[p]) a -= counts[p++];
    for (let j = a; pos < s1; pos++) {
      while (j >= counts[p]) {
        p++;
        j = 0;
      }
      this.loan(p, null);
      j++;
    }
    return { tables: this.t, aggs: this.aggs() };
  }

  private featuredLoansCache: [number, LoanOverrides][] | undefined;

  /** Loans each on the boundary or cap of a clause, first in the loans file. */
  private featuredLoans(): [number, LoanOverrides][] {
    if (this.featuredLoansCache) return this.featuredLoansCache;
    const Y = this.year;
    const f = (k: string): number => this.featured.get(k) as number;
    const techBank = this.banks.findIndex((b) => b.techBranch);
    const otherTechBank = this.banks.findIndex((b, i) => b.techBranch && i !== techBank);
    const wz = this.cfg.products.kczs > 0;

    // featured loans: each on the boundary or cap of a clause
    const featured: [number, LoanOverrides][] = [
      // Linhai 8.2: sales exactly 3000万 (及以下 includes), tech-branch loans averaging 13M → 2% hits the 200,000 cap
      [f('tech30m'), { bank: techBank, amountFen: 8_000_000_00, startDay: daysOf(Y - 1, 10, 15), term: 24, bullet: true, noDefault: true, guarantor: -1, products: wz ? ['tech_branch', 'kczs'] : ['tech_branch'] }],
      [f('tech30m'), { bank: otherTechBank, amountFen: 5_000_000_00, startDay: daysOf(Y - 1, 11, 20), term: 36, bullet: true, noDefault: true, guarantor: -1, products: ['tech_branch', 'credit'] }],
      [f('tech30m_above'), { bank: techBank, amountFen: 3_000_000_00, startDay: daysOf(Y, 3, 10), term: 12, bullet: true, noDefault: true, guarantor: -1, products: ['tech_branch'] }],
      [f('tech30m_below'), { bank: otherTechBank, amountFen: 2_000_000_00, startDay: daysOf(Y - 1, 6, 20), term: 24, bullet: false, noDefault: true, guarantor: -1, products: ['tech_branch', 'credit'] }],
      // Linhai 15: a first-loan enterprise with 15M from two banks → over the 10M per-enterprise cap
      [f('first_big'), { bank: 0, amountFen: 9_000_000_00, startDay: daysOf(Y, 2, 15), term: 12, bullet: true, noDefault: true, guarantor: -1, products: ['first_loan'] }],
      [f('first_big'), { bank: 6 % this.banks.length, amountFen: 6_000_000_00, startDay: daysOf(Y, 3, 20), term: 24, bullet: true, noDefault: true, guarantor: -1, products: ['first_loan', 'credit'] }],
      // Liaocheng (八): 单户担保金额1000万元以下 (includes 10,000,000.00), fee 不超过1% (includes 1.00%)
      [f('sec4'), { bank: 2, amountFen: 10_000_000_00, startDay: daysOf(Y, 2, 10), term: 12, bullet: true, noDefault: true, guarantor: 0, fee: 100, products: ['bank_guarantee_batch'] }],
      [f('sec6'), { bank: 4, amountFen: 10_010_000_00, startDay: daysOf(Y, 4, 16), term: 24, bullet: true, noDefault: true, guarantor: 0, fee: 100, products: [] }],
      [f('sec3'), { bank: 5, amountFen: 3_000_000_00, startDay: daysOf(Y, 5, 6), term: 12, bullet: false, noDefault: true, guarantor: 0, fee: 101, products: [] }],
      // the tail of the amount distribution
      [f('platform'), { bank: 3, amountFen: 50_000_000_00, startDay: daysOf(Y - 1, 5, 28), term: 60, bullet: false, noDefault: true, guarantor: -1, products: [] }],
      [f('core1'), { bank: 0, amountFen: 30_000_000_00, startDay: daysOf(Y, 4, 8), term: 36, bullet: false, noDefault: true, guarantor: -1, products: [] }],
    ];
    // Wenzhou 第三条: losses in the year on the three products issued in the year
    const farmer = this.kind.indexOf(K_FARMER);
    if (this.cfg.products.kczs > 0) featured.push([f('sec1'), { bank: 1, amountFen: 2_000_000_00, startDay: daysOf(Y, 3, 15), term: 12, bullet: false, guarantor: -1, forceLoss: true, products: ['kczs', 'tech_branch'] }]);
    if (this.cfg.products.ip_pledge > 0) featured.push([f('sec2'), { bank: 0, amountFen: 1_500_000_00, startDay: daysOf(Y, 2, 20), term: 24, bullet: true, guarantor: -1, forceLoss: true, products: ['ip_pledge'] }]);
    if (this.cfg.products.farmer_asset_trust > 0 && farmer >= 0) featured.push([farmer, { bank: 7 % this.banks.length, amountFen: 300_000_00, startDay: daysOf(Y, 4, 2), term: 12, bullet: false, guarantor: -1, forceLoss: true, products: ['farmer_asset_trust'] }]);
    this.featuredLoansCache = featured;
    return featured;
  }

  private drawGuarantor(p: number): number {
    const reg = this.region[p];
    let table = this.guarantorTables.get(reg);
    if (table === undefined) {
      const code = this.regionCodes[reg];
      const choices: number[] = [];
      const weights: number[] = [];
      this.guarantors.forEach((gu, i) => {
        if (gu.spec.serves.length === 0 || gu.spec.serves.includes(code)) {
          choices.push(i);
          // a county guarantor does much of its own county's business
          weights.push(gu.spec.serves.length && this.regionCodes.length > 1 ? gu.spec.share * 6 : gu.spec.share);
        }
      });
      table = choices.length ? new WeightedTable(weights) : null;
      this.guarantorTables.set(reg, table);
      this.guarantorChoices.set(reg, choices);
    }
    if (!table) return -1;
    return (this.guarantorChoices.get(reg) as number[])[table.draw(this.rLoan)];
  }

  private loan(p: number, o: LoanOverrides | null): void {
    const r = this.rLoan;
    const cfg = this.cfg;
    const mult = cfg.products;
    const Y = this.year;
    const kind = this.kind[p];
    const sz = this.size[p];
    const flags = this.flags[p];
    const ind = INDUSTRY_KEYS[this.industry[p]];
    const tech = (flags & F_TECH) !== 0;
    const wr = this.wr;

    let bank = o?.bank ?? (r.chance(0.65) ? this.primaryBank[p] : this.bankTable.draw(r));
    let mask = 0;
    let project = -1;
    if (o?.products) {
      for (const t of o.products) mask |= BIT[t];
    } else if (this.fintech.length && (kind === K_ENT || kind === K_IND) && r.chance(0.04 * mult.fintech_project)) {
      project = r.int(0, this.fintech.length - 1);
      bank = this.fintech[project].bank;
      mask |= BIT.fintech_project;
    }

    // dates
    let start: number;
    if (o?.startDay !== undefined) start = o.startDay;
    else {
      const y = flags & F_FIRST ? Y : Y - YEARS_BACK[r.draw(LOAN_START_YEAR_WEIGHTS)];
      start = this.cal.jan1(y) + r.int(0, this.cal.jan1(y + 1) - 1 - this.cal.jan1(y));
    }
    const term = o?.term ?? drawTerm(r, kind, sz);
    let maturity = this.cal.addMonths(start, term);
    while (maturity < this.windowStart) {
      start += 365;
      maturity = this.cal.addMonths(start, term);
    }

    // guarantee
    let g = -1;
    if (o?.guarantor !== undefined) g = o.guarantor;
    else if (r.chance(guaranteeProbability(kind, sz))) g = this.drawGuarantor(p);
    const gu = g >= 0 ? this.guarantors[g] : null;

    // amount: log-normal by borrower, round numbers, a tail to 50M
    let amount = o?.amountFen ?? drawLoanAmount(r, kind, sz);

    // products
    if (!o?.products) {
      const isFarmerLike = kind === K_FARMER || kind === K_AGRI;
      if (flags & F_FIRST) mask |= BIT.first_loan;
      if (tech && r.chance(0.3 * mult.kczs)) mask |= BIT.kczs;
      if ((tech ? r.chance(0.15 * mult.ip_pledge) : kind === K_ENT && (ind === 'industry' || ind === 'software') && r.chance(0.02 * mult.ip_pledge))) mask |= BIT.ip_pledge;
      if (kind === K_FARMER && r.chance(0.25 * mult.farmer_asset_trust)) mask |= BIT.farmer_asset_trust;
      if (kind === K_AGRI && r.chance(0.1 * mult.farmer_asset_trust)) mask |= BIT.farmer_asset_trust;
      if (kind === K_ENT && (ind === 'industry' || ind === 'wholesale' || ind === 'retail' || ind === 'warehousing' || ind === 'agriculture')) {
        if (r.chance(0.04 * mult.movable_equipment)) mask |= BIT.movable_equipment;
        if (r.chance(0.025 * mult.movable_raw_material)) mask |= BIT.movable_raw_material;
        if (r.chance(0.015 * mult.movable_semi_finished)) mask |= BIT.movable_semi_finished;
        if (r.chance(0.03 * mult.movable_product)) mask |= BIT.movable_product;
      }
      if (this.banks[bank].techBranch && r.chance((tech ? 0.6 : 0.03) * mult.tech_branch)) mask |= BIT.tech_branch;
      if (kind !== K_FARMER && kind !== K_AGRI && (kind !== K_ENT || sz >= S_SMALL) && r.chance(0.1 * mult.flexible_continuous)) mask |= BIT.flexible_continuous;
      if (gu && gu.government && r.chance(0.55 * mult.bank_guarantee_batch)) mask |= BIT.bank_guarantee_batch;
      if (!gu && (mask & SECURED) === 0 && r.chance((isFarmerLike ? 0.45 : 0.32) * mult.credit)) mask |= BIT.credit;
    }
    if ((mask & SECURED) !== 0 && amount < 100_000_00) amount = 100_000_00 * r.int(1, 5);

    // interest rate, hundredths of a percent, 3.50–6.00
    let rate = RATE_BY_SIZE[sz] ?? RATE_BY_KIND[kind];
    rate += Math.round(r.normal() * 35);
    if (mask & BIT.credit) rate += 25;
    if (gu) rate -= 20;
    if (r.chance(0.2)) rate = r.pick(ROUND_RATES);
    rate = Math.max(350, Math.min(600, rate));

    // repayment schedule, default, early repayment
    const bullet = o?.bullet ?? r.chance(0.5);
    const startM = this.cal.monthOf(start);
    let endDay = maturity;
    let defaultDay = -1;
    let forced = false;
    let showRecovery = false;
    if (o?.forceLoss) forced = true;
    else if (!o?.noDefault) {
      let pd = gu ? gu.hazard : baseDefault(kind, sz);
      if (!gu && start >= this.yearStart && start <= this.sep30) {
        for (let t = 0; t < LOSS_BITS.length; t++) {
          if (mask & LOSS_BITS[t]) {
            if (this.forcedLosses[t] < 3) {
              this.forcedLosses[t]++;
              forced = true;
            }
            pd = Math.max(pd, 0.08);
          }
        }
      }
      if (gu && !o && this.compensationShown[g] === 0 && start < this.yearStart && start >= this.prevYearStart && maturity > this.jul1) {
        // every guarantor compensates at least once in the year, with a recovery after it
        this.compensationShown[g] = 1;
        defaultDay = this.mar1 + r.int(0, 60);
        showRecovery = true;
      } else if (r.chance(pd) && !forced) {
        const lo = Math.max(start + 45, this.prevYearStart);
        const hi = Math.min(maturity - 1, this.yearEnd - 20);
        if (lo <= hi) defaultDay = r.int(lo, hi);
      }
    }
    if (forced) defaultDay = Math.min(start + r.int(45, 110), maturity - 1, this.yearEnd - 31);
    if (defaultDay < 0 && !o && r.chance(0.12)) {
      const lo = start + 60;
      const hi = maturity - 30;
      if (lo < hi) endDay = r.int(lo, hi);
    }
    const endM = this.cal.monthOf(endDay);

    let settleDay = Infinity; // compensation or write-off
    let frozen = 0;
    let dm = Infinity;
    if (defaultDay >= 0) {
      dm = this.cal.monthOf(defaultDay);
      frozen = scheduled(amount, term, Math.min(dm - startM, term - 1), bullet);
      if (gu) settleDay = defaultDay + (showRecovery ? r.int(20, 40) : r.int(20, 90));
      else settleDay = forced ? Math.min(defaultDay + r.int(30, 90), this.yearEnd) : defaultDay + r.int(60, 300);
      if (settleDay > this.yearEnd) settleDay = Infinity;
    }
    const settleM = settleDay === Infinity ? Infinity : this.cal.monthOf(settleDay);

    // loan number n is DK<n>; a guaranteed loan's guarantee is DB<n>
    const num = ++this.loanSeq;
    const row = wr.loans.rows; // in this chunk
    amount = fen(amount);
    wr.id.push(num);
    wr.bank.push(this.banks[bank].row);
    wr.borrower.push(p);
    wr.amount.push(amount);
    wr.start.push(start);
    wr.maturity.push(maturity);
    wr.rate.push(rateHundredths(rate));
    wr.products.push(mask);
    wr.project.push(project);
    wr.guarantor.push(gu ? gu.row : -1);

    // month-end balances in the window
    const sm = this.smallMicro(p);
    const gRow = gu ? wr.guarantees.rows : -1;
    const from = Math.max(this.m0, startM);
    const m0 = this.m0;
    const allBalance = gu ? gu.agg.allBalance : null;
    const smBalance = gu && sm ? gu.agg.smBalance : null;
    // the rows' loan (and guarantee) and month columns go in as runs: one per stretch of months
    let rows = 0;
    let runFrom = -1;
    let runLength = 0;
    for (let mi = from; mi <= this.m1; mi++) {
      let b: number;
      if (mi < dm) b = mi < endM ? scheduled(amount, term, mi - startM, bullet) : 0;
      else b = mi < settleM ? frozen : 0;
      if (b <= 0) continue;
      b = fen(b);
      if (runLength > 0 && mi === runFrom + runLength) runLength++;
      else {
        this.monthRun(runFrom, runLength, gu !== null);
        runFrom = mi;
        runLength = 1;
      }
      rows++;
      wr.bBalance.push(b);
      if (allBalance) {
        wr.gbBalance.push(b);
        allBalance[mi - m0] += b;
        if (smBalance) smBalance[mi - m0] += b;
      }
    }
    this.monthRun(runFrom, runLength, gu !== null);
    wr.bLoan.pushRun(row, rows);
    if (gu) wr.gbGuarantee.pushRun(gRow, rows);

    // losses of the bank
    if (defaultDay >= 0 && settleDay !== Infinity) {
      if (!gu) {
        const loss = Math.round(frozen * r.range(0.55, 1));
        wr.lossRows.push(row, settleDay, loss);
      }
    }

    if (gu) {
      const share = gu.government ? r.pick(GOV_SHARES) : r.pick(COMMERCIAL_SHARES);
      const fee = o?.fee ?? drawFee(r, gu.spec, sm);
      const reg = gu.government && r.chance(0.6) ? this.reguarantor.row : -1;
      const gr = wr.guaranteeRows;
      gr.push(num, gu.row, this.banks[bank].row, p, gr.loanKind, gr.businessPurpose, amount, rateHundredths(fee), start, maturity, ratePercent(share), false, reg);
      if (defaultDay >= 0) {
        if (settleDay !== Infinity) {
          const comp = Math.round((frozen * (100 - share)) / 100);
          this.compensation(gu, gRow, settleDay, comp, sm, r, showRecovery);
          // the bank's share of the loss, booked once recovery is given up
          const bankLoss = frozen - comp;
          const lossDay = settleDay + r.int(30, 120);
          if (bankLoss > 0 && lossDay <= this.yearEnd) wr.lossRows.push(row, lossDay, fen(bankLoss));
        }
      } else if (endDay <= this.yearEnd) {
        wr.eventRows.push(gRow, endDay, wr.eventRows.release, amount);
        if (endDay >= this.yearStart && sm) gu.agg.releasedSm += amount;
      }
    }
  }

  /** A stretch of `length` month-end rows from month `from` on, of the loan's balances and (guaranteed) its guarantee's. */
  private monthRun(from: number, length: number, guaranteed: boolean): void {
    if (length === 0) return;
    this.wr.bMonth.pushRun(from, length);
    if (guaranteed) this.wr.gbMonth.pushRun(from, length);
  }

  /** A compensation event and perhaps recoveries after it (`gRow`: the guarantee's row in this chunk). */
  private compensation(gu: Guarantor, gRow: number, day: number, comp: number, sm: boolean, r: Rng, recover = false): void {
    const ev = this.wr.eventRows;
    ev.push(gRow, day, ev.compensation, comp);
    const a = gu.agg;
    if (day >= this.yearStart && sm) a.compensatedSm += comp;
    a.compensationToYearEnd += comp;
    if (day <= this.prevYearEnd) a.compensationToPrevYearEnd += comp;
    if (r.chance(0.5) || recover) {
      let left = Math.round(comp * r.range(0.1, 0.6));
      let d = day;
      const parts = r.chance(0.4) ? 2 : 1;
      for (let k = 0; k < parts && left > 0; k++) {
        d += recover ? r.int(30, 90) : r.int(30, 200);
        if (d > this.yearEnd) break;
        const amt = k === parts - 1 ? left : Math.round(left * r.range(0.3, 0.7));
        left -= amt;
        ev.push(gRow, d, ev.recovery, amt);
        a.recoveryToYearEnd += amt;
        if (d <= this.prevYearEnd) a.recoveryToPrevYearEnd += amt;
      }
    }
  }

  /** Guarantees outside `loans`: bonds, other financing, non-financing (保函), consumer loans, platform companies. */
  /** Guarantees outside loans in the bundle, given the guarantees of loans. */
  static otherGuaranteeCount(loanGuarantees: number): number {
    return Math.max(24, Math.round(loanGuarantees * 0.25));
  }

  /**
   * Chunk c of the `n` guarantees outside loans: [c·OTHER_CHUNK, (c+1)·OTHER_CHUNK), numbered
   * DB<loans + i + 1>, after every loan's.
   */
  otherChunk(c: number, n: number, loans: number): { tables: ChunkTables; aggs: Float64Array } {
    this.t = new ChunkTables();
    this.wr = loanCols(this.t, Math.min(this.chunks.others, n - c * this.chunks.others), true);
    this.resetAggs();
    const r = this.rng('other_guarantees', c);
    const wr = this.wr;
    const Y = this.year;
    const platform = this.featured.get('platform') as number;
    const govCity = this.guarantors.findIndex((x) => x.government && x.level === 'city');
    const commercial = this.guarantors.findIndex((x) => !x.government);
    const county = this.guarantors.findIndex((x) => x.government && x.level === 'county');
    const nPlatform = Math.max(2, Math.round(n * 0.002));
    const shareTable = new WeightedTable(this.guarantors.map((x) => x.spec.share));
    for (let i = c * this.chunks.others; i < Math.min(n, (c + 1) * this.chunks.others); i++) {
      let kind: string;
      let purpose = 'business';
      let p: number;
      let gIdx: number;
      let amount: number;
      let fee: number;
      let term: number;
      let bank = -1;
      let isPlatform = false;
      if (i < nPlatform) {
        // 地方政府融资平台: what government guarantors must not guarantee (a bond, a loan)
        isPlatform = true;
        p = platform;
        kind = i % 2 === 0 ? 'bond' : 'loan';
        gIdx = i % 2 === 0 ? Math.max(0, commercial) : Math.max(0, county);
        amount = (i % 2 === 0 ? 300_000_000 : 80_000_000) * YUAN;
        fee = i % 2 === 0 ? 100 : 120;
        term = i % 2 === 0 ? 60 : 36;
        if (kind === 'loan') bank = this.banks[0].row;
      } else {
        const u = r.draw(OTHER_GUARANTEE_KIND_WEIGHTS);
        if (u === 0) {
          kind = 'non_financing';
          p = this.pickParty(r, (q) => this.kind[q] === K_ENT && (this.flags[q] & F_PLATFORM) === 0);
          amount = Math.round(r.logUniform(100_000, 20_000_000) / 1000) * 1000 * YUAN;
          fee = r.pick([100, 120, 150, 180, 200]);
          term = r.pick([6, 12, 12, 24]);
        } else if (u === 1) {
          kind = 'loan';
          purpose = 'consumer';
          p = this.pickParty(r, (q) => this.kind[q] === K_FARMER || this.kind[q] === K_OWNER || this.kind[q] === K_IND);
          amount = Math.round(r.logUniform(30_000, 500_000) / 1000) * 1000 * YUAN;
          fee = r.pick([80, 100, 120, 150, 200]);
          term = r.pick([12, 24, 36]);
          bank = this.banks[this.bankTable.draw(r)].row;
        } else if (u === 2) {
          kind = 'other_financing';
          p = this.pickParty(r, (q) => this.kind[q] === K_ENT && (this.flags[q] & F_PLATFORM) === 0);
          amount = Math.round(r.logUniform(500_000, 20_000_000) / 10_000) * 10_000 * YUAN;
          fee = r.pick([120, 150, 180, 200]);
          term = r.pick([12, 24, 36]);
        } else {
          kind = 'bond';
          p = this.pickParty(r, (q) => this.kind[q] === K_ENT && this.size[q] <= S_MEDIUM);
          amount = Math.round(r.logUniform(50_000_000, 500_000_000) / 1_000_000) * 1_000_000 * YUAN;
          fee = r.pick([80, 100, 120, 150]);
          term = r.pick([36, 60]);
        }
        gIdx = kind === 'bond' && govCity >= 0 && r.chance(0.5) ? govCity : kind !== 'loan' && commercial >= 0 && r.chance(0.3) ? commercial : shareTable.draw(r);
      }
      const gu = this.guarantors[gIdx];
      const y = Y - YEARS_BACK[r.draw(OTHER_GUARANTEE_START_YEAR_WEIGHTS)];
      let start = this.cal.jan1(y) + r.int(0, 360);
      let end = this.cal.addMonths(start, term);
      while (end < this.windowStart) {
        start += 365;
        end = this.cal.addMonths(start, term);
      }
      const share = kind === 'loan' && bank >= 0 ? r.pick(gu.government ? GOV_SHARES : COMMERCIAL_SHARES) : 0;
      const gRow = wr.guarantees.rows;
      const reg = gu.government && kind === 'loan' && !isPlatform && r.chance(0.4) ? this.reguarantor.row : -1;
      wr.guaranteeRows.push(loans + i + 1, gu.row, bank, p, wr.guaranteeRows.kindCode(kind), wr.guaranteeRows.purposeCode(purpose), fen(amount), rateHundredths(fee), start, end, ratePercent(share), isPlatform, reg);
      const startM = this.cal.monthOf(start);
      const endM = this.cal.monthOf(end);
      const defaulted = !isPlatform && r.chance(0.02);
      let settle = Infinity;
      let frozen = amount;
      if (defaulted) {
        const lo = Math.max(start + 45, this.prevYearStart);
        const hi = Math.min(end - 1, this.yearEnd - 20);
        if (lo <= hi) settle = r.int(lo, hi) + r.int(20, 90);
        if (settle > this.yearEnd) settle = Infinity;
      }
      const amortizing = purpose === 'consumer';
      const settleM = settle === Infinity ? Infinity : this.cal.monthOf(settle);
      for (let mi = Math.max(this.m0, startM); mi <= this.m1; mi++) {
        if (mi >= endM || mi >= settleM) break;
        const b = amortizing ? Math.round((amount * (term - (mi - startM))) / term / 100) * 100 : amount;
        frozen = b;
        wr.gbGuarantee.push(gRow);
        wr.gbMonth.push(mi);
        wr.gbBalance.push(fen(b));
        gu.agg.allBalance[mi - this.m0] += fen(b);
      }
      if (settle !== Infinity) this.compensation(gu, gRow, settle, Math.round((frozen * (100 - share)) / 100), false, r);
      else if (end <= this.yearEnd) wr.eventRows.push(gRow, end, wr.eventRows.release, fen(amount));
    }
    return { tables: this.t, aggs: this.aggs() };
  }

  // -------------------------------------------------------------------------------------------
  // Guarantors' yearly accounts

  /**
   * The tables after the guarantees: the guarantors' yearly accounts (from `aggs`, every loan and
   * other-guarantee chunk's totals), outlets, insurance, securitizations and supply-chain financings.
   */
  tail(aggs: readonly Float64Array[]): ChunkTables {
    this.t = new ChunkTables();
    this.resetAggs();
    for (const a of aggs) this.addAggs(a);
    this.institutionYears();
    this.outlets();
    this.insurance();
    this.securitizations();
    this.supplyChain();
    return this.t;
  }

  private institutionYears(): void {
    const r = this.rng('institution_years');
    const w = this.open('institution_years');
    const Y = this.year;
    const roundWan = (x: number): number => Math.round(x / (100 * WAN)) * 100 * WAN; // to 100万元
    for (const gu of this.guarantors) {
      const a = gu.agg;
      let smAvg = 0;
      let allAvg = 0;
      for (let m = 1; m <= 12; m++) {
        smAvg += a.smBalance[m] / 12;
        allAvg += a.allBalance[m] / 12;
      }
      let capital: number;
      if (gu.spec.capitalMultiple > 0) {
        // Wenzhou 第九条: land clearly above or below 8× (to 10万元)
        capital = Math.max(10 * WAN, Math.round(smAvg / gu.spec.capitalMultiple / (10 * WAN)) * 10 * WAN);
      } else {
        capital = Math.max(2000 * WAN, roundWan(allAvg / r.range(2.5, 6)));
      }
      const injection = gu.government && gu.level === 'city' && r.chance(0.7) ? roundWan(capital * r.range(0.05, 0.15)) : 0;
      const capitalPrev = Math.max(10 * WAN, capital - injection);
      const naPrev = Math.round(capitalPrev * r.range(1.02, 1.2) / 100) * 100;
      const na = Math.round((naPrev + (capital - capitalPrev)) * r.range(0.99, 1.05) / 100) * 100;
      const equityInv = gu.government && gu.level === 'city' ? roundWan(capital * r.range(0.04, 0.12)) : 0;
      const stateShare = gu.government ? (gu.spec.category === '12' ? 1 : r.pick([1, 1, 0.9, 0.8])) : 0;
      const scPrevBegin = Math.round(naPrev * stateShare * r.range(0.95, 1.0) / 100) * 100;
      const scPrevEnd = Math.round(naPrev * stateShare / 100) * 100;
      const scEnd = Math.round(na * stateShare / 100) * 100;
      const objective = Math.round(injection * stateShare / 100) * 100;
      const endAll = a.allBalance[12];
      const prevAll = a.allBalance[0];
      const reserves = Math.round(endAll * r.range(0.012, 0.03) / 100) * 100;
      const reservesPrev = Math.round(prevAll * r.range(0.012, 0.03) / 100) * 100;
      const recv = Math.max(0, a.compensationToYearEnd - a.recoveryToYearEnd);
      const recvPrev = Math.max(0, a.compensationToPrevYearEnd - a.recoveryToPrevYearEnd);
      const st = (x: number): number => (gu.government ? fen(x) : NaN);
      w.row([gu.row, Y - 1, fen(capitalPrev), fen(naPrev), fen(equityInv), st(scPrevBegin), st(scPrevEnd), st(0), fen(reservesPrev), fen(recvPrev)]);
      w.row([gu.row, Y, fen(capital), fen(na), fen(equityInv), st(scPrevEnd), st(scEnd), st(objective), fen(reserves), fen(recv)]);
    }
    // the reguarantor
    const rc = 5_000_000_000 * YUAN;
    const rg = this.reguarantor.row;
    w.row([rg, Y - 1, fen(rc), fen(rc * 1.08), fen(rc * 0.3), fen(rc * 1.05), fen(rc * 1.08), 0, fen(rc * 0.02), fen(rc * 0.004)]);
    w.row([rg, Y, fen(rc), fen(rc * 1.11), fen(rc * 0.32), fen(rc * 1.08), fen(rc * 1.11), 0, fen(rc * 0.022), fen(rc * 0.005)]);
  }

  // -------------------------------------------------------------------------------------------
  // Outlets (Linhai 第七条)

  private outlets(): void {
    const r = this.rng('outlets');
    const w = this.open('outlets');
    const Y = this.year;
    let n = 0;
    const write = (bank: number, region: string, location: string, opened: number, dl: boolean): void => {
      w.row([`WD${String(++n).padStart(5, '0')}`, this.banks[bank].row, region, location, opened, dl]);
    };
    const port = this.cfg.hasPortZone;
    // boundary cases first: opened on the first and last day of the year, with and without 存贷
    write(0, this.mainRegion(), 'town', daysOf(Y, 1, 1), true);
    write(1 % this.banks.length, this.mainRegion(), port ? 'port_zone' : 'town', daysOf(Y, 12, 31), true);
    write(2 % this.banks.length, this.mainRegion(), 'town', daysOf(Y, 6, 18), false);
    write(3 % this.banks.length, this.mainRegion(), port ? 'port_zone' : 'town', daysOf(Y - 1, 12, 31), true);
    const total = this.banks.length * this.scale.outletsPerBank;
    while (n < total) {
      const bank = this.bankTable.draw(r);
      const region = this.regionCodes[this.regionTable.draw(r)];
      const u = r.next();
      const location = u < 0.42 ? 'town' : port && u < 0.55 ? 'port_zone' : '';
      const yearsAgo = r.draw(OUTLET_AGE_WEIGHTS);
      const opened = yearsAgo === 0 ? daysOf(Y, 1, 1) + r.int(0, 364) : yearsAgo === 1 ? daysOf(Y - 1, 1, 1) + r.int(0, 364) : daysOf(r.int(2005, Y - 2), 1, 1) + r.int(0, 364);
      write(bank, region, location, opened, r.chance(0.8));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Insurance (Wenzhou 第三条 products, 第四条 policies)

  private insurance(): void {
    const r = this.rng('insurance');
    const Y = this.year;
    const pw = this.open('insurance_products');
    let n = 0;
    const ins = (i: number): number => this.insurers[i % this.insurers.length].row;
    const product = (insurer: number, year: number, premiumYuan: number, claimsYuan: number, stopPct: number): void => {
      pw.row([`BXCP${String(++n).padStart(4, '0')}`, ins(insurer), year, fen(premiumYuan * 100), fen(claimsYuan * 100), rateHundredths(stopPct * 100)]);
    };
    product(0, Y, 1_000_000, 900_000, 80); // pays claims − 80% × premium = 100,000 (< 20% × premium)
    product(1, Y, 2_000_000, 3_000_000, 100); // 20% × premium = 400,000 binds
    product(2, Y, 80_000_000, 90_000_000, 90); // huge: the 1,000,000 per-product cap binds
    product(0, Y, 500_000, 400_000, 80); // exactly at the stop-sale ratio: 超过 excludes it
    product(1, Y, 3_000_000, 1_200_000, 70); // below
    product(2, Y - 1, 1_500_000, 2_400_000, 90); // previous year
    for (let i = 0; i < this.insurers.length * this.scale.productsPerInsurer; i++) {
      const premium = Math.round(r.logUniform(200_000, 20_000_000));
      const stop = r.pick([60, 70, 80, 90, 100, 120]);
      const ratio = r.chance(0.35) ? stop / 100 + r.range(0.01, 0.8) : r.range(0.2, stop / 100);
      product(i, r.chance(0.85) ? Y : Y - 1, premium, Math.round(premium * ratio), stop);
    }

    const w = this.open('insurance_policies');
    const rates = [80, 100, 110, 120, 125, 150, 200];
    const rateWeights = [10, 20, 10, 30, 5, 15, 10];
    for (let i = 0; i < this.scale.insurancePolicies; i++) {
      const p =
        i % 40 === 7
          ? this.pickParty(r, (q) => this.kind[q] === K_ENT && this.size[q] <= S_MEDIUM) // not small/micro
          : this.pickParty(r, (q) => this.smallMicro(q) && this.kind[q] !== K_OWNER && (this.flags[q] & F_PLATFORM) === 0);
      const amount = Math.round(r.logNormal(400_000, 0.7) / 1000) * 1000;
      const rate = i % 10 === 0 ? 120 : rates[r.weighted(rateWeights)];
      w.row([`BD${Y}${String(i + 1).padStart(7, '0')}`, ins(r.int(0, this.insurers.length - 1)), p, r.chance(0.9) ? Y : Y - 1, fen(YUAN * Math.max(20_000, Math.min(5_000_000, amount))), rateHundredths(rate)]);
    }
  }

  // -------------------------------------------------------------------------------------------
  // 技术产权证券化 (Wenzhou 第五条)

  private securitizations(): void {
    const r = this.rng('securitizations');
    const w = this.open('securitizations');
    const Y = this.year;
    const f = (k: string): number => this.featured.get(k) as number;
    const g0 = this.guarantors[0].row;
    const gC = this.guarantors[Math.min(2, this.guarantors.length - 1)].row;
    let n = 0;
    const row = (ent: number, year: number, interest: number, fees: number, guarantor: number, lossFen: number, issuer: number): void => {
      w.row([`JSCQ${Y}${String(++n).padStart(4, '0')}`, ent, year, fen(interest), fen(fees), guarantor, guarantor >= 0 ? fen(lossFen) : NaN, this.issuers[issuer % this.issuers.length].row]);
    };
    // sec1: interest 30% = 450,000 > 400,000 cap; guarantor loss 20% = 5,000,000 > 4,000,000 cap
    row(f('sec1'), Y, 1_500_000_00, 800_000_00, g0, 25_000_000_00, 0);
    // sec2: two projects summing to 1,333,333.33 (30% rounds to exactly the cap)
    row(f('sec2'), Y, 800_000_00, 300_000_00, -1, 0, 1);
    row(f('sec2'), Y, 533_333_33, 200_000_00, -1, 0, 0);
    row(f('sec3'), Y, 600_000_00, 350_000_00, -1, 0, 0);
    row(f('sec4'), Y, 420_000_00, 260_000_00, gC, 3_000_000_00, 1);
    row(f('sec5'), Y, 250_000_00, 180_000_00, g0, 0, 2);
    row(f('sec6'), Y - 1, 500_000_00, 300_000_00, -1, 0, 0); // previous year
    row(f('mujun_d'), Y, 700_000_00, 320_000_00, -1, 0, 0); // 亩均 D: excluded
    row(f('outside'), Y, 300_000_00, 150_000_00, -1, 0, 1); // outside 市区 in Wenzhou
    row(f('incident_prev'), Y, 350_000_00, 160_000_00, g0, 1_200_000_00, 0);
    for (let i = 0; i < this.scale.securitizations; i++) {
      const p = this.pickParty(r, (q) => (this.flags[q] & F_TECH) !== 0 && this.kind[q] === K_ENT);
      const principal = r.logUniform(5_000_000, 50_000_000);
      const interest = Math.round(principal * r.range(0.03, 0.05)) * YUAN;
      const fees = Math.round(principal * r.range(0.008, 0.02)) * YUAN;
      const guaranteed = r.chance(0.6);
      const gIdx = r.int(0, this.guarantors.length - 1);
      const loss = guaranteed && r.chance(0.15) ? Math.round(principal * r.range(0.1, 0.6)) * YUAN : 0;
      row(p, r.chance(0.85) ? Y : Y - 1, interest, fees, guaranteed ? this.guarantors[gIdx].row : -1, loss, r.int(0, 9));
    }
  }

  // -------------------------------------------------------------------------------------------
  // 应收账款确权融资 (Wenzhou 第六条)

  private supplyChain(): void {
    const r = this.rng('supply_chain');
    const w = this.open('supply_chain_financings');
    const Y = this.year;
    let n = 0;
    const cp = (): number => this.pickParty(r, (q) => this.kind[q] === K_ENT && this.size[q] >= S_SMALL && (this.flags[q] & F_EXCLUDED) === 0);
    const core = (key: string | number, counterparties: number, inYear: number, prevYear: number, amountYuan: () => number): void => {
      const c = typeof key === 'string' ? (this.featured.get(key) as number) : key;
      const cps: number[] = [];
      while (cps.length < counterparties) {
        const q = cp();
        if (q !== c && !cps.includes(q)) cps.push(q);
      }
      const total = inYear + prevYear;
      for (let k = 0; k < total; k++) {
        const who = k < counterparties ? cps[k] : cps[r.int(0, counterparties - 1)];
        const day = k < inYear ? daysOf(Y, 1, 1) + r.int(0, 364) : daysOf(Y - 1, 1, 1) + r.int(0, 364);
        w.row([`YSZK${Y}${String(++n).padStart(6, '0')}`, c, who, day, fen(Math.round(amountYuan() / 100) * 100 * YUAN)]);
      }
    };
    const typical = (): number => r.logUniform(100_000, 5_000_000);
    core('core1', 5, 10, 0, typical); // exactly 5 enterprises and 10 financings: qualifies (含)
    core('core2', 5, 9, 0, typical); // 9 financings
    core('core3', 4, 12, 0, typical); // 4 enterprises
    core('core4', 8, 25, 0, () => r.range(8_000_000, 12_000_000)); // ~250M: 0.1% over the 200,000 cap
    core('core5', 6, 8, 2, typical); // 10 in all but only 8 in the year
    core('real_estate', 6, 12, 0, typical); // excluded: real estate
    core('incident', 7, 11, 0, typical); // excluded: major incident this year
    core('tax_outside', 5, 10, 0, typical); // pays taxes outside 市区 (Wenzhou)
    for (let i = 0; i < this.scale.supplyChainCores; i++) {
      const c = this.pickParty(r, (q) => this.kind[q] === K_ENT && this.size[q] <= S_MEDIUM);
      const k = r.int(3, 15);
      core(c, k, k + r.int(0, 25), r.chance(0.2) ? r.int(1, 5) : 0, typical);
    }
  }
}

const LINHAI_TOWNS = ['杜桥镇', '东塍镇', '汛桥镇', '白水洋镇', '永丰镇', '括苍镇', '河头镇', '尤溪镇', '涌泉镇', '桃渚镇', '上盘镇', '小芝镇', '汇溪镇', '大田街道', '古城街道', '江南街道', '大洋街道', '邵家渡街道', '沿江镇'];

const GOV_SHARES = [20, 20, 20, 20, 20, 20, 10, 0, 0, 30, 25, 15];
const COMMERCIAL_SHARES = [0, 0, 0, 0, 0, 0, 0, 10, 20, 5];

const weightLists = new WeakMap<Record<string, number>, [string[], Weights]>();
function pickWeighted(r: Rng, table: Record<string, number>): string {
  let kw = weightLists.get(table);
  if (!kw) {
    const keys = Object.keys(table);
    weightLists.set(table, (kw = [keys, new Weights(keys.map((k) => table[k]))]));
  }
  return kw[0][r.draw(kw[1])];
}

/** The scheduled balance `k` months after the start: all of it (bullet) or paid down evenly, in whole yuan. */
function scheduled(amount: number, term: number, k: number, bullet: boolean): number {
  return bullet ? amount : Math.round((amount * (term - k)) / term / 100) * 100;
}

function drawTerm(r: Rng, kind: number, size: number): number {
  if (kind === K_FARMER) return TERMS_3[r.draw(FARMER_TERM_WEIGHTS)];
  if (kind === K_IND) return TERMS_IND[r.draw(INDIVIDUAL_TERM_WEIGHTS)];
  if (kind === K_OWNER) return TERMS_3[r.draw(OWNER_TERM_WEIGHTS)];
  if (kind === K_AGRI) return TERMS_3[r.draw(AGRI_TERM_WEIGHTS)];
  if (size <= S_MEDIUM) return TERMS_MID[r.draw(MIDSIZE_TERM_WEIGHTS)];
  return TERMS_SMALL[r.draw(SMALL_TERM_WEIGHTS)];
}

/** [median, sigma, lo, hi] in yuan of a loan's amount, by enterprise size (large … micro), then for the other kinds. */
const AMOUNT_BY_SIZE: readonly (readonly [number, number, number, number])[] = [
  [12_000_000, 0.6, 1_000_000, 50_000_000], [6_000_000, 0.7, 500_000, 50_000_000], [2_500_000, 0.8, 100_000, 30_000_000], [800_000, 0.8, 50_000, 10_000_000],
];
const AMOUNT_BY_KIND: Partial<Record<number, readonly [number, number, number, number]>> = {
  [K_FARMER]: [150_000, 0.7, 10_000, 3_000_000],
  [K_IND]: [300_000, 0.8, 20_000, 5_000_000],
  [K_OWNER]: [500_000, 0.8, 50_000, 10_000_000],
  [K_AGRI]: [800_000, 0.8, 50_000, 10_000_000],
};

/** Contract amount in fen: log-normal by borrower, rounded like real contracts, 10,000 to 50,000,000 yuan. */
function drawLoanAmount(r: Rng, kind: number, size: number): number {
  const [median, sigma, lo, hi] = kind === K_ENT ? AMOUNT_BY_SIZE[size] : (AMOUNT_BY_KIND[kind] as readonly [number, number, number, number]);
  let y = Math.min(hi, Math.max(lo, r.logNormal(median, sigma)));
  if (r.chance(0.05)) return Math.round(y) * YUAN; // an odd amount
  const step = y < 1_000_000 ? 10_000 : y < 10_000_000 ? 100_000 : 1_000_000;
  y = Math.max(step, Math.round(y / step) * step);
  return Math.min(hi, y) * YUAN;
}

const GUARANTEED_BY_SIZE = [0.03, 0.09, 0.2, 0.22];
const GUARANTEED_BY_KIND = [0, 0.16, 0.12, 0.25, 0.14];
function guaranteeProbability(kind: number, size: number): number {
  return kind === K_ENT ? GUARANTEED_BY_SIZE[size] : GUARANTEED_BY_KIND[kind];
}

const DEFAULT_FACTOR_BY_SIZE = [0.3, 0.6, 1, 1.3];
const DEFAULT_FACTOR_BY_KIND = [0, 1.2, 0.9, 1, 1.1];
/** Probability that an unguaranteed loan defaults during the window. */
function baseDefault(kind: number, size: number): number {
  const f = kind === K_ENT ? DEFAULT_FACTOR_BY_SIZE[size] : DEFAULT_FACTOR_BY_KIND[kind];
  return 0.02 * f;
}

const feeTables = new WeakMap<GuarantorSpec['fees'], Weights>();
function feeWeights(f: GuarantorSpec['fees']): Weights {
  let w = feeTables.get(f);
  if (!w) feeTables.set(f, (w = new Weights(f.weights)));
  return w;
}

/** Annual fee rate, hundredths of a percent. */
function drawFee(r: Rng, spec: GuarantorSpec, smallMicro: boolean): number {
  const f = spec.fees;
  if (smallMicro && f.flat !== undefined) return f.flat;
  let fee = f.rates[r.draw(feeWeights(f))];
  if (!smallMicro) fee = Math.min(200, fee + r.pick([20, 30, 50]));
  return fee;
}
