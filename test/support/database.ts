/**
 * A fresh database per test file, cloned from the run's migrated template: real PostgreSQL, no
 * state shared between files, dropped when the file is done.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/database';

export interface TestDatabase {
  readonly url: string;
  readonly db: Db;
  drop(): Promise<void>;
}

async function maintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(inject('templateDatabaseUrl'));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = new URL(inject('templateDatabaseUrl'));
  const templateName = template.pathname.slice(1);
  const name = `${inject('databasePrefix')}_${randomBytes(4).toString('hex')}`;
  await maintenance(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${templateName}`);
        return;
      } catch (error) {
        // 55006: another file is cloning the template at this very moment.
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  const url = new URL(template);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { poolSize: 5 });
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      await maintenance((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}
