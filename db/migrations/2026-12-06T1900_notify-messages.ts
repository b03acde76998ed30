import { type Kysely, sql } from 'kysely';

/**
 * The outbox holds text messages, and what GOV.UK Notify calls each message it takes (its
 * notification id), beside the reference we gave it (the message's own id), so a message can be
 * looked up in Notify and Notify's receipts matched to it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages drop constraint messages_channel_check,
            add constraint messages_channel_check check (channel in ('sms', 'email', 'letter'))`.execute(db);
  await db.schema.alterTable('messages').addColumn('notify_id', 'uuid').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('notify_id').execute();
  await sql`alter table messages drop constraint messages_channel_check,
            add constraint messages_channel_check check (channel in ('email', 'letter'))`.execute(db);
}
