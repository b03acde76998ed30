/**
 * IS providers' side of a booking, as JSON: the bookings at their sites, accepting or rejecting one
 * after pre-op assessment, and recording the outcome (through services/bookings.ts, as the pages do).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { BOOKING_STATUSES } from '../../db/schema';
import { TREATED_DAYS_AFTER_BOOKED_MAX } from '../../domain/outcome-dates';
import { outcomeSchema, providerDecisionSchema } from '../../domain/transfer-schemas';
import { bookingsInScope, decideBooking, recordBookingOutcome } from '../../services/bookings';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { documented, ErrorSchema, IdParam, jsonBody, TransferStateSchema, validationHook } from '../openapi';

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

const DecisionSchema = documented(providerDecisionSchema.strict(), 'BookingDecision', { example: { decision: 'reject', reason: 'Anaesthetic risk found at pre-op assessment' } });

const OutcomeSchema = documented(outcomeSchema.strict(), 'BookingOutcome', { example: { outcome: 'treated', procedureCode: 'W37.1', treatedOn: '2026-12-14' } });

const StateSchema = z.object({ bookingId: z.number(), transferState: TransferStateSchema }).openapi('BookingChanged');

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listBookings',
  tags: ['bookings'],
  summary: "The bookings at your sites (a provider's own; all for an admin)",
  security: [{ bearer: [] }],
  request: { query: z.object({ status: z.enum(BOOKING_STATUSES).optional().openapi({ example: 'requested' }) }) },
  responses: { 200: { description: 'Bookings, soonest first', content: { 'application/json': { schema: z.object({ bookings: z.array(BookingSchema) }) } } } },
});

const changeResponses = {
  200: { description: 'Recorded; the transfer moves on', content: { 'application/json': { schema: StateSchema } } },
  404: { description: 'No such booking at your sites', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Only the provider of the booking may change it', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'The booking is not in a state that allows this', content: { 'application/json': { schema: ErrorSchema } } },
  422: { description: 'The change breaks a rule (a date in the future, say); the field is named', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

const decide = createRoute({
  method: 'post',
  path: '/{id}/decision',
  operationId: 'decideBooking',
  tags: ['bookings'],
  summary: 'Accept or reject a booking after pre-op assessment',
  security: [{ bearer: [] }],
  request: { params: IdParam, body: jsonBody(DecisionSchema) },
  responses: changeResponses,
});

const recordOutcome = createRoute({
  method: 'post',
  path: '/{id}/outcome',
  operationId: 'recordBookingOutcome',
  tags: ['bookings'],
  summary: 'Record the outcome: treated (with the OPCS-4 code and date), did not attend, or cancelled',
  description: `A treated date may not be before the patient's consent, the provider's acceptance or the booked procedure date, nor more than ${TREATED_DAYS_AFTER_BOOKED_MAX} days after that date: 422 with the rule broken as the code (treated_before_consent, treated_before_acceptance, treated_before_procedure_date, treated_too_long_after_procedure_date). A day still to come is a 422 naming treatedOn.`,
  security: [{ bearer: [] }],
  request: { params: IdParam, body: jsonBody(OutcomeSchema) },
  responses: changeResponses,
});

export function bookingRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('provider', 'admin'));

  app.openapi(list, async (c) => {
    const bookings = await bookingsInScope(deps, c.get('staff'), { status: c.req.valid('query').status });
    return c.json({ bookings: bookings.map(({ providerOds: _provider, workflowId: _workflow, outcome: _outcome, treatedOn: _treatedOn, ...booking }) => booking) }, 200);
  });

  app.openapi(decide, async (c) => {
    const { id } = c.req.valid('param');
    const status = await decideBooking(deps, c.get('staff'), id, c.req.valid('json'));
    return c.json({ bookingId: id, transferState: status.state }, 200);
  });

  app.openapi(recordOutcome, async (c) => {
    const { id } = c.req.valid('param');
    const status = await recordBookingOutcome(deps, c.get('staff'), id, c.req.valid('json'));
    return c.json({ bookingId: id, transferState: status.state }, 200);
  });
  return app;
}
