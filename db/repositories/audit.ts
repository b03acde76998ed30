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
