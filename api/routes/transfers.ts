/**
 * Transfers as JSON: start one for a pathway, list and read them (with the timeline), and a
 * clinician's review of their trust's candidates, one by one or a batch (through services/, as the
 * review page does).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { TRANSFER_STATES } from '../../domain/transfer';
import { reviewDecisionSchema } from '../../domain/transfer-schemas';
import { confirmCandidates, reviewCandidate, reviewQueueOf } from '../../services/reviews';
import { startTransfer, transferInScope, transfersInScope } from '../../services/transfers';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { documented, ErrorSchema, IdParam, jsonBody, TransferStateSchema, validationHook } from '../openapi';

const StartTransferSchema = z
  .strictObject({
    pathwayId: z.number().int().positive().openapi({ example: 1 }),
    fundId: z.number().int().positive().openapi({ example: 1 }),
    responseWindowDays: z.number().int().min(1).max(60).optional().openapi({ example: 14 }),
  })
  .openapi('StartTransfer');

const StartedSchema = z.object({ workflowId: z.string(), pathwayId: z.number() }).openapi('TransferStarted');

const EarlierTransfersSchema = z
  .array(z.object({ transferId: z.number(), state: TransferStateSchema, openedAt: z.string(), closedAt: z.string(), reason: z.string().nullable() }))
  .openapi({ description: "The pathway's earlier transfers, newest first: how they ended, when and why" });

const TransferSchema = z
  .object({
    id: z.number(),
    pathwayId: z.number(),
    workflowId: z.string(),
    state: TransferStateSchema,
    openedAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    timeline: z.array(
      z.object({
        at: z.string(),
        kind: z.string(),
        detail: z.record(z.string(), z.unknown()).openapi({
          description:
            'What the event records: `screened_out` has `sites` (each site with the exclusions that stopped the patient) or a `reason`; ' +
            '`returned_to_list` has the pathway\'s original `clockStartDate`, `closedAs` (the state the transfer ended in) and any `reason`',
        }),
      }),
    ),
    earlierTransfers: EarlierTransfersSchema,
  })
  .openapi('Transfer');

const start = createRoute({
  method: 'post',
  path: '/',
  operationId: 'startTransfer',
  tags: ['transfers'],
  summary: "Start a pathway's transfer",
  security: [{ bearer: [] }],
  request: { body: jsonBody(StartTransferSchema) },
  responses: {
    202: { description: 'The transfer workflow has started', content: { 'application/json': { schema: StartedSchema } } },
    404: { description: 'No such pathway in your scope, or no such fund', content: { 'application/json': { schema: ErrorSchema } } },
    409: { description: "The pathway already has an open transfer, or its patient said no lately (the cohort's rule; details name the earlier transfer)", content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: "The pathway is outside the fund's scope", content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const ReviewSchema = documented(reviewDecisionSchema.strict(), 'Review', { example: { decision: 'refuse', reason: 'Needs a cardiology opinion first' } });

const BulkConfirmSchema = z
  .strictObject({ transferIds: z.array(z.number().int().positive()).min(1).max(500).openapi({ example: [1, 2, 3] }) })
  .openapi('BulkConfirm');

const ReviewResultSchema = z
  .object({ transferId: z.number(), state: TransferStateSchema.optional(), error: z.string().optional() })
  .openapi('ReviewResult');

const CandidateSchema = z
  .object({
    transferId: z.number(),
    pathwayRef: z.string(),
    patientName: z.string(),
    sex: z.string(),
    treatmentFunction: z.string(),
    procedure: z.string().nullable(),
    clockStartDate: z.string(),
    facts: z.object({
      dateOfBirth: z.string(),
      bmi: z.number().nullable(),
      lastHeartAttackOn: z.string().nullable(),
      lastStrokeOn: z.string().nullable(),
      needsCriticalCare: z.boolean(),
      onDialysis: z.boolean(),
      diabetes: z.string(),
      hypertension: z.string(),
      anticoagulated: z.boolean(),
      sickleCell: z.boolean(),
      psychiatricUnstable: z.boolean(),
    }),
    sites: z.array(
      z.object({ siteName: z.string(), passes: z.boolean(), exclusions: z.array(z.object({ criterion: z.string(), reason: z.string() })) }),
    ),
    earlierTransfers: EarlierTransfersSchema,
  })
  .openapi('ReviewCandidate');

const queue = createRoute({
  method: 'get',
  path: '/review/queue',
  operationId: 'getReviewQueue',
  tags: ['transfers'],
  summary: "Your trust's candidates awaiting review, longest waiting first, with the facts and each site's screening result",
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'The review queue', content: { 'application/json': { schema: z.object({ candidates: z.array(CandidateSchema) }) } } },
  },
});

const review = createRoute({
  method: 'post',
  path: '/{id}/review',
  operationId: 'reviewTransfer',
  tags: ['transfers'],
  summary: 'Confirm or refuse a candidate (a clinician of its trust)',
  security: [{ bearer: [] }],
  request: { params: IdParam, body: jsonBody(ReviewSchema) },
  responses: {
    200: { description: 'Recorded; the transfer moves on', content: { 'application/json': { schema: ReviewResultSchema } } },
    404: { description: 'No such transfer in your trust', content: { 'application/json': { schema: ErrorSchema } } },
    409: { description: 'The transfer is not awaiting review', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const bulkConfirm = createRoute({
  method: 'post',
  path: '/review/confirm',
  operationId: 'confirmCandidates',
  tags: ['transfers'],
  summary: 'Confirm a selected batch of candidates at once (a clinician of their trust)',
  security: [{ bearer: [] }],
  request: { body: jsonBody(BulkConfirmSchema) },
  responses: {
    200: {
      description: 'One result per transfer: its new state, or why it was not confirmed',
      content: { 'application/json': { schema: z.object({ results: z.array(ReviewResultSchema) }) } },
    },
  },
});

const TransferSummarySchema = z
  .object({
    id: z.number(),
    pathwayId: z.number(),
    trustOds: z.string(),
    treatmentFunctionCode: z.string(),
    state: TransferStateSchema,
    openedAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('TransferSummary');

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listTransfers',
  tags: ['transfers'],
  summary: 'Transfers in your scope, newest first, a page at a time',
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      state: z.enum(TRANSFER_STATES).optional().openapi({ example: 'awaiting_review' }),
      trust: z.string().regex(/^[A-Z0-9]{3,5}$/, 'must be a trust ODS code').optional().openapi({ example: 'RWE' }),
      before: z.coerce.number().int().positive().optional().openapi({ description: 'the nextBefore of the previous page' }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: {
      description: 'A page of transfers; nextBefore fetches the next one',
      content: { 'application/json': { schema: z.object({ transfers: z.array(TransferSummarySchema), nextBefore: z.number().nullable() }) } },
    },
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getTransfer',
  tags: ['transfers'],
  summary: 'A transfer with its timeline',
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: {
    200: { description: 'The transfer', content: { 'application/json': { schema: TransferSchema } } },
    404: { description: 'No such transfer in your scope', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

export function transferRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db));

  app.on('POST', start.getRoutingPath(), requireRole('regional', 'admin'));
  app.openapi(start, async (c) => {
    const body = c.req.valid('json');
    const { workflowId } = await startTransfer(deps, c.get('staff'), body);
    return c.json({ workflowId, pathwayId: body.pathwayId }, 202);
  });

  app.use('/:id/review', requireRole('clinician'));
  app.use('/review/*', requireRole('clinician'));

  app.openapi(queue, async (c) => {
    return c.json({ candidates: await reviewQueueOf(deps, c.get('staff')) }, 200);
  });

  app.openapi(review, async (c) => {
    const { id } = c.req.valid('param');
    const status = await reviewCandidate(deps, c.get('staff'), id, c.req.valid('json'));
    return c.json({ transferId: id, state: status.state }, 200);
  });

  app.openapi(bulkConfirm, async (c) => {
    const results = await confirmCandidates(deps, c.get('staff'), c.req.valid('json').transferIds);
    return c.json({ results }, 200);
  });

  app.on('GET', list.getRoutingPath(), requireRole('regional', 'clinician', 'admin'));
  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const transfers = await transfersInScope(deps, c.get('staff'), query);
    return c.json(
      {
        transfers: transfers.map((transfer) => ({
          ...transfer,
          openedAt: transfer.openedAt.toISOString(),
          updatedAt: transfer.updatedAt.toISOString(),
          closedAt: transfer.closedAt?.toISOString() ?? null,
        })),
        nextBefore: transfers.length === query.limit ? transfers.at(-1)!.id : null,
      },
      200,
    );
  });

  app.openapi(get, async (c) => {
    const { transfer, timeline, earlierTransfers } = await transferInScope(deps, c.get('staff'), c.req.valid('param').id);
    return c.json(
      {
        id: transfer.id,
        pathwayId: transfer.pathway_id,
        workflowId: transfer.workflow_id,
        state: transfer.state,
        openedAt: transfer.opened_at.toISOString(),
        updatedAt: transfer.updated_at.toISOString(),
        closedAt: transfer.closed_at?.toISOString() ?? null,
        timeline: timeline.map((event) => ({ at: event.at.toISOString(), kind: event.kind, detail: event.detail })),
        earlierTransfers,
      },
      200,
    );
  });
  return app;
}
