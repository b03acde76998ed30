/**
 * Sends email over SMTP with nodemailer. Activities receive a Mailer, so the transport is chosen once
 * at start-up: the configured SMTP_URL, or the embedded catcher.
 */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** A stable Message-ID, so a receiving system can tell a resend from a new message. */
  readonly messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Resolves when the SMTP server answers; used by /health. */
  verify(): Promise<void>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  // A pooled transport keeps connections open: campaigns send thousands of offers at once.
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      return { messageId: info.messageId };
    },
    async verify() {
      await transport.verify();
    },
    close: () => transport.close(),
  };
}
