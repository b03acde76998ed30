/**
 * End to end through every layer, on the real services: an API call starts the transfer workflow on
 * the Temporal dev server; its activities write PostgreSQL and send the offer over SMTP; Chromium
 * opens the emailed link and the NHS.UK page shows what the workflow recorded. Then Temporal's own
 * copy of the history is read without the codec, and must hold no personal data.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema';
import { transferWorkflowId } from '../../workflows/ids';
import { startTestApi } from '../support/api-server';
import { FIXTURE_FUND_ID, patientOf } from '../support/fixture-world';
import { launchBrowser } from '../support/browser';
import type { TestDatabase } from '../support/database';
import { linkIn, mailCount, waitForMail } from '../support/mail';
import { startTestServices, type TestServices } from '../support/services';
import type { TestTemporal } from '../support/temporal';

let services: TestServices;
let database: TestDatabase;
let temporal: TestTemporal;
let mail: TestServices['mail'];
let api: Awaited<ReturnType<typeof startTestApi>>;
let browser: Browser;
let tokens: Record<StaffRole, string>;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, temporal, mail, tokens } = services);
  api = await startTestApi({ db: database.db, temporal: temporal.client, taskQueue: temporal.taskQueue, mailer: mail.mailer });
  await temporal.startWorker({ db: database.db, mailer: mail.mailer, publicBaseUrl: api.url, patientPhone: '0808 157 0192', now: () => new Date() });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
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

describe('the transfer slice, end to end', () => {
  it('emails the patient a link whose page shows what the workflow recorded', async () => {
    const patient = await patientOf(database.db, 1);
    const response = await startTransfer(1);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ workflowId: transferWorkflowId(1), pathwayId: 1 });
    await confirmCandidate(1);

    const offerMail = await waitForMail(database.db, patient.email!);
    expect(offerMail.subject).toMatch(/treatment sooner/);
    expect(offerMail.html_body).toContain('/offer/o_');
    const link = linkIn(offerMail, /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/);

    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(link);
    await expect.poll(async () => page.getByTestId('offer-state').textContent(), { timeout: 10_000 }).toBe('offered');
    expect(await page.locator('h1').textContent()).toBe('Your offer of earlier treatment');
    expect(await page.textContent('main')).toContain(`Hello ${patient.given_name}`);
    expect(await page.textContent('main')).toContain('keep your place on the waiting list');
    expect(await page.getByTestId('timeline').textContent()).toContain('We sent you this offer');
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

  it('keeps personal data out of the history Temporal stores', async () => {
    const patient = await patientOf(database.db, 1);
    const handle = temporal.rawClient.workflow.getHandle(transferWorkflowId(1));
    const history = await handle.fetchHistory();
    const stored = JSON.stringify(history);
    expect(stored.length).toBeGreaterThan(1_000);
    for (const value of [patient.nhs_number, patient.given_name, patient.family_name, patient.email!, patient.postcode!, patient.date_of_birth]) {
      expect(stored).not.toContain(value);
    }
    // And the payloads really are encrypted, not merely absent: the codec's client reads them back.
    const decoded = await temporal.client.workflow.getHandle(transferWorkflowId(1)).fetchHistory();
    const started = decoded.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(new TextDecoder().decode(started?.metadata?.encoding ?? new Uint8Array())).toBe('binary/encrypted');
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
    expect(body.timeline.map((event) => event.kind)).toEqual(['opened', 'awaiting_review', 'review.confirmed', 'message.sent', 'offered']);
    const provider = await fetch(`${api.url}/api/v1/transfers/1`, { headers: { authorization: `Bearer ${tokens.provider}` } });
    expect(provider.status).toBe(404);
  });
});
