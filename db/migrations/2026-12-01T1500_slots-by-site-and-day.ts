import { type Kysely, sql } from 'kysely';

/**
 * Slots in the order an offer reads them: a site's slots for a treatment function, by day, then the
 * day's own order. Offers and holds read a site's first free days from it and stop there, where they
 * read and ranked every slot of the period before: 16 ms an offer with 7,000 free slots, growing with
 * the capacity a campaign has.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index slots_site_day_idx on slots (site_ods, treatment_function_code, slot_date, ordinal, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index slots_site_day_idx`.execute(db);
}
