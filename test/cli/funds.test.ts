/**
 * `npm run cli -- funds:create <file>` as a person runs it: a file of funds is checked whole, names
 * every problem and creates nothing when any fund is wrong, creates them all when none is, and
 * leaves a fund already there by name as it is.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadFixtureWorld } from '../support/fixture-world';

const run = promisify(execFile);
let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  dir = await mkdtemp(path.join(tmpdir(), 'funds-cli-'));
});

afterAll(async () => {
  await database?.drop();
});

async function cli(funds: unknown): Promise<{ code: number; out: string }> {
  const file = path.join(dir, `funds-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(funds));
  try {
    const { stdout } = await run('npx', ['tsx', 'cli/index.ts', 'funds:create', file], { env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' } });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const fund = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  allocationPence: 100_000_000,
  windowFrom: '2026-12-01',
  windowTo: '2027-03-31',
  regionCode: 'Y60',
  ...extra,
});

describe('funds:create', () => {
  it('creates nothing when any fund in the file is wrong, and names each problem', async () => {
    const result = await cli([fund('Good one'), fund('Bad one', { trusts: [{ trustOds: 'XX999' }], windowTo: '2026-11-01' })]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('fund 1.windowTo: must not be before windowFrom');
    const second = await cli([fund('Good one'), fund('Bad one', { trusts: [{ trustOds: 'XX999' }] })]);
    expect(second.out).toContain('Bad one: trust XX999 is not known');
    expect(await database.db.selectFrom('funds').select('name').where('name', 'in', ['Good one', 'Bad one']).execute()).toEqual([]);
  });

  it('creates every fund of a good file, with its scope, and leaves one already there unchanged', async () => {
    const result = await cli([fund('Winter orthopaedics', { trusts: [{ trustOds: 'RWE', allocationPence: 50_000_000 }], treatmentFunctions: ['110'] }), fund('Winter eyes')]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/created: fund \d+, Winter orthopaedics\ncreated: fund \d+, Winter eyes/);
    const trusts = await database.db
      .selectFrom('fund_trusts')
      .innerJoin('funds', 'funds.id', 'fund_trusts.fund_id')
      .select(['funds.name', 'fund_trusts.trust_ods', 'fund_trusts.allocation_pence'])
      .execute();
    expect(trusts).toEqual([{ name: 'Winter orthopaedics', trust_ods: 'RWE', allocation_pence: 50_000_000 }]);
    const again = await cli(fund('Winter eyes', { allocationPence: 1 }));
    expect(again.out).toMatch(/already there, unchanged: fund \d+, Winter eyes/);
    const eyes = await database.db.selectFrom('funds').select('allocation_pence').where('name', '=', 'Winter eyes').executeTakeFirstOrThrow();
    expect(eyes.allocation_pence).toBe(100_000_000);
  });
});
