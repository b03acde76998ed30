/**
 * The waiting list: one row per pathway, with the patient it belongs to. Patients are matched by NHS
 * number and pathways by the trust's own pathway reference, so a re-import updates in place. A
 * pathway's status belongs to the transfer flow and is never overwritten by an import.
 */
import { column, LSOA, ODS_CODE, OPCS4, POSTCODE, TREATMENT_FUNCTION } from '../rules';
import { CONDITION_CONTROL, PATHWAY_PRIORITIES, SEXES } from '../../db/schema';
import { FieldReader } from '../fields';
import { copyText, isValidNhsNumberFast, normaliseNhsNumberFast } from '../fast';
import type { ImportKind, ImportProblem, ImportScope, ImportSession, MergeCounts, SourceRecord } from '../types';
import { deferringChecksDuring, duplicateKeys, isBulkLoad, knownCodes, knownTrusts } from '../upsert';
import { dayOf } from '../../domain/dates';
import { nhsNumberProblem } from '../../domain/nhs-number';
import { parsePhone } from '../../domain/phone';


export const PATIENT_COLUMNS = [
  'nhs_number', 'given_name', 'family_name', 'date_of_birth', 'sex', 'ethnic_category', 'email', 'phone', 'address_line_1',
  'address_line_2', 'town', 'postcode', 'lsoa_code', 'travel_max_miles', 'bmi', 'last_heart_attack_on', 'last_stroke_on',
  'needs_critical_care', 'on_dialysis', 'diabetes', 'hypertension', 'anticoagulated', 'sickle_cell', 'psychiatric_unstable',
] as const;

export const PATHWAY_COLUMNS = [
  'trust_ods', 'pathway_ref', 'treatment_function_code', 'planned_procedure_code', 'clock_start_date', 'priority', 'tertiary',
  'next_appointment_on',
] as const;

type Value = string | number | boolean | null;
type PathwayRow = Record<(typeof PATIENT_COLUMNS)[number] | (typeof PATHWAY_COLUMNS)[number], Value>;

interface Context {
  /** The code rules with this import's known codes, made once per import. */
  readonly lsoa: typeof LSOA_CODE & { known: ReadonlySet<string> };
  readonly trust: typeof TRUST & { known: ReadonlySet<string> };
  readonly treatmentFunction: typeof TREATMENT_FUNCTION_CODE & { known: ReadonlySet<string> };
  readonly procedure: typeof PROCEDURE & { known: ReadonlySet<string> };
  readonly today: string;
}

const STAGING_TYPES: Record<keyof PathwayRow, string> = {
  nhs_number: 'text', given_name: 'text', family_name: 'text', date_of_birth: 'date', sex: 'text', ethnic_category: 'text',
  email: 'text', phone: 'text', address_line_1: 'text', address_line_2: 'text', town: 'text', postcode: 'text', lsoa_code: 'text',
  travel_max_miles: 'integer', bmi: 'numeric(4, 1)', last_heart_attack_on: 'date', last_stroke_on: 'date',
  needs_critical_care: 'boolean', on_dialysis: 'boolean', diabetes: 'text', hypertension: 'text', anticoagulated: 'boolean',
  sickle_cell: 'boolean', psychiatric_unstable: 'boolean', trust_ods: 'text', pathway_ref: 'text', treatment_function_code: 'text',
  planned_procedure_code: 'text', clock_start_date: 'date', priority: 'text', tertiary: 'boolean', next_appointment_on: 'date',
};

const STAGING = [...PATIENT_COLUMNS, ...PATHWAY_COLUMNS].map((column) => [column, STAGING_TYPES[column]] as const);

// Field rules, made once: readPathway runs for every row of lists a million rows long.
const ETHNIC_CATEGORY = { normalise: (value: string) => value.toUpperCase(), valid: (value: string) => /^[A-HJ-NPRSZ]$/.test(value), format: 'an NHS ethnic category code (A–H, J–N, P, R, S or Z)' };
// RFC 5321 caps an address at 254 characters: anything longer cannot be delivered to.
const EMAIL = { valid: (value: string) => value.length <= 254 && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value), format: 'an email address' };
const LSOA_CODE = { ...LSOA, knownAs: 'LSOA' };
const TRUST = { ...ODS_CODE, required: true, knownAs: 'trust (in your scope)' };
const PATHWAY_REF = { required: true, valid: (value: string) => /^[A-Za-z0-9/_.:-]{1,64}$/.test(value), format: 'a pathway reference (up to 64 letters, digits and / _ . : -)' };
const TREATMENT_FUNCTION_CODE = { ...TREATMENT_FUNCTION, required: true, knownAs: 'treatment function' };
const PROCEDURE = { ...OPCS4, knownAs: 'OPCS-4 code' };
const REQUIRED_NAME = { required: true, max: 100 };
const REQUIRED = { required: true };
const ADDRESS = { max: 200 };
const TOWN = { max: 100 };
const BMI = { min: 10, max: 90, places: 1 };
const NO = { default: false };
const UNKNOWN_SEX = { default: 'unknown' as const };
const NO_CONDITION = { default: 'none' as const };
const TRAVEL = new Set(['25', '50', '100']);

function readPathway(fields: FieldReader, context: Context): PathwayRow {
  const rawNhsNumber = fields.raw('nhs_number');
  const nhsNumber = rawNhsNumber ? normaliseNhsNumberFast(rawNhsNumber) : '';
  if (!nhsNumber) fields.problem('nhs_number', 'is required');
  // The fast check for every row; the domain's, which names what is wrong, for the rows it fails.
  else if (!isValidNhsNumberFast(nhsNumber)) fields.problem('nhs_number', nhsNumberProblem(nhsNumber)!);
  const travel = fields.raw('travel_max_miles').toLowerCase();
  let travelMaxMiles: number | null = null;
  if (travel !== '' && travel !== 'any' && travel !== 'anywhere') {
    if (TRAVEL.has(travel)) travelMaxMiles = Number(travel);
    else fields.problem('travel_max_miles', 'must be 25, 50, 100 or anywhere');
  }
  const row: PathwayRow = {
    nhs_number: nhsNumber,
    given_name: fields.text('given_name', REQUIRED_NAME),
    family_name: fields.text('family_name', REQUIRED_NAME),
    date_of_birth: fields.date('date_of_birth', REQUIRED),
    sex: fields.oneOf('sex', SEXES, UNKNOWN_SEX),
    ethnic_category: fields.code('ethnic_category', ETHNIC_CATEGORY),
    email: fields.code('email', EMAIL),
    phone: readPhone(fields),
    address_line_1: fields.text('address_line_1', ADDRESS),
    address_line_2: fields.text('address_line_2', ADDRESS),
    town: fields.text('town', TOWN),
    postcode: fields.code('postcode', POSTCODE),
    lsoa_code: fields.code('lsoa_code', context.lsoa),
    travel_max_miles: travelMaxMiles,
    bmi: fields.decimal('bmi', BMI),
    last_heart_attack_on: fields.date('last_heart_attack_on'),
    last_stroke_on: fields.date('last_stroke_on'),
    needs_critical_care: fields.boolean('needs_critical_care', NO),
    on_dialysis: fields.boolean('on_dialysis', NO),
    diabetes: fields.oneOf('diabetes', CONDITION_CONTROL, NO_CONDITION),
    hypertension: fields.oneOf('hypertension', CONDITION_CONTROL, NO_CONDITION),
    anticoagulated: fields.boolean('anticoagulated', NO),
    sickle_cell: fields.boolean('sickle_cell', NO),
    psychiatric_unstable: fields.boolean('psychiatric_unstable', NO),
    trust_ods: fields.code('trust_ods', context.trust),
    pathway_ref: fields.code('pathway_ref', PATHWAY_REF),
    treatment_function_code: fields.code('treatment_function_code', context.treatmentFunction),
    planned_procedure_code: fields.code('planned_procedure_code', context.procedure),
    clock_start_date: fields.date('clock_start_date', REQUIRED),
    priority: fields.oneOf('priority', PATHWAY_PRIORITIES, REQUIRED),
    tertiary: fields.boolean('tertiary', NO),
    next_appointment_on: fields.date('next_appointment_on'),
  };
  checkDateOrder(fields, row, context.today);
  return row;
}
/** The phone in E.164 (see domain/phone), so the channel rule reads a mobile the same way whatever the trust wrote. */
function readPhone(fields: FieldReader): string | null {
  const written = fields.raw('phone');
  if (!written) return null;
  const phone = parsePhone(written);
  if ('problem' in phone) {
    fields.problem('phone', phone.problem);
    return null;
  }
  return phone.e164;
}

function checkDateOrder(fields: FieldReader, row: PathwayRow, today: string): void {
  const born = row.date_of_birth as string | null;
  const clock = row.clock_start_date as string | null;
  if (born && born > today) fields.problem('date_of_birth', 'is in the future');
  if (clock && clock > today) fields.problem('clock_start_date', 'is in the future');
  if (born && clock && clock < born) fields.problem('clock_start_date', 'is before the date of birth');
  const next = row.next_appointment_on as string | null;
  if (clock && next && next < clock) fields.problem('next_appointment_on', 'is before the clock start date');
  for (const field of ['last_heart_attack_on', 'last_stroke_on'] as const) {
    const value = row[field] as string | null;
    if (value && value > today) fields.problem(field, 'is in the future');
    if (value && born && value < born) fields.problem(field, 'is before the date of birth');
  }
}

/**
 * A row as one line of COPY CSV, in STAGING's order, written out rather than mapped and quoted field by
 * field (a million rows spent seconds there). Only free text can hold a comma, a quote or a line break,
 * or be empty; every other field has passed a format (codes, dates, numbers, yes/no) that has none of
 * them, or is null. test/imports/fast.test.ts checks it gives the same line as toStaging and csvField.
 */
const code = (value: Value) => (value === null ? '' : (value as string));
const flag = (value: Value) => (value === null ? '' : value ? 't' : 'f');
const text = (value: Value) => copyText(value as string | null);
function pathwayCopyLine(row: PathwayRow): string {
  return `${code(row.nhs_number)},${text(row.given_name)},${text(row.family_name)},${code(row.date_of_birth)},${code(row.sex)},${code(
    row.ethnic_category,
  )},${text(row.email)},${text(row.phone)},${text(row.address_line_1)},${text(row.address_line_2)},${text(row.town)},${code(
    row.postcode,
  )},${code(row.lsoa_code)},${row.travel_max_miles === null ? '' : String(row.travel_max_miles)},${code(row.bmi)},${code(
    row.last_heart_attack_on,
  )},${code(row.last_stroke_on)},${flag(row.needs_critical_care)},${flag(row.on_dialysis)},${code(row.diabetes)},${code(
    row.hypertension,
  )},${flag(row.anticoagulated)},${flag(row.sickle_cell)},${flag(row.psychiatric_unstable)},${code(row.trust_ods)},${code(
    row.pathway_ref,
  )},${code(row.treatment_function_code)},${code(row.planned_procedure_code)},${code(row.clock_start_date)},${code(row.priority)},${flag(
    row.tertiary,
  )},${code(row.next_appointment_on)}`;
}

/** From this many staged rows (and half the table) an import is a bulk load: see deferringChecksDuring. */
const BULK_ROWS = 100_000;

const PATIENT_FACTS = PATIENT_COLUMNS.filter((column) => column !== 'nhs_number');
const PATHWAY_FACTS = ['patient_id', ...PATHWAY_COLUMNS.filter((column) => column !== 'trust_ods' && column !== 'pathway_ref')];

export const pathways: ImportKind<PathwayRow, Context> = {
  name: 'pathways',
  analyzes: ['patients', 'pathways'],
  title: 'Waiting-list pathways',
  description:
    'One row per incomplete pathway with its patient. Patients are matched by NHS number, pathways by trust and pathway_ref. Booleans are yes/no; dates YYYY-MM-DD.',
  columns: [
    column('trust_ods', true, 'ODS code of the trust', 'RWE'),
    column('pathway_ref', true, "the trust's patient pathway identifier", 'RWE-000123'),
    column('nhs_number', true, 'NHS number (Modulus 11 checked)', '9990000018'),
    column('given_name', true, 'given name', 'Amira'),
    column('family_name', true, 'family name', 'Khan'),
    column('date_of_birth', true, 'date of birth', '1961-03-14'),
    column('sex', false, 'female, male, other or unknown', 'female'),
    column('ethnic_category', false, 'NHS ethnic category code', 'H'),
    column('email', false, 'email address; without one the patient gets letters', 'amira.khan@example.com'),
    column('phone', false, 'telephone number (UK from 0 or +44, another country from +), stored as +44…; a UK mobile can be sent text messages', '07700 900123'),
    column('address_line_1', false, 'address for letters', '1 High Street'),
    column('address_line_2', false, 'address for letters', ''),
    column('town', false, 'town', 'Leicester'),
    column('postcode', false, 'postcode; distances are measured from its district', 'LE2 7LX'),
    column('lsoa_code', false, 'LSOA 2011 code, for deprivation', 'E01013647'),
    column('travel_max_miles', false, '25, 50, 100 or anywhere (the default)', '50'),
    column('bmi', false, 'body mass index', '27.4'),
    column('last_heart_attack_on', false, 'date of the last heart attack', ''),
    column('last_stroke_on', false, 'date of the last stroke or TIA', ''),
    column('needs_critical_care', false, 'needs level 2/3 critical care after surgery', 'no'),
    column('on_dialysis', false, 'on dialysis', 'no'),
    column('diabetes', false, 'none, controlled or uncontrolled', 'controlled'),
    column('hypertension', false, 'none, controlled or uncontrolled', 'none'),
    column('anticoagulated', false, 'on anticoagulants', 'no'),
    column('sickle_cell', false, 'has sickle cell disease', 'no'),
    column('psychiatric_unstable', false, 'has an unstable psychiatric condition', 'no'),
    column('treatment_function_code', true, 'treatment function code', '110'),
    column('planned_procedure_code', false, 'OPCS-4 code of the planned procedure', 'W37.1'),
    column('clock_start_date', true, 'RTT clock start (referral) date', '2025-04-01'),
    column('priority', true, 'routine, urgent or cancer', 'routine'),
    column('tertiary', false, 'a tertiary referral', 'no'),
    column('next_appointment_on', false, 'next appointment or admission date already booked', ''),
  ],
  staging: STAGING,
  async loadContext(session: ImportSession, scope: ImportScope): Promise<Context> {
    return {
      trust: { ...TRUST, known: await knownTrusts(session, scope) },
      treatmentFunction: { ...TREATMENT_FUNCTION_CODE, known: await knownCodes(session, 'treatment_functions', 'code') },
      procedure: { ...PROCEDURE, known: await knownCodes(session, 'procedures', 'code') },
      lsoa: { ...LSOA_CODE, known: await knownCodes(session, 'lsoas', 'code') },
      today: dayOf(new Date()),
    };
  },
  parse(record: SourceRecord, context: Context) {
    const fields = new FieldReader(record);
    const row = readPathway(fields, context);
    return fields.result(() => row);
  },
  toStaging: (row) => STAGING.map(([column]) => row[column]),
  toCopyLine: pathwayCopyLine,
  async checkStaged(session) {
    // A patient on several rows (several pathways) must have the same details on each. Only NHS
    // numbers that appear more than once are compared, found by grouping and kept for merge, which
    // takes each patient from their first row. Most lists repeat few patients or none: only then are
    // their rows joined, so a list with none never hashes the whole staging table for nothing.
    await session.query(
      `create temporary table import_repeated_patients on commit drop as
       select nhs_number, min(row_number) as first_row from import_staging group by nhs_number having count(*) > 1`,
    );
    const facts = (alias: string) => `(${PATIENT_FACTS.map((column) => `${alias}.${column}`).join(', ')})`;
    const rows = (await anyRepeatedPatients(session))
      ? (
          await session.query<{ row_number: number; nhs_number: string; first_row: number }>(
            `select s.row_number, s.nhs_number, r.first_row
             from import_repeated_patients r
             join import_staging f on f.row_number = r.first_row
             join import_staging s on s.nhs_number = r.nhs_number and s.row_number <> r.first_row
             where ${facts('s')} is distinct from ${facts('f')}
             order by s.row_number`,
          )
        ).rows
      : [];
    const conflicts: ImportProblem[] = rows.map((row) => ({
      row: row.row_number,
      field: 'nhs_number',
      value: row.nhs_number,
      reason: `the same patient has different details on row ${row.first_row}`,
    }));
    return [...(await duplicateKeys(session, ['trust_ods', 'pathway_ref'], 'pathway_ref')), ...conflicts];
  },
  async merge(session): Promise<MergeCounts> {
    // No patients means no pathways either: every pathway belongs to one.
    const empty = async () => (await session.query<{ empty: boolean }>('select not exists (select from patients) as empty')).rows[0]!.empty;
    const { rows } = await session.query<{ staged: number }>('select count(*)::int as staged from import_staging');
    const { staged } = rows[0]!;
    if (!(await empty())) return mergeIntoExisting(session, staged);
    // Another import may be filling the empty tables at this very moment: hold them until commit
    // (writers wait, readers do not), then look again.
    await session.query('lock table patients in share row exclusive mode');
    return (await empty()) ? loadIntoEmpty(session, staged) : mergeIntoExisting(session, staged);
  },
};

const PATIENT_INSERT = `insert into patients (nhs_number, ${PATIENT_FACTS.join(', ')})`;
const PATHWAY_INSERT = `insert into pathways (trust_ods, pathway_ref, ${PATHWAY_FACTS.join(', ')})`;

/** Whether any NHS number is on more than one staged row (import_repeated_patients is made by checkStaged). */
async function anyRepeatedPatients(session: ImportSession): Promise<boolean> {
  const { rows } = await session.query<{ any: boolean }>('select exists (select from import_repeated_patients) as any');
  if (rows[0]!.any) await session.query('analyze import_repeated_patients');
  return rows[0]!.any;
}

/**
 * Each patient once, from their first row (checkStaged made sure every row agrees): every staged row
 * but the later rows of a repeated NHS number, set aside by an anti-join with the few that repeat,
 * rather than by sorting the whole file by NHS number (distinct on), which cost seconds. `repeats`
 * is anyRepeatedPatients' answer.
 */
function stagedPatients(repeats: boolean): string {
  const columns = `row_number, nhs_number, ${PATIENT_FACTS.join(', ')}`;
  if (!repeats) return `select ${columns} from import_staging`;
  return `select ${columns} from import_staging s
          where not exists (select from import_repeated_patients r where r.nhs_number = s.nhs_number and r.first_row <> s.row_number)`;
}

/** Runs the work with the table's checks and secondary indexes set aside when the load is bulk (see deferringChecksDuring). */
function deferringIf<T>(bulk: boolean, session: ImportSession, table: string, work: () => Promise<T>, options?: { uniques?: boolean }): Promise<T> {
  return bulk ? deferringChecksDuring(session, table, work, options) : work();
}

/**
 * The first list into an empty database: every staged row is new, so nothing is joined to find what
 * changed and nothing needs ON CONFLICT, which lets a bulk load set even the unique indexes aside and
 * build them once at the end. Each row's pathway, and each patient's (from their first row), takes its
 * id from a block of the table's own sequence reserved for the file and indexed by row number, so a
 * pathway finds its patient's id without joining a million patients back to the rows they came from,
 * and pathways are numbered in the file's order without sorting it.
 */
async function loadIntoEmpty(session: ImportSession, staged: number): Promise<MergeCounts> {
  if (staged === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const bulk = staged >= BULK_ROWS;
  // Nobody else writes either table until commit (see merge): the blocks are ours alone.
  await session.query('lock table pathways in share row exclusive mode');
  const { rows } = await session.query<{ first: number; last: number }>(
    'select min(row_number)::int as first, max(row_number)::int as last from import_staging',
  );
  const { first, last } = rows[0]!;
  const patientBase = await reserveIds(session, 'patients', last - first + 1);
  const pathwayBase = await reserveIds(session, 'pathways', last - first + 1);
  // The first row takes the block's first id: a first list into a new database is numbered from 1.
  const idOf = (base: number, rowNumber: string) => `${base - first} + ${rowNumber}`;
  const repeats = await anyRepeatedPatients(session);
  const patients = stagedPatients(repeats);
  await deferringIf(bulk, session, 'patients', () => session.query(
    `insert into patients (id, nhs_number, ${PATIENT_FACTS.join(', ')}) overriding system value
     select ${idOf(patientBase, 'row_number')}, nhs_number, ${PATIENT_FACTS.join(', ')} from (${patients}) s`,
  ), { uniques: true });
  await deferringIf(bulk, session, 'pathways', () => session.query(
    `insert into pathways (id, trust_ods, pathway_ref, ${PATHWAY_FACTS.join(', ')}) overriding system value
     select ${idOf(pathwayBase, 's.row_number')}, s.trust_ods, s.pathway_ref,
            ${idOf(patientBase, repeats ? 'coalesce(r.first_row, s.row_number)' : 's.row_number')},
            ${PATHWAY_FACTS.slice(1).map((column) => `s.${column}`).join(', ')}
     from import_staging s ${repeats ? 'left join import_repeated_patients r using (nhs_number)' : ''}`,
  ), { uniques: true });
  return { inserted: staged, updated: 0, unchanged: 0 };
}

/** Takes the next `count` ids of a table's identity sequence at once and returns the first. */
async function reserveIds(session: ImportSession, table: string, count: number): Promise<number> {
  const { rows } = await session.query<{ first: number }>(
    `select setval(sequence, nextval(sequence) + $1 - 1) - $1 + 1 as first
     from (select pg_get_serial_sequence($2, 'id')::regclass as sequence) s`,
    [count, table],
  );
  return Number(rows[0]!.first);
}

/**
 * A list into tables that hold patients already: the new and changed patients, then the new and
 * changed pathways, are each found by one join, and only they are offered to the upsert, so a
 * re-import of an unchanged list writes nothing and is no bulk load.
 */
async function mergeIntoExisting(session: ImportSession, staged: number): Promise<MergeCounts> {
  const differs = (columns: readonly string[], target: string, source: (column: string) => string) =>
    `(${columns.map((column) => `${target}.${column}`).join(', ')}) is distinct from (${columns.map(source).join(', ')})`;
  await session.query(
    `create temporary table import_changed_patients on commit drop as
     select s.* from (${stagedPatients(await anyRepeatedPatients(session))}) s left join patients p using (nhs_number)
     where p.id is null or ${differs(PATIENT_FACTS, 'p', (column) => `s.${column}`)}`,
  );
  await session.query('analyze import_changed_patients');
  const { rows: patients } = await session.query<{ count: number }>('select count(*)::int as count from import_changed_patients');
  const bulkPatients = await isBulkLoad(session, 'patients', patients[0]!.count, BULK_ROWS);
  await deferringIf(bulkPatients, session, 'patients', () => session.query(
    `${PATIENT_INSERT} select nhs_number, ${PATIENT_FACTS.join(', ')} from import_changed_patients
     on conflict (nhs_number) do update set ${PATIENT_FACTS.map((column) => `${column} = excluded.${column}`).join(', ')}, updated_at = now()`,
  ));
  if (bulkPatients) await session.query('analyze patients');

  await session.query(
    `create temporary table import_changed_pathways on commit drop as
     select s.row_number, s.trust_ods, s.pathway_ref, p.id as patient_id, ${PATHWAY_FACTS.slice(1).map((column) => `s.${column}`).join(', ')},
            w.id is null as new
     from import_staging s join patients p using (nhs_number) left join pathways w using (trust_ods, pathway_ref)
     where w.id is null or ${differs(PATHWAY_FACTS, 'w', (column) => (column === 'patient_id' ? 'p.id' : `s.${column}`))}`,
  );
  await session.query('analyze import_changed_pathways');
  const { rows: pathways } = await session.query<{ count: number }>('select count(*)::int as count from import_changed_pathways');
  const bulkPathways = await isBulkLoad(session, 'pathways', pathways[0]!.count, BULK_ROWS);
  await deferringIf(bulkPathways, session, 'pathways', () => session.query(
    `${PATHWAY_INSERT} select trust_ods, pathway_ref, ${PATHWAY_FACTS.join(', ')} from import_changed_pathways
     -- In the file's order, so new pathways are numbered as the trust listed them.
     order by row_number
     on conflict (trust_ods, pathway_ref) do update set ${PATHWAY_FACTS.map((column) => `${column} = excluded.${column}`).join(', ')}, updated_at = now()`,
  ));
  // A row is updated when its pathway changed, or only its patient did.
  const { rows } = await session.query<{ inserted: number; updated: number }>(
    `select (select count(*) filter (where new) from import_changed_pathways)::int as inserted,
            ((select count(*) filter (where not new) from import_changed_pathways)
             + (select count(*) from import_staging s join import_changed_patients c using (nhs_number)
                where not exists (select from import_changed_pathways w where w.row_number = s.row_number)))::int as updated`,
  );
  const { inserted, updated } = rows[0]!;
  return { inserted, updated, unchanged: staged - inserted - updated };
}
