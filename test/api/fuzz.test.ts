/**
 * Bad input, generated (issue 16): every JSON operation of the app's own OpenAPI document is sent,
 * with a token of a role it admits, bodies that are malformed (truncated, not JSON, raw NUL and
 * invalid UTF-8 bytes, the wrong type, too large, a field it does not know), well-formed bodies with
 * one value made nasty (NUL, a lone surrogate, a huge string, 0000000000, an out-of-range number), and
 * ids that are no ids; the pathways import is sent FHIR bundles with invalid NHS numbers. Each answer
 * is a 4xx whose body says what is wrong, never a 5xx, and a refused request leaves every table's row
 * count as it was.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { StaffRole } from '../../db/schema';
import { startTestServices, type TestServices } from '../support/services';

interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  /** The JSON body's schema, for an operation that takes one. */
  readonly body?: JsonSchema;
  readonly pathParams: readonly string[];
}

const ROLES: readonly StaffRole[] = ['admin', 'regional', 'clinician', 'finance', 'provider'];
/** An id of the right form that no record has: a well-formed request reaches its lookup and is not found. */
const UNKNOWN_ID = '999999';
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

let services: TestServices;
let app: ReturnType<typeof createApp>;
let components: Record<string, JsonSchema>;
let operations: Operation[];
const roleOf = new Map<string, StaffRole>();

beforeAll(async () => {
  services = await startTestServices();
  // No worker runs: a request that somehow reached a workflow's Update is told so at once, not after a minute.
  app = createApp(services.appDeps({ updateDeadlineMs: 1_000 }));
  const doc = (await (await app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { operationId: string; parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  components = doc.components.schemas;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operationId: operation.operationId,
      body: operation.requestBody?.content['application/json']?.schema,
      pathParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
    })),
  );
  // The role each operation is tried as: the first whose token gets past sign-in and the role check.
  for (const operation of operations.filter((candidate) => candidate.body || candidate.pathParams.length > 0)) {
    for (const role of ROLES) {
      const response = await call(operation, role, operation.method === 'GET' ? {} : { body: '{' });
      if (response.status !== 401 && response.status !== 403) {
        roleOf.set(operation.operationId, role);
        break;
      }
    }
  }
}, 60_000);

afterAll(async () => {
  await services?.close();
});

function call(operation: Operation, role: StaffRole, { body, type = 'application/json', params = {} }: { body?: string | Buffer; type?: string; params?: Record<string, string> }) {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? (name === 'kind' ? 'pathways' : name === 'trustOds' ? 'RWE' : name === 'day' ? '2026-12-01' : UNKNOWN_ID));
  return app.request(path, {
    method: operation.method,
    headers: { authorization: `Bearer ${services.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': type }) },
    // Bytes go as they are (not UTF-8, some of them): a Uint8Array over a fresh ArrayBuffer is a BodyInit.
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
  });
}

/**
 * Every table's row count, to see that a refused request wrote nothing. A refused import is still a
 * run, recorded and audited with its report (imports/runner.ts): only its data is left out.
 */
async function importedCounts(): Promise<Record<string, number>> {
  const { import_runs: _runs, audit_log: _audit, ...data } = await rowCounts();
  return data;
}

async function rowCounts(): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1
  `.execute(services.database.db);
  const counts = tables.map(({ name }) => sql`select ${name}::text as name, count(*)::int as n from ${sql.table(name)}`);
  const { rows } = await sql<{ name: string; n: number }>`${sql.join(counts, sql` union all `)}`.execute(services.database.db);
  return Object.fromEntries(rows.map((row) => [row.name, row.n]));
}

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: readonly { field: string; message: string }[] };
}

/** The answer is a 4xx saying what is wrong, and nothing was written. */
async function expectRefused(response: Response, before: Record<string, number>, what: string): Promise<ErrorBody['error']> {
  const text = await response.text();
  expect(response.status, `${what} → ${text.slice(0, 400)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${what} → ${text.slice(0, 400)}`).toBeLessThan(500);
  const { error } = JSON.parse(text) as ErrorBody;
  expect(error.code, what).toMatch(/^[a-z_]+$/);
  expect(error.message, what).toMatch(/\S{3}/);
  if (error.code === 'invalid_request') expect(error.details?.length ?? 1, what).toBeGreaterThan(0);
  expect(await rowCounts(), `${what} wrote nothing`).toEqual(before);
  return error;
}

function resolve(schema: JsonSchema): JsonSchema {
  if (schema.$ref) return resolve(components[schema.$ref.replace('#/components/schemas/', '')]!);
  const choice = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  return choice ? resolve(choice.find((option) => resolve(option).type !== 'null') ?? choice[0]!) : schema;
}

const typeOf = (schema: JsonSchema) => [schema.type ?? 'object'].flat().find((type) => type !== 'null') ?? 'null';

/** A body the schema would take, as far as its examples go: the documented example, else each field's. */
function exampleOf(reference: JsonSchema): unknown {
  const schema = resolve(reference);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, field]) => [key, exampleOf(field)]));
    case 'array':
      return schema.items ? [exampleOf(schema.items)] : [];
    case 'integer':
    case 'number':
      return Number(UNKNOWN_ID);
    case 'boolean':
      return false;
    default:
      return 'text';
  }
}

/** The paths to each value in a body that is not an object or an array. */
function leaves(value: unknown, at: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...at, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leaves(item, [...at, key]));
  return [at];
}

function withValue(body: unknown, at: readonly (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = (Array.isArray(body) ? [...body] : { ...(body as object) }) as Record<string | number, unknown>;
  copy[at[0]!] = withValue(copy[at[0]!], at.slice(1), value);
  return copy;
}

const NASTY_STRINGS = [
  '\u0000',
  'before\u0000after',
  '\ud800',
  'a\udfffb',
  '0000000000',
  '999 000 0018',
  '',
  ' ',
  '\u202e\u200b',
  "'; drop table transfers; --",
  'x'.repeat(100_000),
  'é'.repeat(300_000),
];
const nastyString = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'binary', maxLength: 30 }));
const nastyNumber = fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, 1e308, -0);
const wrongType = fc.oneof(fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}), nastyNumber, nastyString, fc.constant([[{}]]));
const nastyValue = fc.oneof(nastyString, nastyNumber, wrongType);

/** A field no body has: strict bodies refuse it by name. */
const unknownField = fc.constantFrom('state', '__proto__x', 'id', 'createdBy', 'x'.repeat(300), '\u0000', '');

/** A generated body, shown by its label when fast-check reports it (not as kilobytes of bytes). */
function labelled(label: string, body: string | Buffer): { readonly label: string; readonly body: string | Buffer } {
  return { label, body, [fc.toStringMethod]: () => `${label} (${body.length} bytes)` } as { readonly label: string; readonly body: string | Buffer };
}

const raw = (...parts: (string | readonly number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));
const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]] as const;

/** Bodies no operation may take: each is malformed however the operation reads it. */
function malformedBody(operation: Operation): fc.Arbitrary<{ readonly label: string; readonly body: string | Buffer }> {
  const base = operation.body ? exampleOf(operation.body) : {};
  const text = JSON.stringify(base);
  return fc.oneof(
    fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((cut) => labelled(`truncated at ${cut}`, text.slice(0, cut))),
    fc.string({ maxLength: 40 }).filter((garbage) => !isJson(garbage)).map((garbage) => labelled(`not JSON: ${JSON.stringify(garbage)}`, garbage)),
    fc.constantFrom('null', '[]', '42', '"text"', 'true', '[{}]').map((body) => labelled(`not an object: ${body}`, body)),
    fc.constantFrom(...INVALID_UTF8).map((bytes) => labelled(`invalid UTF-8 ${bytes} in a key`, raw('{"', bytes, '": 1}'))),
    fc.constantFrom(...INVALID_UTF8).map((bytes) => labelled(`invalid UTF-8 ${bytes} outside a string`, raw(text.slice(0, -1) || '{', bytes, '}'))),
    fc.constant(labelled('a raw NUL in a string', raw('{"name": "a', [0x00], 'b"}'))),
    fc
      .tuple(unknownField, nastyValue)
      .map(([field, value]) => labelled(`unknown field ${JSON.stringify(field.slice(0, 20))}`, JSON.stringify({ ...(base as object), [field]: value }))),
    fc
      .tuple(fc.array(fc.tuple(fc.constantFrom(...Object.keys(base as object), 'other'), wrongType), { minLength: 1, maxLength: 4 }), unknownField)
      .map(([fields, extra]) => labelled(`wrong types: ${JSON.stringify(fields).slice(0, 80)}`, JSON.stringify({ ...Object.fromEntries(fields), [extra]: 1 }))),
    fc.constant(labelled('over the body limit', JSON.stringify({ ...(base as object), huge: 'x'.repeat(1_100_000) }))),
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A well-formed body with one value made nasty: what the handlers behind the schema are given. */
function nastyBody(operation: Operation): fc.Arbitrary<{ readonly label: string; readonly body: string | Buffer }> {
  const base = exampleOf(operation.body!);
  const paths = leaves(base);
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(nastyValue, fc.constantFrom(...INVALID_UTF8))).map(([at, value]) => {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      // Raw bytes in place of a string: the JSON is sent as bytes that are not UTF-8.
      const [before, after] = JSON.stringify(withValue(base, at, 'fuzz-bytes-here')).split('fuzz-bytes-here') as [string, string];
      return labelled(`${at.join('.')} as invalid UTF-8`, raw(before, value, after));
    }
    return labelled(`${at.join('.') || '(body)'} = ${JSON.stringify(value)?.slice(0, 40)}`, JSON.stringify(withValue(base, at, value)));
  });
}

const BAD_IDS = ['0x10', '1e1', '+1', '01', '%201', '0', '-1', '1.5', '9007199254740993', '%00', '%FF', '1%00', 'abc', '%E2%80%AE1'];
const badId = fc.oneof(
  fc.constantFrom(...BAD_IDS),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
    .filter((text) => !/^[1-9][0-9]*$/.test(text) && text !== '.' && text !== '..')
    .map(encodeURIComponent),
);

const jsonOperations = () => operations.filter((operation) => operation.body);

describe('every JSON operation', () => {
  it('is fuzzed: the document has JSON operations, each tried as a role it admits', () => {
    expect(jsonOperations().length).toBeGreaterThanOrEqual(15);
    for (const operation of jsonOperations()) expect(roleOf.get(operation.operationId), operation.operationId).toBeDefined();
  });

  it('refuses malformed bodies with a 4xx saying what is wrong, and writes nothing', async () => {
    for (const operation of jsonOperations()) {
      const role = roleOf.get(operation.operationId)!;
      await fc.assert(
        fc.asyncProperty(malformedBody(operation), async ({ label, body }) => {
          const before = await rowCounts();
          await expectRefused(await call(operation, role, { body }), before, `${operation.operationId}: ${label}`);
        }),
        { numRuns: RUNS },
      );
    }
  }, 120_000);

  it('never fails on a nasty value in a well-formed body: refused with a 4xx that writes nothing, or done', async () => {
    for (const operation of jsonOperations().filter((candidate) => Object.keys(exampleOf(candidate.body!) as object).length > 0)) {
      const role = roleOf.get(operation.operationId)!;
      await fc.assert(
        fc.asyncProperty(nastyBody(operation), async ({ label, body }) => {
          const before = await rowCounts();
          const response = await call(operation, role, { body });
          if (response.status < 300) return;
          await expectRefused(response, before, `${operation.operationId}: ${label}`);
        }),
        { numRuns: RUNS },
      );
    }
  }, 120_000);

  it('refuses a NUL character in any string of a well-formed body by name (PostgreSQL text cannot hold one), writing nothing', async () => {
    for (const operation of jsonOperations()) {
      const base = exampleOf(operation.body!);
      for (const at of leaves(base).filter((path) => typeof path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], base) === 'string')) {
        const before = await rowCounts();
        const what = `${operation.operationId}: ${at.join('.')} with a NUL`;
        const error = await expectRefused(await call(operation, roleOf.get(operation.operationId)!, { body: JSON.stringify(withValue(base, at, 'a\u0000b')) }), before, what);
        expect(error.details?.map((detail) => detail.field), what).toContain(at.join('.'));
      }
    }
  }, 60_000);
});

describe('every operation with an id in its path', () => {
  it('refuses an id that is not one with a 400 naming it, and writes nothing', async () => {
    const withIds = operations.filter((operation) => operation.pathParams.includes('id'));
    expect(withIds.length).toBeGreaterThanOrEqual(15);
    for (const operation of withIds) {
      const role = roleOf.get(operation.operationId)!;
      await fc.assert(
        fc.asyncProperty(badId, async (id) => {
          const before = await rowCounts();
          const body = operation.body ? JSON.stringify(exampleOf(operation.body)) : undefined;
          const response = await call(operation, role, { body, params: { id } });
          const error = await expectRefused(response, before, `${operation.operationId} with id ${id}`);
          expect(response.status, `${operation.operationId} with id ${id}`).toBe(400);
          expect(error.details?.map((detail) => detail.field), `${operation.operationId} with id ${id}`).toContain('id');
        }),
        { numRuns: RUNS },
      );
    }
  }, 120_000);
});

describe('the pathways import, sent a FHIR bundle', () => {
  const bundle = readFileSync(new URL('../fixtures/fhir/ukcore-hip-bundle.json', import.meta.url), 'utf8');
  const nhsNumbers = [...new Set([...bundle.matchAll(/"system": "https:\/\/fhir\.nhs\.uk\/Id\/nhs-number",\s*"value": "(\d{10})"/g)].map((match) => match[1]!))];
  const importOperation = () => operations.find((operation) => operation.operationId === 'importFile')!;

  it('refuses invalid NHS numbers (0000000000 among them) with a 4xx naming each, and imports nothing', async () => {
    expect(nhsNumbers.length).toBeGreaterThan(0);
    const invalidNhsNumber = fc.oneof(
      fc.constantFrom('0000000000', '9990000019', '999000001', '99900000188', 'ABCDEFGHIJ', '999 000 0018', '', '\u0000'),
      // Ten digits whose check digit is wrong (or that cannot have one).
      fc.stringMatching(/^[0-9]{10}$/).filter((digits) => !hasValidCheckDigit(digits)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...nhsNumbers), invalidNhsNumber, async (valid, invalid) => {
        const before = await importedCounts();
        const body = bundle.replaceAll(`"value": "${valid}"`, `"value": ${JSON.stringify(invalid)}`);
        const response = await call(importOperation(), 'admin', { body, type: 'application/fhir+json' });
        const text = await response.text();
        expect(response.status, text.slice(0, 400)).toBeGreaterThanOrEqual(400);
        expect(response.status, text.slice(0, 400)).toBeLessThan(500);
        expect(text, 'the report names the NHS number').toMatch(/nhs/i);
        expect(await importedCounts()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('refuses a malformed bundle with a 4xx, and imports nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 1, max: bundle.length - 1 }).map((cut) => labelled(`cut at ${cut}`, bundle.slice(0, cut))),
          fc
            .constantFrom('null', '[]', '{}', '{"resourceType": "Patient"}', '{"resourceType": "Bundle", "entry": "no"}', '{"resourceType": "Bundle", "entry": [null]}')
            .map((body) => labelled(body, body)),
          fc.constantFrom(...INVALID_UTF8).map((bytes) => labelled(`invalid UTF-8 ${bytes}`, raw(bundle.slice(0, 200), bytes, bundle.slice(200)))),
        ),
        async ({ body }) => {
          const before = await importedCounts();
          const response = await call(importOperation(), 'admin', { body, type: 'application/fhir+json' });
          const text = await response.text();
          expect(response.status, text.slice(0, 400)).toBeGreaterThanOrEqual(400);
          expect(response.status, text.slice(0, 400)).toBeLessThan(500);
          expect(await importedCounts()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);
});

/** The NHS number's modulus 11 check, written here from the standard so the test does not lean on the code it tests. */
function hasValidCheckDigit(digits: string): boolean {
  const sum = [...digits.slice(0, 9)].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0);
  const check = 11 - (sum % 11);
  return check !== 10 && (check === 11 ? 0 : check) === Number(digits[9]);
}
