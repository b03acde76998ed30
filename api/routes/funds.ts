/**
 * Funds as JSON (PRODUCT.md §6): list with balances, create (with the fund's claims Schedule), one
 * fund's ledger over time and its movements, its reconciliation, and starting its claims run now.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { fundLedgerByDay, fundMovements } from '../../db/repositories/funds';
import { newFundSchema } from '../../domain/fund';
import { DIFFERENCE_KINDS, reconcileFund } from '../../reports/reconciliation';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { createFundAs, fundInScope, fundsInScope, runClaimsNow } from '../../services/funds';
import { documented, ErrorSchema, IdParam, jsonBody, noFields, validationHook } from '../openapi';

const BalanceSchema = z
  .object({ allocationPence: z.number(), committedPence: z.number(), claimedPence: z.number(), paidPence: z.number(), remainingPence: z.number() })
  .openapi('FundBalance');

const FundSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    windowFrom: z.string(),
    windowTo: z.string(),
    regionCode: z.string().nullable(),
    balance: BalanceSchema,
    // A union, not .nullable(): a named schema made nullable is documented as allOf it and null, which nothing matches.
    trusts: z.array(z.object({ trustOds: z.string(), allocationPence: z.number().nullable(), balance: z.union([BalanceSchema, z.null()]) })),
    treatmentFunctions: z.array(z.string()),
  })
  .openapi('Fund');

const NewFundSchema = documented(newFundSchema, 'NewFund', {
  example: {
    name: 'Midlands orthopaedics winter 2026',
    allocationPence: 250_000_000,
    windowFrom: '2026-12-01',
    windowTo: '2027-03-31',
    regionCode: 'Y60',
    trusts: [{ trustOds: 'RWE', allocationPence: null }],
    treatmentFunctions: ['110'],
  },
});

const LedgerSchema = z
  .object({
    fund: FundSchema,
    days: z.array(z.object({ day: z.string(), committedPence: z.number(), claimedPence: z.number(), paidPence: z.number() })),
  })
  .openapi('FundLedger');

const MovementSchema = z
  .object({
    id: z.number(),
    at: z.string(),
    kind: z.enum(['commitment', 'release', 'claim', 'payment', 'rejection']),
    bookingId: z.number(),
    trustOds: z.string(),
    amountPence: z.number(),
    reason: z.string().nullable(),
  })
  .openapi('FundMovement');

const ReconciliationSchema = z
  .object({
    fundId: z.number(),
    treated: z.array(
      z.object({
        transferId: z.number(),
        bookingId: z.number(),
        trustOds: z.string(),
        siteOds: z.string(),
        treatedOn: z.string(),
        pricePence: z.number(),
        lineId: z.number().nullable(),
        lineStatus: z.string().nullable(),
        claimId: z.number().nullable(),
        claimStatus: z.string().nullable(),
        claimedPence: z.number(),
        paidPence: z.number(),
      }),
    ),
    differences: z.array(
      z.object({ kind: z.enum(DIFFERENCE_KINDS), transferId: z.number().nullable(), bookingId: z.number().nullable(), claimId: z.number().nullable(), detail: z.string() }),
    ),
  })
  .openapi('Reconciliation');

const notFound = { 404: { description: 'No such fund in your scope', content: { 'application/json': { schema: ErrorSchema } } } } as const;

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listFunds',
  tags: ['funds'],
  summary: 'Funds in your scope, with their balances',
  security: [{ bearer: [] }],
  responses: { 200: { description: 'Funds', content: { 'application/json': { schema: z.object({ funds: z.array(FundSchema) }) } } } },
});

const create = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createFund',
  tags: ['funds'],
  summary: 'Create a fund (finance): allocation, window, scope and optional per-trust allocations',
  security: [{ bearer: [] }],
  request: { body: jsonBody(NewFundSchema) },
  responses: {
    201: { description: 'Created, with its nightly claims Schedule', content: { 'application/json': { schema: FundSchema } } },
    409: { description: 'A fund of that name exists', content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: 'Unknown trusts, treatment functions or region, or allocations that do not fit', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const ledger = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getFund',
  tags: ['funds'],
  summary: "A fund with its balances at the end of each day it moved (the ledger over time)",
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: { 200: { description: 'The fund and its ledger', content: { 'application/json': { schema: LedgerSchema } } }, ...notFound },
});

const movements = createRoute({
  method: 'get',
  path: '/{id}/movements',
  operationId: 'listFundMovements',
  tags: ['funds'],
  summary: "A fund's ledger rows, newest first, a page at a time",
  security: [{ bearer: [] }],
  request: {
    params: IdParam,
    query: z.object({
      before: z.coerce.number().int().positive().optional().openapi({ description: 'Rows with ids below this (the last id of the previous page)' }),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: { 200: { description: 'Movements', content: { 'application/json': { schema: z.object({ movements: z.array(MovementSchema) }) } } }, ...notFound },
});

const reconciliation = createRoute({
  method: 'get',
  path: '/{id}/reconciliation',
  operationId: 'getFundReconciliation',
  tags: ['funds'],
  summary: 'Every treated transfer with its claim line and money, and every difference (none for a clean campaign)',
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: { 200: { description: 'The reconciliation', content: { 'application/json': { schema: ReconciliationSchema } } }, ...notFound },
});

const claimsRun = createRoute({
  method: 'post',
  path: '/{id}/claims-run',
  operationId: 'runFundClaims',
  tags: ['funds'],
  summary: "Start the fund's claims run now, as its nightly Schedule does",
  security: [{ bearer: [] }],
  middleware: noFields.middleware,
  request: { params: IdParam, body: noFields.body },
  responses: {
    202: { description: 'Started', content: { 'application/json': { schema: z.object({ scheduleId: z.string() }) } } },
    ...notFound,
  },
});

export function fundRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('finance', 'regional', 'admin'));
  app.on('POST', ['/', '/:id/claims-run'], requireRole('finance', 'admin'));

  app.openapi(list, async (c) => c.json({ funds: await fundsInScope(deps, c.get('staff')) }, 200));

  app.openapi(create, async (c) => c.json(await createFundAs(deps, c.get('staff'), c.req.valid('json')), 201));

  app.openapi(ledger, async (c) => {
    const { id } = c.req.valid('param');
    const fund = await fundInScope(deps, c.get('staff'), id);
    return c.json({ fund, days: await fundLedgerByDay(deps.db, id) }, 200);
  });

  app.openapi(movements, async (c) => {
    const { id } = c.req.valid('param');
    const { before, limit } = c.req.valid('query');
    await fundInScope(deps, c.get('staff'), id);
    const rows = await fundMovements(deps.db, id, { ...(before ? { beforeId: before } : {}), limit });
    return c.json({ movements: rows.map((row) => ({ ...row, at: row.at.toISOString() })) }, 200);
  });

  app.openapi(reconciliation, async (c) => {
    const { id } = c.req.valid('param');
    await fundInScope(deps, c.get('staff'), id);
    return c.json(await reconcileFund(deps.db, id), 200);
  });

  app.openapi(claimsRun, async (c) => {
    const { id } = c.req.valid('param');
    return c.json({ scheduleId: await runClaimsNow(deps, c.get('staff'), id) }, 202);
  });
  return app;
}
