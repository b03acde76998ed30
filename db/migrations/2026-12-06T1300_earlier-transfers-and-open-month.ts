import { type Kysely, sql } from 'kysely';

/**
 * A pathway's earlier transfers are read by pathway (the reviewer sees them; a start by hand checks
 * them; the cohort leaves out a pathway with a recent no), where only its open one was indexed: the
 * cohort's anti-join hashed every transfer (0.9 s for 400,000 pathways), and now probes per pathway (6 ms). Claim lines of the month still open are validated and
 * held as `month_open`, so finance sees this month's work; they join a claim once the month ends.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index transfers_pathway_idx on transfers (pathway_id, id)`.execute(db);
  await sql`alter table claim_lines drop constraint claim_lines_status_check`.execute(db);
  await sql`alter table claim_lines add constraint claim_lines_status_check check (status in ('held', 'month_open', 'valid', 'rejected'))`.execute(db);
  await sql`alter table claim_lines drop constraint claim_lines_claimed_when_valid`.execute(db);
  await sql`alter table claim_lines add constraint claim_lines_claimed_when_valid check (claim_id is null or status in ('valid', 'rejected'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update claim_lines set status = 'valid' where status = 'month_open'`.execute(db);
  await sql`alter table claim_lines drop constraint claim_lines_claimed_when_valid`.execute(db);
  await sql`alter table claim_lines add constraint claim_lines_claimed_when_valid check (claim_id is null or status <> 'held')`.execute(db);
  await sql`alter table claim_lines drop constraint claim_lines_status_check`.execute(db);
  await sql`alter table claim_lines add constraint claim_lines_status_check check (status in ('held', 'valid', 'rejected'))`.execute(db);
  await sql`drop index transfers_pathway_idx`.execute(db);
}
