/**
 * Cohort selection (PRODUCT.md §3.3) on real PostgreSQL: each rule keeps out exactly the pathways it
 * should, longest waiters come first, and keyset pages add up to the whole cohort with no repeats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortPage } from '../../db/repositories/cohort';
import { openTransferRow, setTransferState } from '../../db/repositories/transfers';
import type { NewPathway } from '../../db/schema';
import { DEFAULT_COHORT_RULES } from '../../domain/cohort';
import { addDays, dayOf, monthsBefore } from '../../domain/dates';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadFixtureWorld } from '../support/fixture-world';

const today = dayOf(new Date());
let database: TestDatabase;
/** Pathway ids by what they test. */
const ids: Record<string, number> = {};

const query = (overrides: Partial<Parameters<typeof cohortPage>[1]> = {}) =>
  cohortPage(database.db, { trusts: ['RWE'], treatmentFunctions: ['110'], rules: DEFAULT_COHORT_RULES, asOf: today, limit: 100, ...overrides });

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  const minor = await database.db
    .insertInto('patients')
    .values({ nhs_number: '9990000050', given_name: 'Young', family_name: 'Person', date_of_birth: addDays(monthsBefore(today, 12 * 18), 1) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pathway = (ref: string, change: Partial<NewPathway> = {}): NewPathway => ({
    patient_id: 1,
    trust_ods: 'RWE',
    pathway_ref: ref,
    treatment_function_code: '110',
    planned_procedure_code: 'W37.1',
    clock_start_date: addDays(today, -7 * 30),
    priority: 'routine',
    ...change,
  });
  const cases: Record<string, NewPathway> = {
    urgent: pathway('C-URGENT', { priority: 'urgent' }),
    cancer: pathway('C-CANCER', { priority: 'cancer' }),
    tertiary: pathway('C-TERTIARY', { tertiary: true }),
    tooRecent: pathway('C-RECENT', { clock_start_date: addDays(today, -7 * 17) }),
    justLongEnough: pathway('C-18WEEKS', { clock_start_date: addDays(today, -7 * 18) }),
    appointmentSoon: pathway('C-APPT-SOON', { next_appointment_on: addDays(today, 7 * 3) }),
    appointmentLater: pathway('C-APPT-LATER', { next_appointment_on: addDays(today, 7 * 10) }),
    minor: pathway('C-MINOR', { patient_id: minor.id }),
    transferredOut: pathway('C-OUT', { status: 'transferred_out' }),
    openTransfer: pathway('C-OPEN'),
    declinedLately: pathway('C-DECLINED-30'),
    declinedLongAgo: pathway('C-DECLINED-120'),
    withdrawnLately: pathway('C-WITHDRAWN-30'),
    lapsedLately: pathway('C-LAPSED-30'),
    refusedLately: pathway('C-REFUSED-30'),
    didNotAttendLately: pathway('C-DNA-30'),
    withdrawnLongAgo: pathway('C-WITHDRAWN-120'),
    reviewLapsedLately: pathway('C-REVIEW-LAPSED-30'),
    returnedLately: pathway('C-RETURNED-30'),
    otherSpecialty: pathway('C-130', { treatment_function_code: '130', planned_procedure_code: 'C71.2' }),
  };
  for (const [name, values] of Object.entries(cases)) {
    ids[name] = (await database.db.insertInto('pathways').values(values).returning('id').executeTakeFirstOrThrow()).id;
  }
  await openTransferRow(database.db, { pathwayId: ids.openTransfer!, fundId: 1, period: null, workflowId: 'open', runId: 'open' });
  const closed = [
    ['declinedLately', 'declined', 30],
    ['declinedLongAgo', 'declined', 120],
    ['withdrawnLately', 'withdrawn', 30],
    ['lapsedLately', 'lapsed', 30],
    ['refusedLately', 'refused', 30],
    ['didNotAttendLately', 'did_not_attend', 30],
    ['withdrawnLongAgo', 'withdrawn', 120],
    ['reviewLapsedLately', 'review_lapsed', 30],
    ['returnedLately', 'returned', 30],
  ] as const;
  for (const [name, state, daysAgo] of closed) {
    const transfer = await openTransferRow(database.db, { pathwayId: ids[name]!, fundId: 1, period: null, workflowId: name, runId: name });
    await setTransferState(database.db, transfer.id, state, true);
    await database.db.updateTable('transfers').set({ closed_at: new Date(Date.now() - daysAgo * 86_400_000) }).where('id', '=', transfer.id).execute();
  }
});

afterAll(async () => {
  await database?.drop();
});

describe('cohortPage', () => {
  it('keeps out exactly what the rules say, and keeps in the rest', async () => {
    const selected = new Set((await query()).map((row) => row.pathwayId));
    // Said no or turned back in the last 90 days, in any way, keeps a pathway out; a review nobody did, or a return after the provider's rejection, does not.
    for (const name of ['justLongEnough', 'appointmentLater', 'declinedLongAgo', 'withdrawnLongAgo', 'reviewLapsedLately', 'returnedLately']) expect(selected.has(ids[name]!), name).toBe(true);
    for (const name of [
      'urgent',
      'cancer',
      'tertiary',
      'tooRecent',
      'appointmentSoon',
      'minor',
      'transferredOut',
      'openTransfer',
      'declinedLately',
      'withdrawnLately',
      'lapsedLately',
      'refusedLately',
      'didNotAttendLately',
      'otherSpecialty',
    ]) {
      expect(selected.has(ids[name]!), name).toBe(false);
    }
    // The fixture's own RWE hip pathways (1, 2 and 4) qualify too; RRK's is another trust.
    for (const id of [1, 2, 4]) expect(selected.has(id), `pathway ${id}`).toBe(true);
    expect(selected.has(3)).toBe(false);
  });

  it('puts the longest waiters first and pages by keyset without gaps or repeats', async () => {
    const all = await query();
    const dates = all.map((row) => row.clockStartDate);
    expect(dates).toEqual([...dates].sort());
    const paged: number[] = [];
    let page = await query({ limit: 2 });
    while (page.length > 0) {
      paged.push(...page.map((row) => row.pathwayId));
      const last = page.at(-1)!;
      page = await query({ limit: 2, after: { clockStartDate: last.clockStartDate, pathwayId: last.pathwayId } });
    }
    expect(paged).toEqual(all.map((row) => row.pathwayId));
  });

  it('follows the campaign’s own rules when they differ from the defaults', async () => {
    const stricter = await query({ rules: { ...DEFAULT_COHORT_RULES, minWeeksWaited: 52 } });
    expect(stricter.every((row) => row.clockStartDate <= addDays(today, -7 * 52))).toBe(true);
    expect(stricter.map((row) => row.pathwayId)).not.toContain(ids.justLongEnough);
  });
});
