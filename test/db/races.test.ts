/**
 * The invariants that must hold under concurrency (PRODUCT.md §4, §9), on real PostgreSQL with many
 * connections at once: 100 patients racing for 10 slots get exactly 10 bookings, one per slot; and
 * concurrent commitments never take a fund past its allocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/database';
import { holdSlot } from '../../db/repositories/bookings';
import { commitBookingFunds, fundBalance } from '../../db/repositories/funds';
import { openTransferRow } from '../../db/repositories/transfers';
import { addDays } from '../../domain/dates';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIRST_SLOT_DAY, FIXTURE_FUND_ID, loadFixtureWorld } from '../support/fixture-world';

const PATIENTS = 100;
const SLOTS = 10;
const RACE_DAY = addDays(FIRST_SLOT_DAY, 30);
const PERIOD = { from: FIRST_SLOT_DAY, to: addDays(FIRST_SLOT_DAY, 60) };

let database: TestDatabase;
/** A pool as wide as the race, so the contenders really do hold connections at the same time. */
let racers: Db;
let transferIds: number[];
let slotIds: number[];

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  racers = createDb(database.url, { poolSize: 40 });
  // A hundred hip pathways for one patient, each with its transfer open.
  const pathways = await database.db
    .insertInto('pathways')
    .values(
      Array.from({ length: PATIENTS }, (_, index) => ({
        patient_id: 1,
        trust_ods: 'RWE',
        pathway_ref: `RACE-${index}`,
        treatment_function_code: '110',
        planned_procedure_code: 'W37.1',
        clock_start_date: '2025-01-01',
        priority: 'routine' as const,
      })),
    )
    .returning('id')
    .execute();
  transferIds = [];
  for (const { id } of pathways) {
    const transfer = await openTransferRow(database.db, { pathwayId: id, fundId: FIXTURE_FUND_ID, period: PERIOD, workflowId: `race-${id}`, runId: `race-${id}` });
    transferIds.push(transfer.id);
  }
  const slots = await database.db
    .insertInto('slots')
    .values(Array.from({ length: SLOTS }, (_, index) => ({ site_ods: 'NT350', treatment_function_code: '110', procedure_code: 'W37.1', slot_date: RACE_DAY, ordinal: index + 1 })))
    .returning('id')
    .execute();
  slotIds = slots.map((slot) => slot.id);
});

afterAll(async () => {
  await racers?.destroy();
  await database?.drop();
});

describe('races', () => {
  it('gives 100 patients racing for the 10 slots of a day exactly 10 bookings, one per slot', async () => {
    // Each names the day by its first slot, as the offer page does: the day is the choice, not the slot.
    const results = await Promise.all(
      transferIds.map((transferId) => holdSlot(racers, { transferId, siteOds: 'NT350', slotId: slotIds[0]!, fundId: FIXTURE_FUND_ID, period: PERIOD })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(SLOTS);
    expect(results.filter((result) => !result.ok).every((result) => !result.ok && /taken/.test(result.reason))).toBe(true);
    const bookings = await database.db.selectFrom('bookings').select(['slot_id', 'status']).where('slot_id', 'in', slotIds).execute();
    expect(bookings).toHaveLength(SLOTS);
    expect(new Set(bookings.map((booking) => booking.slot_id)).size).toBe(SLOTS);
  });

  it('never commits a fund past its allocation, however many bookings commit at once', async () => {
    const held = await database.db.selectFrom('bookings').select(['id', 'price_pence']).where('slot_id', 'in', slotIds).execute();
    const price = held[0]!.price_pence;
    // Room for four of the ten, whatever is already committed.
    const allocation = 4 * price + 1;
    await database.db.updateTable('funds').set({ allocation_pence: allocation }).where('id', '=', FIXTURE_FUND_ID).execute();
    const results = await Promise.all(held.map((booking) => commitBookingFunds(racers, booking.id)));
    expect(results.filter((result) => result.ok)).toHaveLength(4);
    const balance = (await fundBalance(database.db, FIXTURE_FUND_ID))!;
    expect(balance.committedPence).toBe(4 * price);
    expect(balance.remainingPence).toBe(1);
    // Committing again changes nothing: each booking's money is committed once.
    await Promise.all(held.map((booking) => commitBookingFunds(racers, booking.id)));
    expect((await fundBalance(database.db, FIXTURE_FUND_ID))!.committedPence).toBe(4 * price);
  });
});
