// One chunk of work (enterprises, loans or other guarantees) and what comes back from it: the
// same code on the main thread (workers: 0) and in worker threads (worker.ts).
import type { TableName } from '@caijin/ledger';
import { chunkCsv, type RefTexts } from './csv-out.ts';
import type { CsvFileEncoding } from './csv.ts';
import { Generator, type DemoSpec, type PartyAttrs } from './generate.ts';
import { prepareChunk } from './snapshot-out.ts';
import { toWire, TextCol, type ChunkTables, type WireChunk } from './table.ts';

export interface JobInit {
  spec: DemoSpec;
  /** CSV text of the chunks, or their typed columns (for a snapshot). */
  format: 'csv' | 'snapshot';
  encoding?: CsvFileEncoding;
  attrs: PartyAttrs;
}

export type Task =
  | { kind: 'parties'; chunk: number }
  | { kind: 'loans'; chunk: number }
  | { kind: 'others'; chunk: number; n: number; loans: number };

export interface ChunkResult {
  /** format 'snapshot': the columns. */
  wire?: WireChunk;
  /** format 'csv': the lines of each table. */
  csv?: Partial<Record<TableName, Uint8Array>>;
  rows: Partial<Record<TableName, number>>;
  /** Loan and other-guarantee chunks: the guarantor totals. */
  aggs?: Float64Array;
  /** CSV of enterprise chunks: the enterprises' ids, which other chunks' foreign keys are written with. */
  partyIds?: string[];
}

export class ChunkJob {
  readonly g: Generator;
  private readonly init: JobInit;
  private counts: Int32Array | undefined;
  private refs: RefTexts | undefined;

  constructor(init: JobInit, g?: Generator) {
    this.init = init;
    this.g = g ?? new Generator(init.spec);
    this.g.useParties(init.attrs);
  }

  /** Loans per enterprise, once every enterprise chunk is done. */
  setCounts(counts: Int32Array): void {
    this.counts = counts;
  }

  /** For CSV: the ids of every enterprise. */
  setPartyIds(ids: readonly string[]): void {
    this.refs = { institutions: this.g.institutionIds(), enterprises: ids, fintech_projects: this.g.fintechIds() };
  }

  run(task: Task): { result: ChunkResult; transfer: ArrayBuffer[] } {
    let tables: ChunkTables;
    let aggs: Float64Array | undefined;
    if (task.kind === 'parties') tables = this.g.partyChunk(task.chunk);
    else if (task.kind === 'loans') {
      if (!this.counts) throw new Error('demo-data: loan chunk before the allocation');
      ({ tables, aggs } = this.g.loanChunk(task.chunk, this.counts));
    } else ({ tables, aggs } = this.g.otherChunk(task.chunk, task.n, task.loans));
    const rows: Partial<Record<TableName, number>> = {};
    for (const [name, t] of Object.entries(tables.tables)) rows[name as TableName] = t.rows;
    if (this.init.format === 'snapshot') {
      prepareChunk(tables);
      const { wire, transfer } = toWire(tables);
      return { result: { wire, rows, aggs }, transfer };
    }
    const result: ChunkResult = { rows, aggs, csv: {} };
    const transfer: ArrayBuffer[] = [];
    if (task.kind === 'parties') result.partyIds = (tables.get('enterprises').text('id') as TextCol).dict;
    const refs = this.refs ?? { institutions: this.g.institutionIds(), enterprises: [], fintech_projects: this.g.fintechIds() };
    for (const name of Object.keys(tables.tables) as TableName[]) {
      const b = chunkCsv(tables, name, refs, this.init.encoding);
      // a copy of just the bytes used, so the transfer hands over no more than that
      const own = new Uint8Array(b.length);
      own.set(b);
      result.csv![name] = own;
      transfer.push(own.buffer);
    }
    return { result, transfer };
  }
}
