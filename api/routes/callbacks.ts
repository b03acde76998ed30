/**
 * The call backs patients asked for: a trust's list of whom to phone, and marking one done. The list
 * holds names and numbers, so reading it is audited.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../db/repositories/audit';
import { type CallbackScope, completeCallback, openCallbacks } from '../../db/repositories/callbacks';
import type { StaffUser } from '../../db/schema';
import { staffActor } from '../../services/access';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { ErrorSchema, IdParam, noFields, validationHook } from '../openapi';

const CallbackSchema = z
  .object({
    id: z.number(),
    transferId: z.number(),
    trustOds: z.string(),
    pathwayRef: z.string(),
    patientName: z.string(),
    phone: z.string().nullable(),
    requestedAt: z.string(),
  })
  .openapi('Callback');

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listCallbacks',
  tags: ['callbacks'],
  summary: 'Open call backs in your scope, oldest first',
  security: [{ bearer: [] }],
  responses: { 200: { description: 'Whom to call', content: { 'application/json': { schema: z.object({ callbacks: z.array(CallbackSchema) }) } } } },
});

const done = createRoute({
  method: 'post',
  path: '/{id}/done',
  operationId: 'markCallbackDone',
  tags: ['callbacks'],
  summary: 'Mark a call back done',
  security: [{ bearer: [] }],
  middleware: noFields.middleware,
  request: { params: IdParam, body: noFields.body },
  responses: {
    204: { description: 'Done' },
    404: { description: 'No such open call back in your scope', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

/** A clinician works their trust's call backs, a regional team its region's, an admin all. */
function scopeOf(staff: StaffUser): CallbackScope {
  return { trustOds: staff.role === 'clinician' ? staff.trust_ods : null, regionCode: staff.role === 'regional' ? staff.region_code : null };
}

export function callbackRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('clinician', 'regional', 'admin'));

  app.openapi(list, async (c) => {
    const staff = c.get('staff');
    const callbacks = await openCallbacks(deps.db, scopeOf(staff));
    await audit(deps.db, { actor: staffActor(staff), action: 'callbacks.view', subject: `staff:${staff.id}`, detail: { callbacks: callbacks.length } });
    return c.json({ callbacks: callbacks.map((callback) => ({ ...callback, requestedAt: callback.requestedAt.toISOString() })) }, 200);
  });

  app.openapi(done, async (c) => {
    const { id } = c.req.valid('param');
    const staff = c.get('staff');
    if (!(await completeCallback(deps.db, id, scopeOf(staff), staffActor(staff)))) {
      throw new ApiError(404, 'not_found', `no open call back ${id} in your scope`);
    }
    await audit(deps.db, { actor: staffActor(staff), action: 'callback.done', subject: `callback:${id}` });
    return c.body(null, 204);
  });
  return app;
}
