/**
 * The Kysely factory. One pool per process; repositories take `db` (or a transaction) first.
 *
 * Statements run as prepared statements: PostgreSQL parses and plans each one once per connection
 * instead of on every call. For a transfer's short keyed statements that was over a third of the
 * database's CPU in a campaign (campaign throughput, PRODUCT.md §8).
 */
import { Kysely, PostgresDialect, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
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
   * Told when a connection dies (PostgreSQL restarted, network cut), idle or checked out. The query
   * running on it fails (an activity retries it) and the pool replaces it; without a listener, pg
   * would crash the process instead.
   */
  readonly onConnectionError?: (error: Error) => void;
}

const pools = new WeakMap<Db, pg.Pool>();

/** The socket errors of a server that is down or went away. */
const LOST_CONNECTION = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * PostgreSQL cannot serve just now, through no fault of the statement: it is shutting down or
 * starting up (SQLSTATE 57P01–57P03), the connection failed (class 08), or the server is unreachable
 * or went away mid-query. It passes; the caller may say so and have the request tried again.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (/^57P0[123]$/.test(code) || code.startsWith('08') || LOST_CONNECTION.has(code))) return true;
  return /^Connection terminated/.test(error.message);
}

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, application_name: 'backlog-transfer' });
  // pg-pool listens on idle clients only, and drops its listener while one is checked out: a backend
  // terminated mid-transaction (57P01 on a restart) would then be an unhandled 'error' event. Each
  // client reports its own death, idle or not; the pool's re-emission of an idle one's is the same news.
  pool.on('connect', (client) => client.on('error', options.onConnectionError ?? (() => {})));
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
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

/** Distinct statements one pool prepares; later new ones run unnamed. Bounds each connection's plan cache. */
export const MAX_PREPARED_STATEMENTS = 256;
/** Statements with more parameters (bulk inserts, long `in` lists) vary with their data: not prepared. */
export const MAX_PREPARED_PARAMETERS = 64;

/**
 * A pool whose clients name each parameterised statement after its text, so that pg prepares it on a
 * connection the first time and then only binds and executes it. Statements without parameters
 * (begin, commit, DDL) keep the simple protocol.
 *
 * A prepared `select *` fails with "cached plan must not change result type" once a migration has
 * changed the table's columns under a live connection. That query's error stands (inside a
 * transaction nothing else could be done), and the connection is destroyed when released, so the
 * retry gets a fresh one and prepares the statement anew. The error is known by its SQLSTATE alone
 * (feature not supported), not its wording, which follows the server's lc_messages: any such
 * refusal of a prepared statement costs at most a reconnection.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new StatementNames();
  return {
    connect: async () => new PreparingClient(await pool.connect(), names),
    end: () => pool.end(),
  };
}

class StatementNames {
  private readonly names = new Map<string, string>();

  /** The statement's name, or undefined when it is not to be prepared. */
  of(text: string, parameters: readonly unknown[]): string | undefined {
    if (parameters.length === 0 || parameters.length > MAX_PREPARED_PARAMETERS) return undefined;
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_PREPARED_STATEMENTS) {
      name = `bt${this.names.size + 1}`;
      this.names.set(text, name);
    }
    return name;
  }
}

class PreparingClient implements PostgresPoolClient {
  private stale = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly names: StatementNames,
  ) {}

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(text: string | PostgresCursor<R>, parameters: readonly unknown[] = []): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof text !== 'string') throw new Error('this pool is made without a cursor: Kysely streams are not used');
    return this.run<R>(text, parameters);
  }

  release(): void {
    this.client.release(this.stale);
  }

  private async run<R>(text: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    const name = this.names.of(text, parameters);
    try {
      // Kysely hands over a fresh array of its own: pg only reads it.
      return (await this.client.query({ text, values: parameters as unknown[], ...(name && { name }) })) as unknown as PostgresQueryResult<R>;
    } catch (error) {
      if (name && isStalePlan(error)) this.stale = true;
      throw error;
    }
  }
}

/** PostgreSQL's refusal to run a prepared statement whose result columns a migration changed (SQLSTATE 0A000). */
function isStalePlan(error: unknown): boolean {
  return (error as { code?: string }).code === '0A000';
}
