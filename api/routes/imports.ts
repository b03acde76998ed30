/**
 * Imports over HTTP: the request body is the file, streamed straight into the import (never held in
 * memory). Who may import what: admins anything; regional teams the contracts, activity and waiting
 * lists of their region's trusts; providers the capacity and exclusion criteria of their own sites.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../db/repositories/audit';
import type { StaffUser } from '../../db/schema';
import { findKind, formatsOf, IMPORT_KINDS, importFile, UnknownImportError } from '../../imports';
import type { ImportScope } from '../../imports/types';
import { storableText } from '../../domain/text';
import { staffActor } from '../../services/access';
import { requireStaff } from '../auth';
import { limitStream } from '../body-limit';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { ErrorSchema, invalidRequest, validationHook } from '../openapi';

const KINDS_BY_ROLE: Record<StaffUser['role'], readonly string[] | 'all'> = {
  admin: 'all',
  regional: ['contracts', 'activity', 'pathways'],
  provider: ['capacity', 'exclusion-criteria'],
  clinician: [],
  finance: [],
};

function scopeFor(staff: StaffUser, kind: string): ImportScope {
  const allowed = KINDS_BY_ROLE[staff.role];
  if (allowed !== 'all' && !allowed.includes(kind)) {
    throw new ApiError(403, 'forbidden', `a ${staff.role} user cannot import ${kind}`);
  }
  if (staff.role === 'regional') return { regionCode: staff.region_code };
  if (staff.role === 'provider') return { providerOds: staff.provider_ods };
  return {};
}

const ProblemSchema = z.object({ row: z.number(), field: z.string(), value: z.string(), reason: z.string() });
const ReportSchema = z
  .object({
    importRunId: z.number(),
    kind: z.string(),
    source: z.string(),
    format: z.string(),
    status: z.enum(['applied', 'rejected']),
    rowsRead: z.number(),
    rowsRejected: z.number(),
    inserted: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    problems: z.array(ProblemSchema),
    problemsTotal: z.number(),
  })
  .openapi('ImportReport');

const KindSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    formats: z.array(z.object({ name: z.string(), description: z.string() })),
    columns: z.array(z.object({ name: z.string(), required: z.boolean(), description: z.string(), example: z.string() })),
  })
  .openapi('ImportKind');

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listImportKinds',
  tags: ['imports'],
  summary: 'The import kinds, their formats and their documented CSV layouts',
  security: [{ bearer: [] }],
  responses: { 200: { description: 'The kinds', content: { 'application/json': { schema: z.object({ kinds: z.array(KindSchema) }) } } } },
});

const ImportQuery = z.object({
  format: z.string().optional().openapi({ example: 'csv' }),
  trust: z.string().regex(/^[A-Z0-9]{3,6}$/).optional().openapi({ description: 'FHIR: the trust of ServiceRequests that name none' }),
  source: z.string().max(200).superRefine(storableText).optional().openapi({ description: 'the file name, for the record of the import' }),
});

/**
 * Documented here, but served by a plain handler: a declared body would be read and validated by
 * the OpenAPI layer, and the file must stream into the import untouched instead.
 */
const run = {
  method: 'post' as const,
  path: '/{kind}',
  operationId: 'importFile',
  tags: ['imports'],
  summary: 'Import a file, all or nothing',
  description:
    'The body is the file itself (CSV, an official NHS file or a zip of one, or a FHIR R4 Bundle in JSON for pathways). Nothing is changed unless every row is valid; the report lists every rejected row.',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ kind: z.string().openapi({ param: { name: 'kind', in: 'path' }, example: 'pathways' }) }),
    query: ImportQuery,
    body: {
      required: true,
      content: {
        'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
        'application/fhir+json': { schema: z.string().openapi({ format: 'binary' }) },
        'application/zip': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
  },
  responses: {
    200: { description: 'Applied', content: { 'application/json': { schema: ReportSchema } } },
    422: { description: 'Rejected: nothing was changed', content: { 'application/json': { schema: ReportSchema } } },
    400: { description: 'Unknown kind or format', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'Not a kind your role imports', content: { 'application/json': { schema: ErrorSchema } } },
    413: { description: 'The file is too large', content: { 'application/json': { schema: ErrorSchema } } },
  },
};

export function importRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db));

  app.openapi(list, (c) =>
    c.json(
      {
        kinds: IMPORT_KINDS.map((kind) => ({
          name: kind.name,
          title: kind.title,
          description: kind.description,
          formats: formatsOf(kind.name).map((format) => ({ name: format.name, description: format.description })),
          columns: [...kind.columns],
        })),
      },
      200,
    ),
  );

  app.openAPIRegistry.registerPath(run);
  app.post('/:kind', async (c) => {
    const kind = c.req.param('kind');
    const parsedQuery = ImportQuery.safeParse(c.req.query());
    if (!parsedQuery.success) throw invalidRequest(parsedQuery.error.issues);
    const query = parsedQuery.data;
    const staff = c.get('staff');
    if (!findKind(kind)) throw new ApiError(400, 'unknown_kind', `unknown import kind '${kind}'`, { kinds: IMPORT_KINDS.map((known) => known.name) });
    const scope = scopeFor(staff, kind);
    const upload = c.req.raw.body;
    if (!upload) throw new ApiError(400, 'empty_body', 'the request body must be the file to import');
    const file = limitStream(c, upload, deps.maxImportBytes, `the file is larger than ${deps.maxImportBytes} bytes`);
    const input = Readable.fromWeb(file as unknown as WebReadableStream<Uint8Array>);
    // The import reads the file and reports how it failed (the limit, a dropped connection). An import
    // that ends before its file does leaves the rest unread: its later failure has no reader to tell.
    input.on('error', () => {});
    try {
      const report = await importFile(deps.db, {
        kind,
        format: query.format,
        input,
        source: query.source ?? 'request body',
        actor: staffActor(staff),
        scope,
        trustOds: query.trust,
      });
      await audit(deps.db, {
        actor: staffActor(staff),
        action: `import.${report.status}`,
        subject: `import_run:${report.importRunId}`,
        detail: { kind, format: report.format, rows: report.rowsRead },
      });
      const body = { ...report, problems: [...report.problems] };
      return report.status === 'applied' ? c.json(body, 200) : c.json(body, 422);
    } catch (error) {
      if (error instanceof UnknownImportError) throw new ApiError(400, 'unknown_format', error.message);
      throw error;
    } finally {
      input.destroy();
    }
  });
  return app;
}
