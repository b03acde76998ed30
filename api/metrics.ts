/**
 * GET /metrics for Prometheus: this process's HTTP requests by route pattern and status with their
 * latency, Node's own process metrics, and the business figures, read from PostgreSQL at scrape time
 * (db/repositories/operational-figures.ts) so every process reports the same, whatever ran where. One
 * registry per app, so apps in one process (tests) never share series. The Temporal worker's own
 * metrics are the SDK's exporter's (temporal/runtime.ts), not here.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { readOperationalFigures, type OperationalFigures } from '../db/repositories/operational-figures';
import { BOOKING_STATUSES, CLAIM_STATUSES, MESSAGE_CHANNELS, RESPONSE_CHANNELS } from '../db/schema';
import { UNDELIVERED_STATUSES } from '../domain/delivery';
import { TRANSFER_STATES } from '../domain/transfer';
import type { AppDeps, AppEnv } from './context';
import { bearerToken, sameSecret } from './auth';
import { errorBody } from './errors';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

type Labels = Record<string, string>;

export function createMetrics(deps: Pick<AppDeps, 'db' | 'log' | 'metricsToken'>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests to this process by method, route pattern and status, and how long each took to answer, in seconds.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });

  /** Times every request, labelled with its route's pattern (`/offer/:token`), never its path, which may hold a secret. */
  const measure: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      requests.observe(
        { method: METHODS.has(c.req.method) ? c.req.method : 'other', route: routeOf(c), status: String(c.res.status) },
        (performance.now() - started) / 1_000,
      );
    }
  };

  // Every gauge of a scrape shares one read; a failed read leaves them empty and says why in the log.
  let reading: Promise<OperationalFigures | undefined> | undefined;
  const figures = () =>
    (reading ??= readOperationalFigures(deps.db)
      .catch((error: unknown) => {
        deps.log.warn({ err: error }, 'metrics: the business figures could not be read');
        return undefined;
      })
      .finally(() => {
        reading = undefined;
      }));
  const gauge = (name: string, help: string, labelNames: readonly string[], values: (figures: OperationalFigures) => [Labels, number][]) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const read = await figures();
        this.reset();
        for (const [labels, value] of read ? values(read) : []) this.set(labels, value);
      },
    });
  /** Every known label value, zero where there are no rows, so a series exists before its first event. */
  const byLabel = <K extends string>(label: string, keys: readonly K[], rows: readonly { key: K; value: number }[]): [Labels, number][] =>
    keys.map((key) => [{ [label]: key }, rows.filter((row) => row.key === key).reduce((sum, row) => sum + row.value, 0)]);

  gauge('backlog_transfers', 'Transfers in each state, open or closed.', ['state'], (read) =>
    byLabel('state', TRANSFER_STATES, read.transfersByState.map((row) => ({ key: row.state, value: row.count }))),
  );
  gauge('backlog_offers_sent', 'Offers sent to patients, every round: texts and emails their server took, letters queued for or sent to print.', ['channel'], (read) =>
    byLabel('channel', MESSAGE_CHANNELS, read.offersSentByChannel.map((row) => ({ key: row.channel, value: row.count }))),
  );
  gauge('backlog_acceptances', 'Acceptances patients gave (a hospital and date, with both consents), every round, by how they answered.', ['channel'], (read) =>
    byLabel('channel', RESPONSE_CHANNELS, read.acceptancesByChannel.map((row) => ({ key: row.channel, value: row.count }))),
  );
  gauge(
    'backlog_messages_undelivered',
    "Messages GOV.UK Notify could not deliver, by channel and its receipt's status (a permanent failure is sent again by the patient's next channel; the last, a letter, is not).",
    ['channel', 'status'],
    (read) =>
      MESSAGE_CHANNELS.flatMap((channel) =>
        UNDELIVERED_STATUSES.map((status): [Labels, number] => [
          { channel, status },
          read.undeliveredByChannel.find((row) => row.channel === channel && row.status === status)?.count ?? 0,
        ]),
      ),
  );
  gauge('backlog_bookings', 'Bookings in each status.', ['status'], (read) =>
    byLabel('status', BOOKING_STATUSES, read.bookingsByStatus.map((row) => ({ key: row.status, value: row.count }))),
  );
  gauge('backlog_claims', 'Claims in each status.', ['status'], (read) =>
    byLabel('status', CLAIM_STATUSES, read.claimsByStatus.map((row) => ({ key: row.status, value: row.count }))),
  );
  gauge('backlog_claims_pence', 'Total of the claims in each status, in pence.', ['status'], (read) =>
    byLabel('status', CLAIM_STATUSES, read.claimsByStatus.map((row) => ({ key: row.status, value: row.pence }))),
  );
  const fundGauge = (figure: 'allocationPence' | 'committedPence' | 'claimedPence' | 'paidPence', name: string, help: string) =>
    gauge(name, help, ['fund'], (read) => read.funds.map((fund) => [{ fund: String(fund.fundId) }, fund[figure]]));
  fundGauge('allocationPence', 'backlog_fund_allocation_pence', "Each fund's allocation, in pence.");
  fundGauge('committedPence', 'backlog_fund_committed_pence', 'Money of each fund committed to bookings and not yet released or claimed, in pence.');
  fundGauge('claimedPence', 'backlog_fund_claimed_pence', 'Money of each fund claimed for treated patients, less rejected claims (paid is part of it), in pence.');
  fundGauge('paidPence', 'backlog_fund_paid_pence', 'Money of each fund paid to providers, in pence.');

  const routes = new Hono<AppEnv>().get('/metrics', async (c) => {
    if (deps.metricsToken && !sameSecret(bearerToken(c), deps.metricsToken)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(errorBody('unauthorized', 'metrics need the bearer token set as METRICS_TOKEN'), 401);
    }
    return c.text(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });

  return { measure, routes };
}

/**
 * The pattern of the endpoint the request was for (so a refusal by auth middleware counts against its
 * endpoint), else of the middleware that answered (static files, not found: `/api/*`).
 */
function routeOf(c: Context): string {
  return matchedRoutes(c).findLast((route) => route.method !== 'ALL')?.path ?? routePath(c);
}
