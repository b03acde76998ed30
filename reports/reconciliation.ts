/**
 * A fund's reconciliation (issue 6): every treated transfer paid from the fund with its claim line,
 * claim and money, and every difference between what happened and what the ledger says. A clean
 * campaign has none: each treated transfer claimed once at its booked price, each booking that ended
 * without treatment released, each claim's total the sum of its lines.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';

export interface ReconciledTransfer {
  readonly transferId: number;
  readonly bookingId: number;
  readonly trustOds: string;
  readonly siteOds: string;
  readonly treatedOn: string;
  readonly pricePence: number;
  readonly lineId: number | null;
  readonly lineStatus: string | null;
  readonly claimId: number | null;
  readonly claimStatus: string | null;
  readonly claimedPence: number;
  readonly paidPence: number;
}

export const DIFFERENCE_KINDS = [
  'treated_unclaimed',
  'claimed_not_treated',
  'claimed_amount_differs',
  'commitment_left_open',
  'claim_total_differs',
] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface Difference {
  readonly kind: DifferenceKind;
  readonly transferId: number | null;
  readonly bookingId: number | null;
  readonly claimId: number | null;
  readonly detail: string;
}

export interface Reconciliation {
  readonly fundId: number;
  readonly treated: ReconciledTransfer[];
  readonly differences: Difference[];
}

export async function reconcileFund(db: Db, fundId: number): Promise<Reconciliation> {
  const treated = await sql<ReconciledTransfer>`
    select o.transfer_id as "transferId", o.booking_id as "bookingId", p.trust_ods as "trustOds", b.site_ods as "siteOds",
           to_char(o.treated_on, 'YYYY-MM-DD') as "treatedOn", b.price_pence as "pricePence",
           cl.id as "lineId", cl.status as "lineStatus", c.id as "claimId", c.status as "claimStatus",
           coalesce(e.claimed, 0)::bigint as "claimedPence", coalesce(e.paid, 0)::bigint as "paidPence"
    from outcomes o
    join bookings b on b.id = o.booking_id
    join transfers t on t.id = o.transfer_id
    join pathways p on p.id = t.pathway_id
    left join claim_lines cl on cl.transfer_id = o.transfer_id
    left join claims c on c.id = cl.claim_id
    left join (
      select booking_id, sum(claimed_pence) as claimed, sum(paid_pence) as paid
      from fund_movement_effects where fund_id = ${fundId} group by booking_id
    ) e on e.booking_id = o.booking_id
    where b.fund_id = ${fundId} and o.outcome = 'treated'
    order by o.treated_on, o.transfer_id`.execute(db);

  const differences = await sql<Difference>`
    select 'treated_unclaimed' as kind, o.transfer_id as "transferId", o.booking_id as "bookingId", cl.claim_id as "claimId",
           case when cl.id is null then 'treated, and no claim line yet'
                when cl.status = 'held' then 'claim line held: ' || array_to_string(cl.problems, '; ')
                else 'claim line rejected by finance' end as detail
    from outcomes o
    join bookings b on b.id = o.booking_id
    left join claim_lines cl on cl.transfer_id = o.transfer_id
    where b.fund_id = ${fundId} and o.outcome = 'treated' and (cl.id is null or cl.status not in ('valid', 'month_open'))
    union all
    select 'claimed_not_treated', b.transfer_id, m.booking_id, null,
           format('claimed, but the transfer is %s', replace(t.state, '_', ' '))
    from fund_movements m
    join bookings b on b.id = m.booking_id
    join transfers t on t.id = b.transfer_id
    left join outcomes o on o.booking_id = m.booking_id
    where m.fund_id = ${fundId} and m.kind = 'claim' and (o.outcome is distinct from 'treated' or t.state <> 'treated')
    union all
    select 'claimed_amount_differs', b.transfer_id, m.booking_id, null,
           format('claimed %s pence against a booked price of %s pence', m.amount_pence, b.price_pence)
    from fund_movements m
    join bookings b on b.id = m.booking_id
    where m.fund_id = ${fundId} and m.kind = 'claim' and m.amount_pence <> b.price_pence
    union all
    select 'commitment_left_open', b.transfer_id, b.id, null,
           format('the booking is %s but %s pence is still committed to it', b.status, e.committed)
    from bookings b
    join (select booking_id, sum(committed_pence) as committed from fund_movement_effects where fund_id = ${fundId} group by booking_id) e
      on e.booking_id = b.id
    where b.fund_id = ${fundId} and e.committed <> 0
      -- A treated booking's commitment becomes its claim; until then it shows as treated and unclaimed.
      and (b.status in ('rejected', 'released', 'cancelled')
           or (b.status = 'completed' and not exists (select 1 from outcomes o where o.booking_id = b.id and o.outcome = 'treated')))
    union all
    select 'claim_total_differs', null, null, c.id,
           format('the claim says %s lines and %s pence; its lines add up to %s and %s pence', c.line_count, c.total_pence, coalesce(l.n, 0), coalesce(l.total, 0))
    from claims c
    left join (select claim_id, count(*) as n, sum(price_pence) as total from claim_lines group by claim_id) l on l.claim_id = c.id
    where c.fund_id = ${fundId} and (c.line_count <> coalesce(l.n, 0) or c.total_pence <> coalesce(l.total, 0))
    order by 1, 2, 3`.execute(db);

  return {
    fundId,
    treated: treated.rows.map((row) => ({ ...row, claimedPence: Number(row.claimedPence), paidPence: Number(row.paidPence) })),
    differences: differences.rows,
  };
}
