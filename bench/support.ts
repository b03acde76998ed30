/** What every benchmark needs: a throwaway database on the configured server, and a plain printout. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import type { Config } from '../config';
import { createDb, type Db } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { ensureDatabase, resolveDatabaseServer } from '../db/server';

export interface BenchDatabase {
  readonly db: Db;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one benchmark run, dropped afterwards. */
export async function benchDatabase(config: Config): Promise<BenchDatabase> {
  const server = await resolveDatabaseServer({
    databaseUrl: config.DATABASE_URL,
    localDatabaseUrl: config.LOCAL_DATABASE_URL,
    embeddedPort: config.EMBEDDED_POSTGRES_PORT,
    dataDir: config.DATA_DIR,
    log: pino({ level: 'warn' }),
  });
  const url = new URL(server.url);
  const name = `bt_bench_${randomBytes(3).toString('hex')}`;
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString(), 10_000);
  const db = createDb(url.toString(), { poolSize: 4 });
  await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      const maintenance = new URL(url);
      maintenance.pathname = '/postgres';
      const client = new pg.Client({ connectionString: maintenance.toString() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      await server.stop();
    },
  };
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number;
  readonly baselineName: string;
  /** The ratio (value / baseline) the product's target asks for, when it asks for one. */
  readonly targetRatio?: number;
}

/** Prints each figure beside its baseline, as a ratio, and whether it meets its target. */
export function printFigures(title: string, figures: readonly Figure[], notes: readonly string[] = []): void {
  console.log(`\n${title}`);
  for (const figure of figures) {
    const ratio = figure.value / figure.baseline;
    const verdict = figure.targetRatio === undefined ? '' : ratio >= figure.targetRatio ? `  (target ≥ ${figure.targetRatio}: met)` : `  (target ≥ ${figure.targetRatio}: NOT met)`;
    console.log(
      `  ${figure.name}: ${Math.round(figure.value).toLocaleString('en-GB')} ${figure.unit}` +
        `  |  ${figure.baselineName}: ${Math.round(figure.baseline).toLocaleString('en-GB')} ${figure.unit}` +
        `  |  ratio ${ratio.toFixed(2)}${verdict}`,
    );
  }
  for (const note of notes) console.log(`  ${note}`);
}
