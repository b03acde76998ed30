/**
 * The campaign pages, end to end in Chromium on the real services: a Midlands campaign with 42
 * transfers (20 declined from the most deprived neighbourhoods; 10 treated, 10 booked and 2 still
 * offered from the least deprived) and a London campaign the Midlands team must not see. The regional
 * team finds the campaign, reads its funnel, money and capacity; one more patient is treated and the
 * dashboard shows it without a reload; the equity report flags the divergence in words, and its read
 * is audited; the page works without JavaScript, and everything fits a phone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema';
import { addDays, dayOf } from '../../domain/dates';
import { formatPence } from '../../domain/money';
import { treatBookings } from '../../generate/bookings';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import type { TestDatabase } from '../support/database';
import { seriousViolations, signedInStaffPage } from '../support/pages';
import { startTestServices, type TestServices } from '../support/services';
import { addCampaignTransfers, type Cohort, insertCampaign } from '../reports/campaign-transfers';

const TODAY = dayOf(new Date());
const PRICE = 700_000;
const NAME = 'Midlands hips winter push';

let services: TestServices;
let database: TestDatabase;
let api: TestApi;
let browser: Browser;
let tokens: Record<StaffRole, string>;
let campaignId: number;
let londonCampaignId: number;
/** A booked transfer, treated during the test. */
let bookedTransferId: number;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  api = await services.startApi();
  browser = await launchBrowser();

  const db = database.db;
  await db
    .insertInto('lsoas')
    .values([
      { code: 'E01000001', name: 'Leicester 001A', local_authority: 'Leicester', imd_rank: 1_000, imd_decile: 1 },
      { code: 'E01000010', name: 'Harborough 010A', local_authority: 'Harborough', imd_rank: 32_000, imd_decile: 10 },
    ])
    .execute();
  const { id: fundId } = await db
    .insertInto('funds')
    .values({ name: 'Midlands winter fund', allocation_pence: 100_000_000, window_from: addDays(TODAY, -90), window_to: addDays(TODAY, 180), region_code: 'Y60' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const campaign = { fundId, treatmentFunctions: ['110'], periodFrom: addDays(TODAY, -60), periodTo: addDays(TODAY, 90) };
  campaignId = await insertCampaign(db, { ...campaign, name: NAME, regionCode: 'Y60', trusts: ['RWE'], eligible: 50 });
  londonCampaignId = await insertCampaign(db, { ...campaign, name: 'London cataracts', regionCode: 'Y56', trusts: ['RWE'], eligible: 5 });

  const hips = (count: number, reached: Cohort['reached'], lsoaCode: string, channel?: Cohort['channel']): Cohort => ({
    count,
    reached,
    trustOds: 'RWE',
    treatmentFunctionCode: '110',
    procedureCode: 'W37.1',
    patient: { lsoaCode },
    channel,
  });
  const place = { fundId, siteOds: 'NT350', pricePence: PRICE, treatedOn: addDays(TODAY, -5) };
  await addCampaignTransfers(db, campaignId, hips(20, 'declined', 'E01000001', 'letter'), { ...place, procedureDate: TODAY });
  await addCampaignTransfers(db, campaignId, hips(10, 'treated', 'E01000010'), { ...place, procedureDate: addDays(TODAY, -5) });
  [bookedTransferId] = (await addCampaignTransfers(db, campaignId, hips(10, 'booked', 'E01000010'), { ...place, procedureDate: addDays(TODAY, 40) })) as [number];
  await addCampaignTransfers(db, campaignId, hips(2, 'offered', 'E01000010'), { ...place, procedureDate: TODAY });
});

afterAll(async () => {
  await browser?.close();
  await services?.close();
});

/** A signed-in person in a browser context of their own. */
const signIn = (token: string, options: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean } = {}): Promise<Page> =>
  signedInStaffPage(browser, api.url, token, options);

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();
const stages = (page: Page) =>
  Promise.all(['eligible', 'approved', 'offered', 'accepted', 'declined', 'booked', 'treated', 'claimed'].map((stage) => text(page, `funnel-${stage}`)));

describe('the campaign pages', () => {
  let regional: Page;

  it("lists the region's campaigns and shows one's funnel, money and capacity", async () => {
    regional = await signIn(tokens.regional);
    await regional.goto(`${api.url}/staff/campaigns`);
    expect(await seriousViolations(regional)).toEqual([]);
    expect(await regional.locator('h1').textContent()).toBe('Campaigns');
    // The Midlands team sees its campaign, not London's.
    expect(await regional.getByTestId('campaign').allTextContents()).toEqual([expect.stringContaining(NAME)]);
    await regional.getByRole('link', { name: NAME }).click();
    await regional.waitForLoadState();
    expect(await seriousViolations(regional)).toEqual([]);
    await regional.waitForURL(`${api.url}/staff/campaigns/${campaignId}`);

    // 50 eligible at launch; 42 started, all confirmed and offered; 20 accepted (10 treated, 10 booked), 20 declined.
    expect(await stages(regional)).toEqual(['50', '42', '42', '20', '20', '20', '10', '0']);
    // Committed: the 10 treated (not yet claimed) and the 10 booked; slots: the world's 5 and the 20 bookings' own, 20 booked.
    expect(await text(regional, 'money.committedPence')).toBe(formatPence(20 * PRICE));
    expect(await text(regional, 'money.claimedPence')).toBe('£0.00');
    expect([await text(regional, 'capacity.slotsInPeriod'), await text(regional, 'capacity.slotsBooked'), await text(regional, 'capacity.share')]).toEqual(['25', '20', '80.0%']);
    // One trust and specialty: a row in each table by trust and specialty (how far patients went, where they left).
    const group = regional.getByTestId('funnel-group');
    expect(await group.count()).toBe(2);
    expect(await group.first().textContent()).toContain('University Hospitals of Leicester NHS Trust (RWE)');
    const chart = regional.locator('svg[data-live-chart="funnel"]');
    expect(await chart.locator('[data-bar-value="treated"]').textContent()).toBe('10');
    // By how the first offer went: the 20 who declined had a letter, the other 22 an email.
    const channels = regional.getByTestId('funnel-channels');
    const row = async (channel: string) => (await channels.locator(`[data-channel="${channel}"] > *`).allTextContents()).map((cell) => cell.trim());
    expect(await row('sms')).toEqual(['Text message', '0', '0', '0']);
    expect(await row('email')).toEqual(['Email', '22', '20', '20']);
    expect(await row('letter')).toEqual(['Letter', '20', '20', '0']);
  });

  it('shows one more patient treated without a reload', async () => {
    await regional.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    expect(await text(regional, 'funnel-as-of')).toContain('These figures update every 5 seconds.');
    const width = await regional.locator('[data-bar="treated"]').getAttribute('width');
    const [bookingId] = (await database.db.selectFrom('bookings').select('id').where('transfer_id', '=', bookedTransferId).execute()).map((row) => row.id);
    await treatBookings(database.db, [bookingId!], { procedureCode: 'W37.1', treatedOn: addDays(TODAY, -1) });

    await expect.poll(() => text(regional, 'funnel-treated'), { timeout: 15_000 }).toBe('11');
    expect(await regional.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await stages(regional)).toEqual(['50', '42', '42', '20', '20', '20', '11', '0']);
    expect(await regional.locator('[data-bar-value="treated"]').textContent()).toBe('11');
    expect(Number(await regional.locator('[data-bar="treated"]').getAttribute('width'))).toBeGreaterThan(Number(width));
    // The table by trust and specialty is redrawn with the same markup.
    expect(await regional.getByTestId('funnel-group').count()).toBe(2);
    expect(await regional.getByTestId('funnel-groups').getByTestId('funnel-group').locator('td').nth(7).textContent()).toBe('Treated 11');
    expect(await regional.getByTestId('funnel-exits').getByTestId('funnel-group').locator('td').nth(4).textContent()).toBe('Declined 20');
  });

  it('flags, in words, the most deprived patients accepting far less, and audits the read', async () => {
    await regional.getByRole('link', { name: /equity report/ }).click();
    await regional.waitForLoadState();
    expect(await seriousViolations(regional)).toEqual([]);
    await regional.waitForURL(`${api.url}/staff/campaigns/${campaignId}/equity`);
    // Campaign: 20 accepted of 42 offered = 47.6%. Quintile 1: 0 of 20 = 0.0%, 47.6 points below;
    // quintile 5: 20 of 22 = 90.9%, 43.3 points above. Treatment: 11 of 20 = 55.0%, quintile 5's the same.
    expect(await text(regional, 'campaign-rates')).toContain('47.6% (20 accepted of 42 offered)');
    // Everyone else is alike (one age band, sex not known, ethnicity not recorded), so only the quintiles diverge.
    // The same patients by channel: those written to accepted none, those emailed 20 of 22.
    expect(await regional.getByTestId('equity-flag').allTextContents()).toEqual([
      expect.stringMatching(/^Deprivation.*, 1 \(most deprived\): acceptance rate 0\.0%, 47\.6 points below the campaign's\.$/),
      expect.stringMatching(/^Deprivation.*, 5 \(least deprived\): acceptance rate 90\.9%, 43\.3 points above the campaign's\.$/),
      expect.stringMatching(/^How the offer reached the patient, Email: acceptance rate 90\.9%, 43\.3 points above the campaign's\.$/),
      expect.stringMatching(/^How the offer reached the patient, Letter: acceptance rate 0\.0%, 47\.6 points below the campaign's\.$/),
    ]);
    const quintile1 = regional.getByTestId('equity-imdQuintile').locator('[data-group="1"]');
    expect(await quintile1.getByTestId('rate-flag').textContent()).toBe('Flagged: 47.6 points below the campaign');
    // A group with nobody offered says so, and is not flagged.
    expect(await regional.getByTestId('equity-imdQuintile').locator('[data-group="3"]').textContent()).toContain('No one offered yet');

    const csv = await regional.context().request.get(`${api.url}/staff/campaigns/${campaignId}/equity.csv`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')).toContain('imdQuintile,1 (most deprived),20,0,0,20,20,0,20,0,0,0,0,0,0.0,-47.6,below the campaign by more than 10 points,,,no one accepted yet');
    const funnelCsv = await regional.context().request.get(`${api.url}/staff/campaigns/${campaignId}/funnel.csv`);
    expect((await funnelCsv.text()).split('\r\n').at(-1)).toBe('all,All trusts,all,All specialties,50,0,0,42,42,20,20,0,20,0,11,0,0,0,0,22,20,20,20,20,0');
    const audits = await database.db.selectFrom('audit_log').select(['action', 'subject']).where('action', 'like', 'campaign.equity.%').orderBy('id').execute();
    expect(audits).toEqual([
      { action: 'campaign.equity.view', subject: `campaign:${campaignId}` },
      { action: 'campaign.equity.export', subject: `campaign:${campaignId}` },
    ]);
  });

  it('keeps other regions and roles out', async () => {
    const london = await regional.goto(`${api.url}/staff/campaigns/${londonCampaignId}`);
    expect(await seriousViolations(regional)).toEqual([]);
    expect(london!.status()).toBe(404);
    expect((await regional.context().request.get(`${api.url}/staff/campaigns/${londonCampaignId}/equity.csv`)).status()).toBe(404);
    // Finance is national here: both campaigns. A clinician may see none.
    const all = await fetch(`${api.url}/staff/campaigns`, { headers: { authorization: `Bearer ${tokens.finance}` } });
    expect(await all.text()).toContain('London cataracts');
    expect((await fetch(`${api.url}/staff/campaigns/${campaignId}/funnel.json`, { headers: { authorization: `Bearer ${tokens.clinician}` } })).status).toBe(403);
    const json = await fetch(`${api.url}/staff/campaigns/${campaignId}/funnel.json`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect(await json.json()).toMatchObject({ campaignId, started: 42, totals: { treated: 11 } });
  });

  it('shows the numbers without JavaScript', async () => {
    const page = await signIn(tokens.admin, { javaScriptEnabled: false });
    const response = await page.goto(`${api.url}/staff/campaigns/${campaignId}`);
    expect(await seriousViolations(page)).toEqual([]);
    // Figures of the moment: never kept by the browser, so going back shows them afresh.
    expect(response!.headers()['cache-control']).toBe('no-store');
    expect(await stages(page)).toEqual(['50', '42', '42', '20', '20', '20', '11', '0']);
    expect(await text(page, 'funnel-as-of')).toContain('Reload the page for the latest figures.');
    await page.context().close();
  });

  it('fits a phone: nothing wider than the screen on the list, dashboard and equity pages', async () => {
    const phone = await signIn(tokens.regional, { viewport: { width: 375, height: 667 } });
    for (const path of ['/staff/campaigns', `/staff/campaigns/${campaignId}`, `/staff/campaigns/${campaignId}/equity`]) {
      await phone.goto(`${api.url}${path}`);
      expect(await seriousViolations(phone)).toEqual([]);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
    }
    await phone.context().close();
  });
});
