/**
 * Campaigns through the API, with the campaign workflow on the Temporal dev server: every bad launch
 * is refused naming its field with nothing written; a dry run counts and sends and writes nothing;
 * each user sees only their region's campaigns; a launch writes the campaign and starts its workflow;
 * pause, resume and cancel go through the workflow's Updates, and a wrong one is a 409 in its words.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { commitBookingFunds } from '../../db/repositories/funds';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import { addDays, dayOf } from '../../domain/dates';
import { DEFAULT_COHORT_RULES } from '../../domain/cohort';
import { seedHeldBookings } from '../../generate/bookings';
import { startMissingCampaignWorkflows } from '../../services/campaigns';
import { campaignWorkflowId } from '../../workflows/ids';
import { cancelCampaignUpdate } from '../../workflows/messages';
import type { TestDatabase } from '../support/database';
import { FIXTURE_FUND_ID, fixtureCampaignLaunch } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

const TODAY = dayOf(new Date());

let services: TestServices;
let database: TestDatabase;
let app: ReturnType<typeof createApp>;
let tokens: TestServices['tokens'];
/** A regional team of another region, and a finance user of another region. */
let london: string;
let londonFinance: string;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  app = createApp(services.appDeps());
  await services.startWorker();
  const team = await createStaffUser(database.db, { name: 'London campaigns', role: 'regional', region_code: 'Y56' });
  london = await issueStaffToken(database.db, team.id, 'test');
  const money = await createStaffUser(database.db, { name: 'London finance', role: 'finance', region_code: 'Y56' });
  londonFinance = await issueStaffToken(database.db, money.id, 'test');
});

afterAll(async () => {
  await services?.close();
});

interface ErrorBody {
  error: { code: string; message: string; details?: { field: string; message: string }[] };
}

async function call<T = unknown>(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}


/** What a refused launch must leave behind: nothing. */
async function footprint() {
  const count = async (table: 'campaigns' | 'audit_log' | 'transfers' | 'dev_mailbox') =>
    (await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count;
  return { campaigns: await count('campaigns'), audit: await count('audit_log'), transfers: await count('transfers'), mail: await count('dev_mailbox') };
}

interface Campaign {
  id: number;
  status: string;
  trusts: string[];
  workflowId: string;
  cohortRules: Record<string, number>;
  transferSettings: { responseWindowDays: number; reminderDays: number[] };
  launchSummary: { eligible: number; wouldOffer: number };
}
interface Progress {
  phase: string;
  started: number;
}

describe('a launch with bad input', () => {
  const malformed: [string, Record<string, unknown>, string][] = [
    ['no name', { name: '  ' }, 'name'],
    ['a region code that is not one', { regionCode: 'Midlands' }, 'regionCode'],
    ['an empty list of trusts', { trusts: [] }, 'trusts'],
    ['a trust named twice', { trusts: ['RWE', 'RWE'] }, 'trusts'],
    ['a treatment function code that is not one', { treatmentFunctions: ['11'] }, 'treatmentFunctions.0'],
    ['no treatment function', { treatmentFunctions: [] }, 'treatmentFunctions'],
    ['no fund', { fundId: undefined }, 'fundId'],
    ['a period that ends before it starts', { period: { from: addDays(TODAY, 30), to: addDays(TODAY, 10) } }, 'period.to'],
    ['a date that is not one', { period: { from: '2026-02-30', to: addDays(TODAY, 10) } }, 'period.from'],
    ['an unknown cohort rule', { cohortRules: { minWeeks: 10 } }, 'cohortRules.minWeeks'],
    ['children', { cohortRules: { minAge: 16 } }, 'cohortRules.minAge'],
    ['a reminder after the window ends', { responseWindowDays: 7, reminderDays: [3, 7] }, 'reminderDays.1'],
    ['reminders out of order', { reminderDays: [10, 3] }, 'reminderDays.1'],
    ['no offers at all', { maxOffers: 0 }, 'maxOffers'],
    ['a field nobody reads', { maxOfers: 5 }, 'maxOfers'],
  ];

  it.each(malformed)('refuses %s with 400 naming the field, and writes nothing', async (_, changes, field) => {
    const before = await footprint();
    const response = await call<ErrorBody>('POST', '/api/v1/campaigns', tokens.admin, fixtureCampaignLaunch(changes));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.details!.map((detail) => detail.field)).toContain(field);
    expect(await footprint()).toEqual(before);
  });

  const unknown: [string, Record<string, unknown>, string, RegExp][] = [
    ['an unknown region', { regionCode: 'Y99', trusts: ['RWE'] }, 'regionCode', /region Y99 is not known/],
    ['an unknown trust', { trusts: ['RWE', 'ZZZ99'] }, 'trusts', /trust ZZZ99 is not known/],
    ['a trust of another region', { regionCode: 'Y56' }, 'trusts', /trust RWE is not in region Y56/],
    ['an unknown treatment function', { treatmentFunctions: ['110', '999'] }, 'treatmentFunctions', /treatment function 999 is not known/],
    ['an unknown fund', { fundId: 999 }, 'fundId', /fund 999 is not known/],
    ['a fund of another region', { regionCode: 'Y56', trusts: undefined }, 'fundId', /pays only for region Y60/],
    ['a period outside the fund’s window', { period: { from: addDays(TODAY, 7), to: addDays(TODAY, 400) } }, 'period', /window/],
    ['a period already over', { period: { from: addDays(TODAY, -30), to: addDays(TODAY, -1) } }, 'period.to', /must end after today/],
    ['no trusts when none missed its volume', { trusts: undefined }, 'trusts', /no trust of region Y60 missed its volume/],
  ];

  it.each(unknown)('refuses %s with 422 naming what is wrong, and writes nothing', async (_, changes, field, message) => {
    const before = await footprint();
    const response = await call<ErrorBody>('POST', '/api/v1/campaigns', tokens.admin, fixtureCampaignLaunch(changes));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('invalid_campaign');
    expect(response.body.error.details).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(response.body.error.message).toMatch(message);
    expect(await footprint()).toEqual(before);
  });

  it('lets a regional team launch only in its own region', async () => {
    const before = await footprint();
    const response = await call<ErrorBody>('POST', '/api/v1/campaigns', london, fixtureCampaignLaunch({ dryRun: true }));
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('only for region Y56');
    expect(await footprint()).toEqual(before);
  });
});

describe('a dry run', () => {
  it('counts what a launch would do, and sends and writes nothing', async () => {
    const before = await footprint();
    const response = await call<{ dryRun: true; summary: Record<string, unknown> }>('POST', '/api/v1/campaigns', tokens.regional, fixtureCampaignLaunch({ dryRun: true }));
    expect(response.status).toBe(200);
    expect(response.body.dryRun).toBe(true);
    expect(response.body.summary).toMatchObject({
      trusts: ['RWE'],
      eligible: 3,
      screenedOut: 0,
      fundRemainingPence: 5_000_000,
      slotsAvailable: 5,
    });
    expect(response.body.summary.wouldOffer).toBeGreaterThan(0);
    expect(response.body.summary.expectedCostPence).toBeGreaterThan(0);
    expect(await footprint()).toEqual(before);
    const workflows = [];
    for await (const workflow of services.temporal.client.workflow.list()) workflows.push(workflow);
    expect(workflows).toEqual([]);
  });

  it('respects the ceiling of offers and the cohort rules', async () => {
    const capped = await call<{ summary: { eligible: number; wouldOffer: number } }>('POST', '/api/v1/campaigns', tokens.admin, fixtureCampaignLaunch({ dryRun: true, maxOffers: 1 }));
    expect(capped.body.summary.wouldOffer).toBe(1);
    // Nobody in the fixture has waited two years.
    const long = await call<{ summary: { eligible: number } }>('POST', '/api/v1/campaigns', tokens.admin, fixtureCampaignLaunch({ dryRun: true, cohortRules: { minWeeksWaited: 104 } }));
    expect(long.body.summary.eligible).toBe(0);
  });
});

describe('launching and steering a campaign', () => {
  let campaign: Campaign;

  it('writes the campaign with its dry run, audits it and starts its workflow', async () => {
    const response = await call<Campaign>('POST', '/api/v1/campaigns', tokens.regional, fixtureCampaignLaunch({ cohortRules: { minWeeksWaited: 20 }, responseWindowDays: 10 }));
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    campaign = response.body;
    expect(campaign).toMatchObject({
      status: 'running',
      trusts: ['RWE'],
      workflowId: campaignWorkflowId(campaign.id),
      cohortRules: { ...DEFAULT_COHORT_RULES, minWeeksWaited: 20 },
      // The standard reminders that fall inside a ten-day window.
      transferSettings: { responseWindowDays: 10, reminderDays: [3] },
      launchSummary: { eligible: 3 },
    });
    const row = await database.db.selectFrom('campaigns').selectAll().where('id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(row.launched_by).toMatch(/^staff:\d+$/);
    expect(row.launch_summary).toMatchObject({ eligible: 3, trusts: ['RWE'] });
    const audited = await database.db.selectFrom('audit_log').selectAll().where('subject', '=', `campaign:${campaign.id}`).execute();
    expect(audited.map((entry) => entry.action)).toEqual(['campaign.launch']);
    const described = await services.temporal.client.workflow.getHandle(campaign.workflowId).describe();
    expect(described.type).toBe('campaignWorkflow');
    expect(described.taskQueue).toBe(services.temporal.taskQueue);
  });

  it('shows the campaign with its workflow’s progress', async () => {
    // The workflow starts the three patients' transfers as soon as it has looked at its room; each
    // transfer records itself, screens its patient and asks for a clinician's review a moment later.
    const deadline = Date.now() + 10_000;
    let shown;
    do {
      shown = await call<{ campaign: Campaign; funnel: { totals: { awaitingReview: number } }; progress: Progress | null; progressUnavailable: string | null }>(
        'GET',
        `/api/v1/campaigns/${campaign.id}`,
        tokens.regional,
      );
      expect(shown.status).toBe(200);
      if (shown.body.progress?.started === 3 && shown.body.funnel.totals.awaitingReview === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);
    expect(shown.body.campaign.id).toBe(campaign.id);
    expect(shown.body.progressUnavailable).toBeNull();
    expect(shown.body.progress).toMatchObject({ phase: 'running', started: 3 });
    // The live funnel: the three wait for a Leicester clinician.
    expect(shown.body.funnel).toMatchObject({
      campaignId: campaign.id,
      started: 3,
      totals: { eligible: 3, awaitingReview: 3, offered: 0 },
      byTrustAndSpecialty: [{ trustOds: 'RWE', treatmentFunctionCode: '110', eligible: 3, awaitingReview: 3 }],
      money: { committedPence: 0, claimedPence: 0 },
      capacity: { slotsInPeriod: 5, slotsBooked: 0 },
    });
  });

  it('pauses, resumes and cancels, refusing a change the campaign is not in the state for', async () => {
    const control = (action: string, token = tokens.regional) =>
      call<{ campaign: Campaign; progress: Progress } & ErrorBody>('POST', `/api/v1/campaigns/${campaign.id}/${action}`, token);

    const wrongResume = await control('resume');
    expect(wrongResume.status).toBe(409);
    expect(wrongResume.body.error).toMatchObject({ code: 'wrong_phase', message: expect.stringContaining('running') });

    const paused = await control('pause');
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body.progress.phase).toBe('paused');
    expect(paused.body.campaign.status).toBe('paused');
    expect((await control('pause')).status).toBe(409);

    // Finance sees campaigns but does not steer them; another region's team does not see this one.
    expect((await control('resume', tokens.finance)).status).toBe(403);
    expect((await control('resume', london)).status).toBe(404);

    const resumed = await control('resume', tokens.admin);
    expect(resumed.status).toBe(200);
    expect(resumed.body.progress.phase).toBe('running');
    expect(resumed.body.campaign.status).toBe('running');

    const cancelled = await control('cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.progress.phase).toBe('cancelled');
    expect(cancelled.body.campaign.status).toBe('cancelled');
    expect(cancelled.body.campaign).toMatchObject({ closedAt: expect.any(String) });

    const again = await control('cancel');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('campaign_closed');

    const audited = await database.db.selectFrom('audit_log').select('action').where('subject', '=', `campaign:${campaign.id}`).orderBy('id').execute();
    expect(audited.map((entry) => entry.action)).toEqual(['campaign.launch', 'campaign.pause', 'campaign.resume', 'campaign.cancel']);
  });
});

describe('the campaign report', () => {
  it('gives the funnel and the equity report as JSON and CSV, and audits each read of the equity report', async () => {
    const [first] = await database.db.selectFrom('campaigns').select('id').orderBy('id').execute();
    const id = first!.id;
    const report = await call<{ campaign: Campaign; funnel: { started: number }; equity: { marginPoints: number; dimensions: { dimension: string }[] } }>(
      'GET',
      `/api/v1/campaigns/${id}/report?marginPoints=15`,
      tokens.finance,
    );
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.campaign.id).toBe(id);
    expect(report.body.funnel.started).toBe(3);
    expect(report.body.equity.marginPoints).toBe(15);
    expect(report.body.equity.dimensions.map((dimension) => dimension.dimension)).toEqual(['imdQuintile', 'ageBand', 'sex', 'ethnicity', 'channel']);

    const funnel = await app.request(`/api/v1/campaigns/${id}/report.csv`, { headers: { authorization: `Bearer ${tokens.regional}` } });
    expect(funnel.status).toBe(200);
    expect(funnel.headers.get('content-type')).toContain('text/csv');
    expect(funnel.headers.get('content-disposition')).toBe(`attachment; filename="campaign-${id}-funnel.csv"`);
    const funnelLines = (await funnel.text()).split('\r\n');
    expect(funnelLines[0]).toMatch(/^trust_ods,trust_name,treatment_function_code,treatment_function_name,eligible,screened_out,awaiting_review/);
    expect(funnelLines.at(-1)).toMatch(/^all,All trusts,all,All specialties,3,/);

    const equity = await app.request(`/api/v1/campaigns/${id}/equity.csv`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(equity.status).toBe(200);
    expect((await equity.text()).split('\r\n')[0]).toMatch(/^dimension,group,/);

    const audited = await database.db.selectFrom('audit_log').select('action').where('subject', '=', `campaign:${id}`).where('action', 'like', 'campaign.equity.%').orderBy('id').execute();
    expect(audited.map((entry) => entry.action)).toEqual(['campaign.equity.view', 'campaign.equity.export']);

    const bad = await call<ErrorBody>('GET', `/api/v1/campaigns/${id}/report?marginPoints=-1`, tokens.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details![0]!.field).toBe('marginPoints');
    for (const path of ['report', 'report.csv', 'equity.csv']) expect((await call('GET', `/api/v1/campaigns/${id}/${path}`, london)).status, path).toBe(404);
  });
});

describe('scope', () => {
  it('shows each user only their region’s campaigns', async () => {
    const ids = async (token: string) => {
      const response = await call<{ campaigns: { id: number; regionCode: string }[] }>('GET', '/api/v1/campaigns', token);
      expect(response.status).toBe(200);
      return response.body.campaigns.map((campaign) => campaign.regionCode);
    };
    expect(await ids(tokens.admin)).toContain('Y60');
    expect(await ids(tokens.regional)).toContain('Y60');
    expect(await ids(tokens.finance)).toContain('Y60');
    expect(await ids(london)).toEqual([]);
    expect(await ids(londonFinance)).toEqual([]);

    const [first] = await database.db.selectFrom('campaigns').select('id').orderBy('id').execute();
    for (const token of [london, londonFinance]) expect((await call('GET', `/api/v1/campaigns/${first!.id}`, token)).status).toBe(404);
    for (const token of [tokens.clinician, tokens.provider]) {
      expect((await call('GET', '/api/v1/campaigns', token)).status).toBe(403);
      expect((await call('POST', '/api/v1/campaigns', token, fixtureCampaignLaunch({ dryRun: true }))).status).toBe(403);
    }
  });
});

describe('launching once', () => {
  const keyed = (key: string | undefined, body: unknown) =>
    app.request('/api/v1/campaigns', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.regional}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  const body = fixtureCampaignLaunch({ name: 'Leicester orthopaedics, once' });
  let first: Campaign;

  it('gives the same campaign to a launch retried with its Idempotency-Key, and refuses the key for another launch', async () => {
    const response = await keyed('launch-3f9c', body);
    expect(response.status).toBe(202);
    first = (await response.json()) as Campaign;
    const before = await footprint();

    const again = await keyed('launch-3f9c', body);
    expect(again.status).toBe(202);
    expect(((await again.json()) as Campaign).id).toBe(first.id);
    expect(await footprint()).toEqual(before);

    const other = await keyed('launch-3f9c', { ...body, maxOffers: 11 });
    expect(other.status).toBe(422);
    expect(((await other.json()) as ErrorBody).error).toMatchObject({
      code: 'idempotency_key_reused',
      message: expect.stringContaining(`campaign ${first.id}`),
    });
    expect((await keyed('not a key', body)).status).toBe(400);
    expect(await footprint()).toEqual(before);
  });

  it('refuses the same launch while it still runs, naming the running campaign, and takes it once that is cancelled', async () => {
    const before = await footprint();
    for (const key of [undefined, 'another-key']) {
      const twice = await keyed(key, body);
      expect(twice.status).toBe(409);
      const refused = (await twice.json()) as ErrorBody;
      expect(refused.error).toMatchObject({ code: 'campaign_already_launched', message: `the same campaign is already running: campaign ${first.id}` });
    }
    expect(await footprint()).toEqual(before);
    expect((await call('POST', `/api/v1/campaigns/${first.id}/cancel`, tokens.regional)).status).toBe(200);
    const after = await keyed(undefined, body);
    expect(after.status).toBe(202);
    const second = (await after.json()) as Campaign;
    expect(second.id).not.toBe(first.id);
    expect((await call('POST', `/api/v1/campaigns/${second.id}/cancel`, tokens.regional)).status).toBe(200);
  });

  it('starts at start-up the workflow of a campaign whose launch stopped after writing its row', async () => {
    // The state a process leaves when it stops between writing the row and starting the workflow.
    const { id } = await database.db
      .insertInto('campaigns')
      .values({
        name: 'Cut short',
        region_code: 'Y60',
        fund_id: FIXTURE_FUND_ID,
        trusts: ['RWE'],
        treatment_functions: ['110'],
        period_from: addDays(TODAY, 7),
        period_to: addDays(TODAY, 30),
        cohort_rules: JSON.stringify(DEFAULT_COHORT_RULES),
        max_offers: 1,
        launch_summary: JSON.stringify({ trusts: ['RWE'], eligible: 3 }),
        launched_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const handle = services.temporal.client.workflow.getHandle(campaignWorkflowId(id));
    await expect(handle.describe()).rejects.toThrow();
    expect(await startMissingCampaignWorkflows(services.appDeps())).toBe(1);
    expect((await handle.describe()).type).toBe('campaignWorkflow');
    // Once: the next start-up finds every running campaign with its workflow (closed ones included).
    expect(await startMissingCampaignWorkflows(services.appDeps())).toBe(0);
    await handle.executeUpdate(cancelCampaignUpdate, { args: [{ actor: 'test' }] });
  });

  it('writes no campaign whose launch cannot be audited: the row and its audit are one transaction', async () => {
    // This database only: the launch's audit cannot be written, as if its insert failed.
    await sql`create function refuse_launch_audit() returns trigger language plpgsql as $$ begin raise exception 'launch audit refused'; end $$`.execute(database.db);
    await sql`create trigger refuse_launch_audit before insert on audit_log for each row when (new.action = 'campaign.launch') execute function refuse_launch_audit()`.execute(database.db);
    try {
      const before = await footprint();
      const refused = await call('POST', '/api/v1/campaigns', tokens.regional, fixtureCampaignLaunch({ name: 'Never audited' }));
      expect(refused.status).toBe(500);
      expect(await footprint()).toEqual(before);
    } finally {
      await sql`drop trigger refuse_launch_audit on audit_log`.execute(database.db);
      await sql`drop function refuse_launch_audit()`.execute(database.db);
    }
  });
});

describe('a campaign whose workflow does not answer', () => {
  it('is still shown, saying why there is no progress, and cannot be steered', async () => {
    // A campaign whose workflow has gone (its history past retention, say).
    const { id } = await database.db
      .insertInto('campaigns')
      .values({
        name: 'Orphan',
        region_code: 'Y60',
        fund_id: FIXTURE_FUND_ID,
        trusts: ['RRK'],
        treatment_functions: ['130'],
        period_from: addDays(TODAY, 7),
        period_to: addDays(TODAY, 30),
        cohort_rules: JSON.stringify(DEFAULT_COHORT_RULES),
        max_offers: 5,
        launch_summary: JSON.stringify({ trusts: ['RRK'], eligible: 1 }),
        launched_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const started = Date.now();
    const shown = await call<{ progress: unknown; progressUnavailable: string }>('GET', `/api/v1/campaigns/${id}`, tokens.regional);
    expect(shown.status).toBe(200);
    expect(shown.body.progress).toBeNull();
    expect(shown.body.progressUnavailable).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const paused = await call<ErrorBody>('POST', `/api/v1/campaigns/${id}/pause`, tokens.regional);
    expect(paused.status).toBe(409);
    expect(paused.body.error.code).toBe('campaign_closed');
  });
});

describe('a fund with no money left', () => {
  it('cannot pay for a campaign', async () => {
    const { id: fundId } = await database.db
      .insertInto('funds')
      .values({ name: 'Spent', allocation_pence: 100, window_from: TODAY, window_to: addDays(TODAY, 120), region_code: 'Y60' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const [bookingId] = await seedHeldBookings(database.db, {
      fundId,
      count: 1,
      trustOds: 'RRK',
      siteOds: 'NT240',
      treatmentFunctionCode: '130',
      procedureCode: 'C71.2',
      procedureDate: addDays(TODAY, 200),
      pricePence: 100,
      priceSource: 'test',
    });
    expect(await commitBookingFunds(database.db, bookingId!)).toEqual({ ok: true });
    const before = await footprint();
    const response = await call<ErrorBody>('POST', '/api/v1/campaigns', tokens.admin, fixtureCampaignLaunch({ fundId }));
    expect(response.status).toBe(422);
    expect(response.body.error.details).toContainEqual({ field: 'fundId', message: 'Spent has no money left' });
    expect(await footprint()).toEqual(before);
  });
});

describe('the OpenAPI document', () => {
  it('describes the campaign routes and the launch body', async () => {
    const document = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/campaigns', '/api/v1/campaigns/{id}', '/api/v1/campaigns/{id}/pause', '/api/v1/campaigns/{id}/report', '/api/v1/campaigns/{id}/equity.csv']),
    );
    expect(Object.keys(document.components.schemas.LaunchCampaign!.properties!)).toEqual(expect.arrayContaining(['name', 'trusts', 'cohortRules', 'reminderDays', 'dryRun']));
  });
});
