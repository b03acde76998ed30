/**
 * Claim lines and claims (PRODUCT.md §3 step 10). Each treated transfer paid from a fund gets exactly
 * one claim line (unique by transfer), priced at what was agreed at booking. A line is validated:
 * consent on file, booking accepted and completed, treated inside the fund's window and not in the
 * future, an OPCS-4 code that maps to the HRG it was priced as, and money in the fund. A valid line's
 * money moves from committed to claimed in the ledger at once; a line that fails is held with its
 * reasons, for finance to see, and validated again on the next run. A valid line of the month still
 * open is held as `month_open` (finance sees it, and its money is claimed); valid lines are gathered
 * into one claim per fund, trust and month once the month has ended; finance approves or rejects (with a
 * reason) and marks approved claims paid. Everything is set-based SQL under the fund's row lock, so
 * runs never overlap and tens of thousands of lines take one pass.
 */
import { sql } from 'kysely';
import type { Db } from '../database';
import type { ClaimLineStatus, ClaimStatus } from '../schema';
import { TREATED_DAYS_AFTER_BOOKED_MAX } from '../../domain/outcome-dates';
import { lockFund } from './funds';

/** PostgreSQL's to_char pattern for a day as domain/dates.ts formatDate writes it: "5 November 2026". */
const DAY_IN_WORDS = sql.lit('FMDD FMMonth YYYY');

export const NO_MONEY_LEFT = 'the fund has no money left for this line';

export interface ClaimLineRun {
  /** Lines made for treated transfers that had none. */
  readonly created: number;
  /** Lines that passed validation on this run (month_open ones too); their money is now claimed. */
  readonly validated: number;
  /** Lines still held, with their reasons. */
  readonly held: number;
}

/** Makes and validates the claim lines of a fund's treated transfers, as of a day (YYYY-MM-DD). */
export async function prepareClaimLines(db: Db, fundId: number, asOf: string): Promise<ClaimLineRun> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockFund(trx, fundId))) throw new Error(`fund ${fundId} not found`);
    // The treated transfers with no line yet, and the held lines: each read afresh from its outcome (so
    // a corrected coding or date is what is validated), with every reason it cannot be claimed.
    await sql`
      create temp table claim_candidates on commit drop as
      select o.transfer_id, o.booking_id, b.fund_id, p.trust_ods, p.treatment_function_code, b.site_ods,
             o.procedure_code, pr.hrg_code, o.treated_on, b.price_pence, b.price_source, cl.id as line_id,
             coalesce(c.amount_pence, 0) - coalesce(r.amount_pence, 0) as outstanding,
             array_remove(array[
               case when not exists (
                 select 1 from patient_responses pa
                 where pa.transfer_id = o.transfer_id and pa.kind = 'accept' and pa.consent_transfer_of_care and pa.consent_share_records
               ) then 'no consent on file' end,
               case when b.status <> 'completed' then format('the booking is %s, not accepted and completed', b.status) end,
               case when t.state <> 'treated' then format('the transfer is %s, not treated', replace(t.state, '_', ' ')) end,
               case when o.treated_on not between f.window_from and f.window_to
                 then format('treated on %s, outside the fund''s window (%s to %s)', to_char(o.treated_on, ${DAY_IN_WORDS}), to_char(f.window_from, ${DAY_IN_WORDS}), to_char(f.window_to, ${DAY_IN_WORDS})) end,
               case when o.treated_on > ${asOf}::date then format('treated on %s, a day still to come', to_char(o.treated_on, ${DAY_IN_WORDS})) end,
               -- The treatment date against the booking's dates (domain/outcome-dates.ts, in its words).
               case when o.treated_on < consent.day
                 then format('treated on %s, before the patient consented on %s', to_char(o.treated_on, ${DAY_IN_WORDS}), to_char(consent.day, ${DAY_IN_WORDS})) end,
               case when o.treated_on < accepted.day
                 then format('treated on %s, before the provider accepted the booking on %s', to_char(o.treated_on, ${DAY_IN_WORDS}), to_char(accepted.day, ${DAY_IN_WORDS})) end,
               case when o.treated_on < b.procedure_date
                 then format('treated on %s, before the booked procedure date, %s', to_char(o.treated_on, ${DAY_IN_WORDS}), to_char(b.procedure_date, ${DAY_IN_WORDS})) end,
               case when o.treated_on > b.procedure_date + ${TREATED_DAYS_AFTER_BOOKED_MAX}::int
                 then format('treated on %s, more than %s days after the booked procedure date, %s', to_char(o.treated_on, ${DAY_IN_WORDS}), ${TREATED_DAYS_AFTER_BOOKED_MAX}::int, to_char(b.procedure_date, ${DAY_IN_WORDS})) end,
               case when o.procedure_code is null then 'no OPCS-4 procedure code recorded'
                    when pr.hrg_code is null then format('OPCS-4 code %s maps to no HRG', o.procedure_code)
                    when planned.hrg_code is distinct from pr.hrg_code
                      then format('treated as %s (HRG %s) but booked and priced as HRG %s', o.procedure_code, pr.hrg_code, coalesce(planned.hrg_code, 'none')) end
             ], null) as problems
      from outcomes o
      join bookings b on b.id = o.booking_id
      join transfers t on t.id = o.transfer_id
      join pathways p on p.id = t.pathway_id
      join funds f on f.id = b.fund_id
      left join lateral (
        select min((pa.responded_at at time zone 'UTC')::date) as day from patient_responses pa join slots chosen on chosen.id = pa.slot_id
        where pa.transfer_id = o.transfer_id and pa.kind = 'accept' and pa.consent_transfer_of_care and pa.consent_share_records
          -- The patient consented to a site and a day: the hold may have taken another of that day's slots.
          and chosen.site_ods = b.site_ods and chosen.slot_date = b.procedure_date
      ) consent on true
      left join lateral (
        select min((e.at at time zone 'UTC')::date) as day from transfer_events e
        where e.transfer_id = o.transfer_id and e.kind = 'booking.accepted' and (e.detail->>'bookingId')::bigint = b.id
      ) accepted on true
      left join procedures pr on pr.code = o.procedure_code
      left join procedures planned on planned.code = p.planned_procedure_code
      left join claim_lines cl on cl.transfer_id = o.transfer_id
      left join fund_movements c on c.booking_id = b.id and c.kind = 'commitment'
      left join fund_movements r on r.booking_id = b.id and r.kind = 'release'
      where b.fund_id = ${fundId} and o.outcome = 'treated' and (cl.id is null or cl.status = 'held')`.execute(trx);

    // Lines that pass take their money in order of treatment while it lasts: the fund's remaining
    // money, and a trust's own allocation where it has one. A line whose money is already committed
    // needs nothing more; for the others, the first that does not fit stops those after it. A booking's
    // commitment is released as its claim is made.
    const result = await sql<{ created: number; validated: number }>`
      with ranked as (
        select cc.*,
               sum(greatest(price_pence - outstanding, 0)) over (order by treated_on, transfer_id) as fund_needs,
               sum(greatest(price_pence - outstanding, 0)) over (partition by trust_ods order by treated_on, transfer_id) as trust_needs
        from claim_candidates cc
        where cardinality(problems) = 0
      ),
      fits as (
        select ranked.* from ranked
        cross join (select allocation_pence - committed_pence - claimed_pence as room from fund_balances where fund_id = ${fundId}) fund
        left join (
          select t.trust_ods, t.allocation_pence - coalesce(b.committed_pence, 0) - coalesce(b.claimed_pence, 0) as room
          from fund_trusts t
          left join fund_trust_balances b on b.fund_id = t.fund_id and b.trust_ods = t.trust_ods
          where t.fund_id = ${fundId} and t.allocation_pence is not null
        ) trust on trust.trust_ods = ranked.trust_ods
        where price_pence <= outstanding
           or (ranked.fund_needs <= fund.room and (trust.room is null or ranked.trust_needs <= trust.room))
      ),
      decided as (
        select cc.*,
               case when fits.transfer_id is null then 'held'
                    when cc.treated_on >= date_trunc('month', ${asOf}::date) then 'month_open'
                    else 'valid' end as status,
               case when fits.transfer_id is null and cardinality(cc.problems) = 0 then array[${NO_MONEY_LEFT}] else cc.problems end as reasons
        from claim_candidates cc left join fits on fits.transfer_id = cc.transfer_id
      ),
      created as (
        insert into claim_lines (transfer_id, booking_id, fund_id, trust_ods, treatment_function_code, site_ods, procedure_code, hrg_code,
                                 treated_on, price_pence, price_source, status, problems, validated_at)
        select transfer_id, booking_id, fund_id, trust_ods, treatment_function_code, site_ods, procedure_code, hrg_code,
               treated_on, price_pence, price_source, status, reasons, now()
        from decided where line_id is null
        returning 1
      ),
      revalidated as (
        update claim_lines cl
        set procedure_code = d.procedure_code, hrg_code = d.hrg_code, treated_on = d.treated_on,
            status = d.status, problems = d.reasons, validated_at = now()
        from decided d where cl.id = d.line_id
        returning 1
      ),
      released as (
        insert into fund_movements (fund_id, booking_id, trust_ods, kind, amount_pence, reason)
        select fund_id, booking_id, trust_ods, 'release', outstanding, 'claimed' from fits where outstanding > 0
        returning 1
      ),
      claimed as (
        insert into fund_movements (fund_id, booking_id, trust_ods, kind, amount_pence, reason)
        select fund_id, booking_id, trust_ods, 'claim', price_pence, 'treated on ' || treated_on from fits
        returning 1
      )
      select (select count(*) from created)::int as created, (select count(*) from fits)::int as validated,
             (select count(*) from revalidated) + (select count(*) from released) + (select count(*) from claimed) as written`.execute(trx);

    const held = await trx
      .selectFrom('claim_lines')
      .select((eb) => eb.fn.countAll<number>().as('held'))
      .where('fund_id', '=', fundId)
      .where('status', '=', 'held')
      .executeTakeFirstOrThrow();
    return { created: result.rows[0]!.created, validated: result.rows[0]!.validated, held: Number(held.held) };
  });
}

export interface GatheredClaim {
  readonly id: number;
  readonly trustOds: string;
  readonly month: string;
  readonly sequence: number;
  readonly lineCount: number;
  readonly totalPence: number;
}

/**
 * Gathers a fund's valid, unclaimed lines (month_open ones become valid here) into one claim per
 * trust and month, for months that ended before `asOf`. A line that becomes valid after its month's claim was made goes into a further
 * claim for that month (the next sequence): a claim never changes once made.
 */
export async function gatherClaims(db: Db, fundId: number, asOf: string): Promise<GatheredClaim[]> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockFund(trx, fundId))) throw new Error(`fund ${fundId} not found`);
    const made = await sql<{ id: number; trust_ods: string; month: string; sequence: number; line_count: number; total_pence: number }>`
      with due as (
        select trust_ods, date_trunc('month', treated_on)::date as month, count(*)::int as line_count, sum(price_pence)::bigint as total_pence
        from claim_lines
        where fund_id = ${fundId} and status in ('valid', 'month_open') and claim_id is null
          and treated_on < date_trunc('month', ${asOf}::date)
        group by 1, 2
      ),
      made as (
        insert into claims (fund_id, trust_ods, month, sequence, line_count, total_pence)
        select ${fundId}, due.trust_ods, due.month,
               coalesce((select max(c.sequence) from claims c where c.fund_id = ${fundId} and c.trust_ods = due.trust_ods and c.month = due.month), 0) + 1,
               due.line_count, due.total_pence
        from due
        returning id, trust_ods, month, sequence, line_count, total_pence
      ),
      assigned as (
        update claim_lines cl set claim_id = made.id, status = 'valid'
        from made
        where cl.fund_id = ${fundId} and cl.status in ('valid', 'month_open') and cl.claim_id is null
          and cl.trust_ods = made.trust_ods and date_trunc('month', cl.treated_on)::date = made.month
        returning 1
      )
      select made.id, made.trust_ods, to_char(made.month, 'YYYY-MM-DD') as month, made.sequence, made.line_count, made.total_pence
      from made order by made.trust_ods, made.month`.execute(trx);
    return made.rows.map((row) => ({
      id: Number(row.id),
      trustOds: row.trust_ods,
      month: row.month,
      sequence: row.sequence,
      lineCount: row.line_count,
      totalPence: Number(row.total_pence),
    }));
  });
}

export type ClaimDecision = { readonly kind: 'approve' } | { readonly kind: 'reject'; readonly reason: string } | { readonly kind: 'pay' };

/** What a decision needs the claim to be in, and what it makes it. */
const DECISIONS: Record<ClaimDecision['kind'], { from: ClaimStatus; to: ClaimStatus }> = {
  approve: { from: 'submitted', to: 'approved' },
  reject: { from: 'submitted', to: 'rejected' },
  pay: { from: 'approved', to: 'paid' },
};

export type DecisionResult = { readonly ok: true; readonly status: ClaimStatus } | { readonly ok: false; readonly reason: string };

/**
 * Finance's decision on a claim. Rejecting hands each line's money back to the fund (a rejection
 * movement) and marks its lines rejected; paying writes a payment movement per line. A claim moves
 * only from the state the decision needs, so a repeated or racing decision changes nothing.
 */
export async function decideClaim(db: Db, claimId: number, decision: ClaimDecision, actor: string): Promise<DecisionResult> {
  return db.transaction().execute(async (trx) => {
    const claim = await trx.selectFrom('claims').select(['fund_id', 'status']).where('id', '=', claimId).executeTakeFirst();
    if (!claim) return { ok: false, reason: `claim ${claimId} not found` };
    await lockFund(trx, claim.fund_id);
    const { from, to } = DECISIONS[decision.kind];
    const updated = await trx
      .updateTable('claims')
      .set(
        decision.kind === 'pay'
          ? { status: to, paid_by: actor, paid_at: sql`now()` }
          : { status: to, decided_by: actor, decided_at: sql`now()`, decision_reason: decision.kind === 'reject' ? decision.reason : null },
      )
      .where('id', '=', claimId)
      .where('status', '=', from)
      .returning('status')
      .executeTakeFirst();
    if (!updated) {
      const current = await trx.selectFrom('claims').select('status').where('id', '=', claimId).executeTakeFirstOrThrow();
      return { ok: false, reason: `claim ${claimId} is ${current.status}: only a claim that is ${from} can be ${to}` };
    }
    if (decision.kind === 'reject') {
      await sql`
        insert into fund_movements (fund_id, booking_id, trust_ods, kind, amount_pence, reason)
        select fund_id, booking_id, trust_ods, 'rejection', price_pence, ${`claim ${claimId} rejected: ${decision.reason}`}
        from claim_lines where claim_id = ${claimId}`.execute(trx);
      await trx.updateTable('claim_lines').set({ status: 'rejected' }).where('claim_id', '=', claimId).execute();
    }
    if (decision.kind === 'pay') {
      await sql`
        insert into fund_movements (fund_id, booking_id, trust_ods, kind, amount_pence, reason)
        select fund_id, booking_id, trust_ods, 'payment', price_pence, ${`claim ${claimId} paid`}
        from claim_lines where claim_id = ${claimId}`.execute(trx);
    }
    return { ok: true, status: updated.status };
  });
}

export interface ClaimFilter {
  readonly claimId?: number;
  readonly fundId?: number;
  readonly status?: ClaimStatus;
  /** Only trusts of this region (a finance team's scope). */
  readonly regionCode?: string | null;
}

/** Claims with their fund and trust names, newest month first. */
export async function listClaims(db: Db, filter: ClaimFilter) {
  let query = db
    .selectFrom('claims')
    .innerJoin('funds', 'funds.id', 'claims.fund_id')
    .innerJoin('trusts', 'trusts.ods_code', 'claims.trust_ods')
    .select([
      'claims.id',
      'claims.fund_id as fundId',
      'funds.name as fundName',
      'claims.trust_ods as trustOds',
      'trusts.name as trustName',
      sql<string>`to_char(claims.month, 'YYYY-MM')`.as('month'),
      'claims.sequence',
      'claims.line_count as lineCount',
      'claims.total_pence as totalPence',
      'claims.status',
      'claims.created_at as createdAt',
      'claims.decided_by as decidedBy',
      'claims.decided_at as decidedAt',
      'claims.decision_reason as decisionReason',
      'claims.paid_at as paidAt',
    ])
    .orderBy('claims.month', 'desc')
    .orderBy('claims.trust_ods')
    .orderBy('claims.sequence');
  if (filter.claimId !== undefined) query = query.where('claims.id', '=', filter.claimId);
  if (filter.fundId !== undefined) query = query.where('claims.fund_id', '=', filter.fundId);
  if (filter.status) query = query.where('claims.status', '=', filter.status);
  if (filter.regionCode) query = query.where('trusts.region_code', '=', filter.regionCode);
  return query.execute();
}
export type ClaimSummary = Awaited<ReturnType<typeof listClaims>>[number];

export interface ClaimLineFilter extends Omit<ClaimFilter, 'status'> {
  readonly status?: ClaimLineStatus;
}

/**
 * Claim lines with everything a finance team loads into a spreadsheet: ODS codes, HRG, OPCS-4, dates
 * and the price with its source. The transfer and the trust's pathway reference identify the patient
 * to those entitled to know; no personal data is here.
 */
export async function listClaimLines(db: Db, filter: ClaimLineFilter) {
  let query = db
    .selectFrom('claim_lines as cl')
    .innerJoin('trusts', 'trusts.ods_code', 'cl.trust_ods')
    .innerJoin('sites', 'sites.ods_code', 'cl.site_ods')
    .innerJoin('transfers', 'transfers.id', 'cl.transfer_id')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .leftJoin('claims', 'claims.id', 'cl.claim_id')
    .select([
      'cl.id',
      'cl.claim_id as claimId',
      'claims.status as claimStatus',
      'cl.fund_id as fundId',
      'cl.transfer_id as transferId',
      'pathways.pathway_ref as pathwayRef',
      'cl.trust_ods as trustOds',
      'trusts.name as trustName',
      'sites.provider_ods as providerOds',
      'cl.site_ods as siteOds',
      'sites.name as siteName',
      'cl.treatment_function_code as treatmentFunctionCode',
      'cl.procedure_code as procedureCode',
      'cl.hrg_code as hrgCode',
      sql<string>`to_char(cl.treated_on, 'YYYY-MM-DD')`.as('treatedOn'),
      'cl.price_pence as pricePence',
      'cl.price_source as priceSource',
      'cl.status',
      'cl.problems',
    ])
    .orderBy('cl.id');
  if (filter.fundId !== undefined) query = query.where('cl.fund_id', '=', filter.fundId);
  if (filter.claimId !== undefined) query = query.where('cl.claim_id', '=', filter.claimId);
  if (filter.status) query = query.where('cl.status', '=', filter.status);
  if (filter.regionCode) query = query.where('trusts.region_code', '=', filter.regionCode);
  return query.execute();
}
export type ClaimLineRow = Awaited<ReturnType<typeof listClaimLines>>[number];
