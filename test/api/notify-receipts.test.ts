/**
 * GOV.UK Notify's delivery receipts, end to end: messages sent through the local Notify
 * (test/support/notify-server) by the real activity, receipts posted by it to the real API as Notify's
 * callbacks are, recorded in PostgreSQL, and a permanent failure sent again by the patient's next
 * channel by a real Temporal worker, over the real SMTP server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { openTransferRow } from '../../db/repositories/transfers';
import { createNotifySender, type NotifySender } from '../../emails/notify';
import { messageFallbackWorkflowId } from '../../workflows/ids';
import { saveHistory } from '../support/histories';
import { testCodec } from '../support/temporal';
import type { RunningWorker } from '../../temporal/worker';
import { startTestApi, type TestApi } from '../support/api-server';
import { NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { linkIn, mailCount, waitForMail } from '../support/mail';
import { NOTIFY_FAILURES, type NotifyTestServer, startNotifyServer, type TakenNotification } from '../support/notify-server';
import { startTestServices, TEST_PATIENT_PHONE, type TestServices } from '../support/services';

/** Pathway 2, David Morgan: a UK mobile and an email address. */
const MOBILE_PATHWAY = 2;
const TOKEN = randomBytes(32).toString('hex');

let services: TestServices;
let notifyServer: NotifyTestServer;
/** Notify for text messages and letters; email goes over SMTP. */
let notify: NotifySender;
let worker: RunningWorker;
let api: TestApi;

beforeAll(async () => {
  services = await startTestServices();
  notifyServer = await startNotifyServer();
  notify = createNotifySender({ apiKey: notifyServer.apiKey, baseUrl: notifyServer.url, smsTemplateId: notifyServer.templates.sms, letters: true });
  worker = await services.temporal.startWorker({
    db: services.database.db,
    mailer: services.mail.mailer,
    notify,
    publicBaseUrl: 'http://localhost',
    patientPhone: TEST_PATIENT_PHONE,
    now: () => new Date(),
  });
  api = await startTestApi(services.appDeps({ notifyCallbackToken: TOKEN }));
});

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await notifyServer?.close();
  await services?.close();
});

const db = () => services.database.db;
const callback = () => ({ url: `${api.url}/callbacks/notify`, bearerToken: TOKEN });
const respondBy = new Date(Date.now() + 14 * 86_400_000).toISOString();

let nextWorkflow = 0;
/** A transfer of this pathway, its offer not yet sent. */
async function openTransfer(pathwayId: number): Promise<number> {
  nextWorkflow += 1;
  const transfer = await openTransferRow(db(), { pathwayId, fundId: null, period: null, workflowId: `wf-receipts-${nextWorkflow}`, runId: `run-${nextWorkflow}` });
  // A pathway is in at most one open transfer: close this one's record so the next test can open another.
  await db().updateTable('transfers').set({ state: 'declined', closed_at: new Date() }).where('id', '=', transfer.id).execute();
  return transfer.id;
}

/** The transfer's first offer sent by the real activity, as an attempt on a worker of this task queue is (with its Temporal client, unless `client` is false). */
function sendOffer(transferId: number, options: { client?: boolean } = {}) {
  const activities = createActivities({ db: db(), mailer: services.mail.mailer, notify, publicBaseUrl: 'http://localhost', patientPhone: TEST_PATIENT_PHONE, now: () => new Date() });
  const environment = new MockActivityEnvironment({ taskQueue: services.temporal.taskQueue }, options.client === false ? {} : { client: services.temporal.client });
  return environment.run(activities.sendTransferMessage, { transferId, intent: 'offer-1', kind: 'offer' as const, respondBy });
}

/** A transfer of this pathway whose first offer has gone through Notify (or SMTP): the message and what Notify took. */
async function offerSent(pathwayId: number): Promise<{ transferId: number; messageId: number; taken: TakenNotification }> {
  const transferId = await openTransfer(pathwayId);
  expect(await sendOffer(transferId)).toBe('sent');
  const message = await messageOf(transferId, 'offer-1');
  const taken = notifyServer.taken.find((notification) => notification.reference === String(message.id))!;
  return { transferId, messageId: message.id, taken };
}

const messageOf = (transferId: number, intent: string) =>
  db().selectFrom('messages').selectAll().where('transfer_id', '=', transferId).where('intent', '=', intent).executeTakeFirstOrThrow();
/** The admin's list of messages not delivered: each row's id and text. */
async function operatorSees(): Promise<Map<number, string>> {
  const response = await api.app.request('/staff/messages', { headers: { authorization: `Bearer ${services.tokens.admin}` } });
  expect(response.status).toBe(200);
  const html = await response.text();
  return new Map([...html.matchAll(/<tr role="row" class="nhsuk-table__row" data-id="(\d+)">(.*?)<\/tr>/gs)].map((row) => [Number(row[1]), row[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')]));
}

/** backlog_messages_undelivered, as Prometheus scrapes it. */
async function undeliveredGauge(): Promise<Record<string, number>> {
  const text = await (await api.app.request('/metrics')).text();
  return Object.fromEntries([...text.matchAll(/^backlog_messages_undelivered\{channel="(\w+)",status="([\w-]+)"\} (\d+)$/gm)].map((line) => [`${line[1]} ${line[2]}`, Number(line[3])]));
}

const auditOf = (messageId: number) => db().selectFrom('audit_log').selectAll().where('subject', '=', `message:${messageId}`).orderBy('id').execute();

function receiptBody(taken: TakenNotification, change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: taken.id,
    reference: taken.reference,
    to: taken.to ?? null,
    status: 'delivered',
    created_at: taken.createdAt,
    completed_at: new Date().toISOString(),
    sent_at: taken.createdAt,
    notification_type: taken.type,
    template_id: taken.templateId ?? randomUUID(),
    template_version: 1,
    ...change,
  };
}

const post = (body: unknown, authorization: string | null = `Bearer ${TOKEN}`) =>
  fetch(`${api.url}/callbacks/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
    body: JSON.stringify(body),
  });

describe('POST /callbacks/notify', () => {
  it('takes a receipt only with the callback bearer token, and is not there when none is configured', async () => {
    const { taken, messageId } = await offerSent(MOBILE_PATHWAY);
    const none = await post(receiptBody(taken), null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(receiptBody(taken), `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await post(receiptBody(taken), `Bearer ${TOKEN.slice(0, -1)}`)).status).toBe(401);
    expect((await post(receiptBody(taken), TOKEN)).status).toBe(401);
    expect(await auditOf(messageId)).toEqual([]);

    const unconfigured = await createApp(services.appDeps()).request('/callbacks/notify', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(receiptBody(taken)),
    });
    expect(unconfigured.status).toBe(404);
    expect(await unconfigured.json()).toMatchObject({ error: { code: 'not_found' } });

    expect((await post(receiptBody(taken))).status).toBe(200);
  });

  it('refuses a body that is not Notify’s receipt with a 400 naming the field, and a receipt it cannot match with 404 or 409', async () => {
    const { taken } = await offerSent(MOBILE_PATHWAY);
    const refusal = async (change: Record<string, unknown>) => {
      const answer = await post(receiptBody(taken, change));
      return { status: answer.status, body: (await answer.json()) as { error: { code: string; details?: { field: string }[] } } };
    };
    for (const [change, field] of [
      [{ status: 'lost' }, 'status'],
      [{ status: undefined }, 'status'],
      [{ reference: 'offer-1' }, 'reference'],
      [{ reference: null }, 'reference'],
      [{ id: 'not-a-uuid' }, 'id'],
      [{ completed_at: 'yesterday' }, 'completed_at'],
      [{ notification_type: 'pigeon' }, 'notification_type'],
    ] as const) {
      const { status, body } = await refusal(change);
      expect(status, JSON.stringify(change)).toBe(400);
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.details?.map((detail) => detail.field)).toEqual([field]);
    }
    const notJson = await fetch(callback().url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);

    expect((await refusal({ reference: '999999999' })).status).toBe(404);
    expect(await refusal({ id: randomUUID() })).toMatchObject({ status: 409, body: { error: { code: 'receipt_mismatch' } } });
    expect(await refusal({ notification_type: 'email' })).toMatchObject({ status: 409, body: { error: { code: 'receipt_mismatch' } } });
    // Fields Notify may add are let through, not refused (a refusal would lose the receipt).
    expect((await refusal({ provider_response: 'Delivered' })).status).toBe(200);
  });

  it('records delivered, audited; the same receipt again, or a failure after it, changes nothing', async () => {
    const { transferId, messageId, taken } = await offerSent(MOBILE_PATHWAY);
    const answer = await notifyServer.sendDeliveryReceipt(callback(), taken, 'delivered');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ recorded: true, fallback: false });
    const delivered = await messageOf(transferId, 'offer-1');
    expect(delivered).toMatchObject({ status: 'sent', delivery_status: 'delivered', notify_id: taken.id });
    expect(delivered.delivery_status_at).toBeInstanceOf(Date);
    expect(await auditOf(messageId)).toEqual([
      expect.objectContaining({ actor: 'notify', action: 'message.delivery', detail: expect.objectContaining({ transferId, intent: 'offer-1', channel: 'sms', status: 'delivered', notifyId: taken.id }) }),
    ]);

    const again = await notifyServer.sendDeliveryReceipt(callback(), taken, 'delivered');
    expect(await again.json()).toEqual({ recorded: false, fallback: false });
    const late = await notifyServer.sendDeliveryReceipt(callback(), taken, 'permanent-failure');
    expect(await late.json()).toEqual({ recorded: false, fallback: false });
    expect(await messageOf(transferId, 'offer-1')).toEqual(delivered);
    expect(await auditOf(messageId)).toHaveLength(1);
  });

  it('lets a passing failure give way to delivered, and never the other way', async () => {
    const { transferId, taken } = await offerSent(MOBILE_PATHWAY);
    expect(await (await post(receiptBody(taken, { status: 'temporary-failure', completed_at: '2026-12-06T10:00:00.000000Z' }))).json()).toMatchObject({ recorded: true });
    expect(await (await post(receiptBody(taken, { status: 'technical-failure', completed_at: '2026-12-06T09:00:00.000000Z' }))).json()).toMatchObject({ recorded: false });
    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ delivery_status: 'temporary-failure', delivery_status_at: new Date('2026-12-06T10:00:00Z') });
    expect(await (await post(receiptBody(taken, { status: 'delivered', completed_at: '2026-12-06T09:30:00.000000Z' }))).json()).toMatchObject({ recorded: true });
    expect(await (await post(receiptBody(taken, { status: 'temporary-failure', completed_at: '2026-12-06T11:00:00.000000Z' }))).json()).toMatchObject({ recorded: false });
    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ delivery_status: 'delivered' });
  });
});

describe('falling back after a permanent failure', () => {
  it('emails, exactly once, a patient whose text failed for good, with the same offer and a fresh link, however often the receipt comes', async () => {
    const { transferId, messageId, taken } = await offerSent(MOBILE_PATHWAY);
    const email = (await patientOf(db(), MOBILE_PATHWAY)).email!;
    const before = await mailCount(db(), email);

    // Notify delivers the receipt twice, at once.
    const answers = await Promise.all([1, 2].map(() => notifyServer.sendDeliveryReceipt(callback(), taken, 'permanent-failure')));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await Promise.all(answers.map((answer) => answer.json()))).map((body) => (body as { recorded: boolean }).recorded).sort()).toEqual([false, true]);

    const fallback = services.temporal.client.workflow.getHandle(messageFallbackWorkflowId(messageId));
    expect(await fallback.result()).toBe('sent');
    await saveHistory('message-fallback-sent', fallback, testCodec);
    // And once more, after the fallback has been sent.
    expect(await (await notifyServer.sendDeliveryReceipt(callback(), taken, 'permanent-failure')).json()).toEqual({ recorded: false, fallback: true });
    expect(await fallback.result()).toBe('sent');

    const mail = await waitForMail(db(), email);
    expect(await mailCount(db(), email)).toBe(before + 1);
    expect(mail.subject).toBe('You can choose to have your treatment sooner at another hospital');
    // The email's link and the text's short one each carry a token of their own.
    const emailToken = linkIn(mail, /http:\/\/localhost\/offer\/\w{22}/).split('/').at(-1);
    const textToken = taken.personalisation!.body!.match(/http:\/\/localhost\/o\/\w{22}/)![0].split('/').at(-1);
    expect(emailToken).not.toBe(textToken);
    const tokens = await db().selectFrom('offers').select('expires_at').where('transfer_id', '=', transferId).execute();
    expect(tokens.map((token) => token.expires_at.toISOString())).toEqual([respondBy, respondBy]);

    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ channel: 'sms', delivery_status: 'permanent-failure' });
    expect(await messageOf(transferId, 'offer-1:fallback')).toMatchObject({ channel: 'email', status: 'sent', kind: 'offer' });
    expect(notifyServer.taken.filter((notification) => notification.reference === String(messageId))).toHaveLength(1);
    expect((await operatorSees()).get(messageId)).toMatch(/Text message: offer-1 .*Failed for good .*Sent again as email \(sent\)/);
  });

  it('sends nothing after a letter fails for good: there is no channel after it', async () => {
    const { transferId, messageId, taken } = await offerSent(NO_EMAIL_PATHWAY);
    expect(taken.type).toBe('letter');
    const answer = await notifyServer.sendDeliveryReceipt(callback(), taken, 'permanent-failure');
    expect(await answer.json()).toEqual({ recorded: true, fallback: false });
    await expect(services.temporal.client.workflow.getHandle(messageFallbackWorkflowId(messageId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await db().selectFrom('messages').select('intent').where('transfer_id', '=', transferId).execute()).toEqual([{ intent: 'offer-1' }]);
    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ channel: 'letter', delivery_status: 'permanent-failure' });
    expect((await operatorSees()).get(messageId)).toMatch(new RegExp(`Transfer ${transferId} \\(pathway RWE-\\d+, trust RWE\\) Message Letter: offer-1 What happened Failed for good .* Then Nothing left to try`));
    expect(await undeliveredGauge()).toMatchObject({ 'letter permanent-failure': 1, 'sms permanent-failure': 1, 'email permanent-failure': 0, 'letter temporary-failure': 0 });
  });

  it('shows the operator a passing failure, and a message nobody can tell went, and never a delivered one', async () => {
    const temporary = await offerSent(MOBILE_PATHWAY);
    await notifyServer.sendDeliveryReceipt(callback(), temporary.taken, 'temporary-failure');
    const delivered = await offerSent(MOBILE_PATHWAY);
    await notifyServer.sendDeliveryReceipt(callback(), delivered.taken, 'delivered');
    const unconfirmed = await offerSent(MOBILE_PATHWAY);
    await db().updateTable('messages').set({ status: 'unconfirmed' }).where('id', '=', unconfirmed.messageId).execute();

    const seen = await operatorSees();
    expect(seen.get(temporary.messageId)).toMatch(/Not delivered \(phone off .*Not sent again/);
    expect(seen.get(unconfirmed.messageId)).toMatch(/Unconfirmed: it may or may not have gone .*Check in Notify/);
    expect(seen.has(delivered.messageId)).toBe(false);
    expect([...seen.keys()][0]).toBe(unconfirmed.messageId);
    expect((await undeliveredGauge())['sms temporary-failure']).toBeGreaterThanOrEqual(1);
  });
});

describe('Notify refusing a message as it is sent', () => {
  it('records a text Notify refused (400) as failed for good, in its words, and emails the patient once however often the send is retried', async () => {
    const transferId = await openTransfer(MOBILE_PATHWAY);
    const email = (await patientOf(db(), MOBILE_PATHWAY)).email!;
    const before = await mailCount(db(), email);
    notifyServer.failNext(NOTIFY_FAILURES.notUkMobile);

    // The first attempt stops once the refusal is recorded, before the fallback is started (as a worker that dies there).
    await expect(sendOffer(transferId, { client: false })).rejects.toThrow(/No Client available/);
    const message = await messageOf(transferId, 'offer-1');
    expect(message).toMatchObject({ channel: 'sms', status: 'refused', notify_id: null, last_error: 'ValidationError: phone_number Not a UK mobile number' });
    expect(notifyServer.refused.at(-1)).toMatchObject({ path: '/v2/notifications/sms', status: 400 });

    // Temporal tries it again: twice at once, then once more after the fallback has gone.
    expect(await Promise.all([sendOffer(transferId), sendOffer(transferId)])).toEqual(['refused', 'refused']);
    const fallback = services.temporal.client.workflow.getHandle(messageFallbackWorkflowId(message.id));
    expect(await fallback.result()).toBe('sent');
    expect(await sendOffer(transferId)).toBe('refused');
    expect(await fallback.result()).toBe('sent');

    const mail = await waitForMail(db(), email);
    expect(mail.subject).toBe('You can choose to have your treatment sooner at another hospital');
    expect(await mailCount(db(), email)).toBe(before + 1);
    expect(notifyServer.taken.filter((notification) => notification.reference === String(message.id))).toEqual([]);
    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ status: 'refused', delivery_status: 'permanent-failure', attempts: 1 });
    expect(await messageOf(transferId, 'offer-1:fallback')).toMatchObject({ channel: 'email', status: 'sent', kind: 'offer' });
    expect(await auditOf(message.id)).toEqual([
      expect.objectContaining({ actor: 'notify', action: 'message.delivery', detail: expect.objectContaining({ transferId, channel: 'sms', status: 'permanent-failure', notifyId: null }) }),
    ]);
    expect((await operatorSees()).get(message.id)).toMatch(/Text message: offer-1 What happened Refused by GOV\.UK Notify when sent .*Sent again as email \(sent\)/);
  });

  it('records a letter Notify refused, and sends nothing after it: there is no channel after a letter', async () => {
    const transferId = await openTransfer(NO_EMAIL_PATHWAY);
    notifyServer.failNext(NOTIFY_FAILURES.teamOnly);
    expect(await sendOffer(transferId)).toBe('refused');
    const message = await messageOf(transferId, 'offer-1');
    expect(message).toMatchObject({ channel: 'letter', status: 'refused', delivery_status: 'permanent-failure', last_error: 'BadRequestError: Can’t send to this recipient using a team-only API key' });
    await expect(services.temporal.client.workflow.getHandle(messageFallbackWorkflowId(message.id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await operatorSees()).get(message.id)).toMatch(/Letter: offer-1 What happened Refused by GOV\.UK Notify when sent .*Nothing left to try/);
  });
});
