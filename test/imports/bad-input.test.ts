/**
 * Bad files: every problem is reported with its row, field, value and reason, and nothing at all is
 * written. Good files: applied once, unchanged the second time, corrected in place the third.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createApp } from '../../api/app';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import { importFile } from '../../imports';
import type { ImportReport } from '../../imports/runner';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestTemporal, type TestTemporal } from '../support/temporal';
import { createSmtpMailer } from '../../emails/mailer';

let database: TestDatabase;

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const run = (kind: string, text: string | Buffer, format = 'csv'): Promise<ImportReport> =>
  importFile(database.db, { kind, format, input: Readable.from([Buffer.from(text)]), source: 'test', actor: 'test' });

const HEADER = 'trust_ods,pathway_ref,nhs_number,given_name,family_name,date_of_birth,email,postcode,bmi,treatment_function_code,planned_procedure_code,clock_start_date,priority,next_appointment_on';
const GOOD_ROWS = [
  'RWE,RWE-1,9990000018,Amira,Khan,1961-03-14,amira@example.com,LE2 7LX,27.4,110,W37.1,2025-04-01,routine,',
  'RWE,RWE-2,9990000026,David,Morgan,1955-09-02,,LE4 5PW,31.0,110,W37.1,2025-05-01,routine,',
  'RRK,RRK-1,9990000034,Grace,Okafor,1972-11-23,grace@example.com,B15 2TH,,130,C71.2,2025-06-01,urgent,2026-12-01',
];

async function countRows(table: 'patients' | 'pathways') {
  const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return row.count;
}

beforeAll(async () => {
  database = await createTestDatabase();
  for (const [kind, text] of [
    ['regions', csv('code,name', 'Y60,Midlands', 'Y56,London')],
    ['trusts', csv('ods_code,name,region_code', 'RWE,Leicester,Y60', 'RRK,Birmingham,Y60', 'RJ1,Guy’s and St Thomas’,Y56')],
    ['treatment-functions', csv('code,name,rtt_group', '110,Trauma and Orthopaedic Service,C_110', '130,Ophthalmology Service,C_130')],
    ['procedures', csv('code,name,chapter', 'W37.1,Primary hip replacement,W', 'C71.2,Phacoemulsification of lens,C')],
  ] as const) {
    expect((await run(kind, text)).status).toBe('applied');
  }
});

afterAll(async () => {
  await database?.drop();
});

describe('a pathways file with bad rows', () => {
  it('reports every problem and writes nothing', async () => {
    const report = await run(
      'pathways',
      csv(
        HEADER,
        GOOD_ROWS[0]!,
        'RWE,RWE-3,9990000019,Bad,Check,1960-01-01,,LE1 5WW,,110,,2025-01-01,routine,',
        'RWE,RWE-4,9990000042,Bad,Codes,1960-01-01,,LE1 5WW,,999,Z99.9,2025-01-01,routine,',
        'XXX,RWE-5,9990000050,Bad,Dates,1960-01-01,,LE1 5WW,,110,,2026-02-30,routine,',
        'RWE,RWE-6,9990000069,Bad,Order,1990-01-01,not-an-email,NOPE,120,110,,1985-01-01,soon,1984-01-01',
        GOOD_ROWS[1]!,
      ),
    );
    expect(report.status).toBe('rejected');
    expect(report.rowsRead).toBe(6);
    expect(report.rowsRejected).toBe(4);
    const seen = report.problems.map((problem) => `${problem.row} ${problem.field}: ${problem.reason}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        '3 nhs_number: fails the Modulus 11 check digit',
        '4 treatment_function_code: is not a known treatment function',
        '4 planned_procedure_code: is not a known OPCS-4 code',
        '5 trust_ods: is not a known trust (in your scope)',
        '5 clock_start_date: is not a real date written YYYY-MM-DD',
        '6 email: is not an email address',
        '6 postcode: is not a UK postcode',
        '6 bmi: must be between 10 and 90',
        '6 priority: must be one of: routine, urgent, cancer',
        '6 clock_start_date: is before the date of birth',
        '6 next_appointment_on: is before the clock start date',
      ]),
    );
    expect(report.problems.find((problem) => problem.field === 'nhs_number')?.value).toBe('9990000019');
    expect(await countRows('pathways')).toBe(0);
    expect(await countRows('patients')).toBe(0);
    const run_ = await database.db.selectFrom('import_runs').selectAll().where('id', '=', report.importRunId).executeTakeFirstOrThrow();
    expect(run_).toMatchObject({ status: 'rejected', rows_read: 6, rows_rejected: 4, inserted: 0 });
  });

  it('refuses a header that lacks required columns, or has unknown ones', async () => {
    const report = await run('pathways', csv('trust_ods,pathway_ref,nhs_numbr', 'RWE,1,9990000018'));
    expect(report.status).toBe('rejected');
    expect(report.problems.map((problem) => `${problem.field}: ${problem.reason}`)).toEqual(
      expect.arrayContaining([
        'nhs_number: required column is missing from the header',
        'clock_start_date: required column is missing from the header',
        expect.stringMatching(/^nhs_numbr: unknown column/),
      ]),
    );
  });

  it('refuses truncated rows and rows with stray fields, naming each row, and reads on', async () => {
    const report = await run('pathways', csv(HEADER, GOOD_ROWS[0]!, 'RWE,RWE-9,9990000077,Cut,Short', `${GOOD_ROWS[1]!},stray`, GOOD_ROWS[2]!));
    expect(report).toMatchObject({ status: 'rejected', rowsRead: 4, rowsRejected: 2 });
    expect(report.problems).toEqual([
      expect.objectContaining({ row: 3, field: '(row)', reason: expect.stringContaining('has 5 fields, the header has 14') }),
      expect.objectContaining({ row: 4, field: '(row)', reason: expect.stringContaining('has 15 fields, the header has 14') }),
    ]);
    expect(await countRows('pathways')).toBe(0);
  });

  it('refuses a file that is not UTF-8, naming the line', async () => {
    const latin1 = Buffer.concat([Buffer.from(csv(HEADER, GOOD_ROWS[0]!)), Buffer.from('RWE,RWE-7,9990000085,Zo\xEB,Smith,1960-01-01,,,,110,,2025-01-01,routine,\n', 'latin1')]);
    const report = await run('pathways', latin1);
    expect(report.status).toBe('rejected');
    expect(report.problems).toEqual([expect.objectContaining({ row: 3, field: '(file)', reason: expect.stringContaining('not UTF-8') })]);
    expect(await countRows('patients')).toBe(0);
  });

  it('refuses duplicate rows and patients whose details disagree', async () => {
    const report = await run(
      'pathways',
      csv(HEADER, GOOD_ROWS[0]!, GOOD_ROWS[0]!, GOOD_ROWS[0]!.replace('RWE-1', 'RWE-8').replace('Amira', 'Amirah')),
    );
    expect(report.status).toBe('rejected');
    expect(report.problems.map((problem) => `${problem.row} ${problem.field}: ${problem.reason}`)).toEqual([
      '3 pathway_ref: repeats row 2: the same pathway_ref appears twice in the file',
      '4 nhs_number: the same patient has different details on row 2',
    ]);
  });

  it('rejects an email address longer than the 254 characters mail can be sent to', async () => {
    const report = await run('pathways', csv(HEADER, GOOD_ROWS[0]!.replace('amira@example.com', `${'a'.repeat(243)}@example.com`)));
    expect(report.problems).toEqual([expect.objectContaining({ row: 2, field: 'email', reason: 'is not an email address' })]);
  });

  it('rejects the placeholder NHS number 0000000000, which passes Modulus 11', async () => {
    const report = await run('pathways', csv(HEADER, GOOD_ROWS[0]!.replace('9990000018', '0000000000')));
    expect(report.status).toBe('rejected');
    expect(report.problems).toEqual([
      expect.objectContaining({ row: 2, field: 'nhs_number', reason: 'is a placeholder (ten of one digit), never an issued NHS number' }),
    ]);
  });

  it('rejects a date in the year 0000, which has no day in PostgreSQL', async () => {
    const report = await run('pathways', csv(HEADER, GOOD_ROWS[0]!.replace('1961-03-14', '0000-03-14')));
    expect(report.status).toBe('rejected');
    expect(report.problems).toEqual([expect.objectContaining({ row: 2, field: 'date_of_birth', reason: 'is not a real date written YYYY-MM-DD' })]);
  });

  it('rejects a NUL byte in any field as a problem of its row and column, and records the run', async () => {
    // Pathways are staged by their own COPY line, trusts by the generic one: both are covered.
    const pathwaysBefore = await countRows('pathways');
    const report = await run(
      'pathways',
      csv(HEADER, GOOD_ROWS[0]!, GOOD_ROWS[1]!.replace('David', 'Da\0vid'), GOOD_ROWS[2]!.replace('grace@example.com', 'grace\0@example.com')),
    );
    expect(report).toMatchObject({ status: 'rejected', rowsRead: 3, rowsRejected: 2 });
    expect(report.problems).toEqual([
      { row: 3, field: 'given_name', value: 'Da\\u0000vid', reason: expect.stringContaining('NUL') },
      { row: 4, field: 'email', value: 'grace\\u0000@example.com', reason: expect.stringContaining('NUL') },
    ]);
    expect(await countRows('pathways')).toBe(pathwaysBefore);
    const recorded = await database.db.selectFrom('import_runs').selectAll().where('id', '=', report.importRunId).executeTakeFirstOrThrow();
    expect(recorded).toMatchObject({ status: 'rejected', rows_read: 3, rows_rejected: 2 });

    const trusts = await run('trusts', csv('ods_code,name,region_code', 'RWF,Maid\0stone,Y60'));
    expect(trusts).toMatchObject({ status: 'rejected', rowsRejected: 1 });
    expect(trusts.problems).toEqual([expect.objectContaining({ row: 2, field: 'name', reason: expect.stringContaining('NUL') })]);
  });

  it('rejects a NUL or an unpaired surrogate escaped in a FHIR bundle, naming the entry and column', async () => {
    const entry = (id: string, nhsNumber: string, family: string) => [
      {
        fullUrl: `urn:uuid:${id}`,
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
          name: [{ family, given: ['Amira'] }],
          birthDate: '1961-03-14',
        },
      },
      {
        resource: {
          resourceType: 'ServiceRequest',
          status: 'active',
          identifier: [{ system: 'https://example.nhs.uk/pathway', value: `RWE-F${id}` }],
          subject: { reference: `urn:uuid:${id}` },
          category: [{ coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/NHSDataModelAndDictionary-treatment-function', code: '110' }] }],
          performer: [{ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RWE' } }],
          authoredOn: '2025-04-01',
        },
      },
    ];
    const bundle = JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [...entry('1', '9990000093', 'Kh\u0000an'), ...entry('2', '9990000107', 'Kh\ud800an')],
    });
    const report = await run('pathways', bundle, 'fhir');
    expect(report).toMatchObject({ status: 'rejected', rowsRead: 2, rowsRejected: 2 });
    expect(report.problems).toEqual([
      { row: 2, field: 'family_name', value: 'Kh\\u0000an', reason: expect.stringContaining('NUL') },
      { row: 4, field: 'family_name', value: 'Kh\\ud800an', reason: expect.stringContaining('surrogate') },
    ]);
    expect(await database.db.selectFrom('import_runs').select('status').where('id', '=', report.importRunId).executeTakeFirstOrThrow()).toEqual({
      status: 'rejected',
    });
  });

  it('refuses an unclosed quote', async () => {
    const report = await run('pathways', csv(HEADER, `RWE,"RWE-1,9990000018,Amira`));
    expect(report.status).toBe('rejected');
    expect(report.problems[0]).toMatchObject({ field: '(row)', reason: expect.stringContaining('cannot be read') });
  });
});

describe('a prices file with an amount past what pence can hold', () => {
  it('is rejected naming the row and the limit, not a 500', async () => {
    const header = 'hrg_code,hrg_name,unit_price_gbp,effective_from,source';
    const report = await run('prices', csv(header, 'HN12F,Hip,21474836.48,2025-04-01,x', 'HN13F,Knee,99999999999999999999,2025-04-01,x', 'HN14F,Toe,21474836.47,2025-04-01,x'));
    expect(report.status).toBe('rejected');
    expect(report.problems.map((problem) => `${problem.row} ${problem.field}: ${problem.reason}`)).toEqual([
      '2 unit_price_gbp: must be at most 21474836.47',
      '3 unit_price_gbp: must be at most 21474836.47',
    ]);
  });
});

describe('a contracts file with a month in the year 0000', () => {
  it('is rejected naming the row, not a 500', async () => {
    const report = await run('contracts', csv('trust_ods,treatment_function_code,month,contracted_volume', 'RWE,110,0000-01,5'));
    expect(report.problems).toEqual([expect.objectContaining({ row: 2, field: 'month', reason: 'is not a month written YYYY-MM' })]);
  });
});

describe('a good pathways file', () => {
  it('is applied once, changes nothing the second time, and a corrected file updates in place', async () => {
    const file = csv(HEADER, ...GOOD_ROWS);
    const first = await run('pathways', file);
    expect(first).toMatchObject({ status: 'applied', inserted: 3, updated: 0, unchanged: 0 });
    const before = await database.db.selectFrom('pathways').select(['id', 'updated_at']).orderBy('id').execute();

    const again = await run('pathways', file);
    expect(again).toMatchObject({ status: 'applied', inserted: 0, updated: 0, unchanged: 3 });
    expect(await database.db.selectFrom('pathways').select(['id', 'updated_at']).orderBy('id').execute()).toEqual(before);

    const corrected = csv(HEADER, GOOD_ROWS[0]!.replace('amira@example.com', 'amira.khan@example.com'), GOOD_ROWS[1]!, GOOD_ROWS[2]!.replace('urgent', 'routine'));
    expect(await run('pathways', corrected)).toMatchObject({ status: 'applied', inserted: 0, updated: 2, unchanged: 1 });
    expect(await countRows('pathways')).toBe(3);
    expect(await countRows('patients')).toBe(3);
    const amira = await database.db.selectFrom('patients').select('email').where('nhs_number', '=', '9990000018').executeTakeFirstOrThrow();
    expect(amira.email).toBe('amira.khan@example.com');
  });

  it('expands capacity into bookable slots and corrects counts in place', async () => {
    expect((await run('sites', csv('ods_code,name,provider_ods,provider_name,latitude,longitude', 'NT301,Spire South Bank,NT3,Spire Healthcare,52.18,-2.21'))).status).toBe('applied');
    const slots = async () => (await database.db.selectFrom('slots').select('ordinal').where('site_ods', '=', 'NT301').execute()).length;
    expect(await run('capacity', csv('site_ods,treatment_function_code,procedure_code,date,slots', 'NT301,110,,2026-12-07,4', 'NT301,110,W37.1,2026-12-07,2'))).toMatchObject({
      status: 'applied',
      inserted: 2,
    });
    expect(await slots()).toBe(6);
    expect(await run('capacity', csv('site_ods,treatment_function_code,procedure_code,date,slots', 'NT301,110,,2026-12-07,3', 'NT301,110,W37.1,2026-12-07,2'))).toMatchObject({
      updated: 1,
      unchanged: 1,
    });
    expect(await slots()).toBe(5);
  });
});

describe('imports over HTTP', () => {
  let temporal: TestTemporal;
  let app: ReturnType<typeof createApp>;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    temporal = await createTestTemporal();
    const mailer = createSmtpMailer('smtp://127.0.0.1:1', 'x@example.test');
    app = createApp({
      db: database.db,
      temporal: temporal.client,
      taskQueue: temporal.taskQueue,
      clock: () => new Date(),
      mailer,
      log: pino({ level: 'silent' }),
      devMailbox: false,
      maxBodyBytes: 1_024,
      maxImportBytes: 4_096,
      patientPhone: '0808 157 0192',
      temporalUiOrigin: 'http://localhost:8233',
    });
    tokens = {};
    for (const [name, user] of Object.entries({
      midlands: { role: 'regional', region_code: 'Y60' },
      london: { role: 'regional', region_code: 'Y56' },
      clinician: { role: 'clinician', trust_ods: 'RWE' },
    } as const)) {
      const staff = await createStaffUser(database.db, { name, ...user });
      tokens[name] = await issueStaffToken(database.db, staff.id, 'test');
    }
  });

  afterAll(async () => {
    await temporal?.close();
  });

  const post = (path: string, body: string, token: string) =>
    app.request(path, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });

  it('imports a regional team’s own pathways and refuses another region’s, writing nothing', async () => {
    const file = csv(HEADER, GOOD_ROWS[0]!.replace('amira@example.com', 'amira.khan@example.com'));
    const own = await post('/api/v1/imports/pathways', file, tokens.midlands!);
    expect(own.status, await own.clone().text()).toBe(200);
    expect(await own.json()).toMatchObject({ status: 'applied', unchanged: 1 });

    const other = await post('/api/v1/imports/pathways', csv(HEADER, GOOD_ROWS[2]!.replace('RRK-1', 'RRK-2')), tokens.london!);
    expect(other.status).toBe(422);
    const body = (await other.json()) as ImportReport;
    expect(body.problems[0]).toMatchObject({ row: 2, field: 'trust_ods', value: 'RRK', reason: 'is not a known trust (in your scope)' });
  });

  it('answers a NUL byte in a field with the usual rejection report, not a 500', async () => {
    const response = await post('/api/v1/imports/pathways', csv(HEADER, GOOD_ROWS[0]!.replace('Khan', 'Kh\0an')), tokens.midlands!);
    expect(response.status, await response.clone().text()).toBe(422);
    expect(await response.json()).toMatchObject({
      status: 'rejected',
      rowsRejected: 1,
      problems: [{ row: 2, field: 'family_name', reason: expect.stringContaining('NUL') }],
    });
    const named = await post('/api/v1/imports/pathways?source=list%00.csv', csv(HEADER, GOOD_ROWS[0]!), tokens.midlands!);
    expect(named.status, await named.clone().text()).toBe(400);
    expect(((await named.json()) as { error: { message: string } }).error.message).toContain('source');
  });

  it('refuses kinds outside the role, unknown kinds and formats, and files over the limit', async () => {
    expect((await post('/api/v1/imports/pathways', csv(HEADER), tokens.clinician!)).status).toBe(403);
    expect((await post('/api/v1/imports/prices', csv('x'), tokens.midlands!)).status).toBe(403);
    expect((await post('/api/v1/imports/unicorns', csv('x'), tokens.midlands!)).status).toBe(400);
    const wrongFormat = await post('/api/v1/imports/pathways?format=etr', csv('x'), tokens.midlands!);
    expect(wrongFormat.status).toBe(400);
    expect(((await wrongFormat.json()) as { error: { message: string } }).error.message).toContain('its formats are: csv, fhir');
    const big = await post('/api/v1/imports/pathways', csv(HEADER, ...Array.from({ length: 60 }, () => GOOD_ROWS[0]!)), tokens.midlands!);
    expect(big.status).toBe(413);
    expect(await countRows('pathways')).toBe(3);
  });
});
