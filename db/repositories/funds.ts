/**
 * Funds and their ledger. Every movement is a row; balances are sums of rows, defined once in the
 * views fund_balances and fund_trust_balances. Money is committed under a lock on the fund's row, so
 * concurrent bookings queue for it; the ledger's trigger (see the funds-and-claims migration) refuses
 * any statement that would take committed + claimed past the fund's or a trust's allocation.
 */
import { sql } from 'kysely';
import type { Db } from '../database';
import type { NewFund } from '../../domain/fund';
import type { FundMovementKind } from '../schema';

export interface FundBalance {
  readonly allocationPence: number;
  /** Committed to bookings and not yet released or claimed. */
  readonly committedPence: number;
  /** Claimed for treated transfers (less rejected claims); paid is part of it. */
  readonly claimedPence: number;
  readonly paidPence: number;
  readonly remainingPence: number;
}

export async function fundBalance(db: Db, fundId: number): Promise<FundBalance | undefined> {
  const row = await db.selectFrom('fund_balances').selectAll().where('fund_id', '=', fundId).executeTakeFirst();
  return row && toBalance(row.allocation_pence, row);
}

function toBalance(allocationPence: number, row: { committed_pence: number; claimed_pence: number; paid_pence: number }): FundBalance {
  return {
    allocationPence,
    committedPence: row.committed_pence,
    claimedPence: row.claimed_pence,
    paidPence: row.paid_pence,
    remainingPence: allocationPence - row.committed_pence - row.claimed_pence,
  };
}

/**
 * What is left for one trust's patients: the fund's remaining money, and no more than what remains of
 * the trust's own allocation when it has one.
 */
export async function fundRoomForTrust(db: Db, fundId: number, trustOds: string): Promise<number> {
  const row = await db
    .selectFrom('fund_balances as f')
    .leftJoin('fund_trusts as t', (join) => join.onRef('t.fund_id', '=', 'f.fund_id').on('t.trust_ods', '=', trustOds))
    .leftJoin('fund_trust_balances as b', (join) => join.onRef('b.fund_id', '=', 't.fund_id').onRef('b.trust_ods', '=', 't.trust_ods'))
    .select([
      'f.allocation_pence',
      'f.committed_pence',
      'f.claimed_pence',
      'f.paid_pence',
      't.allocation_pence as trust_allocation_pence',
      sql<number>`coalesce(b.committed_pence, 0) + coalesce(b.claimed_pence, 0)`.as('trust_used'),
    ])
    .where('f.fund_id', '=', fundId)
    .executeTakeFirst();
  if (!row) return 0;
  const { remainingPence } = toBalance(row.allocation_pence, row);
  if (row.trust_allocation_pence == null) return remainingPence;
  return Math.min(remainingPence, row.trust_allocation_pence - Number(row.trust_used));
}

/** Takes the fund's row lock for the rest of the transaction: writers of its ledger queue here. */
export async function lockFund(db: Db, fundId: number): Promise<boolean> {
  return (await db.selectFrom('funds').select('id').where('id', '=', fundId).forNoKeyUpdate().executeTakeFirst()) !== undefined;
}

export type CommitResult = { ok: true } | { ok: false; reason: string };

/**
 * Commits a booking's price against its fund, once: the fund row is locked for the transaction, the
 * balance read from the ledger, and the commitment written only if it fits the fund and the trust.
 */
export async function commitBookingFunds(db: Db, bookingId: number): Promise<CommitResult> {
  return db.transaction().execute(async (trx) => {
    const booking = await trx
      .selectFrom('bookings')
      .innerJoin('transfers', 'transfers.id', 'bookings.transfer_id')
      .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
      .select(['bookings.fund_id', 'bookings.price_pence', 'bookings.status', 'pathways.trust_ods'])
      .where('bookings.id', '=', bookingId)
      .executeTakeFirstOrThrow();
    await lockFund(trx, booking.fund_id);
    const already = await trx.selectFrom('fund_movements').select('id').where('booking_id', '=', bookingId).where('kind', '=', 'commitment').executeTakeFirst();
    if (already) return { ok: true };
    if (booking.status !== 'held') return { ok: false, reason: `the booking is ${booking.status}, not held` };
    if (booking.price_pence > (await fundRoomForTrust(trx, booking.fund_id, booking.trust_ods))) {
      return { ok: false, reason: 'the fund has no money left for this procedure' };
    }
    await trx
      .insertInto('fund_movements')
      .values({ fund_id: booking.fund_id, booking_id: bookingId, trust_ods: booking.trust_ods, kind: 'commitment', amount_pence: booking.price_pence })
      .execute();
    return { ok: true };
  });
}

/** Releases a booking's commitment, once, if it has one. */
export async function releaseBookingFunds(db: Db, bookingId: number, reason: string): Promise<void> {
  await sql`
    insert into fund_movements (fund_id, booking_id, trust_ods, kind, amount_pence, reason)
    select fund_id, booking_id, trust_ods, 'release', amount_pence, ${reason}
    from fund_movements where booking_id = ${bookingId} and kind = 'commitment'
    on conflict (booking_id, kind) do nothing`.execute(db);
}

/**
 * What is wrong with a new fund, in words: every trust and treatment function named must exist, a
 * trust be in the fund's region, and a trust's own allocation be no more than the fund's.
 */
export async function newFundProblems(db: Db, fund: NewFund): Promise<string[]> {
  const problems: string[] = [];
  if (fund.regionCode && !(await db.selectFrom('regions').select('code').where('code', '=', fund.regionCode).executeTakeFirst())) {
    problems.push(`region ${fund.regionCode} is not known`);
  }
  const trustCodes = fund.trusts.map((trust) => trust.trustOds);
  const trusts = trustCodes.length ? await db.selectFrom('trusts').select(['ods_code', 'region_code']).where('ods_code', 'in', trustCodes).execute() : [];
  for (const trust of fund.trusts) {
    const known = trusts.find((row) => row.ods_code === trust.trustOds);
    if (!known) problems.push(`trust ${trust.trustOds} is not known`);
    else if (fund.regionCode && known.region_code !== fund.regionCode) problems.push(`trust ${trust.trustOds} is not in region ${fund.regionCode}`);
    if (trust.allocationPence !== null && trust.allocationPence > fund.allocationPence) problems.push(`trust ${trust.trustOds}'s allocation is more than the fund's`);
  }
  if (new Set(trustCodes).size !== trustCodes.length) problems.push('a trust is named twice');
  const functions = fund.treatmentFunctions.length
    ? await db.selectFrom('treatment_functions').select('code').where('code', 'in', fund.treatmentFunctions).execute()
    : [];
  for (const code of fund.treatmentFunctions) if (!functions.some((row) => row.code === code)) problems.push(`treatment function ${code} is not known`);
  return problems;
}

/** Creates a fund with its scope; a fund of the same name already there is returned unchanged. */
export async function createFund(db: Db, fund: NewFund): Promise<{ id: number; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('funds')
      .values({ name: fund.name, allocation_pence: fund.allocationPence, window_from: fund.windowFrom, window_to: fund.windowTo, region_code: fund.regionCode })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx.selectFrom('funds').select('id').where('name', '=', fund.name).executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    }
    if (fund.trusts.length > 0) {
      await trx
        .insertInto('fund_trusts')
        .values(fund.trusts.map((trust) => ({ fund_id: inserted.id, trust_ods: trust.trustOds, allocation_pence: trust.allocationPence })))
        .execute();
    }
    if (fund.treatmentFunctions.length > 0) {
      await trx
        .insertInto('fund_treatment_functions')
        .values(fund.treatmentFunctions.map((code) => ({ fund_id: inserted.id, treatment_function_code: code })))
        .execute();
    }
    return { id: inserted.id, created: true };
  });
}

/** Whether a fund can pay for a pathway: its window, the pathway's trust, and why not when it cannot. */
export interface FundScope {
  readonly window: { readonly from: string; readonly to: string };
  readonly trustOds: string;
  /** Undefined when the pathway's trust and treatment function are inside the fund's scope. */
  readonly problem: string | undefined;
}

/**
 * The fund's scope as it applies to a pathway: the pathway's trust and treatment function must be
 * inside the fund's region, its trusts and its treatment functions. Undefined when either is unknown.
 */
export async function fundScope(db: Db, fundId: number, pathwayId: number): Promise<FundScope | undefined> {
  const row = await db
    .selectFrom('funds')
    .crossJoin('pathways')
    .innerJoin('trusts', 'trusts.ods_code', 'pathways.trust_ods')
    .select((eb) => [
      'funds.name',
      'funds.window_from',
      'funds.window_to',
      'funds.region_code as fundRegion',
      'trusts.region_code as trustRegion',
      'pathways.trust_ods as trustOds',
      'pathways.treatment_function_code as treatmentFunctionCode',
      eb.exists(eb.selectFrom('fund_trusts').select('fund_id').whereRef('fund_id', '=', 'funds.id')).as('hasTrusts'),
      eb
        .exists(eb.selectFrom('fund_trusts').select('fund_id').whereRef('fund_id', '=', 'funds.id').whereRef('fund_trusts.trust_ods', '=', 'pathways.trust_ods'))
        .as('coversTrust'),
      eb.exists(eb.selectFrom('fund_treatment_functions').select('fund_id').whereRef('fund_id', '=', 'funds.id')).as('hasFunctions'),
      eb
        .exists(
          eb
            .selectFrom('fund_treatment_functions')
            .select('fund_id')
            .whereRef('fund_id', '=', 'funds.id')
            .whereRef('fund_treatment_functions.treatment_function_code', '=', 'pathways.treatment_function_code'),
        )
        .as('coversFunction'),
    ])
    .where('funds.id', '=', fundId)
    .where('pathways.id', '=', pathwayId)
    .executeTakeFirst();
  if (!row) return undefined;
  const problem =
    row.fundRegion && row.fundRegion !== row.trustRegion
      ? `${row.name} pays only for trusts in region ${row.fundRegion}`
      : row.hasTrusts && !row.coversTrust
        ? `${row.name} does not pay for trust ${row.trustOds}`
        : row.hasFunctions && !row.coversFunction
          ? `${row.name} does not pay for treatment function ${row.treatmentFunctionCode}`
          : undefined;
  return { window: { from: row.window_from, to: row.window_to }, trustOds: row.trustOds, problem };
}

export interface FundSummary {
  readonly id: number;
  readonly name: string;
  readonly windowFrom: string;
  readonly windowTo: string;
  readonly regionCode: string | null;
  readonly balance: FundBalance;
  readonly trusts: { readonly trustOds: string; readonly allocationPence: number | null; readonly balance: FundBalance | null }[];
  readonly treatmentFunctions: string[];
}

/** Funds with their balances, for a region (or all); with each trust's share where it has its own allocation. */
export async function listFunds(db: Db, filter: { regionCode?: string | null; fundId?: number } = {}): Promise<FundSummary[]> {
  let query = db
    .selectFrom('funds')
    .innerJoin('fund_balances as b', 'b.fund_id', 'funds.id')
    .select(['funds.id', 'funds.name', 'funds.window_from', 'funds.window_to', 'funds.region_code', 'b.allocation_pence', 'b.committed_pence', 'b.claimed_pence', 'b.paid_pence'])
    .orderBy('funds.id');
  if (filter.regionCode) query = query.where((eb) => eb.or([eb('funds.region_code', '=', filter.regionCode!), eb('funds.region_code', 'is', null)]));
  if (filter.fundId !== undefined) query = query.where('funds.id', '=', filter.fundId);
  const funds = await query.execute();
  if (funds.length === 0) return [];
  const ids = funds.map((fund) => fund.id);
  const [trusts, functions] = await Promise.all([
    db
      .selectFrom('fund_trusts as t')
      .leftJoin('fund_trust_balances as b', (join) => join.onRef('b.fund_id', '=', 't.fund_id').onRef('b.trust_ods', '=', 't.trust_ods'))
      .select(['t.fund_id', 't.trust_ods', 't.allocation_pence', 'b.committed_pence', 'b.claimed_pence', 'b.paid_pence'])
      .where('t.fund_id', 'in', ids)
      .orderBy('t.trust_ods')
      .execute(),
    db.selectFrom('fund_treatment_functions').selectAll().where('fund_id', 'in', ids).orderBy('treatment_function_code').execute(),
  ]);
  return funds.map((fund) => ({
    id: fund.id,
    name: fund.name,
    windowFrom: fund.window_from,
    windowTo: fund.window_to,
    regionCode: fund.region_code,
    balance: toBalance(fund.allocation_pence, fund),
    trusts: trusts
      .filter((trust) => trust.fund_id === fund.id)
      .map((trust) => ({
        trustOds: trust.trust_ods,
        allocationPence: trust.allocation_pence,
        balance:
          trust.allocation_pence === null
            ? null
            : toBalance(trust.allocation_pence, { committed_pence: trust.committed_pence ?? 0, claimed_pence: trust.claimed_pence ?? 0, paid_pence: trust.paid_pence ?? 0 }),
      })),
    treatmentFunctions: functions.filter((row) => row.fund_id === fund.id).map((row) => row.treatment_function_code),
  }));
}

export interface LedgerDay {
  readonly day: string;
  readonly committedPence: number;
  readonly claimedPence: number;
  readonly paidPence: number;
}

/** The fund's balances at the end of each day it moved: the ledger over time, for the chart. */
export async function fundLedgerByDay(db: Db, fundId: number): Promise<LedgerDay[]> {
  const rows = await sql<{ day: string; committed: number; claimed: number; paid: number }>`
    select to_char(day, 'YYYY-MM-DD') as day,
           (sum(committed) over w)::bigint as committed,
           (sum(claimed) over w)::bigint as claimed,
           (sum(paid) over w)::bigint as paid
    from (
      select (at at time zone 'Europe/London')::date as day,
             sum(committed_pence) as committed, sum(claimed_pence) as claimed, sum(paid_pence) as paid
      from fund_movement_effects where fund_id = ${fundId} group by 1
    ) daily
    window w as (order by day)
    order by day`.execute(db);
  return rows.rows.map((row) => ({ day: row.day, committedPence: Number(row.committed), claimedPence: Number(row.claimed), paidPence: Number(row.paid) }));
}

export interface LedgerMovement {
  readonly id: number;
  readonly at: Date;
  readonly kind: FundMovementKind;
  readonly bookingId: number;
  readonly trustOds: string;
  readonly amountPence: number;
  readonly reason: string | null;
}

/** The fund's movements, newest first, a page at a time (keyset on id). */
export async function fundMovements(db: Db, fundId: number, page: { beforeId?: number; limit: number }): Promise<LedgerMovement[]> {
  let query = db
    .selectFrom('fund_movements')
    .select(['id', 'at', 'kind', 'booking_id', 'trust_ods', 'amount_pence', 'reason'])
    .where('fund_id', '=', fundId)
    .orderBy('id', 'desc')
    .limit(page.limit);
  if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
  const rows = await query.execute();
  return rows.map((row) => ({ id: row.id, at: row.at, kind: row.kind, bookingId: row.booking_id, trustOds: row.trust_ods, amountPence: row.amount_pence, reason: row.reason }));
}
