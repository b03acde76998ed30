/**
 * What every benchmark needs: a throwaway database on the configured server, a generated world, its
 * options read one way, and one printout of figures against baselines that is also kept as JSON.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import type { Config } from '../config';
import { createDb, type Db, MAX_PREPARED_PARAMETERS } from '../db/database';
import type { Database } from '../db/schema';
import { migrateToLatest } from '../db/migrate';
import { ensureDatabase, resolveDatabaseServer } from '../db/server';
import type { WorldPlan } from '../generate/world';

const execFileAsync = promisify(execFile);

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
  /** Whether more is better (rates, the default) or less (times, sizes): decides which way a target is met. */
  readonly better?: 'higher' | 'lower';
  /** The ratio (value / baseline) the product's target asks for, when it asks for one: at least it, or at most it when less is better. */
  readonly targetRatio?: number;
  /** The absolute target, in the figure's unit, when the product sets one. */
  readonly target?: number;
}

/** Where every benchmark leaves its results as JSON (git-ignored), one file a run. */
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/**
 * Prints each figure beside its baseline, as a ratio, with its targets and whether they are met, then
 * writes the same (and `details`: anything else the run wants kept) to bench/results/<benchmark>-<time>.json.
 */
export async function reportFigures(
  benchmark: string,
  title: string,
  figures: readonly Figure[],
  notes: readonly string[] = [],
  details: Record<string, unknown> = {},
): Promise<void> {
  console.log(`\n${title}`);
  const results = figures.map((figure) => {
    const ratio = figure.value / figure.baseline;
    const meets = (value: number, target: number) => (figure.better === 'lower' ? value <= target : value >= target);
    const sign = figure.better === 'lower' ? '≤' : '≥';
    const checks = [
      ...(figure.target === undefined ? [] : [`target ${sign} ${formatNumber(figure.target)} ${figure.unit}: ${meets(figure.value, figure.target) ? 'met' : 'NOT met'}`]),
      ...(figure.targetRatio === undefined ? [] : [`target ratio ${sign} ${figure.targetRatio}: ${meets(ratio, figure.targetRatio) ? 'met' : 'NOT met'}`]),
    ];
    console.log(
      `  ${figure.name}: ${formatNumber(figure.value)} ${figure.unit}` +
        `  |  ${figure.baselineName}: ${formatNumber(figure.baseline)} ${figure.unit}` +
        `  |  ratio ${ratio.toFixed(2)}${checks.length ? `  (${checks.join('; ')})` : ''}`,
    );
    return {
      ...figure,
      ratio,
      ...(figure.target === undefined ? {} : { targetMet: meets(figure.value, figure.target) }),
      ...(figure.targetRatio === undefined ? {} : { targetRatioMet: meets(ratio, figure.targetRatio) }),
    };
  });
  for (const note of notes) console.log(`  ${note}`);
  const at = new Date().toISOString();
  const file = path.join(RESULTS_DIR, `${benchmark}-${at.replace(/[:.]/g, '-')}.json`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const machine = { cpus: os.cpus().length, loadAverage: os.loadavg(), totalMemoryBytes: os.totalmem() };
  await writeFile(file, `${JSON.stringify({ benchmark, title, at, args: process.argv.slice(3), machine, figures: results, notes, details }, null, 2)}\n`);
  console.log(`  (results: ${path.relative(process.cwd(), file)})`);
}

/** Whole numbers grouped by thousands from 100 up; three significant figures below (0.26 s, 12.4 ms). */
export function formatNumber(value: number): string {
  return Math.abs(value) >= 100 || value === 0 ? Math.round(value).toLocaleString('en-GB') : Number(value.toPrecision(3)).toString();
}

/** A whole-number option (`--rows 1000`): the fallback when absent, a clear error when not a positive whole number. */
export function option(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} needs a positive whole number`);
  return value;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds since a process.hrtime.bigint() reading. */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const CLI = fileURLToPath(new URL('../cli/index.ts', import.meta.url));

/**
 * The synthetic world of `pathways` pathways (seed 7, as of `asOf`), written by the command line in a
 * process of its own, as a user would: the benchmark's process then holds nothing of it. A world
 * already written with the same options is used as it is (the generator is deterministic).
 */
export async function benchWorld(config: Config, pathways: number, asOf: string): Promise<WorldPlan> {
  const outDir = path.join(config.DATA_DIR, 'bench', `world-7-${pathways}-${asOf}`);
  const planFile = path.join(outDir, 'world.json');
  const existing = await readFile(planFile, 'utf8').catch(() => undefined);
  if (existing) {
    console.log(`Using the ${pathways.toLocaleString('en-GB')} pathways already generated (seed 7, as of ${asOf}) in ${outDir}`);
    return JSON.parse(existing) as WorldPlan;
  }
  console.log(`Generating ${pathways.toLocaleString('en-GB')} pathways (seed 7, as of ${asOf}) in ${outDir} …`);
  await execFileAsync(process.execPath, [...process.execArgv, CLI, 'generate', '--pathways', String(pathways), '--seed', '7', '--as-of', asOf, '--out', outDir]);
  return JSON.parse(await readFile(planFile, 'utf8')) as WorldPlan;
}

/**
 * The plan PostgreSQL runs a repository's statement by, with its timings and buffers: the statement
 * `run` sends, caught on its way to the server by a Kysely that logs it, then explained (and so run
 * once more: a statement that writes writes again).
 */
export async function explainStatement(url: string, run: (db: Db) => Promise<unknown>): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    let caught: CompiledQuery | undefined;
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        caught = event.query;
      },
    });
    await run(db);
    if (!caught) throw new Error('it ran no statement');
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${caught.sql}`, [...caught.parameters]);
    // The product's pool prepares a statement of few parameters, which may then run by a generic plan instead.
    const prepared = caught.parameters.length <= MAX_PREPARED_PARAMETERS;
    const how = `    (${caught.parameters.length} parameters: the product's pool runs it ${prepared ? 'prepared, by a generic plan once PostgreSQL prefers one' : 'unprepared, by this plan'})`;
    return [how, ...rows.map((row) => `    ${row['QUERY PLAN']}`)].join('\n');
  } finally {
    await pool.end();
  }
}
