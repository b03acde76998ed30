/**
 * A worker process (`main.ts worker`) on a Temporal namespace nobody has set up, and a PostgreSQL that
 * restarts under it. It registers the workflows' search attributes itself, so transfers can start; and
 * when PostgreSQL terminates its connections (57P01, as a restart does) while an activity holds one,
 * that activity fails and is retried, and the process carries on.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCodec, parsePayloadKeys } from '../../temporal/codec';
import { transferWorkflowId } from '../../workflows/ids';
import { reviewUpdate } from '../../workflows/messages';
import { patientTransferWorkflowV2 } from '../../workflows/patient-transfer';
import { SEARCH_ATTRIBUTES, transferSearchAttributes } from '../../workflows/search-attributes';
import { FIXTURE_FUND_ID } from '../support/fixture-world';
import { expectNoPersonalData, namespaceHistories } from '../support/privacy';
import { type ServiceProcess, startServiceProcess } from '../support/service-process';
import { startTestServices, type TestServices } from '../support/services';

const PATHWAY = 1;
const PAYLOAD_KEYS = `ops:${randomBytes(32).toString('base64')}`;

let services: TestServices;
let worker: ServiceProcess | undefined;
/** Starts workflows as the API does: with the payload keys the worker process was given. */
let client: Client;

beforeAll(async () => {
  services = await startTestServices({ temporal: { searchAttributes: false } });
  client = new Client({
    connection: services.temporal.client.connection,
    namespace: services.temporal.namespace,
    dataConverter: { payloadCodecs: [new EncryptionCodec(parsePayloadKeys(PAYLOAD_KEYS))] },
  });
});

afterAll(async () => {
  await worker?.stop('SIGTERM');
  await services?.close();
});

async function searchAttributes(): Promise<Record<string, unknown>> {
  const { customAttributes } = await services.temporal.client.connection.operatorService.listSearchAttributes({ namespace: services.temporal.namespace });
  return Object.fromEntries(SEARCH_ATTRIBUTES.filter((key) => customAttributes?.[key.name] !== undefined).map((key) => [key.name, customAttributes![key.name]]));
}

describe('a worker process', () => {
  it('registers the search attributes a new namespace lacks, so a transfer can start', { timeout: 120_000 }, async () => {
    expect(await searchAttributes()).toEqual({});
    worker = await startServiceProcess(
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        TEMPORAL_ADDRESS: services.temporal.address,
        TEMPORAL_NAMESPACE: services.temporal.namespace,
        TEMPORAL_TASK_QUEUE: services.temporal.taskQueue,
        PAYLOAD_KEYS,
        DATABASE_URL: services.database.url,
        SMTP_URL: services.mail.catcher.url,
        SHUTDOWN_GRACE_SECONDS: '4',
      },
      ['worker'],
    );
    expect(worker.output()).toContain('search attributes registered');
    // Keyword, each of them (the gRPC enum's number).
    expect(await searchAttributes()).toEqual({ TransferState: 2, TrustOds: 2, CampaignId: 2 });
  });

  it('rides out PostgreSQL terminating the connection a transaction of an activity holds: the activity is retried, the process carries on', { timeout: 120_000 }, async () => {
    const db = services.database.db;
    const handle = await client.workflow.start(patientTransferWorkflowV2, {
      workflowId: transferWorkflowId(PATHWAY),
      taskQueue: services.temporal.taskQueue,
      typedSearchAttributes: transferSearchAttributes({ trustOds: 'RWE' }),
      args: [{ pathwayId: PATHWAY, fundId: FIXTURE_FUND_ID }],
    });
    await expect.poll(() => db.selectFrom('transfers').select('state').where('pathway_id', '=', PATHWAY).executeTakeFirst(), { timeout: 30_000 }).toEqual({
      state: 'awaiting_review',
    });
    await expect.poll(async () => (await handle.describe()).raw.pendingActivities?.length ?? 0, { timeout: 20_000 }).toBe(0);

    // The review is recorded in one transaction whose last statement audits it: with the audit log
    // locked, the activity holds its connection mid-transaction when PostgreSQL ends it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockedNow = new Promise<void>((resolve) => (locked = resolve));
    const lock = db.transaction().execute(async (trx) => {
      await sql`lock table audit_log in access exclusive mode`.execute(trx);
      locked();
      await released;
    });
    await lockedNow;
    const review = handle.executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', reviewer: 'staff:1', reviewerTrustOds: 'RWE' }] });
    try {
      const waiting = sql`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      await expect.poll(async () => (await waiting.execute(db)).rows.length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
      const { rows } = await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
      expect(rows.length).toBeGreaterThan(0);
      // The activity's retry comes a second later; a process that was to die has died by then.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(worker!.child.exitCode, worker!.output()).toBeNull();
    } finally {
      release();
      await lock;
    }

    await review;
    await expect.poll(() => db.selectFrom('transfers').select('state').where('pathway_id', '=', PATHWAY).executeTakeFirst(), { timeout: 30_000 }).toEqual({
      state: 'offered',
    });
    expect(worker!.child.exitCode, worker!.output()).toBeNull();
    expect(worker!.output()).toContain('a database connection was lost');
    expect(await db.selectFrom('audit_log').select('action').where('action', '=', 'transfer.review.confirm').execute()).toHaveLength(1);
    // The review is recorded by an activity (a person's request is recorded once its Update is durable): its start says which attempt completed it.
    const events = (await handle.fetchHistory()).events ?? [];
    const recorded = events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'reviewTransfer')!;
    const started = events.find((event) => event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === recorded.eventId?.toString());
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThan(1);
  });

  it('leaves no patient’s personal data in the histories, the failed attempt included', async () => {
    await expectNoPersonalData(await namespaceHistories(services.temporal.rawClient), services.database.db);
  });
});
