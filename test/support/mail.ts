/**
 * A real SMTP server receiving the mail a test sends: the service's own catcher, storing into the
 * test file's database, and a helper that waits for a message to arrive.
 */
import pino from 'pino';
import type { Db } from '../../db/database';
import type { DevMail } from '../../db/schema';
import { startSmtpCatcher, type SmtpCatcher } from '../../emails/catcher';
import { createSmtpMailer, type Mailer } from '../../emails/mailer';

export async function startTestMail(db: Db): Promise<{ catcher: SmtpCatcher; mailer: Mailer; stop(): Promise<void> }> {
  const catcher = await startSmtpCatcher({ db, port: 0, log: pino({ level: 'warn' }) });
  const mailer = createSmtpMailer(catcher.url, 'Backlog Transfer <no-reply@backlog-transfer.nhs.test>');
  return {
    catcher,
    mailer,
    async stop() {
      mailer.close();
      await catcher.stop();
    },
  };
}

export async function waitForMail(db: Db, to: string, timeoutMs = 20_000): Promise<DevMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = await db
      .selectFrom('dev_mailbox')
      .selectAll()
      .where((eb) => eb(eb.val(to), '=', eb.fn.any('envelope_to')))
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function mailCount(db: Db, to: string): Promise<number> {
  const row = await db
    .selectFrom('dev_mailbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where((eb) => eb(eb.val(to), '=', eb.fn.any('envelope_to')))
    .executeTakeFirstOrThrow();
  return row.count;
}

export function linkIn(mail: DevMail, pattern: RegExp): string {
  const match = mail.text_body?.match(pattern);
  if (!match) throw new Error(`no link matching ${pattern} in mail "${mail.subject}"`);
  return match[0];
}
