/**
 * The campaign staff pages, mounted inside the staff pages behind their sign-in: the list, each
 * campaign's dashboard with its live funnel (and the JSON and script that keep it live), the equity
 * report, and both as CSV. For regional teams, finance and admins. Which campaigns a user sees is
 * services/campaigns.ts's rule, as for the API: an admin every one, a user with a region that region's,
 * and any other is "not found", so a campaign's existence does not leak across regions.
 *
 * The equity report is derived from personal data (neighbourhood, age, sex, ethnicity): every read
 * of it, page or CSV, is audited. The funnel counts stages only, and the dashboard reads it every few
 * seconds, so its reads are not.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { StaffRole } from '../../../db/schema';
import { NotFound } from '../../../domain/failures';
import { type CampaignFunnel, campaignFunnel } from '../../../reports/campaign-funnel';
import { type Campaign, campaignEquity, campaignInScope, campaignReportCsv, campaignsInScope, liveProgress } from '../../../services/campaigns';
import { requireRole } from '../../auth';
import type { AppDeps, AppEnv } from '../../context';
import { csvDownload } from '../../csv';
import { pathIdOf } from '../../openapi';
import { dashboardScript } from './dashboard-script';
import { CampaignDashboardPage, CampaignEquityPage, CampaignsPage } from './views';

const CAMPAIGN_ROLES: StaffRole[] = ['regional', 'finance', 'admin'];
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
  app.use('/campaigns', requireRole(...CAMPAIGN_ROLES));
  app.use('/campaigns/*', requireRole(...CAMPAIGN_ROLES));

  app.get('/campaigns', async (c) => c.html(<CampaignsPage staff={c.get('staff')} campaigns={await campaignsInScope(deps, c.get('staff'))} />));

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
    const campaign = await inScope(c);
    c.header('cache-control', 'no-store');
    const [funnel, live] = await Promise.all([funnelOf(campaign), liveProgress(deps.temporal, campaign.id)]);
    return c.html(<CampaignDashboardPage staff={c.get('staff')} campaign={campaign} funnel={funnel} progress={live.progress} />);
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
