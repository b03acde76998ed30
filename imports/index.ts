/**
 * Every import kind and every format it can be read from. A kind is what lands in the database; a
 * format is how a file lays it out: the documented CSV layout of the kind, an official NHS file, or
 * (for pathways) a FHIR R4 Bundle.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../db/database';
import { csvRecords } from './csv';
import { fhirPathwayRecords } from './formats/fhir';
import {
  dataDictionaryTreatmentFunctions,
  etrTrusts,
  imd2019Lsoas,
  ncc2018Costs,
  nhsps2025Prices,
  nhsukHospitalSites,
  opcs4Procedures,
  rttActivity,
} from './formats/official';
import { capacity } from './kinds/capacity';
import { exclusionCriteria } from './kinds/exclusion-criteria';
import { pathways } from './kinds/pathways';
import {
  activity,
  contracts,
  lsoas,
  marketForcesFactors,
  postcodeDistricts,
  prices,
  procedureHrgs,
  procedures,
  regions,
  sites,
  treatmentFunctions,
  trusts,
} from './kinds/reference';
import { type ImportReport, runImport } from './runner';
import type { AnyImportKind, ImportScope, SourceRecord } from './types';

/** In the order a fresh database can take them: each kind's references come earlier. */
export const IMPORT_KINDS: readonly AnyImportKind[] = [
  regions,
  trusts,
  sites,
  treatmentFunctions,
  procedures,
  prices,
  procedureHrgs,
  marketForcesFactors,
  exclusionCriteria,
  postcodeDistricts,
  lsoas,
  contracts,
  activity,
  pathways,
  capacity,
];

export interface FormatContext {
  readonly db: Db;
  /** FHIR: the trust a ServiceRequest belongs to when it names none. */
  readonly trustOds?: string;
}

export interface ImportFormat {
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  read(input: Readable, context: FormatContext): AsyncIterable<SourceRecord>;
}

const csvFormats: ImportFormat[] = IMPORT_KINDS.map((kind) => ({
  name: 'csv',
  kind: kind.name,
  description: `the documented CSV layout of ${kind.name}, with a header row`,
  read: (input) => csvRecords(input, { columns: kind.columns }),
}));

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  ...csvFormats,
  { name: 'etr', kind: 'trusts', description: 'ODS etr.csv (NHS trusts)', read: (input) => etrTrusts(input) },
  { name: 'nhsuk-hospitals', kind: 'sites', description: 'NHS.uk Hospital.csv (independent-sector sites)', read: (input) => nhsukHospitalSites(input) },
  {
    name: 'data-dictionary',
    kind: 'treatment-functions',
    description: 'NHS Data Dictionary treatment function codes (Code,Service)',
    read: (input) => dataDictionaryTreatmentFunctions(input),
  },
  { name: 'opcs4-hierarchy', kind: 'procedures', description: 'the OPCS-4 code hierarchy', read: (input) => opcs4Procedures(input) },
  { name: 'nhsps-2025-26', kind: 'prices', description: 'NHS Payment Scheme 2025/26 HRG prices', read: (input) => nhsps2025Prices(input) },
  { name: 'ncc-2018-19', kind: 'prices', description: 'National Cost Collection 2018/19 unit costs by HRG', read: (input) => ncc2018Costs(input) },
  { name: 'imd-2019', kind: 'lsoas', description: 'English IMD 2019 File 1 (LSOA rank and decile)', read: (input) => imd2019Lsoas(input) },
  {
    name: 'rtt',
    kind: 'activity',
    description: 'RTT full CSV extract (zipped or not): completed pathways per trust as delivered activity',
    read: async function* (input, context) {
      const trusts = await context.db.selectFrom('trusts').select('ods_code').execute();
      yield* rttActivity(input, new Set(trusts.map((trust) => trust.ods_code)));
    },
  },
  {
    name: 'fhir',
    kind: 'pathways',
    description: 'FHIR R4 Bundle (JSON) of UK Core Patient and ServiceRequest resources',
    read: (input, context) => fhirPathwayRecords(input, { defaultTrustOds: context.trustOds }),
  },
];

export function findKind(name: string): AnyImportKind | undefined {
  return IMPORT_KINDS.find((kind) => kind.name === name);
}

export function findFormat(kind: string, format = 'csv'): ImportFormat | undefined {
  return IMPORT_FORMATS.find((candidate) => candidate.kind === kind && candidate.name === format);
}

export function formatsOf(kind: string): readonly ImportFormat[] {
  return IMPORT_FORMATS.filter((format) => format.kind === kind);
}

export class UnknownImportError extends Error {
  override name = 'UnknownImportError';
}

export interface ImportFileOptions {
  readonly kind: string;
  readonly format?: string;
  readonly input: Readable;
  readonly source: string;
  readonly actor: string;
  readonly scope?: ImportScope;
  readonly trustOds?: string;
  readonly onProgress?: (rowsRead: number) => void;
}

/** Imports one file of a kind in a format, all or nothing; see runImport. */
export async function importFile(db: Db, options: ImportFileOptions): Promise<ImportReport> {
  const kind = findKind(options.kind);
  if (!kind) throw new UnknownImportError(`unknown import kind '${options.kind}'; the kinds are: ${IMPORT_KINDS.map((known) => known.name).join(', ')}`);
  const formatName = options.format ?? 'csv';
  const format = findFormat(kind.name, formatName);
  if (!format) {
    throw new UnknownImportError(`${kind.name} cannot be read as '${formatName}'; its formats are: ${formatsOf(kind.name).map((known) => known.name).join(', ')}`);
  }
  return runImport(db, {
    kind,
    records: format.read(options.input, { db, trustOds: options.trustOds }),
    source: options.source,
    format: format.name,
    actor: options.actor,
    scope: options.scope ?? {},
    onProgress: options.onProgress,
  });
}
