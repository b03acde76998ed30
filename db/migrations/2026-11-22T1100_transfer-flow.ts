import { type Kysely, sql } from 'kysely';

/**
 * The transfer flow (PRODUCT.md §3 steps 4–9): screening results, clinical reviews, the choices an
 * offer is made of, the patient's responses, call-back tasks, bookings, outcomes, and the funds that
 * pay with the first movements of their ledger (commitments and releases; claims come later).
 * What must never be wrong is a constraint here: one live booking per slot and per transfer, one
 * review and one outcome per transfer, consent on every acceptance, money in whole pence.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('screening_results')
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    .addColumn('site_ods', 'text', (col) => col.notNull().references('sites.ods_code'))
    .addColumn('passes', 'boolean', (col) => col.notNull())
    // [{ criterion, reason }] when the patient fails the site's criteria.
    .addColumn('exclusions', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('screened_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('screening_results_pk', ['transfer_id', 'site_ods'])
    .execute();

  await db.schema
    .createTable('clinical_reviews')
    .addColumn('transfer_id', 'bigint', (col) => col.primaryKey().references('transfers.id'))
    .addColumn('decision', 'text', (col) => col.notNull().check(sql`decision in ('confirmed', 'refused')`))
    .addColumn('reason', 'text')
    .addColumn('reviewer', 'text', (col) => col.notNull())
    .addColumn('decided_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('clinical_reviews_refusal_has_reason', sql`decision = 'confirmed' or length(trim(reason)) > 0`)
    .execute();

  await db.schema
    .createTable('funds')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('allocation_pence', 'bigint', (col) => col.notNull().check(sql`allocation_pence > 0`))
    .addColumn('window_from', 'date', (col) => col.notNull())
    .addColumn('window_to', 'date', (col) => col.notNull())
    .addColumn('region_code', 'text', (col) => col.references('regions.code'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('funds_window_ordered', sql`window_to >= window_from`)
    .execute();

  await db.schema
    .createTable('offer_choices')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    // Each offer (the first, and any after a slot was taken or a provider said no) is a round.
    .addColumn('round', 'integer', (col) => col.notNull().check(sql`round > 0`))
    .addColumn('rank', 'integer', (col) => col.notNull().check(sql`rank between 1 and 5`))
    .addColumn('site_ods', 'text', (col) => col.notNull().references('sites.ods_code'))
    .addColumn('earliest_date', 'date', (col) => col.notNull())
    .addColumn('distance_miles', sql`numeric(6, 1)`, (col) => col.notNull().check(sql`distance_miles >= 0`))
    .addColumn('price_pence', 'integer', (col) => col.notNull().check(sql`price_pence > 0`))
    .addColumn('price_source', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('offer_choices_rank_unique', ['transfer_id', 'round', 'rank'])
    .addUniqueConstraint('offer_choices_site_unique', ['transfer_id', 'round', 'site_ods'])
    .execute();

  await db.schema
    .createTable('patient_responses')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    // The workflow's own id for the response, so recording it again (a retried activity) adds nothing.
    .addColumn('response_key', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('accept', 'decline', 'callback', 'withdraw')`))
    .addColumn('channel', 'text', (col) => col.notNull().check(sql`channel in ('web', 'phone', 'letter')`))
    // Which wording the patient was shown: consent is to the words on the page at the time.
    .addColumn('wording_version', 'text', (col) => col.notNull())
    .addColumn('round', 'integer')
    .addColumn('site_ods', 'text', (col) => col.references('sites.ods_code'))
    .addColumn('slot_id', 'bigint', (col) => col.references('slots.id'))
    .addColumn('consent_transfer_of_care', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('consent_share_records', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('reason', 'text')
    .addColumn('responded_at', 'timestamptz', (col) => col.notNull())
    .addColumn('recorded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('patient_responses_key_unique', ['transfer_id', 'response_key'])
    // No booking without recorded consent (PRODUCT.md §4): an acceptance carries both consents.
    .addCheckConstraint(
      'patient_responses_acceptance_consented',
      sql`kind <> 'accept' or (consent_transfer_of_care and consent_share_records and site_ods is not null and slot_id is not null)`,
    )
    .execute();

  await db.schema
    .createTable('callback_tasks')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    .addColumn('trust_ods', 'text', (col) => col.notNull().references('trusts.ods_code'))
    .addColumn('response_key', 'text', (col) => col.notNull())
    .addColumn('requested_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('done_at', 'timestamptz')
    .addColumn('done_by', 'text')
    .addUniqueConstraint('callback_tasks_once_per_request', ['transfer_id', 'response_key'])
    .execute();
  await sql`create index callback_tasks_open_idx on callback_tasks (trust_ods, requested_at) where done_at is null`.execute(db);

  await db.schema
    .createTable('bookings')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    .addColumn('slot_id', 'bigint', (col) => col.notNull().references('slots.id'))
    .addColumn('site_ods', 'text', (col) => col.notNull().references('sites.ods_code'))
    .addColumn('fund_id', 'bigint', (col) => col.notNull().references('funds.id'))
    .addColumn('procedure_date', 'date', (col) => col.notNull())
    // The price agreed at booking, kept with its source so later price changes rewrite nothing.
    .addColumn('price_pence', 'integer', (col) => col.notNull().check(sql`price_pence > 0`))
    .addColumn('price_source', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('held', 'requested', 'accepted', 'rejected', 'released', 'cancelled', 'completed')`),
    )
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // A slot is booked by at most one patient, and a transfer holds at most one booking at a time (PRODUCT.md §4).
  await sql`create unique index bookings_one_per_slot on bookings (slot_id)
            where status in ('held', 'requested', 'accepted', 'completed')`.execute(db);
  await sql`create unique index bookings_one_live_per_transfer on bookings (transfer_id)
            where status in ('held', 'requested', 'accepted')`.execute(db);
  await db.schema.createIndex('bookings_site_status_idx').on('bookings').columns(['site_ods', 'status', 'procedure_date']).execute();

  await db.schema
    .createTable('fund_movements')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('fund_id', 'bigint', (col) => col.notNull().references('funds.id'))
    .addColumn('booking_id', 'bigint', (col) => col.references('bookings.id'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('commitment', 'release', 'claim', 'payment')`))
    .addColumn('amount_pence', 'bigint', (col) => col.notNull().check(sql`amount_pence > 0`))
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // A booking's money is committed once and released once, however often the activity is retried.
  await sql`create unique index fund_movements_once_per_booking on fund_movements (booking_id, kind)
            where kind in ('commitment', 'release')`.execute(db);
  await db.schema.createIndex('fund_movements_fund_idx').on('fund_movements').columns(['fund_id', 'at']).execute();

  await db.schema
    .createTable('outcomes')
    .addColumn('transfer_id', 'bigint', (col) => col.primaryKey().references('transfers.id'))
    .addColumn('booking_id', 'bigint', (col) => col.notNull().unique().references('bookings.id'))
    .addColumn('outcome', 'text', (col) => col.notNull().check(sql`outcome in ('treated', 'did_not_attend', 'cancelled')`))
    .addColumn('procedure_code', 'text', (col) => col.references('procedures.code'))
    .addColumn('treated_on', 'date')
    .addColumn('reason', 'text')
    .addColumn('recorded_by', 'text', (col) => col.notNull())
    .addColumn('recorded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // Only treated is paid for, and a claim needs the procedure and its date (PRODUCT.md §3.9).
    .addCheckConstraint(
      'outcomes_treated_coded',
      sql`outcome <> 'treated' or (procedure_code is not null and treated_on is not null)`,
    )
    .execute();

  await db.schema
    .alterTable('transfers')
    .addColumn('fund_id', 'bigint', (col) => col.references('funds.id'))
    // The days the transfer's offers are for (the campaign's period, or the fund's window).
    .addColumn('offer_from', 'date')
    .addColumn('offer_to', 'date')
    .execute();
  await sql`alter table transfers add constraint transfers_offer_period_ordered check (offer_to >= offer_from)`.execute(db);
  await db.schema.createIndex('transfers_state_idx').on('transfers').columns(['state', 'closed_at']).execute();

  await sql`alter table messages drop constraint messages_status_check`.execute(db);
  // A letter is 'queued' for the trust's print batch until the batch is downloaded ('sent').
  await sql`alter table messages add constraint messages_status_check
            check (status in ('pending', 'sending', 'queued', 'sent', 'unconfirmed'))`.execute(db);
  await db.schema
    .alterTable('messages')
    .addColumn('recipient', 'text', (col) => col.notNull().defaultTo('patient').check(sql`recipient in ('patient', 'trust')`))
    // A letter's content (the same as the email's), kept until its print batch is downloaded.
    .addColumn('letter', 'jsonb')
    .addColumn('trust_ods', 'text', (col) => col.references('trusts.ods_code'))
    .execute();
  await sql`create index messages_print_queue_idx on messages (trust_ods, created_at) where status = 'queued'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('recipient').dropColumn('letter').dropColumn('trust_ods').execute();
  await sql`alter table messages drop constraint messages_status_check`.execute(db);
  await sql`alter table messages add constraint messages_status_check
            check (status in ('pending', 'sending', 'sent', 'unconfirmed'))`.execute(db);
  await db.schema.dropIndex('transfers_state_idx').execute();
  await db.schema.alterTable('transfers').dropColumn('fund_id').dropColumn('offer_from').dropColumn('offer_to').execute();
  for (const table of [
    'outcomes',
    'fund_movements',
    'bookings',
    'callback_tasks',
    'patient_responses',
    'offer_choices',
    'funds',
    'clinical_reviews',
    'screening_results',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
