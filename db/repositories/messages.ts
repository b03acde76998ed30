import { sql } from 'kysely';
import type { Db } from '../database';
import type { MessageContent } from '../../emails/templates';
import type { Message, MessageChannel, MessageRecipient } from '../schema';

/**
 * The outbox. A message is one row per (transfer, intent); sending claims the row (pending → sending)
 * so a retried or duplicated activity finds it claimed or sent and sends nothing.
 */
export async function claimMessage(
  db: Db,
  message: { transferId: number; intent: string; kind: string; channel: MessageChannel; recipient: MessageRecipient; trustOds: string; respondBy?: string },
): Promise<{ claimed: true; message: Message } | { claimed: false; message: Message }> {
  // New, or given back after a failed attempt: claimed in the one statement.
  const claimed = await db
    .insertInto('messages')
    .values({
      transfer_id: message.transferId,
      intent: message.intent,
      kind: message.kind,
      channel: message.channel,
      recipient: message.recipient,
      trust_ods: message.trustOds,
      respond_by: message.respondBy ? new Date(message.respondBy) : null,
      status: 'sending',
      attempts: 1,
    })
    .onConflict((oc) =>
      oc
        .columns(['transfer_id', 'intent'])
        .doUpdateSet({ status: 'sending', attempts: sql`messages.attempts + 1` })
        .where('messages.status', '=', 'pending'),
    )
    .returningAll()
    .executeTakeFirst();
  if (claimed) return { claimed: true, message: claimed };
  const current = await db
    .selectFrom('messages')
    .selectAll()
    .where('transfer_id', '=', message.transferId)
    .where('intent', '=', message.intent)
    .executeTakeFirstOrThrow();
  return { claimed: false, message: current };
}

/**
 * The server took the message (an SMTP server, by its Message-ID; GOV.UK Notify, by its notification
 * id): it is sent, and the transfer's timeline says so (one statement, so never one without the other).
 */
export async function markMessageSent(
  db: Db,
  id: number,
  taken: { smtpMessageId: string } | { notifyId: string },
  detail: Record<string, unknown>,
): Promise<void> {
  const smtpMessageId = 'smtpMessageId' in taken ? taken.smtpMessageId : null;
  const notifyId = 'notifyId' in taken ? taken.notifyId : null;
  await sql`
    with sent as (
      update messages set status = 'sent', sent_at = now(), smtp_message_id = ${smtpMessageId}, notify_id = ${notifyId}::uuid, last_error = null
      where id = ${id}
      returning transfer_id)
    insert into transfer_events (transfer_id, kind, detail) select transfer_id, 'message.sent', ${JSON.stringify(detail)}::jsonb from sent`.execute(db);
}

/** The send failed before the server took the message: it may be tried again. */
export async function releaseMessage(db: Db, id: number, error: string): Promise<void> {
  await db.updateTable('messages').set({ status: 'pending', last_error: error }).where('id', '=', id).execute();
}

/**
 * The message cannot be known to have gone: an earlier attempt claimed it and never came back (it
 * may or may not have reached the server), or there is nobody to send it to. Sending again could send
 * twice, so it is left for a person to check instead.
 */
export async function markMessageUnconfirmed(db: Db, id: number, why: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status: 'unconfirmed', last_error: why })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** GOV.UK Notify refused the message (a 400): it did not go, and sending it again would be refused again. Notify's words are kept. */
export async function markMessageRefused(db: Db, id: number, why: string): Promise<void> {
  await db.updateTable('messages').set({ status: 'refused', last_error: why }).where('id', '=', id).where('status', '=', 'sending').execute();
}

/**
 * A letter waits, with its content, for the trust's next print batch: a message that was always a
 * letter, or an email the patient's server refused for good (the reason is kept).
 */
export async function queueLetter(db: Db, id: number, content: MessageContent, bounce: string | null = null): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status: 'queued', channel: 'letter', letter: JSON.stringify(content), last_error: bounce })
    .where('id', '=', id)
    .execute();
}

/** A message as a fallback after it reads it: what it was, by which channel, and what Notify said of it. */
export async function failedMessage(db: Db, id: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'transfer_id', 'intent', 'kind', 'channel', 'respond_by', 'delivery_status'])
    .where('id', '=', id)
    .executeTakeFirst();
}
