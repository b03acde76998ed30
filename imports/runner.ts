/**
 * Runs one import, all or nothing: records are validated one by one and streamed with COPY into a
 * temporary staging table, cross-row checks run in SQL, and only when nothing at all is wrong are
 * the staged rows merged into the real tables, in the same transaction. Any problem rolls back
 * everything and the report lists every rejected row. Memory holds one batch, never the file.
 */
import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';
import pg from 'pg';
import type { Db } from '../db/database';
import { poolOf } from '../db/database';
import type { AnyImportKind, ImportProblem, ImportScope, ImportSession, MergeCounts, SourceRecord } from './types';
import { UnreadableInputError } from './types';
import { csvField } from './fast';
import { showableText } from '../domain/text';

export interface ImportReport {
  readonly importRunId: number;
  readonly kind: string;
  readonly source: string;
  readonly format: string;
  readonly status: 'applied' | 'rejected';
  readonly rowsRead: number;
  readonly rowsRejected: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Every problem found, up to MAX_PROBLEMS; problemsTotal says how many there were. */
  readonly problems: readonly ImportProblem[];
  readonly problemsTotal: number;
}

export interface RunImportOptions {
  readonly kind: AnyImportKind;
  readonly records: AsyncIterable<SourceRecord>;
  /** A file name or 'request body', for the record of the run. */
  readonly source: string;
  readonly format: string;
  readonly actor: string;
  readonly scope: ImportScope;
  /** Called now and then with the number of records read so far. */
  readonly onProgress?: (rowsRead: number) => void;
}

export const MAX_PROBLEMS = 100_000;
const COPY_BATCH_BYTES = 256 * 1024;
const PROGRESS_EVERY = 10_000;

export async function runImport(db: Db, options: RunImportOptions): Promise<ImportReport> {
  const { kind } = options;
  const startedAt = new Date();
  const client = await poolOf(db).connect();
  const session: ImportSession = { client, query: (text, values) => client.query(text, values) };
  const problems: ImportProblem[] = [];
  let problemsTotal = 0;
  const rejectedRows = new Set<number>();
  const report = (problem: ImportProblem) => {
    problemsTotal += 1;
    rejectedRows.add(problem.row);
    // A value is shown as the file had it, but a NUL in it would stop the run's record being stored.
    if (problems.length < MAX_PROBLEMS) problems.push({ ...problem, value: showableText(problem.value) });
  };
  let rowsRead = 0;
  let counts: MergeCounts = { inserted: 0, updated: 0, unchanged: 0 };
  try {
    await client.query('begin');
    // Staged files are sorted, grouped and joined whole, and a bulk load rebuilds indexes: give this
    // transaction's sorts and hashes room to stay in memory instead of spilling to disk.
    await client.query(`set local work_mem = '256MB'`);
    await client.query(`set local maintenance_work_mem = '256MB'`);
    // Each statement here runs once over the staged file: compiling it (JIT) cost 0.6 s on the
    // duplicate check of a million rows alone, more than it could save on queries this simple.
    await client.query('set local jit = off');
    const context = await kind.loadContext(session, options.scope);
    const columns = ['row_number', ...kind.staging.map(([column]) => column)];
    await client.query(
      `create temporary table import_staging (row_number integer not null, ${kind.staging
        .map(([column, type]) => `${column} ${type}`)
        .join(', ')}) on commit drop`,
    );

    const copy = client.query(copyFrom(`copy import_staging (${columns.join(', ')}) from stdin (format csv)`));
    const copied = once(copy, 'finish');
    // Lines are collected in an array and joined once per batch: appending each line to one long
    // string built ropes that lived long enough to be promoted, and garbage collection then took
    // about a third of the import's time.
    let lines: string[] = [];
    let batchLength = 0;
    const takeBatch = () => {
      const text = lines.length ? `${lines.join('\n')}\n` : '';
      lines = [];
      batchLength = 0;
      return text;
    };
    try {
      for await (const record of options.records) {
        rowsRead += 1;
        if (rowsRead % PROGRESS_EVERY === 0) options.onProgress?.(rowsRead);
        if (record.problems) {
          record.problems.forEach(report);
          continue;
        }
        const parsed = kind.parse(record, context);
        if (!parsed.ok) {
          parsed.problems.forEach(report);
          continue;
        }
        // Good rows are staged even after a bad one, so cross-row checks can report on them too.
        const line = `${record.row},${kind.toCopyLine ? kind.toCopyLine(parsed.row) : kind.toStaging(parsed.row).map(csvField).join(',')}`;
        lines.push(line);
        batchLength += line.length;
        if (batchLength >= COPY_BATCH_BYTES) {
          if (!copy.write(takeBatch())) await once(copy, 'drain');
        }
      }
    } catch (error) {
      if (!(error instanceof UnreadableInputError)) {
        // Abandon the COPY (the server is told it failed), so the connection can roll back.
        copy.destroy(error as Error);
        await copied.catch(() => {});
        throw error;
      }
      error.problems.forEach(report);
    }
    copy.end(takeBatch());
    await copied;
    options.onProgress?.(rowsRead);
    // Temporary tables get no statistics from autovacuum: without them the checks and the merge are
    // planned for an empty table.
    await client.query('analyze import_staging');

    if (kind.checkStaged) (await kind.checkStaged(session)).forEach(report);
    if (problemsTotal > 0) {
      await client.query('rollback');
    } else {
      counts = await kind.merge(session);
    }
    const status = problemsTotal > 0 ? 'rejected' : 'applied';
    const { rows } = await client.query<{ id: number }>(
      `insert into import_runs (kind, source_name, format, actor, status, rows_read, rows_rejected, inserted, updated, unchanged, started_at, problems)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
      [
        kind.name,
        options.source,
        options.format,
        options.actor,
        status,
        rowsRead,
        rejectedRows.size,
        counts.inserted,
        counts.updated,
        counts.unchanged,
        startedAt,
        JSON.stringify(problems.slice(0, 1_000)),
      ],
    );
    if (status === 'applied') {
      await client.query('commit');
      if (kind.analyzes) await analyzeChanged(client, kind.analyzes, counts.inserted + counts.updated);
    }
    problems.sort((a, b) => a.row - b.row);
    return {
      importRunId: Number(rows[0]!.id),
      kind: kind.name,
      source: options.source,
      format: options.format,
      status,
      rowsRead,
      rowsRejected: rejectedRows.size,
      ...counts,
      problems,
      problemsTotal,
    };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Autovacuum analyses a table once a tenth of it has changed, but in its own time: a campaign or dry
 * run launched straight after loading a waiting list would be planned for the table as it was (a
 * first load plans for an empty one, and a region's cohort read takes seconds instead of
 * milliseconds). So the import does it at once when it changed that much, or the table has never been
 * analysed.
 */
async function analyzeChanged(client: pg.PoolClient, tables: readonly string[], changedRows: number): Promise<void> {
  if (changedRows === 0) return;
  for (const table of tables) {
    const { rows } = await client.query<{ reltuples: number }>('select reltuples::float8 as reltuples from pg_class where oid = $1::regclass', [table]);
    const estimated = rows[0]?.reltuples ?? -1;
    if (estimated < 0 || changedRows >= ANALYZE_SHARE * estimated) await client.query(`analyze ${pg.escapeIdentifier(table)}`);
  }
}

/** The share of a table an import must change for it to analyse the table (autovacuum's default). */
const ANALYZE_SHARE = 0.1;
