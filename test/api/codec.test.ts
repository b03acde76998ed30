/**
 * The codec endpoint Temporal's UI and CLI decode through: payloads the service's codec encrypted come
 * back in clear for an admin and no one else, the Temporal UI's origin alone passes CORS, bad input is
 * a 4xx naming what is wrong, every decode is audited, and the real CLI shows a real transfer's history
 * in clear through it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app';
import type { StaffRole } from '../../db/schema';
import { EncryptionCodec, generatePayloadKey } from '../../temporal/codec';
import { startDevServer } from '../../temporal/dev-server';
import { transferWorkflowId } from '../../workflows/ids';
import { launchBrowser } from '../support/browser';
import type { TestDatabase } from '../support/database';
import { FIXTURE_FUND_ID } from '../support/fixture-world';
import { freePort } from '../support/ports';
import { startTestServices, TEST_TEMPORAL_UI_ORIGIN, type TestServices } from '../support/services';
import { testCodec } from '../support/temporal';

let services: TestServices;
let database: TestDatabase;
let tokens: Record<StaffRole, string>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  app = createApp(services.appDeps());
});

afterAll(async () => {
  await services?.close();
});

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** A payload as protobuf JSON writes it: every bytes field base64. */
function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

/** What a decoded JSON payload holds. */
function valueOf(payload: JsonPayload): unknown {
  expect(Buffer.from(payload.metadata!.encoding!, 'base64').toString()).toBe('json/plain');
  return JSON.parse(Buffer.from(payload.data!, 'base64').toString());
}

const encrypted = async (...values: unknown[]) => (await testCodec.encode(values.map((value) => defaultPayloadConverter.toPayload(value)))).map(toJson);

function decode(body: unknown, headers: Record<string, string> = {}) {
  return app.request('/codec/decode', {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json', ...headers },
  });
}

const decodeAudits = () => database.db.selectFrom('audit_log').selectAll().where('action', '=', 'codec.decode').orderBy('id').execute();

describe('POST /codec/decode', () => {
  it("gives an admin the payloads the service's codec encrypted, in clear and in order, and audits how many", async () => {
    const before = (await decodeAudits()).length;
    const plain = defaultPayloadConverter.toPayload({ note: 'not encrypted' });
    const response = await decode({ payloads: [...(await encrypted({ pathwayId: 7, fundId: 1 }, 'Amira Khan')), toJson(plain)] }, { 'x-namespace': services.temporal.namespace });
    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
    expect(payloads.map(valueOf)).toEqual([{ pathwayId: 7, fundId: 1 }, 'Amira Khan', { note: 'not encrypted' }]);

    const audits = await decodeAudits();
    expect(audits.length).toBe(before + 1);
    const admin = await database.db.selectFrom('staff_users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow();
    expect(audits.at(-1)).toMatchObject({ actor: `staff:${admin.id}`, subject: `namespace:${services.temporal.namespace}`, detail: { payloads: 3 } });
    expect(JSON.stringify(audits.at(-1))).not.toContain('Amira');
  });

  it('refuses anyone but an admin: 401 with no token, 403 for every other role', async () => {
    const body = { payloads: await encrypted('secret') };
    const none = await app.request('/codec/decode', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    for (const role of ['regional', 'clinician', 'provider', 'finance'] as const) {
      const response = await decode(body, { authorization: `Bearer ${tokens[role]}` });
      expect(response.status, role).toBe(403);
    }
  });

  it("takes an admin's staff sign-in cookie, as the Temporal UI sends it with cross-origin credentials", async () => {
    const body = JSON.stringify({ payloads: await encrypted('by cookie') });
    const asCookie = (token: string) =>
      app.request('/codec/decode', { method: 'POST', body, headers: { cookie: `bt_staff=${token}`, 'content-type': 'application/json', origin: TEST_TEMPORAL_UI_ORIGIN } });
    const admin = await asCookie(tokens.admin);
    expect(admin.status).toBe(200);
    expect(admin.headers.get('access-control-allow-origin')).toBe(TEST_TEMPORAL_UI_ORIGIN);
    expect(admin.headers.get('access-control-allow-credentials')).toBe('true');
    expect(((await admin.json()) as { payloads: JsonPayload[] }).payloads.map(valueOf)).toEqual(['by cookie']);
    expect((await asCookie(tokens.regional)).status).toBe(403);
  });

  it('lets the configured Temporal UI origin through CORS preflight with its headers, and no other origin', async () => {
    const preflight = (origin: string) =>
      app.request('/codec/decode', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    const ui = await preflight(TEST_TEMPORAL_UI_ORIGIN);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(TEST_TEMPORAL_UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ui.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));

    const other = await preflight('http://localhost:9999');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await decode({ payloads: [] }, { origin: 'https://evil.example' });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets no origin through CORS when no Temporal UI origin is configured', async () => {
    const closed = createApp(services.appDeps({ temporalUiOrigin: undefined }));
    const preflight = await closed.request('/codec/decode', {
      method: 'OPTIONS',
      headers: { origin: TEST_TEMPORAL_UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers bad input with a 4xx naming what is wrong, and audits nothing', async () => {
    const before = (await decodeAudits()).length;
    const [good] = await encrypted({ pathwayId: 1 });
    const sealed = Buffer.from(good!.data!, 'base64');
    sealed[sealed.length - 1]! ^= 1;
    const otherKey = (await new EncryptionCodec([generatePayloadKey()]).encode([defaultPayloadConverter.toPayload('x')])).map(toJson);
    const cases: { body: unknown; headers?: Record<string, string>; status: number; says: RegExp }[] = [
      { body: '{"payloads": [', status: 400, says: /JSON/i },
      { body: 'payloads', headers: { 'content-type': 'text/plain' }, status: 415, says: /application\/json/ },
      { body: { payload: [] }, status: 400, says: /payloads/ },
      { body: { payloads: [{ data: 'not base64!' }] }, status: 400, says: /payloads\.0\.data: must be base64/ },
      { body: { payloads: [good, { ...good, metadata: { ...good!.metadata, encoding: '%%' } }] }, status: 400, says: /payloads\.1\.metadata\.encoding/ },
      { body: { payloads: [good, { ...good, data: sealed.toString('base64') }] }, status: 422, says: /payload 1 cannot be decrypted/ },
      { body: { payloads: otherKey }, status: 422, says: /payload 0 cannot be decrypted: no payload key with id dev-/ },
      { body: { payloads: [good] }, headers: { 'x-namespace': 'someone-else' }, status: 422, says: /namespace/ },
    ];
    for (const { body, headers, status, says } of cases) {
      const response = await decode(body, headers);
      const { error } = (await response.json()) as { error: { message: string } };
      expect({ status: response.status, message: error.message }, JSON.stringify(body)).toEqual({ status, message: expect.stringMatching(says) });
    }
    expect((await decodeAudits()).length).toBe(before);
  });
});

describe("a real transfer's history", () => {
  it('reads in clear through the endpoint, from the raw history and in `temporal workflow show --codec-endpoint`', async () => {
    const api = await services.startApi();
    await services.startWorker(api.url);
    const started = await fetch(`${api.url}/api/v1/transfers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.regional}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pathwayId: 1, fundId: FIXTURE_FUND_ID }),
    });
    expect(started.status).toBe(202);
    await expect
      .poll(() => database.db.selectFrom('transfers').select('state').where('pathway_id', '=', 1).executeTakeFirst(), { timeout: 30_000 })
      .toEqual({ state: 'awaiting_review' });

    // What Temporal stores: the start event's input is sealed.
    const history = await services.temporal.rawClient.workflow.getHandle(transferWorkflowId(1)).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    expect(Buffer.from(input[0]!.data!).toString()).not.toContain('pathwayId');
    const response = await fetch(`${api.url}/codec/decode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json', 'x-namespace': services.temporal.namespace },
      body: JSON.stringify({ payloads: input.map(toJson) }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { payloads: JsonPayload[] }).payloads.map(valueOf)).toEqual([{ pathwayId: 1, fundId: FIXTURE_FUND_ID }]);

    // The operator's way: Temporal's own CLI, decoding through the API with an admin token.
    const cli = inject('temporalCliPath');
    expect(cli, 'the temporal CLI').not.toBe('');
    const audited = (await decodeAudits()).length;
    const { stdout } = await promisify(execFile)(cli, [
      ...['workflow', 'show', '--address', services.temporal.address, '--namespace', services.temporal.namespace, '--workflow-id', transferWorkflowId(1)],
      ...['--codec-endpoint', `${api.url}/codec`, '--codec-auth', `Bearer ${tokens.admin}`, '--output', 'json'],
    ]);
    const shown = JSON.parse(stdout) as { events: { workflowExecutionStartedEventAttributes?: { input: { payloads: JsonPayload[] } } }[] };
    expect(shown.events[0]!.workflowExecutionStartedEventAttributes!.input.payloads.map(valueOf)).toEqual([{ pathwayId: 1, fundId: FIXTURE_FUND_ID }]);
    expect((await decodeAudits()).length).toBeGreaterThan(audited);
  });
});

describe('the embedded Temporal UI', () => {
  it("shows a signed-in admin a workflow's input in clear, decoded through the API with the staff cookie", async () => {
    const [apiPort, uiPort, port] = [await freePort(), await freePort(), await freePort()];
    // The UI and the API both at localhost: one site, so the staff cookie goes with the UI's calls.
    const server = await startDevServer({
      cliPath: inject('temporalCliPath'),
      ui: true,
      uiPort,
      port,
      uiCodecEndpoint: `http://localhost:${apiPort}/codec`,
      namespace: 'default',
      retentionDays: 1,
    });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [testCodec] } });
    const app = createApp(services.appDeps({ temporal: client, temporalUiOrigin: `http://localhost:${uiPort}` }));
    const api = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: apiPort }, () => resolve(started));
    });
    const browser = await launchBrowser();
    try {
      const handle = await client.workflow.start('patientTransferWorkflow', { taskQueue: 'no-worker', workflowId: 'ui-decodes', args: [{ pathwayId: 4242, fundId: 1 }] });
      const page = await browser.newPage();
      await page.goto(`http://localhost:${apiPort}/staff/sign-in`);
      await page.getByLabel(/token/i).fill(tokens.admin);
      await page.getByRole('button', { name: /sign in/i }).click();
      await page.waitForURL(/\/staff\/(?!sign-in)/);
      // The UI's own codec setting, as "Configure Codec Server" saves it: this browser's endpoint, with credentials.
      await page.addInitScript((endpoint) => {
        localStorage.setItem('endpoint', JSON.stringify(endpoint));
        localStorage.setItem('includeCredentials', 'true');
        localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
      }, `http://localhost:${apiPort}/codec`);
      await page.goto(`http://localhost:${uiPort}/namespaces/default/workflows/ui-decodes/${handle.firstExecutionRunId}/history`);
      await expect.poll(async () => page.innerText('main'), { timeout: 30_000 }).toMatch(/"pathwayId":\s*4242/);
      expect(await decodeAudits()).toContainEqual(expect.objectContaining({ subject: 'namespace:default' }));
    } finally {
      await browser.close();
      await new Promise((resolve) => api.close(resolve));
      await connection.close();
      await server.stop();
    }
  });
});
