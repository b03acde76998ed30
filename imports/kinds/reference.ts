/**
 * The reference-data kinds: regions, trusts, IS sites (with their providers), treatment functions,
 * OPCS-4 procedures and their HRG, prices, market forces factors, postcode districts and LSOAs.
 */
import type { FieldReader } from '../fields';
import { column, HRG, LSOA, ODS_CODE, OPCS4, POSTCODE, TREATMENT_FUNCTION } from '../rules';
import { knownCodes, knownTrusts, upsertFromStaging, upsertKind } from '../upsert';
import type { ImportSession } from '../types';
import { duplicateKeys } from '../upsert';


const odsCode = (fields: FieldReader, field: string, options: { required?: boolean; known?: ReadonlySet<string>; knownAs?: string } = {}) =>
  fields.code(field, { ...ODS_CODE, ...options });

const postcode = (fields: FieldReader, field: string) => fields.code(field, POSTCODE);

/** Latitude and longitude come as a pair within Great Britain and Northern Ireland, or not at all. */
function location(fields: FieldReader) {
  const latitude = fields.decimal('latitude', { min: 49, max: 61, places: 20 });
  const longitude = fields.decimal('longitude', { min: -9, max: 3, places: 20 });
  if ((latitude === null) !== (longitude === null) && !fields.problems.some((p) => p.field === 'latitude' || p.field === 'longitude')) {
    fields.problem(latitude === null ? 'latitude' : 'longitude', 'is required when the other coordinate is given');
  }
  return { latitude: latitude === null ? null : Number(latitude), longitude: longitude === null ? null : Number(longitude) };
}

const noContext = async () => undefined;

export const regions = upsertKind({
  name: 'regions',
  title: 'NHS England regions',
  description: 'The regions that launch campaigns and own trusts.',
  columns: [column('code', true, 'ODS code of the region', 'Y60'), column('name', true, 'name of the region', 'Midlands')],
  table: 'regions',
  key: ['code'],
  staging: [
    ['code', 'text'],
    ['name', 'text'],
  ],
  loadContext: noContext,
  read: (fields) => ({ code: odsCode(fields, 'code', { required: true }), name: fields.text('name', { required: true, max: 200 }) }),
});

export const trusts = upsertKind({
  name: 'trusts',
  title: 'NHS trusts',
  description: 'Trusts whose waiting lists campaigns draw on. A region must be imported first.',
  columns: [
    column('ods_code', true, 'ODS code of the trust', 'RWE'),
    column('name', true, 'name of the trust', 'University Hospitals of Leicester NHS Trust'),
    column('region_code', true, 'ODS code of its NHS England region', 'Y60'),
    column('postcode', false, 'postcode of its headquarters', 'LE1 5WW'),
    column('latitude', false, 'latitude of its main site (WGS84)', '52.6269'),
    column('longitude', false, 'longitude of its main site (WGS84)', '-1.1364'),
  ],
  table: 'trusts',
  key: ['ods_code'],
  staging: [
    ['ods_code', 'text'],
    ['name', 'text'],
    ['region_code', 'text'],
    ['postcode', 'text'],
    ['latitude', 'double precision'],
    ['longitude', 'double precision'],
  ],
  loadContext: async (session) => ({ regions: await knownCodes(session, 'regions', 'code') }),
  read: (fields, context) => ({
    ods_code: odsCode(fields, 'ods_code', { required: true }),
    name: fields.text('name', { required: true, max: 200 }),
    region_code: odsCode(fields, 'region_code', { required: true, known: context.regions, knownAs: 'region (import regions first)' }),
    postcode: postcode(fields, 'postcode'),
    ...location(fields),
  }),
});

const siteKind = upsertKind({
  name: 'sites',
  title: 'Independent-sector providers and their sites',
  description: 'Each row is a site; its provider is created or renamed from provider_ods and provider_name.',
  columns: [
    column('ods_code', true, 'ODS site code', 'NT301'),
    column('name', true, 'name of the site', 'Spire South Bank Hospital'),
    column('provider_ods', true, 'ODS code of the provider organisation', 'NT3'),
    column('provider_name', true, 'name of the provider organisation', 'Spire Healthcare'),
    column('postcode', false, 'postcode of the site', 'WR5 3YB'),
    column('latitude', false, 'latitude (WGS84); needed for the site to be offered', '52.18109'),
    column('longitude', false, 'longitude (WGS84)', '-2.21623'),
  ],
  table: 'sites',
  key: ['ods_code'],
  staging: [
    ['ods_code', 'text'],
    ['provider_ods', 'text'],
    ['name', 'text'],
    ['postcode', 'text'],
    ['latitude', 'double precision'],
    ['longitude', 'double precision'],
    ['provider_name', 'text'],
  ],
  loadContext: noContext,
  read: (fields) => ({
    ods_code: odsCode(fields, 'ods_code', { required: true }),
    provider_ods: odsCode(fields, 'provider_ods', { required: true }),
    name: fields.text('name', { required: true, max: 200 }),
    postcode: postcode(fields, 'postcode'),
    ...location(fields),
    provider_name: fields.text('provider_name', { required: true, max: 200 }),
  }),
});

export const sites: typeof siteKind = {
  ...siteKind,
  async checkStaged(session) {
    const { rows } = await session.query<{ row_number: number; provider_ods: string }>(
      `select row_number, provider_ods from import_staging
       where provider_ods in (select provider_ods from import_staging group by provider_ods having count(distinct provider_name) > 1)
       order by row_number`,
    );
    return [
      ...(await duplicateKeys(session, ['ods_code'], 'ods_code')),
      ...rows.map((row) => ({ row: row.row_number, field: 'provider_name', value: row.provider_ods, reason: 'the same provider has different names in the file' })),
    ];
  },
  async merge(session) {
    await upsertFromStaging(session, {
      table: 'providers',
      columns: ['ods_code', 'name'],
      key: ['ods_code'],
      select: 'select distinct provider_ods as ods_code, provider_name as name from import_staging',
    });
    return upsertFromStaging(session, {
      table: 'sites',
      columns: ['ods_code', 'provider_ods', 'name', 'postcode', 'latitude', 'longitude'],
      key: ['ods_code'],
    });
  },
};

export const treatmentFunctions = upsertKind({
  name: 'treatment-functions',
  title: 'Treatment functions',
  description: 'NHS Data Dictionary treatment function codes, with the RTT reporting group each falls in.',
  columns: [
    column('code', true, 'three-digit treatment function code', '110'),
    column('name', true, 'name', 'Trauma and Orthopaedic Service'),
    column('rtt_group', false, 'RTT reporting group (C_110, X05…)', 'C_110'),
  ],
  table: 'treatment_functions',
  key: ['code'],
  staging: [
    ['code', 'text'],
    ['name', 'text'],
    ['rtt_group', 'text'],
  ],
  loadContext: noContext,
  read: (fields) => ({
    code: fields.code('code', { ...TREATMENT_FUNCTION, required: true }),
    name: fields.text('name', { required: true, max: 200 }),
    rtt_group: fields.code('rtt_group', { valid: (value) => /^(C_[0-9]{3}|X0[0-9])$/.test(value), format: 'an RTT group such as C_110 or X05' }),
  }),
});

const opcs4 = (fields: FieldReader, field: string, options: { required?: boolean; known?: ReadonlySet<string> } = {}) =>
  fields.code(field, { ...OPCS4, knownAs: 'OPCS-4 code', ...options });

export const procedures = upsertKind({
  name: 'procedures',
  title: 'OPCS-4 procedures',
  description: 'The OPCS-4 classification (four-character codes). Their HRGs come with the procedure-hrgs kind.',
  columns: [
    column('code', true, 'OPCS-4 code', 'W37.1'),
    column('name', true, 'title', 'Primary total prosthetic replacement of hip joint using cement'),
    column('chapter', true, 'chapter letter and name', 'W Other Bones and Joints'),
    column('selectable', false, 'whether the code can be recorded (default yes)', 'yes'),
  ],
  table: 'procedures',
  key: ['code'],
  staging: [
    ['code', 'text'],
    ['name', 'text'],
    ['chapter', 'text'],
    ['selectable', 'boolean'],
  ],
  loadContext: noContext,
  read: (fields) => ({
    code: opcs4(fields, 'code', { required: true }),
    name: fields.text('name', { required: true, max: 300 }),
    chapter: fields.text('chapter', { required: true, max: 200 }),
    selectable: fields.boolean('selectable', { default: true }),
  }),
});

const procedureHrgKind = upsertKind({
  name: 'procedure-hrgs',
  title: 'OPCS-4 to HRG mapping',
  description: 'The HRG each procedure groups to, which prices it. Procedures and HRGs (with prices) must be imported first.',
  columns: [
    column('opcs4_code', true, 'OPCS-4 code', 'W37.1'),
    column('hrg_code', true, 'HRG code', 'HN12F'),
    column('treatment_function_code', false, 'specialty that usually performs it (documentation only)', '110'),
    column('procedure_name', false, 'plain-English name (documentation only)', 'Primary hip replacement (cemented)'),
  ],
  table: 'procedures',
  key: ['opcs4_code'],
  staging: [
    ['opcs4_code', 'text'],
    ['hrg_code', 'text'],
  ],
  loadContext: async (session) => ({ procedures: await knownCodes(session, 'procedures', 'code'), hrgs: await knownCodes(session, 'hrgs', 'code') }),
  read: (fields, context) => ({
    opcs4_code: opcs4(fields, 'opcs4_code', { required: true, known: context.procedures }),
    hrg_code: fields.code('hrg_code', { ...HRG, required: true, known: context.hrgs, knownAs: 'HRG (import its price first)' }),
  }),
});

export const procedureHrgs: typeof procedureHrgKind = {
  ...procedureHrgKind,
  async merge(session) {
    const { rows } = await session.query<{ staged: number; updated: number }>(
      `with updated as (
         update procedures set hrg_code = import_staging.hrg_code from import_staging
         where procedures.code = import_staging.opcs4_code and procedures.hrg_code is distinct from import_staging.hrg_code
         returning 1)
       select (select count(*) from import_staging)::int as staged, (select count(*) from updated)::int as updated`,
    );
    const { staged, updated } = rows[0]!;
    return { inserted: 0, updated, unchanged: staged - updated };
  },
};

const hrgCode = (fields: FieldReader, field: string) => fields.code(field, { ...HRG, required: true });

const priceKind = upsertKind({
  name: 'prices',
  title: 'HRG prices',
  description: 'NHS Payment Scheme unit prices by HRG, in pounds, for a period. Periods of one HRG must not overlap.',
  columns: [
    column('hrg_code', true, 'HRG code', 'HN12F'),
    column('hrg_name', true, 'HRG description', 'Very Major Hip Procedures for Non-Trauma with CC Score 0-1'),
    column('unit_price_gbp', true, 'unit price before market forces factor, in pounds', '6125.00'),
    column('effective_from', true, 'first day the price applies', '2025-04-01'),
    column('effective_to', false, 'day after the last day it applies (empty: open-ended)', '2026-04-01'),
    column('source', true, 'where the price comes from', 'NHS Payment Scheme 2025/26'),
  ],
  table: 'prices',
  key: ['hrg_code', 'effective_from'],
  staging: [
    ['hrg_code', 'text'],
    ['unit_price_pence', 'integer'],
    ['effective_from', 'date'],
    ['effective_to', 'date'],
    ['source', 'text'],
    ['hrg_name', 'text'],
  ],
  loadContext: noContext,
  read: (fields) => ({
    hrg_code: hrgCode(fields, 'hrg_code'),
    unit_price_pence: fields.pence('unit_price_gbp', { required: true, min: 1 }),
    ...period(fields),
    source: fields.text('source', { required: true, max: 200 }),
    hrg_name: fields.text('hrg_name', { required: true, max: 300 }),
  }),
});

/** A period [effective_from, effective_to): from is required, to may be open, and must come after from. */
function period(fields: FieldReader) {
  const effectiveFrom = fields.date('effective_from', { required: true });
  const effectiveTo = fields.date('effective_to');
  if (effectiveFrom && effectiveTo && effectiveTo <= effectiveFrom) fields.problem('effective_to', 'must be after effective_from');
  return { effective_from: effectiveFrom, effective_to: effectiveTo };
}

/** Periods that overlap another period of the same HRG or provider, in the file or already stored. */
async function overlappingPeriods(session: ImportSession, table: string, key: string, field: string) {
  const { rows } = await session.query<{ row_number: number; value: string; reason: string }>(
    `select s.row_number, s.${key} || ' from ' || s.effective_from as value,
            'overlaps ' || coalesce('row ' || o.row_number, 'the stored period from ' || t.effective_from) as reason
     from import_staging s
     left join import_staging o on o.${key} = s.${key} and o.row_number < s.row_number
       and daterange(o.effective_from, o.effective_to) && daterange(s.effective_from, s.effective_to)
     left join ${table} t on o.row_number is null and t.${key} = s.${key} and t.effective_from <> s.effective_from
       and daterange(t.effective_from, t.effective_to) && daterange(s.effective_from, s.effective_to)
       and not exists (select 1 from import_staging r where r.${key} = t.${key} and r.effective_from = t.effective_from)
     where o.row_number is not null or t.${key} is not null
     order by s.row_number`,
  );
  return rows.map((row) => ({ row: row.row_number, field, value: row.value, reason: `the period ${row.reason}` }));
}

export const prices: typeof priceKind = {
  ...priceKind,
  async checkStaged(session) {
    return [...(await duplicateKeys(session, ['hrg_code', 'effective_from'], 'hrg_code + effective_from')), ...(await overlappingPeriods(session, 'prices', 'hrg_code', 'effective_from'))];
  },
  async merge(session) {
    await upsertFromStaging(session, {
      table: 'hrgs',
      columns: ['code', 'name'],
      key: ['code'],
      select: 'select distinct on (hrg_code) hrg_code as code, hrg_name as name from import_staging order by hrg_code, row_number desc',
    });
    return upsertFromStaging(session, {
      table: 'prices',
      columns: ['hrg_code', 'unit_price_pence', 'effective_from', 'effective_to', 'source'],
      key: ['hrg_code', 'effective_from'],
    });
  },
};

const mffKind = upsertKind({
  name: 'market-forces-factors',
  title: 'Market forces factors',
  description: "Each IS provider's market forces factor for a period; a claim's price is the HRG price times it.",
  columns: [
    column('provider_ods', true, 'ODS code of the provider organisation', 'NT3'),
    column('factor', true, 'the factor, e.g. 1.00000 (5 decimal places at most)', '1.02347'),
    column('effective_from', true, 'first day it applies', '2025-04-01'),
    column('effective_to', false, 'day after the last day it applies (empty: open-ended)', '2026-04-01'),
    column('source', true, 'where it comes from', 'NHS Payment Scheme 2025/26 MFF'),
  ],
  table: 'market_forces_factors',
  key: ['provider_ods', 'effective_from'],
  staging: [
    ['provider_ods', 'text'],
    ['factor', 'numeric(7, 5)'],
    ['effective_from', 'date'],
    ['effective_to', 'date'],
    ['source', 'text'],
  ],
  loadContext: async (session) => ({ providers: await knownCodes(session, 'providers', 'ods_code') }),
  read: (fields, context) => ({
    provider_ods: odsCode(fields, 'provider_ods', { required: true, known: context.providers, knownAs: 'provider (import sites first)' }),
    factor: fields.decimal('factor', { required: true, min: 0.5, max: 2, places: 5 }),
    ...period(fields),
    source: fields.text('source', { required: true, max: 200 }),
  }),
});

export const marketForcesFactors: typeof mffKind = {
  ...mffKind,
  async checkStaged(session) {
    return [
      ...(await duplicateKeys(session, ['provider_ods', 'effective_from'], 'provider_ods + effective_from')),
      ...(await overlappingPeriods(session, 'market_forces_factors', 'provider_ods', 'effective_from')),
    ];
  },
};

export const postcodeDistricts = upsertKind({
  name: 'postcode-districts',
  title: 'Postcode districts',
  description: "Centroids of postcode districts (outward codes): a patient's distance to a site is measured from theirs.",
  columns: [
    column('outcode', true, 'outward code', 'LE1'),
    column('latitude', true, 'latitude of the centroid', '52.6348'),
    column('longitude', true, 'longitude of the centroid', '-1.1305'),
  ],
  table: 'postcode_districts',
  key: ['outcode'],
  staging: [
    ['outcode', 'text'],
    ['latitude', 'double precision'],
    ['longitude', 'double precision'],
  ],
  loadContext: noContext,
  read: (fields) => {
    const latitude = fields.decimal('latitude', { required: true, min: 49, max: 61, places: 20 });
    const longitude = fields.decimal('longitude', { required: true, min: -9, max: 3, places: 20 });
    return {
      outcode: fields.code('outcode', {
        required: true,
        normalise: (value) => value.toUpperCase().replace(/\s/g, ''),
        valid: (value) => /^[A-Z]{1,2}[0-9][A-Z0-9]?$/.test(value),
        format: 'a postcode district such as LE1 or SW1A',
      }),
      latitude: latitude === null ? null : Number(latitude),
      longitude: longitude === null ? null : Number(longitude),
    };
  },
});

export const lsoas = upsertKind({
  name: 'lsoas',
  title: 'LSOAs with their deprivation',
  description: 'Lower-layer super output areas (2011) with the English Index of Multiple Deprivation 2019 rank and decile (1 = most deprived).',
  columns: [
    column('code', true, 'LSOA 2011 code', 'E01000001'),
    column('name', true, 'LSOA name', 'City of London 001A'),
    column('local_authority', true, 'local authority district name', 'City of London'),
    column('imd_rank', true, 'IMD 2019 rank (1 = most deprived)', '29199'),
    column('imd_decile', true, 'IMD 2019 decile (1 = most deprived 10%)', '9'),
  ],
  table: 'lsoas',
  key: ['code'],
  staging: [
    ['code', 'text'],
    ['name', 'text'],
    ['local_authority', 'text'],
    ['imd_rank', 'integer'],
    ['imd_decile', 'integer'],
  ],
  loadContext: noContext,
  read: (fields) => ({
    code: fields.code('code', { ...LSOA, required: true }),
    name: fields.text('name', { required: true, max: 200 }),
    local_authority: fields.text('local_authority', { required: true, max: 200 }),
    imd_rank: fields.integer('imd_rank', { required: true, min: 1, max: 40_000 }),
    imd_decile: fields.integer('imd_decile', { required: true, min: 1, max: 10 }),
  }),
});

function volumeKind(name: 'contracts' | 'activity', volumeColumn: 'contracted_volume' | 'delivered_volume', title: string, description: string) {
  return upsertKind({
    name,
    title,
    description,
    columns: [
      column('trust_ods', true, 'ODS code of the trust', 'RWE'),
      column('treatment_function_code', true, 'treatment function code', '110'),
      column('month', true, 'month, YYYY-MM', '2026-04'),
      column(volumeColumn, true, 'number of completed pathways (admitted and non-admitted)', '1250'),
    ],
    table: name,
    key: ['trust_ods', 'treatment_function_code', 'month'],
    staging: [
      ['trust_ods', 'text'],
      ['treatment_function_code', 'text'],
      ['month', 'date'],
      [volumeColumn, 'integer'],
    ],
    loadContext: async (session, scope) => ({
      trusts: await knownTrusts(session, scope),
      treatmentFunctions: await knownCodes(session, 'treatment_functions', 'code'),
    }),
    read: (fields, context) => ({
      trust_ods: odsCode(fields, 'trust_ods', { required: true, known: context.trusts, knownAs: 'trust (in your scope)' }),
      treatment_function_code: fields.code('treatment_function_code', {
        ...TREATMENT_FUNCTION,
        required: true,
        known: context.treatmentFunctions,
        knownAs: 'treatment function',
      }),
      month: fields.month('month', { required: true }),
      [volumeColumn]: fields.integer(volumeColumn, { required: true, min: 0, max: 10_000_000 }),
    }),
  });
}

export const contracts = volumeKind('contracts', 'contracted_volume', 'Contracted volumes', "Each trust's contracted elective volume per treatment function and month.");
export const activity = volumeKind('activity', 'delivered_volume', 'Delivered activity', 'Elective volume each trust delivered per treatment function and month.');
