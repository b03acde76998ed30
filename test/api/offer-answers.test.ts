/**
 * A patient's answer on their offer page (issue 16): a date of another hospital, sent with a hospital
 * on the offer, is refused as a bad choice with nothing sent or changed; and with no worker taking the
 * transfer's tasks, an answer is told "not just now" within the Update's deadline, in words, with the
 * phone number and the patient's choice kept, instead of a page that hangs. Staff get a 503 in JSON.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app';
import type { RunningWorker } from '../../temporal/worker';
import { FIXTURE_FUND_ID, patientOf } from '../support/fixture-world';
import { linkIn, mailCount, waitForMail } from '../support/mail';
import { startTestServices, TEST_PATIENT_PHONE, type TestServices } from '../support/services';

/** The deadline the impatient app gives each Update: short, so the test need not wait ten seconds. */
const DEADLINE_MS = 2_000;

let services: TestServices;
let worker: RunningWorker;
let app: ReturnType<typeof createApp>;
let impatient: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await startTestServices();
  worker = await services.startWorker();
  app = createApp(services.appDeps());
  impatient = createApp(services.appDeps({ updateDeadlineMs: DEADLINE_MS }));
});

afterAll(async () => {
  await services?.close();
});

const staffJson = (role: 'regional' | 'clinician', path: string, body: unknown, on = app) =>
  on.request(`/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${services.tokens[role]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const transferOf = (pathwayId: number) =>
  services.database.db.selectFrom('transfers').select(['id', 'state']).where('pathway_id', '=', pathwayId).executeTakeFirstOrThrow();

async function awaitingReview(pathwayId: number): Promise<number> {
  expect((await staffJson('regional', '/transfers', { pathwayId, fundId: FIXTURE_FUND_ID })).status).toBe(202);
  // Set up in beforeAll, where expect.poll is not allowed.
  for (const deadline = Date.now() + 30_000; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const transfer = await services.database.db.selectFrom('transfers').select(['id', 'state']).where('pathway_id', '=', pathwayId).executeTakeFirst();
    if (transfer?.state === 'awaiting_review') return transfer.id;
    if (Date.now() > deadline) throw new Error(`pathway ${pathwayId}'s transfer is ${transfer?.state ?? 'not started'}, not awaiting review`);
  }
}

/** Starts the pathway's transfer, confirms it, and gives the offer page's path from the patient's email. */
async function offered(pathwayId: number): Promise<string> {
  const id = await awaitingReview(pathwayId);
  expect((await staffJson('clinician', `/transfers/${id}/review`, { decision: 'confirm' })).status).toBe(200);
  const patient = await patientOf(services.database.db, pathwayId);
  return linkIn(await waitForMail(services.database.db, patient.email!, 30_000), /\/offer\/[A-Za-z0-9]+/);
}

/** The choices on the page, as its radio buttons send them: `SITE:slot`, grouped by site. */
async function choicesOn(page: string): Promise<Map<string, string[]>> {
  const html = await (await app.request(page)).text();
  const bySite = new Map<string, string[]>();
  for (const [, site, slot] of html.matchAll(/name="choice" type="radio" value="([A-Z0-9]+):([0-9]+)"/g)) bySite.set(site!, [...(bySite.get(site!) ?? []), slot!]);
  return bySite;
}

const accept = (page: string, choice: string, on = app) =>
  on.request(`${page}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ choice, consent_transfer_of_care: 'yes', consent_share_records: 'yes' }).toString(),
  });

let page: string;
let sites: Map<string, string[]>;
let waitingForReview: number;

describe("a patient's answer", () => {
  beforeAll(async () => {
    page = await offered(1);
    sites = await choicesOn(page);
    waitingForReview = await awaitingReview(2);
  }, 90_000);

  it("with a hospital on the offer and another hospital's date is refused as a bad choice: nothing sent, nothing changed", async () => {
    expect(sites.size, 'the patient is offered two hospitals').toBe(2);
    const [site, otherSite] = [...sites.keys()] as [string, string];
    const otherSlot = sites.get(otherSite)![0]!;
    const patient = await patientOf(services.database.db, 1);
    const mails = await mailCount(services.database.db, patient.email!);

    const response = await accept(page, `${site}:${otherSlot}`);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('That date is not one of that hospital’s dates');

    expect((await transferOf(1)).state).toBe('offered');
    expect(await services.database.db.selectFrom('bookings').select('id').execute()).toEqual([]);
    expect(await services.database.db.selectFrom('patient_responses').select('id').execute()).toEqual([]);
    expect(await mailCount(services.database.db, patient.email!)).toBe(mails);
  });

  it('with no worker running is told "not just now" within the deadline, with the phone number, the choice kept', async () => {
    await worker.stop();
    const [site, [slot]] = [...sites.entries()][0]!;
    const choice = `${site}:${slot}`;

    const started = Date.now();
    const response = await accept(page, choice, impatient);
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 3_000);
    expect(response.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    const html = await response.text();
    expect(html).toContain(`We could not take your answer just now. Please try again, or call us on ${TEST_PATIENT_PHONE}.`);
    expect(html).toMatch(new RegExp(`value="${choice}"[^>]* checked`));
    expect(html).toContain('name="consent_transfer_of_care" type="checkbox" value="yes" checked');

    const review = await staffJson('clinician', `/transfers/${waitingForReview}/review`, { decision: 'confirm' }, impatient);
    expect(review.status).toBe(503);
    expect(review.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(((await review.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'unavailable',
      message: `the transfer could not take the change within ${DEADLINE_MS / 1000} s, so it may not have been made: try again shortly`,
    });
  }, 30_000);
});

describe('the offer page', () => {
  /** The app over a database handle that counts the statements it runs. */
  function countingApp() {
    const counted = { statements: 0 };
    const db = services.database.db.withPlugin({
      transformQuery: (args) => {
        counted.statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    return { app: createApp({ ...services.appDeps(), db }), counted };
  }
  const views = () =>
    services.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('action', '=', 'offer.view')
      .executeTakeFirstOrThrow()
      .then((row) => row.count);

  it('is read in one statement that audits the view, and a repeat view of the same page is answered 304, audited too', async () => {
    const { app: counting, counted } = countingApp();
    const before = await views();
    const first = await counting.request(page);
    expect(first.status).toBe(200);
    expect(counted.statements).toBe(1);
    expect(await views()).toBe(before + 1);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(await first.text()).toContain('Choose a hospital and a date');

    const again = await counting.request(page, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(counted.statements).toBe(2);
    expect(await views()).toBe(before + 2);
  });

  it("has a short form for text messages, /o/<token>, that leads to the page and reads nothing itself: one view audited, the page's ETag", async () => {
    const { app: counting, counted } = countingApp();
    const token = page.slice('/offer/'.length);
    expect(token).toMatch(/^[0-9A-Za-z]{22}$/);
    const before = await views();
    const short = await counting.request(`/o/${token}`);
    expect(short.status).toBe(302);
    expect(short.headers.get('location')).toBe(page);
    expect(short.headers.get('cache-control')).toBe('private, no-cache');
    expect(short.headers.get('x-robots-tag')).toBe('noindex');
    expect(counted.statements).toBe(0);
    expect(await views()).toBe(before);
    const followed = await counting.request(short.headers.get('location')!);
    expect(followed.status).toBe(200);
    expect(followed.headers.get('etag')).toBe((await app.request(page)).headers.get('etag'));
    expect(await views()).toBe(before + 2);
    // An unknown token meets the page's own "not found".
    expect((await app.request(`/o/${'x'.repeat(22)}`)).headers.get('location')).toBe(`/offer/${'x'.repeat(22)}`);
    expect((await app.request(`/offer/${'x'.repeat(22)}`)).status).toBe(404);
  });

  it("builds the page afresh for a browser's copy from an earlier release, which may have said something else", async () => {
    const etag = (await app.request(page)).headers.get('etag')!;
    // A release is a new process: the app's modules loaded anew, a moment later.
    await new Promise((resolve) => setTimeout(resolve, 5));
    vi.resetModules();
    const { createApp: createReleasedApp } = await import('../../api/app');
    const released = await createReleasedApp(services.appDeps()).request(page, { headers: { 'if-none-match': etag } });
    expect(released.status).toBe(200);
    expect(released.headers.get('etag')).not.toBe(etag);
  });

  it('has a new ETag once what it shows changes, another patient taking one of its dates included', async () => {
    const etag = (await app.request(page)).headers.get('etag')!;
    const [site, [slot]] = [...sites.entries()][0]!;
    // Patient 2's transfer holds the first date shown at the first hospital: the page no longer offers it.
    const other = await transferOf(2);
    const taken = await services.database.db.selectFrom('slots').select(['id', 'slot_date']).where('id', '=', Number(slot)).executeTakeFirstOrThrow();
    const booking = await services.database.db
      .insertInto('bookings')
      .values({ transfer_id: other.id, slot_id: taken.id, site_ods: site, fund_id: FIXTURE_FUND_ID, procedure_date: taken.slot_date, price_pence: 1, price_source: 'test', status: 'held' })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      const changed = await app.request(page, { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(await changed.text()).not.toContain(`value="${site}:${slot}"`);
    } finally {
      await services.database.db.deleteFrom('bookings').where('id', '=', booking.id).execute();
    }
    // The transfer's own news (an event on its timeline) changes it too.
    const unchanged = (await app.request(page)).headers.get('etag')!;
    expect(unchanged).toBe(etag);
    await services.database.db.insertInto('transfer_events').values({ transfer_id: (await transferOf(1)).id, kind: 'message.sent', detail: JSON.stringify({}) }).execute();
    expect((await app.request(page, { headers: { 'if-none-match': etag } })).status).toBe(200);
  });
});
