/**
 * The command line: `npm run cli -- <command>`. Each command resolves the database the same way the
 * service does (DATABASE_URL, the local server, or the embedded one) and exits non-zero on failure.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path, { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { createDb, type Db } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { audit } from '../db/repositories/audit';
import { createFund, newFundProblems } from '../db/repositories/funds';
import { createStaffUser, issueStaffToken } from '../db/repositories/staff';
import { STAFF_ROLES, type StaffRole } from '../db/schema';
import { resolveDatabaseServer } from '../db/server';
import { formatsOf, IMPORT_KINDS, importFile } from '../imports';
import { importLayoutsMarkdown } from '../imports/layouts';
import type { ImportReport } from '../imports/runner';
import { isIsoDate } from '../domain/codes';
import { newFundSchema } from '../domain/fund';
import { generateWorld, loadWorld, PROJECT_REFERENCE_DIR } from '../generate/world';
import { createLogger } from '../log';
import { shortfallQueryFrom, shortfallQuerySchema, shortfallReport } from '../reports/shortfall';
import { dayOf } from '../domain/dates';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'cli');

async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const server = await resolveDatabaseServer({
    databaseUrl: config.DATABASE_URL,
    localDatabaseUrl: config.LOCAL_DATABASE_URL,
    embeddedPort: config.EMBEDDED_POSTGRES_PORT,
    dataDir: config.DATA_DIR,
    log,
  });
  const db = createDb(server.url, { poolSize: 2, onIdleError: (error) => log.warn({ err: error }, 'database connection lost') });
  try {
    // Every command works on the current schema; migrating an up-to-date database does nothing.
    await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
    await server.stop();
  }
}

const odsCode = (value: string) => {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z0-9]{3,5}$/.test(code)) throw new InvalidArgumentError('an ODS code is 3 to 5 letters and digits, e.g. RWE');
  return code;
};
const positiveInt = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return number;
};

const program = new Command('backlog-transfer').description('Backlog Transfer command line').showHelpAfterError();

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    await withDatabase(async () => {});
    console.log('The database is up to date.');
  });

program
  .command('users:create')
  .description('create a staff user and print their bearer token (shown once, stored hashed)')
  .requiredOption('--name <name>', "the person's or team's name")
  .addOption(new Option('--role <role>', 'what they do').choices(STAFF_ROLES).makeOptionMandatory())
  .option('--email <email>', 'contact address')
  .option('--region <code>', 'region scope (required for regional; optional for finance)', odsCode)
  .option('--trust <ods>', "trust scope (required for clinician)", odsCode)
  .option('--provider <ods>', 'provider scope (required for provider)', odsCode)
  .option('--expires-days <days>', 'token lifetime in days (default: no expiry)', positiveInt)
  .action(async (options: { name: string; role: StaffRole; email?: string; region?: string; trust?: string; provider?: string; expiresDays?: number }) => {
    const needs: Partial<Record<StaffRole, [keyof typeof options, string]>> = {
      regional: ['region', '--region'],
      clinician: ['trust', '--trust'],
      provider: ['provider', '--provider'],
    };
    const need = needs[options.role];
    if (need && !options[need[0]]) throw new Error(`a ${options.role} user needs ${need[1]}`);
    const token = await withDatabase(async (db) => {
      const user = await createStaffUser(db, {
        name: options.name,
        role: options.role,
        email: options.email ?? null,
        region_code: options.region ?? null,
        trust_ods: options.trust ?? null,
        provider_ods: options.provider ?? null,
      });
      const expiresAt = options.expiresDays ? new Date(Date.now() + options.expiresDays * 86_400_000) : null;
      await audit(db, { actor: 'cli', action: 'staff.create', subject: `staff:${user.id}`, detail: { role: user.role } });
      return issueStaffToken(db, user.id, 'cli', expiresAt);
    });
    console.log(token);
  });

program
  .command('import')
  .description('import a file, all or nothing; prints every rejected row')
  .argument('<kind>', `what the file holds: ${IMPORT_KINDS.map((kind) => kind.name).join(', ')}`)
  .argument('<file>', 'the file (CSV, an official NHS file, a zip of one, or a FHIR JSON bundle)')
  .option('--format <format>', 'how the file is laid out (default csv); see import:kinds')
  .option('--trust <ods>', 'FHIR: the trust of ServiceRequests that name none', odsCode)
  .action(async (kind: string, file: string, options: { format?: string; trust?: string }) => {
    const bar = new SingleBar({ format: 'importing {kind} |{bar}| {value} rows read, {rate} rows/s', barsize: 20, hideCursor: true });
    const started = Date.now();
    bar.start(0, 0, { kind, rate: 0 });
    const report = await withDatabase((db) =>
      importFile(db, {
        kind,
        format: options.format,
        input: createReadStream(file),
        source: basename(file),
        actor: 'cli',
        trustOds: options.trust,
        onProgress: (rows) => {
          bar.setTotal(rows);
          bar.update(rows, { rate: Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)) });
        },
      }),
    ).finally(() => bar.stop());
    printReport(report, Date.now() - started);
    if (report.status !== 'applied') process.exitCode = 2;
  });

program
  .command('import:kinds')
  .description('list the import kinds, their formats and their CSV columns')
  .option('--markdown', 'as the Markdown of docs/imports.md')
  .action((options: { markdown?: boolean }) => {
    if (options.markdown) {
      process.stdout.write(importLayoutsMarkdown());
      return;
    }
    for (const kind of IMPORT_KINDS) {
      console.log(`\n${kind.name} — ${kind.title}\n  ${kind.description}`);
      console.log(`  formats: ${formatsOf(kind.name).map((format) => format.name).join(', ')}`);
      for (const column of kind.columns) {
        console.log(`  ${column.name.padEnd(36)} ${column.required ? 'required' : 'optional'}  ${column.description}`);
      }
    }
  });

program
  .command('shortfalls')
  .description('trusts behind their contracted elective volume, worst first')
  .option('--region <code>', 'NHS England region, e.g. Y60 (default: all)', odsCode)
  .option('--from <month>', 'first month, YYYY-MM (default: twelve months before --to)')
  .option('--to <month>', 'last month, YYYY-MM (default: last month)')
  .option('--tolerance <share>', 'missed when delivered is below contracted by more than this share', '0.05')
  .option('--missed', 'show only the trust specialties that missed')
  .action(async (options: { region?: string; from?: string; to?: string; tolerance: string; missed?: boolean }) => {
    const parsed = shortfallQuerySchema.safeParse(options);
    if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '));
    const query = shortfallQueryFrom(parsed.data, new Date());
    const report = await withDatabase((db) => shortfallReport(db, query));
    const lines = options.missed ? report.lines.filter((line) => line.missed) : report.lines;
    console.log(`Shortfalls ${query.regionCode ?? 'in all regions'}, ${query.from} to ${query.to}, tolerance ${query.tolerance * 100}%:\n`);
    printTable(
      ['trust', 'specialty', 'contracted', 'delivered', 'shortfall', '%', 'missed'],
      lines.map((line) => [
        `${line.trustOds} ${line.trustName}`.slice(0, 50),
        line.treatmentFunctionName.slice(0, 32),
        String(line.contracted),
        String(line.delivered),
        String(line.shortfall),
        line.shortfallPercent.toFixed(1),
        line.missed ? 'MISSED' : '',
      ]),
    );
    console.log(`\n${report.lines.filter((line) => line.missed).length} of ${report.lines.length} trust specialties missed their volume.`);
  });

program
  .command('generate')
  .description('write a synthetic world built from the real reference data, and optionally load it')
  .option('--pathways <n>', 'waiting-list pathways to generate', positiveInt, 5_000)
  .option('--seed <n>', 'random seed: the same seed and options give the same world', positiveInt, 1)
  .option('--as-of <date>', 'the day the world is seen from (default: today)')
  .option('--out <dir>', 'where to write the files (default: DATA_DIR/world-<seed>-<pathways>)')
  .option('--load', 'import the world into the database as well')
  .action(async (options: { pathways: number; seed: number; asOf?: string; out?: string; load?: boolean }) => {
    const asOf = options.asOf ?? dayOf(new Date());
    if (!isIsoDate(asOf)) throw new Error('--as-of must be a date written YYYY-MM-DD');
    const outDir = path.resolve(options.out ?? path.join(config.DATA_DIR, `world-${options.seed}-${options.pathways}`));
    const bar = new SingleBar({ format: 'generating |{bar}| {value}/{total} pathways', barsize: 20, hideCursor: true });
    bar.start(options.pathways, 0);
    const plan = await generateWorld({
      pathways: options.pathways,
      seed: options.seed,
      asOf,
      outDir,
      referenceDataDir: config.REFERENCE_DATA_DIR,
      projectReferenceDir: PROJECT_REFERENCE_DIR,
      onProgress: (written) => bar.update(written),
    }).finally(() => bar.stop());
    console.log(`Wrote the world to ${outDir} (plan: world.json).`);
    if (!options.load) return;
    await withDatabase((db) =>
      loadWorld(db, plan, (step, report) =>
        console.log(`  ${step.kind.padEnd(22)} ${String(report.rowsRead).padStart(9)} rows: ${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged`),
      ),
    );
    console.log('Loaded.');
  });

program
  .command('funds:create')
  .description('create funds from a JSON file (one fund, or a list): all are checked before any is made; a fund already there by name is left as it is')
  .argument('<file>', 'JSON: { name, allocationPence, windowFrom, windowTo, regionCode?, trusts?: [{ trustOds, allocationPence? }], treatmentFunctions? }')
  .action(async (file: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const funds = z.array(newFundSchema).safeParse(Array.isArray(parsed) ? parsed : [parsed]);
    if (!funds.success) {
      throw new Error(`${file} has problems, nothing was created:\n${funds.error.issues.map((issue) => `  fund ${issue.path.map(String).join('.')}: ${issue.message}`).join('\n')}`);
    }
    await withDatabase(async (db) => {
      const problems = (await Promise.all(funds.data.map(async (fund) => (await newFundProblems(db, fund)).map((problem) => `  ${fund.name}: ${problem}`)))).flat();
      if (problems.length > 0) throw new Error(`${file} has problems, nothing was created:\n${problems.join('\n')}`);
      for (const fund of funds.data) {
        const { id, created } = await createFund(db, fund);
        if (created) await audit(db, { actor: 'cli', action: 'fund.create', subject: `fund:${id}`, detail: { name: fund.name, allocationPence: fund.allocationPence } });
        console.log(`${created ? 'created' : 'already there, unchanged'}: fund ${id}, ${fund.name}`);
      }
    });
    console.log('Each new fund gets its nightly claims Schedule when the service next starts.');
  });

function printTable(headings: string[], rows: string[][]): void {
  const widths = headings.map((heading, index) => Math.max(heading.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  ');
  console.log(line(headings));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

function printReport(report: ImportReport, elapsedMs: number): void {
  const seconds = (elapsedMs / 1000).toFixed(1);
  if (report.status === 'applied') {
    console.log(
      `${report.kind}: ${report.rowsRead} rows applied in ${seconds} s — ${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged.`,
    );
    return;
  }
  console.log(`${report.kind}: REJECTED — nothing was changed. ${report.rowsRejected} of ${report.rowsRead} rows have problems (${report.problemsTotal} in all):\n`);
  printTable(
    ['row', 'field', 'value', 'reason'],
    report.problems.map((problem) => [String(problem.row), problem.field, problem.value.slice(0, 40), problem.reason]),
  );
  if (report.problemsTotal > report.problems.length) console.log(`… and ${report.problemsTotal - report.problems.length} more`);
}

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
