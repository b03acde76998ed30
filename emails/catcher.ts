/**
 * The embedded SMTP catcher: a real SMTP server (smtp-server) that parses each message (mailparser)
 * and keeps it in the database, where the dev mailbox page shows it. It stands in for a mail relay
 * in the embedded run only, so a person trying the product sees what a patient would receive.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { storeDevMail } from '../db/repositories/dev-mailbox';

export interface SmtpCatcher {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export async function startSmtpCatcher(options: {
  readonly db: Db;
  readonly port: number;
  readonly host?: string;
  readonly log: Logger;
}): Promise<SmtpCatcher> {
  const host = options.host ?? '127.0.0.1';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'Backlog Transfer dev mailbox',
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          await storeDevMail(options.db, {
            envelope_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            envelope_to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            message_id: parsed.messageId ?? null,
            subject: parsed.subject ?? '',
            text_body: parsed.text ?? null,
            html_body: typeof parsed.html === 'string' ? parsed.html : null,
          });
          callback();
        })
        .catch((error: Error) => {
          options.log.error({ err: error }, 'dev mailbox could not store a message');
          // A 4xx reply: the sender keeps the message and tries again.
          callback(Object.assign(new Error('mailbox unavailable, try again later'), { responseCode: 451 }));
        });
    },
  });
  server.on('error', (error) => options.log.error({ err: error }, 'SMTP catcher error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `smtp://${host}:${port}`,
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
