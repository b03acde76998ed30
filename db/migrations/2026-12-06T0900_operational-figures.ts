import { type Kysely, sql } from 'kysely';

/**
 * The two figures /metrics counts over the biggest tables read small indexes instead: offers sent
 * (a quarter to a third of the outbox) and acceptances (a third of the responses), each an index-only
 * scan of just those rows. Each index gains an entry once per offer sent or acceptance given.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index messages_offers_sent_idx on messages (channel) where intent like 'offer-%' and status in ('sent', 'queued')`.execute(db);
  await sql`create index patient_responses_acceptances_idx on patient_responses (channel) where kind = 'accept'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index patient_responses_acceptances_idx`.execute(db);
  await sql`drop index messages_offers_sent_idx`.execute(db);
}
