/**
 * A patient on several rows of a waiting list (several pathways) is one patient, taken from their
 * first row, whether the list goes into empty tables or into tables that hold them already.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../imports';
import type { ImportReport } from '../../imports/runner';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const run = (kind: string, text: string): Promise<ImportReport> =>
  importFile(database.db, { kind, input: Readable.from([Buffer.from(text)]), source: 'test', actor: 'test' });

const HEADER = 'trust_ods,pathway_ref,nhs_number,given_name,family_name,date_of_birth,postcode,treatment_function_code,planned_procedure_code,clock_start_date,priority';

beforeAll(async () => {
  database = await createTestDatabase();
  for (const [kind, text] of [
    ['regions', csv('code,name', 'Y60,Midlands')],
    ['trusts', csv('ods_code,name,region_code', 'RWE,Leicester,Y60', 'RRK,Birmingham,Y60')],
    ['treatment-functions', csv('code,name,rtt_group', '110,Trauma and Orthopaedic Service,C_110', '130,Ophthalmology Service,C_130')],
    ['procedures', csv('code,name,chapter', 'W37.1,Primary hip replacement,W', 'C71.2,Phacoemulsification of lens,C')],
  ] as const) {
    expect((await run(kind, text)).status).toBe('applied');
  }
});

afterAll(async () => {
  await database?.drop();
});

describe('a patient on several rows', () => {
  it('is written once, with every pathway, and changes nothing when imported again', async () => {
    const file = csv(
      HEADER,
      'RWE,RWE-1,9990000018,Amira,Khan,1961-03-14,LE2 7LX,110,W37.1,2025-04-01,routine',
      'RWE,RWE-2,9990000026,David,Morgan,1955-09-02,LE4 5PW,110,W37.1,2025-05-01,routine',
      'RRK,RRK-1,9990000018,Amira,Khan,1961-03-14,LE2 7LX,130,C71.2,2025-06-01,urgent',
      'RWE,RWE-3,9990000018,Amira,Khan,1961-03-14,LE2 7LX,110,,2025-07-01,routine',
    );
    expect(await run('pathways', file)).toMatchObject({ status: 'applied', inserted: 4, updated: 0, unchanged: 0 });
    const patients = await database.db.selectFrom('patients').select(['id', 'nhs_number', 'given_name']).orderBy('nhs_number').execute();
    expect(patients.map((patient) => `${patient.nhs_number} ${patient.given_name}`)).toEqual(['9990000018 Amira', '9990000026 David']);
    const pathways = await database.db.selectFrom('pathways').select(['pathway_ref', 'patient_id']).orderBy('id').execute();
    const amira = patients[0]!.id;
    expect(pathways).toEqual([
      { pathway_ref: 'RWE-1', patient_id: amira },
      { pathway_ref: 'RWE-2', patient_id: patients[1]!.id },
      { pathway_ref: 'RRK-1', patient_id: amira },
      { pathway_ref: 'RWE-3', patient_id: amira },
    ]);
    expect(await run('pathways', file)).toMatchObject({ status: 'applied', inserted: 0, updated: 0, unchanged: 4 });

    // Into tables that hold them: a new pathway of a known patient, and a new patient on two rows.
    const more = csv(
      HEADER,
      'RWE,RWE-4,9990000018,Amira,Khan,1961-03-14,LE2 7LX,110,,2025-08-01,routine',
      'RWE,RWE-5,9990000034,Grace,Okafor,1972-11-23,B15 2TH,110,,2025-06-01,urgent',
      'RRK,RRK-2,9990000034,Grace,Okafor,1972-11-23,B15 2TH,130,C71.2,2025-06-01,urgent',
    );
    expect(await run('pathways', more)).toMatchObject({ status: 'applied', inserted: 3, updated: 0, unchanged: 0 });
    const grace = await database.db.selectFrom('patients').select('id').where('nhs_number', '=', '9990000034').execute();
    expect(grace).toHaveLength(1);
    const graces = await database.db.selectFrom('pathways').select('pathway_ref').where('patient_id', '=', grace[0]!.id).orderBy('id').execute();
    expect(graces.map((pathway) => pathway.pathway_ref)).toEqual(['RWE-5', 'RRK-2']);
    expect(await database.db.selectFrom('patients').select('id').execute()).toHaveLength(3);
  });
});
