/**
 * What every import shares: the problems it reports and the shape of a kind (its documented columns,
 * how one record becomes a row, and how staged rows merge into the tables).
 */
import type pg from 'pg';

/** One thing wrong with the input: which row (the header is row 1), which field, what it held, why. */
export interface ImportProblem {
  readonly row: number;
  readonly field: string;
  readonly value: string;
  readonly reason: string;
}

/** A record from any source (CSV, an official NHS file, FHIR), keyed by the kind's column names. */
export interface SourceRecord {
  readonly row: number;
  readonly values: Readonly<Record<string, string>>;
  /**
   * Why the reader could not make a record of this row (it has too few fields, say): the row is
   * rejected for them, and reading goes on, so one report names every bad row of the file.
   */
  readonly problems?: readonly ImportProblem[];
}

export interface ColumnSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  readonly example: string;
}

/** Raised by a reader when the input cannot be read further (bad encoding, broken quoting, missing columns). */
export class UnreadableInputError extends Error {
  override name = 'UnreadableInputError';
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map((problem) => `row ${problem.row}, ${problem.field}: ${problem.reason}`).join('; '));
  }
}

export type ParseResult<Row> = { readonly ok: true; readonly row: Row } | { readonly ok: false; readonly problems: ImportProblem[] };

export interface MergeCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** The database work of one import, on one connection inside one transaction. */
export interface ImportSession {
  readonly client: pg.PoolClient;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Whose import this is: rows must fall within the caller's region or provider, when set. */
export interface ImportScope {
  readonly regionCode?: string | null;
  readonly providerOds?: string | null;
}

export interface ImportKind<Row, Context = unknown> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly columns: readonly ColumnSpec[];
  /** Loads what validation needs to know (known codes), once per import. */
  loadContext(session: ImportSession, scope: ImportScope): Promise<Context>;
  /** Validates and normalises one record; every problem is named, not only the first. */
  parse(record: SourceRecord, context: Context): ParseResult<Row>;
  /** Columns of the staging table and their SQL types, in the order toStaging returns values. */
  readonly staging: readonly (readonly [column: string, type: string])[];
  toStaging(row: Row): readonly (string | number | boolean | null)[];
  /**
   * The same values as one line of COPY CSV (fields joined by commas, no row number), for kinds with
   * rows enough that building an array and quoting every field costs seconds.
   */
  toCopyLine?(row: Row): string;
  /** Checks across rows, in SQL over the staging table (duplicates, conflicting facts). */
  checkStaged?(session: ImportSession): Promise<ImportProblem[]>;
  /** Applies the staged rows: inserts new ones, updates changed ones, leaves equal ones alone. */
  merge(session: ImportSession): Promise<MergeCounts>;
  /**
   * Tables a merge may change enough that the planner must hear of it before the next campaign reads
   * them (a national waiting list loaded at once): analysed after such an import (runner.ts).
   */
  readonly analyzes?: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyImportKind = ImportKind<any, any>;
