/**
 * Claims as JSON and CSV (PRODUCT.md §6): list claims and their lines (held lines with their reasons),
 * approve, reject with a reason, mark paid, and export both as CSV for a finance team's spreadsheet.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CLAIM_LINE_STATUSES, CLAIM_STATUSES } from '../../db/schema';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { claimLinesCsv, claimsCsv } from '../../reports/claims-csv';
import { claimRejectionSchema } from '../../domain/transfer-schemas';
import { auditExport, claimLinesInScope, claimsInScope, decideClaimAs } from '../../services/claims';
import { csvDownload } from '../csv';
import { ErrorSchema, IdParam, jsonBody, noFields, validationHook } from '../openapi';

const ClaimSchema = z
  .object({
    id: z.number(),
    fundId: z.number(),
    fundName: z.string(),
    trustOds: z.string(),
    trustName: z.string(),
    month: z.string().openapi({ example: '2026-12' }),
    sequence: z.number(),
    lineCount: z.number(),
    totalPence: z.number(),
    status: z.enum(CLAIM_STATUSES),
    createdAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    paidAt: z.string().nullable(),
  })
  .openapi('Claim');

const ClaimLineSchema = z
  .object({
    id: z.number(),
    claimId: z.number().nullable(),
    claimStatus: z.enum(CLAIM_STATUSES).nullable(),
    fundId: z.number(),
    transferId: z.number(),
    pathwayRef: z.string(),
    trustOds: z.string(),
    trustName: z.string(),
    providerOds: z.string(),
    siteOds: z.string(),
    siteName: z.string(),
    treatmentFunctionCode: z.string(),
    procedureCode: z.string().nullable(),
    hrgCode: z.string().nullable(),
    treatedOn: z.string(),
    pricePence: z.number(),
    priceSource: z.string(),
    status: z.enum(CLAIM_LINE_STATUSES),
    problems: z.array(z.string()),
  })
  .openapi('ClaimLine');

const ClaimQuery = z.object({
  fundId: z.coerce.number().int().positive().optional(),
  status: z.enum(CLAIM_STATUSES).optional(),
});
const LineQuery = z.object({
  fundId: z.coerce.number().int().positive().optional(),
  claimId: z.coerce.number().int().positive().optional(),
  status: z
    .enum(CLAIM_LINE_STATUSES)
    .optional()
    .openapi({ description: "held: lines that failed validation, with their reasons; month_open: valid lines of the month still open, claimed when it ends" }),
});

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listClaims',
  tags: ['claims'],
  summary: 'Claims in your scope, newest month first',
  security: [{ bearer: [] }],
  request: { query: ClaimQuery },
  responses: { 200: { description: 'Claims', content: { 'application/json': { schema: z.object({ claims: z.array(ClaimSchema) }) } } } },
});

const lines = createRoute({
  method: 'get',
  path: '/lines',
  operationId: 'listClaimLines',
  tags: ['claims'],
  summary: 'Claim lines: those of a claim, of a fund, or held with their reasons',
  security: [{ bearer: [] }],
  request: { query: LineQuery },
  responses: { 200: { description: 'Claim lines', content: { 'application/json': { schema: z.object({ lines: z.array(ClaimLineSchema) }) } } } },
});

const csv = { 200: { description: 'CSV, one header row, amounts in pounds with two decimals', content: { 'text/csv': { schema: z.string() } } } } as const;

const claimsExport = createRoute({
  method: 'get',
  path: '/claims.csv',
  operationId: 'exportClaimsCsv',
  tags: ['claims'],
  summary: 'Claims as CSV',
  security: [{ bearer: [] }],
  request: { query: ClaimQuery },
  responses: csv,
});

const linesExport = createRoute({
  method: 'get',
  path: '/lines.csv',
  operationId: 'exportClaimLinesCsv',
  tags: ['claims'],
  summary: 'Claim lines as CSV (ODS codes, HRG, OPCS-4, dates, amounts)',
  security: [{ bearer: [] }],
  request: { query: LineQuery },
  responses: csv,
});

const decisionResponses = {
  200: { description: 'Recorded', content: { 'application/json': { schema: ClaimSchema } } },
  404: { description: 'No such claim in your scope', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'The claim is not in a state that allows this', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

const approve = createRoute({
  method: 'post',
  path: '/{id}/approve',
  operationId: 'approveClaim',
  tags: ['claims'],
  summary: 'Approve a submitted claim',
  security: [{ bearer: [] }],
  middleware: noFields.middleware,
  request: { params: IdParam, body: noFields.body },
  responses: decisionResponses,
});

const reject = createRoute({
  method: 'post',
  path: '/{id}/reject',
  operationId: 'rejectClaim',
  tags: ['claims'],
  summary: "Reject a submitted claim, with a reason; its money goes back to the fund",
  security: [{ bearer: [] }],
  request: {
    params: IdParam,
    body: jsonBody(z.strictObject(claimRejectionSchema.shape)),
  },
  responses: decisionResponses,
});

const paid = createRoute({
  method: 'post',
  path: '/{id}/paid',
  operationId: 'markClaimPaid',
  tags: ['claims'],
  summary: 'Mark an approved claim paid',
  security: [{ bearer: [] }],
  middleware: noFields.middleware,
  request: { params: IdParam, body: noFields.body },
  responses: decisionResponses,
});

type Claim = Awaited<ReturnType<typeof claimsInScope>>[number];

function claimJson(claim: Claim) {
  return {
    ...claim,
    createdAt: claim.createdAt.toISOString(),
    decidedAt: claim.decidedAt?.toISOString() ?? null,
    paidAt: claim.paidAt?.toISOString() ?? null,
  };
}

export function claimRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('finance', 'admin'));

  app.openapi(list, async (c) => c.json({ claims: (await claimsInScope(deps, c.get('staff'), c.req.valid('query'))).map(claimJson) }, 200));

  app.openapi(lines, async (c) => c.json({ lines: await claimLinesInScope(deps, c.get('staff'), c.req.valid('query')) }, 200));

  app.openapi(claimsExport, async (c) => {
    const query = c.req.valid('query');
    const claims = await claimsInScope(deps, c.get('staff'), query);
    await auditExport(deps, c.get('staff'), 'claims', query, claims.length);
    return csvDownload(c, 'claims.csv', claimsCsv(claims));
  });

  app.openapi(linesExport, async (c) => {
    const query = c.req.valid('query');
    const rows = await claimLinesInScope(deps, c.get('staff'), query);
    await auditExport(deps, c.get('staff'), 'claim-lines', query, rows.length);
    return csvDownload(c, 'claim-lines.csv', claimLinesCsv(rows));
  });

  app.openapi(approve, async (c) => c.json(claimJson(await decideClaimAs(deps, c.get('staff'), c.req.valid('param').id, { kind: 'approve' })), 200));

  app.openapi(reject, async (c) => {
    const { reason } = c.req.valid('json');
    return c.json(claimJson(await decideClaimAs(deps, c.get('staff'), c.req.valid('param').id, { kind: 'reject', reason })), 200);
  });

  app.openapi(paid, async (c) => c.json(claimJson(await decideClaimAs(deps, c.get('staff'), c.req.valid('param').id, { kind: 'pay' })), 200));
  return app;
}
