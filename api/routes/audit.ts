/** The audit log for admins, as JSON: searched by actor, subject, action and days, newest first, by keyset (services/audit.ts). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { auditQuerySchema, searchAuditLog } from '../../services/audit';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ErrorSchema, validationHook } from '../openapi';

const EntrySchema = z.object({
  id: z.number().int(),
  at: z.string().openapi({ example: '2026-12-06T09:15:00.123Z' }),
  actor: z.string().openapi({ example: 'staff:12' }),
  action: z.string().openapi({ example: 'transfer.start' }),
  subject: z.string().openapi({ example: 'pathway:3' }),
  detail: z.record(z.string(), z.unknown()),
});

const AuditPageSchema = z
  .object({
    entries: z.array(EntrySchema).openapi({ description: 'Newest first' }),
    next: z.string().nullable().openapi({ description: 'Pass as cursor, with the same filters, for the next (older) page; null on the last' }),
  })
  .openapi('AuditPage');

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'searchAuditLog',
  tags: ['audit'],
  summary: 'Search the audit log by actor, subject, action and days, newest first, a page at a time; admins only',
  description: 'Each search is itself written to the audit log (its filters).',
  security: [{ bearer: [] }],
  request: { query: auditQuerySchema },
  responses: {
    200: { description: 'A page of entries', content: { 'application/json': { schema: AuditPageSchema } } },
    400: { description: 'A malformed parameter, named', content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: 'The days are backwards, or the cursor is not one this search gave', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

export function auditRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('admin'));
  app.openapi(route, async (c) => {
    const page = await searchAuditLog(deps, c.get('staff'), c.req.valid('query'));
    return c.json({ entries: page.entries.map((entry) => ({ ...entry, at: entry.at.toISOString() })), next: page.next }, 200);
  });
  return app;
}
