import { type Kysely, sql } from 'kysely';

/**
 * A launch remembers what was asked (the launch as checked, without dryRun) and the Idempotency-Key it
 * came with, so a retried launch finds its campaign instead of making a second (issue 15, item 7). A
 * key belongs to its launcher; the same launch cannot run twice at once, which the partial index holds
 * under any concurrency. Campaigns launched before carry no request and are never matched.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table campaigns add column launch_request jsonb, add column idempotency_key text`.execute(db);
  await sql`create unique index campaigns_idempotency_key_idx on campaigns (launched_by, idempotency_key) where idempotency_key is not null`.execute(db);
  await sql`create unique index campaigns_open_launch_idx on campaigns (md5(launch_request::text)) where status in ('running', 'paused') and launch_request is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index campaigns_open_launch_idx`.execute(db);
  await sql`drop index campaigns_idempotency_key_idx`.execute(db);
  await sql`alter table campaigns drop column launch_request, drop column idempotency_key`.execute(db);
}
