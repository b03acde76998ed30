/**
 * The figures an operator watches, read from PostgreSQL when Prometheus scrapes (api/metrics.ts): the
 * one record every API and worker process shares, so they are right whichever process answers and
 * survive restarts. Each is one aggregate: the counts read indexes only (two partial ones made for
 * them), the ledger and the claims are summed; all in one read-only transaction, so they agree.
 */
import { sql } from 'kysely';
import type { Db } from '../database';
import type { BookingStatus, ClaimStatus, MessageChannel, ResponseChannel } from '../schema';
import type { DeliveryStatus } from '../../domain/delivery';
import type { TransferState } from '../../domain/transfer';

export interface OperationalFigures {
  readonly transfersByState: readonly { state: TransferState; count: number }[];
  /** Offer messages that went: an email the server took, a letter queued for or sent to print. */
  readonly offersSentByChannel: readonly { channel: MessageChannel; count: number }[];
  readonly acceptancesByChannel: readonly { channel: ResponseChannel; count: number }[];
  /** Messages GOV.UK Notify could not deliver, by channel and what its receipt said. */
  readonly undeliveredByChannel: readonly { channel: MessageChannel; status: DeliveryStatus; count: number }[];
  readonly bookingsByStatus: readonly { status: BookingStatus; count: number }[];
  readonly claimsByStatus: readonly { status: ClaimStatus; count: number; pence: number }[];
  readonly funds: readonly { fundId: number; allocationPence: number; committedPence: number; claimedPence: number; paidPence: number }[];
}

export async function readOperationalFigures(db: Db): Promise<OperationalFigures> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const transfersByState = await trx.selectFrom('transfers').select(['state', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('state').execute();
      // An offer is a message whose intent is `offer-<round>` (first offers and re-offers alike); the
      // condition is messages_offers_sent_idx's, word for word, so the count reads only that index.
      const offersSentByChannel = await trx
        .selectFrom('messages')
        .select(['channel', (eb) => eb.fn.countAll<number>().as('count')])
        .where(sql<boolean>`intent like 'offer-%' and status in ('sent', 'queued')`)
        .groupBy('channel')
        .execute();
      const acceptancesByChannel = await trx
        .selectFrom('patient_responses')
        .select(['channel', (eb) => eb.fn.countAll<number>().as('count')])
        // A literal, not a parameter, so even a prepared statement's generic plan reads patient_responses_acceptances_idx.
        .where('kind', '=', sql.lit('accept'))
        .groupBy('channel')
        .execute();
      // messages_undelivered_idx's condition, word for word, so the count reads only that index.
      const undeliveredByChannel = await trx
        .selectFrom('messages')
        .select(['channel', 'delivery_status as status', (eb) => eb.fn.countAll<number>().as('count')])
        .where(sql<boolean>`delivery_status in ('permanent-failure', 'temporary-failure', 'technical-failure')`)
        .groupBy(['channel', 'delivery_status'])
        .$narrowType<{ status: DeliveryStatus }>()
        .execute();
      const bookingsByStatus = await trx.selectFrom('bookings').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
      const claimsByStatus = await trx
        .selectFrom('claims')
        .select(['status', (eb) => eb.fn.countAll<number>().as('count'), sql<number>`coalesce(sum(total_pence), 0)::bigint`.as('pence')])
        .groupBy('status')
        .execute();
      const funds = await trx
        .selectFrom('fund_balances')
        .select(['fund_id as fundId', 'allocation_pence as allocationPence', 'committed_pence as committedPence', 'claimed_pence as claimedPence', 'paid_pence as paidPence'])
        .orderBy('fund_id')
        .execute();
      return { transfersByState, offersSentByChannel, acceptancesByChannel, undeliveredByChannel, bookingsByStatus, claimsByStatus, funds };
    });
}
