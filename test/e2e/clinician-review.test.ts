/**
 * The clinician's review queue, end to end on the real services: candidates made by the real flow (an
 * API call starts each transfer workflow, which screens it against the IS sites and waits for review),
 * then the trust's clinician, in Chromium at desktop width, reads how many sites can take each patient
 * and why the others cannot, refuses one (first without a reason: the error in place), and confirms
 * (first with none selected: the error in place); each decision goes through the workflow, shows in
 * PostgreSQL, and the queue says what it did. axe-core checks every page seen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { weeksWaited } from '../../domain/rtt';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import type { TestDatabase } from '../support/database';
import { NO_EMAIL_PATHWAY } from '../support/fixture-world';
import { screenshot, seriousViolations, signedInStaffPage } from '../support/pages';
import { startTestServices, type TestServices } from '../support/services';
import { transferAwaitingReview } from '../support/flow';

let services: TestServices;
let database: TestDatabase;
let api: TestApi;
let browser: Browser;
let tokens: Record<StaffRole, string>;
/** The trust's clinician, signed in at desktop width; kept across the tests, as a person would be. */
let page: Page;

/** RWE's three fixture patients, longest waiting first, as the queue lists them. */
const OWEN = { pathwayId: NO_EMAIL_PATHWAY, name: 'Owen Price', clockStart: '2025-03-01' };
const AMIRA = { pathwayId: 1, name: 'Amira Khan', clockStart: '2025-04-01' };
/** BMI 31: Nuffield Leicester takes a BMI up to 30, Spire Leicester up to 40. */
const DAVID = { pathwayId: 2, name: 'David Morgan', clockStart: '2025-05-01' };
const transferIds = new Map<number, number>();
const idOf = (patient: { pathwayId: number }) => transferIds.get(patient.pathwayId)!;

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

const transferState = async (pathwayId: number) =>
  (await database.db.selectFrom('transfers').select('state').where('pathway_id', '=', pathwayId).executeTakeFirst())?.state;

const reviewOf = (transferId: number) =>
  database.db.selectFrom('clinical_reviews').select(['decision', 'reason']).where('transfer_id', '=', transferId).executeTakeFirst();

/** The real flow up to review: the regional team starts the transfer; the workflow screens it and waits for a clinician. */
async function candidate(pathwayId: number): Promise<void> {
  transferIds.set(pathwayId, await transferAwaitingReview(database.db, api.url, tokens.regional, pathwayId));
}

/** Every page the clinician sees passes axe-core, and is kept as a screenshot. */
async function checked(name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, `clinician-review-${name}`);
}

/** Presses a button and waits, generously (a decision goes through Temporal), for the page it lands on; returns its status. */
async function press(button: ReturnType<Page['getByRole']>): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === 'POST', { timeout: 60_000 }),
    page.waitForNavigation({ timeout: 60_000 }),
    button.click(),
  ]);
  return response.status();
}

const row = (patient: { pathwayId: number }) => page.locator(`#candidate-${idOf(patient)}`);

describe("the clinician's review queue", () => {
  it('shows each candidate with how many IS sites can take them, and only the sites that cannot, with why', { timeout: 120_000 }, async () => {
    for (const patient of [OWEN, AMIRA, DAVID]) await candidate(patient.pathwayId);

    page = await signedInStaffPage(browser, api.url, tokens.clinician, { viewport: { width: 1280, height: 900 } });
    expect(new URL(page.url()).pathname).toBe('/staff/review');
    expect(await page.locator('h1').textContent()).toBe('Candidates to review');
    await checked('queue');

    const rows = page.getByTestId('candidate');
    expect(await rows.count()).toBe(3);
    expect(await rows.locator('strong').first().textContent()).toBe(OWEN.name);

    const today = dayOf(new Date());
    const david = row(DAVID);
    expect(await david.getByTestId('site-count').textContent()).toBe('1 of 2 IS sites can take this patient');
    expect(await david.getByTestId('failing-sites').locator('li').allTextContents()).toEqual([
      "Has a BMI of 31, over the site's limit of 30 (Nuffield Health Leicester Hospital)",
    ]);
    // The site that can take him is counted, not listed; no line says "Passes".
    expect(await david.textContent()).not.toContain('Spire Leicester Hospital');
    expect(await page.textContent('main')).not.toContain('Passes');
    expect(await david.getByTestId('waited').textContent()).toContain(`Waiting ${weeksWaited(DAVID.clockStart, today)} weeks: Trauma and Orthopaedic Service`);

    const amira = row(AMIRA);
    expect(await amira.getByTestId('site-count').textContent()).toBe('2 of 2 IS sites can take this patient');
    expect(await amira.getByTestId('failing-sites').count()).toBe(0);

    // Short rows: three candidates fit on a screen or so (35 lines each made a 3,800 px page).
    for (const candidateRow of await rows.all()) expect((await candidateRow.boundingBox())!.height).toBeLessThan(400);
  });

  it('refuses a candidate only with a reason, then says so; the transfer is refused', { timeout: 120_000 }, async () => {
    const owenId = idOf(OWEN);
    expect(await press(row(OWEN).getByRole('button', { name: `Refuse ${OWEN.name}` }))).toBe(400);
    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.textContent()).toContain(`${OWEN.name}: Enter why you are refusing: a refusal needs a reason`);
    expect(await summary.locator('a').getAttribute('href')).toBe(`#reason-${owenId}`);
    expect(await row(OWEN).locator('.nhsuk-form-group--error .nhsuk-error-message').textContent()).toContain('Enter why you are refusing');
    expect(await row(OWEN).getByLabel('Reason for refusing').getAttribute('aria-describedby')).toBe(`reason-${owenId}-error`);
    await checked('refuse-without-reason');
    expect(await reviewOf(owenId)).toBeUndefined();
    expect(await transferState(OWEN.pathwayId)).toBe('awaiting_review');

    await row(OWEN).getByLabel('Reason for refusing').fill('Needs a cardiology opinion first');
    expect(await press(row(OWEN).getByRole('button', { name: `Refuse ${OWEN.name}` }))).toBe(303);
    expect(new URL(page.url()).search).toBe(`?refused=${owenId}`);
    const outcome = page.getByTestId('review-outcome');
    expect(await outcome.locator('h3').textContent()).toBe(`Refused ${OWEN.name}`);
    expect(await outcome.textContent()).toContain('Reason: Needs a cardiology opinion first');
    expect(await outcome.textContent()).toContain('They will not be offered this transfer');
    await checked('refused');
    expect(await page.locator(`#candidate-${owenId}`).count()).toBe(0);
    expect(await reviewOf(owenId)).toEqual({ decision: 'refused', reason: 'Needs a cardiology opinion first' });
    await expect.poll(() => transferState(OWEN.pathwayId), { timeout: 30_000 }).toBe('refused');
  });

  it('confirms only what is selected, then says so; the transfer moves on to its offer', { timeout: 120_000 }, async () => {
    const amiraId = idOf(AMIRA);
    expect(await press(page.getByRole('button', { name: 'Confirm selected candidates' }))).toBe(400);
    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.textContent()).toContain('Select at least one candidate to confirm');
    // The first candidate's tick box, now Amira's.
    expect(await summary.locator('a').getAttribute('href')).toBe(`#select-${amiraId}`);
    expect(await page.locator('#confirm-form .nhsuk-error-message').textContent()).toContain('Select at least one candidate to confirm');
    expect(await page.getByTestId('candidate').count()).toBe(2);
    await checked('confirm-none-selected');

    await row(AMIRA).getByRole('checkbox', { name: `Select ${AMIRA.name}` }).check();
    expect(await press(page.getByRole('button', { name: 'Confirm selected candidates' }))).toBe(303);
    expect(new URL(page.url()).search).toBe(`?confirmed=${amiraId}`);
    const outcome = page.getByTestId('review-outcome');
    expect(await outcome.locator('h3').textContent()).toBe(`Confirmed ${AMIRA.name}`);
    expect(await outcome.textContent()).toContain('The patient will be offered the IS sites that can take them');
    expect(await page.getByTestId('review-not-confirmed').count()).toBe(0);
    await checked('confirmed');
    expect(await page.locator(`#candidate-${amiraId}`).count()).toBe(0);
    expect(await reviewOf(amiraId)).toEqual({ decision: 'confirmed', reason: null });
    await expect.poll(() => transferState(AMIRA.pathwayId), { timeout: 30_000 }).toBe('offered');
  });

  it('confirms a batch one by one, and names any that could not be, with why in words', { timeout: 120_000 }, async () => {
    // Owen's refused already (a second tab, say): David is confirmed, and the page says why Owen is not.
    const response = await fetch(`${api.url}/staff/review/confirm`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.clinician}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['transferIds', String(idOf(OWEN))],
        ['transferIds', String(idOf(DAVID))],
      ]),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toBe(`/staff/review?confirmed=${idOf(OWEN)},${idOf(DAVID)}`);

    await page.goto(`${api.url}${location}`);
    expect(await page.getByTestId('review-outcome').locator('h3').textContent()).toBe(`Confirmed ${DAVID.name}`);
    const notConfirmed = page.getByTestId('review-not-confirmed');
    expect(await notConfirmed.locator('h3').textContent()).toBe('1 candidate was not confirmed');
    expect(await notConfirmed.locator('li').allTextContents()).toEqual([`${OWEN.name}: it was refused already, by you`]);
    expect(await page.getByTestId('queue-empty').count()).toBe(1);
    await checked('batch-confirmed');
    await expect.poll(() => transferState(DAVID.pathwayId), { timeout: 30_000 }).toBe('offered');
    expect(await transferState(OWEN.pathwayId)).toBe('refused');

    // Refused again (the back button, say): the workflow refuses the change, and the queue says why in words.
    const again = await fetch(`${api.url}/staff/review/${idOf(OWEN)}/refuse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.clinician}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ reason: 'Twice' }),
    });
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toContain(`<a href="#maincontent">${OWEN.name} could not be refused: it was refused already, by you</a>`);
    expect(html).toContain('Backlog Transfer');
    expect(await reviewOf(idOf(OWEN))).toEqual({ decision: 'refused', reason: 'Needs a cardiology opinion first' });
    await page.context().close();
  });
});
