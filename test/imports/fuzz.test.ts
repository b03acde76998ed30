/**
 * Fuzzing the importers through the HTTP route, as users reach them: generated waiting lists (CSV and
 * FHIR bundles) of valid rows mixed with malformed ones, and CSV files of every other kind made of
 * hostile values. Whatever the file, the answer is a report (200 applied, 422 rejected), never a 5xx;
 * a rejected row is named with a reason; every row given is either accepted or rejected; and a
 * rejected import leaves the patients and pathways exactly as they were.
 *
 * Each generated row knows what it is: good, or bad in one named way (a fault), so the test knows
 * which rows the report must reject, and for which field.
 */
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import { testRangeNhsNumber } from '../../domain/nhs-number';
import { createSmtpMailer } from '../../emails/mailer';
import { IMPORT_KINDS, importFile } from '../../imports';
import type { ImportReport } from '../../imports/runner';
import { pathways } from '../../imports/kinds/pathways';
import { Readable } from 'node:stream';
import { createTestDatabase } from '../support/database';
import { createTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;

beforeAll(async () => {
  temporal = await createTestTemporal();
});

afterAll(async () => {
  await temporal?.close();
});

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A database with the reference data a waiting list refers to, and the API over it with an admin's token. */
async function world() {
  const database = await createTestDatabase();
  for (const [kind, text] of [
    ['regions', csv('code,name', 'Y60,Midlands')],
    ['trusts', csv('ods_code,name,region_code', 'RWE,Leicester,Y60', 'RRK,Birmingham,Y60')],
    ['treatment-functions', csv('code,name', '110,Trauma and Orthopaedic Service', '130,Ophthalmology Service')],
    ['procedures', csv('code,name,chapter', 'W37.1,Primary hip replacement,W', 'C71.2,Phacoemulsification of lens,C')],
  ] as const) {
    const report = await importFile(database.db, { kind, input: Readable.from([Buffer.from(text)]), source: 'setup', actor: 'test' });
    expect(report.status).toBe('applied');
  }
  const app = createApp({
    db: database.db,
    temporal: temporal.client,
    taskQueue: temporal.taskQueue,
    clock: () => new Date(),
    mailer: createSmtpMailer('smtp://127.0.0.1:1', 'x@example.test'),
    log: pino({ level: 'silent' }),
    devMailbox: false,
    maxBodyBytes: 1_024,
    maxImportBytes: 64 * 1024 * 1024,
    patientPhone: '0808 157 0192',
    temporalUiOrigin: undefined,
  });
  const admin = await createStaffUser(database.db, { name: 'admin', role: 'admin' });
  const token = await issueStaffToken(database.db, admin.id, 'test');
  const post = async (kind: string, body: Buffer, format = 'csv') => {
    const response = await app.request(`/api/v1/imports/${kind}?format=${format}`, {
      method: 'POST',
      body: new Uint8Array(body),
      headers: { authorization: `Bearer ${token}`, 'content-type': format === 'fhir' ? 'application/fhir+json' : 'text/csv' },
    });
    const text = await response.text();
    // Never a 5xx, whatever the file: a report, or a refusal naming what is wrong.
    expect(response.status, text).toBeLessThan(500);
    return { status: response.status, body: JSON.parse(text) as ImportReport };
  };
  const counts = async () => {
    const count = async (table: 'patients' | 'pathways') =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()).count);
    return { patients: await count('patients'), pathways: await count('pathways') };
  };
  const recorded = async (id: number) => database.db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { database, post, counts, recorded };
}

type World = Awaited<ReturnType<typeof world>>;

/** Ways a row is bad, each certain to be rejected; null is a good row. */
const ROW_FAULTS = ['nul', 'nhs', 'wrong-type', 'huge', 'missing', 'duplicate', 'conflict', 'truncated', 'extra'] as const;
type RowFault = (typeof ROW_FAULTS)[number];

/** Each generated pathway takes the next NHS number and pathway reference: good rows never collide, within a file or across files. */
let serial = 0;
function nextIdentity(): { nhsNumber: string; ref: string } {
  for (;;) {
    serial += 1;
    const nhsNumber = testRangeNhsNumber(serial);
    if (nhsNumber) return { nhsNumber, ref: `FZ-${serial}` };
  }
}

const BAD_NHS_NUMBERS = (good: string) => [
  '0000000000',
  `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`,
  good.slice(0, 9),
  `${good}1`,
  'ABCDEFGHIJ',
  '999-000-00',
];

/** A name as people write them: letters first, then anything a CSV must quote (commas, quotes, line breaks). */
const name = fc
  .tuple(
    fc.constantFrom('A', 'Zoë', 'Ó', 'Li', 'Ng', 'Şule', 'Ōta', '李'),
    fc.string({ unit: fc.constantFrom('a', 'é', '’', "'", '-', ' ', ',', '"', '\n', '\r\n', 'ß', '😀'), maxLength: 20 }),
  )
  .map(([first, rest]) => first + rest);

const day = (from: number, to: number) =>
  fc.date({ min: new Date(Date.UTC(from, 0, 1)), max: new Date(Date.UTC(to, 11, 31)), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const optional = <T extends string>(arbitrary: fc.Arbitrary<T>) => fc.oneof(fc.constant(''), arbitrary);
const yesNo = optional(fc.constantFrom('yes', 'no', 'true', 'false', 'Y', 'n', '1', '0'));

/** The optional fields of a good pathway (the required ones and its identity are added per row). */
const goodFields = fc.record({
  trust_ods: fc.constantFrom('RWE', 'RRK', 'rwe'),
  given_name: name,
  family_name: name,
  date_of_birth: day(1925, 2010),
  sex: optional(fc.constantFrom('female', 'male', 'other', 'unknown', 'Female')),
  ethnic_category: optional(fc.constantFrom('A', 'h', 'Z')),
  email: optional(fc.constantFrom('amira.khan@example.com', 'o’neil@example.nhs.uk')),
  phone: optional(fc.constantFrom('0116 000 0000', '+44 (0)116 000-0000')),
  address_line_1: optional(name),
  address_line_2: optional(name),
  town: optional(name),
  postcode: optional(fc.constantFrom('LE2 7LX', 'le27lx', 'SW1A 1AA')),
  travel_max_miles: optional(fc.constantFrom('25', '50', '100', 'anywhere', 'Any')),
  bmi: optional(fc.integer({ min: 100, max: 900 }).map((tenths) => (tenths / 10).toString())),
  last_heart_attack_on: optional(day(2011, 2025)),
  last_stroke_on: optional(day(2011, 2025)),
  needs_critical_care: yesNo,
  on_dialysis: yesNo,
  diabetes: optional(fc.constantFrom('none', 'controlled', 'Uncontrolled')),
  hypertension: optional(fc.constantFrom('none', 'controlled', 'uncontrolled')),
  anticoagulated: yesNo,
  sickle_cell: yesNo,
  psychiatric_unstable: yesNo,
  treatment_function_code: fc.constantFrom('110', '130'),
  planned_procedure_code: optional(fc.constantFrom('W37.1', 'w371', 'C71.2')),
  clock_start_date: day(2011, 2025),
  priority: fc.constantFrom('routine', 'urgent', 'cancer', 'Routine'),
  tertiary: yesNo,
  next_appointment_on: optional(day(2026, 2026)),
});

const rowPlan = fc.record({
  fields: goodFields,
  fault: fc.option(fc.constantFrom(...ROW_FAULTS), { freq: 3 }),
  /** Picks the details of the fault (which field, which bad value, which earlier row). */
  pick: fc.nat(),
});

interface RowPlan {
  readonly fields: Readonly<Record<string, string>>;
  readonly fault: RowFault | null;
  readonly pick: number;
}

const REQUIRED = pathways.columns.filter((column) => column.required).map((column) => column.name);
const OPTIONAL = pathways.columns.filter((column) => !column.required).map((column) => column.name);

/** Faults that spoil the whole file rather than rows. */
const FILE_FAULTS = ['invalid-utf8', 'missing-column'] as const;

const csvPlan = fc.record({
  rows: fc.array(rowPlan, { minLength: 1, maxLength: 12 }),
  /** Optional columns left out of the header, and the order of those kept. */
  dropped: fc.subarray(OPTIONAL),
  order: fc.nat(),
  bom: fc.boolean(),
  crlf: fc.boolean(),
  fileFault: fc.option(fc.constantFrom(...FILE_FAULTS), { freq: 6 }),
  faultAt: fc.nat(),
});

interface Expected {
  /** The field a rejected row's problem names; undefined for a good row. */
  readonly field?: string;
}

const pickFrom = <T>(values: readonly T[], pick: number): T => values[pick % values.length]!;
const quote = (value: string) => (/[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value);

/** What fault a row really has, given the rows before it (a duplicate needs a good row to copy) and the header's columns. */
function buildRows(plans: readonly RowPlan[], header: readonly string[]) {
  const rows: { fields: string[]; expected: Expected }[] = [];
  const good: Record<string, string>[] = [];
  for (const plan of plans) {
    const identity = nextIdentity();
    const values: Record<string, string> = { ...plan.fields, nhs_number: identity.nhsNumber, pathway_ref: identity.ref };
    const present = (candidates: readonly string[]) => candidates.filter((column) => header.includes(column));
    let expected: Expected = {};
    switch (plan.fault) {
      case 'nul': {
        const field = pickFrom(header, plan.pick);
        const value = values[field] ?? '';
        const at = plan.pick % (value.length + 1);
        values[field] = `${value.slice(0, at)}\0${value.slice(at)}`;
        expected = { field };
        break;
      }
      case 'nhs':
        values.nhs_number = pickFrom(BAD_NHS_NUMBERS(identity.nhsNumber), plan.pick);
        expected = { field: 'nhs_number' };
        break;
      case 'wrong-type': {
        const [field, value] = pickFrom(
          present(['bmi', 'date_of_birth', 'priority', 'clock_start_date', 'travel_max_miles', 'tertiary', 'treatment_function_code', 'date_of_birth', 'ethnic_category']).map(
            (column) =>
              ({
                bmi: ['bmi', 'heavy'],
                date_of_birth: ['date_of_birth', pickFrom(['1961-02-30', '0000-03-01', '14/03/1961', '2099-01-01'], plan.pick)],
                priority: ['priority', 'soon'],
                clock_start_date: ['clock_start_date', '1900-01-01'],
                travel_max_miles: ['travel_max_miles', '30'],
                tertiary: ['tertiary', 'perhaps'],
                treatment_function_code: ['treatment_function_code', '999'],
                ethnic_category: ['ethnic_category', 'I'],
              })[column] as [string, string],
          ),
          plan.pick,
        );
        values[field] = value;
        expected = { field };
        break;
      }
      case 'huge': {
        const [field, value] = pickFrom(
          [
            ['given_name', 'x'.repeat(100_001)],
            ['pathway_ref', `R${'1'.repeat(200)}`],
            ...present(['email']).map((column) => [column, `${'a'.repeat(200_000)}@example.com`]),
            ...present(['address_line_1']).map((column) => [column, 'flat '.repeat(1_000)]),
            ...present(['bmi']).map((column) => [column, '9'.repeat(5_000)]),
          ] as [string, string][],
          plan.pick,
        );
        values[field] = value;
        expected = { field };
        break;
      }
      case 'missing': {
        const field = pickFrom(REQUIRED, plan.pick);
        values[field] = pickFrom(['', '   '], plan.pick);
        expected = { field };
        break;
      }
      case 'duplicate':
      case 'conflict': {
        if (!good.length) break;
        const earlier = pickFrom(good, plan.pick);
        if (plan.fault === 'duplicate') {
          Object.assign(values, earlier);
          expected = { field: 'pathway_ref' };
        } else {
          Object.assign(values, earlier, { pathway_ref: identity.ref, given_name: `${earlier.given_name}x` });
          expected = { field: 'nhs_number' };
        }
        break;
      }
      case 'truncated':
      case 'extra':
        expected = { field: '(row)' };
        break;
      case null:
        break;
    }
    const fields = header.map((column) => values[column] ?? '');
    // Two fields at least: a line of one empty field is a blank line, which CSV readers skip.
    if (plan.fault === 'truncated') fields.splice(2 + (plan.pick % (fields.length - 2)));
    if (plan.fault === 'extra') fields.push('surplus');
    if (!expected.field) good.push(values);
    rows.push({ fields, expected });
  }
  return rows;
}

/** Rows that must be rejected, by row number (the header is row 1), with the field each is rejected for. */
function expectedRejections(rows: readonly { expected: Expected }[], firstRow: number): Map<number, string> {
  return new Map(rows.flatMap((row, index) => (row.expected.field ? [[index + firstRow, row.expected.field] as const] : [])));
}

/** What holds of every report: problems name a row, a field and a reason. */
function checkReport(report: ImportReport) {
  for (const problem of report.problems) {
    expect(problem.field).not.toBe('');
    expect(problem.reason).not.toBe('');
    expect(Number.isInteger(problem.row)).toBe(true);
  }
  expect(report.problemsTotal).toBe(report.problems.length);
  if (report.status === 'rejected') expect(report.problems.length).toBeGreaterThan(0);
  else expect(report.inserted + report.updated + report.unchanged).toBe(report.rowsRead);
}

/** The report rejects exactly the rows expected, each for (at least) its field, and accounts for every row given. */
async function checkOutcome(w: World, before: { patients: number; pathways: number }, status: number, report: ImportReport, given: number, rejected: Map<number, string>) {
  checkReport(report);
  expect(report.rowsRead).toBe(given);
  expect(new Set(report.problems.map((problem) => problem.row))).toEqual(new Set(rejected.keys()));
  for (const [row, field] of rejected) {
    expect(report.problems.filter((problem) => problem.row === row).map((problem) => problem.field), `row ${row}`).toContain(field);
  }
  expect(report.rowsRejected).toBe(rejected.size);
  if (rejected.size) {
    expect(status).toBe(422);
    expect(report.status).toBe('rejected');
    expect(await w.counts()).toEqual(before);
  } else {
    expect(status).toBe(200);
    expect(report).toMatchObject({ status: 'applied', inserted: given });
    expect(await w.counts()).toEqual({ patients: before.patients + given, pathways: before.pathways + given });
  }
  expect(await w.recorded(report.importRunId)).toMatchObject({ status: report.status, rows_read: report.rowsRead, rows_rejected: report.rowsRejected });
}

/** Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong encoding, an encoded surrogate, Latin-1. */
const INVALID_UTF8 = [Buffer.from([0x80]), Buffer.from([0xc3]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff]), Buffer.from('Zo\xeb', 'latin1')];

describe('fuzzing the waiting-list CSV import', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w?.database.drop();
  });

  it('answers every file with a report that accounts for every row, and changes nothing when it rejects', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(csvPlan, async (plan) => {
        const kept = pathways.columns.map((column) => column.name).filter((column) => !plan.dropped.includes(column));
        const rotate = plan.order % kept.length;
        const header = [...kept.slice(rotate), ...kept.slice(0, rotate)];
        const fileFault = plan.fileFault;
        const fileHeader = fileFault === 'missing-column' ? header.filter((column) => column !== pickFrom(REQUIRED, plan.faultAt)) : header;
        const rows = buildRows(plan.rows, header);
        const newline = plan.crlf ? '\r\n' : '\n';
        const lines = [fileHeader.join(','), ...rows.map((row) => row.fields.map(quote).join(','))].map((line) => Buffer.from(line + newline));
        if (fileFault === 'invalid-utf8') {
          const badLine = 1 + (plan.faultAt % rows.length);
          lines[badLine] = Buffer.concat([pickFrom(INVALID_UTF8, plan.faultAt), lines[badLine]!]);
        }
        const body = Buffer.concat([...(plan.bom ? [Buffer.from('\uFEFF')] : []), ...lines]);

        const before = await w.counts();
        const { status, body: report } = await w.post('pathways', body);
        if (fileFault) {
          // The file as a whole is refused, naming why; nothing is written, and the run is recorded.
          expect(status).toBe(422);
          checkReport(report);
          const reason = fileFault === 'invalid-utf8' ? /not UTF-8/ : /required column is missing/;
          expect(report.problems.some((problem) => reason.test(problem.reason))).toBe(true);
          expect(await w.counts()).toEqual(before);
          expect((await w.recorded(report.importRunId)).status).toBe('rejected');
          return;
        }
        await checkOutcome(w, before, status, report, rows.length, expectedRejections(rows, 2));
      }),
      { numRuns: 120 },
    );
  });
});

const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const TREATMENT_FUNCTION_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/NHSDataModelAndDictionary-treatment-function';
const OPCS4_SYSTEM = 'http://terminology.hl7.org/CodeSystem/opcs4';

/** Ways a Patient and its ServiceRequest are bad; 'inactive' is a request that is not on the list at all. */
const ENTRY_FAULTS = ['nul', 'surrogate', 'nhs', 'wrong-type', 'huge', 'missing', 'duplicate', 'conflict', 'dangling', 'no-status', 'inactive'] as const;
const BUNDLE_FAULTS = ['truncated', 'invalid-utf8', 'not-a-bundle'] as const;

const fhirPlan = fc.record({
  rows: fc.array(fc.record({ fields: goodFields, fault: fc.option(fc.constantFrom(...ENTRY_FAULTS), { freq: 3 }), pick: fc.nat() }), { maxLength: 10 }),
  bom: fc.boolean(),
  bundleFault: fc.option(fc.constantFrom(...BUNDLE_FAULTS), { freq: 6 }),
  faultAt: fc.nat(),
});

type Json = Record<string, unknown>;

/** A Patient and an active ServiceRequest about them, as UK Core writes them. */
function fhirPair(fields: Readonly<Record<string, string>>, nhsNumber: string, ref: string, fullUrl: string) {
  const patient: Json = {
    resourceType: 'Patient',
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhsNumber }],
    name: [{ use: 'official', family: fields.family_name, given: [fields.given_name] }],
    birthDate: fields.date_of_birth,
    ...(fields.sex ? { gender: fields.sex.toLowerCase() } : {}),
    ...(fields.email ? { telecom: [{ system: 'email', value: fields.email }] } : {}),
    address: [{ use: 'home', line: [fields.address_line_1 || '1 High Street'], city: fields.town, postalCode: fields.postcode }],
  };
  const request: Json = {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    identifier: [{ system: 'https://trust.example.nhs.uk/Id/pathway', value: ref }],
    subject: { reference: fullUrl },
    category: [{ coding: [{ system: TREATMENT_FUNCTION_SYSTEM, code: fields.treatment_function_code }] }],
    ...(fields.planned_procedure_code ? { code: { coding: [{ system: OPCS4_SYSTEM, code: fields.planned_procedure_code }] } } : {}),
    performer: [{ identifier: { system: ODS_SYSTEM, value: fields.trust_ods } }],
    authoredOn: fields.clock_start_date,
    priority: pickFrom(['routine', 'urgent', 'asap'], fields.given_name!.length),
  };
  return { patient, request };
}

describe('fuzzing the waiting-list FHIR import', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w?.database.drop();
  });

  it('answers every bundle with a report that accounts for every active request, and changes nothing when it rejects', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fhirPlan, async (plan) => {
        const entries: Json[] = [];
        const rejected = new Map<number, string>();
        const good: { nhsNumber: string; ref: string; fields: Readonly<Record<string, string>> }[] = [];
        let given = 0;
        for (const row of plan.rows) {
          const identity = nextIdentity();
          const fullUrl = `urn:uuid:fz-${identity.ref}`;
          const patientAt = entries.length;
          const entry = patientAt + 2;
          const { patient, request } = fhirPair(row.fields, identity.nhsNumber, identity.ref, fullUrl);
          const name = (patient.name as Json[])[0]!;
          /** Puts a bad character into one of the free-text fields the pair maps, and names that field. */
          const spoilText = (bad: string): string => {
            const [field, set] = pickFrom<readonly [string, (value: string) => void]>(
              [
                ['family_name', (value) => void (name.family = value)],
                ['given_name', (value) => void (name.given = [value])],
                ['address_line_1', (value) => void ((patient.address as Json[])[0]!.line = [value])],
                ['pathway_ref', (value) => void ((request.identifier as Json[])[0]!.value = value)],
              ],
              row.pick,
            );
            set(`Ab${bad}c`);
            return field;
          };
          let expectedField: string | undefined;
          switch (row.fault) {
            case 'nul':
              expectedField = spoilText('\0');
              break;
            case 'surrogate':
              expectedField = spoilText(pickFrom(['\ud800', '\udfff', '\udc00x\ud83d'], row.pick));
              break;
            case 'huge':
              name.family = 'y'.repeat(100_001);
              expectedField = 'family_name';
              break;
            case 'nhs':
              (patient.identifier as Json[])[0]!.value = pickFrom(BAD_NHS_NUMBERS(identity.nhsNumber), row.pick);
              expectedField = 'nhs_number';
              break;
            case 'wrong-type': {
              const [field, spoilIt] = pickFrom<readonly [string, () => void]>(
                [
                  ['date_of_birth', () => void (patient.birthDate = 19610314)],
                  ['clock_start_date', () => void (request.authoredOn = true)],
                  ['priority', () => void (request.priority = 'whenever')],
                  ['family_name', () => void (patient.name = 'Khan')],
                  ['nhs_number', () => void (patient.identifier = { system: NHS_NUMBER_SYSTEM, value: identity.nhsNumber })],
                  ['treatment_function_code', () => void (request.category = [{ coding: [{ system: TREATMENT_FUNCTION_SYSTEM, code: 110 }] }, 'x'])],
                ],
                row.pick,
              );
              spoilIt();
              expectedField = field === 'treatment_function_code' ? undefined : field;
              break;
            }
            case 'missing': {
              const [field, drop] = pickFrom<readonly [string, () => void]>(
                [
                  ['date_of_birth', () => void delete patient.birthDate],
                  ['trust_ods', () => void delete request.performer],
                  ['nhs_number', () => void delete patient.identifier],
                ],
                row.pick,
              );
              drop();
              expectedField = field;
              break;
            }
            case 'duplicate':
            case 'conflict': {
              if (!good.length) break;
              const earlier = pickFrom(good, row.pick);
              if (row.fault === 'duplicate') {
                (request.identifier as Json[])[0]!.value = earlier.ref;
                (request.performer as Json[])[0] = { identifier: { system: ODS_SYSTEM, value: earlier.fields.trust_ods } };
                expectedField = 'pathway_ref';
              } else {
                (patient.identifier as Json[])[0]!.value = earlier.nhsNumber;
                name.given = [`${earlier.fields.given_name}x`];
                expectedField = 'nhs_number';
              }
              break;
            }
            case 'dangling':
              request.subject = { reference: `Patient/nowhere-${identity.ref}` };
              expectedField = `entry[${patientAt + 1}].resource.subject.reference`;
              break;
            case 'no-status':
              delete request.status;
              expectedField = `entry[${patientAt + 1}].resource.status`;
              break;
            case 'inactive':
              request.status = pickFrom(['completed', 'revoked', 'draft', 'on-hold', 'entered-in-error'], row.pick);
              break;
            case null:
              break;
          }
          entries.push({ fullUrl, resource: patient }, { resource: request });
          if (row.fault === 'inactive') continue;
          given += 1;
          if (expectedField) rejected.set(entry, expectedField);
          // A code the request gives as a number is read as its digits: still a good row.
          else good.push({ nhsNumber: identity.nhsNumber, ref: identity.ref, fields: row.fields });
        }
        const document = { resourceType: plan.bundleFault === 'not-a-bundle' ? 'Patient' : 'Bundle', type: 'collection', entry: entries };
        let body = Buffer.from(`${plan.bom ? '\uFEFF' : ''}${JSON.stringify(document)}`);
        // Never to nothing: an empty body is refused before any import starts (400).
        if (plan.bundleFault === 'truncated') body = body.subarray(0, 1 + (plan.faultAt % (body.length - 1)));
        if (plan.bundleFault === 'invalid-utf8') {
          const at = plan.faultAt % body.length;
          body = Buffer.concat([body.subarray(0, at), pickFrom(INVALID_UTF8, plan.faultAt), body.subarray(at)]);
        }

        const before = await w.counts();
        const { status, body: report } = await w.post('pathways', body, 'fhir');
        if (plan.bundleFault) {
          expect(status).toBe(422);
          checkReport(report);
          const reason = { truncated: /not JSON|not UTF-8/, 'invalid-utf8': /not UTF-8/, 'not-a-bundle': /expected a FHIR Bundle/ }[plan.bundleFault];
          expect(report.problems.some((problem) => problem.row === 0 && reason.test(problem.reason)), JSON.stringify(report.problems)).toBe(true);
          expect(await w.counts()).toEqual(before);
          expect((await w.recorded(report.importRunId)).status).toBe('rejected');
          return;
        }
        await checkOutcome(w, before, status, report, given, rejected);
      }),
      { numRuns: 80 },
    );
  });
});

/** Values that have broken importers: overflowing numbers, impossible dates, NULs, huge text, stray quotes, and each column's own example. */
const HOSTILE = [
  '',
  ' ',
  '\0',
  'x\0y',
  '"',
  'x'.repeat(20_000),
  '99999999999999999999',
  '2147483648',
  '-1',
  '0',
  '1e400',
  'NaN',
  '-0.00000',
  '£99,999,999,999.99',
  '0000-01-01',
  '0000-01',
  '9999-12-31',
  '2026-02-29',
  'Y60',
  'RWE',
  'NT3',
  'NT301',
  '110',
  'W37.1',
  'HN12F',
  'E01000001',
  'yes',
];

describe('fuzzing the CSV import of every other kind', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w?.database.drop();
  });

  const kinds = IMPORT_KINDS.filter((kind) => kind.name !== 'pathways');
  const filePlan = fc.record({
    kind: fc.constantFrom(...kinds.map((kind) => kind.name)),
    /** Each row is the kind's documented example with a few columns (by position) given hostile values. */
    rows: fc.array(fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 }))), { maxLength: 3 }), {
      minLength: 1,
      maxLength: 6,
    }),
  });

  it('answers every file with a report, never a 5xx, and records the run', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(filePlan, async ({ kind: name, rows }) => {
        const kind = kinds.find((candidate) => candidate.name === name)!;
        const header = kind.columns.map((column) => column.name);
        const lines = rows.map((changes) => {
          const values = kind.columns.map((column) => column.example);
          for (const [at, value] of changes) values[at % values.length] = value;
          return values.map(quote).join(',');
        });
        const { status, body: report } = await w.post(kind.name, Buffer.from(csv(header.join(','), ...lines)));
        expect([200, 422]).toContain(status);
        checkReport(report);
        expect(report.rowsRead).toBe(rows.length);
        expect(await w.recorded(report.importRunId)).toMatchObject({ status: report.status, rows_read: rows.length, rows_rejected: report.rowsRejected });
      }),
      { numRuns: 150 },
    );
  });
});
