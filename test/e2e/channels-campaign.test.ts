/**
 * Issue 20's "Done when", end to end on the real services: a campaign launched through the API over
 * the fixture's three Leicester hip patients, one with a UK mobile (and an email address), one with
 * an email address only, one with neither, confirmed by their clinician through the API. The worker
 * sends texts and letters through the local GOV.UK Notify (test/support/notify-server) and email over
 * SMTP; each patient gets one offer, by the channel their details allow, and the campaign's report
 * shows the split. Then Notify's callback says the text failed for good, and the patient is emailed
 * the offer, once, in the same run, and the operator sees it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifySender } from '../../emails/notify';
import { messageFallbackWorkflowId } from '../../workflows/ids';
import type { TestApi } from '../support/api-server';
import { fixtureCampaignLaunch, NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { mailCount, waitForMail } from '../support/mail';
import { type NotifyTestServer, startNotifyServer } from '../support/notify-server';
import { startTestServices, TEST_PATIENT_PHONE, type TestServices } from '../support/services';
import { eventually } from '../support/eventually';

/** Pathway 2, David Morgan: a UK mobile (07700 900102) and an email address. */
const MOBILE_PATHWAY = 2;
/** Pathway 1, Amira Khan: a landline and an email address. */
const EMAIL_PATHWAY = 1;
const TOKEN = randomBytes(32).toString('hex');

let services: TestServices;
let notifyServer: NotifyTestServer;
let api: TestApi;

beforeAll(async () => {
  services = await startTestServices();
  notifyServer = await startNotifyServer();
  // Notify for text messages and letters; patients' email goes over SMTP, as by default.
  const notify = createNotifySender({ apiKey: notifyServer.apiKey, baseUrl: notifyServer.url, smsTemplateId: notifyServer.templates.sms, letters: true });
  api = await services.startApi({ notifyCallbackToken: TOKEN, textMessages: true });
  await services.temporal.startWorker({ db: services.database.db, mailer: services.mail.mailer, notify, publicBaseUrl: api.url, patientPhone: TEST_PATIENT_PHONE, now: () => new Date() });
});

afterAll(async () => {
  await notifyServer?.close();
  await services?.close();
});

const db = () => services.database.db;

async function call<T>(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}


type ChannelCounts = Record<'sms' | 'email' | 'letter', { offered: number; responded: number; accepted: number }>;
interface Report {
  funnel: { totals: { offered: number }; byChannel: ChannelCounts };
  equity: { dimensions: { dimension: string; groups: { key: string; counts: { offered: number } }[] }[] };
}

/** The transfer of a fixture pathway in this campaign, and its first offer's message once it is on record. */
async function offerOf(campaignId: number, pathwayId: number) {
  return db()
    .selectFrom('messages')
    .innerJoin('transfers', 'transfers.id', 'messages.transfer_id')
    .selectAll('messages')
    .where('transfers.campaign_id', '=', campaignId)
    .where('transfers.pathway_id', '=', pathwayId)
    .where('messages.intent', '=', 'offer-1')
    .executeTakeFirst();
}

/** The admin's list of messages not delivered: each row's id and text. */
async function operatorSees(): Promise<Map<number, string>> {
  const response = await fetch(`${api.url}/staff/messages`, { headers: { authorization: `Bearer ${services.tokens.admin}` } });
  expect(response.status).toBe(200);
  const html = await response.text();
  return new Map([...html.matchAll(/<tr role="row" class="nhsuk-table__row" data-id="(\d+)">(.*?)<\/tr>/gs)].map((row) => [Number(row[1]), row[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')]));
}

describe('a campaign over patients with a mobile, with email only, and with neither', { timeout: 180_000 }, () => {
  let campaignId: number;

  it('texts, emails and writes to each as their details allow, once each, and the report shows the split', async () => {
    const launched = await call<{ id: number; status: string }>(
      'POST',
      '/api/v1/campaigns',
      services.tokens.regional,
      fixtureCampaignLaunch({ name: 'Leicester hips by text, email and letter' }),
    );
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    campaignId = launched.body.id;

    // The clinician confirms the three candidates from their queue, as the review page does.
    const queue = await eventually(
      () => call<{ candidates: { transferId: number; pathwayRef: string }[] }>('GET', '/api/v1/transfers/review/queue', services.tokens.clinician),
      (answer) => answer.body.candidates.length === 3,
      'three candidates awaiting review',
    );
    const confirmed = await call<{ results: { transferId: number; state?: string; error?: string }[] }>('POST', '/api/v1/transfers/review/confirm', services.tokens.clinician, {
      transferIds: queue.body.candidates.map((candidate) => candidate.transferId),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.results.map((result) => result.error)).toEqual([undefined, undefined, undefined]);

    const [text, email, letter] = await eventually(
      () => Promise.all([MOBILE_PATHWAY, EMAIL_PATHWAY, NO_EMAIL_PATHWAY].map((pathwayId) => offerOf(campaignId, pathwayId))),
      (offers) => offers.every((offer) => offer?.status === 'sent'),
      'the three offers sent',
    );
    expect([text!.channel, email!.channel, letter!.channel]).toEqual(['sms', 'email', 'letter']);

    // Notify took one text, to the mobile, and one letter, each by its message's id; nothing by email.
    const david = await patientOf(db(), MOBILE_PATHWAY);
    const amira = await patientOf(db(), EMAIL_PATHWAY);
    expect(notifyServer.taken.map(({ type, reference, to }) => ({ type, reference, to }))).toEqual(
      expect.arrayContaining([
        { type: 'sms', reference: String(text!.id), to: '+447700900102' },
        { type: 'letter', reference: String(letter!.id), to: undefined },
      ]),
    );
    expect(notifyServer.taken).toHaveLength(2);
    expect(notifyServer.taken.find((taken) => taken.type === 'sms')!.personalisation!.body).toContain(`${api.url}/o/`);
    // SMTP had one email, to the patient with email only, and none to the one texted.
    const mail = await waitForMail(db(), amira.email!);
    expect(mail.subject).toBe('You can choose to have your treatment sooner at another hospital');
    expect(await mailCount(db(), amira.email!)).toBe(1);
    expect(await mailCount(db(), david.email!)).toBe(0);
    expect(await db().selectFrom('dev_mailbox').select('id').execute()).toHaveLength(1);
    expect(text).toMatchObject({ notify_id: notifyServer.taken.find((taken) => taken.type === 'sms')!.id, smtp_message_id: null });
    expect(email).toMatchObject({ notify_id: null, smtp_message_id: expect.any(String) });

    const report = await call<Report>('GET', `/api/v1/campaigns/${campaignId}/report`, services.tokens.regional);
    expect(report.status).toBe(200);
    expect(report.body.funnel.totals.offered).toBe(3);
    expect(report.body.funnel.byChannel).toEqual({
      sms: { offered: 1, responded: 0, accepted: 0 },
      email: { offered: 1, responded: 0, accepted: 0 },
      letter: { offered: 1, responded: 0, accepted: 0 },
    });
    const channels = report.body.equity.dimensions.find((dimension) => dimension.dimension === 'channel')!;
    expect(Object.fromEntries(channels.groups.map((group) => [group.key, group.counts.offered]))).toEqual({ sms: 1, email: 1, letter: 1 });

    const csv = await fetch(`${api.url}/api/v1/campaigns/${campaignId}/report.csv`, { headers: { authorization: `Bearer ${services.tokens.regional}` } });
    const [header, ...rows] = (await csv.text()).split('\r\n');
    const total = Object.fromEntries(header!.split(',').map((field, at) => [field, rows.at(-1)!.split(',')[at]]));
    expect(total).toMatchObject({ trust_ods: 'all', offered: '3', offered_by_sms: '1', offered_by_email: '1', offered_by_letter: '1' });
  });

  it('emails, once and in the same run, the patient whose text Notify says failed for good, and the operator sees it', async () => {
    const text = (await offerOf(campaignId, MOBILE_PATHWAY))!;
    const taken = notifyServer.taken.find((notification) => notification.reference === String(text.id))!;
    const david = await patientOf(db(), MOBILE_PATHWAY);

    const answer = await notifyServer.sendDeliveryReceipt({ url: `${api.url}/callbacks/notify`, bearerToken: TOKEN }, taken, 'permanent-failure');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ recorded: true, fallback: true });
    expect(await services.temporal.client.workflow.getHandle(messageFallbackWorkflowId(text.id)).result()).toBe('sent');

    const mail = await waitForMail(db(), david.email!);
    expect(mail.subject).toBe('You can choose to have your treatment sooner at another hospital');
    expect(mail.text_body).toContain(`${api.url}/offer/`);
    // A receipt delivered again sends nothing more.
    expect(await (await notifyServer.sendDeliveryReceipt({ url: `${api.url}/callbacks/notify`, bearerToken: TOKEN }, taken, 'permanent-failure')).json()).toEqual({
      recorded: false,
      fallback: true,
    });
    expect(await mailCount(db(), david.email!)).toBe(1);
    expect(notifyServer.taken.filter((notification) => notification.type === 'sms')).toHaveLength(1);

    const messages = await db()
      .selectFrom('messages')
      .select(['intent', 'channel', 'status', 'delivery_status'])
      .where('transfer_id', '=', text.transfer_id)
      .orderBy('id')
      .execute();
    expect(messages).toEqual([
      { intent: 'offer-1', channel: 'sms', status: 'sent', delivery_status: 'permanent-failure' },
      { intent: 'offer-1:fallback', channel: 'email', status: 'sent', delivery_status: null },
    ]);
    expect((await operatorSees()).get(text.id)).toMatch(/Text message: offer-1 .*Failed for good .*Sent again as email \(sent\)/);

    // The report still counts the offer once, by the channel its first message went by.
    const report = await call<Report>('GET', `/api/v1/campaigns/${campaignId}/report`, services.tokens.regional);
    expect(report.body.funnel.totals.offered).toBe(3);
    expect(report.body.funnel.byChannel).toMatchObject({ sms: { offered: 1 }, email: { offered: 1 }, letter: { offered: 1 } });
  });
});
