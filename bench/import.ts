/**
 * `npm run bench -- import [--rows N]`: imports N generated waiting-list rows (default one million)
 * through the real import, then the same file again, which must change nothing; on the same server in
 * the same run, two COPYs beside it:
 *
 * - the floor: the rows the import stored (already valid, as PostgreSQL writes them out), copied back
 *   into the same two tables, patients and pathways, emptied, with their indexes and constraints in
 *   place. What any import of these rows pays to store them; the target's ratio is against it.
 * - the raw COPY of the file into a table of text columns shaped like it: no index, no constraint, no
 *   check. Printed for reference: nothing that stores the rows properly gets near it.
 *
 * Target (PRODUCT.md §8): a million rows in 30 s or less, at half the floor's speed or better.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { loadConfig } from '../config';
import { poolOf } from '../db/database';
import { loadWorld } from '../generate/world';
import { importFile } from '../imports';
import { benchDatabase, benchWorld, option, reportFigures, secondsSince } from './support';

/** The two tables a waiting list fills, in the order their foreign key needs. */
const IMPORTED_TABLES = ['patients', 'pathways'] as const;

export async function benchImport(args: readonly string[]): Promise<void> {
  const rows = option(args, '--rows', 1_000_000);
  const config = loadConfig();
  const plan = await benchWorld(config, rows, '2026-11-22');
  const pathwaysFile = plan.steps.find((step) => step.kind === 'pathways')!.file;
  await access(pathwaysFile);

  const bench = await benchDatabase(config);
  try {
    console.log('Loading the reference data …');
    await loadWorld(bench.db, { ...plan, steps: plan.steps.filter((step) => step.kind !== 'pathways' && step.kind !== 'capacity') });

    console.log('Importing the waiting list …');
    const started = process.hrtime.bigint();
    const report = await importFile(bench.db, { kind: 'pathways', input: createReadStream(pathwaysFile), source: path.basename(pathwaysFile), actor: 'bench' });
    const importSeconds = secondsSince(started);
    if (report.status !== 'applied') throw new Error(`the import was rejected: ${JSON.stringify(report.problems.slice(0, 3))}`);

    console.log('Importing the same list again …');
    const againStarted = process.hrtime.bigint();
    const again = await importFile(bench.db, { kind: 'pathways', input: createReadStream(pathwaysFile), source: path.basename(pathwaysFile), actor: 'bench' });
    const againSeconds = secondsSince(againStarted);
    if (again.unchanged !== rows) throw new Error(`the re-import changed rows: ${JSON.stringify({ inserted: again.inserted, updated: again.updated })}`);

    const client = await poolOf(bench.db).connect();
    let floorSeconds: number;
    let copySeconds: number;
    try {
      console.log('The floor: COPY of the stored rows back into the emptied tables, indexes and constraints in place …');
      floorSeconds = await floorCopy(client, path.join(path.dirname(pathwaysFile), 'floor'));
      console.log('Raw COPY of the file into text columns …');
      const header = (await firstLine(pathwaysFile)).split(',');
      await client.query(`create table raw_copy (${header.map((column) => `${column} text`).join(', ')})`);
      const copyStarted = process.hrtime.bigint();
      await pipeline(createReadStream(pathwaysFile), client.query(copyFrom('copy raw_copy from stdin (format csv, header true)')));
      copySeconds = secondsSince(copyStarted);
    } finally {
      client.release();
    }

    const targetSeconds = (30 * rows) / 1_000_000;
    await reportFigures(
      'import',
      `Waiting-list import, ${rows.toLocaleString('en-GB')} rows (import ${importSeconds.toFixed(1)} s, floor COPY ${floorSeconds.toFixed(1)} s, raw COPY ${copySeconds.toFixed(1)} s)`,
      [
        { name: 'import', value: rows / importSeconds, unit: 'rows/s', baseline: rows / floorSeconds, baselineName: 'floor: COPY into the indexed, constrained tables', targetRatio: 0.5 },
        { name: 'import time', value: importSeconds, unit: 's', baseline: copySeconds, baselineName: 'raw COPY into text columns (reference)', better: 'lower', target: targetSeconds },
      ],
      [
        `the same list again, changing nothing: ${againSeconds.toFixed(1)} s`,
        'the import validates every field, stages with COPY, checks duplicates and conflicts across rows, and fills two indexed tables with their constraints; ' +
          'the floor stores the same rows, already valid, straight into those tables; the raw COPY only stores text',
      ],
      { rows, importSeconds, againSeconds, floorSeconds, rawCopySeconds: copySeconds },
    );
  } finally {
    await bench.drop();
  }
}

/**
 * Writes out what the import stored in patients and pathways, empties both, and times COPYing the rows
 * back in (each table as one COPY, as a bulk load would), with every index and constraint in place.
 * The files go in `dir` and are removed after.
 */
async function floorCopy(client: pg.PoolClient, dir: string): Promise<number> {
  const files = IMPORTED_TABLES.map((table) => ({ table, file: `${dir}-${table}.csv` }));
  const columns = new Map<string, string>();
  for (const { table, file } of files) {
    // Generated columns are PostgreSQL's to fill: they are neither written out nor copied in.
    const { rows } = await client.query<{ names: string }>(
      `select string_agg(quote_ident(column_name), ', ' order by ordinal_position) as names
       from information_schema.columns where table_schema = current_schema() and table_name = $1 and is_generated = 'NEVER'`,
      [table],
    );
    columns.set(table, rows[0]!.names);
    await pipeline(client.query(copyTo(`copy (select ${rows[0]!.names} from ${table} order by id) to stdout (format csv)`)), createWriteStream(file));
  }
  try {
    // Cascade: the tables that refer to them (transfers and on) are empty here, and must stay valid.
    await client.query(`truncate ${IMPORTED_TABLES.join(', ')} cascade`);
    const started = process.hrtime.bigint();
    for (const { table, file } of files) {
      await pipeline(createReadStream(file), client.query(copyFrom(`copy ${table} (${columns.get(table)}) from stdin (format csv)`)));
    }
    return secondsSince(started);
  } finally {
    await Promise.all(files.map(({ file }) => rm(file, { force: true })));
  }
}

async function firstLine(file: string): Promise<string> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', end: 64 * 1024 })) return (chunk as string).split('\n')[0]!;
  return '';
}
