import { type Kysely, sql } from 'kysely';

/**
 * A message GOV.UK Notify refused when it was sent (a 400: a number that is not a UK mobile, an
 * address it cannot send to) is 'refused': it did not go and will not be sent again; it failed for
 * good, and the patient is reached by their next channel, as after a permanent-failure receipt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages drop constraint messages_status_check,
            add constraint messages_status_check check (status in ('pending', 'sending', 'queued', 'sent', 'unconfirmed', 'refused'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table messages drop constraint messages_status_check,
            add constraint messages_status_check check (status in ('pending', 'sending', 'queued', 'sent', 'unconfirmed'))`.execute(db);
}
