/**
 * The shape most kinds share: each record is one row of one table with a natural key. Staged rows
 * are merged with INSERT … ON CONFLICT, updating only rows whose values differ, so importing the same
 * file twice changes nothing and a corrected file updates in place.
 */
import { FieldReader } from './fields';
import type { ColumnSpec, ImportKind, ImportProblem, ImportScope, ImportSession, MergeCounts, SourceRecord } from './types';

export type StagedValue = string | number | boolean | null;

export interface UpsertTarget {
  readonly table: string;
  /** Target columns, filled from the same-named staging columns unless `select` says otherwise. */
  readonly columns: readonly string[];
  readonly key: readonly string[];
  /** A SELECT over import_staging giving `columns` in order; defaults to the staging columns themselves. */
  readonly select?: string;
  /** A timestamp column set to now() when a row changes. */
  readonly touch?: string;
}

/** Merges staged rows into a table; counts rows inserted, updated, and left as they were. */
export async function upsertFromStaging(session: ImportSession, target: UpsertTarget): Promise<MergeCounts> {
  const columns = target.columns.join(', ');
  const changing = target.columns.filter((column) => !target.key.includes(column));
  const select = target.select ?? `select ${columns} from import_staging`;
  const onConflict = changing.length
    ? `do update set ${[...changing.map((column) => `${column} = excluded.${column}`), ...(target.touch ? [`${target.touch} = now()`] : [])].join(', ')}
       where (${changing.map((column) => `${target.table}.${column}`).join(', ')})
             is distinct from (${changing.map((column) => `excluded.${column}`).join(', ')})`
    : 'do nothing';
  const { rows } = await session.query<{ staged: number; inserted: number; updated: number }>(
    `with source as (${select}),
          upserted as (
            insert into ${target.table} (${columns}) select ${columns} from source
            on conflict (${target.key.join(', ')}) ${onConflict}
            returning (xmax = 0) as inserted)
     select (select count(*) from source)::int as staged,
            (count(*) filter (where inserted))::int as inserted,
            (count(*) filter (where not inserted))::int as updated
     from upserted`,
  );
  const { staged, inserted, updated } = rows[0]!;
  return { inserted, updated, unchanged: staged - inserted - updated };
}

/** Rows of the file that repeat another row's key: each is reported against the first. */
export async function duplicateKeys(session: ImportSession, key: readonly string[], field: string): Promise<ImportProblem[]> {
  // Grouping (hashed) rather than a window over the whole file: only repeated keys are looked at twice.
  const columns = key.join(', ');
  const { rows } = await session.query<{ row_number: number; first_row: number; value: string }>(
    `with repeated as (
       select ${columns}, min(row_number) as first_row from import_staging group by ${columns} having count(*) > 1)
     select s.row_number, r.first_row, concat_ws(' / ', ${key.map((column) => `s.${column}`).join(', ')}) as value
     from import_staging s join repeated r on ${key.map((column) => `s.${column} is not distinct from r.${column}`).join(' and ')}
     where s.row_number <> r.first_row order by s.row_number`,
  );
  return rows.map((row) => ({ row: row.row_number, field, value: row.value, reason: `repeats row ${row.first_row}: the same ${field} appears twice in the file` }));
}

export interface UpsertKindSpec<Row extends Record<string, StagedValue>, Context> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly columns: readonly ColumnSpec[];
  readonly table: string;
  readonly key: readonly (keyof Row & string)[];
  /** Staging (and target) columns with their SQL types, in the order of the row's fields. */
  readonly staging: readonly (readonly [keyof Row & string, string])[];
  loadContext(session: ImportSession, scope: ImportScope): Promise<Context>;
  /** Reads a row; fields with problems are reported on the reader and the row is then discarded. */
  read(fields: FieldReader, context: Context): Row;
}

export function upsertKind<Row extends Record<string, StagedValue>, Context>(spec: UpsertKindSpec<Row, Context>): ImportKind<Row, Context> {
  const columns = spec.staging.map(([column]) => column);
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    columns: spec.columns,
    staging: spec.staging,
    loadContext: spec.loadContext,
    parse(record: SourceRecord, context: Context) {
      const fields = new FieldReader(record);
      const row = spec.read(fields, context);
      return fields.result(() => row);
    },
    toStaging: (row) => columns.map((column) => row[column] ?? null),
    checkStaged: (session) => duplicateKeys(session, spec.key, spec.key.join(' + ')),
    merge: (session) => upsertFromStaging(session, { table: spec.table, columns, key: spec.key }),
  };
}

/** Loads one column of a table as a set, for "is this a known code" checks. */
export async function knownCodes(session: ImportSession, table: string, column: string): Promise<Set<string>> {
  const { rows } = await session.query<{ code: string }>(`select ${column} as code from ${table}`);
  return new Set(rows.map((row) => row.code));
}

/** The trusts rows may name: those of the caller's region, or all. */
export async function knownTrusts(session: ImportSession, scope: ImportScope): Promise<Set<string>> {
  const { rows } = await session.query<{ code: string }>(
    'select ods_code as code from trusts where $1::text is null or region_code = $1',
    [scope.regionCode ?? null],
  );
  return new Set(rows.map((row) => row.code));
}

/** The IS sites rows may name: those of the caller's provider, or all. */
export async function knownSites(session: ImportSession, scope: ImportScope): Promise<Set<string>> {
  const { rows } = await session.query<{ code: string }>(
    'select ods_code as code from sites where $1::text is null or provider_ods = $1',
    [scope.providerOds ?? null],
  );
  return new Set(rows.map((row) => row.code));
}

/**
 * Runs a bulk merge into a table with its foreign keys, check constraints and secondary (non-unique)
 * indexes set aside, and puts them back afterwards exactly as the catalog had them. Row by row,
 * PostgreSQL checks a foreign key with a trigger, evaluates every check and inserts into every index
 * in random order: for a million rows that is most of the load. Put back, each index is built by one
 * sort, and the constraints are validated over the whole table in one pass (foreign keys by one join
 * each), so a row that breaks any of them still fails the import. Unique indexes stay unless
 * `uniques` is set: an ON CONFLICT merge needs them, a plain insert into an empty table does not
 * (and rebuilding them is what then saves most). The primary key and any unique index a foreign key
 * refers to always stay, so other tables' constraints are never touched. The table is locked
 * exclusively until commit, which suits a bulk load; the caller decides when a load is bulk enough to
 * be worth rebuilding for.
 */
export async function deferringChecksDuring<T>(
  session: ImportSession,
  table: string,
  work: () => Promise<T>,
  options: { readonly uniques?: boolean } = {},
): Promise<T> {
  const uniques = options.uniques ?? false;
  const referenced = `exists (select from pg_constraint f where f.contype = 'f' and f.conindid = c.conindid)`;
  const { rows: constraints } = await session.query<{ name: string; definition: string }>(
    `select conname as name, pg_get_constraintdef(oid) as definition
     from pg_constraint c
     where conrelid = $1::regclass and (contype in ('f', 'c') or ($2 and contype = 'u' and not ${referenced}))
     order by conname`,
    [table, uniques],
  );
  // Indexes of their own; those behind a constraint (unique, primary key) come and go with it.
  const { rows: indexes } = await session.query<{ name: string; definition: string }>(
    `select i.relname as name, pg_get_indexdef(i.oid) as definition
     from pg_index x join pg_class i on i.oid = x.indexrelid
     where x.indrelid = $1::regclass and not x.indisprimary and (not x.indisunique or $2)
       and not exists (select from pg_constraint c where c.conindid = x.indexrelid)
     order by i.relname`,
    [table, uniques],
  );
  if (constraints.length) await session.query(`alter table ${table} ${constraints.map((c) => `drop constraint ${c.name}`).join(', ')}`);
  for (const index of indexes) await session.query(`drop index ${index.name}`);
  const result = await work();
  for (const index of indexes) await session.query(index.definition);
  if (constraints.length) {
    await session.query(`alter table ${table} ${constraints.map((c) => `add constraint ${c.name} ${c.definition}`).join(', ')}`);
  }
  return result;
}

/** Whether merging this many staged rows into the table is a bulk load: many rows, and many against what it holds. */
export async function isBulkLoad(session: ImportSession, table: string, stagedRows: number, minimumRows: number): Promise<boolean> {
  if (stagedRows < minimumRows) return false;
  // The planner's estimate is enough: rebuilding costs what the whole table costs, so load at least half of it again.
  const { rows } = await session.query<{ estimate: number }>('select greatest(reltuples, 0)::bigint as estimate from pg_class where oid = $1::regclass', [table]);
  return stagedRows * 2 >= Number(rows[0]!.estimate);
}
