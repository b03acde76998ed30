/**
 * A small world for tests, loaded through the real imports: two Midlands trusts, three patients
 * (all with email addresses) and their pathways, ids 1 to 3 in a fresh database.
 */
import { Readable } from 'node:stream';
import type { Db } from '../../db/database';
import { importFile } from '../../imports';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

const FILES: readonly (readonly [kind: string, text: string])[] = [
  ['regions', csv('code,name', 'Y60,Midlands', 'Y56,London')],
  [
    'trusts',
    csv(
      'ods_code,name,region_code,postcode,latitude,longitude',
      'RWE,University Hospitals of Leicester NHS Trust,Y60,LE1 5WW,52.6269,-1.1364',
      'RRK,University Hospitals Birmingham NHS Foundation Trust,Y60,B15 2GW,52.4511,-1.9417',
    ),
  ],
  ['treatment-functions', csv('code,name,rtt_group', '110,Trauma and Orthopaedic Service,C_110', '130,Ophthalmology Service,C_130')],
  ['procedures', csv('code,name,chapter', 'W37.1,Primary total prosthetic replacement of hip joint using cement,W Other Bones and Joints', 'C71.2,Phacoemulsification of lens,C Eye')],
  [
    'pathways',
    csv(
      'trust_ods,pathway_ref,nhs_number,given_name,family_name,date_of_birth,sex,email,postcode,travel_max_miles,bmi,treatment_function_code,planned_procedure_code,clock_start_date,priority',
      'RWE,RWE-0001,9990000018,Amira,Khan,1961-03-14,female,amira.khan@example.nhs.test,LE2 7LX,50,27.4,110,W37.1,2025-04-01,routine',
      'RWE,RWE-0002,9990000026,David,Morgan,1955-09-02,male,david.morgan@example.nhs.test,LE4 5PW,25,31.0,110,W37.1,2025-05-01,routine',
      'RRK,RRK-0001,9990000034,Grace,Okafor,1972-11-23,female,grace.okafor@example.nhs.test,B15 2TH,anywhere,24.1,130,C71.2,2025-06-01,routine',
    ),
  ],
];

export async function loadFixtureWorld(db: Db): Promise<void> {
  for (const [kind, text] of FILES) {
    const report = await importFile(db, { kind, input: Readable.from([Buffer.from(text)]), source: 'fixture', actor: 'test' });
    if (report.status !== 'applied') throw new Error(`fixture ${kind} rejected: ${JSON.stringify(report.problems)}`);
  }
}
