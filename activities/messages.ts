import { ApplicationFailure } from '@temporalio/activity';
import { claimMessage, markMessageSent, markMessageUnconfirmed, releaseMessage } from '../db/repositories/messages';
import { issueOfferToken } from '../db/repositories/offers';
import { addTransferEvent, getTransferRecipient } from '../db/repositories/transfers';
import { DAY_MS, formatDate } from '../domain/dates';
import { offerMessage } from '../emails/templates';
import type { ActivityDeps } from './index';

export interface SendTransferMessageInput {
  readonly transferId: number;
  /** What this message is for; a transfer sends each intent at most once. */
  readonly intent: string;
  readonly kind: 'offer';
  readonly validForDays: number;
}

export type SendResult = 'sent' | 'already-sent' | 'unconfirmed';

export function messageActivities({ db, mailer, publicBaseUrl, now }: ActivityDeps) {
  return {
    /**
     * Sends one message of a transfer through the outbox: claimed before sending, marked sent after,
     * so retrying this activity never sends the same intent twice.
     */
    async sendTransferMessage(input: SendTransferMessageInput): Promise<SendResult> {
      const recipient = await getTransferRecipient(db, input.transferId);
      if (!recipient) throw ApplicationFailure.nonRetryable(`transfer ${input.transferId} not found`, 'TransferNotFound');
      if (!recipient.email) {
        throw ApplicationFailure.nonRetryable(`transfer ${input.transferId}: patient has no email address`, 'NoEmailAddress');
      }
      const claim = await claimMessage(db, { transferId: input.transferId, intent: input.intent, kind: input.kind, channel: 'email' });
      if (!claim.claimed) {
        if (claim.message.status === 'sending') {
          await markMessageUnconfirmed(db, claim.message.id);
          return 'unconfirmed';
        }
        return claim.message.status === 'sent' ? 'already-sent' : 'unconfirmed';
      }
      const expiresAt = new Date(now().getTime() + input.validForDays * DAY_MS);
      const token = await issueOfferToken(db, input.transferId, expiresAt);
      const rendered = offerMessage({
        givenName: recipient.givenName,
        trustName: recipient.trustName,
        link: `${publicBaseUrl}/offer/${token}`,
        respondBy: formatDate(expiresAt),
      });
      let smtpMessageId: string;
      try {
        ({ messageId: smtpMessageId } = await mailer.send({
          to: recipient.email,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId: `<transfer-${input.transferId}-${input.intent}@backlog-transfer.nhs.test>`,
        }));
      } catch (error) {
        // The server refused or never took the message: nothing was sent, so a retry may send it.
        await releaseMessage(db, claim.message.id, (error as Error).message);
        throw error;
      }
      await markMessageSent(db, claim.message.id, smtpMessageId);
      await addTransferEvent(db, input.transferId, 'message.sent', { intent: input.intent, kind: input.kind, version: rendered.version });
      return 'sent';
    },
  };
}
