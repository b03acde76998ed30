/**
 * freeSlots, which offers, offer pages and holds all read: per site, the first free days in the
 * period for the pathway's treatment function and procedure, one slot a day (the day's first free
 * one), priced; a slot under a live booking is not free, one under a cancelled booking is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSlots } from '../../db/repositories/offer-choices';
import { openTransferRow } from '../../db/repositories/transfers';
import { addDays } from '../../domain/dates';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIRST_SLOT_DAY, FIXTURE_FUND_ID, FIXTURE_HIP_PRICE, loadFixtureWorld } from '../support/fixture-world';

const day = (offset: number) => addDays(FIRST_SLOT_DAY, offset);
const HIP = { treatmentFunctionCode: '110', procedureCode: 'W37.1', from: day(0), to: day(60) };

let database: TestDatabase;
/** The slots added below, by a name saying what each is. */
const slot: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  // The fixture's NT350 hip slots: one on day 0, two on day 7. Around them:
  const added = {
    anyProcedureDay3Second: { procedure_code: null, slot_date: day(3), ordinal: 2 },
    anyProcedureDay3First: { procedure_code: null, slot_date: day(3), ordinal: 1 },
    otherFunctionDay1: { treatment_function_code: '130', procedure_code: null, slot_date: day(1), ordinal: 1 },
    afterPeriod: { procedure_code: 'W37.1', slot_date: day(61), ordinal: 1 },
    day9: { procedure_code: 'W37.1', slot_date: day(9), ordinal: 1 },
  };
  for (const [name, values] of Object.entries(added)) {
    const row = await database.db
      .insertInto('slots')
      .values({ site_ods: 'NT350', treatment_function_code: '110', ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    slot[name] = row.id;
  }
  const fixtureSlots = await database.db.selectFrom('slots').select(['id', 'slot_date', 'ordinal']).where('site_ods', '=', 'NT350').where('procedure_code', '=', 'W37.1').execute();
  slot.day0 = fixtureSlots.find((row) => row.slot_date === day(0))!.id;
  slot.day7First = fixtureSlots.find((row) => row.slot_date === day(7) && row.ordinal === 1)!.id;

  // Day 0 is held by one patient; day 7's first slot was booked and cancelled, so it is free again.
  const transfer = await openTransferRow(database.db, { pathwayId: 1, fundId: FIXTURE_FUND_ID, period: { from: HIP.from, to: HIP.to }, workflowId: 'free-slots', runId: 'free-slots' });
  const booking = (slotId: number, status: 'held' | 'cancelled') => ({
    transfer_id: transfer.id,
    slot_id: slotId,
    site_ods: 'NT350',
    fund_id: FIXTURE_FUND_ID,
    procedure_date: day(0),
    price_pence: FIXTURE_HIP_PRICE,
    price_source: 'test',
    status,
  });
  await database.db.insertInto('bookings').values([booking(slot.day7First!, 'cancelled'), booking(slot.day0!, 'held')]).execute();
});

afterAll(async () => {
  await database?.drop();
});

describe('freeSlots', () => {
  it("gives each site's first free days in the period, the first free slot of each day, priced", async () => {
    const slots = await freeSlots(database.db, ['NT350', 'NT240'], HIP, { daysPerSite: 3 });
    expect(slots.map(({ siteOds, slotDate, slotId }) => ({ siteOds, slotDate, slotId }))).toEqual([
      { siteOds: 'NT240', slotDate: day(2), slotId: expect.any(Number) },
      { siteOds: 'NT350', slotDate: day(3), slotId: slot.anyProcedureDay3First },
      { siteOds: 'NT350', slotDate: day(7), slotId: slot.day7First },
      { siteOds: 'NT350', slotDate: day(9), slotId: slot.day9 },
    ]);
    expect(slots.find((free) => free.siteOds === 'NT350')).toMatchObject({ siteName: 'Spire Leicester Hospital', providerOds: 'NT3', pricePence: FIXTURE_HIP_PRICE });
  });

  it('stops at the days asked for, and reads only the sites asked for', async () => {
    const slots = await freeSlots(database.db, ['NT350'], HIP, { daysPerSite: 2 });
    expect(slots.map((free) => free.slotId)).toEqual([slot.anyProcedureDay3First, slot.day7First]);
    expect(await freeSlots(database.db, ['NT350'], { ...HIP, to: day(2) }, { daysPerSite: 5 })).toEqual([]);
  });

  it('answers for one day, as a hold asks: its first free slot right for the pathway, or nothing', async () => {
    const one = (offset: number) => freeSlots(database.db, ['NT350'], { ...HIP, from: day(offset), to: day(offset) }, { daysPerSite: 1 });
    expect((await one(7)).map((free) => free.slotId)).toEqual([slot.day7First]);
    expect((await one(3)).map((free) => free.slotId)).toEqual([slot.anyProcedureDay3First]);
    expect(await one(0)).toEqual([]);
    expect(await one(1)).toEqual([]);
  });
});
