/**
 * `npm run bench -- campaign [--patients N] [--warmup W] [--clinicians C] [--workers P]`: campaign throughput
 * (PRODUCT.md §8, issue 5 item 7). On one Temporal dev server started for the run (SQLite on disk, as
 * the embedded run keeps it):
 *
 * 1. a warm-up campaign of W patients at another trust (not timed): warms the worker and gives a
 *    transfer's history, from which its steps before it waits for its patient are counted (history
 *    events and activities, up to its offer email);
 * 2. the baseline: N bare workflows with 7 no-op activities each (a transfer's steps before it
 *    waits for its patient, each its own activity, as transfers ran them before their own records
 *    became local activities: issue 18's baseline), started as the campaign starts its
 *    transfers (a parent starting abandoned children in pages of 100, continuing as new after 500;
 *    see bare-workflows.ts), on a plain worker with the SDK's default settings, after W warm-up ones;
 * 3. the campaign: N patients launched through the API's own launch (services/campaigns.ts), on the
 *    product's worker (startWorker, the product's codec and a pool of DATABASE_POOL_SIZE connections;
 *    with --workers P > 1, P worker processes as deployed, `main.ts worker`, sharing the task queue),
 *    a scripted clinician confirming each transfer as soon as it awaits review (C Updates in flight),
 *    offers emailed over SMTP to a sink that accepts and drops them;
 * 4. the baseline again, on the server as the campaign left it.
 *
 * Each rate is workflows from the first run's start (server time) to the last transfer waiting for its
 * patient with its offer sent (PostgreSQL time) or the last bare workflow's last activity run (the
 * worker's clock; one machine). The server holds more the later a phase runs, so the campaign is
 * compared with the mean of the baselines either side of it. Per-activity timings from a sample of
 * histories and the CPU each process used show where the time goes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../config';
import { createDb } from '../db/database';
import { acceptanceEstimate, offerWindow } from '../domain/campaign-window';
import { createSmtpMailer } from '../emails/mailer';
import { resolveTemporalBinary, TEMPORAL_CLI } from '../temporal/binaries';
import { EncryptionCodec, generatePayloadKey } from '../temporal/codec';
import { startDevServer } from '../temporal/dev-server';
import { installTemporalRuntime } from '../temporal/runtime';
import { runWorker, startWorker, workflowsPath, type RunningWorker } from '../temporal/worker';
import { STARTS_PER_RUN } from '../workflows/campaign';
import { transferWorkflowId } from '../workflows/ids';
import type { bareCampaignWorkflow } from './bare-workflows';
import { buildCampaignWorld } from './campaign-world';
import { firstStart, runCampaign, startSmtpSink } from './campaign-run';
import { serviceEnv, startService } from './processes';
import { benchDatabase, option, reportFigures, sleep } from './support';

const NAMESPACE = 'default';
const PRODUCT_QUEUE = 'bench-campaign';
/** The baseline's activities per workflow: a transfer's seven steps before it waits for its patient, each its own activity. */
const BASELINE_ACTIVITIES = 7;
const BARE_QUEUE = 'bench-bare';
/** The campaign's page (workflows/campaign.ts PAGE): the baseline's parent starts as many at a time. */
const PAGE = 100;
/** Histories read after each phase for per-activity timings. */
const SAMPLE = 200;


export async function benchCampaign(args: readonly string[]): Promise<void> {
  const patients = option(args, '--patients', 10_000);
  const warmup = option(args, '--warmup', 50);
  const clinicians = option(args, '--clinicians', 32);
  const workerProcesses = option(args, '--workers', 1);
  const config = loadConfig();
  const log = pino({ level: 'warn' });
  installTemporalRuntime(log);
  const cleanups: (() => Promise<unknown>)[] = [];
  const bench = await benchDatabase(config);
  cleanups.push(() => bench.drop());
  try {
    // The world (not timed): enough free slots that the first window already holds every patient.
    const slots = Math.ceil(patients * 0.7) + 10;
    const firstWindow = offerWindow({ freeSlots: slots, fundPlaces: Number.MAX_SAFE_INTEGER, estimate: acceptanceEstimate(0, 0) });
    if (firstWindow < patients) throw new Error(`the window (${firstWindow}) would not hold ${patients} patients`);
    console.log(`Building the world: ${patients.toLocaleString('en-GB')} + ${warmup} warm-up patients, ${slots.toLocaleString('en-GB')} free slots …`);
    const world = await buildCampaignWorld(bench.db, { patients, warmup, slots });
    await sql`analyze`.execute(bench.db);

    // The services: a dev server of our own, an SMTP sink, the workflow bundles.
    const cli = await resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: config.TEMPORAL_CLI_PATH, toolsDir: config.TOOLS_DIR, install: true });
    const temporalDir = await mkdtemp(path.join(os.tmpdir(), 'bt-bench-temporal-'));
    cleanups.push(() => rm(temporalDir, { recursive: true, force: true }));
    const server = await startDevServer({ cliPath: cli.found ? cli.path : undefined, dbFile: path.join(temporalDir, 'temporal.sqlite'), ui: false, namespace: NAMESPACE, retentionDays: 1 });
    cleanups.push(() => server.stop());
    const sink = await startSmtpSink();
    cleanups.push(() => sink.stop());
    const mailer = createSmtpMailer(sink.url, 'Backlog Transfer <no-reply@backlog-transfer.nhs.test>');
    cleanups.push(async () => mailer.close());
    const workerDb = createDb(bench.url, { poolSize: config.DATABASE_POOL_SIZE });
    cleanups.push(() => workerDb.destroy());
    console.log('Bundling the workflows …');
    const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
    const productBundle = path.join(temporalDir, 'workflows.js');
    await writeFile(productBundle, (await bundleWorkflowCode({ workflowsPath, logger: quiet })).code);

    const payloadKey = generatePayloadKey();
    const codec = new EncryptionCodec([payloadKey]);
    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter: { payloadCodecs: [codec] } });
    const bareClient = new Client({ connection, namespace: NAMESPACE });
    const temporalPid = childPid('temporal');

    // The product's worker in this process, or as many worker processes as a deployment runs.
    const product = workerProcesses === 1 ? await inProcessWorker() : await workerProcessesOf(workerProcesses);
    cleanups.push(() => product.stop());

    async function inProcessWorker() {
      const running = await startWorker({
        address: server.address,
        namespace: NAMESPACE,
        taskQueue: PRODUCT_QUEUE,
        codec,
        activities: { db: workerDb, mailer, publicBaseUrl: 'http://localhost:3000', patientPhone: '0808 157 0192', now: () => new Date() },
        workflowBundle: { codePath: productBundle },
      });
      return { pids: [] as number[], describe: () => slotsOf(running.worker.options), stop: () => running.stop() };
    }

    async function workerProcessesOf(count: number) {
      const env = {
        ...serviceEnv({
          temporalAddress: server.address,
          namespace: NAMESPACE,
          taskQueue: PRODUCT_QUEUE,
          payloadKeys: `${payloadKey.id}:${payloadKey.key.toString('base64')}`,
          databaseUrl: bench.url,
          smtpUrl: sink.url,
        }),
        DATABASE_POOL_SIZE: String(config.DATABASE_POOL_SIZE),
      };
      const started = await Promise.all(Array.from({ length: count }, () => startService('worker', env)));
      return {
        pids: started.map((service) => service.child.pid!),
        describe: () => `${count} worker processes (main.ts worker, SDK defaults each)`,
        stop: () => Promise.all(started.map((service) => service.stop())),
      };
    }

    // 1. Warm-up campaign: a transfer's steps before it waits for its patient.
    console.log(`Warm-up campaign of ${warmup} …`);
    const warm = await runCampaign({ client, db: bench.db, taskQueue: PRODUCT_QUEUE, world, trust: world.trusts.warmup, patients: warmup, clinicians, name: 'warm-up' });
    const transferSteps = stepsBeforePatient(await transferHistory(client, warm.pathwayIds[0]!));
    console.log(`A transfer writes ${transferSteps.events} history events before it waits for its patient; activities: ${transferSteps.activities.join(', ')}`);

    /** N bare workflows with BASELINE_ACTIVITIES no-op activities each, on a worker of their own started for the phase. */
    const baseline = async (idPrefix: string) => {
      const bareWorker = await startBareWorker(server.address);
      try {
        console.log(`Baseline (${idPrefix}): ${patients.toLocaleString('en-GB')} bare workflows × ${BASELINE_ACTIVITIES} no-op activities …`);
        const cpu = cpuMeter(temporalPid);
        const bare = await runBare({ client: bareClient, count: patients, activities: BASELINE_ACTIVITIES, idPrefix });
        const cpuUsed = cpu();
        console.log(`  ${bare.seconds.toFixed(1)} s, ${(patients / bare.seconds).toFixed(1)} workflows/s  (load ${loadNow()})`);
        const profile = await activityProfile(
          await Promise.all(sampleOf(patients, SAMPLE).map((index) => bareClient.workflow.getHandle(`${idPrefix}-${index}`).fetchHistory())),
        );
        return { seconds: bare.seconds, cpuUsed, profile, options: bareWorker.worker.options };
      } finally {
        await bareWorker.stop();
      }
    };

    // 2. The baseline, after a warm-up of its own.
    const warmupWorker = await startBareWorker(server.address);
    console.log(`Baseline warm-up of ${warmup} …`);
    await runBare({ client: bareClient, count: warmup, activities: BASELINE_ACTIVITIES, idPrefix: 'bare-warmup' }).finally(() => warmupWorker.stop());
    const before = await baseline('bare-before');

    // 3. The campaign.
    console.log(`Campaign: ${patients.toLocaleString('en-GB')} patients …`);
    const campaignCpu = cpuMeter(temporalPid, product.pids);
    const run = await runCampaign({ client, db: bench.db, taskQueue: PRODUCT_QUEUE, world, trust: world.trusts.bench, patients, clinicians, name: 'benchmark' });
    const campaignCpuUsed = campaignCpu();
    // Each patient's offer once, however many workers shared the work: one message per offer reached the relay.
    if (sink.received() !== warmup + patients) throw new Error(`the SMTP relay received ${sink.received()} messages for ${warmup + patients} offers`);
    console.log(`  ${run.seconds.toFixed(1)} s, ${(patients / run.seconds).toFixed(1)} patients/s  (load ${loadNow()})`);
    const campaignHistories = await Promise.all(sampleOf(patients, SAMPLE).map((index) => transferHistory(client, run.pathwayIds[index]!)));
    const campaignProfile = await activityProfile(campaignHistories, transferSteps.activities.length);

    // 4. The baseline again, on the server the campaign left.
    const after = await baseline('bare-after');
    const bareSeconds = (before.seconds + after.seconds) / 2;

    await reportFigures(
      'campaign',
      `Campaign throughput, ${patients.toLocaleString('en-GB')} patients, launch to the last offer delivered over SMTP and recorded`,
      [
        {
          name: 'campaign',
          value: patients / run.seconds,
          unit: 'patients/s',
          baseline: patients / bareSeconds,
          baselineName: `bare workflows (${BASELINE_ACTIVITIES} no-op activities each; mean of before and after)`,
          // PRODUCT.md §8, Temporal work per patient: 1.5× the bare workflows doing the naive seven activities.
          targetRatio: 1.5,
        },
      ],
      [
        `campaign: ${run.seconds.toFixed(1)} s from the campaign workflow's start to the ${patients.toLocaleString('en-GB')}th transfer waiting for its patient, its offer sent ` +
          `(${run.launchSeconds.toFixed(1)} s from calling launchCampaign, its dry run included); ` +
          `${run.runs} campaign runs (continue-as-new every ${STARTS_PER_RUN})`,
        `baseline: ${before.seconds.toFixed(1)} s before the campaign and ${after.seconds.toFixed(1)} s after it (ratio ${(before.seconds / run.seconds).toFixed(2)} and ` +
          `${(after.seconds / run.seconds).toFixed(2)} against each), from the parent's start to the last activity of the ${patients.toLocaleString('en-GB')}th child ` +
          `(each then waits on a timer, as a transfer does); parent starts children in pages of ${PAGE} with 2 no-op activities a page, continuing as new every ${STARTS_PER_RUN}: ` +
          `the campaign's own way of starting transfers, so the ratio is what the transfers' work (database, SMTP, codec, the clinician's Update) costs over bare Temporal`,
        `a transfer before it waits for its patient (from its history): ${transferSteps.events} events; activities ${transferSteps.activities.join(', ')}; its own records are local activities`,
        `window: ${slots.toLocaleString('en-GB')} free slots → first window ${firstWindow.toLocaleString('en-GB')} (≥ ${patients.toLocaleString('en-GB')}: never waits); ` +
          `the fund holds twice the patients' price`,
        `scripted clinician: ${clinicians} review Updates in flight; ${run.reviewErrors} refused or failed; mean ${run.reviewMeanMs.toFixed(0)} ms per Update`,
        `workers (SDK defaults): ${product.describe()} (baseline ${slotsOf(before.options)}); activities' database pool ${config.DATABASE_POOL_SIZE} connections a process`,
        `CPU seconds (this process and any worker processes: worker, clinician, SMTP sink | Temporal dev server | PostgreSQL): baseline ${before.cpuUsed} before, ${after.cpuUsed} after; campaign ${campaignCpuUsed}; ${os.cpus().length} cores`,
        `per activity, mean ms schedule→start / start→close, over ${SAMPLE} sampled workflows:`,
        `  baseline: ${before.profile} (before), ${after.profile} (after)`,
        `  campaign: ${campaignProfile}`,
        `smtp sink: ${sink.received().toLocaleString('en-GB')} messages received; load average now ${loadNow()}`,
      ],
    );
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => console.warn('cleanup failed:', (error as Error).message));
    }
  }
}

/** What the baseline's worker saw: children whose last no-op activity ran, and when the latest did. */
const bareProgress = { done: 0, lastAt: 0 };

/** Starts the baseline's parent and waits until every child has run its last activity. */
async function runBare(options: { client: Client; count: number; activities: number; idPrefix: string }): Promise<{ seconds: number }> {
  const { client, count } = options;
  const parentId = `${options.idPrefix}-parent`;
  bareProgress.done = 0;
  await client.workflow.start<typeof bareCampaignWorkflow>('bareCampaignWorkflow', {
    workflowId: parentId,
    taskQueue: BARE_QUEUE,
    args: [{ count, activities: options.activities, page: PAGE, startsPerRun: STARTS_PER_RUN, idPrefix: options.idPrefix }],
  });
  const deadline = Date.now() + 300_000 + count * 400;
  while (bareProgress.done < count) {
    if (Date.now() > deadline) throw new Error(`${bareProgress.done} of ${count} bare workflows done before the deadline`);
    await sleep(100);
  }
  const started = await firstStart(client, parentId);
  return { seconds: (bareProgress.lastAt - started.runStart) / 1000 };
}

async function startBareWorker(address: string): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: NAMESPACE,
    taskQueue: BARE_QUEUE,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./bare-workflows.ts', import.meta.url)), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } }),
    activities: {
      async noop(last?: boolean) {
        if (!last) return;
        bareProgress.done += 1;
        bareProgress.lastAt = Date.now();
      },
    },
  });
  return runWorker(worker, connection);
}

/** A transfer's history (its first run: transfers never continue as new). */
function transferHistory(client: Client, pathwayId: number): Promise<temporal.api.history.v1.IHistory> {
  const handle: WorkflowHandle = client.workflow.getHandle(transferWorkflowId(pathwayId));
  return handle.fetchHistory();
}

type History = temporal.api.history.v1.IHistory;

/**
 * A transfer's history before it first waits for its patient, up to its first timer once its offer
 * email is out: how many events, and the activity types it schedules.
 */
function stepsBeforePatient(history: History): { events: number; activities: string[] } {
  const activities: string[] = [];
  let events = 0;
  for (const event of history.events ?? []) {
    events += 1;
    if (activities.includes('sendTransferMessage') && event.timerStartedEventAttributes) break;
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) activities.push(name);
  }
  return { events, activities };
}

const millis = (time: temporal.api.history.v1.IHistoryEvent['eventTime']) => (time ? Number(time.seconds ?? 0) * 1000 + (time.nanos ?? 0) / 1e6 : 0);

/** Mean schedule→start and start→close per activity type, over each history's first `limit` activities. */
async function activityProfile(histories: readonly History[], limit = Number.POSITIVE_INFINITY): Promise<string> {
  const byType = new Map<string, { queued: number; ran: number; n: number }>();
  for (const history of histories) {
    let completedCount = 0;
    const scheduled = new Map<number, { name: string; at: number }>();
    const started = new Map<number, number>();
    for (const event of history.events ?? []) {
      const id = Number(event.eventId);
      const attributes = event.activityTaskScheduledEventAttributes;
      if (attributes) {
        scheduled.set(id, { name: attributes.activityType!.name!, at: millis(event.eventTime) });
        continue;
      }
      if (event.activityTaskStartedEventAttributes) {
        started.set(Number(event.activityTaskStartedEventAttributes.scheduledEventId), millis(event.eventTime));
        continue;
      }
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed) {
        const scheduledId = Number(completed.scheduledEventId);
        const schedule = scheduled.get(scheduledId);
        const start = started.get(scheduledId);
        if (!schedule || start === undefined) continue;
        const entry = byType.get(schedule.name) ?? { queued: 0, ran: 0, n: 0 };
        entry.queued += start - schedule.at;
        entry.ran += millis(event.eventTime) - start;
        entry.n += 1;
        byType.set(schedule.name, entry);
        if (++completedCount >= limit) break;
      }
    }
  }
  return [...byType.entries()].map(([name, entry]) => `${name} ${(entry.queued / entry.n).toFixed(0)}/${(entry.ran / entry.n).toFixed(0)}`).join(', ');
}

/** `count` indices spread evenly over 0 … total-1. */
function sampleOf(total: number, count: number): number[] {
  const step = Math.max(1, Math.floor(total / count));
  return Array.from({ length: Math.min(count, total) }, (_, index) => index * step).filter((index) => index < total);
}

interface ProcStat {
  readonly pid: number;
  readonly name: string;
  readonly parent: number;
  /** CPU seconds used by the process and by its children it has reaped. */
  readonly cpuSeconds: number;
}

/** Every process /proc shows (none where there is no /proc: CPU is then not reported). */
function processes(): ProcStat[] {
  const found: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12, 13, 14].reduce((sum, field) => sum + Number(fields[field]), 0);
      found.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), parent: Number(fields[1]), cpuSeconds: ticks / 100 });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** The pid of this process's child with that command name (the dev server), if /proc shows it. */
function childPid(command: string): number | undefined {
  return processes().find((proc) => proc.parent === process.pid && proc.name === command)?.pid;
}

/** CPU seconds of the dev server and of PostgreSQL (all its processes: the server is this machine's). */
function serviceCpu(serverPid: number | undefined): { server: number | undefined; postgres: number | undefined } {
  const all = processes();
  const postgres = all.filter((proc) => proc.name === 'postgres');
  return {
    server: all.find((proc) => proc.pid === serverPid)?.cpuSeconds,
    postgres: postgres.length ? postgres.reduce((sum, proc) => sum + proc.cpuSeconds, 0) : undefined,
  };
}

/** CPU seconds used from now by this process, the dev server and PostgreSQL: call the result to read them. */
function cpuMeter(serverPid: number | undefined, workerPids: readonly number[] = []): () => string {
  const ownStart = process.cpuUsage();
  const workersNow = () => processes().filter((proc) => workerPids.includes(proc.pid)).reduce((sum, proc) => sum + proc.cpuSeconds, 0);
  const workersStart = workersNow();
  const start = serviceCpu(serverPid);
  const since = (now: number | undefined, then: number | undefined) => (now !== undefined && then !== undefined ? (now - then).toFixed(1) : '?');
  return () => {
    const own = process.cpuUsage(ownStart);
    const now = serviceCpu(serverPid);
    return `${((own.user + own.system) / 1e6 + workersNow() - workersStart).toFixed(1)} | ${since(now.server, start.server)} | ${since(now.postgres, start.postgres)}`;
  };
}

/** The worker's slots as its tuner has them (fixed-size by default: 40 workflow tasks, 100 activities). */
function slotsOf(options: Worker['options']): string {
  const tuner = options.tuner as unknown as Record<string, { numSlots?: number } | undefined>;
  return `${tuner.workflowTaskSlotSupplier?.numSlots ?? '?'} workflow task slots, ${tuner.activityTaskSlotSupplier?.numSlots ?? '?'} activity slots, ${options.maxCachedWorkflows} cached workflows`;
}

const loadNow = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
