/**
 * Delivery receipts, recorded on the outbox's messages: GOV.UK Notify's, each matched to its message by
 * the reference we gave Notify (the message's id) and checked against Notify's id for it; and the
 * bounces (DSNs) of email we sent over SMTP, matched by the message's id in the envelope sender they
 * were returned to (emails/bounces.ts). What is recorded follows domain/delivery.ts, so a receipt
 * repeated or out of order changes nothing.
 */
import { sql } from 'kysely';
import { type DeliveryStatus, receiptChanges } from '../../domain/delivery';
import type { Db } from '../database';
import type { MessageChannel, MessageRecipient, MessageStatus } from '../schema';
import { audit } from './audit';

export interface DeliveryReceipt {
  /** The message's id: the reference we gave Notify, or the one in a bounce's address. */
  readonly messageId: number;
  /**
   * Who reports it: GOV.UK Notify, with its id for the notification (none when it refused the message as it was sent, and so gave it none); or the recipient's mail server,
   * by a bounce (a DSN) of an email we sent over SMTP, with the DSN's status code (5.1.1, say).
   */
  readonly source: { readonly by: 'notify'; readonly notifyId: string | null } | { readonly by: 'smtp'; readonly dsnStatus: string };
  readonly channel: MessageChannel;
  readonly status: DeliveryStatus;
  /** When the status was reached (Notify's completed_at, the DSN's last attempt). */
  readonly at: Date;
}

export interface ReceiptMessage {
  readonly id: number;
  readonly transferId: number;
  readonly intent: string;
  readonly channel: MessageChannel;
  readonly recipient: MessageRecipient;
  /** The status on record after the receipt: the receipt's own, or the one it did not change. */
  readonly deliveryStatus: DeliveryStatus;
}

export type ReceiptOutcome =
  | { readonly kind: 'unknown' }
  /** The message by that reference is not the one Notify names (another id, another channel). */
  | { readonly kind: 'mismatch'; readonly why: string }
  | { readonly kind: 'recorded' | 'unchanged'; readonly message: ReceiptMessage };

/**
 * Records a receipt on its message, and audits it, in one transaction: the message row is locked, so
 * two deliveries of a receipt at once are one change. A message whose Notify id was never written (the
 * answer to its send was lost, and it was left unconfirmed) learns it from the receipt.
 */
export async function recordDeliveryReceipt(db: Db, receipt: DeliveryReceipt): Promise<ReceiptOutcome> {
  return db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom('messages')
      .select(['id', 'transfer_id', 'intent', 'channel', 'recipient', 'notify_id', 'delivery_status', 'delivery_status_at'])
      .where('id', '=', receipt.messageId)
      .forUpdate()
      .executeTakeFirst();
    if (!message) return { kind: 'unknown' };
    const { source } = receipt;
    if (source.by === 'notify' && source.notifyId !== null && message.notify_id !== null && message.notify_id !== source.notifyId) {
      return { kind: 'mismatch', why: `message ${message.id} is Notify's ${message.notify_id}, not ${source.notifyId}` };
    }
    if (source.by === 'smtp' && message.notify_id !== null) return { kind: 'mismatch', why: `message ${message.id} went through Notify, not over SMTP` };
    if (message.channel !== receipt.channel) return { kind: 'mismatch', why: `message ${message.id} is ${message.channel === 'sms' ? 'a text message' : `a ${message.channel}`}, not ${receipt.channel}` };
    const about = { id: message.id, transferId: message.transfer_id, intent: message.intent, channel: message.channel, recipient: message.recipient };
    const recorded = message.delivery_status && message.delivery_status_at && { status: message.delivery_status, at: message.delivery_status_at };
    if (!receiptChanges(recorded || null, receipt)) return { kind: 'unchanged', message: { ...about, deliveryStatus: message.delivery_status! } };

    await trx
      .updateTable('messages')
      .set({ delivery_status: receipt.status, delivery_status_at: receipt.at, ...(source.by === 'notify' && source.notifyId !== null && { notify_id: source.notifyId }) })
      .where('id', '=', message.id)
      .execute();
    await audit(trx, {
      actor: source.by === 'notify' ? 'notify' : 'mail-server',
      action: 'message.delivery',
      subject: `message:${message.id}`,
      detail: {
        transferId: message.transfer_id,
        intent: message.intent,
        channel: message.channel,
        status: receipt.status,
        at: receipt.at.toISOString(),
        ...(source.by === 'notify' ? { notifyId: source.notifyId } : { dsnStatus: source.dsnStatus }),
      },
    });
    return { kind: 'recorded', message: { ...about, deliveryStatus: receipt.status } };
  });
}

/** A message that did not reach its recipient, or may not have, for the operator (api/pages/messages). */
export interface UndeliveredMessage {
  readonly id: number;
  readonly transferId: number;
  readonly pathwayRef: string;
  readonly trustOds: string | null;
  readonly intent: string;
  readonly channel: MessageChannel;
  /** The outbox's status: `unconfirmed` when nobody knows whether it went. */
  readonly status: MessageStatus;
  /** What Notify's receipt said; none for an unconfirmed message without one. */
  readonly deliveryStatus: DeliveryStatus | null;
  /** When Notify reached that status, or when the message was made. */
  readonly at: Date;
  readonly notifyId: string | null;
  /** The message sent again by the next channel after a permanent failure, when there is one. */
  readonly fallback: { readonly channel: MessageChannel; readonly status: MessageStatus; readonly deliveryStatus: DeliveryStatus | null } | null;
}

/**
 * The messages an operator must see, newest first: those Notify could not deliver (a permanent,
 * temporary or technical failure), and those the outbox left unconfirmed. No personal data: a person
 * finds the patient from the transfer, and the message in Notify by its reference (its id).
 */
export async function undeliveredMessages(db: Db, limit: number): Promise<UndeliveredMessage[]> {
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('transfers as t', 't.id', 'm.transfer_id')
    .innerJoin('pathways as p', 'p.id', 't.pathway_id')
    .leftJoin('messages as f', (join) => join.onRef('f.transfer_id', '=', 'm.transfer_id').on('f.intent', '=', sql<string>`m.intent || ':fallback'`))
    .select([
      'm.id',
      'm.transfer_id as transferId',
      'p.pathway_ref as pathwayRef',
      'm.trust_ods as trustOds',
      'm.intent',
      'm.channel',
      'm.status',
      'm.delivery_status as deliveryStatus',
      sql<Date>`coalesce(m.delivery_status_at, m.created_at)`.as('at'),
      'm.notify_id as notifyId',
      'f.channel as fallbackChannel',
      'f.status as fallbackStatus',
      'f.delivery_status as fallbackDeliveryStatus',
    ])
    // messages_undelivered_idx's condition, word for word, and the outbox's unconfirmed.
    .where(sql<boolean>`m.delivery_status in ('permanent-failure', 'temporary-failure', 'technical-failure') or m.status = 'unconfirmed'`)
    .orderBy('at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(({ fallbackChannel, fallbackStatus, fallbackDeliveryStatus, ...row }) => ({
    ...row,
    fallback: fallbackChannel && fallbackStatus ? { channel: fallbackChannel, status: fallbackStatus, deliveryStatus: fallbackDeliveryStatus } : null,
  }));
}
