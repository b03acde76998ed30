/**
 * GET /api/v1/capacity: free and booked IS slots by site, treatment function and ISO week, counted
 * from a known set of slots and bookings; a provider sees its own sites only; bad parameters are named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { openTransferRow } from '../../db/repositories/transfers';
import type { BookingStatus, StaffRole } from '../../db/schema';
import { addDays, dayOf, mondayOf } from '../../domain/dates';
import type { TestDatabase } from '../support/database';
import { FIRST_SLOT_DAY, FIXTURE_FUND_ID } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
let database: TestDatabase;
let tokens: Record<StaffRole, string>;
let app: ReturnType<typeof createApp>;

/** A Monday far from the fixture's own slots, so the weeks below hold only what this file adds. */
const MONDAY = '2031-03-03';

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  app = createApp(services.appDeps());

  const slots: [site: string, treatmentFunction: string, day: string, count: number][] = [
    ['NT350', '110', MONDAY, 3],
    ['NT350', '110', addDays(MONDAY, 6), 1], // Sunday: the same ISO week
    ['NT350', '110', addDays(MONDAY, 7), 2], // the next Monday: the next week
    ['NT350', '130', addDays(MONDAY, 1), 1],
    ['NT240', '110', addDays(MONDAY, 2), 2],
    ['NT240', '110', addDays(MONDAY, 14), 1], // after the period asked for
  ];
  const ids: Record<string, number> = {};
  for (const [site, treatmentFunction, day, count] of slots) {
    for (let ordinal = 1; ordinal <= count; ordinal++) {
      const { id } = await database.db
        .insertInto('slots')
        .values({ site_ods: site, treatment_function_code: treatmentFunction, procedure_code: null, slot_date: day, ordinal })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[`${site}/${treatmentFunction}/${day}/${ordinal}`] = id;
    }
  }
  // Booked: a held and a completed slot at Spire, an accepted one at Nuffield. A cancelled booking frees its slot.
  const bookings: [slot: string, status: BookingStatus, pathwayId: number][] = [
    [`NT350/110/${MONDAY}/1`, 'held', 1],
    [`NT350/110/${MONDAY}/2`, 'cancelled', 2],
    [`NT350/110/${addDays(MONDAY, 7)}/1`, 'completed', 2],
    [`NT240/110/${addDays(MONDAY, 2)}/1`, 'accepted', 3],
  ];
  for (const [slot, status, pathwayId] of bookings) {
    const transfer = await openTransferRow(database.db, { pathwayId, fundId: FIXTURE_FUND_ID, period: null, workflowId: `capacity-${slot}`, runId: slot });
    await database.db
      .insertInto('bookings')
      .values({ transfer_id: transfer.id, slot_id: ids[slot]!, site_ods: slot.slice(0, 5), fund_id: FIXTURE_FUND_ID, procedure_date: MONDAY, price_pence: 100, price_source: 'test', status })
      .execute();
    // One open transfer per pathway: close it, so the pathway can have the next.
    await database.db.updateTable('transfers').set({ closed_at: new Date() }).where('id', '=', transfer.id).execute();
  }
});

afterAll(async () => {
  await services?.close();
});

interface Week {
  siteOds: string;
  treatmentFunctionCode: string;
  week: string;
  weekStart: string;
  slots: number;
  booked: number;
  free: number;
}

async function capacity(query: string, token = tokens.admin) {
  const response = await app.request(`/api/v1/capacity${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as { from: string; to: string; weeks: Week[]; error?: { message: string; details?: unknown } } };
}

const counts = (weeks: Week[]) => weeks.map(({ siteOds, treatmentFunctionCode, week, weekStart, slots, booked, free }) => ({ siteOds, treatmentFunctionCode, week, weekStart, slots, booked, free }));

describe('GET /api/v1/capacity', () => {
  it('counts free and booked slots by site, treatment function and ISO week, a live booking being booked', async () => {
    const { status, body } = await capacity(`?from=${MONDAY}&to=${addDays(MONDAY, 13)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: MONDAY, to: addDays(MONDAY, 13) });
    // By week, then site name (Nuffield before Spire), then treatment function.
    expect(counts(body.weeks)).toEqual([
      { siteOds: 'NT240', treatmentFunctionCode: '110', week: '2031-W10', weekStart: MONDAY, slots: 2, booked: 1, free: 1 },
      { siteOds: 'NT350', treatmentFunctionCode: '110', week: '2031-W10', weekStart: MONDAY, slots: 4, booked: 1, free: 3 },
      { siteOds: 'NT350', treatmentFunctionCode: '130', week: '2031-W10', weekStart: MONDAY, slots: 1, booked: 0, free: 1 },
      { siteOds: 'NT350', treatmentFunctionCode: '110', week: '2031-W11', weekStart: addDays(MONDAY, 7), slots: 2, booked: 1, free: 1 },
    ]);
    expect(body.weeks[0]).toMatchObject({ siteName: 'Nuffield Health Leicester Hospital', providerOds: 'NT2', treatmentFunctionName: 'Trauma and Orthopaedic Service' });
  });

  it('narrows to a site and a treatment function, and counts only the days asked for', async () => {
    const { body } = await capacity(`?from=${addDays(MONDAY, 1)}&to=${addDays(MONDAY, 13)}&site=NT350&treatmentFunction=110`);
    expect(counts(body.weeks).map(({ week, slots, booked }) => ({ week, slots, booked }))).toEqual([
      { week: '2031-W10', slots: 1, booked: 0 },
      { week: '2031-W11', slots: 2, booked: 1 },
    ]);
  });

  it('shows this week and the eleven after when no days are given', async () => {
    const { body } = await capacity('');
    const monday = mondayOf(dayOf(new Date()));
    expect(body).toMatchObject({ from: monday, to: addDays(monday, 83) });
    // The fixture world's own Spire hip slots, three weeks out, are in it.
    expect(body.weeks.filter((week) => week.siteOds === 'NT350' && week.weekStart === mondayOf(FIRST_SLOT_DAY))).toHaveLength(1);
    expect(body.weeks.every((week) => week.weekStart < '2031-01-01')).toBe(true);
  });

  it("shows a provider its own sites only, and another provider's site not at all", async () => {
    const period = `?from=${MONDAY}&to=${addDays(MONDAY, 13)}`;
    const own = await capacity(period, tokens.provider);
    expect(own.status).toBe(200);
    expect(new Set(own.body.weeks.map((week) => week.siteOds))).toEqual(new Set(['NT350']));
    const other = await capacity(`${period}&site=NT240`, tokens.provider);
    expect(other.status).toBe(404);
    expect(new Set((await capacity(period, tokens.regional)).body.weeks.map((week) => week.siteOds))).toEqual(new Set(['NT240', 'NT350']));
    for (const role of ['clinician', 'finance'] as const) expect((await capacity(period, tokens[role])).status, role).toBe(403);
    expect((await app.request('/api/v1/capacity')).status).toBe(401);
  });

  it('names the parameter at fault', async () => {
    const cases: [query: string, status: number, field: string][] = [
      ['?from=2031-02-30', 400, 'from'],
      ['?to=next-week', 400, 'to'],
      ['?site=nt350', 400, 'site'],
      ['?treatmentFunction=ortho', 400, 'treatmentFunction'],
      [`?from=${MONDAY}&to=${addDays(MONDAY, -1)}`, 422, 'to'],
      [`?from=${MONDAY}&to=${addDays(MONDAY, 400)}`, 422, 'to'],
      ['?site=XYZ99', 404, ''],
    ];
    for (const [query, status, field] of cases) {
      const response = await capacity(query);
      expect(response.status, query).toBe(status);
      if (field) expect(response.body.error!.details, query).toEqual([expect.objectContaining({ field })]);
    }
  });
});
