/**
 * Once per test run: the real services every test file shares. A Temporal dev server (each file gets
 * its own namespace on it), a PostgreSQL server with a migrated template database (each file clones
 * its own), the workflow bundle compiled once, the time-skipping test server's path and Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../config';
import { createDb } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { ensureDatabase, resolveDatabaseServer } from '../../db/server';
import { ensureChromium } from '../../scripts/chromium';
import { resolveTemporalBinaries } from '../../temporal/binaries';
import { startDevServer } from '../../temporal/dev-server';
import { workflowsPath } from '../../temporal/worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** Empty when the SDK's own download is used instead. */
    temporalCliPath: string;
    /** Empty when the SDK's own download is used instead. */
    temporalTestServerPath: string;
    workflowBundlePath: string;
    /** URL of the migrated template database; test files clone it. */
    templateDatabaseUrl: string;
    /** Prefix of every database this run creates, so teardown finds them all. */
    databasePrefix: string;
    chromiumPath: string;
  }
}

export default async function setup(project: TestProject) {
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR ?? '.data/test' });
  const log = pino({ level: 'warn' });

  // Where a binary cannot be had, the SDK downloads its own copy instead (with the internet).
  const [cli, testServer] = Object.values(await resolveTemporalBinaries(config)).map((resolution) => {
    if (resolution.found) return resolution.path;
    console.warn(`a Temporal binary is unavailable (${resolution.reason}); the Temporal SDK will download it`);
    return '';
  });
  const chromiumPath = ensureChromium(config.CHROMIUM_PATH);

  const temporal = await startDevServer({ cliPath: cli || undefined, ui: false, namespace: 'default', retentionDays: 1 });

  await mkdir(config.DATA_DIR, { recursive: true });
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error } });
  const workflowBundlePath = path.join(config.DATA_DIR, `workflow-bundle-${process.pid}.js`);
  await writeFile(workflowBundlePath, code);

  const server = await resolveDatabaseServer({
    databaseUrl: config.DATABASE_URL,
    localDatabaseUrl: config.LOCAL_DATABASE_URL,
    embeddedPort: config.EMBEDDED_POSTGRES_PORT + 1,
    dataDir: config.DATA_DIR,
    log,
  });
  const databasePrefix = `bt_${randomBytes(3).toString('hex')}`;
  const templateUrl = new URL(server.url);
  templateUrl.pathname = `/${databasePrefix}_template`;
  await ensureDatabase(templateUrl.toString(), 10_000);
  const template = createDb(templateUrl.toString(), { poolSize: 1 });
  await migrateToLatest(template);
  await template.destroy();

  project.provide('temporalAddress', temporal.address);
  project.provide('temporalCliPath', cli!);
  project.provide('temporalTestServerPath', testServer!);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('templateDatabaseUrl', templateUrl.toString());
  project.provide('databasePrefix', databasePrefix);
  project.provide('chromiumPath', chromiumPath);

  return async () => {
    await temporal.stop();
    const maintenance = new URL(server.url);
    maintenance.pathname = '/postgres';
    const client = new pg.Client({ connectionString: maintenance.toString() });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${databasePrefix}_%`]);
    for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
    await client.end();
    await server.stop();
  };
}
