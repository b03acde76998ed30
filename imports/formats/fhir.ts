/**
 * Reads a FHIR R4 JSON Bundle (UK Core) of Patient, ServiceRequest and Organization resources as
 * waiting-list records: one record per active ServiceRequest, keyed by the pathways kind's column
 * names. The reader only maps; codes, NHS numbers and dates are validated by the kind's parse.
 *
 * - "row" means entry number: the 1-based position of the ServiceRequest in Bundle.entry. Problems
 *   about the whole document are on row 0. Problem fields are FHIR paths into the JSON, whose array
 *   indexes are 0-based as in FHIRPath and jq: row 4 is `entry[3]`.
 * - Only ServiceRequests with status `active` are on the waiting list; completed, revoked, draft,
 *   on-hold and entered-in-error ones are skipped, not yielded, and not checked further.
 * - Other resource types are ignored unless a ServiceRequest refers to them.
 *
 * The whole document has to be in memory to resolve references, so it is read up to maxBytes
 * (50 MiB by default). An active ServiceRequest that cannot be read (no status, a subject that is not
 * a Patient of the bundle) is yielded as a rejected record, naming why, like any other bad row. A
 * bundle whose own structure is broken (an entry that is no resource, two entries with one fullUrl,
 * so references are ambiguous) is refused whole: one UnreadableInputError names every problem in it.
 */
import type { Readable } from 'node:stream';
import type { ImportProblem, SourceRecord } from '../types';
import { UnreadableInputError } from '../types';
import { ukMobileOf } from '../../domain/phone';

export interface FhirOptions {
  /** The trust's ODS code when a ServiceRequest names no performer or requester organisation. */
  readonly defaultTrustOds?: string;
  /** The largest document read, in bytes; 50 MiB when not given. */
  readonly maxBytes?: number;
}

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_ORGANIZATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const ETHNIC_CATEGORY_EXTENSION = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory';
export const TREATMENT_FUNCTION_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/NHSDataModelAndDictionary-treatment-function';
export const OPCS4_SYSTEMS: readonly string[] = ['http://terminology.hl7.org/CodeSystem/opcs4', 'https://fhir.hl7.org.uk/Id/opcs-4'];

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/** FHIR request priorities and the waiting-list priority each becomes; absent means routine. */
const PRIORITIES: Readonly<Record<string, string>> = { routine: 'routine', urgent: 'urgent', asap: 'urgent', stat: 'urgent' };

type Json = Record<string, unknown>;

interface Entry {
  /** 0-based index in Bundle.entry. */
  readonly index: number;
  readonly fullUrl: string;
  readonly resource: Json;
}

/** One record per active ServiceRequest of a FHIR R4 JSON Bundle; see the module comment. */
export async function* fhirPathwayRecords(input: Readable, options: FhirOptions = {}): AsyncGenerator<SourceRecord> {
  const text = await readUtf8(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const entries = bundleEntries(text);
  const problem = (index: number, path: string, value: unknown, reason: string): ImportProblem => ({
    row: index + 1,
    field: `entry[${index}]${path}`,
    value: shown(value),
    reason,
  });
  const bundleProblems: ImportProblem[] = [];
  const at = (index: number, path: string, value: unknown, reason: string) => void bundleProblems.push(problem(index, path, value, reason));

  const resolvable: Entry[] = [];
  const byFullUrl = new Map<string, Entry>();
  const byTypeAndId = new Map<string, Entry>();
  for (const [index, raw] of entries.entries()) {
    if (!isObject(raw)) {
      at(index, '', raw, 'the entry is not a JSON object');
      continue;
    }
    const resource = raw.resource;
    if (!isObject(resource) || typeof resource.resourceType !== 'string' || resource.resourceType === '') {
      at(index, isObject(resource) ? '.resource.resourceType' : '.resource', isObject(resource) ? resource.resourceType : resource, 'the entry has no resource with a resourceType');
      continue;
    }
    const entry: Entry = { index, fullUrl: str(raw.fullUrl), resource };
    resolvable.push(entry);
    if (entry.fullUrl) {
      const earlier = byFullUrl.get(entry.fullUrl);
      if (earlier) at(index, '.fullUrl', entry.fullUrl, `the same fullUrl as entry[${earlier.index}]`);
      else byFullUrl.set(entry.fullUrl, entry);
    }
    const id = str(resource.id);
    if (id && (resource.resourceType === 'Patient' || resource.resourceType === 'Organization')) {
      const key = `${resource.resourceType}/${id}`;
      const earlier = byTypeAndId.get(key);
      if (earlier) at(index, '.resource.id', id, `the same ${resource.resourceType} id as entry[${earlier.index}]`);
      else byTypeAndId.set(key, entry);
    }
  }

  /** A reference to a resource in the bundle: by fullUrl, else by type and id (relative or absolute). */
  const resolve = (reference: string): Entry | undefined => {
    const exact = byFullUrl.get(reference);
    if (exact) return exact;
    const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
    return match ? byTypeAndId.get(`${match[1]}/${match[2]}`) : undefined;
  };

  const records: SourceRecord[] = [];
  for (const { index, resource } of resolvable) {
    if (resource.resourceType !== 'ServiceRequest') continue;
    const status = str(resource.status);
    if (status && status !== 'active') continue;
    const rejections: ImportProblem[] = [];
    const reject = (at: number, path: string, value: unknown, reason: string) => void rejections.push(problem(at, path, value, reason));
    const patient = status
      ? subjectPatient(index, resource, resolvable, resolve, reject)
      : reject(index, '.resource.status', resource.status, 'is required: only active ServiceRequests are imported, so the status must say whether this one is');
    records.push(
      patient
        ? { row: index + 1, values: { ...patientValues(patient), ...pathwayValues(resource, resolve, options) } }
        : { row: index + 1, values: {}, problems: rejections },
    );
  }

  if (bundleProblems.length) {
    const all = [...bundleProblems, ...records.flatMap((record) => record.problems ?? [])];
    throw new UnreadableInputError(all.sort((a, b) => a.row - b.row));
  }
  yield* records;
}

/** Reads the stream as strict UTF-8 (a leading BOM dropped), refusing more than maxBytes. */
async function readUtf8(input: Readable, maxBytes: number): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const parts: string[] = [];
  let bytes = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += buffer.length;
      if (bytes > maxBytes) {
        input.destroy();
        throw whole('(file)', '', `the file is larger than ${describeBytes(maxBytes)}: split the bundle`);
      }
      parts.push(decoder.decode(buffer, { stream: true }));
    }
    parts.push(decoder.decode());
  } catch (error) {
    if (error instanceof UnreadableInputError) throw error;
    if (error instanceof TypeError && (error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw whole('(file)', '', `the file is not UTF-8 text; the first bad byte is within its first ${bytes} bytes`);
    }
    throw error;
  }
  return parts.join('');
}

/** The Bundle's entry array, or an UnreadableInputError naming why the document is not a Bundle. */
function bundleEntries(text: string): unknown[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw whole('(file)', text.slice(0, 100), `the file is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(document)) throw whole('resourceType', '', 'the file is not a FHIR resource (a JSON object): expected a Bundle');
  if (document.resourceType !== 'Bundle') {
    const found = typeof document.resourceType === 'string' ? `is ${document.resourceType}` : 'is missing';
    throw whole('resourceType', shown(document.resourceType), `${found}: expected a FHIR Bundle`);
  }
  if (!Array.isArray(document.entry)) throw whole('entry', shown(document.entry), 'the Bundle has no entry array');
  return document.entry;
}

/** The Patient a ServiceRequest is about, or undefined after reporting why it cannot be found. */
function subjectPatient(
  index: number,
  resource: Json,
  entries: readonly Entry[],
  resolve: (reference: string) => Entry | undefined,
  at: (index: number, path: string, value: unknown, reason: string) => void,
): Json | undefined {
  const subject = isObject(resource.subject) ? resource.subject : undefined;
  const reference = str(subject?.reference);
  if (reference) {
    const target = resolve(reference);
    if (!target) {
      at(index, '.resource.subject.reference', reference, 'names no Patient in the bundle (neither Patient/<id> of one nor the fullUrl of an entry)');
      return undefined;
    }
    if (target.resource.resourceType !== 'Patient') {
      at(index, '.resource.subject.reference', reference, `is a ${String(target.resource.resourceType)}, not a Patient`);
      return undefined;
    }
    return target.resource;
  }
  // A logical reference by NHS number, resolved against the bundle's Patients.
  const identifier = isObject(subject?.identifier) ? subject.identifier : undefined;
  const nhsNumber = identifier && str(identifier.system) === NHS_NUMBER_SYSTEM ? str(identifier.value) : '';
  if (nhsNumber) {
    const matches = entries.filter((entry) => entry.resource.resourceType === 'Patient' && patientNhsNumber(entry.resource) === nhsNumber);
    if (matches.length === 1) return matches[0]!.resource;
    at(
      index,
      '.resource.subject.identifier.value',
      nhsNumber,
      matches.length ? 'more than one Patient in the bundle has this NHS number' : 'no Patient in the bundle has this NHS number',
    );
    return undefined;
  }
  at(index, '.resource.subject.reference', '', 'is required: the ServiceRequest must refer to its Patient in the bundle');
  return undefined;
}

function patientNhsNumber(patient: Json): string {
  return str(objects(patient.identifier).find((identifier) => str(identifier.system) === NHS_NUMBER_SYSTEM)?.value);
}

function patientValues(patient: Json): Record<string, string> {
  const names = objects(patient.name);
  const name = names.find((candidate) => candidate.use === 'official') ?? names[0];
  const telecom = objects(patient.telecom);
  const contact = (system: string) => str(telecom.find((point) => point.system === system && str(point.value))?.value);
  const addresses = objects(patient.address);
  const address = addresses.find((candidate) => candidate.use === 'home') ?? addresses.find((candidate) => candidate.use !== 'old') ?? addresses[0];
  const lines = strings(address?.line);
  const ethnicity = objects(patient.extension).find((extension) => extension.url === ETHNIC_CATEGORY_EXTENSION);
  const ethnicCoding = isObject(ethnicity?.valueCodeableConcept) ? objects(ethnicity.valueCodeableConcept.coding)[0] : undefined;
  return {
    nhs_number: patientNhsNumber(patient),
    given_name: strings(name?.given).join(' '),
    family_name: str(name?.family),
    date_of_birth: str(patient.birthDate),
    sex: str(patient.gender),
    ethnic_category: str(ethnicCoding?.code),
    email: contact('email'),
    phone: phoneOf(telecom),
    address_line_1: lines[0] ?? '',
    // Lines beyond the second are kept rather than dropped: letters go to this address.
    address_line_2: lines.slice(1).join(', '),
    town: str(address?.city),
    postcode: str(address?.postalCode),
  };
}

/**
 * The patient's phone: a mobile, which can be sent text messages, before a landline listed first
 * (UK Core records often list a home number, then a mobile). A mobile is one marked `use: mobile`, or
 * one whose number is a UK mobile's; otherwise the first number in use, then any.
 */
function phoneOf(telecom: Json[]): string {
  const phones = telecom.filter((point) => point.system === 'phone' && str(point.value));
  const current = phones.filter((point) => point.use !== 'old');
  const chosen =
    current.find((point) => point.use === 'mobile') ?? current.find((point) => ukMobileOf(str(point.value))) ?? current[0] ?? phones[0];
  return str(chosen?.value);
}

function pathwayValues(resource: Json, resolve: (reference: string) => Entry | undefined, options: FhirOptions): Record<string, string> {
  const identifiers = objects(resource.identifier).filter((identifier) => str(identifier.value));
  const pathwayIdentifier = identifiers.find((identifier) => str(identifier.system).toLowerCase().includes('pathway')) ?? identifiers[0];
  const category = objects(resource.category).flatMap((concept) => objects(concept.coding));
  const code = isObject(resource.code) ? objects(resource.code.coding) : [];
  const occurrence = str(resource.occurrenceDateTime) || (isObject(resource.occurrencePeriod) ? str(resource.occurrencePeriod.start) : '');
  const priority = str(resource.priority);
  return {
    trust_ods: trustOds(resource, resolve) || options.defaultTrustOds || '',
    pathway_ref: str(pathwayIdentifier?.value) || str(resource.id),
    treatment_function_code: str(category.find((coding) => coding.system === TREATMENT_FUNCTION_SYSTEM && str(coding.code))?.code),
    planned_procedure_code: str(code.find((coding) => OPCS4_SYSTEMS.includes(str(coding.system)) && str(coding.code))?.code),
    clock_start_date: str(resource.authoredOn).slice(0, 10),
    // An unknown priority is passed on as it is, for validation to name.
    priority: priority ? (PRIORITIES[priority] ?? priority) : 'routine',
    tertiary: '',
    next_appointment_on: occurrence.slice(0, 10),
  };
}

/**
 * The trust's ODS code: from the performers first (the provider doing the treatment), then the
 * requester; each either carries the ODS identifier inline or refers to an Organization in the
 * bundle that does. References to anything else (a Practitioner, say) are passed over.
 */
function trustOds(resource: Json, resolve: (reference: string) => Entry | undefined): string {
  const candidates = [...objects(resource.performer), ...(isObject(resource.requester) ? [resource.requester] : [])];
  for (const candidate of candidates) {
    const inline = odsCode(isObject(candidate.identifier) ? [candidate.identifier] : []);
    if (inline) return inline;
    const reference = str(candidate.reference);
    const target = reference ? resolve(reference) : undefined;
    if (target?.resource.resourceType === 'Organization') {
      const code = odsCode(objects(target.resource.identifier));
      if (code) return code;
    }
  }
  return '';
}

function odsCode(identifiers: readonly Json[]): string {
  return str(identifiers.find((identifier) => identifier.system === ODS_ORGANIZATION_SYSTEM && str(identifier.value))?.value);
}

function whole(field: string, value: string, reason: string): UnreadableInputError {
  return new UnreadableInputError([{ row: 0, field, value, reason }]);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of a JSON array (FHIR's repeating elements); [] when it is absent or not an array. */
function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A primitive as text, trimmed; '' for anything absent or not a primitive. */
function str(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** A value for a problem report: text as it is, anything else as (shortened) JSON. */
function shown(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
