/**
 * The booking saga's steps (PRODUCT.md §3.7), each with its compensation: hold the slot / release it,
 * commit the money / release it, ask the provider / confirm. Each is safe to repeat.
 */
import { sql } from 'kysely';
import { holdSlot, setBookingStatus, type HoldResult } from '../db/repositories/bookings';
import { commitBookingFunds, releaseBookingFunds, type CommitResult } from '../db/repositories/funds';
import type { Db } from '../db/database';
import { audit } from '../db/repositories/audit';
import { addTransferEvent } from '../db/repositories/transfers';
import { dayOf } from '../domain/dates';
import { NotFound } from '../domain/failures';
import { bookablePeriod, type Period } from '../domain/offer';
import type { ActivityDeps } from './index';

export function bookingActivities({ db, now }: ActivityDeps) {
  return {
    /** Holds the chosen slot for the transfer, if it is still free; the slot's row is locked meanwhile. */
    async holdSlot(input: { transferId: number; siteOds: string; slotId: number; fundId: number; period: Period }): Promise<HoldResult> {
      return holdSlot(db, { ...input, period: bookablePeriod(input.period, dayOf(now())) });
    },

    async commitFunds(input: { bookingId: number }): Promise<CommitResult> {
      return commitBookingFunds(db, input.bookingId);
    },

    async releaseFunds(input: { bookingId: number; reason: string }): Promise<void> {
      await releaseBookingFunds(db, input.bookingId, input.reason);
    },

    /**
     * Lets the slot go: the booking ends as released, rejected or cancelled. A provider's rejection
     * comes with its actor and is audited with it (runs from before the actor was passed have none).
     */
    async releaseSlot(input: { bookingId: number; status: 'released' | 'rejected' | 'cancelled'; reason: string; actor?: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const changed = await setBookingStatus(trx, input.bookingId, input.status, ['held', 'requested', 'accepted'], input.reason);
        if (!changed) return;
        await addBookingEvent(trx, input.bookingId, `booking.${input.status}`, { reason: input.reason });
        if (input.status === 'rejected' && input.actor) {
          await audit(trx, { actor: input.actor, action: 'booking.reject', subject: `booking:${input.bookingId}`, detail: { reason: input.reason } });
        }
      });
    },

    /** Puts the booking in front of the provider: it appears on their bookings list to accept or reject. */
    async requestProviderAcceptance(input: { bookingId: number }): Promise<void> {
      const changed = await setBookingStatus(db, input.bookingId, 'requested', ['held']);
      if (changed) await addBookingEvent(db, input.bookingId, 'booking.requested', {});
    },

    /** The provider accepted: the booking stands, the pathway is transferred out of the trust, and the decision is audited. */
    async confirmBooking(input: { bookingId: number; actor: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const changed = await setBookingStatus(trx, input.bookingId, 'accepted', ['requested']);
        if (!changed) return;
        await trx
          .updateTable('pathways')
          .set({ status: 'transferred_out', updated_at: sql`now()` })
          .where('id', '=', (eb) =>
            eb.selectFrom('bookings').innerJoin('transfers', 'transfers.id', 'bookings.transfer_id').select('transfers.pathway_id').where('bookings.id', '=', input.bookingId),
          )
          .execute();
        await addTransferEvent(trx, await transferOfBooking(trx, input.bookingId), 'booking.accepted', { bookingId: input.bookingId, actor: input.actor });
        await audit(trx, { actor: input.actor, action: 'booking.accept', subject: `booking:${input.bookingId}` });
      });
    },
  };
}

async function addBookingEvent(db: Db, bookingId: number, kind: string, detail: Record<string, unknown>): Promise<void> {
  await addTransferEvent(db, await transferOfBooking(db, bookingId), kind, { bookingId, ...detail });
}

/** The transfer a booking belongs to; a booking that is not there will not appear on a retry. */
async function transferOfBooking(db: Db, bookingId: number): Promise<number> {
  const booking = await db.selectFrom('bookings').select('transfer_id').where('id', '=', bookingId).executeTakeFirst();
  if (!booking) throw new NotFound(`booking ${bookingId} not found`);
  return booking.transfer_id;
}
