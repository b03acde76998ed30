import { sql } from 'kysely';
import type { Db } from '../database';

export interface AuditEntry {
  /** Who: `staff:<id>`, `patient:offer:<id>` or `system`. */
  readonly actor: string;
  /** What, as a verb phrase: `transfer.start`, `offer.view`, `staff.create`. */
  readonly action: string;
  /** On what: `transfer:<id>`, `pathway:<id>`. */
  readonly subject: string;
  readonly detail?: Record<string, unknown>;
}

/** Every change and every read of personal data is written here (PRODUCT.md §6). */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ actor: entry.actor, action: entry.action, subject: entry.subject, detail: JSON.stringify(entry.detail ?? {}) })
    .execute();
}

export interface AuditFilter {
  readonly actor?: string;
  readonly subject?: string;
  readonly action?: string;
  /** Entries on these days in England, inclusive ('YYYY-MM-DD'). */
  readonly from?: string;
  readonly to?: string;
  /** Only entries older than this one, in the order the search reads them (newest first). */
  readonly before?: AuditPosition;
  readonly limit: number;
}

/** Where an entry sits in the newest-first order: its time to the microsecond (as PostgreSQL writes it), then its id. */
export interface AuditPosition {
  readonly at: string;
  readonly id: number;
}

export interface AuditRow {
  readonly id: number;
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly detail: Record<string, unknown>;
  readonly position: AuditPosition;
}

/**
 * A page of the audit log, newest first, by keyset on (at, id): entries sharing a time are ordered by
 * id, so pages neither repeat nor skip one. Each filter has an index (at, id) behind it
 * (audit_log_actor_idx, …_subject_idx, …_action_idx, and audit_log_at_idx for none).
 */
export async function searchAudit(db: Db, filter: AuditFilter): Promise<AuditRow[]> {
  let query = db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'subject', 'detail', sql<string>`at::text`.as('at_text')])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.from !== undefined) query = query.where('at', '>=', sql<Date>`${filter.from}::date::timestamp at time zone 'Europe/London'`);
  if (filter.to !== undefined) query = query.where('at', '<', sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Europe/London'`);
  if (filter.before !== undefined) query = query.where(sql<boolean>`(at, id) < (${filter.before.at}::timestamptz, ${filter.before.id})`);
  const rows = await query.execute();
  return rows.map(({ at_text, ...row }) => ({ ...row, position: { at: at_text, id: row.id } }));
}
