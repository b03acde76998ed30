/**
 * Every kind of page the product serves, opened in Chromium on the real services, asks nothing of any
 * host but the app's own (no fonts, scripts, styles or images from elsewhere: the service works on a
 * closed network), and breaks none of the app's Content Security Policy. The patient's offer page comes
 * from a real transfer's emailed link, through its answers to the expired link; the staff pages are
 * seen by each role with something on them; then the dev mailbox and the API docs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherClaims, prepareClaimLines } from '../../db/repositories/claims';
import { createFund } from '../../db/repositories/funds';
import type { StaffRole } from '../../db/schema';
import { addDays, dayOf } from '../../domain/dates';
import { seedHeldBookings, treatBookings } from '../../generate/bookings';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import type { TestDatabase } from '../support/database';
import { fixtureHipBookings, LAST_MONTH_DAY, NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { linkIn, waitForMail } from '../support/mail';
import { startTestServices, type TestServices } from '../support/services';
import { insertCampaign } from '../reports/campaign-transfers';
import { seriousViolations } from '../support/pages';
import { transferAwaitingReview } from '../support/flow';

const TODAY = dayOf(new Date());

let services: TestServices;
let database: TestDatabase;
let api: TestApi;
let browser: Browser;
let tokens: Record<StaffRole, string>;
let fundId: number;
let claimId: number;
let campaignId: number;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  api = await services.startApi();
  await services.startWorker(api.url);
  browser = await launchBrowser();

  // A fund with a claim to review and a booking for the provider; a campaign for the dashboard.
  const db = database.db;
  ({ id: fundId } = await createFund(db, {
    name: 'East Midlands hips',
    allocationPence: 10_000_000,
    windowFrom: addDays(LAST_MONTH_DAY, -40),
    windowTo: addDays(TODAY, 120),
    regionCode: 'Y60',
    trusts: [{ trustOds: 'RWE', allocationPence: null }],
    treatmentFunctions: [],
  }));
  await treatBookings(db, await seedHeldBookings(db, fixtureHipBookings(fundId, 1)), { procedureCode: 'W37.1', treatedOn: LAST_MONTH_DAY });
  await seedHeldBookings(db, fixtureHipBookings(fundId, 1));
  await prepareClaimLines(db, fundId, TODAY);
  const [claim] = await gatherClaims(db, fundId, TODAY);
  claimId = claim!.id;
  campaignId = await insertCampaign(db, {
    name: 'Midlands hips',
    regionCode: 'Y60',
    fundId,
    trusts: ['RWE'],
    treatmentFunctions: ['110'],
    periodFrom: addDays(TODAY, -30),
    periodTo: addDays(TODAY, 90),
    eligible: 10,
  });
});

afterAll(async () => {
  await browser?.close();
  await services?.close();
});

/**
 * A page that records, from its first request, every request it makes to another host and every
 * breach of the Content Security Policy the browser reports.
 */
function watched(page: Page) {
  const ownHost = new URL(api.url).host;
  const breaches: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    // data: and blob: URLs are the page's own bytes; anything fetched over the network must be ours.
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.host !== ownHost) breaches.push(`${page.url()} asked ${request.url()}`);
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) breaches.push(`${page.url()} broke the CSP: ${message.text()}`);
  });
  page.on('pageerror', (error) => breaches.push(`${page.url()} threw ${error.message}`));
  return { page, breaches };
}

/** Opens a path and waits until it has loaded everything it asks for (its fonts included); axe-core finds nothing serious on it. */
async function open(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(path.startsWith('http') ? path : `${api.url}${path}`, { waitUntil: 'networkidle' });
  expect(response?.status(), path).toBe(status);
  // The design system's stylesheet is applied: its font stack, served from here, falls back to Arial.
  if (!path.startsWith('/docs')) expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily), path).toMatch(/arial/i);
  expect(await seriousViolations(page), path).toEqual([]);
}

async function signedIn(role: StaffRole): Promise<{ context: BrowserContext; page: Page; breaches: string[] }> {
  const context = await browser.newContext();
  const { page, breaches } = watched(await context.newPage());
  page.setDefaultTimeout(15_000);
  await open(page, '/staff/sign-in');
  await page.getByLabel('Your staff access token').fill(tokens[role]);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  return { context, page, breaches };
}

describe('every page', () => {
  it("the patient's offer page, its answers and its expiry ask nothing of another host", { timeout: 120_000 }, async () => {
    const patient = await patientOf(database.db, 1);
    const transferId = await transferAwaitingReview(database.db, api.url, tokens.regional, 1);
    const reviewed = await fetch(`${api.url}/api/v1/transfers/${transferId}/review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.clinician}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'confirm' }),
    });
    expect(reviewed.status).toBe(200);
    const link = linkIn(await waitForMail(database.db, patient.email!), /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/);

    const { page, breaches } = watched(await browser.newPage());
    page.setDefaultTimeout(90_000);
    await open(page, link);
    expect(await page.getByTestId('offer').getAttribute('data-state')).toBe('offered');
    // An answer that is not whole: the page again, with its error summary.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Accept and book this date' }).click()]);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(1);
    // Declined: the status page.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Decline and keep my place' }).click()]);
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('You have declined the offer');
    // Expired: the link no longer opens the offer.
    await database.db.updateTable('offers').set({ expires_at: new Date(Date.now() - 60_000) }).where('transfer_id', '=', transferId).execute();
    await open(page, link, 404);
    expect(breaches).toEqual([]);
    await page.close();
  });

  it('the staff pages, for each role, ask nothing of another host', { timeout: 120_000 }, async () => {
    // A candidate in the clinician's queue.
    await transferAwaitingReview(database.db, api.url, tokens.regional, NO_EMAIL_PATHWAY);

    const anonymous = watched(await browser.newPage());
    await open(anonymous.page, '/staff/sign-in');
    await anonymous.page.getByLabel('Your staff access token').fill('not-a-token');
    await Promise.all([anonymous.page.waitForNavigation(), anonymous.page.getByRole('button', { name: 'Sign in' }).click()]);
    await anonymous.page.waitForLoadState('networkidle');
    expect(anonymous.breaches).toEqual([]);
    await anonymous.page.close();

    const pages: Partial<Record<StaffRole, readonly (readonly [string, number?])[]>> = {
      clinician: [['/staff/review']],
      provider: [['/staff/bookings']],
      regional: [
        ['/staff/shortfalls'],
        ['/staff/campaigns'],
        ['/staff/campaigns/launch'],
        [`/staff/campaigns/${campaignId}`],
        [`/staff/campaigns/${campaignId}/equity`],
        ['/staff/funds'],
        [`/staff/funds/${fundId}`],
        // The staff error page.
        ['/staff/funds/999999', 404],
      ],
      finance: [['/staff/claims'], [`/staff/claims/${claimId}`]],
      admin: [['/staff/audit'], ['/staff/messages']],
    };
    for (const [role, paths] of Object.entries(pages) as [StaffRole, readonly (readonly [string, number?])[]][]) {
      const { context, page, breaches } = await signedIn(role);
      for (const [path, status] of paths) await open(page, path, status);
      if (role === 'clinician') expect(await page.getByTestId('candidate').count()).toBe(1);
      expect(breaches, role).toEqual([]);
      await context.close();
    }
  });

  it('the dev mailbox and a message in it ask nothing of another host', async () => {
    const { id } = await database.db.selectFrom('dev_mailbox').select('id').orderBy('id').executeTakeFirstOrThrow();
    const { page, breaches } = watched(await browser.newPage());
    await open(page, '/dev/mailbox');
    await open(page, `/dev/mailbox/${id}`);
    expect(breaches).toEqual([]);
    await page.close();
  });

  it('the API docs render the document from this host alone', async () => {
    const { page, breaches } = watched(await browser.newPage());
    await open(page, '/docs');
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    await page.waitForLoadState('networkidle');
    expect(breaches).toEqual([]);
    await page.close();
  });
});
