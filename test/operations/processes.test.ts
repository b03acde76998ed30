/**
 * The service as a deployment runs it: one API process (`main.ts api`) and two worker processes
 * (`main.ts worker`) on one Temporal, one PostgreSQL and one SMTP server. The API alone does no
 * workflow work; the workers do it. SIGTERM stops each in order without losing anything: a worker
 * stopped mid-send finishes that send (once) before it exits, and the other carries the transfer on;
 * the API stopped mid-request stops accepting, answers that request in full, and exits at once.
 */
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transferWorkflowId } from '../../workflows/ids';
import { FIXTURE_FUND_ID, patientOf } from '../support/fixture-world';
import { mailCount, waitForMail } from '../support/mail';
import { freePort } from '../support/ports';
import { type ServiceProcess, startServiceProcess } from '../support/service-process';
import { startTestServices, type TestServices } from '../support/services';

const PATHWAY = 1;
/** The bounce domain every process is given: the workers' email names it, the API process reads its bounces. */
const BOUNCE_DOMAIN = 'bounces.backlog-transfer.nhs.test';
/** Long enough for what the tests hold up on purpose (two seconds at most), short enough to wait out once. */
const GRACE_SECONDS = 4;

let services: TestServices;
let env: NodeJS.ProcessEnv;
let apiUrl: string;
let bouncePort: number;
let api: ServiceProcess;
const workers: ServiceProcess[] = [];

beforeAll(async () => {
  services = await startTestServices();
  const port = await freePort();
  bouncePort = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    PUBLIC_BASE_URL: apiUrl,
    TEMPORAL_ADDRESS: services.temporal.address,
    TEMPORAL_NAMESPACE: services.temporal.namespace,
    TEMPORAL_TASK_QUEUE: services.temporal.taskQueue,
    PAYLOAD_KEYS: `ops:${randomBytes(32).toString('base64')}`,
    DATABASE_URL: services.database.url,
    SMTP_URL: services.mail.catcher.url,
    SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
    SMTP_BOUNCE_DOMAIN: BOUNCE_DOMAIN,
    BOUNCE_SMTP_PORT: String(bouncePort),
  };
});

afterAll(async () => {
  await Promise.all([api, ...workers].filter(Boolean).map((service) => service.stop('SIGTERM')));
  await services?.close();
});

const handle = (pathwayId = PATHWAY) => services.temporal.rawClient.workflow.getHandle(transferWorkflowId(pathwayId));
const staffFetch = (path: string, token: string, body?: unknown) =>
  fetch(`${apiUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
/** The worker identity Temporal records (`pid@host`): which process did the work. */
const pidOf = (identity: string | null | undefined) => Number(identity?.split('@')[0]);

/** Sends raw mail to the API process's bounce receiver from the null sender: its reply, or the refusal. */
async function sendBounce(to: string, raw: string): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: bouncePort, secure: false, ignoreTLS: true });
  try {
    return (await transport.sendMail({ envelope: { from: '', to }, raw })).response;
  } catch (error) {
    return (error as { response?: string }).response ?? (error as Error).message;
  } finally {
    transport.close();
  }
}

/** Holds a table lock (so what reads or writes it waits) until release() is called. */
async function lockTable(table: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockedNow = new Promise<void>((resolve) => (locked = resolve));
  const transaction = services.database.db.transaction().execute(async (trx) => {
    await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx);
    locked();
    await released;
  });
  await lockedNow;
  return {
    async release() {
      release();
      await transaction;
    },
  };
}

/** Resolves once a statement on the table is waiting for the lock. */
async function blockedOn(table: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const { rows } = await sql<{ waiting: number }>`
          select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query ilike ${`%"${table}"%`}`.execute(services.database.db);
        return rows[0]!.waiting;
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBeGreaterThan(0);
}

describe('one API and two workers on shared Temporal, PostgreSQL and SMTP', () => {
  it('starts a transfer from the API process, which leaves the work to workers', { timeout: 60_000 }, async () => {
    api = await startServiceProcess(env, ['api']);
    expect(api.output()).toContain('running (api,');
    expect(api.output()).toContain(`Bounces      smtp://127.0.0.1:${bouncePort} (bounces+<id>@${BOUNCE_DOMAIN})`);
    expect(await sendBounce(`postmaster@${BOUNCE_DOMAIN}`, 'Subject: hello\r\n\r\nhello\r\n')).toMatch(/^550 5\.1\.1/);
    const started = await staffFetch('/api/v1/transfers', services.tokens.regional, { pathwayId: PATHWAY, fundId: FIXTURE_FUND_ID });
    expect(started.status).toBe(202);
    // No worker yet: the workflow's first task waits for one.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const history = await handle().fetchHistory();
    expect(history.events?.map((event) => event.workflowTaskStartedEventAttributes).filter(Boolean)).toEqual([]);
  });

  it('lets a worker stopped mid-send finish that send, once, while the other carries the transfer on', { timeout: 120_000 }, async () => {
    workers.push(...(await Promise.all([startServiceProcess(env, ['worker']), startServiceProcess(env, ['worker'])])));
    const db = services.database.db;
    await expect.poll(() => db.selectFrom('transfers').select('state').where('pathway_id', '=', PATHWAY).executeTakeFirst(), { timeout: 30_000 }).toEqual({
      state: 'awaiting_review',
    });
    // Anything the workflow does on its way to the review is done.
    await expect.poll(async () => (await handle().describe()).raw.pendingActivities?.length ?? 0, { timeout: 20_000 }).toBe(0);
    const { id } = await db.selectFrom('transfers').select('id').where('pathway_id', '=', PATHWAY).executeTakeFirstOrThrow();

    // The mail server cannot store the offer until the lock goes: the send is in flight.
    const mailbox = await lockTable('dev_mailbox');
    expect((await staffFetch(`/api/v1/transfers/${id}/review`, services.tokens.clinician, { decision: 'confirm' })).status).toBe(200);
    await blockedOn('dev_mailbox');
    const [sending] = (await handle().describe()).raw.pendingActivities ?? [];
    expect(sending?.activityType?.name).toBe('sendTransferMessage');
    const stopping = workers.find((worker) => worker.child.pid === pidOf(sending?.lastWorkerIdentity))!;
    const other = workers.find((worker) => worker !== stopping)!;
    expect(stopping).toBeDefined();

    const stopped = stopping.stop('SIGTERM');
    // Longer than a cancelled activity is given to report (1 s), well inside the grace.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(stopping.child.exitCode, 'the worker waits for its activity').toBeNull();
    await mailbox.release();
    expect(await stopped, stopping.output()).toBe(0);

    const patient = await patientOf(db, PATHWAY);
    await waitForMail(db, patient.email!);
    await expect.poll(() => db.selectFrom('transfers').select('state').where('id', '=', id).executeTakeFirst(), { timeout: 30_000 }).toEqual({ state: 'offered' });
    expect(await mailCount(db, patient.email!)).toBe(1);
    expect(await db.selectFrom('messages').select(['status', 'attempts']).where('transfer_id', '=', id).where('recipient', '=', 'patient').execute()).toEqual([
      { status: 'sent', attempts: 1 },
    ]);

    // Temporal recorded the send as done by the stopped worker on its first attempt; the other took over
    // after it (the workflow's next task, on to waiting for the patient's answer).
    const afterTheSend = async () => {
      const events = (await handle().fetchHistory()).events ?? [];
      const offerSend = events.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'sendTransferMessage').at(-1)!;
      const startedSend = events.find((event) => event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === offerSend.eventId?.toString());
      const completedSend = events.find((event) => event.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === offerSend.eventId?.toString());
      const later = events.filter((event) => Number(event.eventId) > Number(completedSend?.eventId) && event.workflowTaskCompletedEventAttributes);
      return { events, startedSend, completedSend, later };
    };
    await expect.poll(async () => (await afterTheSend()).later.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const { events, startedSend, completedSend, later } = await afterTheSend();
    expect(startedSend?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    expect(pidOf(completedSend?.activityTaskCompletedEventAttributes?.identity)).toBe(stopping.child.pid);
    expect(new Set(later.map((event) => pidOf(event.workflowTaskCompletedEventAttributes?.identity)))).toEqual(new Set([other.child.pid]));
    // Every task of the transfer was done by a worker process, none by the API process.
    const identities = events.flatMap((event) => [event.workflowTaskCompletedEventAttributes?.identity, event.activityTaskCompletedEventAttributes?.identity]);
    expect(new Set(identities.filter(Boolean).map(pidOf))).toEqual(new Set(workers.map((worker) => worker.child.pid)));
  });

  it('sends email with a VERP envelope sender from the workers, and reads its bounce in the API process, after which a worker sends the letter', { timeout: 60_000 }, async () => {
    const db = services.database.db;
    const patient = await patientOf(db, PATHWAY);
    const offer = await db
      .selectFrom('messages')
      .innerJoin('transfers', 'transfers.id', 'messages.transfer_id')
      .select(['messages.id', 'messages.intent', 'messages.transfer_id'])
      .where('transfers.pathway_id', '=', PATHWAY)
      .where('messages.recipient', '=', 'patient')
      .executeTakeFirstOrThrow();
    expect((await waitForMail(db, patient.email!)).envelope_from).toBe(`bounces+${offer.id}@${BOUNCE_DOMAIN}`);
    const report = [
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.test',
      '',
      'Final-Recipient: rfc822; someone@example.test',
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--b--',
      '',
    ].join('\r\n');
    expect(await sendBounce(`bounces+${offer.id}@${BOUNCE_DOMAIN}`, report)).toBe('250 OK: recorded');
    await expect
      .poll(() => db.selectFrom('messages').select(['channel', 'status']).where('transfer_id', '=', offer.transfer_id).where('intent', '=', `${offer.intent}:fallback`).executeTakeFirst(), { timeout: 30_000 })
      .toEqual({ channel: 'letter', status: 'queued' });
  });

  it('gives up on an activity that outlasts the grace, so a stop is bounded', { timeout: 60_000 }, async () => {
    const [worker] = workers.filter((candidate) => candidate.child.exitCode === null);
    const db = services.database.db;
    expect((await staffFetch('/api/v1/transfers', services.tokens.regional, { pathwayId: 2, fundId: FIXTURE_FUND_ID })).status).toBe(202);
    await expect.poll(() => db.selectFrom('transfers').select('state').where('pathway_id', '=', 2).executeTakeFirst(), { timeout: 30_000 }).toEqual({
      state: 'awaiting_review',
    });
    await expect.poll(async () => (await handle(2).describe()).raw.pendingActivities?.length ?? 0, { timeout: 20_000 }).toBe(0);
    const { id } = await db.selectFrom('transfers').select('id').where('pathway_id', '=', 2).executeTakeFirstOrThrow();
    const mailbox = await lockTable('dev_mailbox');
    try {
      expect((await staffFetch(`/api/v1/transfers/${id}/review`, services.tokens.clinician, { decision: 'confirm' })).status).toBe(200);
      await blockedOn('dev_mailbox');
      const sigterm = Date.now();
      const code = await worker!.stop('SIGTERM');
      const took = Date.now() - sigterm;
      expect(code, 'a stop that abandons work is not a clean one').toBe(1);
      expect(took).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
      expect(took).toBeLessThan(GRACE_SECONDS * 1000 + 4_000);
      expect(worker!.output()).toContain(`activities still running ${GRACE_SECONDS * 1000 + 1000} ms after the stop were abandoned`);
    } finally {
      await mailbox.release();
    }
    // The send was not recorded as done: Temporal gives it to another worker once it times out.
    const events = (await handle(2).fetchHistory()).events ?? [];
    const send = events.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'sendTransferMessage').at(-1)!;
    expect(events.some((event) => event.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === send.eventId?.toString())).toBe(false);
  });

  it('answers a request in flight in full when stopped, refuses new connections, and exits once it is out', { timeout: 60_000 }, async () => {
    const transfers = await lockTable('transfers');
    const inFlight = staffFetch(`/api/v1/transfers?limit=10`, services.tokens.regional).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { transfers: { pathwayId: number }[] },
      at: Date.now(),
    }));
    await blockedOn('transfers');
    const stopped = api.stop('SIGTERM').then((code) => ({ code, at: Date.now() }));
    // A new connection is refused (checked on a fresh socket, not a kept-alive one).
    await expect
      .poll(
        () =>
          new Promise<string>((resolve) =>
            get(`${apiUrl}/health`, { agent: false }, (response) => {
              response.resume();
              resolve(String(response.statusCode));
            }).once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message)),
          ),
        { timeout: 10_000, interval: 100 },
      )
      .toBe('ECONNREFUSED');
    expect(api.child.exitCode, 'the API waits for the request in flight').toBeNull();
    await transfers.release();

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.transfers.map((transfer) => transfer.pathwayId)).toEqual([2, PATHWAY]);
    const exit = await stopped;
    expect(exit.code, api.output()).toBe(0);
    // Its kept-alive connection does not hold the process until the client lets it go (4 s for fetch).
    expect(exit.at - answered.at).toBeLessThan(1_500);
  });

  it('exits when a part cannot stop (a query that never ends holds the database pool), naming the part', { timeout: 60_000 }, async () => {
    api = await startServiceProcess(env, ['api']);
    const transfers = await lockTable('transfers');
    try {
      const stuck = staffFetch(`/api/v1/transfers?limit=10`, services.tokens.regional).catch((error: unknown) => error);
      await blockedOn('transfers');
      const started = Date.now();
      const code = await api.stop('SIGTERM');
      expect(code, api.output()).toBe(1);
      // The grace for requests, then the margin the process gives its parts before it gives up.
      expect(Date.now() - started).toBeGreaterThan(GRACE_SECONDS * 1000);
      expect(api.output()).toContain('the database pool has not stopped after');
      expect(api.output()).toMatch(/did not stop within \d+ s; exiting/);
      await stuck;
    } finally {
      await transfers.release();
    }
  });
});
