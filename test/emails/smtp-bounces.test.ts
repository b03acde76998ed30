/**
 * Bounces of email sent over SMTP, end to end: offers emailed by the real activity with a VERP envelope
 * sender, read at the real SMTP server; delivery status notifications (RFC 3464, written out as a
 * mail server writes them) sent over SMTP to the real bounce receiver, recorded in PostgreSQL, and a
 * permanent failure sent again as a letter by a real Temporal worker.
 */
import { Writable } from 'node:stream';
import { WorkflowNotFoundError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { openTransferRow } from '../../db/repositories/transfers';
import { type BounceReceiver, MAX_REPORT_BYTES, startBounceReceiver } from '../../emails/bounce-receiver';
import { createSmtpMailer, type Mailer } from '../../emails/mailer';
import type { RunningWorker } from '../../temporal/worker';
import { messageFallbackWorkflowId } from '../../workflows/ids';
import { NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { waitForMail } from '../support/mail';
import { startTestServices, TEST_PATIENT_PHONE, type TestServices } from '../support/services';

const DOMAIN = 'bounces.backlog-transfer.nhs.test';
/** Pathway 1: a patient with an email address (and no text messages without Notify). */
const EMAIL_PATHWAY = 1;

let services: TestServices;
/** The service's mailer with the bounce domain set: every message's envelope sender names it. */
let mailer: Mailer;
let worker: RunningWorker;
let receiver: BounceReceiver;
/** What the receiver logs, one object a line. */
const logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  services = await startTestServices();
  mailer = createSmtpMailer(services.mail.catcher.url, 'Backlog Transfer <no-reply@backlog-transfer.nhs.test>', { bounceDomain: DOMAIN });
  worker = await services.temporal.startWorker({ db: db(), mailer, publicBaseUrl: 'http://localhost', patientPhone: TEST_PATIENT_PHONE, now: () => new Date() });
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  receiver = await startBounceReceiver({ services: services.appDeps(), domain: DOMAIN, host: '127.0.0.1', port: 0, log });
});

afterAll(async () => {
  await receiver?.stop();
  await worker?.stop();
  mailer?.close();
  await services?.close();
});

const db = () => services.database.db;
const respondBy = new Date(Date.now() + 14 * 86_400_000).toISOString();

let nextWorkflow = 0;
/** A transfer of this pathway whose first offer has been sent (by email, or else as a letter) with this mailer. */
async function offerSent(pathwayId = EMAIL_PATHWAY, by: Mailer = mailer): Promise<{ transferId: number; messageId: number }> {
  nextWorkflow += 1;
  const transfer = await openTransferRow(db(), { pathwayId, fundId: null, period: null, workflowId: `wf-bounces-${nextWorkflow}`, runId: `run-${nextWorkflow}` });
  // A pathway is in at most one open transfer: close this one's record so the next test can open another.
  await db().updateTable('transfers').set({ state: 'declined', closed_at: new Date() }).where('id', '=', transfer.id).execute();
  const activities = createActivities({ db: db(), mailer: by, publicBaseUrl: 'http://localhost', patientPhone: TEST_PATIENT_PHONE, now: () => new Date() });
  await new MockActivityEnvironment().run(activities.sendTransferMessage, { transferId: transfer.id, intent: 'offer-1', kind: 'offer' as const, respondBy });
  return { transferId: transfer.id, messageId: (await messageOf(transfer.id, 'offer-1')).id };
}

const messageOf = (transferId: number, intent: string) =>
  db().selectFrom('messages').selectAll().where('transfer_id', '=', transferId).where('intent', '=', intent).executeTakeFirstOrThrow();
const messagesOf = (transferId: number) => db().selectFrom('messages').selectAll().where('transfer_id', '=', transferId).orderBy('id').execute();
const auditOf = (messageId: number) => db().selectFrom('audit_log').selectAll().where('subject', '=', `message:${messageId}`).orderBy('id').execute();

/** A delivery status notification as a mail server writes it (RFC 3464), for the patient's address. */
function dsn(messageId: number, recipient: { action: string; status: string; lastAttempt?: Date }): string {
  const to = `bounces+${messageId}@${DOMAIN}`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
    '',
    '--dsn-boundary',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.test. Your message could not be delivered.',
    '',
    '--dsn-boundary',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.test',
    `Arrival-Date: ${new Date(Date.now() - 60_000).toUTCString()}`,
    '',
    'Final-Recipient: rfc822; amira.khan@example.nhs.test',
    'Original-Recipient: rfc822;amira.khan@example.nhs.test',
    `Action: ${recipient.action}`,
    `Status: ${recipient.status}`,
    'Remote-MTA: dns; mail.example.nhs.test',
    `Diagnostic-Code: smtp; 550 ${recipient.status} <amira.khan@example.nhs.test>:`,
    '    Recipient address rejected: User unknown in virtual mailbox table',
    ...(recipient.lastAttempt ? [`Last-Attempt-Date: ${recipient.lastAttempt.toUTCString()}`] : []),
    '',
    '--dsn-boundary',
    'Content-Type: text/rfc822-headers',
    '',
    'Message-ID: <transfer-1-offer-1@backlog-transfer.nhs.test>',
    'Subject: You can choose to have your treatment sooner at another hospital',
    '',
    '--dsn-boundary--',
    '',
  ].join('\r\n');
}

/** Sends raw mail to the receiver, from the null sender as a DSN is; resolves with its reply (and the refused recipients'), or the refusal's code. */
async function sendToReceiver(to: string | string[], raw: string): Promise<{ accepted: boolean; code?: number; response: string; refused?: string[] }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope: { from: '', to }, raw });
    const refused = ((info as { rejectedErrors?: { response?: string }[] }).rejectedErrors ?? []).map((error) => error.response ?? '');
    return { accepted: info.rejected.length === 0, response: info.response, refused };
  } catch (error) {
    const { responseCode, response } = error as { responseCode?: number; response?: string };
    return { accepted: false, code: responseCode, response: response ?? (error as Error).message };
  } finally {
    transport.close();
  }
}

describe('the envelope sender', () => {
  it('is bounces+<message id>@<bounce domain> for each message with a bounce domain, and the From address without one', async () => {
    const { messageId } = await offerSent();
    const email = (await patientOf(db(), EMAIL_PATHWAY)).email!;
    const mail = await waitForMail(db(), email);
    expect(mail.envelope_from).toBe(`bounces+${messageId}@${DOMAIN}`);
    expect(mail.envelope_to).toEqual([email]);
    expect(mail.subject).toBe('You can choose to have your treatment sooner at another hospital');

    // Unset (the default): as before, the From address.
    await offerSent(EMAIL_PATHWAY, services.mail.mailer);
    expect((await waitForMail(db(), email)).envelope_from).toBe('no-reply@backlog-transfer.nhs.test');
  });
});

describe('the bounce receiver', () => {
  it('records a permanent bounce as a permanent failure, audited, and the patient gets exactly one letter, however often the DSN comes', async () => {
    const { transferId, messageId } = await offerSent();
    const lastAttempt = new Date(Math.floor(Date.now() / 1000) * 1000 - 30_000);
    const bounce = dsn(messageId, { action: 'failed', status: '5.1.1', lastAttempt });

    // The mail server sends it twice, at once.
    const answers = await Promise.all([1, 2].map(() => sendToReceiver(`bounces+${messageId}@${DOMAIN}`, bounce)));
    expect(answers.map((answer) => answer.accepted)).toEqual([true, true]);
    expect(answers.map((answer) => answer.response.replace(/^250 /, '')).sort()).toEqual(['OK: recorded', 'OK: recorded already']);

    const fallback = services.temporal.client.workflow.getHandle(messageFallbackWorkflowId(messageId));
    expect(await fallback.result()).toBe('queued');
    // And once more, after the letter is queued.
    expect(await sendToReceiver(`bounces+${messageId}@${DOMAIN}`, bounce)).toMatchObject({ accepted: true, response: '250 OK: recorded already' });

    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ channel: 'email', status: 'sent', delivery_status: 'permanent-failure', delivery_status_at: lastAttempt, notify_id: null });
    const messages = await messagesOf(transferId);
    expect(messages.map((message) => [message.intent, message.channel, message.status])).toEqual([
      ['offer-1', 'email', 'sent'],
      ['offer-1:fallback', 'letter', 'queued'],
    ]);
    expect(messages[1]!.letter).toMatchObject({ subject: 'You can choose to have your treatment sooner at another hospital' });
    expect(await auditOf(messageId)).toEqual([
      expect.objectContaining({
        actor: 'mail-server',
        action: 'message.delivery',
        detail: { transferId, intent: 'offer-1', channel: 'email', status: 'permanent-failure', at: lastAttempt.toISOString(), dsnStatus: '5.1.1' },
      }),
    ]);
    // The operator sees it, and what became of it.
    const page = await createApp(services.appDeps()).request('/staff/messages', { headers: { authorization: `Bearer ${services.tokens.admin}` } });
    const row = (await page.text()).match(new RegExp(`data-id="${messageId}">(.*?)</tr>`, 's'))![1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(row).toMatch(/Email: offer-1 .*Failed for good .*Sent again as letter \(queued\)/);
  });

  it('records a delayed DSN (4.x.x) as a temporary failure and sends nothing again', async () => {
    const { transferId, messageId } = await offerSent();
    const answer = await sendToReceiver(`bounces+${messageId}@${DOMAIN}`, dsn(messageId, { action: 'delayed', status: '4.4.1' }));
    expect(answer).toMatchObject({ accepted: true, response: '250 OK: recorded' });
    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ delivery_status: 'temporary-failure' });
    expect(await auditOf(messageId)).toEqual([expect.objectContaining({ actor: 'mail-server', detail: expect.objectContaining({ status: 'temporary-failure', dsnStatus: '4.4.1' }) })]);
    await expect(services.temporal.client.workflow.getHandle(messageFallbackWorkflowId(messageId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await messagesOf(transferId)).map((message) => message.intent)).toEqual(['offer-1']);
  });

  it('refuses mail to any other address with 550, and a second recipient with 452', async () => {
    const { messageId } = await offerSent();
    for (const to of [`postmaster@${DOMAIN}`, `bounces+${messageId}@example.test`, `bounces+x${messageId}@${DOMAIN}`, `bounces+0${messageId}@${DOMAIN}`, `bounces@${DOMAIN}`, `no-reply+${messageId}@${DOMAIN}`]) {
      expect(await sendToReceiver(to, dsn(messageId, { action: 'failed', status: '5.1.1' })), to).toMatchObject({ accepted: false, code: 550 });
    }
    const two = await sendToReceiver([`bounces+${messageId}@${DOMAIN}`, `bounces+${messageId + 1}@${DOMAIN}`], dsn(messageId, { action: 'delayed', status: '4.4.1' }));
    expect(two.refused).toEqual([expect.stringMatching(/^452 4\.5\.3 one recipient a message/)]);
    // The first was taken alone.
    expect((await auditOf(messageId)).map((entry) => entry.detail)).toEqual([expect.objectContaining({ status: 'temporary-failure' })]);
  });

  it('refuses a garbled or oversized report clearly, without a crash, and ignores one about a message it did not send by email', async () => {
    const { transferId, messageId } = await offerSent();
    const to = `bounces+${messageId}@${DOMAIN}`;
    const good = dsn(messageId, { action: 'failed', status: '5.1.1' });
    const garbled: [string, string][] = [
      ['Subject: out of office\r\n\r\nI am away until Monday.\r\n', 'not a multipart/report'],
      [good.replace('report-type=delivery-status', 'report-type=disposition-notification'), 'not delivery-status'],
      [good.replace('Content-Type: message/delivery-status', 'Content-Type: text/plain'), 'no message/delivery-status part'],
      [good.replace(/Action: failed\r\n/, ''), 'no recipient has an Action field'],
      [good.replace('Action: failed', 'Action: exploded'), 'an Action "exploded"'],
      [good.replace('Status: 5.1.1', 'Status: bad'), 'no Status code'],
      [good.replace('Reporting-MTA: dns; mx.example.test', '\u0000\u0001 garbage'), 'a line that is not a field'],
      [good.replace('boundary="dsn-boundary"', 'boundary="another"'), 'no message/delivery-status part'],
      [good.replace('report-type=delivery-status; ', ''), 'not delivery-status'],
    ];
    for (const [raw, why] of garbled) {
      const answer = await sendToReceiver(to, raw);
      expect(answer, why).toMatchObject({ accepted: false, code: 550 });
      expect(answer.response).toContain('5.6.0');
      expect(logged.at(-1), why).toMatchObject({ level: 40, messageId, why: expect.stringContaining(why) });
    }
    const oversized = await sendToReceiver(to, good.replace('This is the mail system', 'x'.repeat(MAX_REPORT_BYTES)));
    expect(oversized).toMatchObject({ accepted: false, code: 552 });
    expect(await auditOf(messageId)).toEqual([]);
    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ delivery_status: null });

    // A report for a message we do not have, or one that did not go by email over SMTP: taken, logged, nothing recorded.
    expect(await sendToReceiver(`bounces+999999999@${DOMAIN}`, dsn(999_999_999, { action: 'failed', status: '5.1.1' }))).toMatchObject({ accepted: true, response: '250 OK: ignored' });
    expect(logged.at(-1)).toMatchObject({ level: 30, messageId: 999_999_999, msg: 'a bounce was ignored' });
    const letter = await offerSent(NO_EMAIL_PATHWAY);
    expect(await messageOf(letter.transferId, 'offer-1')).toMatchObject({ channel: 'letter' });
    expect(await sendToReceiver(`bounces+${letter.messageId}@${DOMAIN}`, dsn(letter.messageId, { action: 'failed', status: '5.1.1' }))).toMatchObject({ accepted: true, response: '250 OK: ignored' });
    expect(await messageOf(letter.transferId, 'offer-1')).toMatchObject({ delivery_status: null });
    // A report of success changes nothing either.
    expect(await sendToReceiver(to, dsn(messageId, { action: 'delivered', status: '2.0.0' }))).toMatchObject({ accepted: true, response: '250 OK: no failure reported' });

    // And the receiver goes on taking reports.
    expect(await sendToReceiver(to, good)).toMatchObject({ accepted: true, response: '250 OK: recorded' });
    expect(await messageOf(transferId, 'offer-1')).toMatchObject({ delivery_status: 'permanent-failure' });
    expect(logged.filter((line) => line.level === 50)).toEqual([]);
  });
});
