/**
 * Funds and their ledger. Every movement is a row; balances are sums of rows. Money is committed
 * under a lock on the fund's row, so concurrent bookings queue for it and committed + claimed can
 * never pass the allocation (PRODUCT.md §4).
 */
import { sql } from 'kysely';
import type { Db } from '../database';

export interface FundBalance {
  readonly allocationPence: number;
  /** Committed to bookings and not yet released or claimed. */
  readonly committedPence: number;
  readonly claimedPence: number;
  readonly remainingPence: number;
}

export async function fundBalance(db: Db, fundId: number): Promise<FundBalance | undefined> {
  const row = await db
    .selectFrom('funds')
    .leftJoin('fund_movements', 'fund_movements.fund_id', 'funds.id')
    .select([
      'funds.allocation_pence as allocation',
      sql<number>`coalesce(sum(case fund_movements.kind when 'commitment' then amount_pence when 'release' then -amount_pence when 'claim' then -amount_pence else 0 end), 0)::bigint`.as('committed'),
      sql<number>`coalesce(sum(amount_pence) filter (where fund_movements.kind = 'claim'), 0)::bigint`.as('claimed'),
    ])
    .where('funds.id', '=', fundId)
    .groupBy('funds.id')
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    allocationPence: row.allocation,
    committedPence: row.committed,
    claimedPence: row.claimed,
    remainingPence: row.allocation - row.committed - row.claimed,
  };
}

export type CommitResult = { ok: true } | { ok: false; reason: string };

/**
 * Commits a booking's price against its fund, once: the fund row is locked for the transaction, the
 * balance read from the ledger, and the commitment written only if it fits.
 */
export async function commitBookingFunds(db: Db, bookingId: number): Promise<CommitResult> {
  return db.transaction().execute(async (trx) => {
    const booking = await trx.selectFrom('bookings').select(['fund_id', 'price_pence', 'status']).where('id', '=', bookingId).executeTakeFirstOrThrow();
    await trx.selectFrom('funds').select('id').where('id', '=', booking.fund_id).forUpdate().executeTakeFirstOrThrow();
    const already = await trx.selectFrom('fund_movements').select('id').where('booking_id', '=', bookingId).where('kind', '=', 'commitment').executeTakeFirst();
    if (already) return { ok: true };
    if (booking.status !== 'held') return { ok: false, reason: `the booking is ${booking.status}, not held` };
    const balance = (await fundBalance(trx, booking.fund_id))!;
    if (booking.price_pence > balance.remainingPence) {
      return { ok: false, reason: 'the fund has no money left for this procedure' };
    }
    await trx.insertInto('fund_movements').values({ fund_id: booking.fund_id, booking_id: bookingId, kind: 'commitment', amount_pence: booking.price_pence }).execute();
    return { ok: true };
  });
}

/** Releases a booking's commitment, once, if it has one. */
export async function releaseBookingFunds(db: Db, bookingId: number, reason: string): Promise<void> {
  await sql`
    insert into fund_movements (fund_id, booking_id, kind, amount_pence, reason)
    select fund_id, booking_id, 'release', amount_pence, ${reason}
    from fund_movements where booking_id = ${bookingId} and kind = 'commitment'
    on conflict (booking_id, kind) where kind in ('commitment', 'release') do nothing`.execute(db);
}
