import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { audit } from '../../db/repositories/audit';
import { getPathwayTrust } from '../../db/repositories/pathways';
import { getTransfer, getTransferTimeline } from '../../db/repositories/transfers';
import { transferWorkflowId } from '../../workflows/ids';
import { patientTransferWorkflow } from '../../workflows/patient-transfer';
import { canActForTrust, requireRole, requireStaff, staffActor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { ErrorSchema, IdParam, validationHook } from '../openapi';

const StartTransferSchema = z
  .object({
    pathwayId: z.number().int().positive().openapi({ example: 1 }),
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
    404: { description: 'No such pathway in your scope', content: { 'application/json': { schema: ErrorSchema } } },
    409: { description: 'The pathway already has an open transfer', content: { 'application/json': { schema: ErrorSchema } } },
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

  app.use(start.getRoutingPath(), requireRole('regional', 'admin'));
  app.openapi(start, async (c) => {
    const body = c.req.valid('json');
    const staff = c.get('staff');
    const pathway = await getPathwayTrust(deps.db, body.pathwayId);
    if (!pathway || !canActForTrust(staff, pathway)) throw new ApiError(404, 'not_found', `pathway ${body.pathwayId} not found`);
    const workflowId = transferWorkflowId(body.pathwayId);
    try {
      await deps.temporal.workflow.start(patientTransferWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [{ pathwayId: body.pathwayId, responseWindowDays: body.responseWindowDays }],
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
