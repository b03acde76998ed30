/**
 * The audit search page for admins (/staff/audit), mounted inside the staff pages behind their sign-in:
 * the same search as GET /api/v1/audit (services/audit.ts). A filter that is wrong shows the form again
 * with what is wrong at its field.
 */
import { Hono } from 'hono';
import { DomainError } from '../../../domain/failures';
import { auditQuerySchema, searchAuditLog } from '../../../services/audit';
import { requireRole } from '../../auth';
import type { AppDeps, AppEnv } from '../../context';
import { statusOf } from '../../errors';
import { AUDIT_FIELDS, type AuditFilterValues, AuditPage } from './views';

export function auditPages(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/audit', requireRole('admin'), async (c) => {
    const staff = c.get('staff');
    // An empty box is no filter.
    const query = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value.trim() !== ''));
    const values: AuditFilterValues = Object.fromEntries(AUDIT_FIELDS.map((field) => [field.name, query[field.name]]));
    const parsed = auditQuerySchema.safeParse(query);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => {
        const field = String(issue.path[0]);
        const label = AUDIT_FIELDS.find((candidate) => candidate.name === field)?.label ?? field;
        return { field, message: `${label}: ${issue.message}` };
      });
      return c.html(<AuditPage staff={staff} values={values} errors={errors} />, 400);
    }
    try {
      const page = await searchAuditLog(deps, staff, parsed.data);
      const { cursor: _cursor, ...filters } = query;
      const nextHref = page.next === null ? undefined : `/staff/audit?${new URLSearchParams({ ...filters, cursor: page.next })}`;
      return c.html(<AuditPage staff={staff} values={values} page={page} nextHref={nextHref} />);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return c.html(<AuditPage staff={staff} values={values} errors={[{ field: error.field ?? 'actor', message: error.message }]} />, statusOf(error));
    }
  });
  return app;
}
