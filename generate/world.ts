/**
 * The synthetic world (`npm run cli -- generate`): real trusts, regions and IS sites with their real
 * coordinates; delivered activity shaped by each trust's RTT completed pathways, against contracts
 * set so that a realistic share of trusts miss; waiting lists whose size and weeks waited follow each
 * trust's RTT incomplete pathways; synthetic patients with valid, never-issued NHS numbers; capacity
 * at IS sites; prices. Everything is written as import files in the documented layouts, with a plan
 * that imports them (and the official reference files they rely on) in order.
 *
 * What the real data does not have is marked where it is made up: market forces factors, the 2026/27
 * prices (carried forward from 2025/26, or from NCC 2018/19 costs where 2025/26 has none), capacity.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import Papa from 'papaparse';
import type { Db } from '../db/database';
import { isPostcode } from '../domain/codes';
import { addDays, shiftMonth } from '../domain/dates';
import { milesBetween } from '../domain/geo';
import { nhsCheckDigit } from '../domain/nhs-number';
import { importFile } from '../imports';
import type { ImportReport } from '../imports/runner';
import { etrTrusts, nhsukHospitalSites, RTT_NAMED_TREATMENT_FUNCTIONS, rttRows } from '../imports/formats/official';
import { openDataFile, readDataFile, referenceFile } from '../reference/files';
import { AGE_BANDS, CLINICAL_RATES, ETHNIC_CATEGORIES, FAMILY_NAMES, GIVEN_NAMES, STREETS, TRAVEL_PREFERENCES } from './people';
import { apportion, Random, WeightedPicker } from './random';

export interface WorldOptions {
  readonly pathways: number;
  readonly seed: number;
  /** The day the world is seen from, 'YYYY-MM-DD': clocks started before it, capacity lies after it. */
  readonly asOf: string;
  readonly outDir: string;
  /** The public reference data (REFERENCE_DATA_DIR: reference/data unless set otherwise). */
  readonly referenceDataDir: string;
  /** The project's own reference files (regions, the OPCS-4 → HRG map). */
  readonly projectReferenceDir: string;
  /** Slots at IS sites as a share of the pathways (default 0.05). */
  readonly capacityShare?: number;
  readonly onProgress?: (pathwaysWritten: number) => void;
}

export interface PlanStep {
  readonly kind: string;
  readonly format: string;
  readonly file: string;
}

export interface WorldPlan {
  readonly seed: number;
  readonly pathways: number;
  readonly asOf: string;
  readonly steps: readonly PlanStep[];
}

/** The project's own reference files: the NHS England regions and the OPCS-4 → HRG map. */
export const PROJECT_REFERENCE_DIR = fileURLToPath(new URL('../reference', import.meta.url));

/** A CSV file written row by row, waiting when the disk is behind. */
class CsvWriter {
  private readonly stream: Writable;
  private buffer = '';

  constructor(file: string, header: readonly string[]) {
    this.stream = createWriteStream(file);
    this.buffer = `${header.join(',')}\n`;
  }

  async row(values: readonly (string | number | null | undefined)[]): Promise<void> {
    for (let index = 0; index < values.length; index++) {
      if (index) this.buffer += ',';
      const value = values[index];
      if (value === null || value === undefined) continue;
      const text = String(value);
      this.buffer += /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    }
    this.buffer += '\n';
    if (this.buffer.length > 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** A small reference CSV, whole, as objects keyed by its header. */
async function readCsv(file: string): Promise<Record<string, string>[]> {
  const text = (await readDataFile(file)).replace(/^\uFEFF/, '');
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy', transform: (value) => value.trim() }).data;
}


interface Trust {
  readonly ods: string;
  readonly name: string;
  readonly region: string;
  readonly postcode: string;
  readonly latitude: number;
  readonly longitude: number;
}

interface Place {
  readonly outcode: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** NHS numbers that will never be issued: the 999 test range first, then the unallocated 9xx range. */
function* neverIssuedNhsNumbers(): Generator<string> {
  for (let index = 0; index < 99_000_000; index++) {
    const firstNine = index < 1_000_000 ? `999${String(index).padStart(6, '0')}` : `9${String(index).padStart(8, '0')}`;
    const check = nhsCheckDigit(firstNine);
    if (check !== undefined) yield `${firstNine}${check}`;
  }
}

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export async function generateWorld(options: WorldOptions): Promise<WorldPlan> {
  const random = new Random(options.seed);
  // The file as stored: `file`, or `file.gz` where the data keeps it gzipped (the plan names it so).
  const data = (file: string) => referenceFile(options.referenceDataDir, file);
  const out = (file: string) => path.join(options.outDir, file);
  await mkdir(options.outDir, { recursive: true });

  // Trusts: open English trusts that report incomplete pathways in RTT, with their located main site.
  const locations = new Map(
    (await readCsv(data('geo/rtt_2026-04_provider_locations.csv')))
      .filter((row) => row.latitude)
      .map((row) => [row.provider_org_code!, { latitude: Number(row.latitude), longitude: Number(row.longitude), kind: row.provider_kind!, name: row.provider_org_name! }]),
  );
  const trusts = new Map<string, Trust>();
  for await (const record of etrTrusts(openDataFile(data('ods/etr.csv')))) {
    const location = locations.get(record.values.ods_code!);
    if (!location || !location.kind.startsWith('NHS trust')) continue;
    const values = record.values;
    trusts.set(values.ods_code!, {
      ods: values.ods_code!,
      name: values.name!,
      region: values.region_code!,
      postcode: values.postcode!,
      latitude: location.latitude,
      longitude: location.longitude,
    });
  }

  // Waiting-list and activity shape per trust and named treatment function, from RTT April 2026.
  const waiting = new Map<string, { trust: string; code: string; weeks: readonly number[]; total: number }>();
  const completed = new Map<string, number>();
  for await (const row of rttRows(openDataFile(data('rtt/rtt_2026-04_all_parts_by_provider_tfc.csv')))) {
    const code = row.treatmentFunction.replace(/^C_/, '');
    if (!trusts.has(row.providerCode) || !RTT_NAMED_TREATMENT_FUNCTIONS.has(code)) continue;
    const key = `${row.providerCode}|${code}`;
    if (row.part === 'Part_2' && row.totalAll > 0) waiting.set(key, { trust: row.providerCode, code, weeks: row.weeks, total: row.totalAll });
    if (row.part === 'Part_1A' || row.part === 'Part_1B') completed.set(key, (completed.get(key) ?? 0) + row.totalAll);
  }

  // IS sites: independent providers' sites that report RTT activity and are located.
  const hospitalSites = new Map<string, Record<string, string>>();
  for await (const record of nhsukHospitalSites(openDataFile(data('ods/hospital_sites_nhsuk.csv')))) hospitalSites.set(record.values.ods_code!, { ...record.values });
  const sites = [...locations.entries()]
    .filter(([code, location]) => !location.kind.startsWith('NHS trust') && hospitalSites.has(code))
    .map(([code, location]) => ({ code, ...location, site: hospitalSites.get(code)! }))
    .sort((a, b) => a.code.localeCompare(b.code));

  const procedureMap = await readCsv(path.join(options.projectReferenceDir, 'opcs4_hrg_elective.csv'));
  const proceduresByTf = new Map<string, string[]>();
  for (const row of procedureMap) proceduresByTf.set(row.treatment_function_code!, [...(proceduresByTf.get(row.treatment_function_code!) ?? []), row.opcs4_code!]);

  const places: Place[] = (await readCsv(data('geo/postcode_outcode_centroids.csv')))
    // Only districts whose postcodes pass the importer's check (the list keeps a few retired ones).
    .filter((row) => isPostcode(`${row.outcode} 1AB`))
    .map((row) => ({ outcode: row.outcode!, latitude: Number(row.latitude), longitude: Number(row.longitude) }));
  const lsoas = (await readCsv(data('imd/imd2019_lsoa11_rank_decile.csv'))).map((row) => row['LSOA code (2011)']!);

  const steps: PlanStep[] = [
    { kind: 'regions', format: 'csv', file: path.join(options.projectReferenceDir, 'regions.csv') },
  ];

  // trusts.csv
  const trustWriter = new CsvWriter(out('trusts.csv'), ['ods_code', 'name', 'region_code', 'postcode', 'latitude', 'longitude']);
  for (const trust of trusts.values()) await trustWriter.row([trust.ods, trust.name, trust.region, trust.postcode, trust.latitude, trust.longitude]);
  await trustWriter.close();
  steps.push({ kind: 'trusts', format: 'csv', file: out('trusts.csv') });

  // sites.csv
  const siteWriter = new CsvWriter(out('sites.csv'), ['ods_code', 'name', 'provider_ods', 'provider_name', 'postcode', 'latitude', 'longitude']);
  for (const site of sites) {
    await siteWriter.row([site.code, site.site.name, site.site.provider_ods, site.site.provider_name, site.site.postcode, site.latitude, site.longitude]);
  }
  await siteWriter.close();
  steps.push(
    { kind: 'sites', format: 'csv', file: out('sites.csv') },
    { kind: 'treatment-functions', format: 'data-dictionary', file: data('codes/treatment_function_codes.csv') },
    { kind: 'procedures', format: 'opcs4-hierarchy', file: data('codes/opcs4_hierarchy.csv') },
    { kind: 'prices', format: 'nhsps-2025-26', file: data('tariff/nhsps_2025_26_hrg_prices_HN_orthopaedic_UNVERIFIED.csv') },
    { kind: 'prices', format: 'ncc-2018-19', file: data('tariff/ncc_2018_19_elective_inpatient_unit_costs_by_hrg.csv') },
  );

  // prices.csv: 2026/27 prices for the mapped HRGs, carried forward (the data has none for 2026/27).
  const nhsps = new Map((await readCsv(data('tariff/nhsps_2025_26_hrg_prices_HN_orthopaedic_UNVERIFIED.csv'))).map((row) => [row.hrg_code!, row]));
  const ncc = new Map((await readCsv(data('tariff/ncc_2018_19_elective_inpatient_unit_costs_by_hrg.csv'))).map((row) => [row.Currency_Code!, row]));
  const priceWriter = new CsvWriter(out('prices.csv'), ['hrg_code', 'hrg_name', 'unit_price_gbp', 'effective_from', 'effective_to', 'source']);
  for (const hrg of [...new Set(procedureMap.map((row) => row.hrg_code!))].sort()) {
    const paymentScheme = nhsps.get(hrg);
    const cost = ncc.get(hrg);
    if (paymentScheme) {
      await priceWriter.row([hrg, paymentScheme.hrg_name, paymentScheme.elective_combined_dc_el_price_gbp, '2026-04-01', '2027-04-01', 'synthetic: NHSPS 2025/26 price carried forward (no 2026/27 price in the data)']);
    } else if (cost) {
      await priceWriter.row([hrg, cost.Currency_Description, cost.National_Average_Unit_Cost, '2026-04-01', '2027-04-01', 'synthetic: NCC 2018/19 unit cost as a stand-in (no NHSPS price in the data)']);
    }
  }
  await priceWriter.close();
  steps.push(
    { kind: 'prices', format: 'csv', file: out('prices.csv') },
    { kind: 'procedure-hrgs', format: 'csv', file: path.join(options.projectReferenceDir, 'opcs4_hrg_elective.csv') },
  );

  // market-forces-factors.csv: synthetic, higher in and around London, as the real factors are.
  const providers = new Map<string, { latitude: number; longitude: number }>();
  for (const site of sites) if (!providers.has(site.site.provider_ods!)) providers.set(site.site.provider_ods!, site);
  const london = { latitude: 51.5074, longitude: -0.1278 };
  const mffWriter = new CsvWriter(out('market-forces-factors.csv'), ['provider_ods', 'factor', 'effective_from', 'effective_to', 'source']);
  for (const [ods, location] of providers) {
    const factor = (milesBetween(location, london) < 40 ? 1.12 : 1.0) + random.int(-300, 600) / 10_000;
    await mffWriter.row([ods, factor.toFixed(5), '2026-04-01', '2027-04-01', 'synthetic (no market forces factors in the data)']);
  }
  await mffWriter.close();

  // exclusion-criteria.csv: typical of IS sites (no critical care on site; strict on BMI and recent events).
  const criteriaWriter = new CsvWriter(out('exclusion-criteria.csv'), [
    'site_ods', 'bmi_max', 'min_age', 'heart_attack_within_months', 'stroke_within_months', 'excludes_critical_care', 'excludes_dialysis',
    'excludes_uncontrolled_diabetes', 'excludes_uncontrolled_hypertension', 'excludes_anticoagulation', 'excludes_sickle_cell', 'excludes_unstable_psychiatric',
  ]);
  for (const site of sites) {
    await criteriaWriter.row([
      site.code, random.pick([35, 38, 40, 40, 45]), 18, random.pick([3, 6, 6, 12]), random.pick([3, 6, 6, 12]), 'yes', 'yes', 'yes', 'yes',
      random.chance(0.35) ? 'yes' : 'no', random.chance(0.5) ? 'yes' : 'no', 'yes',
    ]);
  }
  await criteriaWriter.close();
  steps.push(
    { kind: 'market-forces-factors', format: 'csv', file: out('market-forces-factors.csv') },
    { kind: 'exclusion-criteria', format: 'csv', file: out('exclusion-criteria.csv') },
    { kind: 'postcode-districts', format: 'csv', file: data('geo/postcode_outcode_centroids.csv') },
    { kind: 'lsoas', format: 'imd-2019', file: data('imd/imd2019_lsoa11_rank_decile.csv') },
  );

  // contracts.csv and activity.csv: twelve months to last month. Each trust specialty performs at a
  // level drawn around 97% of contract, so about two in five miss by more than 5%.
  const months = Array.from({ length: 12 }, (_, index) => shiftMonth(options.asOf.slice(0, 7), index - 12));
  const contractWriter = new CsvWriter(out('contracts.csv'), ['trust_ods', 'treatment_function_code', 'month', 'contracted_volume']);
  const activityWriter = new CsvWriter(out('activity.csv'), ['trust_ods', 'treatment_function_code', 'month', 'delivered_volume']);
  for (const [key, monthly] of [...completed.entries()].sort()) {
    if (monthly <= 0) continue;
    const [trust, code] = key.split('|') as [string, string];
    const performance = Math.min(1.15, Math.max(0.6, random.normal(0.97, 0.07)));
    for (const month of months) {
      const contracted = Math.max(1, Math.round(monthly * (1 + random.normal(0, 0.03))));
      const delivered = Math.max(0, Math.round(contracted * performance * (1 + random.normal(0, 0.04))));
      await contractWriter.row([trust, code, month, contracted]);
      await activityWriter.row([trust, code, month, delivered]);
    }
  }
  await contractWriter.close();
  await activityWriter.close();
  steps.push({ kind: 'contracts', format: 'csv', file: out('contracts.csv') }, { kind: 'activity', format: 'csv', file: out('activity.csv') });

  // pathways.csv: N pathways shared between trust specialties as their RTT waiting lists are.
  const lists = [...waiting.values()].sort((a, b) => `${a.trust}|${a.code}`.localeCompare(`${b.trust}|${b.code}`));
  const counts = apportion(options.pathways, lists.map((list) => list.total));
  const nearby = new Map<string, { places: Place[]; picker: WeightedPicker }>();
  const placesNear = (trust: Trust) => {
    let found = nearby.get(trust.ods);
    if (!found) {
      const close = places.map((place) => ({ place, distance: milesBetween(trust, place) })).filter((entry) => entry.distance < 25);
      const chosen = close.length ? close : [{ place: places.reduce((best, place) => (milesBetween(trust, place) < milesBetween(trust, best) ? place : best)), distance: 0 }];
      found = { places: chosen.map((entry) => entry.place), picker: new WeightedPicker(chosen.map((entry) => 1 / (1 + entry.distance))) };
      nearby.set(trust.ods, found);
    }
    return found;
  };
  const ethnicPicker = new WeightedPicker(ETHNIC_CATEGORIES.map(([, share]) => share));
  const agePicker = new WeightedPicker(AGE_BANDS.map(([, , share]) => share));
  const travelPicker = new WeightedPicker(TRAVEL_PREFERENCES.map(([, share]) => share));
  const nhsNumbers = neverIssuedNhsNumbers();
  const pathwayColumns = [
    'trust_ods', 'pathway_ref', 'nhs_number', 'given_name', 'family_name', 'date_of_birth', 'sex', 'ethnic_category', 'email', 'phone',
    'address_line_1', 'town', 'postcode', 'lsoa_code', 'travel_max_miles', 'bmi', 'last_heart_attack_on', 'last_stroke_on',
    'needs_critical_care', 'on_dialysis', 'diabetes', 'hypertension', 'anticoagulated', 'sickle_cell', 'psychiatric_unstable',
    'treatment_function_code', 'planned_procedure_code', 'clock_start_date', 'priority', 'tertiary', 'next_appointment_on',
  ];
  const pathwayWriter = new CsvWriter(out('pathways.csv'), pathwayColumns);
  const rate = CLINICAL_RATES;
  const flag = (probability: number) => (random.chance(probability) ? 'yes' : 'no');
  const recentDate = (probability: number) => (random.chance(probability) ? addDays(options.asOf, -random.int(7, 730)) : '');
  let written = 0;
  for (const [index, list] of lists.entries()) {
    const trust = trusts.get(list.trust)!;
    const weekPicker = new WeightedPicker(list.weeks);
    const near = placesNear(trust);
    const procedures = proceduresByTf.get(list.code) ?? [];
    for (let n = 0; n < counts[index]!; n++) {
      const sex = random.chance(0.55) ? 'female' : random.chance(0.98) ? 'male' : 'unknown';
      const given = random.pick(sex === 'female' ? GIVEN_NAMES.female : GIVEN_NAMES.male);
      const family = random.pick(FAMILY_NAMES);
      const [minAge, maxAge] = AGE_BANDS[agePicker.pick(random)]!;
      const place = near.places[near.picker.pick(random)]!;
      const weeks = weekPicker.pick(random);
      const clockStart = addDays(options.asOf, -(weeks * 7 + random.int(0, 6)));
      const dateOfBirth = addDays(options.asOf, -random.int(minAge * 365 + 1, maxAge * 365 + 300));
      const diabetes = random.next();
      const hypertension = random.next();
      const appointment = random.next();
      const nhsNumber = nhsNumbers.next().value as string;
      written += 1;
      await pathwayWriter.row([
        trust.ods,
        `${trust.ods}-${list.code}-${String(n + 1).padStart(7, '0')}`,
        nhsNumber,
        given,
        family,
        dateOfBirth < clockStart ? dateOfBirth : addDays(clockStart, -366),
        sex,
        ETHNIC_CATEGORIES[ethnicPicker.pick(random)]![0],
        random.chance(rate.email) ? `${given}.${family}.${nhsNumber.slice(-4)}@example.com`.toLowerCase().replace(/'/g, '') : '',
        random.chance(rate.phone) ? `07700 9${String(random.int(0, 99_999)).padStart(5, '0')}` : '',
        `${random.int(1, 220)} ${random.pick(STREETS)}`,
        '',
        `${place.outcode} ${random.int(1, 9)}${INWARD_LETTERS[random.int(0, 19)]}${INWARD_LETTERS[random.int(0, 19)]}`,
        random.pick(lsoas),
        TRAVEL_PREFERENCES[travelPicker.pick(random)]![0],
        Math.min(60, Math.max(16, random.normal(28.5, 5.5))).toFixed(1),
        recentDate(rate.heartAttackInTwoYears),
        recentDate(rate.strokeInTwoYears),
        flag(rate.needsCriticalCare),
        flag(rate.onDialysis),
        diabetes < rate.diabetesUncontrolled ? 'uncontrolled' : diabetes < rate.diabetesUncontrolled + rate.diabetesControlled ? 'controlled' : 'none',
        hypertension < rate.hypertensionUncontrolled ? 'uncontrolled' : hypertension < rate.hypertensionUncontrolled + rate.hypertensionControlled ? 'controlled' : 'none',
        flag(rate.anticoagulated),
        flag(rate.sickleCell),
        flag(rate.psychiatricUnstable),
        list.code,
        procedures.length && random.chance(0.9) ? random.pick(procedures) : '',
        clockStart,
        random.chance(0.88) ? 'routine' : random.chance(0.8) ? 'urgent' : 'cancer',
        random.chance(0.04) ? 'yes' : 'no',
        appointment < 0.12 ? addDays(options.asOf, random.int(1, 56)) : appointment < 0.17 ? addDays(options.asOf, random.int(57, 180)) : '',
      ]);
      if (written % 50_000 === 0) options.onProgress?.(written);
    }
  }
  await pathwayWriter.close();
  options.onProgress?.(written);
  steps.push({ kind: 'pathways', format: 'csv', file: out('pathways.csv') });

  // capacity.csv: weekday slots from two weeks after as-of for twelve weeks, for the specialties IS
  // sites do most, adding up to about capacityShare of the pathways.
  const specialties = ['110', '130', '100', '120', '502', '101'];
  const totalSlots = Math.max(specialties.length, Math.round(options.pathways * (options.capacityShare ?? 0.05)));
  const days = Array.from({ length: 84 }, (_, index) => addDays(options.asOf, 14 + index)).filter((day) => {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  });
  const cells = sites.flatMap((site) => specialties.filter((_, index) => index < 2 || random.chance(0.5)).map((code) => ({ site: site.code, code })));
  const perCell = apportion(totalSlots, cells.map(() => 0.5 + random.next()));
  const capacityWriter = new CsvWriter(out('capacity.csv'), ['site_ods', 'treatment_function_code', 'procedure_code', 'date', 'slots']);
  for (const [index, cell] of cells.entries()) {
    const byDay = new Map<string, number>();
    for (let slot = 0; slot < perCell[index]!; slot++) {
      const day = random.pick(days);
      byDay.set(day, (byDay.get(day) ?? 0) + 1);
    }
    for (const [day, slots] of [...byDay.entries()].sort()) await capacityWriter.row([cell.site, cell.code, '', day, slots]);
  }
  await capacityWriter.close();
  steps.push({ kind: 'capacity', format: 'csv', file: out('capacity.csv') });

  const plan: WorldPlan = { seed: options.seed, pathways: options.pathways, asOf: options.asOf, steps };
  await writeFile(out('world.json'), `${JSON.stringify(plan, null, 2)}\n`);
  return plan;
}

/** Imports a generated world through the ordinary imports, step by step; stops at the first rejection. */
export async function loadWorld(
  db: Db,
  plan: WorldPlan,
  onStep?: (step: PlanStep, report: ImportReport) => void,
): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const step of plan.steps) {
    const report = await importFile(db, { kind: step.kind, format: step.format, input: openDataFile(step.file), source: path.basename(step.file), actor: 'generator' });
    onStep?.(step, report);
    reports.push(report);
    if (report.status !== 'applied') {
      const first = report.problems[0];
      throw new Error(`the generated ${step.kind} (${step.file}) was rejected: row ${first?.row}, ${first?.field}: ${first?.reason}`);
    }
  }
  if (plan.steps.some((step) => step.kind === 'capacity')) await ensureWorldFund(db, plan);
  return reports;
}

export const WORLD_FUND_NAME = 'National elective recovery fund (generated)';

/** One national fund over the capacity's period, so the world's transfers can be paid for; made once. */
async function ensureWorldFund(db: Db, plan: WorldPlan): Promise<void> {
  const existing = await db.selectFrom('funds').select('id').where('name', '=', WORLD_FUND_NAME).executeTakeFirst();
  if (existing) return;
  await db
    .insertInto('funds')
    // £2,000 a pathway: room for a fair share of the list, not all of it, as real funds are.
    .values({ name: WORLD_FUND_NAME, allocation_pence: plan.pathways * 200_000, window_from: plan.asOf, window_to: addDays(plan.asOf, 120) })
    .execute();
}
