import { type Kysely, sql } from 'kysely';

/**
 * Two figures /metrics counts on every scrape, offers sent (a fraction of the outbox, the biggest
 * table) and acceptances, read partial indexes of just those rows instead of their whole tables. Each
 * index gains an entry once per offer sent or acceptance given.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index messages_offers_sent_idx on messages (channel) where intent like 'offer-%' and status in ('sent', 'queued')`.execute(db);
  await sql`create index patient_responses_acceptances_idx on patient_responses (channel) where kind = 'accept'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index patient_responses_acceptances_idx`.execute(db);
  await sql`drop index messages_offers_sent_idx`.execute(db);
}
