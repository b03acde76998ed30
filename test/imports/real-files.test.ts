/**
 * Every real file in reference/data that the product reads, imported through the same path as the
 * CLI and the API, checked against figures known from the files themselves.
 */
import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../imports';
import { rttRows } from '../../imports/formats/official';
import type { ImportReport } from '../../imports/runner';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { openReferenceData } from '../support/reference-data';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const REAL_FILES = [
  ['regions', 'csv', 'reference/regions.csv'],
  ['trusts', 'etr', 'ods/etr.csv'],
  ['sites', 'nhsuk-hospitals', 'ods/hospital_sites_nhsuk.csv'],
  ['treatment-functions', 'data-dictionary', 'codes/treatment_function_codes.csv'],
  ['procedures', 'opcs4-hierarchy', 'codes/opcs4_hierarchy.csv'],
  ['prices', 'nhsps-2025-26', 'tariff/nhsps_2025_26_hrg_prices_HN_orthopaedic_UNVERIFIED.csv'],
  ['prices', 'ncc-2018-19', 'tariff/ncc_2018_19_elective_inpatient_unit_costs_by_hrg.csv'],
  ['procedure-hrgs', 'csv', 'reference/opcs4_hrg_elective.csv'],
  ['lsoas', 'imd-2019', 'imd/imd2019_lsoa11_rank_decile.csv'],
  ['postcode-districts', 'csv', 'geo/postcode_outcode_centroids.csv'],
  ['activity', 'rtt', 'rtt/20260430-RTT-April-2026-full-extract.csv.zip'],
] as const;

function open(file: string) {
  return file.startsWith('reference/') ? createReadStream(file) : openReferenceData(file);
}

async function importReal(kind: string, format: string, file: string): Promise<ImportReport> {
  return importFile(database.db, { kind, format, input: open(file), source: file, actor: 'test' });
}

describe('importing the real reference data', () => {
  it('applies every file, in dependency order', { timeout: 120_000 }, async () => {
    const counts: Record<string, number> = {};
    for (const [kind, format, file] of REAL_FILES) {
      const report = await importReal(kind, format, file);
      expect(report.problems, `${kind} from ${file}`).toEqual([]);
      expect(report.status).toBe('applied');
      counts[`${kind}/${format}`] = report.inserted + report.updated;
    }
    expect(counts).toMatchObject({
      'regions/csv': 7,
      // 274 rows, less 72 closed trusts and the 3 Welsh ones with no NHS England region.
      'trusts/etr': 199,
      'treatment-functions/data-dictionary': 184,
      'prices/nhsps-2025-26': 110,
      'prices/ncc-2018-19': 2522,
      'procedure-hrgs/csv': 50,
      'lsoas/imd-2019': 32_844,
      'postcode-districts/csv': 2_973,
    });
  });

  it('reads trusts, IS sites and codes as published', async () => {
    const db = database.db;
    expect(await db.selectFrom('trusts').selectAll().where('ods_code', '=', 'RWE').executeTakeFirst()).toMatchObject({
      name: 'University Hospitals of Leicester NHS Trust',
      region_code: 'Y60',
      postcode: 'LE1 5WW',
    });
    const spire = await db.selectFrom('sites').selectAll().where('ods_code', '=', 'NT301').executeTakeFirstOrThrow();
    expect(spire).toMatchObject({ provider_ods: 'NT3', postcode: 'WR5 3YB' });
    expect(spire.latitude).toBeCloseTo(52.1811, 3);
    expect(await db.selectFrom('providers').select('name').where('ods_code', '=', 'NT3').executeTakeFirst()).toEqual({ name: 'Spire Healthcare' });
    // Only independent organisations' sites: no NHS trust is a provider.
    expect(await db.selectFrom('providers').select('ods_code').where('ods_code', 'not like', 'N%').execute()).toEqual([]);
    expect(await db.selectFrom('treatment_functions').selectAll().where('code', '=', '110').executeTakeFirst()).toEqual({
      code: '110',
      name: 'Trauma and Orthopaedic Service',
      rtt_group: 'C_110',
    });
  });

  it('reads the OPCS-4 hierarchy despite its unquoted commas, and maps procedures to priced HRGs', async () => {
    const db = database.db;
    expect(await db.selectFrom('procedures').selectAll().where('code', '=', 'W37.1').executeTakeFirst()).toEqual({
      code: 'W37.1',
      name: 'Primary total prosthetic replacement of hip joint using cement',
      chapter: 'W Other Bones and Joints',
      selectable: true,
      hrg_code: 'HN12F',
    });
    const cholecystectomy = await db.selectFrom('procedures').selectAll().where('code', '=', 'J18.3').executeTakeFirstOrThrow();
    expect(cholecystectomy.chapter).toBe('J Other Abdominal Organs, Principally Digestive');
    const hip = await db.selectFrom('prices').selectAll().where('hrg_code', '=', 'HN12F').executeTakeFirstOrThrow();
    expect(hip).toMatchObject({ unit_price_pence: 725_100, effective_from: '2025-04-01', effective_to: '2026-04-01' });
    const cataract = await db.selectFrom('prices').selectAll().where('hrg_code', '=', 'BZ34C').executeTakeFirstOrThrow();
    expect(cataract).toMatchObject({ unit_price_pence: 121_800, effective_from: '2018-04-01' });
  });

  it('reads deprivation by LSOA and the postcode districts', async () => {
    const db = database.db;
    expect(await db.selectFrom('lsoas').selectAll().where('code', '=', 'E01000001').executeTakeFirst()).toEqual({
      code: 'E01000001',
      name: 'City of London 001A',
      local_authority: 'City of London',
      imd_rank: 29_199,
      imd_decile: 9,
    });
    const le1 = await db.selectFrom('postcode_districts').selectAll().where('outcode', '=', 'LE1').executeTakeFirstOrThrow();
    expect(le1.latitude).toBeCloseTo(52.63, 1);
  });

  it('takes delivered activity from the RTT extract: completed pathways per trust and treatment function', async () => {
    const rwe = await database.db
      .selectFrom('activity')
      .selectAll()
      .where('trust_ods', '=', 'RWE')
      .where('treatment_function_code', '=', '110')
      .executeTakeFirstOrThrow();
    // Part_1A + Part_1B "Total All" for RWE, C_110, April 2026.
    expect(rwe).toEqual({ trust_ods: 'RWE', treatment_function_code: '110', month: '2026-04-01', delivered_volume: 1_169 });
  });

  it('changes nothing when the same files are imported again', { timeout: 120_000 }, async () => {
    for (const [kind, format, file] of REAL_FILES) {
      const report = await importReal(kind, format, file);
      expect({ kind, format, inserted: report.inserted, updated: report.updated }).toEqual({ kind, format, inserted: 0, updated: 0 });
      expect(report.unchanged).toBe(report.rowsRead);
    }
  });
});

describe('the RTT extract', () => {
  it('totals 7,123,980 incomplete pathways nationally in April 2026, zipped or derived', { timeout: 60_000 }, async () => {
    const total = async (file: string) => {
      let sum = 0;
      for await (const row of rttRows(openReferenceData(file))) {
        if (row.part === 'Part_2' && row.treatmentFunction === 'C_999') sum += row.totalAll;
      }
      return sum;
    };
    expect(await total('rtt/20260430-RTT-April-2026-full-extract.csv.zip')).toBe(7_123_980);
    expect(await total('rtt/rtt_2026-04_part2_incomplete_by_provider_tfc.csv')).toBe(7_123_980);
  });
});
