/**
 * The bounce receiver: an SMTP server (smtp-server) the bounce domain's MX points at, taking the
 * delivery status notifications that mail servers return to our envelope senders
 * (`bounces+<message id>@<SMTP_BOUNCE_DOMAIN>`, emails/bounces.ts) and recording each as a delivery
 * receipt, by the one path Notify's take (services/delivery-receipts.ts): a permanent failure is sent
 * again by the patient's next channel, once.
 *
 * It takes mail for that address form alone (anything else is refused, 550), one recipient a message,
 * and reports up to MAX_REPORT_BYTES. What it replies tells the sending server what became of the
 * report: 250 when it is read (recorded, a repeat, a report of success, or about a message we do not
 * have: each logged), 550 when it is not a report we can read (logged: a person may look), 451 when
 * recording it failed (the database or Temporal away): the server sends it again later. Nothing is
 * logged that names a person: a report quotes addresses, the log has ids and codes.
 */
import { simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';
import { DomainError } from '../domain/failures';
import { takeDeliveryReceipt } from '../services/delivery-receipts';
import type { ServiceDeps } from '../services/context';
import { messageIdOfBounceAddress, readBounceReport } from './bounces';

export interface BounceReceiver {
  readonly port: number;
  stop(): Promise<void>;
}

/** A report quotes the headers of the message, or the whole of it (ours are small, with no attachments). */
export const MAX_REPORT_BYTES = 512 * 1024;
/** Mail servers returning reports at once; more wait for a free one. */
const MAX_CONNECTIONS = 50;

/** An SMTP reply to the sending server, with its enhanced status code. */
const reply = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

export async function startBounceReceiver(options: {
  readonly services: ServiceDeps;
  /** The bounce domain (SMTP_BOUNCE_DOMAIN): mail to any other is refused. */
  readonly domain: string;
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
}): Promise<BounceReceiver> {
  const { services, domain, log } = options;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_REPORT_BYTES,
    maxClients: MAX_CONNECTIONS,
    banner: 'Backlog Transfer bounces',
    logger: false,
    onRcptTo(address, session, callback) {
      if (messageIdOfBounceAddress(domain, address.address) === undefined) {
        callback(reply(550, `5.1.1 no such mailbox: this server takes delivery status notifications for bounces+<id>@${domain} only`));
      } else if (session.envelope.rcptTo.length > 0) {
        // Each report is about the message its address names: one address a message.
        callback(reply(452, '4.5.3 one recipient a message: send the others again in a message of their own'));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const messageId = messageIdOfBounceAddress(domain, session.envelope.rcptTo[0]!.address)!;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (error) => log.warn({ err: error, messageId }, 'a bounce could not be read from its connection'));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          log.warn({ messageId, limit: MAX_REPORT_BYTES }, 'a bounce too large was refused');
          callback(reply(552, `5.3.4 a report may have at most ${MAX_REPORT_BYTES} bytes`));
          return;
        }
        takeBounce(Buffer.concat(chunks), messageId).then(
          (message) => callback(null, message),
          (error: Error) => callback(error),
        );
      });
    },
  });

  /** Reads and records one report; resolves with the reply's words, or rejects with an SMTP reply. */
  async function takeBounce(raw: Buffer, messageId: number): Promise<string> {
    let report;
    try {
      report = readBounceReport(await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true }));
    } catch (error) {
      report = { kind: 'unreadable', why: `it could not be parsed (${(error as Error).message.slice(0, 80)})` } as const;
    }
    if (report.kind === 'unreadable') {
      log.warn({ messageId, why: report.why }, 'a mail to a bounce address is not a delivery status notification we can read; refused');
      throw reply(550, `5.6.0 not a delivery status notification (RFC 3464) this server can read: ${report.why}`);
    }
    if (report.kind === 'no-failure') {
      log.info({ messageId, actions: report.actions }, 'a delivery status notification reports no failure; nothing recorded');
      return 'OK: no failure reported';
    }
    try {
      const taken = await takeDeliveryReceipt(services, {
        messageId,
        source: { by: 'smtp', dsnStatus: report.dsnStatus },
        channel: 'email',
        status: report.status,
        // When the reporting server last tried, unless it says a time to come; else when it reached us.
        at: report.at && report.at.getTime() <= services.clock().getTime() ? report.at : services.clock(),
      });
      log.info({ messageId, status: report.status, dsnStatus: report.dsnStatus, ...taken }, 'bounce taken');
      return `OK: ${taken.recorded ? 'recorded' : 'recorded already'}`;
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'NotFound' || error.kind === 'Conflict')) {
        // A bounce for a message we do not have, or did not send over SMTP: nothing to record, and
        // nothing the sending server can do about it.
        log.info({ messageId, why: error.message }, 'a bounce was ignored');
        return 'OK: ignored';
      }
      log.error({ err: error, messageId }, 'a bounce could not be recorded; the sending server will try again');
      throw reply(451, '4.3.0 the report could not be recorded: try again later');
    }
  }

  server.on('error', (error) => log.error({ err: error }, 'bounce receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
