/**
 * A connection PostgreSQL ends under us (a restart terminates every backend: 57P01) fails only the
 * work on it. createDb's pool reports it, the process carries on, and the next query gets a fresh
 * connection: whether the connection was idle, or checked out in a transaction or by an import.
 * pg-pool listens for errors on idle connections only, so a checked-out one with no listener of its
 * own would throw an unhandled 'error' event and end the process.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db, poolOf } from '../../db/database';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let db: Db;
let lost: Error[];
/** Anything thrown outside a promise while a test ran: an unhandled 'error' event lands here. */
let uncaught: unknown[];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 2, onConnectionError: (error) => lost.push(error) });
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

beforeEach(() => {
  lost = [];
  uncaught = [];
  process.on('uncaughtException', onUncaught);
});

afterEach(() => {
  process.off('uncaughtException', onUncaught);
});

/** What a restart does to a backend, from another connection. */
async function terminate(pid: number): Promise<void> {
  const { rows } = await sql<{ done: boolean }>`select pg_terminate_backend(${pid}) as done`.execute(database.db);
  expect(rows[0]?.done).toBe(true);
}

/** A transaction is a Db too: its connection's backend. */
async function backendPid(on: Db): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(on);
  return rows[0]!.pid;
}

/** Resolves once the connection's end has been heard, by a listener or as an uncaught error. */
async function heard(): Promise<void> {
  await expect.poll(() => lost.length + uncaught.length, { timeout: 5_000 }).toBeGreaterThan(0);
}

/** Nothing went unhandled, the process runs the next query on a fresh connection, and was told why. */
async function carriesOn(): Promise<void> {
  await heard();
  expect(uncaught).toEqual([]);
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  expect(rows).toEqual([{ one: 1 }]);
  expect(lost.length).toBeGreaterThan(0);
}

describe('a connection PostgreSQL terminates', () => {
  it('checked out in a transaction between statements: the transaction fails, the process carries on', async () => {
    const transaction = db.transaction().execute(async (trx) => {
      await terminate(await backendPid(trx));
      // The backend's goodbye (57P01) arrives while no statement runs on it: only a listener hears it.
      await heard();
      await sql`select 1`.execute(trx);
    });
    await expect(transaction).rejects.toThrow();
    await carriesOn();
    expect(lost[0]).toMatchObject({ code: '57P01' });
  });

  it('checked out by an import mid-statement (as a COPY is): the statement fails, the process carries on', async () => {
    const client = await poolOf(db).connect();
    try {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      // Expected before the backend is ended: its error can reach this client before the answer to
      // pg_terminate_backend reaches the other, and a rejection nobody waits on yet is unhandled.
      const running = expect(client.query('select pg_sleep(30)')).rejects.toMatchObject({ code: '57P01' });
      await terminate(rows[0]!.pid);
      await running;
      // The socket's end follows, still checked out (an import rolls back before it lets go).
      await heard();
    } finally {
      client.release();
    }
    await carriesOn();
  });

  it('idle in the pool: the pool drops it, the process carries on', async () => {
    const pid = await backendPid(db);
    await terminate(pid);
    await carriesOn();
    expect(await backendPid(db)).not.toBe(pid);
  });
});
