/**
 * Composes the running service from its configuration: Temporal (configured, or a dev server),
 * PostgreSQL (configured, local, or embedded), SMTP (configured, or the catcher), then migrations,
 * demo data, the worker and the API. Used by main.ts and by the tests that start the whole service.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createApp } from './api/app';
import type { Config } from './config';
import type { Db } from './db/database';
import { createDb } from './db/database';
import { isDatabaseEmpty, issueDemoStaffTokens } from './db/demo';
import { migrateToLatest } from './db/migrate';
import type { StaffRole } from './db/schema';
import { redact, resolveDatabaseServer } from './db/server';
import { startBounceReceiver } from './emails/bounce-receiver';
import { startSmtpCatcher } from './emails/catcher';
import { generateWorld, loadWorld, PROJECT_REFERENCE_DIR } from './generate/world';
import { createSmtpMailer } from './emails/mailer';
import { createNotifySender } from './emails/notify';
import { TEMPORAL_CLI, resolveTemporalBinary } from './temporal/binaries';
import { ensureClaimsSchedules } from './temporal/claims-schedule';
import { startMissingCampaignWorkflows } from './services/campaigns';
import { createTemporalClient } from './temporal/client';
import { EncryptionCodec, loadPayloadKeys } from './temporal/codec';
import { startDevServer } from './temporal/dev-server';
import { ensureSearchAttributes } from './temporal/search-attributes';
import { installTemporalRuntime } from './temporal/runtime';
import { startWorker } from './temporal/worker';
import { dayOf } from './domain/dates';

export interface Stack {
  readonly db: Db;
  readonly temporal: Client;
  readonly urls: {
    readonly api?: string;
    readonly docs?: string;
    readonly temporalUi?: string;
    readonly devMailbox?: string;
    readonly database: string;
    readonly temporal: string;
    readonly smtp: string;
    /** Where the bounce receiver takes bounces+<id>@<SMTP_BOUNCE_DOMAIN>, when it runs. */
    readonly bounces?: string;
  };
  readonly databaseSource: 'configured' | 'local' | 'embedded';
  /** Fresh tokens for the demo staff users, when demo data is on. */
  readonly staffTokens?: Record<StaffRole, string>;
  /**
   * Stops in order: HTTP (letting requests in flight finish), the worker (letting activities finish),
   * then clients and servers. Rejects if any part did not stop cleanly.
   */
  stop(): Promise<void>;
}

export async function startStack(config: Config, log: Logger): Promise<Stack> {
  // Each part that must be stopped, named for the log if it is slow to stop.
  const cleanups: [part: string, stop: () => Promise<unknown>][] = [];
  const stop = async () => {
    let failed = 0;
    const slowAfterMs = config.SHUTDOWN_GRACE_SECONDS * 1000 + SLOW_STOP_MARGIN_MS;
    for (const [part, cleanup] of cleanups.reverse()) {
      const slow = setTimeout(() => log.warn({ part }, `${part} has not stopped after ${slowAfterMs / 1000} s`), slowAfterMs);
      await cleanup()
        .catch((error: unknown) => {
          failed += 1;
          log.error({ err: error, part }, 'error while stopping');
        })
        .finally(() => clearTimeout(slow));
    }
    if (failed > 0) throw new Error(`${failed} part(s) did not stop cleanly (logged above)`);
  };
  installTemporalRuntime(log, { metricsAddress: config.TEMPORAL_METRICS_ADDRESS });
  try {
    const runApi = config.SERVICE_ROLE !== 'worker';
    const runWorker = config.SERVICE_ROLE !== 'api';
    const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUi: string | undefined;
    if (!temporalAddress) {
      const cli = await resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: config.TEMPORAL_CLI_PATH, toolsDir: config.TOOLS_DIR, install: true });
      if (!cli.found) log.warn({ reason: cli.reason }, 'no temporal CLI: the SDK will download one (needs the internet)');
      const server = await startDevServer({
        cliPath: cli.found ? cli.path : undefined,
        dbFile: path.join(config.DATA_DIR, 'temporal', 'temporal.sqlite'),
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        ui: true,
        uiCodecEndpoint: runApi ? `${config.PUBLIC_BASE_URL}/codec` : undefined,
        namespace: config.TEMPORAL_NAMESPACE,
        retentionDays: config.TEMPORAL_RETENTION_DAYS,
      });
      cleanups.push(['the Temporal dev server', () => server.stop()]);
      temporalAddress = server.address;
      temporalUi = server.uiUrl;
    }

    const database = await resolveDatabaseServer({
      databaseUrl: config.DATABASE_URL,
      localDatabaseUrl: config.LOCAL_DATABASE_URL,
      embeddedPort: config.EMBEDDED_POSTGRES_PORT,
      dataDir: config.DATA_DIR,
      log,
    });
    cleanups.push(['PostgreSQL', () => database.stop()]);
    const db = createDb(database.url, {
      poolSize: config.DATABASE_POOL_SIZE,
      onConnectionError: (error) => log.warn({ err: error }, 'a database connection was lost; the pool will reconnect'),
    });
    cleanups.push(['the database pool', () => db.destroy()]);
    const applied = await migrateToLatest(db);
    if (applied.length) log.info({ applied }, 'database migrated');

    let smtpUrl = config.SMTP_URL;
    if (!smtpUrl) {
      const catcher = await startSmtpCatcher({ db, port: config.CATCHER_SMTP_PORT, log });
      cleanups.push(['the SMTP catcher', () => catcher.stop()]);
      smtpUrl = catcher.url;
    }
    const mailer = createSmtpMailer(smtpUrl, config.SMTP_FROM, { bounceDomain: config.SMTP_BOUNCE_DOMAIN });
    cleanups.push(['the mailer', async () => mailer.close()]);

    const codec = new EncryptionCodec(await loadPayloadKeys({ configured: config.PAYLOAD_KEYS, dataDir: config.DATA_DIR }));
    const temporal = await createTemporalClient({ address: temporalAddress, namespace: config.TEMPORAL_NAMESPACE, codec });
    cleanups.push(['the Temporal client', () => temporal.connection.close()]);
    // A transfer is started with its trust as a search attribute, so a namespace without them can start
    // none; a dev server has them from its flags, any other server gets them here, by whichever process
    // starts first. A server that refuses (no operator permission) is logged with the commands to run,
    // and the start goes on: they may be there already, and running workflows need none.
    await ensureSearchAttributes(temporal.connection, config.TEMPORAL_NAMESPACE).then(
      (added) => added.length > 0 && log.info({ added, namespace: config.TEMPORAL_NAMESPACE }, 'search attributes registered'),
      (error: unknown) => log.warn((error as Error).message),
    );

    let staffTokens: Record<StaffRole, string> | undefined;
    if (config.DEMO_DATA && runApi) {
      if (await isDatabaseEmpty(db)) {
        const plan = await generateWorld({
          pathways: config.DEMO_PATHWAYS,
          seed: 1,
          asOf: dayOf(new Date()),
          outDir: path.join(config.DATA_DIR, 'demo-world'),
          referenceDataDir: config.REFERENCE_DATA_DIR,
          projectReferenceDir: PROJECT_REFERENCE_DIR,
        });
        await loadWorld(db, plan);
        log.info({ pathways: config.DEMO_PATHWAYS }, 'demo world generated and loaded');
      }
      staffTokens = await issueDemoStaffTokens(db);
    }

    // Funds made by data files or while Temporal was away get their nightly claims run now.
    const schedulesMade = await ensureClaimsSchedules(temporal, config.TEMPORAL_TASK_QUEUE, db);
    if (schedulesMade > 0) log.info({ schedules: schedulesMade }, 'claims schedules made for funds that had none');
    // Campaigns whose launch stopped between writing the row and starting the workflow.
    const campaignsStarted = await startMissingCampaignWorkflows({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE });
    if (campaignsStarted > 0) log.info({ campaigns: campaignsStarted }, 'campaign workflows started for launches a stop had cut short');

    if (runWorker) {
      const worker = await startWorker({
        address: temporalAddress,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        codec,
        shutdownGraceMs: graceMs,
        maxCachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
        activities: {
          db,
          mailer,
          ...(config.NOTIFY_API_KEY && {
            notify: createNotifySender({
              apiKey: config.NOTIFY_API_KEY,
              baseUrl: config.NOTIFY_BASE_URL,
              smsTemplateId: config.NOTIFY_SMS_TEMPLATE_ID,
              emailTemplateId: config.NOTIFY_EMAIL_TEMPLATE_ID,
              letters: config.NOTIFY_LETTERS,
            }),
          }),
          publicBaseUrl: config.PUBLIC_BASE_URL,
          patientPhone: config.PATIENT_PHONE,
          now: () => new Date(),
        },
      });
      cleanups.push(['the worker', () => worker.stop()]);
    }

    let api: string | undefined;
    if (runApi) {
      const app = createApp({
        db,
        temporal,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        clock: () => new Date(),
        mailer,
        log,
        devMailbox: !config.SMTP_URL,
        maxBodyBytes: config.MAX_BODY_BYTES,
        maxImportBytes: config.MAX_IMPORT_BYTES,
        patientPhone: config.PATIENT_PHONE,
        textMessages: Boolean(config.NOTIFY_SMS_TEMPLATE_ID),
        metricsToken: config.METRICS_TOKEN,
        notifyCallbackToken: config.NOTIFY_CALLBACK_TOKEN,
        // The embedded UI's origin as its server was started (its port may have been chosen for it).
        temporalUiOrigin: config.TEMPORAL_UI_ORIGIN ?? (temporalUi && new URL(temporalUi).origin),
      });
      const server = await listen(app.fetch, config.HOST, config.PORT);
      cleanups.push(['the HTTP server', () => closeGracefully(server, graceMs)]);
      api = config.PUBLIC_BASE_URL;
    }

    // The bounces of email sent over SMTP, taken by the process that takes Notify's receipts.
    let bounces: string | undefined;
    if (runApi && config.SMTP_BOUNCE_DOMAIN) {
      const receiver = await startBounceReceiver({
        services: { db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, clock: () => new Date() },
        domain: config.SMTP_BOUNCE_DOMAIN,
        host: config.BOUNCE_SMTP_HOST,
        port: config.BOUNCE_SMTP_PORT,
        log,
      });
      cleanups.push(['the bounce receiver', () => receiver.stop()]);
      bounces = `smtp://${config.BOUNCE_SMTP_HOST}:${receiver.port} (bounces+<id>@${config.SMTP_BOUNCE_DOMAIN})`;
    }

    return {
      db,
      temporal,
      databaseSource: database.source,
      staffTokens,
      urls: {
        api,
        docs: api && `${api}/docs`,
        devMailbox: api && !config.SMTP_URL ? `${api}/dev/mailbox` : undefined,
        temporalUi,
        database: redact(database.url),
        temporal: temporalAddress,
        smtp: redact(smtpUrl),
        bounces,
      },
      stop,
    };
  } catch (error) {
    // What failed to stop is logged; the error worth reporting is the one that stopped the start.
    await stop().catch(() => undefined);
    throw error;
  }
}

/** How long past the shutdown grace a part may take to stop before the log says it is slow. */
const SLOW_STOP_MARGIN_MS = 5_000;

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server)) as Server;
    server.once('error', reject);
  });
}

/**
 * Stops accepting connections and lets the requests in flight finish; after graceMs, cuts the rest.
 * A kept-alive connection would otherwise stay open (and even serve new requests) once its last
 * response is out, so idle ones are closed as they become idle, only while closing.
 */
function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
  });
}

/** How often a closing server closes the connections that have gone idle. */
const IDLE_SWEEP_MS = 50;
