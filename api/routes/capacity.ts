/** IS capacity as JSON: free and booked slots by site, treatment function and ISO week, in the caller's scope (services/capacity.ts). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { capacityInScope, capacityQuerySchema } from '../../services/capacity';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ErrorSchema, validationHook } from '../openapi';

const WeekSchema = z.object({
  siteOds: z.string().openapi({ example: 'NT350' }),
  siteName: z.string(),
  providerOds: z.string(),
  treatmentFunctionCode: z.string().openapi({ example: '110' }),
  treatmentFunctionName: z.string(),
  week: z.string().openapi({ example: '2026-W50', description: 'ISO week' }),
  weekStart: z.string().openapi({ example: '2026-12-07', description: 'its Monday' }),
  slots: z.number().int(),
  booked: z.number().int().openapi({ description: 'slots under a live booking: held, requested, accepted or completed' }),
  free: z.number().int(),
});

const CapacitySchema = z
  .object({
    from: z.string().openapi({ example: '2026-11-30' }),
    to: z.string().openapi({ example: '2027-02-21' }),
    weeks: z.array(WeekSchema).openapi({ description: 'By week, then site name, then treatment function' }),
  })
  .openapi('Capacity');

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getCapacity',
  tags: ['capacity'],
  summary: "Free and booked IS slots by site, specialty and ISO week: a provider's own sites, every site for regional teams and admins",
  security: [{ bearer: [] }],
  request: { query: capacityQuerySchema },
  responses: {
    200: { description: 'The capacity of the period', content: { 'application/json': { schema: CapacitySchema } } },
    400: { description: 'A malformed parameter, named', content: { 'application/json': { schema: ErrorSchema } } },
    404: { description: 'No such site among yours', content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: 'The period is backwards or too long', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

export function capacityRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('regional', 'provider', 'admin'));
  app.openapi(route, async (c) => {
    const report = await capacityInScope(deps, c.get('staff'), c.req.valid('query'));
    return c.json({ ...report, weeks: [...report.weeks] }, 200);
  });
  return app;
}
