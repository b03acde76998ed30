/**
 * The FHIR reader. The fixture bundle holds the UK Core examples UKCore-Patient-RichardSmith-Example
 * (entry 2) and UKCore-ServiceRequest-HipReplacement-Example (entry 3) converted from XML to JSON, plus
 * what the import needs that they lack, each tagged `added-for-import` in meta.tag: on the
 * ServiceRequest a pathway identifier, a treatment function category (110), an OPCS-4 coding (W37.1)
 * beside the SNOMED one and an Organization performer; an Organization with ODS code RWE (entry 1); a
 * synthetic Patient and ServiceRequest that refer to each other by urn:uuid fullUrl (entries 4 and 5);
 * and a completed ServiceRequest (entry 6) that must be skipped.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../domain/nhs-number';
import { fhirPathwayRecords } from '../../imports/formats/fhir';
import type { ImportProblem, SourceRecord } from '../../imports/types';
import { UnreadableInputError } from '../../imports/types';

const fixtureText = readFileSync(new URL('../fixtures/fhir/ukcore-hip-bundle.json', import.meta.url), 'utf8');

const stream = (content: string | Buffer, chunks = 1): Readable => {
  const buffer = typeof content === 'string' ? Buffer.from(content) : content;
  const size = Math.ceil(buffer.length / chunks);
  const parts: Buffer[] = [];
  for (let start = 0; start < buffer.length; start += size) parts.push(buffer.subarray(start, start + size));
  return Readable.from(parts);
};

async function read(content: string | Buffer, options?: Parameters<typeof fhirPathwayRecords>[1]): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const record of fhirPathwayRecords(stream(content), options)) records.push(record);
  return records;
}

/** Every problem the reader names: on the records it rejects, and in the error that refuses a bundle whole. */
async function problemsOf(content: string | Buffer, options?: Parameters<typeof fhirPathwayRecords>[1]): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  try {
    for await (const record of fhirPathwayRecords(stream(content), options)) problems.push(...(record.problems ?? []));
  } catch (caught) {
    expect(caught).toBeInstanceOf(UnreadableInputError);
    problems.push(...(caught as UnreadableInputError).problems);
  }
  expect(problems.length).toBeGreaterThan(0);
  return problems;
}

type Resource = Record<string, unknown>;
const bundle = (...entries: Resource[]) => JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: entries });
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';

const patient = (id: string, extra: Resource = {}): Resource => ({
  fullUrl: `https://fhir.example.nhs.uk/Patient/${id}`,
  resource: {
    resourceType: 'Patient',
    id,
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
    name: [{ family: 'Khan', given: ['Amira'] }],
    birthDate: '1961-03-14',
    ...extra,
  },
});

const serviceRequest = (extra: Resource = {}, fullUrl?: string): Resource => ({
  ...(fullUrl ? { fullUrl } : {}),
  resource: {
    resourceType: 'ServiceRequest',
    id: 'sr-1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    authoredOn: '2025-04-01',
    ...extra,
  },
});

describe('FHIR bundle reader: the UK Core fixture', () => {
  it('yields one record per active ServiceRequest, row being its entry number', async () => {
    const records = await read(fixtureText);
    expect(records.map((record) => record.row)).toEqual([3, 5]);
  });

  it('maps the UK Core Richard Smith example and its hip replacement request', async () => {
    const [record] = await read(fixtureText);
    expect(record).toEqual({
      row: 3,
      values: {
        nhs_number: '9912003888',
        given_name: 'Richard',
        family_name: 'SMITH',
        date_of_birth: '1970-09-11',
        sex: 'male',
        ethnic_category: 'G',
        email: '',
        phone: '01131231234',
        address_line_1: '4 Sandmoor Drive',
        address_line_2: '',
        town: 'LEEDS',
        postcode: 'LS17 7DF',
        // Resolved through performer[1], a reference to the Organization entry (performer[0] is a
        // Practitioner not in the bundle, which is passed over).
        trust_ods: 'RWE',
        pathway_ref: 'RWE-000123',
        treatment_function_code: '110',
        planned_procedure_code: 'W37.1',
        // The date as written (local to +07:00), not converted to UTC.
        clock_start_date: '2023-05-18',
        priority: 'routine',
        tertiary: '',
        next_appointment_on: '',
      },
    });
  });

  it("does not take the patient's contact person (Jane Jackson) for the patient", async () => {
    const [record] = await read(fixtureText);
    expect(record!.values.given_name).toBe('Richard');
    expect(record!.values.phone).not.toBe('07777123123');
    expect(record!.values.postcode).not.toBe('LS17 6EH');
  });

  it('resolves a subject by the urn:uuid fullUrl of a Patient that has no id', async () => {
    const [, record] = await read(fixtureText);
    expect(record).toEqual({
      row: 5,
      values: {
        nhs_number: '9990000018',
        // The official name, not the usual one listed first.
        given_name: 'Amira Jane',
        family_name: 'Khan',
        date_of_birth: '1961-03-14',
        sex: 'female',
        ethnic_category: 'H',
        email: 'amira.khan@example.com',
        // The mobile, which can be sent text messages, not the home number listed first.
        phone: '07700 900123',
        // The home address, not the old one listed first; lines after the second are kept.
        address_line_1: 'Flat 2',
        address_line_2: '1 High Street, Aylestone',
        town: 'Leicester',
        postcode: 'LE2 7LX',
        // An inline performer identifier.
        trust_ods: 'RWE',
        // The identifier whose system mentions pathways, not the first one.
        pathway_ref: 'RWE-000124',
        treatment_function_code: '110',
        // The fhir.hl7.org.uk OPCS-4 system is accepted too.
        planned_procedure_code: 'W40.1',
        clock_start_date: '2025-03-03',
        priority: 'urgent',
        tertiary: '',
        next_appointment_on: '2025-07-14',
      },
    });
  });

  it('skips the completed ServiceRequest', async () => {
    const records = await read(fixtureText);
    expect(records.map((record) => record.values.pathway_ref)).not.toContain('RWE-000099');
  });

  it("leaves the NHS number's checking to validation (the example's number happens to pass Modulus 11)", () => {
    expect(isValidNhsNumber('9912003888')).toBe(true);
  });

  it('reads a bundle split into many chunks, with a BOM and multi-byte characters across the splits', async () => {
    const text = `\uFEFF${bundle(patient('p1', { name: [{ family: 'Ní Bhriain', given: ['Siobhán', 'Zoë'] }] }), serviceRequest())}`;
    const records: SourceRecord[] = [];
    for await (const record of fhirPathwayRecords(stream(text, 37))) records.push(record);
    expect(records).toHaveLength(1);
    expect(records[0]!.values.family_name).toBe('Ní Bhriain');
    expect(records[0]!.values.given_name).toBe('Siobhán Zoë');
  });
});

describe('FHIR bundle reader: mapping rules', () => {
  it('skips every status other than active, without checking those requests further', async () => {
    const statuses = ['completed', 'revoked', 'draft', 'on-hold', 'entered-in-error', 'unknown'];
    const records = await read(
      bundle(
        patient('p1'),
        ...statuses.map((status) => serviceRequest({ status, id: status, subject: { reference: 'Patient/nobody' } })),
        serviceRequest({ id: 'on-the-list' }),
      ),
    );
    expect(records.map((record) => [record.row, record.values.pathway_ref])).toEqual([[8, 'on-the-list']]);
  });

  it('falls back to defaultTrustOds only when no performer or requester gives an ODS code', async () => {
    const text = bundle(
      patient('p1'),
      serviceRequest({ id: 'none' }),
      serviceRequest({ id: 'practitioner-only', performer: [{ reference: 'Practitioner/x' }] }),
      serviceRequest({ id: 'requester', requester: { identifier: { system: ODS, value: 'RX1' } } }),
    );
    const withDefault = await read(text, { defaultTrustOds: 'RWE' });
    expect(withDefault.map((record) => record.values.trust_ods)).toEqual(['RWE', 'RWE', 'RX1']);
    const without = await read(text);
    expect(without.map((record) => record.values.trust_ods)).toEqual(['', '', 'RX1']);
  });

  it('prefers a performer to the requester for the trust', async () => {
    const [record] = await read(
      bundle(
        patient('p1'),
        { resource: { resourceType: 'Organization', id: 'gp', identifier: [{ system: ODS, value: 'B86001' }] } },
        serviceRequest({ requester: { reference: 'Organization/gp' }, performer: [{ identifier: { system: ODS, value: 'RR8' } }] }),
      ),
      { defaultTrustOds: 'RWE' },
    );
    expect(record!.values.trust_ods).toBe('RR8');
  });

  it('maps FHIR priorities to routine or urgent, absent meaning routine', async () => {
    const priorities = ['routine', 'urgent', 'asap', 'stat', undefined];
    const records = await read(bundle(patient('p1'), ...priorities.map((priority) => serviceRequest(priority ? { priority } : {}))));
    expect(records.map((record) => record.values.priority)).toEqual(['routine', 'urgent', 'urgent', 'urgent', 'routine']);
  });

  it('takes pathway_ref from a pathway identifier, else the first identifier, else the id', async () => {
    const records = await read(
      bundle(
        patient('p1'),
        serviceRequest({ identifier: [{ system: 'urn:x', value: 'A' }, { system: 'https://trust/Id/PATHWAY', value: 'B' }] }),
        serviceRequest({ identifier: [{ system: 'urn:x', value: 'A' }, { system: 'urn:y', value: 'C' }] }),
        serviceRequest({ id: 'the-id' }),
      ),
    );
    expect(records.map((record) => record.values.pathway_ref)).toEqual(['B', 'A', 'the-id']);
  });

  it('takes next_appointment_on from occurrenceDateTime, and the date part of authoredOn', async () => {
    const [record] = await read(bundle(patient('p1'), serviceRequest({ authoredOn: '2025-04-01T23:30:00Z', occurrenceDateTime: '2025-09-02T08:00:00+01:00' })));
    expect(record!.values.clock_start_date).toBe('2025-04-01');
    expect(record!.values.next_appointment_on).toBe('2025-09-02');
  });

  it('leaves a missing NHS number empty for validation to report, and does not check codes', async () => {
    const [record] = await read(
      bundle(
        patient('p1', { identifier: [{ system: 'urn:local', value: '42' }], gender: 'banana' }),
        serviceRequest({ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/opcs4', code: 'not a code' }] } }),
      ),
    );
    expect(record!.values.nhs_number).toBe('');
    expect(record!.values.sex).toBe('banana');
    expect(record!.values.planned_procedure_code).toBe('not a code');
    expect(record!.values.treatment_function_code).toBe('');
  });

  it('takes a mobile for the phone before a landline, whether marked mobile or only a mobile number, and passes over old numbers', async () => {
    const phone = (value: string, use?: string) => ({ system: 'phone', value, ...(use ? { use } : {}) });
    const cases: [unknown[], string][] = [
      [[phone('0116 496 0101', 'home'), phone('07700 900123', 'mobile')], '07700 900123'],
      [[phone('0116 496 0101', 'home'), phone('07700 900124', 'home')], '07700 900124'],
      [[phone('07700 900125', 'old'), phone('0116 496 0101', 'home')], '0116 496 0101'],
      [[phone('0116 496 0102', 'work'), phone('0116 496 0101', 'home')], '0116 496 0102'],
      [[phone('07700 900126', 'old')], '07700 900126'],
      [[{ system: 'email', value: 'a@example.com' }], ''],
    ];
    for (const [telecom, expected] of cases) {
      const [record] = await read(bundle(patient('p1', { telecom }), serviceRequest()));
      expect(record!.values.phone, JSON.stringify(telecom)).toBe(expected);
    }
  });

  it('resolves a subject given as the absolute fullUrl of a Patient', async () => {
    const [record] = await read(bundle(patient('p1'), serviceRequest({ subject: { reference: 'https://fhir.example.nhs.uk/Patient/p1' } })));
    expect(record!.values.family_name).toBe('Khan');
  });

  it('ignores resource types it does not use', async () => {
    const records = await read(
      bundle({ resource: { resourceType: 'Practitioner', id: 'x' } }, patient('p1'), { resource: { resourceType: 'Encounter', id: 'e' } }, serviceRequest()),
    );
    expect(records.map((record) => record.row)).toEqual([4]);
  });
});

describe('FHIR bundle reader: structural problems', () => {
  it('refuses text that is not JSON, with the parser message', async () => {
    const problems = await problemsOf('{"resourceType": "Bundle", "entry": [');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ row: 0, field: '(file)' });
    expect(problems[0]!.reason).toMatch(/^the file is not JSON: .+/);
    let parserMessage = '';
    try {
      JSON.parse('{"resourceType": "Bundle", "entry": [');
    } catch (error) {
      parserMessage = (error as Error).message;
    }
    expect(problems[0]!.reason).toContain(parserMessage);
  });

  it('refuses a resource that is not a Bundle', async () => {
    const problems = await problemsOf(JSON.stringify({ resourceType: 'Patient', id: 'p1' }));
    expect(problems).toEqual([{ row: 0, field: 'resourceType', value: 'Patient', reason: 'is Patient: expected a FHIR Bundle' }]);
    expect((await problemsOf('[]'))[0]).toMatchObject({ row: 0, field: 'resourceType' });
  });

  it('refuses a Bundle without an entry array', async () => {
    const problems = await problemsOf(JSON.stringify({ resourceType: 'Bundle', type: 'collection' }));
    expect(problems).toEqual([{ row: 0, field: 'entry', value: '', reason: 'the Bundle has no entry array' }]);
  });

  it('rejects each request whose subject is not in the bundle, naming entry and FHIR path, and reads the rest', async () => {
    const file = bundle(
      patient('p1'),
      serviceRequest({ id: 'a', subject: { reference: 'Patient/missing' } }),
      serviceRequest({ id: 'ok' }),
      serviceRequest({ id: 'b', subject: { reference: 'urn:uuid:00000000-0000-0000-0000-000000000000' } }),
    );
    const records = await read(file);
    expect(records.map((record) => [record.row, record.problems === undefined])).toEqual([
      [2, false],
      [3, true],
      [4, false],
    ]);
    const problems = await problemsOf(file);
    expect(problems).toEqual([
      { row: 2, field: 'entry[1].resource.subject.reference', value: 'Patient/missing', reason: expect.stringContaining('names no Patient') },
      {
        row: 4,
        field: 'entry[3].resource.subject.reference',
        value: 'urn:uuid:00000000-0000-0000-0000-000000000000',
        reason: expect.stringContaining('names no Patient'),
      },
    ]);
  });

  it('refuses a bundle with an entry that is no resource whole, naming that and every request it cannot read', async () => {
    const problems = await problemsOf(
      bundle(
        { fullUrl: 'urn:uuid:g', resource: { resourceType: 'Group', id: 'g' } },
        serviceRequest({ subject: { reference: 'urn:uuid:g' } }),
        serviceRequest({ subject: undefined }),
        { fullUrl: 'urn:uuid:empty' },
      ),
    );
    expect(problems.map((problem) => [problem.row, problem.field])).toEqual([
      [2, 'entry[1].resource.subject.reference'],
      [3, 'entry[2].resource.subject.reference'],
      [4, 'entry[3].resource'],
    ]);
    expect(problems[0]!.reason).toBe('is a Group, not a Patient');
  });

  it('refuses bytes that are not UTF-8', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Ren'), Buffer.from([0xe9]), Buffer.from('e"}]}}]}')]);
    const problems = await problemsOf(latin1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ row: 0, field: '(file)' });
    expect(problems[0]!.reason).toMatch(/not UTF-8/);
  });

  it('refuses a document over maxBytes, and stops reading it', async () => {
    const problems = await problemsOf(fixtureText, { maxBytes: 1000 });
    expect(problems).toEqual([{ row: 0, field: '(file)', value: '', reason: expect.stringContaining('larger than 1000 bytes') }]);

    let pulled = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled += 1;
          yield Buffer.alloc(64 * 1024, 0x20);
        }
      })(),
    );
    const error = await (async () => {
      for await (const record of fhirPathwayRecords(endless, { maxBytes: 1024 * 1024 })) void record;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadableInputError);
    expect((error as UnreadableInputError).problems[0]!.reason).toContain('larger than 1 MiB');
    expect(pulled).toBeLessThan(40);
  });

  it('reads a document of exactly maxBytes', async () => {
    const records = await read(fixtureText, { maxBytes: Buffer.byteLength(fixtureText) });
    expect(records).toHaveLength(2);
  });
});
