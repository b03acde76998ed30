/**
 * The patient's journeys as a patient meets them (issue 17): on a 390 px phone with JavaScript off,
 * from the emailed link, each answer ending on an NHS confirmation page with what was done, a reference,
 * what happens next and the number to call; withdrawing only after "Are you sure?"; how we contact them
 * changed, from text messages to email; a choice kept when the answer is not whole; the footer's
 * privacy notice, accessibility statement and contact page. Every page seen passes axe-core (no
 * serious or critical violation), asks no other host for anything, fits the phone's width, and is
 * saved as a screenshot in test/screenshots/ for a reviewer.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import { FIXTURE_FUND_ID, patientOf } from '../support/fixture-world';
import { linkIn, waitForMail } from '../support/mail';
import { phoneWithoutJavaScript, screenshot, seriousViolations } from '../support/pages';
import { startTestServices, TEST_PATIENT_PHONE, type TestServices } from '../support/services';

let services: TestServices;
let api: TestApi;
let browser: Browser;
let phone: { context: BrowserContext; foreignRequests: string[] };

beforeAll(async () => {
  services = await startTestServices();
  // Text messages set up, as the patient's page then offers them.
  api = await services.startApi({ textMessages: true });
  await services.startWorker(api.url);
  browser = await launchBrowser();
  phone = await phoneWithoutJavaScript(browser);
}, 120_000);

afterAll(async () => {
  await phone?.context.close();
  await browser?.close();
  await services?.close();
});

const staff = (role: 'regional' | 'clinician' | 'provider', path: string, body?: unknown) =>
  fetch(`${api.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${services.tokens[role]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Starts the pathway's transfer, has the clinician confirm it, and gives the link in the patient's offer email. */
async function offerLink(pathwayId: number): Promise<string> {
  expect((await staff('regional', '/transfers', { pathwayId, fundId: FIXTURE_FUND_ID })).status).toBe(202);
  await expect
    .poll(() => services.database.db.selectFrom('transfers').select('state').where('pathway_id', '=', pathwayId).executeTakeFirst(), { timeout: 30_000 })
    .toEqual({ state: 'awaiting_review' });
  const { id } = await services.database.db.selectFrom('transfers').select('id').where('pathway_id', '=', pathwayId).executeTakeFirstOrThrow();
  expect((await staff('clinician', `/transfers/${id}/review`, { decision: 'confirm' })).status).toBe(200);
  const patient = await patientOf(services.database.db, pathwayId);
  return linkIn(await waitForMail(services.database.db, patient.email!, 30_000), /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/);
}

/** What every page must be: accessible, within the phone's width, and kept as a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits the phone`).toBeLessThanOrEqual(390);
  await screenshot(page, `patient-${name}`);
}

/** A patient page: the number to call near the top, and the beta banner. */
async function patientPage(page: Page, name: string): Promise<void> {
  expect(await page.getByTestId('call-us').textContent(), name).toContain(TEST_PATIENT_PHONE);
  expect(await page.getByTestId('call-us').locator('a').getAttribute('href')).toBe(`tel:${TEST_PATIENT_PHONE.replace(/ /g, '')}`);
  expect(await page.getByTestId('phase-banner').textContent()).toContain('Beta');
  await check(page, name);
}

/** Presses a button and waits for the page it leads to (a redirect's target, or the form again). */
async function press(page: Page, button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === 'POST', { timeout: 90_000 }),
    page.waitForNavigation({ timeout: 90_000 }),
    page.getByRole('button', { name: button }).click(),
  ]);
  return response.status();
}

describe("a patient's journeys on a phone, without JavaScript", () => {
  it('accepts a date after an answer that was not whole, is told what happens next, then cancels after "Are you sure?"', { timeout: 180_000 }, async () => {
    const link = await offerLink(1);
    const page = await phone.context.newPage();
    await page.goto(link);
    expect(await page.getByTestId('offer').getAttribute('data-state')).toBe('offered');
    // The distance is the patient's, in each date's hint; no raw state name anywhere a screen reader reads.
    const firstDate = page.getByTestId('choice').first().locator('input[type=radio]').first();
    const hint = await page.locator(`#${await firstDate.getAttribute('aria-describedby')}`).textContent();
    expect(hint).toMatch(/^About [0-9.]+ miles from your home\. The hospital's postcode is LE2 2FF$/);
    expect(await page.textContent('main')).not.toContain('offered');
    await patientPage(page, 'offer');

    // A date chosen but one consent missing: the error in place, the choice and the tick kept.
    await firstDate.check();
    await page.getByLabel(/my care for this treatment moving/).check();
    expect(await press(page, 'Accept and book this date')).toBe(400);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('agree to your records being shared');
    expect(await page.getByTestId('choice').first().locator('input[type=radio]').first().isChecked()).toBe(true);
    expect(await page.getByLabel(/my care for this treatment moving/).isChecked()).toBe(true);
    await patientPage(page, 'offer-error');

    await page.getByLabel(/sharing my health records/).check();
    expect(await press(page, 'Accept and book this date')).toBe(303);
    const panel = page.getByTestId('confirmation');
    expect(await panel.locator('h1').textContent()).toBe('Your date is being booked');
    expect(await page.getByTestId('reference').textContent()).toMatch(/^BT-\d{6}$/);
    expect(await page.getByTestId('booking').textContent()).toContain('Spire Leicester Hospital');
    expect(await page.textContent('main')).toContain('What happens next');
    await patientPage(page, 'accept-confirmation');

    // Back to the offer: the booking, with a way to cancel that first asks.
    await page.getByRole('link', { name: 'See where things stand' }).click();
    await expect.poll(() => page.getByTestId('offer').getAttribute('data-state'), { timeout: 30_000 }).toMatch(/^(booking|awaiting_provider)$/);
    await page.reload();
    await patientPage(page, 'awaiting-provider');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Cancel my treatment there' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Are you sure you want to cancel your treatment?');
    expect(await page.getByTestId('booking').textContent()).toContain('Spire Leicester Hospital');
    await patientPage(page, 'withdraw-check');
    // "No": nothing changes.
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'No, keep my treatment' }).click()]);
    expect(await page.getByTestId('offer').getAttribute('data-state')).not.toBe('withdrawn');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Cancel my treatment there' }).click()]);
    await page.getByLabel('Why are you cancelling? (optional)').fill('I have found a date nearer home');
    expect(await press(page, 'Yes, cancel my treatment')).toBe(303);
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('Your treatment has been cancelled');
    expect(await page.textContent('main')).toContain('Your waiting time has not changed');
    await patientPage(page, 'withdraw-confirmation');
    const transfer = await services.database.db.selectFrom('transfers').select('state').where('pathway_id', '=', 1).executeTakeFirstOrThrow();
    expect(transfer.state).toBe('withdrawn');
    await page.close();
  });

  it('asks for a call back, then declines: a confirmation for each', { timeout: 180_000 }, async () => {
    const link = await offerLink(2);
    const page = await phone.context.newPage();
    await page.goto(link);
    expect(await press(page, 'Ask for a call back')).toBe(303);
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('We will call you');
    expect(await page.textContent('main')).toContain('Your offer stays open');
    await patientPage(page, 'callback-confirmation');

    // How we contact them: David has a mobile and an email address; texts are what we use now.
    await page.goto(link);
    await page.getByRole('link', { name: 'Change how we contact you' }).click();
    expect(await page.locator('h1').textContent()).toBe('How should we contact you?');
    expect(await page.getByLabel('Text message').isChecked()).toBe(true);
    expect(await page.getByTestId('where-sms').textContent()).toBe('to 07••• ••• 102');
    expect(await page.getByTestId('where-email').textContent()).toBe('to d•••@example.nhs.test');
    await patientPage(page, 'how-we-contact');
    await page.getByLabel('Email').check();
    expect(await press(page, 'Save how we contact you')).toBe(303);
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('We will contact you by email');
    await patientPage(page, 'how-we-contact-confirmation');
    const patient = await patientOf(services.database.db, 2);
    expect((await services.database.db.selectFrom('patients').select('contact_channel').where('id', '=', patient.id).executeTakeFirstOrThrow()).contact_channel).toBe('email');

    await page.goto(link);
    await page.getByLabel('Why are you declining? (optional)').fill('I would rather stay with my own hospital');
    expect(await press(page, 'Decline and keep my place')).toBe(303);
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('You have declined the offer');
    expect(await page.getByTestId('reference').textContent()).toMatch(/^BT-\d{6}$/);
    await patientPage(page, 'decline-confirmation');

    await page.goto(link);
    expect(await page.getByTestId('status-heading').textContent()).toBe('You declined the offer');
    await patientPage(page, 'declined');
    await page.close();
  });

  it('an expired link, and the footer’s pages: each says how to reach us', { timeout: 60_000 }, async () => {
    const page = await phone.context.newPage();
    expect((await page.goto(`${api.url}/offer/o_not-a-real-token`))!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This link has expired or is not valid');
    await patientPage(page, 'expired');
    for (const [link, heading, name] of [
      ['Privacy notice', 'Privacy notice', 'privacy'],
      ['Accessibility statement', 'Accessibility statement', 'accessibility'],
      ['Contact us', 'Contact us', 'contact'],
    ] as const) {
      await page.goto(`${api.url}/offer/o_not-a-real-token`);
      await Promise.all([page.waitForNavigation(), page.locator('footer').getByRole('link', { name: link }).click()]);
      expect(await page.locator('h1').textContent()).toBe(heading);
      expect(await page.textContent('main')).toContain(TEST_PATIENT_PHONE);
      await check(page, name);
    }
    expect(phone.foreignRequests).toEqual([]);
    await page.close();
  });
});
