/**
 * End to end through every layer, on the real services: an API call starts the transfer workflow on
 * the Temporal dev server; a clinician confirms through the API; the activities write PostgreSQL and
 * send the offer over SMTP; Chromium follows the emailed link, chooses a hospital and date and gives
 * both consents; the provider accepts through the API; the booking confirmation arrives by email; the
 * provider records the patient treated. Temporal's own copy of the history, read without the codec,
 * must hold no personal data.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { transferWorkflowId } from '../../workflows/ids';
import type { TestApi } from '../support/api-server';
import { FIXTURE_FUND_ID, NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { launchBrowser } from '../support/browser';
import { seriousViolations } from '../support/pages';
import type { TestDatabase } from '../support/database';
import { linkIn, mailCount, waitForMail } from '../support/mail';
import { expectNoPersonalData, namespaceHistories } from '../support/privacy';
import { startTestServices, type TestServices } from '../support/services';
import type { TestTemporal } from '../support/temporal';

let services: TestServices;
let database: TestDatabase;
let temporal: TestTemporal;
let api: TestApi;
let browser: Browser;
let tokens: Record<StaffRole, string>;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, temporal, tokens } = services);
  api = await services.startApi();
  await services.startWorker(api.url);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await services?.close();
});

const startTransfer = (pathwayId: number, token = tokens.regional) =>
  fetch(`${api.url}/api/v1/transfers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pathwayId, fundId: FIXTURE_FUND_ID }),
  });

/** The trust's clinician confirms the candidate once it is awaiting review. */
async function confirmCandidate(pathwayId: number): Promise<void> {
  await expect
    .poll(() => database.db.selectFrom('transfers').select('state').where('pathway_id', '=', pathwayId).executeTakeFirst(), { timeout: 20_000 })
    .toEqual({ state: 'awaiting_review' });
  const { id } = await database.db.selectFrom('transfers').select('id').where('pathway_id', '=', pathwayId).executeTakeFirstOrThrow();
  const response = await fetch(`${api.url}/api/v1/transfers/${id}/review`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.clinician}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'confirm' }),
  });
  expect(response.status).toBe(200);
}

/**
 * Presses a button on the patient's page and waits for the answer to come back: a redirect to the
 * page (303) or the page again with what is wrong. The answer is a Temporal Update that completes once
 * the workflow has recorded it, which on a busy machine can take a while, so the wait is generous;
 * anything else the server says is reported in its own words.
 */
async function answer(page: Page, button: string, expected: 303 | 400 = 303): Promise<void> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === 'POST', { timeout: 90_000 }),
    // The page the answer lands on (after the redirect, for a 303) has loaded.
    page.waitForNavigation({ timeout: 90_000 }),
    page.getByRole('button', { name: button }).click(),
  ]);
  if (response.status() !== expected) throw new Error(`"${button}" was answered ${response.status()}: ${await page.textContent('main')}`);
  expect(await seriousViolations(page), button).toEqual([]);
}

describe('a transfer, end to end', () => {
  it('emails the patient a link whose page shows what the workflow recorded', async () => {
    const patient = await patientOf(database.db, 1);
    const response = await startTransfer(1);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ workflowId: transferWorkflowId(1), pathwayId: 1 });
    await confirmCandidate(1);

    const offerMail = await waitForMail(database.db, patient.email!);
    expect(offerMail.subject).toMatch(/treatment sooner/);
    expect(offerMail.html_body).toMatch(/\/offer\/[A-Za-z0-9]{22}"/);
    const link = linkIn(offerMail, /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/);

    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(link);
    expect(await seriousViolations(page)).toEqual([]);
    await expect.poll(async () => page.getByTestId('offer').getAttribute('data-state'), { timeout: 10_000 }).toBe('offered');
    expect(await page.locator('h1').textContent()).toBe('Your offer of earlier treatment');
    expect(await page.textContent('main')).toContain(`Hello ${patient.given_name}`);
    expect(await page.textContent('main')).toContain('keep your place on the waiting list');
    expect(await page.getByTestId('timeline').textContent()).toContain('We sent you a message');
    // Amira (LE2, up to 50 miles, BMI 27.4) passes both Leicester sites; nearest first.
    expect(await page.getByTestId('choice').locator('h3').allTextContents()).toEqual([
      expect.stringMatching(/^Spire Leicester Hospital/),
      expect.stringMatching(/^Nuffield Health Leicester Hospital/),
    ]);
    // A standards-mode document, with the design system's stylesheet served and applied.
    expect(await page.evaluate(() => document.compatMode)).toBe('CSS1Compat');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('header')!).backgroundColor)).toBe('rgb(0, 94, 184)');
    expect(failures).toEqual([]);
    await page.close();

    const transfer = await database.db.selectFrom('transfers').selectAll().where('pathway_id', '=', 1).executeTakeFirstOrThrow();
    expect(transfer.state).toBe('offered');
    const audit = await database.db.selectFrom('audit_log').select('action').execute();
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['transfer.start', 'transfer.review.confirm', 'offer.view']));
  });

  it('refuses a second open transfer for the same pathway, and sends nothing more', async () => {
    const patient = await patientOf(database.db, 1);
    const response = await startTransfer(1);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('transfer_open');
    expect(await mailCount(database.db, patient.email!)).toBe(1);
  });

  it('answers the transfer with its timeline to staff in scope only', async () => {
    const ok = await fetch(`${api.url}/api/v1/transfers/1`, { headers: { authorization: `Bearer ${tokens.regional}` } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { timeline: { kind: string }[] };
    expect(body.timeline.map((event) => event.kind).slice(0, 5)).toEqual(['opened', 'awaiting_review', 'review.confirmed', 'offered', 'message.sent']);
    const provider = await fetch(`${api.url}/api/v1/transfers/1`, { headers: { authorization: `Bearer ${tokens.provider}` } });
    expect(provider.status).toBe(404);
  });

  it('the patient chooses a date and consents, the provider accepts, the booking is confirmed; treated before its date is refused', { timeout: 120_000 }, async () => {
    const patient = await patientOf(database.db, 1);
    const offerMail = await waitForMail(database.db, patient.email!);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const link = linkIn(offerMail, /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/);
    await page.goto(link);
    expect(await seriousViolations(page)).toEqual([]);

    // Without a date or the consents: the page says what is wrong, focused, and nothing is sent.
    await answer(page, 'Accept and book this date', 400);
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(1);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('nhsuk-error-summary');
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Choose a hospital and a date');
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('agree to your records being shared');
    expect(await database.db.selectFrom('patient_responses').selectAll().execute()).toEqual([]);

    const firstDate = page.getByTestId('choice').first().locator('input[type=radio]').first();
    await firstDate.check();
    await page.getByLabel(/my care for this treatment moving/).check();
    await page.getByLabel(/sharing my health records/).check();
    await answer(page, 'Accept and book this date');
    // The confirmation: what was done, a reference to quote, what happens next.
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('Your date is being booked');
    expect(await page.getByTestId('reference').textContent()).toMatch(/^BT-\d{6}$/);
    expect(await page.getByTestId('booking').textContent()).toContain('Spire Leicester Hospital');
    const response = await database.db.selectFrom('patient_responses').selectAll().executeTakeFirstOrThrow();
    expect(response).toMatchObject({ kind: 'accept', channel: 'web', site_ods: 'NT350', consent_transfer_of_care: true, consent_share_records: true, wording_version: 'offer-page-v1' });
    // The same answer again (a double click, the back button): nothing new is recorded, and the patient sees where things stand.
    const acceptedAgain = await fetch(`${link}/accept`, {
      method: 'POST',
      body: new URLSearchParams({ choice: `${response.site_ods}:${response.slot_id}`, consent_transfer_of_care: 'yes', consent_share_records: 'yes' }),
      redirect: 'manual',
    });
    expect(acceptedAgain.status).toBe(303);
    expect(acceptedAgain.headers.get('location')).toBe(`${new URL(link).pathname}/answered/accept`);
    expect(await database.db.selectFrom('patient_responses').select('id').execute()).toHaveLength(1);
    // Audited once, with the answer, as the patient of the offer they answered.
    expect(await database.db.selectFrom('audit_log').select(['actor', 'subject']).where('action', '=', 'offer.accept').execute()).toEqual([
      { actor: expect.stringMatching(/^patient:offer:\d+$/), subject: `transfer:${response.transfer_id}` },
    ]);

    const providerApi = (path: string, body?: unknown) =>
      fetch(`${api.url}/api/v1/bookings${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${tokens.provider}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    await expect.poll(async () => ((await (await providerApi('?status=requested')).json()) as { bookings: unknown[] }).bookings.length, { timeout: 20_000 }).toBe(1);
    const { bookings } = (await (await providerApi('?status=requested')).json()) as { bookings: { id: number; siteOds: string; procedureCode: string }[] };
    expect(bookings[0]).toMatchObject({ siteOds: 'NT350', procedureCode: 'W37.1' });
    const accepted = await providerApi(`/${bookings[0]!.id}/decision`, { decision: 'accept' });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ bookingId: bookings[0]!.id, transferState: 'booked' });

    await expect.poll(() => mailCount(database.db, patient.email!), { timeout: 20_000 }).toBe(2);
    const confirmation = await waitForMail(database.db, patient.email!);
    expect(confirmation.subject).toBe('Your treatment is booked');
    expect(confirmation.text_body).toContain('Spire Leicester Hospital');
    await page.goto(linkIn(confirmation, /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/));
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.getByTestId('status-heading').textContent()).toBe('Your treatment is booked');
    expect(await page.getByRole('button', { name: 'Cancel my treatment there' }).count()).toBe(1);
    expect((await database.db.selectFrom('pathways').select('status').where('id', '=', 1).executeTakeFirstOrThrow()).status).toBe('transferred_out');

    const today = dayOf(new Date());
    const wrong = await providerApi(`/${bookings[0]!.id}/outcome`, { outcome: 'treated', treatedOn: today });
    expect(wrong.status).toBe(400);
    // Treated today, three weeks before the booked procedure date: refused, naming the rule.
    const early = await providerApi(`/${bookings[0]!.id}/outcome`, { outcome: 'treated', procedureCode: 'w371', treatedOn: today });
    expect(early.status).toBe(422);
    expect(await early.json()).toMatchObject({ error: { code: 'treated_before_procedure_date', details: [{ field: 'treatedOn' }] } });
    const cancel = () => providerApi(`/${bookings[0]!.id}/outcome`, { outcome: 'cancelled', reason: 'The list was cancelled' });
    const cancelled = await cancel();
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ transferState: 'cancelled' });
    // Sent again (the back button): a conflict, and nothing more is recorded.
    const again = await cancel();
    expect(again.status).toBe(409);
    await page.reload();
    expect(await page.getByTestId('status-heading').textContent()).toBe('Your treatment was cancelled');
    expect(await database.db.selectFrom('outcomes').select(['outcome', 'procedure_code']).execute()).toEqual([{ outcome: 'cancelled', procedure_code: null }]);
    await page.close();
  });

  it('on a phone: asks for a call back, then declines and keeps the patient’s place', { timeout: 120_000 }, async () => {
    const before = await database.db.selectFrom('pathways').select(['status', 'clock_start_date']).where('id', '=', 2).executeTakeFirstOrThrow();
    expect((await startTransfer(2)).status).toBe(202);
    await confirmCandidate(2);
    const patient = await patientOf(database.db, 2);
    const offerMail = await waitForMail(database.db, patient.email!);
    const page = await browser.newPage({ viewport: { width: 375, height: 667 } });
    await page.goto(linkIn(offerMail, /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/));
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await answer(page, 'Ask for a call back');
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('We will call you');
    await page.getByRole('link', { name: 'See where things stand' }).click();
    expect(await page.getByTestId('callback-requested').count()).toBe(1);
    const task = await database.db
      .selectFrom('callback_tasks')
      .innerJoin('transfers', 'transfers.id', 'callback_tasks.transfer_id')
      .select('callback_tasks.trust_ods')
      .where('transfers.pathway_id', '=', 2)
      .executeTakeFirstOrThrow();
    expect(task.trust_ods).toBe('RWE');
    // Asked again, twice at once (a double click) and after the back button: the same call back.
    const callbackUrl = `${page.url()}/callback`;
    const posts = await Promise.all([1, 2].map(() => fetch(callbackUrl, { method: 'POST', body: new URLSearchParams(), redirect: 'manual' })));
    posts.push(await fetch(callbackUrl, { method: 'POST', body: new URLSearchParams(), redirect: 'manual' }));
    expect(posts.map((post) => post.status)).toEqual([303, 303, 303]);
    // The trust sees whom to call, and marks it done once.
    const staffApi = (path: string, method = 'GET') => fetch(`${api.url}/api/v1/callbacks${path}`, { method, headers: { authorization: `Bearer ${tokens.clinician}` } });
    const { callbacks } = (await (await staffApi('')).json()) as { callbacks: { id: number; patientName: string }[] };
    expect(callbacks).toEqual([expect.objectContaining({ patientName: 'David Morgan' })]);
    expect((await staffApi(`/${callbacks[0]!.id}/done`, 'POST')).status).toBe(204);
    expect((await staffApi(`/${callbacks[0]!.id}/done`, 'POST')).status).toBe(404);
    expect(((await (await staffApi('')).json()) as { callbacks: unknown[] }).callbacks).toEqual([]);

    await page.getByLabel('Why are you declining? (optional)').fill('I would rather stay with my own hospital');
    await answer(page, 'Decline and keep my place');
    expect(await page.getByTestId('confirmation').locator('h1').textContent()).toBe('You have declined the offer');
    expect(await page.textContent('main')).toContain('Your waiting time has not changed');
    expect(await database.db.selectFrom('pathways').select(['status', 'clock_start_date']).where('id', '=', 2).executeTakeFirstOrThrow()).toEqual(before);
    await page.close();
  });

  it('a clinician confirms candidates from the review queue, seeing the facts behind each', async () => {
    expect((await startTransfer(NO_EMAIL_PATHWAY)).status).toBe(202);
    const page = await browser.newPage();
    await page.goto(`${api.url}/staff/review`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Your staff access token').fill(tokens.clinician);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByTestId('candidate').count();
      }, { timeout: 20_000 })
      .toBe(1);
    // The same queue through the API, with the facts and every site's result.
    const queue = await fetch(`${api.url}/api/v1/transfers/review/queue`, { headers: { authorization: `Bearer ${tokens.clinician}` } });
    const { candidates } = (await queue.json()) as { candidates: { patientName: string; facts: { bmi: number }; sites: { siteName: string; passes: boolean }[] }[] };
    expect(candidates).toEqual([
      expect.objectContaining({
        patientName: 'Owen Price',
        facts: expect.objectContaining({ bmi: 26 }),
        sites: expect.arrayContaining([{ siteName: 'Spire Leicester Hospital', passes: true, exclusions: [] }]),
      }),
    ]);
    const row = page.getByTestId('candidate');
    expect(await row.textContent()).toContain('Owen Price');
    expect(await row.textContent()).toContain('BMI 26');
    expect(await row.getByTestId('site-count').textContent()).toBe('2 of 2 IS sites can take this patient');
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Confirm selected candidates' }).click();
    await expect.poll(() => page.getByTestId('review-outcome').textContent()).toContain('Confirmed Owen Price');
    expect(await page.getByTestId('candidate').count()).toBe(0);
    // Owen has no email address: his offer is a letter, queued for RWE's print batch.
    await expect
      .poll(() => database.db.selectFrom('messages').select(['channel', 'status']).where('intent', '=', 'offer-1').where('trust_ods', '=', 'RWE').where('channel', '=', 'letter').execute(), { timeout: 20_000 })
      .toEqual([{ channel: 'letter', status: 'queued' }]);
    await page.close();
  });

  it('keeps personal data out of every history Temporal stores, read without the codec', async () => {
    await expectNoPersonalData(await namespaceHistories(temporal.rawClient), database.db);
    // And the payloads really are encrypted, not merely absent: the codec's client reads them back.
    const decoded = await temporal.client.workflow.getHandle(transferWorkflowId(1)).fetchHistory();
    const started = decoded.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(new TextDecoder().decode(started?.metadata?.encoding ?? new Uint8Array())).toBe('binary/encrypted');
  });
});
