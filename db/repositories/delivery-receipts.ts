/**
 * GOV.UK Notify's delivery receipts, recorded on the outbox's messages: each receipt is matched to its
 * message by the reference we gave Notify (the message's id) and checked against Notify's id for it.
 * What is recorded follows domain/delivery.ts, so a receipt repeated or out of order changes nothing.
 */
import { type DeliveryStatus, receiptChanges } from '../../domain/delivery';
import type { Db } from '../database';
import type { MessageChannel, MessageRecipient } from '../schema';
import { audit } from './audit';

export interface DeliveryReceipt {
  /** The reference we gave Notify: the message's id. */
  readonly messageId: number;
  /** Notify's id for the notification. */
  readonly notifyId: string;
  readonly channel: MessageChannel;
  readonly status: DeliveryStatus;
  /** When Notify reached the status. */
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
    if (message.notify_id !== null && message.notify_id !== receipt.notifyId) {
      return { kind: 'mismatch', why: `message ${message.id} is Notify's ${message.notify_id}, not ${receipt.notifyId}` };
    }
    if (message.channel !== receipt.channel) return { kind: 'mismatch', why: `message ${message.id} is ${message.channel === 'sms' ? 'a text message' : `a ${message.channel}`}, not ${receipt.channel}` };
    const about = { id: message.id, transferId: message.transfer_id, intent: message.intent, channel: message.channel, recipient: message.recipient };
    const recorded = message.delivery_status && message.delivery_status_at && { status: message.delivery_status, at: message.delivery_status_at };
    if (!receiptChanges(recorded || null, receipt)) return { kind: 'unchanged', message: { ...about, deliveryStatus: message.delivery_status! } };

    await trx
      .updateTable('messages')
      .set({ delivery_status: receipt.status, delivery_status_at: receipt.at, notify_id: receipt.notifyId })
      .where('id', '=', message.id)
      .execute();
    await audit(trx, {
      actor: 'notify',
      action: 'message.delivery',
      subject: `message:${message.id}`,
      detail: { transferId: message.transfer_id, intent: message.intent, channel: message.channel, status: receipt.status, at: receipt.at.toISOString(), notifyId: receipt.notifyId },
    });
    return { kind: 'recorded', message: { ...about, deliveryStatus: receipt.status } };
  });
}
