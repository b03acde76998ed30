/**
 * A small world for tests, loaded through the real imports: two Midlands trusts, four patients (each
 * with a phone from Ofcom's drama ranges, all but one with an email address) and their pathways, ids
 * 1 to 4 in a fresh database; and, for transfers, two IS sites near Leicester with their criteria, prices and capacity (dates counted from today, so
 * the world never goes stale), and a fund (id 1) whose window covers them.
 */
import { Readable } from 'node:stream';
import type { Db } from '../../db/database';
import { addDays, dayOf } from '../../domain/dates';
import type { BookingSeed } from '../../generate/bookings';
import { importFile } from '../../imports';

const today = dayOf(new Date());
/** The first day with IS capacity, three weeks from today. */
export const FIRST_SLOT_DAY = addDays(today, 21);
/** Pathway 4 (Owen Price, no email address) needs a letter. */
export const NO_EMAIL_PATHWAY = 4;

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
      'trust_ods,pathway_ref,nhs_number,given_name,family_name,date_of_birth,sex,email,phone,postcode,travel_max_miles,bmi,treatment_function_code,planned_procedure_code,clock_start_date,priority',
      'RWE,RWE-0001,9990000018,Amira,Khan,1961-03-14,female,amira.khan@example.nhs.test,0116 496 0101,LE2 7LX,50,27.4,110,W37.1,2025-04-01,routine',
      'RWE,RWE-0002,9990000026,David,Morgan,1955-09-02,male,david.morgan@example.nhs.test,07700 900102,LE4 5PW,25,31.0,110,W37.1,2025-05-01,routine',
      'RRK,RRK-0001,9990000034,Grace,Okafor,1972-11-23,female,grace.okafor@example.nhs.test,0121 496 0103,B15 2TH,anywhere,24.1,130,C71.2,2025-06-01,routine',
      'RWE,RWE-0003,9990000042,Owen,Price,1949-01-30,male,,0116 496 0104,LE3 9QP,anywhere,26.0,110,W37.1,2025-03-01,routine',
    ),
  ],
];

/** IS capacity and money: Spire Leicester (BMI up to 40) and Nuffield Leicester (BMI up to 30). */
const TRANSFER_FILES: readonly (readonly [kind: string, text: string])[] = [
  [
    'sites',
    csv(
      'ods_code,name,provider_ods,provider_name,postcode,latitude,longitude',
      'NT350,Spire Leicester Hospital,NT3,Spire Healthcare,LE2 2FF,52.5994,-1.0897',
      'NT240,Nuffield Health Leicester Hospital,NT2,Nuffield Health,LE5 1HY,52.6533,-1.0621',
    ),
  ],
  [
    'prices',
    csv(
      'hrg_code,hrg_name,unit_price_gbp,effective_from,effective_to,source',
      `HN12F,Very Major Hip Procedures for Non-Trauma with CC Score 0-1,7251.00,${addDays(today, -30)},,NHS Payment Scheme 2026/27`,
      `BZ34C,Phacoemulsification Cataract Extraction and Lens Implant,1013.00,${addDays(today, -30)},,NHS Payment Scheme 2026/27`,
    ),
  ],
  ['procedure-hrgs', csv('opcs4_code,hrg_code,treatment_function_code,procedure_name', 'W37.1,HN12F,110,Primary hip replacement (cemented)', 'C71.2,BZ34C,130,Cataract extraction')],
  [
    'market-forces-factors',
    csv(
      'provider_ods,factor,effective_from,effective_to,source',
      `NT3,1.02347,${addDays(today, -30)},,NHS Payment Scheme 2026/27 MFF`,
      `NT2,0.98765,${addDays(today, -30)},,NHS Payment Scheme 2026/27 MFF`,
    ),
  ],
  [
    'exclusion-criteria',
    csv(
      'site_ods,bmi_max,min_age,heart_attack_within_months,stroke_within_months,excludes_critical_care,excludes_dialysis',
      'NT350,40,18,6,6,yes,yes',
      'NT240,30,18,6,6,yes,yes',
    ),
  ],
  ['postcode-districts', csv('outcode,latitude,longitude', 'LE2,52.6159,-1.1114', 'LE3,52.6330,-1.1780', 'LE4,52.6640,-1.1230', 'B15,52.4660,-1.9260')],
  [
    'capacity',
    csv(
      'site_ods,treatment_function_code,procedure_code,date,slots',
      `NT350,110,W37.1,${FIRST_SLOT_DAY},1`,
      `NT350,110,W37.1,${addDays(FIRST_SLOT_DAY, 7)},2`,
      `NT240,110,W37.1,${addDays(FIRST_SLOT_DAY, 2)},2`,
    ),
  ],
];


export async function loadFixtureWorld(db: Db): Promise<void> {
  for (const [kind, text] of [...FILES, ...TRANSFER_FILES]) {
    const report = await importFile(db, { kind, input: Readable.from([Buffer.from(text)]), source: 'fixture', actor: 'test' });
    if (report.status !== 'applied') throw new Error(`fixture ${kind} rejected: ${JSON.stringify(report.problems)}`);
  }
  await db
    .insertInto('funds')
    .values({ name: 'Midlands elective recovery 2026/27', allocation_pence: 5_000_000, window_from: today, window_to: addDays(today, 120), region_code: 'Y60' })
    .execute();
}

/** The patient a fixture pathway belongs to. */
export async function patientOf(db: Db, pathwayId: number) {
  return db
    .selectFrom('pathways')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .selectAll('patients')
    .where('pathways.id', '=', pathwayId)
    .executeTakeFirstOrThrow();
}

/** The fund the fixture world's transfers are paid from. */
export const FIXTURE_FUND_ID = 1;

/** A launch of Leicester's orthopaedics (the fixture's RWE hip patients) paid from the fixture fund, as the API takes it; `changes` replace its fields. */
export const fixtureCampaignLaunch = (changes: Record<string, unknown> = {}) => ({
  name: 'Leicester orthopaedics',
  regionCode: 'Y60',
  trusts: ['RWE'],
  treatmentFunctions: ['110'],
  fundId: FIXTURE_FUND_ID,
  period: { from: addDays(today, 7), to: addDays(today, 90) },
  maxOffers: 10,
  ...changes,
});

/** A hip at Spire Leicester: £7,251.00 (HN12F) × Spire's market forces factor 1.02347, in pence. */
export const FIXTURE_HIP_PRICE = 742_118;

/** The 10th of last month: a month that has ended, so its claims are due today. */
export const LAST_MONTH_DAY = `${addDays(`${today.slice(0, 8)}01`, -1).slice(0, 8)}10`;

/** Bulk synthetic hip bookings at Spire Leicester for a trust, priced as the fixture world prices them, for last month. */
export function fixtureHipBookings(fundId: number, count: number, trustOds = 'RWE'): BookingSeed {
  return {
    fundId,
    count,
    trustOds,
    siteOds: 'NT350',
    treatmentFunctionCode: '110',
    procedureCode: 'W37.1',
    procedureDate: LAST_MONTH_DAY,
    pricePence: FIXTURE_HIP_PRICE,
    priceSource: 'HN12F NHS Payment Scheme 2026/27 × MFF 1.02347',
  };
}
