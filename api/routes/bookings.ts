/**
 * IS providers' side of a booking: the bookings at their sites, accepting or rejecting one after
 * pre-op assessment, and recording the outcome. Each change goes to the transfer workflow as an
 * Update; the workflow checks it is this provider's booking and in the right state.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../db/repositories/audit';
import { providerBookings } from '../../db/repositories/bookings';
import { OUTCOMES, type StaffUser } from '../../db/schema';
import { isIsoDate, isOpcs4Code, normaliseOpcs4 } from '../../domain/codes';
import { outcomeUpdate, providerDecisionUpdate } from '../../workflows/patient-transfer';
import { requireRole, requireStaff, staffActor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { ErrorSchema, IdParam, validationHook } from '../openapi';
import { updateTransfer } from '../workflow-updates';

const BOOKING_STATUSES = ['held', 'requested', 'accepted', 'rejected', 'released', 'cancelled', 'completed'] as const;

const BookingSchema = z
  .object({
    id: z.number(),
    transferId: z.number(),
    status: z.enum(BOOKING_STATUSES),
    siteOds: z.string(),
    siteName: z.string(),
    procedureDate: z.string(),
    procedureCode: z.string().nullable(),
    pricePence: z.number(),
    priceSource: z.string(),
  })
  .openapi('Booking');

const DecisionSchema = z
  .object({
    decision: z.enum(['accept', 'reject']),
    reason: z.string().trim().min(1).max(500).optional().openapi({ example: 'Anaesthetic risk found at pre-op assessment' }),
  })
  .refine((body) => body.decision === 'accept' || body.reason, { message: 'a rejection needs a reason', path: ['reason'] })
  .openapi('BookingDecision');

const OutcomeSchema = z
  .object({
    outcome: z.enum(OUTCOMES),
    procedureCode: z
      .string()
      .transform(normaliseOpcs4)
      .refine(isOpcs4Code, 'must be an OPCS-4 code such as W37.1')
      .optional()
      .openapi({ example: 'W37.1' }),
    treatedOn: z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD').optional().openapi({ example: '2026-12-14' }),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((body) => body.outcome !== 'treated' || (body.procedureCode && body.treatedOn), {
    message: 'a treated outcome needs procedureCode and treatedOn',
    path: ['procedureCode'],
  })
  .openapi('BookingOutcome');

const StateSchema = z.object({ bookingId: z.number(), transferState: z.string() }).openapi('BookingChanged');

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['bookings'],
  summary: "The bookings at your sites (a provider's own; all for an admin)",
  security: [{ bearer: [] }],
  request: { query: z.object({ status: z.enum(BOOKING_STATUSES).optional().openapi({ example: 'requested' }) }) },
  responses: { 200: { description: 'Bookings, soonest first', content: { 'application/json': { schema: z.object({ bookings: z.array(BookingSchema) }) } } } },
});

const changeResponses = {
  200: { description: 'Recorded; the transfer moves on', content: { 'application/json': { schema: StateSchema } } },
  404: { description: 'No such booking at your sites', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'The booking is not in a state that allows this', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

const decide = createRoute({
  method: 'post',
  path: '/{id}/decision',
  tags: ['bookings'],
  summary: 'Accept or reject a booking after pre-op assessment',
  security: [{ bearer: [] }],
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: DecisionSchema } } } },
  responses: changeResponses,
});

const recordOutcome = createRoute({
  method: 'post',
  path: '/{id}/outcome',
  tags: ['bookings'],
  summary: 'Record the outcome: treated (with the OPCS-4 code and date), did not attend, or cancelled',
  security: [{ bearer: [] }],
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: OutcomeSchema } } } },
  responses: changeResponses,
});

export function bookingRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('provider', 'admin'));

  /** The caller's booking: a provider sees only its own sites' bookings, as if others did not exist. */
  async function ownBooking(staff: StaffUser, bookingId: number) {
    const [booking] = await providerBookings(deps.db, { providerOds: staff.role === 'admin' ? null : staff.provider_ods, bookingId });
    if (!booking) throw new ApiError(404, 'not_found', `booking ${bookingId} not found at your sites`);
    return booking;
  }

  app.openapi(list, async (c) => {
    const staff = c.get('staff');
    const bookings = await providerBookings(deps.db, { providerOds: staff.role === 'admin' ? null : staff.provider_ods, status: c.req.valid('query').status });
    return c.json({ bookings: bookings.map(({ providerOds: _provider, workflowId: _workflow, ...booking }) => booking) }, 200);
  });

  app.openapi(decide, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const staff = c.get('staff');
    const booking = await ownBooking(staff, id);
    const status = await updateTransfer(deps.temporal, booking.workflowId, providerDecisionUpdate, [
      { decision: body.decision, reason: body.reason, providerOds: staff.provider_ods ?? booking.providerOds, actor: staffActor(staff) },
    ]);
    await audit(deps.db, { actor: staffActor(staff), action: `booking.${body.decision}`, subject: `booking:${id}`, detail: body.reason ? { reason: body.reason } : {} });
    return c.json({ bookingId: id, transferState: status.state }, 200);
  });

  app.openapi(recordOutcome, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const staff = c.get('staff');
    const booking = await ownBooking(staff, id);
    const status = await updateTransfer(deps.temporal, booking.workflowId, outcomeUpdate, [{ ...body, providerOds: staff.provider_ods ?? booking.providerOds, actor: staffActor(staff) }]);
    await audit(deps.db, { actor: staffActor(staff), action: `booking.outcome.${body.outcome}`, subject: `booking:${id}`, detail: body });
    return c.json({ bookingId: id, transferState: status.state }, 200);
  });
  return app;
}
