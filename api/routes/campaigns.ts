/**
 * Campaigns as JSON (PRODUCT.md §6): launch (or dry-run) a campaign, list those in your scope, read
 * one with its live funnel and progress, pause, resume or cancel it through its workflow's Updates,
 * and its report (funnel and equity) as JSON or CSV.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CAMPAIGN_STATUSES } from '../../db/schema';
import { CHANNEL_STAGES, FUNNEL_STAGES } from '../../reports/funnel-stages';
import { PATIENT_CHANNELS } from '../../domain/channels';
import { DEFAULT_MARGIN_POINTS, EQUITY_DIMENSIONS } from '../../reports/equity';
import { requireRole, requireStaff } from '../auth';
import { launchCampaignSchema } from '../../domain/campaign';
import type { CampaignAction } from '../../domain/campaign-control';
import {
  CAMPAIGN_READERS,
  CAMPAIGN_STEERERS,
  campaignDetail,
  campaignReport,
  campaignReportCsv,
  campaignsInScope,
  controlCampaign,
  dryRunCampaign,
  launchCampaign,
  launcherOf,
} from '../../services/campaigns';
import type { AppDeps, AppEnv } from '../context';
import { csvDownload } from '../csv';
import { documented, ErrorSchema, IdParam, jsonBody, noFields, validationHook } from '../openapi';

const LaunchSchema = documented(launchCampaignSchema, 'LaunchCampaign', {
  example: {
    name: 'Midlands orthopaedics winter 2026',
    regionCode: 'Y60',
    treatmentFunctions: ['110'],
    fundId: 1,
    period: { from: '2026-12-01', to: '2027-03-31' },
    cohortRules: { minWeeksWaited: 18 },
    responseWindowDays: 14,
    reminderDays: [3, 10],
    maxOffers: 500,
    dryRun: true,
  },
});

const DryRunSummarySchema = z
  .object({
    trusts: z.array(z.string()).readonly(),
    eligible: z.number(),
    screenedOut: z.number(),
    screenedOutReasons: z.object({ noSiteForProcedure: z.number(), excludedByCriteria: z.number() }).openapi({
      description:
        'Why each screened-out patient is: no IS site has slots for their specialty and procedure in the period, or an exclusion criterion stops them at every site that has. They add up to screenedOut',
    }),
    screenedOutCriteria: z.record(z.string(), z.number()).openapi({
      description: 'Of those excluded by criteria, how many each criterion excluded at some site (a patient may have several, so these may add up to more)',
    }),
    noChoice: z.number(),
    wouldOffer: z.number(),
    expectedCostPence: z.number(),
    fundRemainingPence: z.number(),
    slotsAvailable: z.number(),
  })
  .openapi('CampaignDryRunSummary');

const DryRunSchema = z.object({ dryRun: z.literal(true), summary: DryRunSummarySchema }).openapi('CampaignDryRun');

const CampaignSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    regionCode: z.string(),
    fundId: z.number(),
    trusts: z.array(z.string()).readonly(),
    treatmentFunctions: z.array(z.string()).readonly(),
    period: z.object({ from: z.string(), to: z.string() }),
    cohortRules: z.object({ minWeeksWaited: z.number(), noAppointmentWithinWeeks: z.number(), minAge: z.number(), declinedWithinDays: z.number() }),
    transferSettings: z.object({ responseWindowDays: z.number(), reminderDays: z.array(z.number()).readonly() }),
    maxOffers: z.number(),
    launchSummary: DryRunSummarySchema,
    status: z.enum(CAMPAIGN_STATUSES),
    launchedBy: z.string(),
    launchedAt: z.string(),
    closedAt: z.string().nullable(),
    workflowId: z.string(),
  })
  .openapi('Campaign');

const ProgressSchema = z
  .object({
    phase: z.enum(CAMPAIGN_STATUSES),
    started: z.number(),
    outstanding: z.number(),
    accepted: z.number(),
    declined: z.number(),
    lapsed: z.number(),
    notOffered: z.number(),
    failed: z.number().openapi({ description: 'Transfers that closed without reporting (failed or terminated): counted as offers that may have gone out' }),
    window: z.number(),
    acceptanceRate: z.number(),
    cohortExhausted: z.boolean(),
    limitReached: z.boolean().openapi({
      description:
        'The maximum of offers is reached: offers made (accepted, declined, lapsed), transfers that may still offer and failed ones add up to it. A completed campaign with this set stopped because of its maximum',
    }),
    run: z.number(),
  })
  .openapi('CampaignProgress');

const FunnelCountsSchema = z.record(z.enum(FUNNEL_STAGES), z.number()).openapi('FunnelCounts');

const ChannelCountsSchema = z.record(z.enum(PATIENT_CHANNELS), z.record(z.enum(CHANNEL_STAGES), z.number())).openapi('ChannelCounts', {
  description:
    'Offered, responded (accepted or declined) and accepted, by the channel the first offer went by; an offer known only from a later stage, with no message on record, is in none',
});

const FunnelSchema = z
  .object({
    campaignId: z.number(),
    asOf: z.string(),
    totals: FunnelCountsSchema.openapi({ description: "Over every transfer the campaign started; eligible is the dry run's figure at launch" }),
    byChannel: ChannelCountsSchema,
    started: z.number(),
    byTrustAndSpecialty: z.array(
      FunnelCountsSchema.and(
        z.object({ trustOds: z.string(), trustName: z.string(), treatmentFunctionCode: z.string(), treatmentFunctionName: z.string(), byChannel: ChannelCountsSchema }),
      ),
    ),
    money: z.object({ committedPence: z.number(), claimedPence: z.number() }),
    capacity: z.object({ slotsInPeriod: z.number(), slotsBooked: z.number() }),
  })
  .openapi('CampaignFunnel');

const RateSchema = z.object({ numerator: z.number(), denominator: z.number(), rate: z.number().nullable() });
const GroupRateSchema = RateSchema.extend({ judged: z.boolean(), differencePoints: z.number().nullable(), flag: z.enum(['above', 'below']).nullable() });

const EquitySchema = z
  .object({
    campaignId: z.number(),
    asOf: z.string(),
    agesOn: z.string(),
    marginPoints: z.number(),
    minDenominator: z.number(),
    campaign: z.object({ counts: FunnelCountsSchema, acceptance: RateSchema, treatment: RateSchema }),
    dimensions: z.array(
      z.object({
        dimension: z.enum(EQUITY_DIMENSIONS),
        label: z.string(),
        groups: z.array(z.object({ key: z.string(), label: z.string(), counts: FunnelCountsSchema, acceptance: GroupRateSchema, treatment: GroupRateSchema })),
      }),
    ),
  })
  .openapi('EquityReport');

const CampaignDetailSchema = z
  .object({
    campaign: CampaignSchema,
    funnel: FunnelSchema,
    progress: ProgressSchema.nullable().openapi({ description: "The workflow's own count; null when it does not answer" }),
    progressUnavailable: z.string().nullable().openapi({ description: 'Why there is no progress, when there is none' }),
  })
  .openapi('CampaignDetail');

const ControlResultSchema = z.object({ campaign: CampaignSchema, progress: ProgressSchema }).openapi('CampaignControlResult');

const ReportSchema = z.object({ campaign: CampaignSchema, funnel: FunnelSchema, equity: EquitySchema }).openapi('CampaignReport');

const ReportQuery = z.object({
  marginPoints: z.coerce
    .number()
    .min(0)
    .max(100)
    .optional()
    .openapi({ description: `Flag a group whose acceptance or treatment rate differs from the campaign's by more than this many percentage points (default ${DEFAULT_MARGIN_POINTS})` }),
});

const notFound = { 404: { description: 'No such campaign in your scope', content: { 'application/json': { schema: ErrorSchema } } } } as const;

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listCampaigns',
  tags: ['campaigns'],
  summary: 'Campaigns in your scope, newest first',
  security: [{ bearer: [] }],
  request: { query: z.object({ status: z.enum(CAMPAIGN_STATUSES).optional() }) },
  responses: { 200: { description: 'Campaigns', content: { 'application/json': { schema: z.object({ campaigns: z.array(CampaignSchema) }) } } } },
});

const launch = createRoute({
  method: 'post',
  path: '/',
  operationId: 'launchCampaign',
  tags: ['campaigns'],
  summary: 'Launch a campaign, or with dryRun only count what it would do (nothing is sent or written)',
  security: [{ bearer: [] }],
  request: {
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(1)
        .max(255)
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII with no spaces, such as a UUID')
        .optional()
        .openapi({
          description:
            'Makes the launch safe to retry: the same key with the same body gives the campaign the first launch made (202, nothing launched again); the same key with another body is refused (422). Keys are your own: another user’s key never matches',
        }),
    }),
    body: jsonBody(LaunchSchema),
  },
  responses: {
    200: { description: 'The dry run: eligible, screened out with reasons, offers, cost against the fund, free IS slots', content: { 'application/json': { schema: DryRunSchema } } },
    202: {
      description: "Launched: the campaign's workflow has started (or, retried with its Idempotency-Key, the campaign that launch made)",
      content: { 'application/json': { schema: CampaignSchema } },
    },
    400: { description: 'A field or the Idempotency-Key is malformed', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'Not your region', content: { 'application/json': { schema: ErrorSchema } } },
    409: {
      description: 'The same launch (the same body) is still running or paused: the error names that campaign (details.campaignId)',
      content: { 'application/json': { schema: ErrorSchema } },
    },
    422: {
      description:
        'Unknown trusts, treatment functions, region or fund; trusts outside the region; a fund that does not pay for them, has no money left or whose window does not hold the period; an Idempotency-Key already used for another launch (details.campaignId)',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getCampaign',
  tags: ['campaigns'],
  summary: "A campaign with its live funnel by trust and specialty (money, capacity) and its workflow's progress",
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: { 200: { description: 'The campaign', content: { 'application/json': { schema: CampaignDetailSchema } } }, ...notFound },
});

const report = createRoute({
  method: 'get',
  path: '/{id}/report',
  operationId: 'getCampaignReport',
  tags: ['campaigns'],
  summary: 'The campaign report: its funnel (and by channel), and the equity report by deprivation quintile, age band, sex, ethnicity and channel',
  security: [{ bearer: [] }],
  request: { params: IdParam, query: ReportQuery },
  responses: { 200: { description: 'The report', content: { 'application/json': { schema: ReportSchema } } }, ...notFound },
});

const csv = { 200: { description: 'CSV, one header row', content: { 'text/csv': { schema: z.string() } } }, ...notFound } as const;

const reportCsv = createRoute({
  method: 'get',
  path: '/{id}/report.csv',
  operationId: 'getCampaignReportCsv',
  tags: ['campaigns'],
  summary: 'The funnel as CSV: a row per trust and specialty, then the totals',
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: csv,
});

const equityCsvRoute = createRoute({
  method: 'get',
  path: '/{id}/equity.csv',
  operationId: 'getCampaignEquityCsv',
  tags: ['campaigns'],
  summary: 'The equity report as CSV: the campaign, then a row per group of each dimension, with rates and flags',
  security: [{ bearer: [] }],
  request: { params: IdParam, query: ReportQuery },
  responses: csv,
});

const SUMMARIES: Record<CampaignAction, string> = {
  pause: 'Pause a campaign: no new offers; those out stay open',
  resume: 'Resume a paused campaign',
  cancel: 'Cancel a campaign: open offers are withdrawn with a polite email, holds and commitments released; booked transfers continue',
};

const control = (action: CampaignAction) =>
  createRoute({
    method: 'post',
    path: `/{id}/${action}`,
    operationId: `${action}Campaign`,
    tags: ['campaigns'],
    summary: SUMMARIES[action],
    security: [{ bearer: [] }],
    middleware: noFields.middleware,
    request: { params: IdParam, body: noFields.body },
    responses: {
      200: { description: "Done: the campaign and the workflow's progress", content: { 'application/json': { schema: ControlResultSchema } } },
      ...notFound,
      409: { description: 'The campaign refused: it is not in a state that allows this, or it has ended', content: { 'application/json': { schema: ErrorSchema } } },
    },
  });

const funnelJson = <Funnel extends { asOf: Date }>(funnel: Funnel) => ({ ...funnel, asOf: funnel.asOf.toISOString() });

export function campaignRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole(...CAMPAIGN_READERS));
  app.on('POST', ['/', '/:id/pause', '/:id/resume', '/:id/cancel'], requireRole(...CAMPAIGN_STEERERS));

  app.openapi(list, async (c) => c.json({ campaigns: await campaignsInScope(deps, c.get('staff'), c.req.valid('query')) }, 200));

  app.openapi(launch, async (c) => {
    const body = c.req.valid('json');
    const launcher = launcherOf(c.get('staff'));
    if (body.dryRun) return c.json(await dryRunCampaign(deps, launcher, body), 200);
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    return c.json(await launchCampaign(deps, launcher, body, idempotencyKey === undefined ? {} : { idempotencyKey }), 202);
  });

  app.openapi(get, async (c) => {
    const detail = await campaignDetail(deps, c.get('staff'), c.req.valid('param').id);
    return c.json({ ...detail, funnel: funnelJson(detail.funnel) }, 200);
  });

  app.openapi(report, async (c) => {
    const found = await campaignReport(deps, c.get('staff'), c.req.valid('param').id, c.req.valid('query'));
    return c.json({ campaign: found.campaign, funnel: funnelJson(found.funnel), equity: { ...found.equity, asOf: found.equity.asOf.toISOString() } }, 200);
  });

  app.openapi(reportCsv, async (c) => {
    const { name, body } = await campaignReportCsv(deps, c.get('staff'), c.req.valid('param').id, 'funnel');
    return csvDownload(c, name, body);
  });

  app.openapi(equityCsvRoute, async (c) => {
    const { name, body } = await campaignReportCsv(deps, c.get('staff'), c.req.valid('param').id, 'equity', c.req.valid('query'));
    return csvDownload(c, name, body);
  });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.openapi(control(action), async (c) => c.json(await controlCampaign(deps, c.get('staff'), c.req.valid('param').id, action), 200));
  }
  return app;
}
