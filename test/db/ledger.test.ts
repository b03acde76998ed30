/**
 * The fund ledger and claims on real PostgreSQL (PRODUCT.md §3.10, §4): committed + claimed never
 * passes an allocation, even for a writer that skips the application's checks and under 50 racing
 * commitments; claim lines are made once per treated transfer and validated with reasons; claims are
 * gathered once per trust and month; finance's decisions move money exactly once.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/database';
import { decideClaim, gatherClaims, listClaimLines, NO_MONEY_LEFT, prepareClaimLines } from '../../db/repositories/claims';
import { commitBookingFunds, createFund, fundBalance, releaseBookingFunds } from '../../db/repositories/funds';
import { addDays, dayOf, formatDate, shiftMonth } from '../../domain/dates';
import { type BookingDates, treatedOnProblem } from '../../domain/outcome-dates';
import { seedHeldBookings, treatBookings } from '../../generate/bookings';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIXTURE_HIP_PRICE, fixtureHipBookings, LAST_MONTH_DAY, loadFixtureWorld } from '../support/fixture-world';

const TODAY = dayOf(new Date());
/** The 10th of last month: its claims are due today. */

let database: TestDatabase;
let db: Db;
let fundCount = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await loadFixtureWorld(db);
});

afterAll(async () => {
  await database?.drop();
});

/** A fresh fund whose window covers last month, with room for `places` bookings (plus a penny). */
async function newFund(places: number, extra: { trusts?: { trustOds: string; allocationPence: number | null }[] } = {}) {
  fundCount += 1;
  const { id } = await createFund(db, {
    name: `Test fund ${fundCount}`,
    allocationPence: places * FIXTURE_HIP_PRICE + 1,
    windowFrom: addDays(LAST_MONTH_DAY, -40),
    windowTo: addDays(TODAY, 120),
    regionCode: 'Y60',
    trusts: extra.trusts ?? [],
    treatmentFunctions: [],
  });
  return id;
}

async function treated(fundId: number, count: number, trustOds = 'RWE'): Promise<number[]> {
  const ids = await seedHeldBookings(db, fixtureHipBookings(fundId, count, trustOds));
  await treatBookings(db, ids, { procedureCode: 'W37.1', treatedOn: LAST_MONTH_DAY });
  return ids;
}

async function movementsOf(fundId: number) {
  return db.selectFrom('fund_movements').select(['kind', 'amount_pence', 'booking_id']).where('fund_id', '=', fundId).execute();
}

describe('the ledger', () => {
  it('refuses, in the database itself, a commitment that would pass the allocation', async () => {
    const fundId = await newFund(1);
    const [first, second] = await seedHeldBookings(db, fixtureHipBookings(fundId, 2));
    await db.insertInto('fund_movements').values({ fund_id: fundId, booking_id: first!, trust_ods: 'RWE', kind: 'commitment', amount_pence: FIXTURE_HIP_PRICE }).execute();
    // A writer that skips the application's lock and check is still refused.
    await expect(
      db.insertInto('fund_movements').values({ fund_id: fundId, booking_id: second!, trust_ods: 'RWE', kind: 'commitment', amount_pence: FIXTURE_HIP_PRICE }).execute(),
    ).rejects.toThrow(/fund \d+ would be over-committed/);
    await expect(db.updateTable('funds').set({ allocation_pence: FIXTURE_HIP_PRICE - 1 }).where('id', '=', fundId).execute()).rejects.toThrow(/over-committed/);
    expect((await fundBalance(db, fundId))!.committedPence).toBe(FIXTURE_HIP_PRICE);
  });

  it("keeps a trust within its own allocation inside the fund's", async () => {
    const fundId = await newFund(10, { trusts: [{ trustOds: 'RWE', allocationPence: 2 * FIXTURE_HIP_PRICE }, { trustOds: 'RRK', allocationPence: null }] });
    const results = [];
    for (const id of await seedHeldBookings(db, fixtureHipBookings(fundId, 3))) results.push(await commitBookingFunds(db, id));
    expect(results.map((result) => result.ok)).toEqual([true, true, false]);
    // RRK has no ceiling of its own: only the fund's applies.
    for (const id of await seedHeldBookings(db, fixtureHipBookings(fundId, 3, 'RRK'))) expect((await commitBookingFunds(db, id)).ok).toBe(true);
    await expect(
      db.updateTable('fund_trusts').set({ allocation_pence: FIXTURE_HIP_PRICE }).where('fund_id', '=', fundId).where('trust_ods', '=', 'RWE').execute(),
    ).rejects.toThrow(/over-committed for trust RWE/);
  });

  it('gives 50 bookings racing for a fund with room for 20 exactly 20 commitments, round after round', async () => {
    const racers = createDb(database.url, { poolSize: 50 });
    try {
      for (let round = 0; round < 10; round++) {
        const fundId = await newFund(20);
        const bookings = await seedHeldBookings(db, fixtureHipBookings(fundId, 50));
        const results = await Promise.all(bookings.map((id) => commitBookingFunds(racers, id)));
        expect(results.filter((result) => result.ok)).toHaveLength(20);
        const balance = (await fundBalance(db, fundId))!;
        expect(balance.committedPence).toBe(20 * FIXTURE_HIP_PRICE);
        expect(balance.remainingPence).toBe(1);
        expect((await movementsOf(fundId)).filter((movement) => movement.kind === 'commitment')).toHaveLength(20);
      }
    } finally {
      await racers.destroy();
    }
  });
});

describe('claim lines', () => {
  it('makes one valid line per treated transfer, claims its money once, and nothing on a re-run', async () => {
    const fundId = await newFund(5);
    await treated(fundId, 5);
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 5, validated: 5, held: 0 });
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 0, validated: 0, held: 0 });
    const balance = (await fundBalance(db, fundId))!;
    expect(balance).toMatchObject({ committedPence: 0, claimedPence: 5 * FIXTURE_HIP_PRICE, paidPence: 0, remainingPence: 1 });
    const lines = await db.selectFrom('claim_lines').selectAll().where('fund_id', '=', fundId).execute();
    expect(lines.map((line) => [line.status, line.hrg_code, line.price_pence])).toEqual(Array(5).fill(['valid', 'HN12F', FIXTURE_HIP_PRICE]));
  });

  it('holds a line that fails validation with every reason, and claims it once put right', async () => {
    const fundId = await newFund(6);
    const [noConsent, outsideWindow, otherHrg, noHrg, future] = await treated(fundId, 5);
    await sql`delete from patient_responses where transfer_id = (select transfer_id from bookings where id = ${noConsent})`.execute(db);
    await db.updateTable('outcomes').set({ treated_on: addDays(LAST_MONTH_DAY, -60) }).where('booking_id', '=', outsideWindow!).execute();
    await db.updateTable('outcomes').set({ procedure_code: 'C71.2' }).where('booking_id', '=', otherHrg!).execute();
    await db.insertInto('procedures').values({ code: 'W99.9', name: 'Unmapped hip procedure', chapter: 'W', selectable: true, hrg_code: null }).execute();
    await db.updateTable('outcomes').set({ procedure_code: 'W99.9' }).where('booking_id', '=', noHrg!).execute();
    await db.updateTable('outcomes').set({ treated_on: addDays(TODAY, 3) }).where('booking_id', '=', future!).execute();

    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 5, validated: 0, held: 5 });
    const problems = Object.fromEntries(
      (await db.selectFrom('claim_lines').select(['booking_id', 'problems']).where('fund_id', '=', fundId).execute()).map((line) => [line.booking_id, line.problems]),
    );
    expect(problems[noConsent!]).toEqual(['no consent on file']);
    // Also before its booking's dates: the rule of those is the next test's.
    expect(problems[outsideWindow!]).toContainEqual(
      `treated on ${formatDate(addDays(LAST_MONTH_DAY, -60))}, outside the fund's window (${formatDate(addDays(LAST_MONTH_DAY, -40))} to ${formatDate(addDays(TODAY, 120))})`,
    );
    expect(problems[otherHrg!]).toEqual(['treated as C71.2 (HRG BZ34C) but booked and priced as HRG HN12F']);
    expect(problems[noHrg!]).toEqual(['OPCS-4 code W99.9 maps to no HRG']);
    expect(problems[future!]).toContainEqual(`treated on ${formatDate(addDays(TODAY, 3))}, a day still to come`);
    expect((await fundBalance(db, fundId))!.claimedPence).toBe(0);

    // Put right: the line is validated again on the next run and claimed.
    await db.updateTable('outcomes').set({ procedure_code: 'W37.1' }).where('booking_id', 'in', [otherHrg!, noHrg!]).execute();
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 0, validated: 2, held: 3 });
    expect((await fundBalance(db, fundId))!.claimedPence).toBe(2 * FIXTURE_HIP_PRICE);
  });

  it('holds a line treated before its consent, acceptance or procedure date, or long after that date, naming the rule', async () => {
    const fundId = await newFund(5);
    const [beforeConsent, beforeAcceptance, beforeProcedure, longAfter] = await treated(fundId, 4);
    const transferOf = async (bookingId: number) => (await db.selectFrom('bookings').select('transfer_id').where('id', '=', bookingId).executeTakeFirstOrThrow()).transfer_id;
    await db.updateTable('patient_responses').set({ responded_at: `${addDays(LAST_MONTH_DAY, 1)}T09:00:00Z` }).where('transfer_id', '=', await transferOf(beforeConsent!)).execute();
    await db.updateTable('transfer_events').set({ at: sql`${`${addDays(LAST_MONTH_DAY, 2)}T09:00:00Z`}::timestamptz` })
      .where('kind', '=', 'booking.accepted').where('transfer_id', '=', await transferOf(beforeAcceptance!)).execute();
    await db.updateTable('outcomes').set({ treated_on: addDays(LAST_MONTH_DAY, -1) }).where('booking_id', '=', beforeProcedure!).execute();
    // Rebooked by the provider: the procedure done 29 days after the date it was booked for.
    await db.updateTable('bookings').set({ procedure_date: addDays(LAST_MONTH_DAY, -29) }).where('id', '=', longAfter!).execute();

    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 4, validated: 0, held: 4 });
    const problems = Object.fromEntries(
      (await db.selectFrom('claim_lines').select(['booking_id', 'problems']).where('fund_id', '=', fundId).execute()).map((line) => [line.booking_id, line.problems]),
    );
    // The claims run says it in the domain rule's own words (domain/outcome-dates.ts), whichever rule a line breaks.
    const inDomainWords = (treatedOn: string, dates: Partial<BookingDates>) =>
      treatedOnProblem(treatedOn, { consentedOn: '2000-01-01', acceptedOn: '2000-01-01', procedureDate: treatedOn, ...dates })!.message;
    expect(problems[beforeConsent!]).toEqual([inDomainWords(LAST_MONTH_DAY, { consentedOn: addDays(LAST_MONTH_DAY, 1) })]);
    expect(problems[beforeAcceptance!]).toEqual([inDomainWords(LAST_MONTH_DAY, { acceptedOn: addDays(LAST_MONTH_DAY, 2) })]);
    expect(problems[beforeProcedure!]).toEqual([inDomainWords(addDays(LAST_MONTH_DAY, -1), { procedureDate: LAST_MONTH_DAY })]);
    expect(problems[longAfter!]).toEqual([inDomainWords(LAST_MONTH_DAY, { procedureDate: addDays(LAST_MONTH_DAY, -29) })]);

    // Twenty-eight days after is still the booking's treatment.
    await db.updateTable('bookings').set({ procedure_date: addDays(LAST_MONTH_DAY, -28) }).where('id', '=', longAfter!).execute();
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 0, validated: 1, held: 3 });
  });

  it("dates the consent of a booking held on another slot of the day the patient chose", async () => {
    const fundId = await newFund(1);
    const [bookingId] = await treated(fundId, 1);
    const booking = await db.selectFrom('bookings').select(['transfer_id', 'site_ods', 'procedure_date']).where('id', '=', bookingId!).executeTakeFirstOrThrow();
    // The patient accepted the day as the page named it, by its first slot; the hold took another slot that day.
    const { last } = await db
      .selectFrom('slots')
      .select((eb) => eb.fn.max('ordinal').as('last'))
      .where('site_ods', '=', booking.site_ods)
      .where('slot_date', '=', booking.procedure_date)
      .executeTakeFirstOrThrow();
    const named = await db
      .insertInto('slots')
      .values({ site_ods: booking.site_ods, treatment_function_code: '110', procedure_code: 'W37.1', slot_date: booking.procedure_date, ordinal: Number(last) + 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('patient_responses')
      .set({ slot_id: named.id, responded_at: `${addDays(LAST_MONTH_DAY, 1)}T09:00:00Z` })
      .where('transfer_id', '=', booking.transfer_id)
      .execute();
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 1, validated: 0, held: 1 });
    const [line] = await db.selectFrom('claim_lines').select('problems').where('booking_id', '=', bookingId!).execute();
    expect(line!.problems).toEqual([treatedOnProblem(LAST_MONTH_DAY, { consentedOn: addDays(LAST_MONTH_DAY, 1), acceptedOn: '2000-01-01', procedureDate: LAST_MONTH_DAY })!.message]);
  });

  it('holds a line the fund has no money left for', async () => {
    const fundId = await newFund(3);
    const ids = await treated(fundId, 3);
    // The first line's commitment went (released by mistake) and another booking took the room.
    await releaseBookingFunds(db, ids[0]!, 'test');
    const [other] = await seedHeldBookings(db, fixtureHipBookings(fundId, 1));
    expect(await commitBookingFunds(db, other!)).toEqual({ ok: true });
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 3, validated: 2, held: 1 });
    const held = await db.selectFrom('claim_lines').select(['booking_id', 'problems']).where('fund_id', '=', fundId).where('status', '=', 'held').execute();
    expect(held).toEqual([{ booking_id: ids[0], problems: [NO_MONEY_LEFT] }]);
    const balance = (await fundBalance(db, fundId))!;
    expect(balance.committedPence + balance.claimedPence).toBeLessThanOrEqual(balance.allocationPence);
  });
});

describe('claims', () => {
  it("gathers last month's valid lines into one claim per trust, once; a late line makes a second claim", async () => {
    const fundId = await newFund(10);
    await treated(fundId, 3, 'RWE');
    await treated(fundId, 2, 'RRK');
    await prepareClaimLines(db, fundId, TODAY);
    // Not before the month is over.
    expect(await gatherClaims(db, fundId, addDays(LAST_MONTH_DAY, 5))).toEqual([]);
    const claims = await gatherClaims(db, fundId, TODAY);
    expect(claims.map(({ trustOds, lineCount, totalPence, sequence }) => ({ trustOds, lineCount, totalPence, sequence }))).toEqual([
      { trustOds: 'RRK', lineCount: 2, totalPence: 2 * FIXTURE_HIP_PRICE, sequence: 1 },
      { trustOds: 'RWE', lineCount: 3, totalPence: 3 * FIXTURE_HIP_PRICE, sequence: 1 },
    ]);
    expect(claims.every((claim) => claim.month === `${LAST_MONTH_DAY.slice(0, 8)}01`)).toBe(true);
    expect(await gatherClaims(db, fundId, TODAY)).toEqual([]);

    await treated(fundId, 1, 'RWE');
    await prepareClaimLines(db, fundId, TODAY);
    const late = await gatherClaims(db, fundId, TODAY);
    expect(late.map(({ trustOds, lineCount, sequence }) => ({ trustOds, lineCount, sequence }))).toEqual([{ trustOds: 'RWE', lineCount: 1, sequence: 2 }]);
  });

  it("holds this month's valid lines as month open, for finance to see, and gathers them into the month's claim once it ends", async () => {
    const fundId = await newFund(3);
    const monthStart = `${TODAY.slice(0, 7)}-01`;
    const ids = await seedHeldBookings(db, fixtureHipBookings(fundId, 2));
    await treatBookings(db, ids, { procedureCode: 'W37.1', treatedOn: monthStart });
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 2, validated: 2, held: 0 });
    expect((await fundBalance(db, fundId))!.claimedPence).toBe(2 * FIXTURE_HIP_PRICE);
    const open = await listClaimLines(db, { fundId, status: 'month_open' });
    expect(open.map((line) => [line.treatedOn, line.claimId, line.problems])).toEqual(Array(2).fill([monthStart, null, []]));
    // The month is not over: no claim yet, however often the run comes.
    expect(await gatherClaims(db, fundId, TODAY)).toEqual([]);
    expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 0, validated: 0, held: 0 });

    const [claim, ...more] = await gatherClaims(db, fundId, `${shiftMonth(TODAY.slice(0, 7), 1)}-01`);
    expect(more).toEqual([]);
    expect(claim).toMatchObject({ trustOds: 'RWE', month: monthStart, lineCount: 2, totalPence: 2 * FIXTURE_HIP_PRICE, sequence: 1 });
    const gathered = await listClaimLines(db, { fundId });
    expect(gathered.map((line) => [line.status, line.claimId])).toEqual(Array(2).fill(['valid', claim!.id]));
  });

  it('moves money once for each decision: approved then paid, or rejected back to the fund', async () => {
    const fundId = await newFund(10);
    await treated(fundId, 2, 'RWE');
    await treated(fundId, 3, 'RRK');
    await prepareClaimLines(db, fundId, TODAY);
    const [rrk, rwe] = await gatherClaims(db, fundId, TODAY);

    expect(await decideClaim(db, rwe!.id, { kind: 'pay' }, 'staff:9')).toEqual({ ok: false, reason: `claim ${rwe!.id} is submitted: only a claim that is approved can be paid` });
    expect(await decideClaim(db, rwe!.id, { kind: 'approve' }, 'staff:9')).toEqual({ ok: true, status: 'approved' });
    expect(await decideClaim(db, rwe!.id, { kind: 'pay' }, 'staff:9')).toEqual({ ok: true, status: 'paid' });
    expect((await decideClaim(db, rwe!.id, { kind: 'pay' }, 'staff:9')).ok).toBe(false);
    expect(await decideClaim(db, rrk!.id, { kind: 'reject', reason: 'coding query' }, 'staff:9')).toEqual({ ok: true, status: 'rejected' });
    expect((await decideClaim(db, rrk!.id, { kind: 'approve' }, 'staff:9')).ok).toBe(false);

    expect(await fundBalance(db, fundId)).toMatchObject({ committedPence: 0, claimedPence: 2 * FIXTURE_HIP_PRICE, paidPence: 2 * FIXTURE_HIP_PRICE, remainingPence: 8 * FIXTURE_HIP_PRICE + 1 });
    const lines = await db.selectFrom('claim_lines').select(['trust_ods', 'status']).where('fund_id', '=', fundId).orderBy('trust_ods').execute();
    expect(lines.map((line) => `${line.trust_ods}:${line.status}`)).toEqual(['RRK:rejected', 'RRK:rejected', 'RRK:rejected', 'RWE:valid', 'RWE:valid']);
  });
});

describe('ledger properties', () => {
  type Step = { kind: 'commit' | 'release' | 'treat' | 'claim' | 'pay' | 'reject'; booking: number };
  const BOOKINGS = 6;
  const step = fc.record({
    kind: fc.constantFrom<Step['kind']>('commit', 'release', 'treat', 'claim', 'pay', 'reject'),
    booking: fc.nat({ max: BOOKINGS - 1 }),
  });

  it('keeps every balance equal to the sum of its rows and never above the allocation, whatever the order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: BOOKINGS }), async (steps, places) => {
        const fundId = await newFund(places);
        const bookings = await seedHeldBookings(db, fixtureHipBookings(fundId, BOOKINGS));
        for (const { kind, booking } of steps) {
          const id = bookings[booking]!;
          await applyStep(fundId, kind, id);
          const balance = (await fundBalance(db, fundId))!;
          const rows = await movementsOf(fundId);
          const sum = (kinds: string[]) => rows.filter((row) => kinds.includes(row.kind)).reduce((total, row) => total + row.amount_pence, 0);
          expect(balance.committedPence).toBe(sum(['commitment']) - sum(['release']));
          expect(balance.claimedPence).toBe(sum(['claim']) - sum(['rejection']));
          expect(balance.paidPence).toBe(sum(['payment']));
          expect(balance.committedPence).toBeGreaterThanOrEqual(0);
          expect(balance.paidPence).toBeLessThanOrEqual(balance.claimedPence + sum(['rejection']));
          expect(balance.committedPence + balance.claimedPence).toBeLessThanOrEqual(balance.allocationPence);
        }
      }),
      { numRuns: 25 },
    );
  });

  /** One step of a booking's life, as the product does it; a step that does not apply changes nothing. */
  async function applyStep(fundId: number, kind: Step['kind'], bookingId: number): Promise<void> {
    const booking = await db.selectFrom('bookings').select(['status']).where('id', '=', bookingId).executeTakeFirstOrThrow();
    switch (kind) {
      case 'commit':
        await commitBookingFunds(db, bookingId);
        return;
      case 'release':
        if (booking.status === 'held') {
          await db.updateTable('bookings').set({ status: 'released' }).where('id', '=', bookingId).execute();
          await releaseBookingFunds(db, bookingId, 'withdrawn');
        }
        return;
      case 'treat': {
        const committed = await db.selectFrom('fund_movements').select('id').where('booking_id', '=', bookingId).where('kind', '=', 'commitment').executeTakeFirst();
        const released = await db.selectFrom('fund_movements').select('id').where('booking_id', '=', bookingId).where('kind', '=', 'release').executeTakeFirst();
        if (booking.status === 'held' && committed && !released) await treatBookings(db, [bookingId], { procedureCode: 'W37.1', treatedOn: LAST_MONTH_DAY });
        return;
      }
      case 'claim':
        await prepareClaimLines(db, fundId, TODAY);
        await gatherClaims(db, fundId, TODAY);
        return;
      case 'pay':
      case 'reject': {
        const line = await db.selectFrom('claim_lines').select('claim_id').where('booking_id', '=', bookingId).executeTakeFirst();
        if (!line?.claim_id) return;
        if (kind === 'pay') {
          await decideClaim(db, line.claim_id, { kind: 'approve' }, 'test');
          await decideClaim(db, line.claim_id, { kind: 'pay' }, 'test');
        } else {
          await decideClaim(db, line.claim_id, { kind: 'reject', reason: 'test' }, 'test');
        }
        return;
      }
    }
  }
});
