/**
 * Readers for the official NHS files as they are published, each turning the file's own layout into
 * the records of one import kind. What a file holds that this service does not serve (closed trusts,
 * Welsh trusts, NHS-run sites in the hospitals file) is left out, as each reader says.
 */
import type { Readable } from 'node:stream';
import { csvRows } from '../csv';
import type { SourceRecord } from '../types';
import { UnreadableInputError } from '../types';
import { unzipIfZipped } from './zip';

/** Rows of a CSV as arrays of fields, with their row number (the first line is row 1). */
async function* rows(input: Readable): AsyncGenerator<{ row: number; fields: string[] }> {
  let row = 0;
  for await (const fields of csvRows(await unzipIfZipped(input))) yield { row: ++row, fields: fields.map((field) => field.trim()) };
}

/** Rows of a CSV with a header, as objects keyed by the header's names, which must include `required`. */
async function* headedRows(input: Readable, required: readonly string[]): AsyncGenerator<{ row: number; get: (name: string) => string }> {
  let index: Map<string, number> | undefined;
  for await (const { row, fields } of rows(input)) {
    if (!index) {
      index = new Map(fields.map((name, position) => [name.trim(), position]));
      const missing = required.filter((name) => !index!.has(name));
      if (missing.length) {
        throw new UnreadableInputError(
          missing.map((name) => ({ row: 1, field: name, value: '', reason: 'column of the official layout is missing: is this the right file and format?' })),
        );
      }
      continue;
    }
    const positions = index;
    yield { row, get: (name) => (fields[positions.get(name)!] ?? '').trim() };
  }
}

const record = (row: number, values: Record<string, string>): SourceRecord => ({ row, values });

/** NHS names are published in capitals: "UNIVERSITY HOSPITALS OF LEICESTER NHS TRUST" → "University Hospitals of Leicester NHS Trust". */
export function nhsTitleCase(name: string): string {
  const small = new Set(['of', 'and', 'the', 'for', 'in', 'on', 'at', 'by', 'with']);
  const keep = new Set(['NHS', 'UK', 'ICB', 'CIC', 'LLP', 'PLC', 'BMI', 'ENT', 'NHSFT']);
  return name
    .toLowerCase()
    .split(/(\s+|-|\/)/)
    .map((word, index) => {
      if (keep.has(word.toUpperCase())) return word.toUpperCase();
      if (index > 0 && small.has(word)) return word;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join('');
}

/**
 * ODS `etr.csv` (NHS trusts; no header, 27 columns). Closed trusts, and trusts with no NHS England
 * region (the Welsh ones), are not trusts this service serves and are left out.
 */
export async function* etrTrusts(input: Readable): AsyncGenerator<SourceRecord> {
  for await (const { row, fields } of rows(input)) {
    if (fields.length < 12) {
      throw new UnreadableInputError([{ row, field: '(row)', value: fields.join(','), reason: `etr rows have 27 columns, this one has ${fields.length}` }]);
    }
    const [code, name, region, , , , , , , postcode, , closeDate] = fields.map((field) => field.trim());
    if (closeDate || !region) continue;
    yield record(row, { ods_code: code!, name: nhsTitleCase(name!), region_code: region, postcode: postcode! });
  }
}

/**
 * The NHS.uk "Hospital" organisation file. Independent-sector sites of independent organisations (ODS
 * codes starting N) become IS sites with their provider; NHS sites and NHS-run "independent" ones are left out.
 */
export async function* nhsukHospitalSites(input: Readable): AsyncGenerator<SourceRecord> {
  const required = ['OrganisationCode', 'OrganisationName', 'Sector', 'Postcode', 'Latitude', 'Longitude', 'ParentODSCode', 'ParentName'];
  for await (const { row, get } of headedRows(input, required)) {
    if (get('Sector') !== 'Independent Sector' || !get('ParentODSCode').startsWith('N')) continue;
    yield record(row, {
      ods_code: get('OrganisationCode'),
      name: get('OrganisationName'),
      provider_ods: get('ParentODSCode'),
      provider_name: get('ParentName'),
      postcode: get('Postcode'),
      latitude: get('Latitude'),
      longitude: get('Longitude'),
    });
  }
}

/** RTT reports these treatment functions on their own (C_xxx); every other code falls in an X0n group. */
export const RTT_NAMED_TREATMENT_FUNCTIONS = new Set([
  '100', '101', '110', '120', '130', '140', '150', '160', '170', '300', '301', '320', '330', '340', '400', '410', '430', '502',
]);

/** NHS Data Dictionary treatment function codes (`Code,Service`). */
export async function* dataDictionaryTreatmentFunctions(input: Readable): AsyncGenerator<SourceRecord> {
  for await (const { row, get } of headedRows(input, ['Code', 'Service'])) {
    const code = get('Code');
    yield record(row, { code, name: nhsTitleCase(get('Service')), rtt_group: RTT_NAMED_TREATMENT_FUNCTIONS.has(code) ? `C_${code}` : '' });
  }
}

/**
 * The OPCS-4 hierarchy (chapter, 3- and 4-character codes). Its names are published with unquoted
 * commas, so fields are found by shape rather than position; only 4-character codes are procedures.
 */
export async function* opcs4Procedures(input: Readable): AsyncGenerator<SourceRecord> {
  let header = true;
  for await (const { row, fields } of rows(input)) {
    if (header) {
      header = false;
      if (fields[0] !== 'code_1digit') {
        throw new UnreadableInputError([{ row: 1, field: 'code_1digit', value: fields[0] ?? '', reason: 'not the OPCS-4 hierarchy layout' }]);
      }
      continue;
    }
    const chapter = fields[0] ?? '';
    if (!/^[A-Z]$/.test(chapter)) continue; // the closing "NA" row
    const chapterEnd = fields.findIndex((field, index) => index > 0 && (field === chapter || /^[A-Z][0-9]{2}$/.test(field)));
    const codeAt = fields.findIndex((field) => /^[A-Z][0-9]{3}$/.test(field));
    if (codeAt === -1) continue; // a chapter or 3-character row
    const code = fields[codeAt]!;
    // Fields arrive trimmed, so the comma a name was split at is put back with its space.
    const title = fields.slice(codeAt + 1, fields.length - 3).join(', ');
    yield record(row, {
      code,
      name: title.replace(/^[A-Z][0-9]{2}\.[0-9]\s+/, ''),
      chapter: `${chapter} ${fields.slice(1, chapterEnd).join(', ')}`,
      selectable: fields.at(-1) === 'Y' ? 'yes' : 'no',
    });
  }
}

/** The 2025/26 NHS Payment Scheme HRG prices (combined day case / elective price, before MFF). */
export async function* nhsps2025Prices(input: Readable): AsyncGenerator<SourceRecord> {
  for await (const { row, get } of headedRows(input, ['hrg_code', 'hrg_name', 'elective_combined_dc_el_price_gbp'])) {
    yield record(row, {
      hrg_code: get('hrg_code'),
      hrg_name: get('hrg_name'),
      unit_price_gbp: get('elective_combined_dc_el_price_gbp'),
      effective_from: '2025-04-01',
      effective_to: '2026-04-01',
      source: 'NHS Payment Scheme 2025/26 (third-party extraction, unverified)',
    });
  }
}

/** The National Cost Collection 2018/19 schedule: national average unit costs by HRG — costs, not prices. */
export async function* ncc2018Costs(input: Readable): AsyncGenerator<SourceRecord> {
  for await (const { row, get } of headedRows(input, ['Currency_Code', 'Currency_Description', 'National_Average_Unit_Cost'])) {
    yield record(row, {
      hrg_code: get('Currency_Code'),
      hrg_name: get('Currency_Description'),
      unit_price_gbp: get('National_Average_Unit_Cost'),
      effective_from: '2018-04-01',
      effective_to: '2019-04-01',
      source: 'National Cost Collection 2018/19 national average unit cost',
    });
  }
}

/** English Indices of Deprivation 2019, File 1 (LSOA rank and decile). */
export async function* imd2019Lsoas(input: Readable): AsyncGenerator<SourceRecord> {
  const columns = [
    'LSOA code (2011)',
    'LSOA name (2011)',
    'Local Authority District name (2019)',
    'Index of Multiple Deprivation (IMD) Rank',
    'Index of Multiple Deprivation (IMD) Decile',
  ];
  for await (const { row, get } of headedRows(input, columns)) {
    yield record(row, {
      code: get(columns[0]!),
      name: get(columns[1]!),
      local_authority: get(columns[2]!),
      imd_rank: get(columns[3]!).replace(/,/g, ''),
      imd_decile: get(columns[4]!),
    });
  }
}

export interface RttRow {
  readonly row: number;
  /** First day of the month reported, e.g. 2026-04-01. */
  readonly month: string;
  readonly providerCode: string;
  readonly part: string;
  /** C_110, X05, C_999 (total)… */
  readonly treatmentFunction: string;
  /** Pathways by completed weeks waited: [0] is 0–1 weeks, [104] is over 104 weeks. */
  readonly weeks: readonly number[];
  readonly totalAll: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "RTT-April-2026" → "2026-04-01". */
export function rttPeriodMonth(period: string): string | undefined {
  const match = /^RTT-([A-Za-z]+)-([0-9]{4})$/.exec(period.trim());
  const month = match ? MONTHS.indexOf(match[1]!.toLowerCase()) : -1;
  return match && month >= 0 ? `${match[2]}-${String(month + 1).padStart(2, '0')}-01` : undefined;
}

/**
 * The RTT full CSV extract (zipped or not), or the per-provider files derived from it: one row per
 * provider × commissioner (or summed) × part × treatment function, with 105 week bands.
 */
export async function* rttRows(input: Readable): AsyncGenerator<RttRow> {
  let weekColumns: string[] | undefined;
  const required = ['Period', 'Provider Org Code', 'RTT Part Type', 'Treatment Function Code', 'Total All'];
  for await (const { row, get } of headedRows(input, required)) {
    weekColumns ??= Array.from({ length: 105 }, (_, index) => (index < 104 ? `Gt ${String(index).padStart(2, '0')} To ${String(index + 1).padStart(2, '0')} Weeks SUM 1` : 'Gt 104 Weeks SUM 1'));
    const month = rttPeriodMonth(get('Period'));
    if (!month) throw new UnreadableInputError([{ row, field: 'Period', value: get('Period'), reason: 'is not an RTT period such as RTT-April-2026' }]);
    yield {
      row,
      month,
      providerCode: get('Provider Org Code'),
      part: get('RTT Part Type'),
      treatmentFunction: get('Treatment Function Code'),
      weeks: weekColumns.map((column) => Number(get(column) || 0)),
      totalAll: Number(get('Total All') || 0),
    };
  }
}

/**
 * Delivered activity from RTT: completed pathways (Part_1A admitted + Part_1B non-admitted) per trust,
 * treatment function and month, summed over commissioners. Only providers that are known trusts are
 * kept (the extract also reports IS providers and others), and only the named treatment functions.
 */
export async function* rttActivity(input: Readable, knownTrusts: ReadonlySet<string>): AsyncGenerator<SourceRecord> {
  const totals = new Map<string, { row: number; trust: string; code: string; month: string; volume: number }>();
  for await (const rtt of rttRows(input)) {
    if (rtt.part !== 'Part_1A' && rtt.part !== 'Part_1B') continue;
    const code = rtt.treatmentFunction.replace(/^C_/, '');
    if (!knownTrusts.has(rtt.providerCode) || !RTT_NAMED_TREATMENT_FUNCTIONS.has(code)) continue;
    const key = `${rtt.providerCode}|${code}|${rtt.month}`;
    const total = totals.get(key) ?? { row: rtt.row, trust: rtt.providerCode, code, month: rtt.month, volume: 0 };
    total.volume += rtt.totalAll;
    totals.set(key, total);
  }
  for (const total of totals.values()) {
    yield record(total.row, {
      trust_ods: total.trust,
      treatment_function_code: total.code,
      month: total.month.slice(0, 7),
      delivered_volume: String(total.volume),
    });
  }
}
