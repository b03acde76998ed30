/**
 * The Kysely factory. One pool per process; repositories take `db` (or a transaction) first.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

// Dates (not timestamps) stay as 'YYYY-MM-DD' strings: a calendar date has no time zone to shift.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// bigint counts and sums come back as JS numbers; every value we store fits well within 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Db = Kysely<Database>;

export interface DbOptions {
  readonly poolSize?: number;
  /**
   * Told when an idle connection dies (PostgreSQL restarted, network cut). The pool replaces it on
   * the next query; without a listener, pg would crash the process instead.
   */
  readonly onIdleError?: (error: Error) => void;
}

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, application_name: 'backlog-transfer' });
  pool.on('error', options.onIdleError ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/**
 * The pool behind a Db, for the few jobs Kysely has no word for: streaming COPY into PostgreSQL.
 * Clients taken from it must be released.
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this Kysely instance was not made by createDb');
  return pool;
}
