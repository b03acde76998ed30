/**
 * What Prometheus scrapes, after real transfers on the real services: the API's /metrics (requests by
 * route pattern with their latency histogram, the business figures read from PostgreSQL) and the
 * Temporal SDK's exporter of this process's worker (the runtime is process-wide, and this file's
 * process installs it first, with a metrics address). A patient's offer token is a secret: it must
 * never appear in a label.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createDb } from '../../db/database';
import type { StaffRole } from '../../db/schema';
import { TRANSFER_STATES } from '../../domain/transfer';
import { installTemporalRuntime } from '../../temporal/runtime';
import type { TestApi } from '../support/api-server';
import type { TestDatabase } from '../support/database';
import { FIXTURE_FUND_ID, NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { linkIn, waitForMail } from '../support/mail';
import { freePort } from '../support/ports';
import { startTestServices, type TestServices } from '../support/services';

let sdkMetrics: string;
let services: TestServices;
let database: TestDatabase;
let tokens: Record<StaffRole, string>;
let api: TestApi;
/** The patient's offer link's token, once the offer is out. */
let offerToken: string;

beforeAll(async () => {
  const address = `127.0.0.1:${await freePort()}`;
  installTemporalRuntime(pino({ level: 'warn' }), { metricsAddress: address });
  sdkMetrics = `http://${address}/metrics`;
  services = await startTestServices();
  ({ database, tokens } = services);
  api = await services.startApi();
  await services.startWorker(api.url);
});

afterAll(async () => {
  await services?.close();
});

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      return { name: name!, labels: Object.fromEntries([...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, val]) => [key!, val!])), value: Number(value) };
    });
}

/** The values of a metric's samples, keyed by the named label. */
function byLabel(samples: Sample[], name: string, label: string): Record<string, number> {
  return Object.fromEntries(samples.filter((sample) => sample.name === name).map((sample) => [sample.labels[label], sample.value]));
}

async function scrape(url = `${api.url}/metrics`): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  return { text, samples: parse(text) };
}

const staff = (path: string, token: string, body?: unknown) =>
  fetch(`${api.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function transferTo(pathwayId: number, state: string): Promise<void> {
  await expect
    .poll(() => database.db.selectFrom('transfers').select('state').where('pathway_id', '=', pathwayId).executeTakeFirst(), { timeout: 30_000 })
    .toEqual({ state });
}

describe('/metrics', () => {
  it('counts the transfers by state, the offers by channel, the acceptance, the booking and the money it committed', { timeout: 120_000 }, async () => {
    for (const pathwayId of [1, NO_EMAIL_PATHWAY]) {
      expect((await staff('/api/v1/transfers', tokens.regional, { pathwayId, fundId: FIXTURE_FUND_ID })).status).toBe(202);
      await transferTo(pathwayId, 'awaiting_review');
      const { id } = await database.db.selectFrom('transfers').select('id').where('pathway_id', '=', pathwayId).executeTakeFirstOrThrow();
      expect((await staff(`/api/v1/transfers/${id}/review`, tokens.clinician, { decision: 'confirm' })).status).toBe(200);
      await transferTo(pathwayId, 'offered');
    }
    await expect
      .poll(() => database.db.selectFrom('messages').select('status').where('channel', '=', 'letter').executeTakeFirst(), { timeout: 20_000 })
      .toEqual({ status: 'queued' });

    // The patient with email accepts their first hospital and date, with both consents.
    const link = linkIn(await waitForMail(database.db, (await patientOf(database.db, 1)).email!), /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/);
    offerToken = new URL(link).pathname.split('/')[2]!;
    const page = await (await fetch(link)).text();
    const choice = /name="choice" type="radio" value="([A-Z0-9]+:\d+)"/.exec(page)?.[1];
    expect(choice).toBeDefined();
    const accepted = await fetch(`${link}/accept`, {
      method: 'POST',
      body: new URLSearchParams({ choice: choice!, consent_transfer_of_care: 'yes', consent_share_records: 'yes' }),
      redirect: 'manual',
    });
    expect(accepted.status).toBe(303);
    await transferTo(1, 'awaiting_provider');
    const booking = await database.db.selectFrom('bookings').select(['status', 'price_pence']).executeTakeFirstOrThrow();
    expect(booking.status).toBe('requested');

    const { samples } = await scrape();
    expect(byLabel(samples, 'backlog_transfers', 'state')).toEqual({
      ...Object.fromEntries(TRANSFER_STATES.map((state) => [state, 0])),
      offered: 1,
      awaiting_provider: 1,
    });
    expect(byLabel(samples, 'backlog_offers_sent', 'channel')).toEqual({ sms: 0, email: 1, letter: 1 });
    expect(byLabel(samples, 'backlog_acceptances', 'channel')).toEqual({ web: 1, phone: 0, letter: 0 });
    expect(byLabel(samples, 'backlog_bookings', 'status')).toEqual({ held: 0, requested: 1, accepted: 0, rejected: 0, released: 0, cancelled: 0, completed: 0 });
    expect(byLabel(samples, 'backlog_claims', 'status')).toEqual({ submitted: 0, approved: 0, rejected: 0, paid: 0 });
    expect(byLabel(samples, 'backlog_fund_committed_pence', 'fund')).toEqual({ [FIXTURE_FUND_ID]: booking.price_pence });
    expect(byLabel(samples, 'backlog_fund_claimed_pence', 'fund')).toEqual({ [FIXTURE_FUND_ID]: 0 });

    // Requests by the pattern of their route and their status, each with its latency histogram.
    const reviews = samples.filter((sample) => sample.labels.route === '/api/v1/transfers/:id/review');
    expect(reviews.find((sample) => sample.name === 'http_request_duration_seconds_count')).toMatchObject({ labels: { method: 'POST', status: '200' }, value: 2 });
    const buckets = reviews.filter((sample) => sample.name === 'http_request_duration_seconds_bucket');
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets.find((sample) => sample.labels.le === '+Inf')?.value).toBe(2);
    expect(samples.find((sample) => sample.name === 'http_request_duration_seconds_count' && sample.labels.route === '/offer/:token/accept')).toMatchObject({
      labels: { method: 'POST', status: '303' },
      value: 1,
    });
    // And the process's own.
    expect(samples.some((sample) => sample.name === 'process_resident_memory_bytes' && sample.value > 0)).toBe(true);
  });

  it('never names a patient’s offer token, whatever path it came in', async () => {
    expect(offerToken).toMatch(/^[A-Za-z0-9]{22}$/);
    for (const path of [`/offer/${offerToken}`, `/offer/${offerToken}/nothing-here`, `/api/v1/transfers/${offerToken}`, `/${offerToken}`]) await fetch(`${api.url}${path}`);
    const { text, samples } = await scrape();
    expect(text).not.toContain(offerToken);
    expect(text).not.toContain(offerToken.slice(2, 12));
    expect(samples.filter((sample) => sample.labels.route?.startsWith('/offer')).map((sample) => sample.labels.route)).toContain('/offer/:token');
  });

  it('asks for METRICS_TOKEN when one is set', async () => {
    const app = createApp(services.appDeps({ metricsToken: 'scrape-secret' }));
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer not-it' } })).status).toBe(401);
    const allowed = await app.request('/metrics', { headers: { authorization: 'Bearer scrape-secret' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('backlog_transfers{state="offered"}');
  });

  it('still answers with the process’s own metrics when the database does not', async () => {
    const db = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, { poolSize: 1 });
    const app = createApp(services.appDeps({ db }));
    await app.request('/health/live');
    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    const samples = parse(await response.text());
    expect(samples.some((sample) => sample.name === 'http_request_duration_seconds_count' && sample.labels.route === '/health/live')).toBe(true);
    expect(samples.filter((sample) => sample.name.startsWith('backlog_'))).toEqual([]);
    await db.destroy();
  });
});

describe('the Temporal worker’s metrics', () => {
  it('are served by the SDK’s Prometheus exporter once the worker has run activities', async () => {
    const { samples } = await scrape(sdkMetrics);
    const taskQueue = services.temporal.taskQueue;
    const activities = samples.filter((sample) => sample.name === 'temporal_activity_execution_latency_count' && sample.labels.task_queue === taskQueue);
    expect(activities.find((sample) => sample.labels.activity_type === 'sendTransferMessage')?.value).toBeGreaterThanOrEqual(2);
    expect(samples.some((sample) => sample.name === 'temporal_worker_task_slots_available' && sample.labels.task_queue === taskQueue)).toBe(true);
  });
});
