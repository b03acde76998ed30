import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { StaffUser } from '../../db/schema';
import { WAIT_BANDS } from '../../domain/rtt';
import { shortfallQueryFrom, type ShortfallQuery, type ShortfallQueryInput, shortfallQuerySchema, shortfallReport } from '../../reports/shortfall';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { ErrorSchema, validationHook } from '../openapi';

/** The query a caller may run: a regional team is held to its own region. */
export function scopedShortfallQuery(staff: StaffUser, input: ShortfallQueryInput): ShortfallQuery {
  if (staff.role === 'regional' && input.region && input.region !== staff.region_code) {
    throw new ApiError(403, 'forbidden', `you see region ${staff.region_code} only`);
  }
  return shortfallQueryFrom(staff.role === 'regional' ? { ...input, region: staff.region_code ?? undefined } : input, new Date());
}

const LineSchema = z.object({
  trustOds: z.string(),
  trustName: z.string(),
  treatmentFunctionCode: z.string(),
  treatmentFunctionName: z.string(),
  contracted: z.number(),
  delivered: z.number(),
  shortfall: z.number(),
  shortfallPercent: z.number(),
  missed: z.boolean(),
});

const ReportSchema = z
  .object({
    region: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    tolerance: z.number(),
    asOf: z.string(),
    lines: z.array(LineSchema),
    trusts: z.array(
      z.object({
        trustOds: z.string(),
        trustName: z.string(),
        waiting: z.number(),
        weeksWaited: z.record(z.string(), z.number()).openapi({ example: Object.fromEntries(WAIT_BANDS.map((band) => [band.label, 0])) }),
      }),
    ),
  })
  .openapi('ShortfallReport');

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listShortfalls',
  tags: ['shortfalls'],
  summary: 'Which trusts missed their contracted elective volume, worst first',
  security: [{ bearer: [] }],
  request: { query: shortfallQuerySchema },
  responses: {
    200: { description: 'The shortfall report', content: { 'application/json': { schema: ReportSchema } } },
    403: { description: 'Outside your region', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

export function shortfallRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('regional', 'finance', 'admin'));
  app.openapi(route, async (c) => {
    const query = scopedShortfallQuery(c.get('staff'), c.req.valid('query'));
    const report = await shortfallReport(deps.db, query);
    return c.json(
      {
        region: query.regionCode ?? null,
        from: query.from,
        to: query.to,
        tolerance: query.tolerance,
        asOf: query.asOf,
        lines: [...report.lines],
        trusts: [...report.trusts],
      },
      200,
    );
  });
  return app;
}
