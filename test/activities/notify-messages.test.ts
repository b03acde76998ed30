/**
 * The outbox through GOV.UK Notify: text messages, email and letters, each at most once per intent,
 * against a local server that implements Notify's API (test/support/notify-server), through the
 * official client, with the real PostgreSQL and SMTP server.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import type { SendTransferMessageInput } from '../../activities/messages';
import { createDb, type Db } from '../../db/database';
import { printBatchLetters } from '../../db/repositories/letters';
import { openTransferRow } from '../../db/repositories/transfers';
import { dayOf } from '../../domain/dates';
import { smsLength } from '../../domain/sms';
import { createNotifySender, type NotifySender } from '../../emails/notify';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadFixtureWorld, NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { mailCount, startTestMail } from '../support/mail';
import { NOTIFY_FAILURES, type NotifyTestServer, startNotifyServer } from '../support/notify-server';

let database: TestDatabase;
let mail: Awaited<ReturnType<typeof startTestMail>>;
let notifyServer: NotifyTestServer;
/** Notify for text messages, email and letters. */
let notify: NotifySender;

/** Pathway 2, David Morgan: a UK mobile (07700 900102) and an email address. */
const MOBILE_PATHWAY = 2;
/** Pathway 1, Amira Khan: a landline and an email address. */
const EMAIL_PATHWAY = 1;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  mail = await startTestMail(database.db);
  notifyServer = await startNotifyServer();
  notify = sender();
});

afterAll(async () => {
  await notifyServer?.close();
  await mail?.stop();
  await database?.drop();
});

function sender(overrides: { apiKey?: string; baseUrl?: string; email?: boolean; letters?: boolean } = {}): NotifySender {
  return createNotifySender({
    apiKey: overrides.apiKey ?? notifyServer.apiKey,
    baseUrl: overrides.baseUrl ?? notifyServer.url,
    smsTemplateId: notifyServer.templates.sms,
    ...((overrides.email ?? true) && { emailTemplateId: notifyServer.templates.email }),
    letters: overrides.letters ?? true,
  });
}

let nextWorkflow = 0;
async function transferFor(pathwayId: number): Promise<number> {
  nextWorkflow += 1;
  const transfer = await openTransferRow(database.db, { pathwayId, fundId: null, period: null, workflowId: `wf-notify-${nextWorkflow}`, runId: `run-${nextWorkflow}` });
  // A pathway is in at most one open transfer: close this one's record so the next test can open another.
  await database.db.updateTable('transfers').set({ state: 'declined', closed_at: new Date() }).where('id', '=', transfer.id).execute();
  return transfer.id;
}

const respondBy = new Date(Date.now() + 14 * 86_400_000).toISOString();
const OFFER = { intent: 'offer-1', kind: 'offer' } as const;

const run = (
  transferId: number,
  options: { notify?: NotifySender; db?: Db; message?: Pick<SendTransferMessageInput, 'intent' | 'kind'> } = {},
) =>
  new MockActivityEnvironment().run(
    createActivities({
      db: options.db ?? database.db,
      mailer: mail.mailer,
      ...((options.notify ?? notify) && { notify: options.notify ?? notify }),
      publicBaseUrl: 'http://localhost',
      patientPhone: '0808 157 0192',
      now: () => new Date(),
    }).sendTransferMessage,
    { transferId, respondBy, ...(options.message ?? OFFER) },
  );

const messageOf = (transferId: number, intent: string = OFFER.intent) =>
  database.db.selectFrom('messages').selectAll().where('transfer_id', '=', transferId).where('intent', '=', intent).executeTakeFirstOrThrow();
const takenFor = (messageId: number) => notifyServer.taken.filter((notification) => notification.reference === String(messageId));

describe('sendTransferMessage through GOV.UK Notify', () => {
  it('texts a patient with a UK mobile, naming no one but them, with the message id as the reference; once however often it is retried', async () => {
    const transferId = await transferFor(MOBILE_PATHWAY);
    expect(await run(transferId)).toBe('sent');
    const message = await messageOf(transferId);
    const [text, ...more] = takenFor(message.id);
    expect(more).toEqual([]);
    expect(text).toMatchObject({ type: 'sms', to: '+447700900102', templateId: notifyServer.templates.sms });
    expect(text!.personalisation!.body).toMatch(/^Hello David, the NHS can treat you sooner at another hospital\. Choose at http:\/\/localhost\/o\/[0-9A-Za-z]{22} or call 0808 157 0192$/);
    expect(smsLength(text!.personalisation!.body as string)).toMatchObject({ fragments: 1, encoding: 'gsm-7' });
    for (const personal of ['Morgan', 'University Hospitals', 'Leicester', 'hip']) expect(text!.personalisation!.body).not.toContain(personal);
    expect(message).toMatchObject({ channel: 'sms', status: 'sent', notify_id: text!.id, smtp_message_id: null, last_error: null });
    const event = await database.db.selectFrom('transfer_events').select('detail').where('transfer_id', '=', transferId).where('kind', '=', 'message.sent').executeTakeFirstOrThrow();
    expect(event.detail).toEqual({ intent: 'offer-1', kind: 'offer', channel: 'sms', version: 'offer-sms-v2' });

    expect(await run(transferId)).toBe('already-sent');
    expect(await run(transferId)).toBe('already-sent');
    expect(takenFor(message.id)).toHaveLength(1);

    // Its reminder goes the same way: a text, one SMS, with a short link of its own.
    expect(await run(transferId, { message: { intent: 'reminder-1', kind: 'reminder' } })).toBe('sent');
    const [reminder] = takenFor((await messageOf(transferId, 'reminder-1')).id);
    expect(reminder).toMatchObject({ type: 'sms', to: '+447700900102' });
    expect(reminder!.personalisation!.body).toMatch(/^Hello David, the NHS can still treat you sooner at another hospital: http:\/\/localhost\/o\/[0-9A-Za-z]{22} or call 0808 157 0192$/);
    expect(reminder!.personalisation!.body).not.toBe(text!.personalisation!.body);
    expect(await mailCount(database.db, (await patientOf(database.db, MOBILE_PATHWAY)).email!)).toBe(0);
  });

  it("takes the channel the patient chose on their page while their details allow it, and the rule's otherwise", async () => {
    const patient = await patientOf(database.db, MOBILE_PATHWAY);
    const choose = (channel: 'email' | 'letter' | null) => database.db.updateTable('patients').set({ contact_channel: channel }).where('id', '=', patient.id).execute();
    try {
      await choose('email');
      const emailed = await transferFor(MOBILE_PATHWAY);
      expect(await run(emailed)).toBe('sent');
      const [email] = takenFor((await messageOf(emailed)).id);
      expect(email).toMatchObject({ type: 'email', to: patient.email });
      // A letter chosen: a letter, though a mobile and an email address are on file.
      await choose('letter');
      const written = await transferFor(MOBILE_PATHWAY);
      expect(await run(written)).toBe('sent');
      expect(await messageOf(written)).toMatchObject({ channel: 'letter' });
    } finally {
      await choose(null);
    }
  });

  it('emails a patient without a mobile through Notify when its email template is set, and over SMTP when it is not', async () => {
    const email = (await patientOf(database.db, EMAIL_PATHWAY)).email!;
    const throughNotify = await transferFor(EMAIL_PATHWAY);
    expect(await run(throughNotify)).toBe('sent');
    const message = await messageOf(throughNotify);
    expect(takenFor(message.id)).toEqual([
      expect.objectContaining({
        type: 'email',
        to: email,
        templateId: notifyServer.templates.email,
        personalisation: { subject: 'You can choose to have your treatment sooner at another hospital', body: expect.stringMatching(/^Dear Amira,\n\n.*\/offer\/[0-9A-Za-z]{22}\n/s) },
      }),
    ]);
    expect(message).toMatchObject({ channel: 'email', status: 'sent', notify_id: takenFor(message.id)[0]!.id });

    const overSmtp = await transferFor(EMAIL_PATHWAY);
    const mailsBefore = await mailCount(database.db, email);
    expect(await run(overSmtp, { notify: sender({ email: false }) })).toBe('sent');
    expect(await mailCount(database.db, email)).toBe(mailsBefore + 1);
    expect(takenFor((await messageOf(overSmtp)).id)).toEqual([]);
  });

  it('sends a patient with neither a letter through Notify, as a one-letter PDF, and keeps it out of the print batch', async () => {
    const transferId = await transferFor(NO_EMAIL_PATHWAY);
    expect(await run(transferId)).toBe('sent');
    const message = await messageOf(transferId);
    const [letter] = takenFor(message.id);
    expect(letter).toMatchObject({ type: 'letter', reference: String(message.id) });
    const parser = new PDFParse({ data: new Uint8Array(letter!.pdf!) });
    const { text } = await parser.getText();
    await parser.destroy();
    for (const expected of ['Owen Price', 'LE3 9QP', 'Dear Owen,', '/offer/', 'call 0808 157 0192']) expect(text).toContain(expected);
    expect(message).toMatchObject({ channel: 'letter', status: 'sent', notify_id: letter!.id, letter: null });
    expect((await printBatchLetters(database.db, 'RWE', dayOf(new Date()))).map((row) => row.id)).not.toContain(message.id);
  });

  it('with Notify for email only, emails a patient with a mobile and queues a letter for the print batch', async () => {
    const emailOnly = createNotifySender({ apiKey: notifyServer.apiKey, baseUrl: notifyServer.url, emailTemplateId: notifyServer.templates.email, letters: false });
    const letter = await transferFor(NO_EMAIL_PATHWAY);
    expect(await run(letter, { notify: emailOnly })).toBe('queued');
    expect(await messageOf(letter)).toMatchObject({ channel: 'letter', status: 'queued', notify_id: null });
    expect(takenFor((await messageOf(letter)).id)).toEqual([]);

    const mobile = await transferFor(MOBILE_PATHWAY);
    expect(await run(mobile, { notify: emailOnly })).toBe('sent');
    const message = await messageOf(mobile);
    expect(message).toMatchObject({ channel: 'email', status: 'sent' });
    expect(takenFor(message.id)).toEqual([expect.objectContaining({ type: 'email', to: (await patientOf(database.db, MOBILE_PATHWAY)).email })]);
  });

  it('tries again after Notify refuses (500, 429, a bad key), telling Temporal no personal data, and then sends exactly once', async () => {
    const transferId = await transferFor(MOBILE_PATHWAY);
    notifyServer.failNext(NOTIFY_FAILURES.serverError);
    notifyServer.failNext(NOTIFY_FAILURES.rateLimited);
    const failure = async (send: Promise<unknown>) => send.then(() => undefined, (error: unknown) => error as Error);

    const first = await failure(run(transferId));
    expect(first?.message).toContain('Notify answered 500 (Exception)');
    expect(await messageOf(transferId)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Exception: Internal server error' });
    expect((await failure(run(transferId)))?.message).toContain('Notify answered 429 (RateLimitError)');

    const wrongSecret = notifyServer.apiKey.replace(/.{36}$/, '00000000-0000-4000-8000-000000000000');
    expect((await failure(run(transferId, { notify: sender({ apiKey: wrongSecret }) })))?.message).toContain('Notify answered 403 (AuthError)');
    expect(notifyServer.refused.at(-1)).toMatchObject({ status: 403, message: 'Invalid token: signature, api token is not valid' });
    expect(`${first?.message}\n${first?.stack}`).not.toMatch(/7700|david/i);

    expect(await run(transferId)).toBe('sent');
    expect(await run(transferId)).toBe('already-sent');
    const message = await messageOf(transferId);
    expect(message).toMatchObject({ status: 'sent', attempts: 4 });
    expect(takenFor(message.id)).toHaveLength(1);
  });

  it('gives the claim back when Notify cannot be reached at all, so the retry sends it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const transferId = await transferFor(MOBILE_PATHWAY);
    await expect(run(transferId, { notify: sender({ baseUrl: `http://127.0.0.1:${port}` }) })).rejects.toThrow(/no answer from Notify \(ECONNREFUSED\)/);
    expect(await messageOf(transferId)).toMatchObject({ status: 'pending' });
    expect(await run(transferId)).toBe('sent');
    expect(takenFor((await messageOf(transferId)).id)).toHaveLength(1);
  });

  it('flags a text whose request went but whose answer never came, and never sends it again: Notify may have it', async () => {
    const transferId = await transferFor(MOBILE_PATHWAY);
    notifyServer.dropNextAnswer();
    expect(await run(transferId)).toBe('unconfirmed');
    const message = await messageOf(transferId);
    expect(message).toMatchObject({ status: 'unconfirmed', last_error: expect.stringContaining(`Notify may have taken it; look for reference ${message.id}`) });
    expect(await run(transferId)).toBe('unconfirmed');
    expect(takenFor(message.id)).toHaveLength(1);
  });

  it('never sends again after a worker died between Notify’s 201 and recording it: the message is left unconfirmed, its reference in Notify', async () => {
    const transferId = await transferFor(MOBILE_PATHWAY);
    // The worker's database connections die the moment Notify has answered: nothing after the send is written.
    const doomed = createDb(database.url, { poolSize: 2 });
    const dying: NotifySender = {
      ...notify,
      sendSms: async (message) => {
        const receipt = await notify.sendSms!(message);
        await doomed.destroy();
        return receipt;
      },
    };
    await expect(run(transferId, { notify: dying, db: doomed })).rejects.toThrow();
    const claimed = await messageOf(transferId);
    expect(claimed.status).toBe('sending');
    expect(takenFor(claimed.id)).toHaveLength(1);

    // Temporal retries the activity on another worker.
    expect(await run(transferId)).toBe('unconfirmed');
    expect(await run(transferId)).toBe('unconfirmed');
    expect(takenFor(claimed.id)).toHaveLength(1);
    expect(await messageOf(transferId)).toMatchObject({ status: 'unconfirmed', last_error: 'an earlier attempt stopped mid-send' });
  });

  it('flags, and does not send again, a message whose attempt is still waiting for Notify’s answer when it is retried', async () => {
    const transferId = await transferFor(MOBILE_PATHWAY);
    const release = notifyServer.holdAnswers();
    const waiting = run(transferId);
    try {
      await expect.poll(async () => takenFor((await messageOf(transferId)).id).length).toBe(1);
      // The first attempt timed out in Temporal's eyes; the retry must not send a second text.
      expect(await run(transferId)).toBe('unconfirmed');
    } finally {
      release();
    }
    // The answer came after all: the message is known to be sent.
    expect(await waiting).toBe('sent');
    const message = await messageOf(transferId);
    expect(message).toMatchObject({ status: 'sent', notify_id: takenFor(message.id)[0]!.id });
    expect(takenFor(message.id)).toHaveLength(1);
  });
});

describe('the Notify test server', () => {
  it('refuses a token whose iat is more than 30 seconds old, as Notify does', async () => {
    const [serviceId, secret] = [notifyServer.apiKey.slice(-73, -37), notifyServer.apiKey.slice(-36)];
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = (iat: number) => {
      const unsigned = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode({ iss: serviceId, iat })}`;
      return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
    };
    const post = (iat: number) =>
      fetch(`${notifyServer.url}/v2/notifications/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token(iat)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ template_id: notifyServer.templates.sms, phone_number: '+447700900999', personalisation: { body: 'x' }, reference: 'clock' }),
      });
    const now = Math.round(Date.now() / 1000);
    const stale = await post(now - 45);
    expect(stale.status).toBe(403);
    expect(await stale.json()).toEqual({ status_code: 403, errors: [{ error: 'AuthError', message: 'Error: Your system clock must be accurate to within 30 seconds' }] });
    expect((await post(now - 5)).status).toBe(201);
  });

  it('posts delivery receipts as Notify’s callbacks do: bearer token, and the notification’s id, reference, recipient and status', async () => {
    const received: { authorization?: string; body: unknown }[] = [];
    const callback = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ authorization: request.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    const [text] = notifyServer.taken.filter((notification) => notification.type === 'sms');
    const answer = await notifyServer.sendDeliveryReceipt(
      { url: `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callbacks/notify`, bearerToken: 'callback-secret' },
      text!,
      'permanent-failure',
    );
    await new Promise((resolve) => callback.close(resolve));
    expect(answer.status).toBe(204);
    expect(received).toEqual([
      {
        authorization: 'Bearer callback-secret',
        body: {
          id: text!.id,
          reference: text!.reference,
          to: text!.to,
          status: 'permanent-failure',
          created_at: text!.createdAt,
          completed_at: expect.any(String),
          sent_at: text!.createdAt,
          notification_type: 'sms',
          template_id: notifyServer.templates.sms,
          template_version: 1,
        },
      },
    ]);
  });
});
