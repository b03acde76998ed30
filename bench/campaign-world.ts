/**
 * The world the campaign benchmark runs in, built deterministically and outside the timed part:
 * two Midlands trusts and two IS sites near Leicester loaded through the ordinary imports (with their
 * exclusion criteria, prices and market forces factors), then patients, pathways and slots inserted in
 * bulk. Every benchmark patient is a routine adult hip replacement who has waited long enough, lives
 * in Leicester with an email address and passes both sites' criteria, so each one is offered; free
 * slots and the fund's money are sized so the campaign's window holds every patient at once.
 */
import { Readable } from 'node:stream';
import type { Db } from '../db/database';
import { createFund } from '../db/repositories/funds';
import { addDays, dayOf } from '../domain/dates';
import { testRangeNhsNumber } from '../domain/nhs-number';
import { importFile } from '../imports';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The hip price of the files below (pence) times the higher market forces factor, rounded up. */
const HIP_PRICE_PENCE = Math.ceil(725_100 * 1.02347);

export interface CampaignWorld {
  readonly fundId: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly freeSlots: number;
  /** Trust of the benchmark's cohort (RWE) and of the warm-up's (RRK), both hips (110). */
  readonly trusts: { readonly bench: string; readonly warmup: string };
}

/** Reference data, then `patients` pathways at RWE and `warmup` at RRK, `slots` free slots, and a fund for them all. */
export async function buildCampaignWorld(db: Db, counts: { patients: number; warmup: number; slots: number }): Promise<CampaignWorld> {
  const today = dayOf(new Date());
  const firstSlotDay = addDays(today, 21);
  const period = { from: firstSlotDay, to: addDays(firstSlotDay, 60) };
  const files: readonly (readonly [kind: string, text: string])[] = [
    ['regions', csv('code,name', 'Y60,Midlands')],
    [
      'trusts',
      csv(
        'ods_code,name,region_code,postcode,latitude,longitude',
        'RWE,University Hospitals of Leicester NHS Trust,Y60,LE1 5WW,52.6269,-1.1364',
        'RRK,University Hospitals Birmingham NHS Foundation Trust,Y60,B15 2GW,52.4511,-1.9417',
      ),
    ],
    ['treatment-functions', csv('code,name,rtt_group', '110,Trauma and Orthopaedic Service,C_110')],
    ['procedures', csv('code,name,chapter', 'W37.1,Primary total prosthetic replacement of hip joint using cement,W Other Bones and Joints')],
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
      ),
    ],
    ['procedure-hrgs', csv('opcs4_code,hrg_code,treatment_function_code,procedure_name', 'W37.1,HN12F,110,Primary hip replacement (cemented)')],
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
        'NT240,35,18,6,6,yes,yes',
      ),
    ],
    ['postcode-districts', csv('outcode,latitude,longitude', 'LE2,52.6159,-1.1114', 'LE3,52.6330,-1.1780', 'LE4,52.6640,-1.1230', 'LE5,52.6400,-1.0800')],
  ];
  for (const [kind, text] of files) {
    const report = await importFile(db, { kind, input: Readable.from([Buffer.from(text)]), source: 'campaign benchmark', actor: 'bench' });
    if (report.status !== 'applied') throw new Error(`benchmark ${kind} rejected: ${JSON.stringify(report.problems)}`);
  }

  // Patients and their pathways, in chunks; the warm-up's first, at the other trust.
  const numbers = nhsNumbers();
  const outcodes = ['LE2 7LX', 'LE3 9QP', 'LE4 5PW', 'LE5 4PW'];
  const total = counts.warmup + counts.patients;
  for (let start = 0; start < total; start += 2_000) {
    const indices = Array.from({ length: Math.min(2_000, total - start) }, (_, offset) => start + offset);
    const patients = await db
      .insertInto('patients')
      .values(
        indices.map((index) => ({
          nhs_number: numbers.next().value!,
          given_name: 'Bench',
          family_name: `Patient ${index}`,
          date_of_birth: addDays('1950-01-01', index % 7_000),
          email: `bench.${index}@example.nhs.test`,
          postcode: outcodes[index % outcodes.length]!,
          travel_max_miles: 50,
          bmi: '27.0',
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('pathways')
      .values(
        patients.map(({ id }, offset) => {
          const index = indices[offset]!;
          const warmup = index < counts.warmup;
          return {
            patient_id: id,
            trust_ods: warmup ? 'RRK' : 'RWE',
            pathway_ref: `${warmup ? 'WRM' : 'BEN'}-${index}`,
            treatment_function_code: '110',
            planned_procedure_code: 'W37.1',
            clock_start_date: addDays('2023-01-01', index % 600),
            priority: 'routine' as const,
          };
        }),
      )
      .execute();
  }

  // Free slots for hips across the period, at both sites.
  for (let start = 0; start < counts.slots; start += 5_000) {
    const size = Math.min(5_000, counts.slots - start);
    await db
      .insertInto('slots')
      .values(
        Array.from({ length: size }, (_, offset) => {
          const index = start + offset;
          return { site_ods: index % 2 ? 'NT240' : 'NT350', treatment_function_code: '110', procedure_code: 'W37.1', slot_date: addDays(firstSlotDay, 1 + (index % 50)), ordinal: index + 1 };
        }),
      )
      .execute();
  }

  // Money for every patient twice over: in this benchmark the free slots bound the window, not the fund.
  const { id: fundId } = await createFund(db, {
    name: 'Campaign benchmark fund',
    allocationPence: 2 * total * HIP_PRICE_PENCE,
    windowFrom: today,
    windowTo: addDays(today, 120),
    regionCode: 'Y60',
    trusts: [],
    treatmentFunctions: [],
  });
  return { fundId, period, freeSlots: counts.slots, trusts: { bench: 'RWE', warmup: 'RRK' } };
}

/** Valid NHS numbers of the never-issued test range, in order. */
function* nhsNumbers(): Generator<string> {
  for (let index = 0; index <= 999_999; index++) {
    const number = testRangeNhsNumber(index);
    if (number) yield number;
  }
}
