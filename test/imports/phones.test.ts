/**
 * Phones on the waiting list are stored in E.164 (see domain/phone), from CSV and FHIR alike, so the
 * channel rule finds a mobile however the trust wrote it; a number that is not one is a rejected row.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../imports';
import type { ImportReport } from '../../imports/runner';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const run = (kind: string, text: string, format = 'csv'): Promise<ImportReport> =>
  importFile(database.db, { kind, format, input: Readable.from([Buffer.from(text)]), source: 'test', actor: 'test' });

const HEADER = 'trust_ods,pathway_ref,nhs_number,given_name,family_name,date_of_birth,phone,treatment_function_code,clock_start_date,priority';
const row = (ref: string, nhsNumber: string, phone: string) => `RWE,${ref},${nhsNumber},Amira,Khan,1961-03-14,${phone},110,2025-04-01,routine`;

const phones = async () =>
  (await database.db.selectFrom('patients').select(['nhs_number', 'phone']).orderBy('nhs_number').execute()).map((patient) => patient.phone);

beforeAll(async () => {
  database = await createTestDatabase();
  for (const [kind, text] of [
    ['regions', csv('code,name', 'Y60,Midlands')],
    ['trusts', csv('ods_code,name,region_code', 'RWE,Leicester,Y60')],
    ['treatment-functions', csv('code,name,rtt_group', '110,Trauma and Orthopaedic Service,C_110')],
  ] as const) {
    expect((await run(kind, text)).status).toBe('applied');
  }
});

afterAll(async () => {
  await database?.drop();
});

describe('phones in a pathways import', () => {
  it('rejects a row whose phone is not a telephone number, naming the field and the value, and writes nothing', async () => {
    const report = await run('pathways', csv(HEADER, row('RWE-1', '9990000018', '07700 900123'), row('RWE-2', '9990000026', '0770 090 012'), row('RWE-3', '9990000034', 'ask reception')));
    expect(report.status).toBe('rejected');
    expect(report.problems).toEqual([
      { row: 3, field: 'phone', value: '0770 090 012', reason: expect.stringContaining('is not a UK telephone number') },
      { row: 4, field: 'phone', value: 'ask reception', reason: expect.stringContaining('is not a telephone number') },
    ]);
    expect(await phones()).toEqual([]);
  });

  it('stores every number in E.164, and a file writing the same numbers another way changes nothing', async () => {
    const written = csv(HEADER, row('RWE-1', '9990000018', '07700 900123'), row('RWE-2', '9990000026', '(0116) 496-0101'), row('RWE-3', '9990000034', ''));
    expect(await run('pathways', written)).toMatchObject({ status: 'applied', inserted: 3 });
    expect(await phones()).toEqual(['+447700900123', '+441164960101', null]);
    const rewritten = csv(HEADER, row('RWE-1', '9990000018', '+44 (0)7700-900123'), row('RWE-2', '9990000026', '+441164960101'), row('RWE-3', '9990000034', ''));
    expect(await run('pathways', rewritten)).toMatchObject({ status: 'applied', inserted: 0, updated: 0, unchanged: 3 });
  });

  it('stores the mobile of a FHIR patient who has a landline too, in E.164', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:8b5c7b4e-0000-4000-8000-000000000001',
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000042' }],
            name: [{ family: 'Price', given: ['Owen'] }],
            birthDate: '1949-01-30',
            telecom: [
              { system: 'phone', value: '0116 496 0104', use: 'home' },
              { system: 'phone', value: '07700 900104', use: 'mobile' },
            ],
          },
        },
        {
          resource: {
            resourceType: 'ServiceRequest',
            status: 'active',
            identifier: [{ system: 'https://trust.example/Id/pathway', value: 'RWE-4' }],
            subject: { reference: 'urn:uuid:8b5c7b4e-0000-4000-8000-000000000001' },
            category: [{ coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/NHSDataModelAndDictionary-treatment-function', code: '110' }] }],
            authoredOn: '2025-03-01',
            performer: [{ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RWE' } }],
          },
        },
      ],
    };
    expect(await run('pathways', JSON.stringify(bundle), 'fhir')).toMatchObject({ status: 'applied', inserted: 1 });
    const owen = await database.db.selectFrom('patients').select('phone').where('nhs_number', '=', '9990000042').executeTakeFirstOrThrow();
    expect(owen.phone).toBe('+447700900104');
  });
});
