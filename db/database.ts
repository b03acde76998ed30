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

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, application_name: 'backlog-transfer' });
  pool.on('error', options.onIdleError ?? (() => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
