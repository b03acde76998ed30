/**
 * Health for an operator and an orchestrator. Live: the process answers (restart it when not). Ready:
 * the database and Temporal answer, so requests can be served (route none to it when not). /health
 * sums up every dependency: the SMTP server being down is `degraded`, not dead, because messages wait
 * in the outbox and their activities retry until it is back.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { AppDeps, AppEnv } from '../context';

const CHECK_TIMEOUT_MS = 3_000;

const CheckSchema = z.string().openapi({ description: '`ok`, or `unavailable: ` and the reason', example: 'ok' });

const LivenessSchema = z.object({ status: z.literal('ok') }).openapi('Liveness');

const ReadinessSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.object({ database: CheckSchema, temporal: CheckSchema }),
  })
  .openapi('Readiness');

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']),
    checks: z.object({ database: CheckSchema, temporal: CheckSchema, smtp: CheckSchema }),
  })
  .openapi('Health', { example: { status: 'degraded', checks: { database: 'ok', temporal: 'ok', smtp: 'unavailable: connect ECONNREFUSED 10.0.0.7:587' } } });

const json = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

const liveRoute = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['operations'],
  summary: 'Whether the process answers (checks no dependency)',
  responses: { 200: json('The process answers', LivenessSchema) },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['operations'],
  summary: 'Whether the database and Temporal answer, so requests can be served',
  responses: {
    200: json('The database and Temporal answer', ReadinessSchema),
    503: json('The database or Temporal does not answer; its check names the problem', ReadinessSchema),
  },
});

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Whether the database, Temporal and the SMTP server answer',
  responses: {
    200: json('The database and Temporal answer: `ok`, or `degraded` when the SMTP server does not (messages wait and are retried)', HealthSchema),
    503: json('The database or Temporal does not answer; its check names the problem', HealthSchema),
  },
});

/** 'ok', or what is wrong. A probe with no deadline of its own is given up on after CHECK_TIMEOUT_MS. */
async function check(probe: () => Promise<unknown>, { ownDeadline = false } = {}): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      ...(ownDeadline
        ? []
        : [
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
            }),
          ]),
    ]);
    return 'ok';
  } catch (error) {
    return `unavailable: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: AppDeps) {
  /** What requests need: without either, nothing can be served. */
  const essentials = async () => {
    const [database, temporal] = await Promise.all([
      check(() => sql`select 1`.execute(deps.db)),
      // The Temporal client retries a call that finds no server, on timers that throw once its connection
      // is closed: bounded by a gRPC deadline and awaited to its end, the probe leaves none behind it
      // (a request still retrying when the process stops would crash its stop).
      check(
        () => {
          const { connection } = deps.temporal;
          return connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => connection.workflowService.getSystemInfo({}));
        },
        { ownDeadline: true },
      ),
    ]);
    return { database, temporal, ready: database === 'ok' && temporal === 'ok' };
  };

  return new OpenAPIHono<AppEnv>()
    .openapi(liveRoute, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyRoute, async (c) => {
      const { ready, ...checks } = await essentials();
      return ready ? c.json({ status: 'ok' as const, checks }, 200) : c.json({ status: 'unavailable' as const, checks }, 503);
    })
    .openapi(healthRoute, async (c) => {
      const [{ ready, ...essential }, smtp] = await Promise.all([essentials(), check(() => deps.mailer.verify())]);
      const checks = { ...essential, smtp };
      if (!ready) return c.json({ status: 'unavailable' as const, checks }, 503);
      return c.json({ status: smtp === 'ok' ? ('ok' as const) : ('degraded' as const), checks }, 200);
    });
}
