import { type Kysely, sql } from 'kysely';

/**
 * What GOV.UK Notify's delivery receipts say of each message it took (its status, and when Notify
 * reached it), and the deadline of the link a patient's message carries, so that a message sent again
 * by another channel after a permanent failure gives a fresh link to the same deadline. The operator's
 * list of messages that did not arrive reads messages_undelivered_idx.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages
            add column delivery_status text check (delivery_status in ('delivered', 'permanent-failure', 'temporary-failure', 'technical-failure')),
            add column delivery_status_at timestamptz,
            add column respond_by timestamptz`.execute(db);
  await sql`create index messages_undelivered_idx on messages (delivery_status_at desc)
            where delivery_status in ('permanent-failure', 'temporary-failure', 'technical-failure')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index messages_undelivered_idx`.execute(db);
  await sql`alter table messages drop column delivery_status, drop column delivery_status_at, drop column respond_by`.execute(db);
}
