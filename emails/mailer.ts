/**
 * Sends email over SMTP with nodemailer. Activities receive a Mailer, so the transport is chosen once
 * at start-up: the configured SMTP_URL, or the embedded catcher. With a bounce domain, each outbox
 * message goes with its own envelope sender (emails/bounces.ts), so its bounces find it.
 */
import nodemailer from 'nodemailer';
import pLimit from 'p-limit';
import { bounceAddress } from './bounces';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** A stable Message-ID, so a receiving system can tell a resend from a new message. */
  readonly messageId?: string;
  /** The outbox message's id: with a bounce domain, the envelope sender names it (VERP). */
  readonly outboxId?: number;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /**
   * Runs the work once one of the transport's connections is free, so that no more sends run at once
   * than it has connections. The outbox claims a message inside it: a message waiting its turn is not
   * yet marked as sending, so a worker killed meanwhile leaves it to be sent by the retry, not flagged
   * as perhaps sent.
   */
  whenConnectionFree<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when the SMTP server answers; used by /health. */
  verify(): Promise<void>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string, options: { readonly bounceDomain?: string } = {}): Mailer {
  const url = new URL(smtpUrl);
  // A pooled transport keeps connections open: campaigns send thousands of offers at once.
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  // nodemailer's pool opens at most maxConnections (5 unless the URL says otherwise).
  const connections = pLimit(Number(url.searchParams.get('maxConnections') ?? 5));
  return {
    whenConnectionFree: (work) => connections(work),
    async send({ outboxId, ...mail }) {
      // Without a bounce domain the envelope sender is the From address, as nodemailer makes it.
      const envelope = options.bounceDomain && outboxId !== undefined ? { envelope: { from: bounceAddress(options.bounceDomain, outboxId), to: mail.to } } : {};
      const info = await transport.sendMail({ from, ...mail, ...envelope });
      return { messageId: info.messageId };
    },
    async verify() {
      await transport.verify();
    },
    close: () => transport.close(),
  };
}
