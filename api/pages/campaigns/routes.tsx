/**
 * The campaign staff pages, mounted inside the staff pages behind their sign-in: the list, each
 * campaign's dashboard with its live funnel (and the JSON and script that keep it live), the equity
 * report, and both as CSV. For regional teams, finance and admins. Those the API lets launch and
 * steer campaigns (services/campaigns.ts CAMPAIGN_STEERERS) launch one here too (the form, a check
 * page with the API's own dry run, then the launch) and pause, resume or cancel it from its
 * dashboard, each after a check step, through the same service calls. Which campaigns a user sees is
 * services/campaigns.ts's rule, as for the API: an admin every one, a user with a region that region's,
 * and any other is "not found", so a campaign's existence does not leak across regions.
 *
 * The equity report is derived from personal data (neighbourhood, age, sex, ethnicity): every read
 * of it, page or CSV, is audited. The funnel counts stages only, and the dashboard reads it every few
 * seconds, so its reads are not.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CAMPAIGN_ACTIONS, CAMPAIGN_CONTROLS, type CampaignAction, campaignActionsFrom } from '../../../domain/campaign-control';
import { DomainError, NotFound } from '../../../domain/failures';
import { type CampaignFunnel, campaignFunnel } from '../../../reports/campaign-funnel';
import {
  CAMPAIGN_READERS,
  CAMPAIGN_STEERERS,
  type Campaign,
  campaignEquity,
  campaignInScope,
  campaignReportCsv,
  campaignsInScope,
  controlCampaign,
  dryRunCampaign,
  launchCampaign,
  launchChoices,
  launcherOf,
  liveProgress,
  steersCampaigns,
} from '../../../services/campaigns';
import { requireRole } from '../../auth';
import type { AppDeps, AppEnv } from '../../context';
import { csvDownload } from '../../csv';
import { statusOf } from '../../errors';
import { pathIdOf } from '../../openapi';
import type { FieldError } from '../forms';
import { dashboardScript } from './dashboard-script';
import { BLANK_LAUNCH_FORM, ControlCheckPage, LAUNCH_PATH, LaunchCheckPage, LaunchFormPage } from './launch';
import { type LaunchForm, launchFormOf, launchFormQuery, launchRefusalErrors, parseLaunchForm } from './launch-form';
import { CampaignDashboardPage, CampaignEquityPage, CampaignsPage, type Done } from './views';

/** What a page's form sent, every value under each name. */
type Values = (name: string) => readonly string[];
const valuesOfQuery = (c: Context): Values => (name) => c.req.queries(name) ?? [];
async function valuesOfBody(c: Context): Promise<Values> {
  const body = await c.req.parseBody({ all: true });
  return (name) => [body[name] ?? []].flat().filter((value): value is string => typeof value === 'string');
}

/**
 * A funnel read this recently is shared: over a national campaign (400,000 transfers) the query takes
 * a second or more, and every open dashboard asks every five seconds. Requests that arrive while one
 * is running wait for it rather than start another, so the database answers each campaign at most
 * once in this interval, however many people watch.
 */
const FUNNEL_SHARED_MS = 3_000;

export function campaignPages(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const recentFunnels = new Map<number, { readonly at: number; readonly funnel: Promise<CampaignFunnel | undefined> }>();
  app.use('/campaigns', requireRole(...CAMPAIGN_READERS));
  app.use('/campaigns/*', requireRole(...CAMPAIGN_READERS));
  // Launching and steering are for those the API lets do them.
  app.use('/campaigns/launch', requireRole(...CAMPAIGN_STEERERS));
  app.use('/campaigns/launch/*', requireRole(...CAMPAIGN_STEERERS));
  for (const action of CAMPAIGN_ACTIONS) app.use(`/campaigns/:id/${action}`, requireRole(...CAMPAIGN_STEERERS));

  app.get('/campaigns', async (c) => {
    const staff = c.get('staff');
    return c.html(<CampaignsPage staff={staff} campaigns={await campaignsInScope(deps, staff)} canLaunch={steersCampaigns(staff)} />);
  });

  // The launch: the form, then the check page with the dry run (GET, its answers in the query
  // string), then the launch itself, which leads to the new campaign's dashboard.
  app.get('/campaigns/launch', async (c) => launchFormPage(c, c.req.query('name') === undefined ? BLANK_LAUNCH_FORM : launchFormOf(valuesOfQuery(c)), []));

  app.post('/campaigns/launch', async (c) => {
    const form = launchFormOf(await valuesOfBody(c));
    const parsed = parseLaunchForm(form);
    if (parsed.errors) return launchFormPage(c, form, parsed.errors, 400);
    return c.redirect(`${LAUNCH_PATH}/check?${launchFormQuery(form)}`, 303);
  });

  app.get('/campaigns/launch/check', async (c) => {
    const staff = c.get('staff');
    const form = launchFormOf(valuesOfQuery(c));
    const parsed = parseLaunchForm(form);
    if (parsed.errors) return launchFormPage(c, form, parsed.errors, 400);
    const launcher = launcherOf(staff);
    try {
      // The API's dry run, the same call: the same figures, and the same refusals.
      const { summary } = await dryRunCampaign(deps, launcher, parsed.launch);
      const choices = await launchChoices(deps, launcher);
      return c.html(
        <LaunchCheckPage staff={staff} choices={choices} launcherRegion={launcher.regionCode} form={form} launch={parsed.launch} summary={summary} idempotencyKey={randomUUID()} />,
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return launchFormPage(c, form, launchRefusalErrors(error), statusOf(error));
    }
  });

  app.post('/campaigns/launch/check', async (c) => {
    const values = await valuesOfBody(c);
    const form = launchFormOf(values);
    const parsed = parseLaunchForm(form);
    if (parsed.errors) return launchFormPage(c, form, parsed.errors, 400);
    const idempotencyKey = values('idempotencyKey')[0];
    try {
      const campaign = await launchCampaign(deps, launcherOf(c.get('staff')), parsed.launch, idempotencyKey ? { idempotencyKey } : {});
      return c.redirect(`/staff/campaigns/${campaign.id}?done=launched`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return launchFormPage(c, form, launchRefusalErrors(error), statusOf(error));
    }
  });

  app.get('/campaigns/dashboard.js', (c) =>
    c.body(dashboardScript(), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'private, max-age=300' }),
  );

  // The dashboard and the equity report are figures of the moment (and the report is derived from
  // personal data): never kept by a browser or a proxy, so going back shows them afresh.
  app.use('/campaigns/:id/*', async (c, next) => {
    c.header('cache-control', 'no-store');
    await next();
  });

  app.get('/campaigns/:id', async (c) => {
    const staff = c.get('staff');
    const campaign = await inScope(c);
    c.header('cache-control', 'no-store');
    const [funnel, live] = await Promise.all([funnelOf(campaign), liveProgress(deps.temporal, campaign.id)]);
    return c.html(
      <CampaignDashboardPage
        staff={staff}
        campaign={campaign}
        funnel={funnel}
        progress={live.progress}
        actions={steersCampaigns(staff) ? campaignActionsFrom(campaign.status) : []}
        done={doneOf(c.req.query('done'), campaign)}
      />,
    );
  });

  // Pause, resume and cancel: each with its check step, made through services/campaigns.ts as the API
  // makes them, then back to the dashboard, which says what was done.
  app.get('/campaigns/:id/:action{pause|resume|cancel}', async (c) => {
    const campaign = await inScope(c);
    const action = c.req.param('action') as CampaignAction;
    if (!campaignActionsFrom(campaign.status).includes(action)) return c.redirect(`/staff/campaigns/${campaign.id}`, 303);
    return c.html(<ControlCheckPage staff={c.get('staff')} campaign={campaign} action={action} errors={[]} />);
  });

  app.post('/campaigns/:id/:action{pause|resume|cancel}', async (c) => {
    const staff = c.get('staff');
    const campaign = await inScope(c);
    const action = c.req.param('action') as CampaignAction;
    const refuse = (errors: FieldError[], status: ContentfulStatusCode) =>
      c.html(<ControlCheckPage staff={staff} campaign={campaign} action={action} errors={errors} />, status);
    if ((await valuesOfBody(c))('confirm')[0] !== 'yes') {
      return refuse([{ field: 'confirm', message: `Confirm that you want to ${action} the campaign` }], 400);
    }
    try {
      await controlCampaign(deps, staff, campaign.id, action);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const message = `The campaign could not be ${CAMPAIGN_CONTROLS[action].done}: ${error.message}`;
      return refuse([{ field: 'confirm', message }], statusOf(error));
    }
    return c.redirect(`/staff/campaigns/${campaign.id}?done=${action}`, 303);
  });

  app.get('/campaigns/:id/funnel.json', async (c) => {
    return c.json(await funnelOf(await inScope(c)));
  });

  // The downloads go through services/campaigns.ts as the API's do (the equity CSV's read is audited there).
  app.get('/campaigns/:id/:file{(?:funnel|equity)\\.csv}', async (c) => {
    const which = c.req.param('file') === 'funnel.csv' ? 'funnel' : 'equity';
    const csv = await campaignReportCsv(deps, c.get('staff'), pathIdOf(c.req.param('id')), which);
    return csvDownload(c, csv.name, csv.body);
  });

  app.get('/campaigns/:id/equity', async (c) => {
    // Derived from personal data: the read is audited there, as the API's is.
    const { campaign, report } = await campaignEquity(deps, c.get('staff'), pathIdOf(c.req.param('id')));
    return c.html(<CampaignEquityPage staff={c.get('staff')} campaign={campaign} report={report} />);
  });

  async function launchFormPage(c: Context<AppEnv>, form: LaunchForm, errors: readonly FieldError[], status: ContentfulStatusCode = 200) {
    const staff = c.get('staff');
    const launcher = launcherOf(staff);
    const choices = await launchChoices(deps, launcher);
    return c.html(<LaunchFormPage staff={staff} choices={choices} launcherRegion={launcher.regionCode} form={form} errors={errors} />, status);
  }

  /** The campaign of the path, if the user's scope holds it; any other is not found (services/campaigns.ts decides). */
  function inScope(c: Context<AppEnv>): Promise<Campaign> {
    return campaignInScope(deps, c.get('staff'), pathIdOf(c.req.param('id')));
  }

  async function funnelOf(campaign: Campaign) {
    const now = Date.now();
    let recent = recentFunnels.get(campaign.id);
    if (!recent || now - recent.at > FUNNEL_SHARED_MS) {
      for (const [id, entry] of recentFunnels) if (now - entry.at > FUNNEL_SHARED_MS) recentFunnels.delete(id);
      const entry = { at: now, funnel: campaignFunnel(deps.db, campaign.id) };
      recentFunnels.set(campaign.id, entry);
      // A failed read is not shared: the next request tries again.
      entry.funnel.catch(() => recentFunnels.get(campaign.id) === entry && recentFunnels.delete(campaign.id));
      recent = entry;
    }
    const funnel = await recent.funnel;
    if (!funnel) throw new NotFound(`There is no campaign ${campaign.id}`);
    return funnel;
  }

  return app;
}

/** What the dashboard confirms, when the campaign stands as that change left it (a stale or made-up link confirms nothing). */
function doneOf(done: string | undefined, campaign: Campaign): Done | undefined {
  if (done === 'launched') return 'launched';
  const action = CAMPAIGN_ACTIONS.find((candidate) => candidate === done);
  return action && CAMPAIGN_CONTROLS[action].to === campaign.status ? action : undefined;
}
