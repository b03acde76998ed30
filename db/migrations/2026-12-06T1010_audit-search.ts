import { type Kysely, sql } from 'kysely';

/**
 * The admin's audit search (GET /api/v1/audit, /staff/audit) reads newest first by keyset on (at, id),
 * filtered by actor, subject or action: an index for each, so a page costs its own rows however long
 * the log grows, where each search sorted the whole log before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_log_at_idx on audit_log (at, id)`.execute(db);
  await sql`create index audit_log_actor_idx on audit_log (actor, at, id)`.execute(db);
  await sql`create index audit_log_subject_idx on audit_log (subject, at, id)`.execute(db);
  await sql`create index audit_log_action_idx on audit_log (action, at, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['audit_log_at_idx', 'audit_log_actor_idx', 'audit_log_subject_idx', 'audit_log_action_idx']) {
    await sql`drop index ${sql.ref(index)}`.execute(db);
  }
}
