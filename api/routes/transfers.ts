import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { audit } from '../../db/repositories/audit';
import { fundScope } from '../../db/repositories/funds';
import { getPathwayTrust } from '../../db/repositories/pathways';
import { getTransfer, getTransferTimeline, listTransfers } from '../../db/repositories/transfers';
import { transferWorkflowId } from '../../workflows/ids';
import { TRANSFER_STATES } from '../../domain/transfer';
import { patientTransferWorkflow } from '../../workflows/patient-transfer';
import { transferSearchAttributes } from '../../workflows/search-attributes';
import { canActForTrust, requireRole, requireStaff, staffActor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { ErrorSchema, IdParam, validationHook } from '../openapi';
import { confirmCandidates, reviewCandidate, reviewQueueOf } from '../reviews';

const StartTransferSchema = z
  .object({
    pathwayId: z.number().int().positive().openapi({ example: 1 }),
    fundId: z.number().int().positive().openapi({ example: 1 }),
    responseWindowDays: z.number().int().min(1).max(60).optional().openapi({ example: 14 }),
  })
  .openapi('StartTransfer');

const StartedSchema = z.object({ workflowId: z.string(), pathwayId: z.number() }).openapi('TransferStarted');

const TransferSchema = z
  .object({
    id: z.number(),
    pathwayId: z.number(),
    workflowId: z.string(),
    state: z.string(),
    openedAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    timeline: z.array(z.object({ at: z.string(), kind: z.string(), detail: z.record(z.string(), z.unknown()) })),
  })
  .openapi('Transfer');

const start = createRoute({
  method: 'post',
  path: '/',
  tags: ['transfers'],
  summary: "Start a pathway's transfer",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: StartTransferSchema } } } },
  responses: {
    202: { description: 'The transfer workflow has started', content: { 'application/json': { schema: StartedSchema } } },
    404: { description: 'No such pathway in your scope, or no such fund', content: { 'application/json': { schema: ErrorSchema } } },
    409: { description: 'The pathway already has an open transfer', content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: "The pathway is outside the fund's scope", content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const ReviewSchema = z
  .object({
    decision: z.enum(['confirm', 'refuse']).openapi({ example: 'confirm' }),
    reason: z.string().trim().min(1).max(500).optional().openapi({ example: 'Needs a cardiology opinion first' }),
  })
  .refine((review) => review.decision === 'confirm' || review.reason, { message: 'a refusal needs a reason', path: ['reason'] })
  .openapi('Review');

const BulkConfirmSchema = z
  .object({ transferIds: z.array(z.number().int().positive()).min(1).max(500).openapi({ example: [1, 2, 3] }) })
  .openapi('BulkConfirm');

const ReviewResultSchema = z
  .object({ transferId: z.number(), state: z.string().optional(), error: z.string().optional() })
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
  })
  .openapi('ReviewCandidate');

const queue = createRoute({
  method: 'get',
  path: '/review/queue',
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
  tags: ['transfers'],
  summary: 'Confirm or refuse a candidate (a clinician of its trust)',
  security: [{ bearer: [] }],
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ReviewSchema } } } },
  responses: {
    200: { description: 'Recorded; the transfer moves on', content: { 'application/json': { schema: ReviewResultSchema } } },
    404: { description: 'No such transfer in your trust', content: { 'application/json': { schema: ErrorSchema } } },
    409: { description: 'The transfer is not awaiting review', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const bulkConfirm = createRoute({
  method: 'post',
  path: '/review/confirm',
  tags: ['transfers'],
  summary: 'Confirm a selected batch of candidates at once (a clinician of their trust)',
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: BulkConfirmSchema } } } },
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
    state: z.string(),
    openedAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('TransferSummary');

const list = createRoute({
  method: 'get',
  path: '/',
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
    const staff = c.get('staff');
    const pathway = await getPathwayTrust(deps.db, body.pathwayId);
    if (!pathway || !canActForTrust(staff, pathway)) throw new ApiError(404, 'not_found', `pathway ${body.pathwayId} not found`);
    // The pathway is known to exist: no scope means no such fund.
    const scope = await fundScope(deps.db, body.fundId, body.pathwayId);
    if (!scope) throw new ApiError(404, 'not_found', `fund ${body.fundId} not found`);
    if (scope.problem) throw new ApiError(422, 'fund_out_of_scope', scope.problem);
    const workflowId = transferWorkflowId(body.pathwayId);
    try {
      await deps.temporal.workflow.start(patientTransferWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        typedSearchAttributes: transferSearchAttributes({ trustOds: pathway.ods_code }),
        args: [
          {
            pathwayId: body.pathwayId,
            fundId: body.fundId,
            ...(body.responseWindowDays ? { settings: { responseWindowDays: body.responseWindowDays } } : {}),
          },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ApiError(409, 'transfer_open', `pathway ${body.pathwayId} already has an open transfer`, { workflowId });
      }
      throw error;
    }
    await audit(deps.db, { actor: staffActor(staff), action: 'transfer.start', subject: `pathway:${body.pathwayId}`, detail: { workflowId } });
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
    const staff = c.get('staff');
    // Each role sees its own scope only: a clinician their trust, a regional team their region.
    const trustOds = staff.role === 'clinician' ? staff.trust_ods : (query.trust ?? null);
    if (staff.role === 'clinician' && query.trust && query.trust !== staff.trust_ods) throw new ApiError(403, 'forbidden', `you see trust ${staff.trust_ods} only`);
    const transfers = await listTransfers(deps.db, {
      trustOds,
      regionCode: staff.role === 'regional' ? staff.region_code : null,
      state: query.state,
      before: query.before,
      limit: query.limit,
    });
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
    const { id } = c.req.valid('param');
    const staff = c.get('staff');
    const transfer = await getTransfer(deps.db, id);
    const pathway = transfer && (await getPathwayTrust(deps.db, transfer.pathway_id));
    if (!transfer || !pathway || !canActForTrust(staff, pathway)) throw new ApiError(404, 'not_found', `transfer ${id} not found`);
    const timeline = await getTransferTimeline(deps.db, id);
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
      },
      200,
    );
  });
  return app;
}
