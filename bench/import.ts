/**
 * `npm run bench -- import [--rows N]`: imports N generated waiting-list rows (default one million)
 * through the real import, and the same file with a raw PostgreSQL COPY into a table of text columns
 * shaped like it, on the same server in the same run; then the same file again, which must change
 * nothing. Target (PRODUCT.md §8): a million rows in 30 s or less, at half the raw COPY's speed or
 * better.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../config';
import { poolOf } from '../db/database';
import { loadWorld, type WorldPlan } from '../generate/world';
import { importFile } from '../imports';
import { benchDatabase, printFigures } from './support';

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../cli/index.ts', import.meta.url));

export async function benchImport(args: readonly string[]): Promise<void> {
  const rows = Number(args[args.indexOf('--rows') + 1]) || 1_000_000;
  const config = loadConfig();
  const outDir = path.join(config.DATA_DIR, 'bench', `world-7-${rows}`);
  const asOf = '2026-11-22';
  console.log(`Generating ${rows.toLocaleString('en-GB')} pathways (seed 7, as of ${asOf}) in ${outDir} …`);
  // In a process of its own, as a user would with the command line: the import is then timed in a
  // process whose memory holds nothing of the million rows written before it.
  await execFileAsync(process.execPath, [...process.execArgv, CLI, 'generate', '--pathways', String(rows), '--seed', '7', '--as-of', asOf, '--out', outDir]);
  const plan = JSON.parse(await readFile(path.join(outDir, 'world.json'), 'utf8')) as WorldPlan;
  const pathwaysFile = plan.steps.find((step) => step.kind === 'pathways')!.file;
  await access(pathwaysFile);

  const bench = await benchDatabase(config);
  try {
    console.log('Loading the reference data …');
    await loadWorld(bench.db, { ...plan, steps: plan.steps.filter((step) => step.kind !== 'pathways' && step.kind !== 'capacity') });

    console.log('Importing the waiting list …');
    const started = process.hrtime.bigint();
    const report = await importFile(bench.db, { kind: 'pathways', input: createReadStream(pathwaysFile), source: path.basename(pathwaysFile), actor: 'bench' });
    const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (report.status !== 'applied') throw new Error(`the import was rejected: ${JSON.stringify(report.problems.slice(0, 3))}`);

    console.log('Importing the same list again …');
    const againStarted = process.hrtime.bigint();
    const again = await importFile(bench.db, { kind: 'pathways', input: createReadStream(pathwaysFile), source: path.basename(pathwaysFile), actor: 'bench' });
    const againSeconds = Number(process.hrtime.bigint() - againStarted) / 1e9;
    if (again.unchanged !== rows) throw new Error(`the re-import changed rows: ${JSON.stringify({ inserted: again.inserted, updated: again.updated })}`);

    console.log('Raw COPY of the same file …');
    const header = (await firstLine(pathwaysFile)).split(',');
    const client = await poolOf(bench.db).connect();
    let copySeconds: number;
    try {
      await client.query(`create table raw_copy (${header.map((column) => `${column} text`).join(', ')})`);
      const copyStarted = process.hrtime.bigint();
      await pipeline(createReadStream(pathwaysFile), client.query(copyFrom('copy raw_copy from stdin (format csv, header true)')));
      copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    } finally {
      client.release();
    }

    printFigures(
      `Waiting-list import, ${rows.toLocaleString('en-GB')} rows (import ${importSeconds.toFixed(1)} s, raw COPY ${copySeconds.toFixed(1)} s)`,
      [{ name: 'import', value: rows / importSeconds, unit: 'rows/s', baseline: rows / copySeconds, baselineName: 'raw COPY', targetRatio: 0.5 }],
      [
        `time for ${rows.toLocaleString('en-GB')} rows: ${importSeconds.toFixed(1)} s (target ≤ ${((30 * rows) / 1_000_000).toFixed(0)} s: ${importSeconds <= (30 * rows) / 1_000_000 ? 'met' : 'NOT met'})`,
        `the same list again, changing nothing: ${againSeconds.toFixed(1)} s`,
        'the import validates every field, stages with COPY, checks duplicates and conflicts across rows, and upserts two indexed tables with their constraints; the raw COPY only stores text',
      ],
    );
  } finally {
    await bench.drop();
  }
}

async function firstLine(file: string): Promise<string> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', end: 64 * 1024 })) return (chunk as string).split('\n')[0]!;
  return '';
}
