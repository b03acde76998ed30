/**
 * The admin's search of the audit log (GET /api/v1/audit and /staff/audit): by actor, subject, action
 * and days, newest first, a page at a time. The next page is asked for with the opaque cursor the last
 * one gave. Searching is itself audited (the filters, not what was found): the log holds reasons and
 * the trail of who read whose records.
 */
import { z } from 'zod';
import { audit, type AuditPosition, type AuditRow, searchAudit } from '../db/repositories/audit';
import type { StaffUser } from '../db/schema';
import { isoDaySchema } from '../domain/code-schemas';
import { Invalid } from '../domain/failures';
import { staffActor } from './access';
import type { ServiceDeps } from './context';

export const DEFAULT_AUDIT_PAGE = 100;
export const MAX_AUDIT_PAGE = 500;

const term = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const auditQuerySchema = z.object({
  actor: term.optional().describe('who, exactly as logged: staff:12, patient:offer:3, system'),
  subject: term.optional().describe('on what, exactly as logged: transfer:5, booking:9'),
  action: term.optional().describe('what, exactly as logged: transfer.start, codec.decode'),
  from: isoDaySchema.optional().describe('first day (in England), inclusive'),
  to: isoDaySchema.optional().describe('last day (in England), inclusive'),
  cursor: z.string().max(200).optional().describe("the previous page's next, to read on"),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(DEFAULT_AUDIT_PAGE).describe(`entries a page, at most ${MAX_AUDIT_PAGE}`),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

export interface AuditPage {
  readonly entries: readonly Omit<AuditRow, 'position'>[];
  /** The cursor of the next (older) page; null on the last. */
  readonly next: string | null;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

function cursorOf(position: AuditPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

function positionOf(cursor: string): AuditPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof at === 'string' && TIMESTAMP.test(at) && Number.isSafeInteger(id) && (id as number) > 0) return { at, id: id as number };
  } catch {
    // not JSON: refused below
  }
  throw new Invalid('cursor is not one this search gave: start again without it', { field: 'cursor' });
}

export async function searchAuditLog(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, query: AuditQuery): Promise<AuditPage> {
  if (query.from && query.to && query.to < query.from) throw new Invalid(`to (${query.to}) is before from (${query.from})`, { field: 'to' });
  const before = query.cursor === undefined ? undefined : positionOf(query.cursor);
  const { cursor: _cursor, limit, ...filters } = query;
  // One more than the page, to know whether there is a next.
  const rows = await searchAudit(deps.db, { ...filters, before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  await audit(deps.db, { actor: staffActor(staff), action: 'audit.search', subject: 'audit_log', detail: { ...filters, ...(before ? { before: before.id } : {}) } });
  return {
    entries: page.map(({ position: _position, ...entry }) => entry),
    next: rows.length > limit ? cursorOf(page.at(-1)!.position) : null,
  };
}
