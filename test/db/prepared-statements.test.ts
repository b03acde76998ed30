/**
 * createDb's pool prepares each parameterised statement once per connection, leaves bulk statements
 * and those past its bound unprepared, and recovers when a migration changes a prepared statement's
 * result columns under a live connection.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, MAX_PREPARED_PARAMETERS, MAX_PREPARED_STATEMENTS } from '../../db/database';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
/** One connection, so every statement below runs in the same PostgreSQL session. */
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 1 });
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

/** This session's prepared statements whose text contains `marker`, with how often each ran. */
async function prepared(marker: string): Promise<{ statement: string; runs: number }[]> {
  const { rows } = await sql<{ statement: string; runs: number }>`
    select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements
    where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%' order by statement`.execute(db);
  return rows;
}

describe('prepared statements', () => {
  it('prepares a parameterised statement once and runs it again by name', async () => {
    for (const code of ['110', '130', '110']) {
      await db.selectFrom('treatment_functions').select('code').where('code', '=', code).execute();
    }
    const statements = await prepared('"treatment_functions"');
    expect(statements).toEqual([{ statement: expect.stringContaining('where "code" = $1'), runs: 3 }]);
  });

  it('leaves statements without parameters, and with more than the bound, unprepared', async () => {
    await sql`select 1 as no_parameters_marker`.execute(db);
    const many = Array.from({ length: MAX_PREPARED_PARAMETERS + 1 }, (_, index) => String(index));
    await db.selectFrom('treatment_functions').select('code').where('code', 'in', many).execute();
    expect(await prepared('no_parameters_marker')).toEqual([]);
    expect(await prepared(`$${MAX_PREPARED_PARAMETERS + 1})`)).toEqual([]);
  });

  it(`prepares at most ${MAX_PREPARED_STATEMENTS} distinct statements; later ones still run`, async () => {
    for (let index = 0; index <= MAX_PREPARED_STATEMENTS; index++) {
      const { rows } = await sql<{ value: number }>`select ${index}::int + ${sql.lit(index)} as value`.execute(db);
      expect(rows[0]!.value).toBe(2 * index);
    }
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from pg_prepared_statements`.execute(db);
    expect(rows[0]!.count).toBe(MAX_PREPARED_STATEMENTS);
  });
});

describe('a migration under a live connection', () => {
  it('fails the one statement whose columns changed, then prepares it anew on a fresh connection', async () => {
    // Its own pool: the one above is full of prepared statements.
    const fresh = createDb(database.url, { poolSize: 1 });
    try {
      await sql`create table stale_plan_probe (id int primary key, name text)`.execute(fresh);
      await sql`insert into stale_plan_probe values (1, 'first')`.execute(fresh);
      const read = () => sql<Record<string, unknown>>`select * from stale_plan_probe where id = ${1}`.execute(fresh);
      expect((await read()).rows).toEqual([{ id: 1, name: 'first' }]);

      await sql`alter table stale_plan_probe add column note text`.execute(fresh);
      await expect(read()).rejects.toThrow(/cached plan must not change result type/);
      expect((await read()).rows).toEqual([{ id: 1, name: 'first', note: null }]);
    } finally {
      await fresh.destroy();
    }
  });
});
