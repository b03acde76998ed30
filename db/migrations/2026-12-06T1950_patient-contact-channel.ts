import { type Kysely, sql } from 'kysely';

/**
 * How the patient asked to be contacted, from their page: a text message, email or a letter. Null
 * until they choose; the channel rule (domain/channels.ts) takes it when their details allow it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('patients')
    .addColumn('contact_channel', 'text', (column) => column.check(sql`contact_channel in ('sms', 'email', 'letter')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('patients').dropColumn('contact_channel').execute();
}
