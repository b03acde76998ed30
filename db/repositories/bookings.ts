/**
 * Bookings: a slot held for a transfer while the money is committed and the provider answers. A
 * patient holds a day at a site, whichever of its slots is free; the day's slot rows are locked while
 * one is taken, and a unique index allows one live booking per slot, so patients racing for a day's
 * last slots give exactly one booking each.
 */
import { sql } from 'kysely';
import type { Db } from '../database';
import type { BookingStatus } from '../schema';
import { isSlotOfSite } from '../../domain/offer';
import type { BookingSummary } from '../../domain/transfer';
import { freeSlots } from './offer-choices';
import { addTransferEvent } from './transfers';

/** The site a slot is at, if there is such a slot. */
export function slotById(db: Db, slotId: number): Promise<{ siteOds: string } | undefined> {
  return db.selectFrom('slots').select('site_ods as siteOds').where('id', '=', slotId).executeTakeFirst();
}

export type HoldResult = { ok: true; booking: BookingSummary } | { ok: false; reason: string };

export async function holdSlot(
  db: Db,
  request: { transferId: number; siteOds: string; slotId: number; fundId: number; period: { from: string; to: string } },
): Promise<HoldResult> {
  return db.transaction().execute(async (trx) => {
    const chosen = await trx.selectFrom('slots').select(['site_ods as siteOds', 'slot_date']).where('id', '=', request.slotId).executeTakeFirst();
    if (!chosen || !isSlotOfSite(chosen, request.siteOds)) return { ok: false, reason: `slot ${request.slotId} is not at ${request.siteOds}` };
    const existing = await trx
      .selectFrom('bookings')
      .innerJoin('sites', 'sites.ods_code', 'bookings.site_ods')
      .select(['bookings.id', 'bookings.site_ods', 'sites.provider_ods', 'bookings.procedure_date'])
      .where('bookings.transfer_id', '=', request.transferId)
      .where('bookings.status', 'in', ['held', 'requested', 'accepted'])
      .executeTakeFirst();
    if (existing) {
      // A retried activity finds its own hold (on the chosen day); any other live booking is a fault in the flow.
      if (existing.site_ods !== chosen.siteOds || existing.procedure_date !== chosen.slot_date) throw new Error(`transfer ${request.transferId} already holds booking ${existing.id}`);
      return { ok: true, booking: { bookingId: existing.id, siteOds: existing.site_ods, providerOds: existing.provider_ods, procedureDate: existing.procedure_date } };
    }
    // The patient chose a hospital and a day; the slot only names the day's first free one as the page
    // showed it. The day's slots are locked, in one order, so holds of the same day queue here and each
    // takes the first slot still free: patients choosing a day at once all get it while it has room.
    await trx.selectFrom('slots').select('id').where('site_ods', '=', chosen.siteOds).where('slot_date', '=', chosen.slot_date).orderBy('id').forUpdate().execute();
    const pathway = await trx
      .selectFrom('transfers')
      .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
      .select(['pathways.treatment_function_code', 'pathways.planned_procedure_code'])
      .where('transfers.id', '=', request.transferId)
      .executeTakeFirstOrThrow();
    // Free, right for the procedure, in the period, and priced: the same rules the offer was made by.
    const day = chosen.slot_date;
    const inPeriod = request.period.from <= day && day <= request.period.to;
    const [free] = inPeriod
      ? await freeSlots(
          trx,
          [request.siteOds],
          { treatmentFunctionCode: pathway.treatment_function_code, procedureCode: pathway.planned_procedure_code, from: day, to: day },
          { daysPerSite: 1 },
        )
      : [];
    if (!free) return { ok: false, reason: `every slot on ${day} has been taken, or the day is no longer available` };
    const booking = await trx
      .insertInto('bookings')
      .values({
        transfer_id: request.transferId,
        slot_id: free.slotId,
        site_ods: free.siteOds,
        fund_id: request.fundId,
        procedure_date: free.slotDate,
        price_pence: free.pricePence,
        price_source: free.priceSource,
        status: 'held',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The patient's link now leads to their booking, and works until the procedure date.
    await trx
      .updateTable('offers')
      .set({ expires_at: sql`greatest(expires_at, ${free.slotDate}::date + interval '1 day')` })
      .where('transfer_id', '=', request.transferId)
      .execute();
    await addTransferEvent(trx, request.transferId, 'booking.held', { bookingId: booking.id, siteOds: free.siteOds, procedureDate: free.slotDate });
    return { ok: true, booking: { bookingId: booking.id, siteOds: free.siteOds, providerOds: free.providerOds, procedureDate: free.slotDate } };
  });
}

/** Moves a booking on, only from the statuses it may come from; a repeat finds it done. */
export async function setBookingStatus(
  db: Db,
  bookingId: number,
  to: BookingStatus,
  from: readonly BookingStatus[],
  reason: string | null = null,
): Promise<boolean> {
  const updated = await db
    .updateTable('bookings')
    .set({ status: to, reason, updated_at: sql`now()` })
    .where('id', '=', bookingId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** The transfer's latest booking, live or ended, with its site, for messages and pages. */
export async function latestBookingOfTransfer(db: Db, transferId: number) {
  return db
    .selectFrom('bookings')
    .innerJoin('sites', 'sites.ods_code', 'bookings.site_ods')
    .select([
      'bookings.id',
      'bookings.status',
      'bookings.site_ods as siteOds',
      'sites.name as siteName',
      'sites.provider_ods as providerOds',
      'bookings.procedure_date as procedureDate',
    ])
    .where('bookings.transfer_id', '=', transferId)
    .orderBy('bookings.id', 'desc')
    .executeTakeFirst();
}

/** Bookings at a provider's sites (every provider's when providerOds is null), soonest first, with the outcome once recorded. */
export async function providerBookings(db: Db, filter: { providerOds: string | null; status?: BookingStatus; bookingId?: number }) {
  let query = db
    .selectFrom('bookings')
    .innerJoin('sites', 'sites.ods_code', 'bookings.site_ods')
    .innerJoin('transfers', 'transfers.id', 'bookings.transfer_id')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .leftJoin('outcomes', 'outcomes.booking_id', 'bookings.id')
    .select([
      'bookings.id',
      'bookings.transfer_id as transferId',
      'bookings.status',
      'bookings.site_ods as siteOds',
      'sites.name as siteName',
      'sites.provider_ods as providerOds',
      'bookings.procedure_date as procedureDate',
      'pathways.planned_procedure_code as procedureCode',
      'bookings.price_pence as pricePence',
      'bookings.price_source as priceSource',
      'transfers.workflow_id as workflowId',
      'outcomes.outcome',
      'outcomes.treated_on as treatedOn',
    ]);
  if (filter.providerOds !== null) query = query.where('sites.provider_ods', '=', filter.providerOds);
  if (filter.status) query = query.where('bookings.status', '=', filter.status);
  if (filter.bookingId !== undefined) query = query.where('bookings.id', '=', filter.bookingId);
  return query.orderBy('bookings.procedure_date').orderBy('bookings.id').execute();
}
