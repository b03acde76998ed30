/**
 * The outbox: each message is sent at most once per intent, however often its activity runs.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { loadFixtureWorld, patientOf } from '../support/fixture-world';
import { openTransferRow } from '../../db/repositories/transfers';
import type { SendTransferMessageInput } from '../../activities/messages';
import { createSmtpMailer, type Mailer } from '../../emails/mailer';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { mailCount, startTestMail } from '../support/mail';

let database: TestDatabase;
let mail: Awaited<ReturnType<typeof startTestMail>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  mail = await startTestMail(database.db);
});

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
});

async function transferFor(pathwayId: number) {
  const transfer = await openTransferRow(database.db, { pathwayId, fundId: null, period: null, workflowId: `wf-${pathwayId}`, runId: `run-${pathwayId}` });
  return { transferId: transfer.id, email: (await patientOf(database.db, pathwayId)).email! };
}

const respondBy = new Date(Date.now() + 14 * 86_400_000).toISOString();

const run = (mailer: Mailer, transferId: number, message: Pick<SendTransferMessageInput, 'intent' | 'kind'> = { intent: 'offer', kind: 'offer' }) =>
  new MockActivityEnvironment().run(
    createActivities({ db: database.db, mailer, publicBaseUrl: 'http://localhost', patientPhone: '0808 157 0192', now: () => new Date() }).sendTransferMessage,
    { transferId, respondBy, ...message },
  );

describe('sendTransferMessage', () => {
  it('sends once however often it is retried', async () => {
    const { transferId, email } = await transferFor(1);
    expect(await run(mail.mailer, transferId)).toBe('sent');
    expect(await run(mail.mailer, transferId)).toBe('already-sent');
    expect(await run(mail.mailer, transferId)).toBe('already-sent');
    expect(await mailCount(database.db, email)).toBe(1);
  });

  it('tries again after the SMTP server refuses, and then sends exactly once', async () => {
    const { transferId, email } = await transferFor(2);
    let calls = 0;
    const refusal = `451 4.2.1 <${email}>: try again later`;
    const flaky: Mailer = {
      ...mail.mailer,
      send: async (message) => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error(refusal), { responseCode: 451 });
        return mail.mailer.send(message);
      },
    };
    // What Temporal records of the failure, in clear: the reply code, not the server's words quoting the address.
    const failure = await run(flaky, transferId).then(() => undefined, (error: unknown) => error as Error);
    expect(failure?.message).toContain('reply 451');
    expect(`${failure?.message}\n${failure?.stack}`).not.toContain(email);
    const pending = await database.db.selectFrom('messages').selectAll().where('transfer_id', '=', transferId).executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ status: 'pending', last_error: refusal, attempts: 1 });
    expect(await run(flaky, transferId)).toBe('sent');
    expect(await run(flaky, transferId)).toBe('already-sent');
    expect(await mailCount(database.db, email)).toBe(1);
  });

  it('does not send again after an attempt that stopped mid-send; it flags the message instead', async () => {
    const { transferId, email } = await transferFor(3);
    // An earlier attempt claimed the message and died before recording the outcome.
    await database.db.insertInto('messages').values({ transfer_id: transferId, intent: 'offer', kind: 'offer', channel: 'email', status: 'sending' }).execute();
    expect(await run(mail.mailer, transferId)).toBe('unconfirmed');
    expect(await mailCount(database.db, email)).toBe(0);
    const row = await database.db.selectFrom('messages').select('status').where('transfer_id', '=', transferId).executeTakeFirstOrThrow();
    expect(row.status).toBe('unconfirmed');
  });

  it('gives the claim back when the message cannot be written, so nothing is stuck as if half-sent', async () => {
    const { transferId, email } = await transferFor(3);
    // A booking confirmation for a transfer with no booking: the content cannot be made.
    await expect(run(mail.mailer, transferId, { intent: 'booking-confirmation', kind: 'booking-confirmation' })).rejects.toThrow(/no booking to confirm/);
    const row = await database.db
      .selectFrom('messages')
      .select(['status', 'last_error'])
      .where('transfer_id', '=', transferId)
      .where('intent', '=', 'booking-confirmation')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', last_error: expect.stringContaining('no booking to confirm') });
    expect(await mailCount(database.db, email)).toBe(0);
  });

  it('turns an email the patient’s server refuses for good into a letter, and sends nothing twice', async () => {
    const { transferId, email } = await transferFor(1);
    const bouncing: Mailer = {
      ...mail.mailer,
      send: async () => {
        throw Object.assign(new Error('550 5.1.1 <amira.khan@example.nhs.test>: mailbox unavailable'), { responseCode: 550 });
      },
    };
    const reminder = { intent: 'reminder-1-1', kind: 'reminder' } as const;
    expect(await run(bouncing, transferId, reminder)).toBe('queued');
    expect(await run(mail.mailer, transferId, reminder)).toBe('already-sent');
    const row = await database.db.selectFrom('messages').selectAll().where('transfer_id', '=', transferId).where('intent', '=', 'reminder-1-1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'letter', status: 'queued', last_error: expect.stringContaining('550') });
    expect(row.letter).toMatchObject({ greeting: 'Dear Amira,', action: { href: expect.stringMatching(/\/offer\/[0-9A-Za-z]{22}$/) } });
    expect(await mailCount(database.db, email)).toBe(1); // the offer sent earlier; the reminder went by post
  });

  it('claims an email only once a connection can take it, so a worker killed meanwhile leaves the rest to be sent, not flagged', async () => {
    const { transferId } = await transferFor(2);
    const twoConnections = createSmtpMailer(`${mail.catcher.url}?maxConnections=2`, 'Backlog Transfer <no-reply@backlog-transfer.nhs.test>');
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const held: Mailer = {
      ...twoConnections,
      send: async (message) => {
        await gate;
        return twoConnections.send(message);
      },
    };
    const statuses = async () =>
      (await database.db.selectFrom('messages').select('status').where('transfer_id', '=', transferId).where('intent', 'like', 'reminder-7-%').execute()).map((row) => row.status);
    const sends = [1, 2, 3, 4].map((index) => run(held, transferId, { intent: `reminder-7-${index}`, kind: 'reminder' }));
    await expect.poll(statuses).toEqual(['sending', 'sending']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The two waiting for a connection are not claimed: nothing of theirs would be left 'sending'.
    expect(await statuses()).toEqual(['sending', 'sending']);
    open();
    expect(await Promise.all(sends)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(await statuses()).toEqual(['sent', 'sent', 'sent', 'sent']);
    twoConnections.close();
  });
});
