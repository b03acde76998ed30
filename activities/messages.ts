import { Context } from '@temporalio/activity';
import { claimMessage, failedMessage, markMessageRefused, markMessageSent, markMessageUnconfirmed, queueLetter, releaseMessage } from '../db/repositories/messages';
import { issueOfferToken } from '../db/repositories/offers';
import { latestBookingOfTransfer } from '../db/repositories/bookings';
import { addTransferEvent, getTransferRecipient, trustReviewers } from '../db/repositories/transfers';
import { fallbackChannel, type PatientChannel, patientChannels } from '../domain/channels';
import { needsFallback } from '../domain/delivery';
import { ukMobileOf } from '../domain/phone';
import { type LetterAddressee, renderLetters } from '../emails/letter';
import type { NotifyError, NotifyReceipt } from '../emails/notify';
import { addDays, dayOf, daysBetween, formatDate } from '../domain/dates';
import { Invalid, NotFound } from '../domain/failures';
import type { Message } from '../db/schema';
import { takeDeliveryReceipt } from '../services/delivery-receipts';
import {
  LINKED_MESSAGE_KINDS,
  type MessageContent,
  type MessageKind,
  messageHtml,
  messageText,
  type PatientMessageData,
  type PatientMessageKind,
  patientMessage,
  patientTextMessage,
  TRUST_MESSAGE_KINDS,
  type TrustMessageKind,
  trustMessage,
} from '../emails/templates';
import type { ActivityDeps } from './index';

export interface SendTransferMessageInput {
  readonly transferId: number;
  /** What this message is for; a transfer sends each intent at most once. */
  readonly intent: string;
  readonly kind: MessageKind;
  /** When the offer this message is about lapses (ISO timestamp): its link works until then. Needed by every offer message. */
  readonly respondBy?: string;
  /** A message of this transfer by this channel will never arrive: this one goes by the patient's next (domain/channels fallbackChannel). */
  readonly after?: PatientChannel;
}

/** `refused`: GOV.UK Notify refused the message (a 400); it failed for good, and goes again by the patient's next channel. */
export type SendResult = 'sent' | 'queued' | 'already-sent' | 'unconfirmed' | 'refused';
/** A fallback's result: its send's, or `too-late` when the offer its link is for has lapsed (nothing is sent). */
export type FallbackResult = SendResult | 'too-late';

export function messageActivities({ db, mailer, notify, publicBaseUrl, patientPhone, now }: ActivityDeps) {
  /** A fresh link for this message; each message's link works until the offer (or booking) it is about ends. */
  async function patientLink(
    input: SendTransferMessageInput & { kind: PatientMessageKind },
  ): Promise<{ link?: string; shortLink?: string; respondBy?: string; booking?: { siteName: string; date: string } }> {
    if (!LINKED_MESSAGE_KINDS.has(input.kind)) return {};
    if (input.kind === 'booking-confirmation') {
      const booking = await latestBookingOfTransfer(db, input.transferId);
      if (!booking) throw new NotFound(`transfer ${input.transferId} has no booking to confirm`);
      const token = await issueOfferToken(db, input.transferId, new Date(`${addDays(booking.procedureDate, 1)}T00:00:00Z`));
      return { ...links(token), booking: { siteName: booking.siteName, date: formatDate(booking.procedureDate) } };
    }
    if (!input.respondBy) throw new Invalid(`a ${input.kind} message needs the offer's respondBy`, { field: 'respondBy' });
    const expiresAt = new Date(input.respondBy);
    const token = await issueOfferToken(db, input.transferId, expiresAt);
    return { ...links(token), respondBy: formatDate(expiresAt) };
  }
  /** The page's address, and its short form for text messages (api/pages/offer: /o/ leads to the page). */
  const links = (token: string) => ({ link: `${publicBaseUrl}/offer/${token}`, shortLink: `${publicBaseUrl}/o/${token}` });

  /**
   * Notify refused the message as it was sent (its words, `why`, are kept): it failed for good, and is
   * taken as a permanent-failure receipt is (services/delivery-receipts), so it is recorded, shown to
   * the operator and sent once by the patient's next channel. A retry after the refusal was recorded
   * (`why` absent) takes it again: the fallback's workflow id and the outbox keep that to once.
   */
  async function refused(message: Message, why?: string): Promise<'refused'> {
    if (why !== undefined) await markMessageRefused(db, message.id, why);
    const { client, info } = Context.current();
    await takeDeliveryReceipt(
      { db, temporal: client, taskQueue: info.taskQueue },
      { messageId: message.id, source: { by: 'notify', notifyId: null }, channel: message.channel, status: 'permanent-failure', at: now() },
    );
    return 'refused';
  }

  const activities = {
    /**
     * Sends one message of a transfer through the outbox: claimed before sending, marked sent after,
     * so retrying this activity never sends the same intent twice. A patient is reached by the first
     * channel their details and our senders allow (domain/channels): a text message through GOV.UK
     * Notify, then email (through Notify or SMTP), then a letter (through Notify, or queued for the
     * trust's daily print batch). A trust's clinicians are emailed over SMTP.
     */
    async sendTransferMessage(input: SendTransferMessageInput): Promise<SendResult> {
      const recipient = await getTransferRecipient(db, input.transferId);
      if (!recipient) throw new NotFound(`transfer ${input.transferId} not found`);
      const toTrust = (TRUST_MESSAGE_KINDS as readonly string[]).includes(input.kind);
      const to = toTrust ? (await trustReviewers(db, recipient.trustOds)).join(', ') : recipient.email;
      const senders = { sms: Boolean(notify?.sendSms) };
      const channel = toTrust ? 'email' : input.after ? fallbackChannel(recipient, senders, input.after) : patientChannels(recipient, senders)[0]!;
      if (!channel) throw new Invalid(`no channel comes after ${input.after} to send ${input.intent} by`, { field: 'after' });
      const byNotify = channel === 'sms' || (channel === 'email' && !toTrust && Boolean(notify?.sendEmail)) || (channel === 'letter' && Boolean(notify?.sendLetter));
      const send = async (): Promise<SendResult> => {
        const claim = await claimMessage(db, {
          transferId: input.transferId,
          intent: input.intent,
          kind: input.kind,
          channel,
          recipient: toTrust ? 'trust' : 'patient',
          trustOds: recipient.trustOds,
          ...(input.respondBy && { respondBy: input.respondBy }),
        });
        if (!claim.claimed) {
          if (claim.message.status === 'sending') {
            await markMessageUnconfirmed(db, claim.message.id, 'an earlier attempt stopped mid-send');
            return 'unconfirmed';
          }
          if (claim.message.status === 'refused') return refused(claim.message);
          return claim.message.status === 'sent' || claim.message.status === 'queued' ? 'already-sent' : 'unconfirmed';
        }

        if (toTrust && !to) {
          // Nobody at the trust has an email address on file: flag it for an operator rather than fail the transfer.
          await markMessageUnconfirmed(db, claim.message.id, `no clinician at ${recipient.trustOds} has an email address on file`);
          return 'unconfirmed';
        }

        // Until the server takes the message nothing has gone: any failure up to then gives the claim
        // back, so a retry may send it.
        const releasing = async <T,>(work: () => Promise<T>): Promise<T> => {
          try {
            return await work();
          } catch (error) {
            await releaseMessage(db, claim.message.id, (error as Error).message);
            throw error;
          }
        };
        const patientData = async (): Promise<PatientMessageData> => ({
          givenName: recipient.givenName,
          trustName: recipient.trustName,
          phone: patientPhone,
          ...(await patientLink({ ...input, kind: input.kind as PatientMessageKind })),
        });
        const data = await releasing(async () => (toTrust ? undefined : await patientData()));
        const content: MessageContent = data
          ? patientMessage(input.kind as PatientMessageKind, data)
          : trustMessage(input.kind as TrustMessageKind, {
              trustName: recipient.trustName,
              pathwayRef: recipient.pathwayRef,
              waitingDays: daysBetween(dayOf(recipient.openedAt), dayOf(now())),
              reviewLink: `${publicBaseUrl}/staff/review`,
            });
        const sent = { intent: input.intent, kind: input.kind, channel };

        if (byNotify) {
          const reference = String(claim.message.id);
          const text = channel === 'sms' ? patientTextMessage(input.kind as PatientMessageKind, data!) : undefined;
          const pdf =
            channel === 'letter'
              ? await releasing(() => renderLetters([{ content, to: addresseeOf(recipient) }], { phone: patientPhone, printedAt: now() }))
              : undefined;
          let receipt: NotifyReceipt;
          try {
            receipt = await (text
              ? notify!.sendSms!({ to: ukMobileOf(recipient.phone)!, body: text.body, reference })
              : pdf
                ? notify!.sendLetter!({ pdf, reference })
                : notify!.sendEmail!({ to: to!, subject: content.subject, body: messageText(content), reference }));
          } catch (error) {
            const failure = error as NotifyError;
            if (failure.refused) return refused(claim.message, failure.detail);
            if (failure.taken === 'no') {
              // Notify's words stay in the outbox row; Temporal, which keeps failures in clear, gets the status alone.
              await releaseMessage(db, claim.message.id, failure.detail);
              throw failure;
            }
            // The request went and no answer came: Notify may have taken it. Sending again could send
            // twice, so a person checks Notify for this reference instead.
            await markMessageUnconfirmed(db, claim.message.id, `${failure.message}: Notify may have taken it; look for reference ${reference}`);
            return 'unconfirmed';
          }
          await markMessageSent(db, claim.message.id, { notifyId: receipt.id }, { ...sent, version: text?.version ?? content.version });
          return 'sent';
        }

        if (channel === 'letter') {
          await releasing(() => queueLetter(db, claim.message.id, content));
          await addTransferEvent(db, input.transferId, 'message.queued', { ...sent, version: content.version });
          return 'queued';
        }
        let smtpMessageId: string;
        try {
          ({ messageId: smtpMessageId } = await mailer.send({
            to: to!,
            subject: content.subject,
            text: messageText(content),
            html: messageHtml(content),
            messageId: `<transfer-${input.transferId}-${input.intent}@backlog-transfer.nhs.test>`,
            outboxId: claim.message.id,
          }));
        } catch (error) {
          if (toTrust || !isPermanentRefusal(error)) {
            await releaseMessage(db, claim.message.id, (error as Error).message);
            throw sendFailure(error);
          }
          // The address bounced (refused for good): the patient gets the same words as a letter instead.
          await queueLetter(db, claim.message.id, content, (error as Error).message);
          await addTransferEvent(db, input.transferId, 'message.bounced', { intent: input.intent, kind: input.kind, version: content.version });
          return 'queued';
        }
        await markMessageSent(db, claim.message.id, { smtpMessageId }, { ...sent, version: content.version });
        return 'sent';
      };
      // An email over SMTP is claimed only once a connection can take it (see Mailer.whenConnectionFree).
      return channel === 'email' && !byNotify ? mailer.whenConnectionFree(send) : send();
    },

    /**
     * Sends a patient's message that Notify could not deliver, for good, again by their next channel,
     * with the same words and a fresh link to the same deadline, as the intent `<intent>:fallback`
     * (so the outbox sends it once). An offer whose deadline has passed is not sent again: its link
     * would not work.
     */
    async sendFallbackMessage(input: { messageId: number }): Promise<FallbackResult> {
      const failed = await failedMessage(db, input.messageId);
      if (!failed) throw new NotFound(`message ${input.messageId} not found`);
      if (!failed.delivery_status || !needsFallback(failed.delivery_status)) {
        throw new Invalid(`message ${input.messageId} has not failed for good (${failed.delivery_status ?? 'no receipt'})`, { field: 'messageId' });
      }
      if (failed.respond_by && failed.respond_by.getTime() <= now().getTime()) return 'too-late';
      return activities.sendTransferMessage({
        transferId: failed.transfer_id,
        intent: `${failed.intent}:fallback`,
        kind: failed.kind as MessageKind,
        ...(failed.respond_by && { respondBy: failed.respond_by.toISOString() }),
        after: failed.channel,
      });
    },
  };
  return activities;
}

/** Where a letter sent through Notify goes: the patient's address as it is now. */
function addresseeOf(recipient: NonNullable<Awaited<ReturnType<typeof getTransferRecipient>>>): LetterAddressee {
  return {
    name: `${recipient.givenName} ${recipient.familyName}`,
    addressLine1: recipient.addressLine1,
    addressLine2: recipient.addressLine2,
    town: recipient.town,
    postcode: recipient.postcode,
  };
}

/**
 * What Temporal is told of a send that failed, to retry it. Temporal keeps failure messages in clear
 * (the codec seals payloads only), and an SMTP server's reply often quotes the recipient ("450 4.2.1
 * <amira.khan@…>: try later"): its words stay in the outbox row, Temporal gets the reply code alone.
 */
function sendFailure(error: unknown): Error {
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
  const why = typeof responseCode === 'number' ? `reply ${responseCode}` : typeof code === 'string' ? code : 'no reply';
  return new Error(`the SMTP server did not take the message (${why}); the message's last_error has its words`);
}

/** An SMTP 5xx reply to the message or its recipient: sending again would be refused again. */
function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
