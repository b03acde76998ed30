/**
 * IS capacity: how many slots a site offers for a treatment function (or one procedure) on a day.
 * Each slot becomes a row that can be booked once; a corrected file adds or removes slots in place.
 */
import { column, ODS_CODE, OPCS4, TREATMENT_FUNCTION } from '../rules';
import { knownCodes, knownSites, upsertKind } from '../upsert';


const SLOT_KEY = `t.site_ods = s.site_ods and t.treatment_function_code = s.treatment_function_code
  and coalesce(t.procedure_code, '') = coalesce(s.procedure_code, '') and t.slot_date = s.slot_date`;

const kind = upsertKind({
  name: 'capacity',
  title: 'IS capacity (slots)',
  description: 'Slots per site, treatment function (or procedure) and day. Re-importing a day with a new count adds or removes slots.',
  columns: [
    column('site_ods', true, 'ODS code of the site', 'NT301'),
    column('treatment_function_code', true, 'treatment function code', '110'),
    column('procedure_code', false, 'OPCS-4 code when the slots are for one procedure only', 'W37.1'),
    column('date', true, 'the day, YYYY-MM-DD', '2026-12-07'),
    column('slots', true, 'number of slots that day (0 removes them)', '4'),
  ],
  table: 'slots',
  key: ['site_ods', 'treatment_function_code', 'procedure_code', 'slot_date'],
  staging: [
    ['site_ods', 'text'],
    ['treatment_function_code', 'text'],
    ['procedure_code', 'text'],
    ['slot_date', 'date'],
    ['slots', 'integer'],
  ],
  loadContext: async (session, scope) => ({
    sites: await knownSites(session, scope),
    treatmentFunctions: await knownCodes(session, 'treatment_functions', 'code'),
    procedures: await knownCodes(session, 'procedures', 'code'),
  }),
  read: (fields, context) => ({
    site_ods: fields.code('site_ods', { ...ODS_CODE, required: true, known: context.sites, knownAs: 'site (in your scope)' }),
    treatment_function_code: fields.code('treatment_function_code', {
      ...TREATMENT_FUNCTION,
      required: true,
      known: context.treatmentFunctions,
      knownAs: 'treatment function',
    }),
    procedure_code: fields.code('procedure_code', { ...OPCS4, known: context.procedures, knownAs: 'OPCS-4 code' }),
    slot_date: fields.date('date', { required: true }),
    slots: fields.integer('slots', { required: true, min: 0, max: 500 }),
  }),
});

export const capacity: typeof kind = {
  ...kind,
  async merge(session) {
    const { rows } = await session.query<{ inserted: number; updated: number; unchanged: number }>(
      `select (count(*) filter (where existing = 0 and slots > 0))::int as inserted,
              (count(*) filter (where existing <> slots and not (existing = 0 and slots > 0)))::int as updated,
              (count(*) filter (where existing = slots))::int as unchanged
       from (select s.row_number, s.slots, count(t.id) as existing
             from import_staging s left join slots t on ${SLOT_KEY}
             group by s.row_number, s.slots) as counted`,
    );
    await session.query(
      `insert into slots (site_ods, treatment_function_code, procedure_code, slot_date, ordinal)
       select s.site_ods, s.treatment_function_code, s.procedure_code, s.slot_date, ordinal
       from import_staging s cross join lateral generate_series(1, s.slots) as ordinal
       on conflict (site_ods, treatment_function_code, coalesce(procedure_code, ''), slot_date, ordinal) do nothing`,
    );
    await session.query(`delete from slots t using import_staging s where ${SLOT_KEY} and t.ordinal > s.slots`);
    return rows[0]!;
  },
};
