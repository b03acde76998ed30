/**
 * A provider's decisions on its bookings: accept or reject after pre-op assessment, and the outcome.
 * The one place the API and the bookings page both go through. This checks the booking is at the
 * caller's sites (others answer as unknown); the workflow checks the state and the provider again,
 * and the activity recording each decision audits it in the same transaction.
 */
import { providerBookings } from '../db/repositories/bookings';
import type { StaffUser } from '../db/schema';
import { NotFound } from '../domain/failures';
import type { OutcomeRecord, ProviderDecision, TransferStatus } from '../domain/transfer';
import { outcomeUpdate, providerDecisionUpdate } from '../workflows/messages';
import { staffActor } from './access';
import type { ServiceDeps } from './context';
import { updateTransfer } from './workflow-updates';

/** A provider's own sites' bookings; every provider's for an admin. */
export function bookingsInScope(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, filter: Omit<Parameters<typeof providerBookings>[1], 'providerOds'> = {}) {
  return providerBookings(deps.db, { providerOds: staff.role === 'admin' ? null : staff.provider_ods, ...filter });
}

async function ownBooking(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, bookingId: number) {
  const [booking] = await bookingsInScope(deps, staff, { bookingId });
  if (!booking) throw new NotFound(`booking ${bookingId} not found at your sites`);
  return booking;
}

export async function decideBooking(deps: ServiceDeps, staff: StaffUser, bookingId: number, decision: ProviderDecision): Promise<TransferStatus> {
  const booking = await ownBooking(deps, staff, bookingId);
  return updateTransfer(deps, booking.workflowId, providerDecisionUpdate, [
    { ...decision, providerOds: staff.provider_ods ?? booking.providerOds, actor: staffActor(staff) },
  ]);
}

export async function recordBookingOutcome(deps: ServiceDeps, staff: StaffUser, bookingId: number, outcome: OutcomeRecord): Promise<TransferStatus> {
  const booking = await ownBooking(deps, staff, bookingId);
  return updateTransfer(deps, booking.workflowId, outcomeUpdate, [
    { ...outcome, providerOds: staff.provider_ods ?? booking.providerOds, actor: staffActor(staff) },
  ]);
}
