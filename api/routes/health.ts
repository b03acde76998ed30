import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { AppDeps, AppEnv } from '../context';

const CHECK_TIMEOUT_MS = 3_000;

type CheckName = 'database' | 'temporal' | 'smtp';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.record(z.enum(['database', 'temporal', 'smtp']), z.string()).openapi({
      example: { database: 'ok', temporal: 'ok', smtp: 'ok' },
    }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Whether the database, Temporal and the SMTP server answer',
  responses: {
    200: { description: 'All dependencies answer', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'Something does not answer; its check names the problem', content: { 'application/json': { schema: HealthSchema } } },
  },
});

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return `unavailable: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
    const [database, temporal, smtp] = await Promise.all([
      check(() => sql`select 1`.execute(deps.db)),
      check(() => deps.temporal.connection.workflowService.getSystemInfo({})),
      check(() => deps.mailer.verify()),
    ]);
    const checks: Record<CheckName, string> = { database, temporal, smtp };
    const healthy = Object.values(checks).every((value) => value === 'ok');
    return healthy
      ? c.json({ status: 'ok' as const, checks }, 200)
      : c.json({ status: 'unavailable' as const, checks }, 503);
  });
}
