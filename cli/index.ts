/**
 * The command line: `npm run cli -- <command>`. Each command resolves the database the same way the
 * service does (DATABASE_URL, the local server, or the embedded one) and exits non-zero on failure.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path, { basename } from 'node:path';
import type { Client } from '@temporalio/client';
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
import { launchCampaignSchema } from '../domain/campaign';
import { Invalid } from '../domain/failures';
import { campaignOf, dryRunCampaign, launchCampaign, type Launcher, type LaunchProblem, liveProgress } from '../services/campaigns';
import { DEFAULT_COHORT_RULES } from '../domain/cohort';
import { DEFAULT_TRANSFER_SETTINGS } from '../domain/transfer-settings';
import { type CampaignFunnel, campaignFunnel } from '../reports/campaign-funnel';
import { FUNNEL_STAGE_LABELS, FUNNEL_STAGES } from '../reports/funnel-stages';
import type { DryRunResult } from '../reports/campaign-dry-run';
import { createTemporalClient } from '../temporal/client';
import { EncryptionCodec, loadPayloadKeys } from '../temporal/codec';
import { ensureSearchAttributes } from '../temporal/search-attributes';

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
  const db = createDb(server.url, { poolSize: 2, onConnectionError: (error) => log.warn({ err: error }, 'database connection lost') });
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

/** Connects to Temporal as the service does: TEMPORAL_ADDRESS, or the embedded run's dev server; the same payload keys. */
async function withTemporal<T>(work: (temporal: Client) => Promise<T>): Promise<T> {
  const address = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
  const codec = new EncryptionCodec(await loadPayloadKeys({ configured: config.PAYLOAD_KEYS, dataDir: config.DATA_DIR }));
  let temporal: Client;
  try {
    temporal = await createTemporalClient({ address, namespace: config.TEMPORAL_NAMESPACE, codec });
  } catch (error) {
    throw new Error(`Temporal does not answer at ${address}: start the service (npm start) or set TEMPORAL_ADDRESS`, { cause: error });
  }
  try {
    return await work(temporal);
  } finally {
    await temporal.connection.close();
  }
}

program
  .command('temporal:setup')
  .description("register the workflows' search attributes in TEMPORAL_NAMESPACE (every start does it too; run it with operator rights where the service has none)")
  .action(async () => {
    const added = await withTemporal((temporal) => ensureSearchAttributes(temporal.connection, config.TEMPORAL_NAMESPACE));
    console.log(added.length > 0 ? `Registered ${added.join(', ')} in ${config.TEMPORAL_NAMESPACE}.` : `${config.TEMPORAL_NAMESPACE} has every search attribute already.`);
  });

/** The command line launches as an operator: every region, audited as `cli`. */
const CLI_LAUNCHER: Launcher = { actor: 'cli', regionCode: null };
const clock = () => new Date();

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];
const numberList = (value: string, previous: number[] = []) => [...previous, ...list(value).map(Number)];

/** The option each field of a launch comes from, to name it in a refusal. */
const LAUNCH_OPTIONS: Record<string, string> = {
  name: '--name',
  regionCode: '--region',
  trusts: '--trust',
  treatmentFunctions: '--treatment-function',
  fundId: '--fund',
  'period.from': '--from',
  'period.to': '--to',
  period: '--from/--to',
  'cohortRules.minWeeksWaited': '--min-weeks-waited',
  'cohortRules.noAppointmentWithinWeeks': '--appointment-free-weeks',
  'cohortRules.minAge': '--min-age',
  'cohortRules.declinedWithinDays': '--declined-within-days',
  responseWindowDays: '--response-window-days',
  reminderDays: '--reminder-days',
  maxOffers: '--max-offers',
};
const optionOf = (field: string) => LAUNCH_OPTIONS[field] ?? LAUNCH_OPTIONS[field.replace(/\.\d+$/, '')] ?? field;

const pounds = (pence: number) => `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function printDryRun(summary: DryRunResult): void {
  const reasons = Object.entries(summary.screenedOutCriteria).sort(([, a], [, b]) => b - a);
  const lines: [string, string][] = [
      ['trusts', summary.trusts.join(', ')],
      ['eligible patients', String(summary.eligible)],
      ['screened out', String(summary.screenedOut)],
      ['  no IS site for their procedure', String(summary.screenedOutReasons.noSiteForProcedure)],
      [
        '  excluded by criteria',
        `${summary.screenedOutReasons.excludedByCriteria}${reasons.length ? ` (${reasons.map(([criterion, count]) => `${criterion} ${count}`).join(', ')})` : ''}`,
      ],
      ['no choice within reach', String(summary.noChoice)],
      ['offers that would go out', String(summary.wouldOffer)],
      ['expected cost', pounds(summary.expectedCostPence)],
      ['left in the fund', pounds(summary.fundRemainingPence)],
      ['IS slots free in the period', String(summary.slotsAvailable)],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) console.log(`  ${label.padEnd(width)}  ${value}`);
}

program
  .command('campaign:launch')
  .description('launch a transfer campaign (or with --dry-run only count what it would do); the same checks as the API')
  .requiredOption('--name <name>', 'what the regional team calls it')
  .requiredOption('--region <code>', 'NHS England region, e.g. Y60', odsCode)
  .option('--trust <ods>', "a trust to draw patients from; repeat or separate with commas (default: the region's trusts that missed their volume)", (value: string, previous?: string[]) => list(value, previous).map(odsCode))
  .requiredOption('--treatment-function <code>', 'a treatment function, e.g. 110; repeat or separate with commas', list)
  .requiredOption('--fund <id>', 'the fund that pays', positiveInt)
  .requiredOption('--from <date>', 'first day of the offers, YYYY-MM-DD')
  .requiredOption('--to <date>', 'last day of the offers, YYYY-MM-DD')
  .requiredOption('--max-offers <n>', 'the most offers the campaign sends', positiveInt)
  .option('--min-weeks-waited <n>', `cohort: waited at least this many weeks (default ${DEFAULT_COHORT_RULES.minWeeksWaited})`, Number)
  .option('--appointment-free-weeks <n>', `cohort: no appointment or admission within this many weeks (default ${DEFAULT_COHORT_RULES.noAppointmentWithinWeeks})`, Number)
  .option('--min-age <years>', `cohort: aged at least this (default ${DEFAULT_COHORT_RULES.minAge})`, Number)
  .option('--declined-within-days <n>', `cohort: leave out patients who declined a transfer this recently (default ${DEFAULT_COHORT_RULES.declinedWithinDays})`, Number)
  .option('--response-window-days <n>', `days a patient has to answer (default ${DEFAULT_TRANSFER_SETTINGS.responseWindowDays})`, Number)
  .option('--reminder-days <days>', `days after the offer to remind, ascending, e.g. 3,10 (default ${DEFAULT_TRANSFER_SETTINGS.reminderDays.join(',')})`, numberList)
  .option('--dry-run', 'count what the campaign would do; send and write nothing')
  .action(
    async (options: {
      name: string;
      region: string;
      trust?: string[];
      treatmentFunction: string[];
      fund: number;
      from: string;
      to: string;
      maxOffers: number;
      minWeeksWaited?: number;
      appointmentFreeWeeks?: number;
      minAge?: number;
      declinedWithinDays?: number;
      responseWindowDays?: number;
      reminderDays?: number[];
      dryRun?: boolean;
    }) => {
      const cohortRules = Object.fromEntries(
        Object.entries({
          minWeeksWaited: options.minWeeksWaited,
          noAppointmentWithinWeeks: options.appointmentFreeWeeks,
          minAge: options.minAge,
          declinedWithinDays: options.declinedWithinDays,
        }).filter(([, value]) => value !== undefined),
      );
      const parsed = launchCampaignSchema.safeParse({
        name: options.name,
        regionCode: options.region,
        trusts: options.trust,
        treatmentFunctions: options.treatmentFunction,
        fundId: options.fund,
        period: { from: options.from, to: options.to },
        cohortRules,
        responseWindowDays: options.responseWindowDays,
        reminderDays: options.reminderDays,
        maxOffers: options.maxOffers,
        dryRun: options.dryRun ?? false,
      });
      if (!parsed.success) {
        throw new Error(`the campaign cannot be launched:\n${parsed.error.issues.map((issue) => `  ${optionOf(issue.path.map(String).join('.'))}: ${issue.message}`).join('\n')}`);
      }
      const launch = parsed.data;
      const refused = (error: unknown) => {
        if (error instanceof Invalid && Array.isArray(error.details)) {
          const problems = error.details as LaunchProblem[];
          return new Error(`the campaign cannot be launched:\n${problems.map((problem) => `  ${optionOf(problem.field)}: ${problem.message}`).join('\n')}`, { cause: error });
        }
        return error;
      };
      if (launch.dryRun) {
        const { summary } = await withDatabase((db) => dryRunCampaign({ db, clock }, CLI_LAUNCHER, launch)).catch((error: unknown) => Promise.reject(refused(error)));
        console.log(`Dry run of "${launch.name}": nothing was sent or written.\n`);
        printDryRun(summary);
        return;
      }
      const campaign = await withTemporal((temporal) =>
        withDatabase((db) => launchCampaign({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, clock }, CLI_LAUNCHER, launch)),
      ).catch((error: unknown) => Promise.reject(refused(error)));
      console.log(`Launched campaign ${campaign.id}, "${campaign.name}" (workflow ${campaign.workflowId}).\n`);
      printDryRun(campaign.launchSummary);
      console.log(`\nWatch it with: npm run cli -- campaign:progress ${campaign.id}`);
    },
  );

program
  .command('campaign:progress')
  .description("show a campaign's funnel with a live progress bar until it ends (or Ctrl-C)")
  .argument('<id>', 'the campaign', positiveInt)
  .option('--every <seconds>', 'how often to look again', positiveInt, 2)
  .action(async (id: number, options: { every: number }) => {
    await withTemporal((temporal) =>
      withDatabase(async (db) => {
        const campaign = await campaignOf({ db }, id);
        if (!campaign) throw new Error(`campaign ${id} not found`);
        console.log(`Campaign ${id}, "${campaign.name}": ${campaign.trusts.join(', ')}; ${campaign.treatmentFunctions.join(', ')}; ${campaign.period.from} to ${campaign.period.to}\n`);
        let interrupted = false;
        const interrupt = () => (interrupted = true);
        process.once('SIGINT', interrupt);
        const bar = new SingleBar({
          format: '{phase} |{bar}| {value}/{total} answered · {started} started, {outstanding} open · {accepted} accepted, {declined} declined, {lapsed} lapsed · {note}',
          barsize: 24,
          hideCursor: true,
          // Piped to a file or a log, a line every few seconds instead of a redrawn bar.
          noTTYOutput: true,
          notTTYSchedule: 5_000,
        });
        // Offers to make: the dry run's count at launch, within the ceiling, until the workflow knows better.
        const expected = Math.min(campaign.launchSummary.wouldOffer, campaign.maxOffers);
        bar.start(Math.max(expected, 1), 0, { phase: campaign.status, started: 0, outstanding: 0, accepted: 0, declined: 0, lapsed: 0, note: '' });
        let status = campaign.status;
        try {
          while (!interrupted && (status === 'running' || status === 'paused')) {
            const live = await liveProgress(temporal, id);
            status = (await campaignOf({ db }, id))?.status ?? status;
            if (live.progress) {
              const progress = live.progress;
              const answered = progress.accepted + progress.declined + progress.lapsed + progress.notOffered;
              bar.setTotal(Math.max(progress.cohortExhausted ? progress.started : Math.max(expected, progress.started), answered, 1));
              bar.update(answered, { ...progress, note: progress.limitReached ? `maximum of ${campaign.maxOffers} offers reached` : `window ${progress.window}` });
            } else {
              bar.update({ phase: status, note: 'the workflow does not answer' });
            }
            if (status !== 'running' && status !== 'paused') break;
            await new Promise((resolve) => setTimeout(resolve, options.every * 1000));
          }
        } finally {
          bar.stop();
          process.off('SIGINT', interrupt);
        }
        const funnel = await campaignFunnel(db, id);
        console.log(`\nThe campaign is ${status}${interrupted ? ' (stopped watching)' : ''}.`);
        if (funnel) printFunnel(funnel);
      }),
    );
  });

function printFunnel(funnel: CampaignFunnel): void {
  const stages = FUNNEL_STAGES.filter((stage) => stage !== 'eligible');
  console.log(`\nFunnel (${funnel.started} transfers started; ${funnel.totals.eligible} eligible at launch):\n`);
  printTable(
    ['trust', 'specialty', 'started', ...stages.map((stage) => FUNNEL_STAGE_LABELS[stage].label)],
    [
      ...funnel.byTrustAndSpecialty.map((group) => [group.trustOds, group.treatmentFunctionCode, String(group.eligible), ...stages.map((stage) => String(group[stage]))]),
      ['all', 'all', String(funnel.started), ...stages.map((stage) => String(funnel.totals[stage]))],
    ],
  );
  console.log(`\nMoney: ${pounds(funnel.money.committedPence)} committed, ${pounds(funnel.money.claimedPence)} claimed.`);
  console.log(`IS capacity: ${funnel.capacity.slotsBooked} of ${funnel.capacity.slotsInPeriod} slots in the period booked.`);
}

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
