/**
 * A campaign from the staff pages alone, end to end in Chromium at desktop width on the real
 * services: the Midlands regional team fills in the launch form (a wrong one first, shown again with
 * an error summary and what was entered), checks the dry run's figures, the same as the API's dry run
 * gives, launches, and sees the confirmation on the new campaign's dashboard; then pauses, resumes and
 * cancels it, each after its check step. Every page passes axe-core; the dashboard's tables fit the
 * page; "updates every 5 seconds" is said only once the figures have updated; an empty rate is never
 * "–%"; finance sees the campaign but cannot launch or steer one.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema';
import { addDays, dayOf } from '../../domain/dates';
import { formatPence } from '../../domain/money';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import type { TestDatabase } from '../support/database';
import { FIXTURE_FUND_ID } from '../support/fixture-world';
import { screenshot, seriousViolations, signedInStaffPage } from '../support/pages';
import { startTestServices, type TestServices } from '../support/services';

const TODAY = dayOf(new Date());
const NAME = 'Leicester hips from the pages';
const FROM = addDays(TODAY, 7);
const TO = addDays(TODAY, 90);
const DESKTOP = { width: 1280, height: 800 };

let services: TestServices;
let database: TestDatabase;
let api: TestApi;
let browser: Browser;
let tokens: Record<StaffRole, string>;
/** The regional team, signed in, kept across the tests as a person would be. */
let regional: Page;
let campaignId: number;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  api = await services.startApi();
  await services.startWorker(api.url);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await services?.close();
});

const signIn = (token: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> => signedInStaffPage(browser, api.url, token, { viewport: DESKTOP, ...options });

/** Every page seen is checked with axe-core and kept as a screenshot. */
async function looked(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, `campaign-journeys-${name}`);
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

async function fillDate(page: Page, legend: string, day: string) {
  const [year, month, date] = day.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(date ? String(Number(date)) : '');
  await group.getByLabel('Month').fill(month ? String(Number(month)) : '');
  await group.getByLabel('Year').fill(year ?? '');
}

describe('a campaign from the staff pages alone', () => {
  it('shows the launch form again, with what is wrong in plain words and what was entered', async () => {
    regional = await signIn(tokens.regional);
    await regional.goto(`${api.url}/staff/campaigns`);
    await looked(regional, 'list');
    await regional.getByRole('link', { name: 'Launch a campaign' }).click();
    await regional.waitForURL(`${api.url}/staff/campaigns/launch`);
    expect(await regional.locator('h1').textContent()).toBe('Launch a campaign');
    // The team's region is theirs: the form says it and does not ask.
    expect(await regional.getByTestId('launch-form').textContent()).toContain('Region: Midlands (Y60)');
    await looked(regional, 'launch-form');

    await regional.getByLabel('Campaign name').fill(NAME);
    await regional.getByLabel('University Hospitals of Leicester NHS Trust (RWE)').check();
    await regional.getByLabel('Trauma and Orthopaedic Service (110)').check();
    await regional.getByLabel('Midlands elective recovery 2026/27').check();
    // 31 February, no last day, and words for the most offers.
    await fillDate(regional, 'First day of offers', `${FROM.slice(0, 4)}-02-31`);
    await regional.getByLabel('The most offers the campaign may make').fill('ten');
    const [response] = await Promise.all([regional.waitForResponse((r) => r.request().method() === 'POST'), regional.getByRole('button', { name: 'Continue' }).click()]);
    expect(response.status()).toBe(400);

    expect(await regional.title()).toMatch(/^Error: Launch a campaign/);
    const summary = regional.locator('.nhsuk-error-summary');
    expect(await summary.locator('li').allTextContents()).toEqual([
      'The first day of offers must be a real date',
      'Enter the last day of offers',
      'The most offers must be a whole number, such as 10',
    ]);
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#from-day');
    expect(await regional.locator('#from-error').textContent()).toContain('must be a real date');
    expect(await regional.locator('main').innerText()).not.toMatch(/\b(expected|received|NaN|invalid_type|undefined)\b/i);
    // What was entered is kept.
    expect(await regional.getByLabel('Campaign name').inputValue()).toBe(NAME);
    expect(await regional.getByLabel('University Hospitals of Leicester NHS Trust (RWE)').isChecked()).toBe(true);
    expect(await regional.getByLabel('Trauma and Orthopaedic Service (110)').isChecked()).toBe(true);
    expect(await regional.getByLabel('Midlands elective recovery 2026/27').isChecked()).toBe(true);
    expect(await regional.getByRole('group', { name: 'First day of offers' }).getByLabel('Day').inputValue()).toBe('31');
    expect(await regional.getByLabel('The most offers the campaign may make').inputValue()).toBe('ten');
    await looked(regional, 'launch-form-errors');
  });

  it('shows the dry run on the check page, the same figures as the API’s, with Change links that keep the answers', async () => {
    await fillDate(regional, 'First day of offers', FROM);
    await fillDate(regional, 'Last day of offers', TO);
    await regional.getByLabel('The most offers the campaign may make').fill('10');
    await regional.getByRole('button', { name: 'Continue' }).click();
    await regional.waitForURL(/\/staff\/campaigns\/launch\/check\?/);
    expect(await regional.locator('h1').textContent()).toBe('Check your campaign before launching');
    await looked(regional, 'check');

    const dryRun = await fetch(`${api.url}/api/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.regional}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: NAME,
        regionCode: 'Y60',
        trusts: ['RWE'],
        treatmentFunctions: ['110'],
        fundId: FIXTURE_FUND_ID,
        period: { from: FROM, to: TO },
        maxOffers: 10,
        dryRun: true,
      }),
    });
    expect(dryRun.status).toBe(200);
    const { summary } = (await dryRun.json()) as { summary: Record<string, number> & { screenedOutReasons: Record<string, number> } };
    expect(summary.eligible).toBeGreaterThan(0);
    const shown = {
      eligible: await text(regional, 'dry-run-eligible'),
      screenedOut: await text(regional, 'dry-run-screenedOut-count'),
      noChoice: await text(regional, 'dry-run-noChoice'),
      wouldOffer: await text(regional, 'dry-run-wouldOffer'),
      expectedCostPence: await text(regional, 'dry-run-expectedCostPence'),
      fundRemainingPence: await text(regional, 'dry-run-fundRemainingPence'),
      slotsAvailable: await text(regional, 'dry-run-slotsAvailable'),
    };
    expect(shown).toEqual({
      eligible: String(summary.eligible),
      screenedOut: String(summary.screenedOut),
      noChoice: String(summary.noChoice),
      wouldOffer: String(summary.wouldOffer),
      expectedCostPence: formatPence(summary.expectedCostPence!),
      fundRemainingPence: formatPence(summary.fundRemainingPence!),
      slotsAvailable: String(summary.slotsAvailable),
    });
    if (summary.screenedOut! > 0) {
      expect(await text(regional, 'dry-run-noSiteForProcedure')).toMatch(new RegExp(`^${summary.screenedOutReasons.noSiteForProcedure} because`));
    }

    // Change the name: the form comes back with every answer, and Continue brings the check back.
    await regional.getByRole('link', { name: 'Change the name' }).click();
    await regional.waitForURL(/\/staff\/campaigns\/launch\?/);
    expect(await regional.getByLabel('Campaign name').inputValue()).toBe(NAME);
    expect(await regional.getByLabel('University Hospitals of Leicester NHS Trust (RWE)').isChecked()).toBe(true);
    expect(await regional.getByRole('group', { name: 'Last day of offers' }).getByLabel('Year').inputValue()).toBe(TO.slice(0, 4));
    await regional.getByRole('button', { name: 'Continue' }).click();
    await regional.waitForURL(/\/staff\/campaigns\/launch\/check\?/);
    expect(await text(regional, 'dry-run-eligible')).toBe(String(summary.eligible));
  });

  it('launches, and the new campaign’s dashboard says so', async () => {
    await regional.getByRole('button', { name: 'Launch campaign' }).click();
    await regional.waitForURL(/\/staff\/campaigns\/\d+\?done=launched$/);
    const campaign = await database.db.selectFrom('campaigns').select(['id', 'status', 'launched_by']).where('name', '=', NAME).executeTakeFirstOrThrow();
    campaignId = campaign.id;
    expect(regional.url()).toBe(`${api.url}/staff/campaigns/${campaignId}?done=launched`);
    expect(campaign.status).toBe('running');
    expect(await text(regional, 'success-banner')).toContain('Campaign launched');
    expect(await regional.locator('h1').textContent()).toContain(NAME);
    await looked(regional, 'dashboard-launched');
  });

  it('fits the dashboard’s tables to the page, says it updates only once it has, and shows no "–%"', async () => {
    // The workflow starts the campaign's transfers: the tables by trust and specialty fill.
    await expect
      .poll(async () => {
        await regional.goto(`${api.url}/staff/campaigns/${campaignId}`);
        return regional.getByTestId('funnel-group').count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => text(regional, 'funnel-as-of')).toContain('These figures update every 5 seconds.');

    // Every column header can be seen without scrolling, and any box that does scroll can be reached from the keyboard.
    const headers = await regional.evaluate(() =>
      [...document.querySelectorAll('main th')]
        .filter((th) => (th as HTMLElement).offsetParent !== null)
        .map((th) => {
          const box = th.getBoundingClientRect();
          let clippedBy: Element | null = null;
          let scroller: Element | null = null;
          for (let parent = th.parentElement; parent; parent = parent.parentElement) {
            const overflow = getComputedStyle(parent).overflowX;
            if (overflow === 'visible') continue;
            const frame = parent.getBoundingClientRect();
            if (box.left < frame.left - 1 || box.right > frame.right + 1) clippedBy = parent;
            if (parent.scrollWidth > parent.clientWidth) scroller = parent;
          }
          return {
            text: th.textContent?.trim(),
            seen: box.right <= window.innerWidth && box.left >= 0 && clippedBy === null,
            scrollerFocusable: scroller === null || (scroller.getAttribute('tabindex') === '0' && scroller.getAttribute('role') === 'region' && Boolean(scroller.getAttribute('aria-label'))),
          };
        }),
    );
    expect(headers.length).toBeGreaterThanOrEqual(2 + 7 + 2 + 5);
    expect(headers.filter((header) => !header.seen)).toEqual([]);
    expect(headers.filter((header) => !header.scrollerFocusable)).toEqual([]);
    expect(await regional.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.width);
    // Each stage is a column of one of the two tables by trust and specialty.
    const stageHeaders = [...(await regional.getByTestId('funnel-groups').locator('th').allTextContents()), ...(await regional.getByTestId('funnel-exits').locator('th').allTextContents())];
    expect(stageHeaders.filter((header) => header !== 'Trust' && header !== 'Specialty')).toHaveLength(12);

    // Without JavaScript nothing updates, and the page does not say it does.
    const noScript = await signIn(tokens.regional, { javaScriptEnabled: false });
    await noScript.goto(`${api.url}/staff/campaigns/${campaignId}`);
    expect(await text(noScript, 'funnel-as-of')).toContain('Reload the page for the latest figures.');
    expect(await noScript.content()).not.toContain('update every');
    // Nobody offered yet: the equity report's rates say so in words.
    await noScript.goto(`${api.url}/staff/campaigns/${campaignId}/equity`);
    expect(await noScript.content()).not.toContain('–%');
    expect(await noScript.content()).toContain('is not known yet: no one offered yet');
    await looked(noScript, 'equity-empty');
    await noScript.context().close();
  });

  it('pauses, resumes and cancels the campaign, each after its check step', async () => {
    await regional.goto(`${api.url}/staff/campaigns/${campaignId}`);
    const buttons = () => regional.getByTestId('campaign-actions').getByRole('link').allTextContents();
    expect(await buttons()).toEqual(['Pause campaign', 'Cancel campaign']);

    await regional.getByRole('link', { name: 'Pause campaign' }).click();
    await regional.waitForURL(`${api.url}/staff/campaigns/${campaignId}/pause`);
    expect(await regional.locator('h1').textContent()).toBe(`Are you sure you want to pause ${NAME}?`);
    expect(await regional.locator('main').textContent()).toContain('No new offers go out while it is paused.');
    await looked(regional, 'pause-check');
    await regional.getByRole('button', { name: 'Pause campaign' }).click();
    await regional.waitForURL(`${api.url}/staff/campaigns/${campaignId}?done=pause`);
    expect(await text(regional, 'success-banner')).toContain('Campaign paused');
    expect(await regional.locator('main .nhsuk-tag').first().textContent()).toBe('Paused');
    expect(await buttons()).toEqual(['Resume campaign', 'Cancel campaign']);
    await looked(regional, 'dashboard-paused');

    await regional.getByRole('link', { name: 'Resume campaign' }).click();
    expect(await regional.locator('h1').textContent()).toBe(`Are you sure you want to resume ${NAME}?`);
    await looked(regional, 'resume-check');
    await regional.getByRole('button', { name: 'Resume campaign' }).click();
    await regional.waitForURL(`${api.url}/staff/campaigns/${campaignId}?done=resume`);
    expect(await text(regional, 'success-banner')).toContain('Campaign resumed');
    expect(await regional.locator('main .nhsuk-tag').first().textContent()).toBe('Running');
    await looked(regional, 'dashboard-resumed');

    await regional.getByRole('link', { name: 'Cancel campaign' }).click();
    expect(await regional.locator('h1').textContent()).toBe(`Are you sure you want to cancel ${NAME}?`);
    expect(await regional.locator('main').textContent()).toContain('Cancelling stops offers for good');
    await looked(regional, 'cancel-check');
    // "No" leads back, and changes nothing.
    await regional.getByRole('link', { name: 'No, go back to the dashboard' }).click();
    await regional.waitForURL(`${api.url}/staff/campaigns/${campaignId}`);
    expect(await regional.getByTestId('success-banner').count()).toBe(0);
    await regional.getByRole('link', { name: 'Cancel campaign' }).click();
    await regional.getByRole('button', { name: 'Cancel campaign' }).click();
    await regional.waitForURL(`${api.url}/staff/campaigns/${campaignId}?done=cancel`);
    expect(await text(regional, 'success-banner')).toContain('Campaign cancelled');
    expect(await regional.locator('main .nhsuk-tag').first().textContent()).toBe('Cancelled');
    expect(await regional.getByTestId('campaign-actions').count()).toBe(0);
    await looked(regional, 'dashboard-cancelled');

    const audited = await database.db.selectFrom('audit_log').select('action').where('subject', '=', `campaign:${campaignId}`).where('action', 'not like', 'campaign.equity%').orderBy('id').execute();
    expect(audited.map((entry) => entry.action)).toEqual(['campaign.launch', 'campaign.pause', 'campaign.resume', 'campaign.cancel']);
    // A change the campaign no longer allows is not offered: its check step leads back to the dashboard.
    await regional.goto(`${api.url}/staff/campaigns/${campaignId}/pause`);
    expect(regional.url()).toBe(`${api.url}/staff/campaigns/${campaignId}`);
  });

  it('keeps a launch to the team’s own region, as the API does', async () => {
    const check = new URL(regional.url());
    const query = new URLSearchParams({ name: 'London by the back door', regionCode: 'Y56', treatmentFunctions: '110', fundId: String(FIXTURE_FUND_ID), maxOffers: '5' });
    for (const [field, day] of [['from', FROM], ['to', TO]] as const) {
      const [year, month, date] = day.split('-');
      query.set(`${field}-day`, date!);
      query.set(`${field}-month`, month!);
      query.set(`${field}-year`, year!);
    }
    const response = await regional.goto(`${check.origin}/staff/campaigns/launch/check?${query.toString()}`);
    expect(response!.status()).toBe(403);
    expect(await regional.locator('.nhsuk-error-summary li').allTextContents()).toEqual(['You may launch campaigns only for region Y60']);
    await looked(regional, 'launch-other-region');
  });

  it('lets finance see the campaign but neither launch nor steer one', async () => {
    const finance = await signIn(tokens.finance);
    await finance.goto(`${api.url}/staff/campaigns`);
    expect(await finance.getByRole('link', { name: 'Launch a campaign' }).count()).toBe(0);
    await finance.goto(`${api.url}/staff/campaigns/${campaignId}`);
    expect(await finance.locator('h1').textContent()).toContain(NAME);
    expect(await finance.getByTestId('campaign-actions').count()).toBe(0);
    expect((await finance.goto(`${api.url}/staff/campaigns/launch`))!.status()).toBe(403);
    expect((await finance.goto(`${api.url}/staff/campaigns/${campaignId}/pause`))!.status()).toBe(403);
    const post = await finance.context().request.post(`${api.url}/staff/campaigns/${campaignId}/resume`, { form: { confirm: 'yes' } });
    expect(post.status()).toBe(403);
    await finance.context().close();
  });
});
