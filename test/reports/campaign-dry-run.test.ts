/**
 * A campaign's dry run on real PostgreSQL over the fixture world, checked against numbers worked out
 * by hand: who is eligible, who no site can take and why, who has no choice within reach, and what
 * the offers would cost against the fund, with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COHORT_RULES } from '../../domain/cohort';
import { addDays, dayOf, shiftMonth } from '../../domain/dates';
import { campaignDryRun, type DryRunRequest } from '../../reports/campaign-dry-run';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIXTURE_FUND_ID, loadFixtureWorld } from '../support/fixture-world';

const today = dayOf(new Date());
/** The hip price at Spire Leicester (NT350, the nearest site for each patient): £7,251.00 × 1.02347. */
const HIP_AT_SPIRE = 742_118;
let database: TestDatabase;

const request = (overrides: Partial<DryRunRequest> = {}): DryRunRequest => ({
  regionCode: 'Y60',
  trusts: ['RWE'],
  treatmentFunctions: ['110'],
  fundId: FIXTURE_FUND_ID,
  period: { from: today, to: addDays(today, 120) },
  rules: DEFAULT_COHORT_RULES,
  maxOffers: 100,
  asOf: today,
  ...overrides,
});

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  // Three more RWE candidates: one on dialysis (every site excludes it), one in Birmingham who will travel 25 miles only,
  // and one waiting for a knee (W40.1), for which no IS site has a slot.
  await database.db.insertInto('procedures').values({ code: 'W40.1', name: 'Total prosthetic replacement of knee joint using cement', chapter: 'W Other Bones and Joints', selectable: true }).execute();
  const patients = await database.db
    .insertInto('patients')
    .values([
      { nhs_number: '9990000069', given_name: 'Dan', family_name: 'Dialysis', date_of_birth: '1960-01-01', postcode: 'LE2 1AA', bmi: '25.0', on_dialysis: true },
      { nhs_number: '9990000077', given_name: 'Faye', family_name: 'Faraway', date_of_birth: '1960-01-01', postcode: 'B15 2TT', bmi: '25.0', travel_max_miles: 25 },
      { nhs_number: '9990000085', given_name: 'Kit', family_name: 'Knee', date_of_birth: '1960-01-01', postcode: 'LE2 1AA', bmi: '25.0' },
    ])
    .returning('id')
    .execute();
  await database.db
    .insertInto('pathways')
    .values(
      patients.map((patient, index) => ({
        patient_id: patient.id,
        trust_ods: 'RWE',
        pathway_ref: `DRY-${index}`,
        treatment_function_code: '110',
        planned_procedure_code: index === 2 ? 'W40.1' : 'W37.1',
        clock_start_date: '2025-02-01',
        priority: 'routine' as const,
      })),
    )
    .execute();
  // RWE missed its hip volume over the last year; RRK delivered it.
  const months = Array.from({ length: 12 }, (_, index) => `${shiftMonth(today.slice(0, 7), -1 - index)}-01`);
  for (const [trust, delivered] of [['RWE', 50], ['RRK', 100]] as const) {
    await database.db.insertInto('contracts').values(months.map((month) => ({ trust_ods: trust, treatment_function_code: '110', month, contracted_volume: 100 }))).execute();
    await database.db.insertInto('activity').values(months.map((month) => ({ trust_ods: trust, treatment_function_code: '110', month, delivered_volume: delivered }))).execute();
  }
});

afterAll(async () => {
  await database?.drop();
});

describe('campaignDryRun', () => {
  it('counts the cohort, the screened out with their reasons, the unreachable, the offers and their cost', async () => {
    const result = await campaignDryRun(database.db, request());
    expect(result).toEqual({
      trusts: ['RWE'],
      eligible: 6, // pathways 1, 2 and 4, and the three above
      screenedOut: 2,
      // One reason each: they add up to those screened out.
      screenedOutReasons: { noSiteForProcedure: 1, excludedByCriteria: 1 },
      screenedOutCriteria: { excludesDialysis: 1 },
      noChoice: 1, // Birmingham is over 25 miles from both Leicester sites
      wouldOffer: 3,
      expectedCostPence: 3 * HIP_AT_SPIRE,
      fundRemainingPence: 5_000_000,
      slotsAvailable: 5,
    });
  });

  it('gives every screened-out patient one reason', async () => {
    const result = await campaignDryRun(database.db, request());
    expect(Object.values(result.screenedOutReasons).reduce((sum, count) => sum + count, 0)).toBe(result.screenedOut);
  });

  it('stops at the maximum number of offers, and at what the fund has left', async () => {
    expect(await campaignDryRun(database.db, request({ maxOffers: 2 }))).toMatchObject({ wouldOffer: 2, expectedCostPence: 2 * HIP_AT_SPIRE });
    await database.db.updateTable('funds').set({ allocation_pence: 2 * HIP_AT_SPIRE + 1 }).where('id', '=', FIXTURE_FUND_ID).execute();
    // The third candidate's offer would pass the fund: there is no choice the fund can pay for.
    expect(await campaignDryRun(database.db, request())).toMatchObject({ wouldOffer: 2, noChoice: 2, expectedCostPence: 2 * HIP_AT_SPIRE });
    await database.db.updateTable('funds').set({ allocation_pence: 5_000_000 }).where('id', '=', FIXTURE_FUND_ID).execute();
  });

  it('draws by default from the region’s trusts that missed their volume, and writes nothing', async () => {
    const before = await database.db.selectFrom('transfers').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    const { trusts, eligible } = await campaignDryRun(database.db, request({ trusts: undefined }));
    expect(trusts).toEqual(['RWE']);
    expect(eligible).toBe(6);
    expect(await database.db.selectFrom('transfers').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).toEqual(before);
  });
});
