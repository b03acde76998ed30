/**
 * The IS provider's bookings page, end to end on the real services: real bookings are made by the
 * real flow (an API call starts the transfer workflow, a clinician confirms, the patient's acceptance
 * goes to the workflow as its Update), then a provider signs in in Chromium, accepts a booking through
 * its check step and records its outcome (the date treated in the NHS date input), or rejects one;
 * each change goes through the workflow, shows in PostgreSQL and is confirmed on the page. axe-core
 * checks every page seen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSlots } from '../../db/repositories/offer-choices';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import type { StaffRole } from '../../db/schema';
import { dayOf, formatDate } from '../../domain/dates';
import { transferReference } from '../../domain/transfer';
import { transferWorkflowId } from '../../workflows/ids';
import { respondUpdate } from '../../workflows/messages';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import { screenshot, seriousViolations, signedInStaffPage } from '../support/pages';
import type { TestDatabase } from '../support/database';
import { FIRST_SLOT_DAY, NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';
import type { TestTemporal } from '../support/temporal';
import { transferAwaitingReview } from '../support/flow';

let services: TestServices;
let database: TestDatabase;
let temporal: TestTemporal;
let api: TestApi;
let browser: Browser;
let tokens: Record<StaffRole, string>;
/** A provider other than the booking's: Nuffield Health (NT2). */
let otherProviderToken: string;
/** The demo provider (Spire Healthcare, NT3), signed in; kept across the tests, as a person would be. */
let providerPage: Page;
let firstBookingId: number;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, temporal, tokens } = services);
  api = await services.startApi();
  await services.startWorker(api.url);
  browser = await launchBrowser();
  const other = await createStaffUser(database.db, { name: 'Test provider (Nuffield Health)', role: 'provider', provider_ods: 'NT2' });
  otherProviderToken = await issueStaffToken(database.db, other.id, 'test');
});

afterAll(async () => {
  await browser?.close();
  await services?.close();
});

const transferState = async (pathwayId: number) =>
  (await database.db.selectFrom('transfers').select('state').where('pathway_id', '=', pathwayId).executeTakeFirst())?.state;

const bookingRow = (bookingId: number) => database.db.selectFrom('bookings').select(['status', 'reason']).where('id', '=', bookingId).executeTakeFirstOrThrow();

/**
 * The real flow up to a booking awaiting the provider: the regional team starts the transfer, the
 * trust's clinician confirms it, and the patient accepts the first free day at the site (the Update
 * the offer page sends).
 */
async function bookingAwaitingProvider(pathwayId: number, siteOds: string) {
  const id = await transferAwaitingReview(database.db, api.url, tokens.regional, pathwayId);
  const review = await fetch(`${api.url}/api/v1/transfers/${id}/review`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.clinician}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'confirm' }),
  });
  expect(review.status).toBe(200);
  await expect.poll(() => transferState(pathwayId), { timeout: 30_000 }).toBe('offered');

  const [slot] = await freeSlots(database.db, [siteOds], { treatmentFunctionCode: '110', procedureCode: 'W37.1', from: FIRST_SLOT_DAY, to: '2999-12-31' }, { daysPerSite: 1 });
  await temporal.client.workflow.getHandle(transferWorkflowId(pathwayId)).executeUpdate(respondUpdate, {
    args: [
      {
        kind: 'accept',
        siteOds,
        slotId: slot!.slotId,
        consents: { transferOfCare: true, shareRecords: true },
        channel: 'web',
        wordingVersion: 'test',
        at: new Date().toISOString(),
      },
    ],
  });
  await expect.poll(() => transferState(pathwayId), { timeout: 60_000 }).toBe('awaiting_provider');
  const booking = await database.db
    .selectFrom('bookings')
    .select(['id', 'status', 'procedure_date'])
    .where('transfer_id', '=', id)
    .where('status', '=', 'requested')
    .executeTakeFirstOrThrow();
  return { bookingId: booking.id, procedureDate: booking.procedure_date };
}

/** A signed-in person in a browser context of their own (cookies are not shared between them). */
const signIn = (token: string): Promise<Page> => signedInStaffPage(browser, api.url, token);

/** Waits, generously, for the page a change redirects to (the change went through Temporal first); returns its confirmation. */
async function changed(page: Page, bookingId: number): Promise<string | null> {
  await page.waitForURL(new RegExp(`/staff/bookings\\?changed=${bookingId}$`), { timeout: 60_000 });
  return page.getByTestId('bookings-outcome').textContent();
}

/** The page as it stands passes axe-core (nothing serious or critical), and is kept as a screenshot. */
async function checked(page: Page, name: string) {
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, `provider-${name}`);
}

/** Waits, generously, for the page to come back with its error summary; returns what it says. */
async function refused(page: Page): Promise<string | null> {
  const summary = page.locator('.nhsuk-error-summary');
  await summary.waitFor({ timeout: 60_000 });
  return summary.textContent();
}

const formPost = (path: string, token: string, fields: Record<string, string>) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });

describe("the IS provider's bookings page", () => {
  it('shows its provider the booking awaiting a decision, with site, date and price, and not the patient', { timeout: 120_000 }, async () => {
    const { bookingId, procedureDate } = await bookingAwaitingProvider(1, 'NT350');
    firstBookingId = bookingId;
    expect(procedureDate).toBe(FIRST_SLOT_DAY);

    providerPage = await signIn(tokens.provider);
    // A provider signing in goes to its bookings, and is linked to them from every staff page.
    expect(new URL(providerPage.url()).pathname).toBe('/staff/bookings');
    await providerPage.goto(`${api.url}/staff/bookings`);
    expect(await providerPage.getByRole('link', { name: 'Bookings' }).getAttribute('href')).toBe('/staff/bookings');
    expect(await providerPage.locator('h1').textContent()).toBe('Bookings at your sites');

    const rows = providerPage.getByTestId('requested-booking');
    expect(await rows.count()).toBe(1);
    const row = await rows.textContent();
    expect(row).toContain('Spire Leicester Hospital');
    expect(row).toContain(formatDate(FIRST_SLOT_DAY));
    expect(row).toContain('W37.1');
    // £7,251.00 × Spire's market forces factor 1.02347.
    expect(row).toContain('£7,421.18');
    expect(await providerPage.getByTestId('no-accepted').count()).toBe(1);

    const patient = await patientOf(database.db, 1);
    const main = (await providerPage.textContent('main'))!;
    for (const detail of [patient.given_name, patient.family_name, patient.nhs_number, patient.postcode!, patient.email!]) {
      expect(main).not.toContain(detail);
    }
    const views = await database.db.selectFrom('audit_log').select(['action', 'subject']).where('action', '=', 'bookings.view').execute();
    expect(views).toContainEqual({ action: 'bookings.view', subject: 'provider:NT3' });
    await checked(providerPage, 'bookings');
  });

  it('shows another provider nothing and lets it change nothing; clinicians cannot see the page', async () => {
    const other = await signIn(otherProviderToken);
    expect(new URL(other.url()).pathname).toBe('/staff/bookings');
    expect(await other.getByTestId('requested-booking').count()).toBe(0);
    expect(await other.getByTestId('no-requested').count()).toBe(1);
    expect(await other.getByTestId('no-accepted').count()).toBe(1);
    await other.context().close();

    const foreign = await formPost(`/staff/bookings/${firstBookingId}/decision`, otherProviderToken, { decision: 'accept', confirm: 'yes' });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain(`booking ${firstBookingId} not found at your sites`);
    const foreignCheck = await fetch(`${api.url}/staff/bookings/${firstBookingId}/accept`, { headers: { authorization: `Bearer ${otherProviderToken}` } });
    expect(foreignCheck.status).toBe(404);
    expect((await bookingRow(firstBookingId)).status).toBe('requested');
    // An acceptance sent without its check step goes to the check step, and changes nothing.
    const unchecked = await formPost(`/staff/bookings/${firstBookingId}/decision`, tokens.provider, { decision: 'accept' });
    expect(unchecked.status).toBe(303);
    expect(unchecked.headers.get('location')).toBe(`/staff/bookings/${firstBookingId}/accept`);
    expect((await bookingRow(firstBookingId)).status).toBe('requested');

    const clinician = await fetch(`${api.url}/staff/bookings`, { headers: { authorization: `Bearer ${tokens.clinician}` } });
    expect(clinician.status).toBe(403);
    expect(await clinician.text()).toContain('You cannot see this page');
    const clinicianPost = await formPost(`/staff/bookings/${firstBookingId}/decision`, tokens.clinician, { decision: 'accept' });
    expect(clinicianPost.status).toBe(403);

    const anonymous = await fetch(`${api.url}/staff/bookings`, { redirect: 'manual' });
    expect(anonymous.headers.get('location')).toBe('/staff/sign-in?next=%2Fstaff%2Fbookings');
  });

  it('accepts the booking after its check step, then records its outcome with the date treated as day, month and year', { timeout: 120_000 }, async () => {
    const page = providerPage;
    const id = firstBookingId;
    await page.getByTestId('requested-booking').getByRole('button', { name: `Accept booking ${id}` }).click();
    await page.waitForURL(`${api.url}/staff/bookings/${id}/accept`);
    // The check step: the booking as it stands, and nothing changed yet.
    expect(await page.locator('h1').textContent()).toBe(`Are you sure you want to accept booking ${id}?`);
    const summary = await page.getByTestId('booking-summary').textContent();
    for (const detail of [transferReference(1), 'Spire Leicester Hospital', formatDate(FIRST_SLOT_DAY), 'W37.1', '£7,421.18']) expect(summary).toContain(detail);
    expect(await page.getByRole('link', { name: 'No, go back to the bookings' }).getAttribute('href')).toBe(`/staff/bookings#booking-${id}`);
    expect((await bookingRow(id)).status).toBe('requested');
    await checked(page, 'accept-check');

    await page.getByRole('button', { name: 'Accept booking' }).click();
    const confirmation = await changed(page, id);
    expect(confirmation).toContain(`Booking ${id} accepted`);
    expect(confirmation).toContain(`Spire Leicester Hospital, ${formatDate(FIRST_SLOT_DAY)}`);
    expect(confirmation).toContain('The patient has been told their treatment is booked');
    expect(await page.getByTestId('no-requested').count()).toBe(1);
    expect(await page.getByTestId('accepted-booking').count()).toBe(1);
    expect(await page.getByTestId('accepted-booking').textContent()).toContain('£7,421.18');
    expect((await bookingRow(id)).status).toBe('accepted');
    expect(await transferState(1)).toBe('booked');
    await checked(page, 'accepted');
    // The check step of a booking already decided has nothing to confirm.
    const again = await page.goto(`${api.url}/staff/bookings/${id}/accept`);
    expect(again!.status()).toBe(409);
    expect(await page.getByTestId('not-awaiting').textContent()).toContain('It is accepted');
    expect(await page.getByRole('button', { name: 'Accept booking' }).count()).toBe(0);
    await page.goto(`${api.url}/staff/bookings`);

    // Treated on 31 February, without the code: both problems at once, what was typed kept, nothing recorded.
    const year = FIRST_SLOT_DAY.slice(0, 4);
    const row = page.getByTestId('accepted-booking');
    const date = row.getByRole('group', { name: `Date treated for booking ${id}` });
    await row.getByLabel('Treated').check();
    await date.getByLabel('Day').fill('31');
    await date.getByLabel('Month').fill('2');
    await date.getByLabel('Year').fill(year);
    await row.getByRole('button', { name: /^Record outcome/ }).click();
    const problems = await refused(page);
    expect(problems).toContain(`Booking ${id}: Enter the OPCS-4 code of the procedure`);
    expect(problems).toContain(`Booking ${id}: The date treated must be a real date`);
    expect(problems).not.toMatch(/expected|received|NaN|invalid_/);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.nhsuk-error-summary a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual([
      `#procedure_code-${id}`,
      `#treated_on-${id}-day`,
    ]);
    expect(await row.getByLabel('Treated').isChecked()).toBe(true);
    expect([await date.getByLabel('Day').inputValue(), await date.getByLabel('Month').inputValue(), await date.getByLabel('Year').inputValue()]).toEqual(['31', '2', year]);
    // The error is at the date, the day marked as the field at fault.
    expect(await page.locator(`#treated_on-${id}-error`).textContent()).toContain('The date treated must be a real date');
    expect(await page.locator(`#treated_on-${id}-day`).getAttribute('class')).toContain('nhsuk-input--error');
    expect(await page.locator(`#treated_on-${id}-month`).getAttribute('class')).not.toContain('nhsuk-input--error');
    expect(await database.db.selectFrom('outcomes').selectAll().execute()).toEqual([]);
    expect((await bookingRow(id)).status).toBe('accepted');
    await checked(page, 'outcome-errors');

    // A real date, today, three weeks before the booked date: refused at the whole date, naming the rule, and nothing is recorded.
    const today = dayOf(new Date());
    await row.getByLabel('OPCS-4 code').fill('w37.1');
    await date.getByLabel('Day').fill(String(Number(today.slice(8, 10))));
    await date.getByLabel('Month').fill(String(Number(today.slice(5, 7))));
    await date.getByLabel('Year').fill(today.slice(0, 4));
    await row.getByRole('button', { name: /^Record outcome/ }).click();
    expect(await refused(page)).toContain(`Booking ${id} could not be changed: The date treated cannot be right: treated on ${formatDate(today)}, before the booked procedure date, ${formatDate(FIRST_SLOT_DAY)}`);
    expect(await page.locator('.nhsuk-error-summary a').getAttribute('href')).toBe(`#treated_on-${id}-day`);
    for (const part of ['day', 'month', 'year']) expect(await page.locator(`#treated_on-${id}-${part}`).getAttribute('class')).toContain('nhsuk-input--error');
    expect(await row.getByLabel('OPCS-4 code').inputValue()).toBe('w37.1');
    expect(await database.db.selectFrom('outcomes').selectAll().execute()).toEqual([]);
    await checked(page, 'outcome-refused');
    const api422 = await fetch(`${api.url}/api/v1/bookings/${id}/outcome`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.provider}`, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'treated', procedureCode: 'W37.1', treatedOn: today }),
    });
    expect(api422.status).toBe(422);
    expect(await api422.json()).toMatchObject({ error: { code: 'treated_before_procedure_date', details: [{ field: 'treatedOn' }] } });

    // The list was cancelled: recorded, the booking ends, and the page confirms it.
    await row.getByLabel('Cancelled').check();
    await row.getByRole('button', { name: /^Record outcome/ }).click();
    const recorded = await changed(page, id);
    expect(recorded).toContain(`Outcome recorded for booking ${id}`);
    expect(recorded).toContain(`Spire Leicester Hospital, ${formatDate(FIRST_SLOT_DAY)}`);
    expect(recorded).toContain('The procedure was cancelled.');
    expect(await page.getByTestId('requested-booking').count()).toBe(0);
    expect(await page.getByTestId('accepted-booking').count()).toBe(0);
    expect(await database.db.selectFrom('outcomes').select(['booking_id', 'outcome', 'procedure_code', 'treated_on']).execute()).toEqual([
      { booking_id: id, outcome: 'cancelled', procedure_code: null, treated_on: null },
    ]);
    await checked(page, 'outcome-recorded');
    await expect.poll(() => transferState(1), { timeout: 30_000 }).toBe('cancelled');
    const actions = (await database.db.selectFrom('audit_log').select('action').where('subject', '=', `booking:${id}`).orderBy('id').execute()).map((entry) => entry.action);
    expect(actions).toEqual(['booking.accept', 'booking.outcome.cancelled']);
  });

  it('rejects a booking only with a reason; the patient is offered another hospital', { timeout: 120_000 }, async () => {
    const { bookingId } = await bookingAwaitingProvider(NO_EMAIL_PATHWAY, 'NT350');
    const page = providerPage;
    await page.goto(`${api.url}/staff/bookings`);
    const row = page.locator(`#booking-${bookingId}`);
    expect(await row.getAttribute('data-testid')).toBe('requested-booking');

    await row.getByRole('button', { name: `Reject booking ${bookingId}` }).click();
    expect(await refused(page)).toContain(`Booking ${bookingId}: Enter why you are rejecting the booking`);
    expect(await page.locator('.nhsuk-error-summary a').getAttribute('href')).toBe(`#reason-${bookingId}`);
    expect(await page.locator(`#reason-${bookingId}-error`).textContent()).toContain('Enter why you are rejecting the booking');
    expect((await bookingRow(bookingId)).status).toBe('requested');
    await checked(page, 'reject-error');

    await row.getByLabel('Reason for rejecting').fill('Anaesthetic risk found at pre-op assessment');
    await row.getByRole('button', { name: `Reject booking ${bookingId}` }).click();
    const confirmation = await changed(page, bookingId);
    expect(confirmation).toContain(`Booking ${bookingId} rejected`);
    expect(confirmation).toContain('Spire Leicester Hospital');
    expect(confirmation).toContain('The patient will be offered other hospitals');
    await checked(page, 'rejected');
    expect(await page.locator(`#booking-${bookingId}`).count()).toBe(0);
    expect(await bookingRow(bookingId)).toEqual({ status: 'rejected', reason: 'Anaesthetic risk found at pre-op assessment' });
    // Spire said no: the patient is offered the other Leicester hospital instead.
    await expect.poll(() => transferState(NO_EMAIL_PATHWAY), { timeout: 60_000 }).toBe('offered');
    await page.context().close();
  });
});
