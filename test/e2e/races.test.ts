/**
 * Races as users make them (issue 16; PRODUCT.md §4, §9), end to end on the real services: transfers
 * started and confirmed through the API, offers emailed over SMTP by a real worker on the Temporal
 * dev server, patients answering through their offer pages, the provider and the regional team acting
 * through the API, all at once. Whoever wins, the invariants hold: a slot booked at most once, the
 * fund never over its allocation, each message at most once per intent, a patient who withdrew never
 * offered again, a patient back on the list with their clock start, and nobody answered with a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema';
import { addDays, dayOf } from '../../domain/dates';
import { testRangeNhsNumber } from '../../domain/nhs-number';
import type { TestApi } from '../support/api-server';
import type { TestDatabase } from '../support/database';
import { FIRST_SLOT_DAY, FIXTURE_FUND_ID, FIXTURE_HIP_PRICE } from '../support/fixture-world';
import { linkIn } from '../support/mail';
import { startTestServices, type TestServices } from '../support/services';

const today = dayOf(new Date());
/** The day of the last ten hip slots at Spire Leicester. */
const RACE_DAY = addDays(FIRST_SLOT_DAY, 14);
const LAST_SLOTS = 10;
const RACERS = 100;
/** Fund 2 pays for the cataracts (the fixture's fund 1 is held to exactly the ten hips). */
const CATARACT_FUND_ID = 2;

let services: TestServices;
let database: TestDatabase;
let api: TestApi;
let tokens: Record<StaffRole, string>;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  api = await services.startApi();
  await services.startWorker(api.url);
  const db = database.db;
  // Spire Leicester's hip capacity is its last ten slots, all on one day; the fund pays for exactly ten.
  await db.deleteFrom('slots').where('site_ods', '=', 'NT350').where('treatment_function_code', '=', '110').execute();
  await db
    .insertInto('slots')
    .values(Array.from({ length: LAST_SLOTS }, (_, index) => ({ site_ods: 'NT350', treatment_function_code: '110', procedure_code: 'W37.1', slot_date: RACE_DAY, ordinal: index + 1 })))
    .execute();
  await db.updateTable('funds').set({ allocation_pence: LAST_SLOTS * FIXTURE_HIP_PRICE }).where('id', '=', FIXTURE_FUND_ID).execute();
  // Cataracts at both Leicester sites, ten a day for a week (room for every patient below), from a fund with room for all.
  await db
    .insertInto('slots')
    .values(
      ['NT350', 'NT240'].flatMap((site) =>
        Array.from({ length: 70 }, (_, index) => ({
          site_ods: site,
          treatment_function_code: '130',
          procedure_code: 'C71.2',
          slot_date: addDays(FIRST_SLOT_DAY, 1 + Math.floor(index / 10)),
          ordinal: 1 + (index % 10),
        })),
      ),
    )
    .execute();
  const fund = await db
    .insertInto('funds')
    .values({ name: 'Midlands cataracts 2026/27', allocation_pence: 100_000_000, window_from: today, window_to: addDays(today, 120), region_code: 'Y60' })
    .returning('id')
    .executeTakeFirstOrThrow();
  expect(fund.id).toBe(CATARACT_FUND_ID);
}, 180_000);

afterAll(async () => {
  await services?.close();
});

// People and their offers.

interface Racer {
  readonly pathwayId: number;
  readonly email: string;
  readonly clockStartDate: string;
}

let nextNhsIndex = 20_000;

/** Patients of RWE waiting for a procedure, each with an email address; hips or cataracts. */
async function addPatients(count: number, kind: 'hip' | 'cataract', bmi: string): Promise<Racer[]> {
  const db = database.db;
  const people = Array.from({ length: count }, (_, index) => {
    let nhsNumber: string | undefined;
    while (!nhsNumber) nhsNumber = testRangeNhsNumber(nextNhsIndex++);
    return { nhsNumber, email: `racer.${nextNhsIndex}.${index}@example.nhs.test`, clockStartDate: addDays('2025-01-01', index) };
  });
  const patients = await db
    .insertInto('patients')
    .values(
      people.map((person, index) => ({
        nhs_number: person.nhsNumber,
        given_name: 'Racer',
        family_name: `${kind} ${index}`,
        date_of_birth: '1960-01-01',
        email: person.email,
        postcode: 'LE2 7LX',
        travel_max_miles: 50,
        bmi,
      })),
    )
    .returning('id')
    .execute();
  const pathways = await db
    .insertInto('pathways')
    .values(
      patients.map(({ id }, index) => ({
        patient_id: id,
        trust_ods: 'RWE',
        pathway_ref: `RACE-${people[index]!.nhsNumber}`,
        treatment_function_code: kind === 'hip' ? '110' : '130',
        planned_procedure_code: kind === 'hip' ? 'W37.1' : 'C71.2',
        clock_start_date: people[index]!.clockStartDate,
        priority: 'routine' as const,
      })),
    )
    .returning('id')
    .execute();
  return pathways.map(({ id }, index) => ({ pathwayId: id, email: people[index]!.email, clockStartDate: people[index]!.clockStartDate }));
}

const staff = (role: StaffRole, path: string, body?: unknown) =>
  fetch(`${api.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The transfers of these pathways, by pathway. */
async function transfersOf(racers: readonly Racer[]) {
  const rows = await database.db
    .selectFrom('transfers')
    .select(['id', 'pathway_id', 'state', 'closed_at'])
    .where('pathway_id', 'in', racers.map((racer) => racer.pathwayId))
    .execute();
  return racers.map((racer) => rows.find((row) => row.pathway_id === racer.pathwayId));
}

const countBy = (values: readonly (string | undefined)[]) => values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [value ?? 'none']: (counts[value ?? 'none'] ?? 0) + 1 }), {});

/** The trust's clinicians confirm every one of these candidates, all at once. */
async function confirmAll(racers: readonly Racer[]): Promise<void> {
  const transfers = await until(() => transfersOf(racers), (rows) => rows.every((row) => row?.state === 'awaiting_review'), 'candidates awaiting review', 120_000);
  const reviews = await Promise.all(transfers.map((row) => staff('clinician', `/transfers/${row!.id}/review`, { decision: 'confirm' })));
  expect(reviews.map((review) => review.status)).toEqual(transfers.map(() => 200));
}

/** The link in each patient's offer email, once it has come. */
async function offerLinks(racers: readonly Racer[]): Promise<string[]> {
  const mails = await until(
    () => database.db.selectFrom('dev_mailbox').selectAll().where('message_id', 'like', '%-offer-1@%').execute(),
    (rows) => racers.every((racer) => rows.some((row) => row.envelope_to.includes(racer.email))),
    'offer emails',
    120_000,
  );
  return racers.map((racer) => linkIn(mails.find((mail) => mail.envelope_to.includes(racer.email))!, /http:\/\/127\.0\.0\.1:\d+\/offer\/\S+/));
}

/** Starts each pathway's transfer through the API, has it confirmed, and returns the links its patients were emailed. */
async function offersFor(racers: readonly Racer[], fundId: number): Promise<string[]> {
  const started = await Promise.all(racers.map((racer) => staff('regional', '/transfers', { pathwayId: racer.pathwayId, fundId })));
  expect(started.map((response) => response.status)).toEqual(racers.map(() => 202));
  await confirmAll(racers);
  return offerLinks(racers);
}

/** The choices (site:slot) a patient's offer page offers, in its order. */
async function choicesOn(link: string): Promise<string[]> {
  const page = await fetch(link);
  expect(page.status).toBe(200);
  return [...(await page.text()).matchAll(/name="choice" type="radio" value="([A-Z0-9]+:\d+)"/g)].map((match) => match[1]!);
}

/** The patient ticks a choice and both consents and presses Accept; the answer as the browser gets it. */
const accept = (link: string, choice: string) =>
  fetch(`${link}/accept`, {
    method: 'POST',
    body: new URLSearchParams({ choice, consent_transfer_of_care: 'yes', consent_share_records: 'yes' }),
    redirect: 'manual',
  });

/** The patient presses Cancel my treatment there; given up on after a while, so a page that never answers fails the test rather than hangs it. */
const withdraw = (link: string) =>
  fetch(`${link}/withdraw`, { method: 'POST', body: new URLSearchParams({ reason: 'I have changed my mind', confirm: 'yes' }), redirect: 'manual', signal: AbortSignal.timeout(30_000) });

/** What a page says in its main part, as words. */
const mainText = (html: string) => (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** Every message each patient was sent, by its intent (from the SMTP message id); a repeat would show twice. */
async function intentsMailed(racers: readonly Racer[]): Promise<string[][]> {
  const mails = await database.db.selectFrom('dev_mailbox').select(['envelope_to', 'message_id']).execute();
  return racers.map((racer) =>
    mails
      .filter((mail) => mail.envelope_to.includes(racer.email))
      .map((mail) => /-(?<intent>[a-z0-9-]+)@/.exec(mail.message_id?.replace(/^<transfer-\d+/, '') ?? '')?.groups?.intent ?? String(mail.message_id))
      .sort(),
  );
}

/** Money and holds of these transfers' bookings: every booking, its status, and its commitment and release. */
async function bookingsOf(transferIds: readonly number[]) {
  return database.db
    .selectFrom('bookings')
    .leftJoin('fund_movements as c', (join) => join.onRef('c.booking_id', '=', 'bookings.id').on('c.kind', '=', 'commitment'))
    .leftJoin('fund_movements as r', (join) => join.onRef('r.booking_id', '=', 'bookings.id').on('r.kind', '=', 'release'))
    .select(['bookings.id', 'bookings.transfer_id', 'bookings.slot_id', 'bookings.status', 'c.amount_pence as committed', 'r.amount_pence as released'])
    .where('bookings.transfer_id', 'in', transferIds)
    .execute();
}

async function fundUse(fundId: number) {
  return database.db.selectFrom('fund_balances').select(['allocation_pence', 'committed_pence', 'claimed_pence']).where('fund_id', '=', fundId).executeTakeFirstOrThrow();
}

describe('races, end to end', () => {
  // A hundred transfers through every layer: about 45 s on a quiet machine, minutes on a loaded one.
  it('gives 100 patients accepting the last 10 slots at once exactly 10 bookings; the other 90 are told and keep their place', { timeout: 300_000 }, async () => {
    // BMI 35: Nuffield (BMI up to 30) is out, so Spire's last ten slots are every choice there is.
    const racers = await addPatients(RACERS, 'hip', '35.0');
    const links = await offersFor(racers, FIXTURE_FUND_ID);
    const choices = await Promise.all(links.map(choicesOn));
    const slots = await database.db.selectFrom('slots').select('id').where('site_ods', '=', 'NT350').where('treatment_function_code', '=', '110').execute();
    for (const offered of choices) expect(offered).toEqual([`NT350:${Math.min(...slots.map((slot) => slot.id))}`]);

    const answers = await Promise.all(links.map((link, index) => accept(link, choices[index]![0]!)));
    expect(answers.map((answer) => answer.status)).toEqual(racers.map(() => 303));

    // Each booking is made (or found gone) and the transfer moves on: none is left mid-booking.
    const settled = await until(() => transfersOf(racers), (rows) => rows.every((row) => row && row.state !== 'booking'), 'transfers still booking', 120_000);
    expect(countBy(settled.map((row) => row?.state))).toEqual({ awaiting_provider: LAST_SLOTS, returned: RACERS - LAST_SLOTS });

    const bookings = await bookingsOf(settled.map((row) => row!.id));
    const live = bookings.filter((booking) => booking.status === 'requested');
    expect(live).toHaveLength(LAST_SLOTS);
    expect(new Set(live.map((booking) => booking.slot_id))).toEqual(new Set(slots.map((slot) => slot.id)));
    expect(live.every((booking) => booking.committed === FIXTURE_HIP_PRICE && booking.released === null)).toBe(true);
    expect(bookings.filter((booking) => booking.status !== 'requested')).toEqual([]);
    const fund = await fundUse(FIXTURE_FUND_ID);
    expect(fund.committed_pence).toBe(LAST_SLOTS * FIXTURE_HIP_PRICE);
    expect(fund.committed_pence + fund.claimed_pence).toBeLessThanOrEqual(fund.allocation_pence);

    // The ninety found the slots gone and no other choice: told once, back on the list with their clock start.
    const mailed = await until(() => intentsMailed(racers), (intents) => intents.every((sent, index) => sent.length === (settled[index]!.state === 'returned' ? 2 : 1)), 'messages', 120_000);
    for (const [index, sent] of mailed.entries()) expect(sent).toEqual(settled[index]!.state === 'returned' ? ['offer-1', 'returned-2'] : ['offer-1']);
    const pathways = await database.db.selectFrom('pathways').select(['id', 'status', 'clock_start_date']).where('id', 'in', racers.map((racer) => racer.pathwayId)).execute();
    for (const racer of racers) expect(pathways.find((row) => row.id === racer.pathwayId)).toMatchObject({ status: 'waiting', clock_start_date: racer.clockStartDate });
  });

  it('takes one answer from a patient accepting in two tabs at once: one booking, one confirmation, and both tabs lead to it', async () => {
    // One patient presses Accept on the same date in both tabs; another on two different dates.
    const racers = await addPatients(2, 'cataract', '27.0');
    const links = await offersFor(racers, CATARACT_FUND_ID);
    const [same, different] = await Promise.all(links.map(choicesOn));
    expect(same![0]).toMatch(/^NT350:/);
    const tabs = await Promise.all([accept(links[0]!, same![0]!), accept(links[0]!, same![0]!), accept(links[1]!, different![0]!), accept(links[1]!, different![1]!)]);
    // Each tab goes to where the offer now stands (the answer taken, the booking being made); a page shown instead says why.
    const pages = await Promise.all(tabs.map(async (tab) => ({ status: tab.status, location: tab.headers.get('location'), said: tab.status === 303 ? '' : mainText(await tab.text()) })));
    expect(pages).toEqual([0, 0, 1, 1].map((index) => ({ status: 303, location: `${new URL(links[index]!).pathname}/answered/accept`, said: '' })));

    const transfers = await until(() => transfersOf(racers), (rows) => rows.every((row) => row?.state === 'awaiting_provider'), 'bookings awaiting the provider');
    const answered = await database.db.selectFrom('patient_responses').select(['transfer_id', 'slot_id']).where('kind', '=', 'accept').where('transfer_id', 'in', transfers.map((row) => row!.id)).execute();
    expect(answered).toHaveLength(2);
    const bookings = await bookingsOf(transfers.map((row) => row!.id));
    expect(bookings.map((booking) => [booking.transfer_id, booking.status]).sort()).toEqual(transfers.map((row) => [row!.id, 'requested']).sort());
    // Each booked on the day of one of its tabs' choices (the first answer taken).
    const days = await database.db.selectFrom('slots').select(['id', 'slot_date']).where('id', 'in', [...bookings, ...answered].map((row) => Number(row.slot_id))).execute();
    const dayOfSlot = (slotId: number | null) => days.find((slot) => slot.id === Number(slotId))!.slot_date;
    for (const booking of bookings) expect(dayOfSlot(booking.slot_id)).toBe(dayOfSlot(answered.find((row) => row.transfer_id === booking.transfer_id)!.slot_id));

    // The provider accepts both: each patient is told once that it is booked.
    for (const booking of bookings) expect((await staff('provider', `/bookings/${booking.id}/decision`, { decision: 'accept' })).status).toBe(200);
    const mailed = await until(() => intentsMailed(racers), (intents) => intents.every((sent) => sent.length === 2), 'booking confirmations');
    expect(mailed).toEqual(racers.map(() => ['booking-confirmation', 'offer-1']));
    for (const link of links) expect(await (await fetch(link)).text()).toContain('Your treatment is booked');
  });

  it('cancels a campaign while its patients accept: every transfer withdrawn, no hold or money left behind, each patient told once', async () => {
    const cohort = await addPatients(12, 'cataract', '27.0');
    const launched = await staff('regional', '/campaigns', {
      name: 'Leicester cataracts',
      regionCode: 'Y60',
      trusts: ['RWE'],
      treatmentFunctions: ['130'],
      fundId: CATARACT_FUND_ID,
      period: { from: addDays(today, 7), to: addDays(today, 90) },
      maxOffers: 50,
    });
    expect(launched.status).toBe(202);
    const { id: campaignId } = (await launched.json()) as { id: number };
    await confirmAll(cohort);
    const links = await offerLinks(cohort);
    const choices = await Promise.all(links.map(choicesOn));

    // Two thirds accept at the moment the regional team cancels; the rest have not answered.
    const accepting = links.slice(0, 8);
    const [cancelled, ...answers] = await Promise.all([
      staff('regional', `/campaigns/${campaignId}/cancel`, {}),
      ...accepting.map((link, index) => accept(link, choices[index]![index % 2]!)),
    ]);
    expect(cancelled.status).toBe(200);
    // Each answer is taken (and then withdrawn with the offer) or refused in words: never a 5xx.
    const pages = await Promise.all(answers.map(async (answer) => ({ status: answer.status, said: answer.status === 303 ? '' : mainText(await answer.text()) })));
    for (const page of pages) expect([303, 409], page.said).toContain(page.status);

    // Cancelled before the provider accepted anyone: every transfer ends withdrawn by the campaign.
    const ended = await until(() => transfersOf(cohort), (rows) => rows.every((row) => row?.closed_at), 'transfers ending');
    expect(ended.map((row) => row!.state)).toEqual(cohort.map(() => 'campaign_cancelled'));
    // A booking made meanwhile was undone: its slot let go and its money, if committed, released; no hold left.
    const bookings = await bookingsOf(ended.map((row) => row!.id));
    for (const booking of bookings) {
      expect(booking.status).toBe('cancelled');
      expect(booking.released).toBe(booking.committed);
    }
    const mailed = await until(() => intentsMailed(cohort), (intents) => intents.every((sent) => sent.length === 2), 'withdrawal messages');
    expect(mailed).toEqual(cohort.map(() => ['campaign-withdrawal', 'offer-1']));
    const pathways = await database.db.selectFrom('pathways').select(['id', 'status', 'clock_start_date']).where('id', 'in', cohort.map((racer) => racer.pathwayId)).execute();
    for (const racer of cohort) expect(pathways.find((row) => row.id === racer.pathwayId)).toMatchObject({ status: 'waiting', clock_start_date: racer.clockStartDate });
  });

  it('a provider rejecting as the patient withdraws: one clean end, the slot and money let go once, the patient never offered again', { timeout: 120_000 }, async () => {
    const racers = await addPatients(6, 'cataract', '27.0');
    const links = await offersFor(racers, CATARACT_FUND_ID);
    // Each books a day at Spire Leicester (the demo provider's site), two to a day; Nuffield stays a choice for a second round.
    const choices = await Promise.all(links.map(choicesOn));
    expect((await Promise.all(links.map((link, index) => accept(link, choices[index]![index % 3]!)))).map((answer) => answer.status)).toEqual(racers.map(() => 303));
    const transfers = await until(() => transfersOf(racers), (rows) => rows.every((row) => row?.state === 'awaiting_provider'), 'bookings awaiting the provider');
    const bookings = await bookingsOf(transfers.map((row) => row!.id));

    // At once, the withdrawal sent a moment first or the rejection; or the withdrawal as the rejection is being undone.
    const moneyReleased = (bookingId: number) =>
      until(() => database.db.selectFrom('fund_movements').select('id').where('booking_id', '=', bookingId).where('kind', '=', 'release').executeTakeFirst(), Boolean, 'release', 20_000, 10);
    const raced = await Promise.all(
      racers.map(async (_racer, index) => {
        const booking = bookings.find((row) => row.transfer_id === transfers[index]!.id)!;
        const reject = () => staff('provider', `/bookings/${booking.id}/decision`, { decision: 'reject', reason: 'Anaesthetic risk found at pre-op assessment' });
        const race = [
          async () => (await Promise.all([withdraw(links[index]!), reject()])).reverse(),
          () => Promise.all([reject(), withdraw(links[index]!)]),
          () => Promise.all([reject(), moneyReleased(booking.id).then(() => withdraw(links[index]!))]),
        ][index % 3]!;
        const [provider, patient] = await race();
        return {
          provider: { status: provider!.status, said: ((await provider!.json()) as { error?: { code: string } }).error?.code ?? 'decided' },
          patient: { status: patient!.status, said: patient!.status === 303 ? '' : mainText(await patient!.text()) },
        };
      }),
    );
    const ends = await until(() => transfersOf(racers), (rows) => rows.every((row) => row?.state === 'withdrawn' || row?.state === 'offered'), 'withdrawals or second offers');
    const after = await bookingsOf(transfers.map((row) => row!.id));
    const mailed = await until(() => intentsMailed(racers), (intents) => intents.every((sent) => sent.length === 2), 'messages');
    for (const [index, race] of raced.entries()) {
      expect([200, 409]).toContain(race.provider.status);
      expect([303, 409]).toContain(race.patient.status);
      const [booking] = after.filter((row) => row.transfer_id === transfers[index]!.id);
      // The slot and the money let go once, whoever won.
      expect(after.filter((row) => row.transfer_id === transfers[index]!.id)).toHaveLength(1);
      expect(booking!.released).toBe(booking!.committed);
      if (race.patient.status === 303) {
        // The withdrawal was taken: never offered again, told once, the booking ended by whichever came first.
        expect(ends[index]!.state).toBe('withdrawn');
        expect(['cancelled', 'rejected']).toContain(booking!.status);
        expect(mailed[index]).toEqual(['offer-1', 'withdrawal']);
        if (race.provider.status === 409) expect(race.provider.said).toMatch(/transfer_ended|not_awaiting_provider/);
      } else {
        // The rejection came first: the patient was told in words, and offered the remaining choice.
        expect(race.patient.said).toContain('can no longer be cancelled');
        expect(race.provider).toEqual({ status: 200, said: 'decided' });
        expect(booking!.status).toBe('rejected');
        expect(ends[index]!.state).toBe('offered');
        expect(mailed[index]).toEqual(['offer-1', 'offer-2']);
      }
    }
  });
});
