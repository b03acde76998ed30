/**
 * The HTTP application: JSON API under /api/v1 (OpenAPI at /openapi.json, docs at /docs), patient
 * pages under /offer, the dev mailbox, and the NHS.UK design system's assets. Built from injected
 * services so tests call app.request() with no server.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { isDatabaseUnavailable } from '../db/database';
import { DomainError, Unavailable } from '../domain/failures';
import { limitBody } from './body-limit';
import type { AppDeps, AppEnv } from './context';
import { ApiError, errorBody, errorResponse, retryAfterUnavailable } from './errors';
import { documentStaffErrors } from './openapi';
import { errorPage } from './pages/error';
import { designSystemAssets } from './pages/design-system';
import { ASSETS } from './pages/layout';
import { auditRoutes } from './routes/audit';
import { bookingRoutes } from './routes/bookings';
import { callbackRoutes } from './routes/callbacks';
import { campaignRoutes } from './routes/campaigns';
import { capacityRoutes } from './routes/capacity';
import { claimRoutes } from './routes/claims';
import { codecRoutes } from './routes/codec';
import { devMailboxPages } from './pages/mailbox/routes';
import { docsPages } from './pages/docs/routes';
import { fundRoutes } from './routes/funds';
import { healthRoutes } from './routes/health';
import { importRoutes } from './routes/imports';
import { notifyReceiptRoutes } from './routes/notify-receipts';
import { createMetrics } from './metrics';
import { offerPages, offerShortLinks } from './pages/offer/routes';
import { infoPages } from './pages/info/routes';
import { printBatchRoutes } from './routes/print-batches';
import { shortfallRoutes } from './routes/shortfalls';
import { staffPages } from './pages/staff/routes';
import { transferRoutes } from './routes/transfers';

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const metrics = createMetrics(deps);

  app.use('*', metrics.measure);
  app.use('*', retryAfterUnavailable);
  app.use(
    '*',
    secureHeaders({
      referrerPolicy: 'no-referrer',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        fontSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI on /docs sets inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameSrc: ["'self'"],
      },
    }),
  );
  // JSON bodies and page forms are small; imports stream files of any size and count their own bytes.
  const bodyLimit = limitBody(deps.maxBodyBytes);
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/v1/imports/') ? next() : bodyLimit(c, next)));

  app.route('/', healthRoutes(deps));
  app.route('/', metrics.routes);
  app.route('/api/v1/transfers', transferRoutes(deps));
  app.route('/api/v1/bookings', bookingRoutes(deps));
  app.route('/api/v1/callbacks', callbackRoutes(deps));
  app.route('/api/v1/funds', fundRoutes(deps));
  app.route('/api/v1/claims', claimRoutes(deps));
  app.route('/api/v1/campaigns', campaignRoutes(deps));
  app.route('/api/v1/print-batches', printBatchRoutes(deps));
  app.route('/api/v1/imports', importRoutes(deps));
  app.route('/api/v1/shortfalls', shortfallRoutes(deps));
  app.route('/api/v1/capacity', capacityRoutes(deps));
  app.route('/api/v1/audit', auditRoutes(deps));
  app.route('/codec', codecRoutes(deps));
  // Without the token no receipt could be told from a forgery: the route is not there (404). Not a
  // 503: that says "try again", and Notify would, to no end; nor would it tell a prober the route exists.
  if (deps.notifyCallbackToken) app.route('/callbacks', notifyReceiptRoutes(deps, deps.notifyCallbackToken));
  app.route('/offer', offerPages(deps));
  app.route('/o', offerShortLinks());
  app.route('/', infoPages(deps));
  app.route('/staff', staffPages(deps));
  if (deps.devMailbox) app.route('/dev/mailbox', devMailboxPages(deps));

  app.route(ASSETS, designSystemAssets());

  documentStaffErrors(app.openAPIRegistry);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Backlog Transfer API',
      version: '1',
      description: 'Moves waiting NHS patients, with their consent, to independent-sector capacity the centre underwrites.',
    },
  });
  app.route('/docs', docsPages());

  const isApiPath = (path: string) => /^\/(api|codec|callbacks)\//.test(path);
  app.notFound((c) =>
    isApiPath(c.req.path)
      ? c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404)
      : errorPage(c, new ApiError(404, 'not_found', 'If you typed the web address, check it is correct. If you pasted it, check you copied all of it.')),
  );
  app.onError((thrown, c) => {
    // PostgreSQL restarting is a moment to wait out, not a fault: a 503 that says to try again.
    const unavailable = isDatabaseUnavailable(thrown);
    if (unavailable) deps.log.warn({ err: thrown, path: c.req.path }, 'the database could not serve a request');
    const error = unavailable ? new Unavailable('the database cannot be reached just now: try again shortly') : thrown;
    // Expected failures (a refusal, an unknown id) are answers, not faults: only the rest is logged.
    if (!(error instanceof HTTPException || error instanceof DomainError)) deps.log.error({ err: error, path: c.req.path }, 'request failed');
    return isApiPath(c.req.path) ? errorResponse(c, error) : errorPage(c, error);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
