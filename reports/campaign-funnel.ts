/**
 * A campaign's funnel (PRODUCT.md §5, campaign report): how far each of its transfers got, in total
 * and by trust and specialty, with the money committed and claimed for its bookings and the IS
 * capacity of its period it has used. Live while the campaign runs, and its report at the end.
 *
 * Every count but two is a stage a transfer *reached*: a treated transfer counts as approved, offered,
 * accepted, booked and treated. The stages are read from what the transfer left in the database (a
 * review, a message, a response, a booking, an outcome, a claim line), not from its state alone, since
 * a state says only where a transfer is now. A later stage implies the ones a real transfer must have
 * passed through before it, so a record written out of order (or by hand) never makes the funnel narrow
 * the wrong way. The exceptions are `awaitingReview`, which counts who is waiting *now* and shrinks as
 * clinicians decide, and `eligible` in the totals, which is the dry run's figure at launch.
 *
 * One set-based pass over the campaign's transfers: each transfer's stages are worked out once
 * (`campaignTransferStages`, shared with the equity report), then counted by grouping sets.
 */
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { Db } from '../db/database';
import { LIVE_BOOKING_STATUSES } from '../db/repositories/offer-choices';
import type { Database } from '../db/schema';
import { toCsv } from './csv';
import { PATIENT_CHANNELS } from '../domain/channels';
import { CHANNEL_STAGES, type ChannelCounts, channelColumn, channelCountsOf, FUNNEL_STAGES, type FunnelCounts } from './funnel-stages';

/** What the reports need of a campaign: what it covers, when it launched, and the dry run's eligible count. */
export interface CampaignFacts {
  readonly id: number;
  readonly treatmentFunctions: string[];
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly launchedAt: Date;
  /** The dry run's count of eligible patients at launch (`launch_summary.eligible`); null if it was not recorded. */
  readonly eligibleAtLaunch: number | null;
}

export interface FunnelGroup extends FunnelCounts {
  readonly trustOds: string;
  readonly trustName: string;
  readonly treatmentFunctionCode: string;
  readonly treatmentFunctionName: string;
  /** Offered, answered and accepted by the channel the first offer went by. */
  readonly byChannel: ChannelCounts;
}

export interface CampaignFunnel {
  readonly campaignId: number;
  /** When the figures were read. */
  readonly asOf: Date;
  /** `eligible` is the dry run's figure at launch; the other counts are over every transfer the campaign started. */
  readonly totals: FunnelCounts;
  /** Offered, answered and accepted by the channel the first offer went by (text message, email or letter), over every transfer. */
  readonly byChannel: ChannelCounts;
  /** The transfers the campaign has started: the sum of the groups' `eligible`. */
  readonly started: number;
  /** Trust by trust, specialty by specialty (ODS code, then treatment function code). */
  readonly byTrustAndSpecialty: FunnelGroup[];
  /** The ledger's balances over the bookings of the campaign's transfers (fund_movement_effects). */
  readonly money: { readonly committedPence: number; readonly claimedPence: number };
  /**
   * Slots of the campaign's treatment functions in its period (at IS sites, the only ones with slots),
   * and how many of them a booking of its transfers stands on (held, awaiting the provider, accepted or used).
   */
  readonly capacity: { readonly slotsInPeriod: number; readonly slotsBooked: number };
}

/** The campaign's facts the reports need; undefined when there is no such campaign. (services/campaigns.ts reads campaigns for people, with their scope.) */
export async function campaignFacts(db: Db, campaignId: number): Promise<CampaignFacts | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .select(['id', 'treatment_functions', 'period_from', 'period_to', 'launched_at', sql<number | null>`(launch_summary ->> 'eligible')::int`.as('eligible_at_launch')])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      treatmentFunctions: row.treatment_functions,
      periodFrom: row.period_from,
      periodTo: row.period_to,
      launchedAt: row.launched_at,
      eligibleAtLaunch: row.eligible_at_launch,
    }
  );
}

/**
 * One row per transfer of the campaign: its patient, trust and specialty, a boolean per stage, and the
 * money its bookings hold. A subquery for `with stages as (…)`; the funnel and the equity report group it.
 *
 * Each stage, precisely (a later stage implies those before it, as noted):
 * - eligible: every transfer (the campaign started it, so the patient was in its cohort).
 * - screenedOut: the transfer ended `screened_out` (no IS site's criteria admit the patient).
 * - awaitingReview: the transfer is `awaiting_review` now, with no decision on record yet (a confirmed
 *   transfer stays `awaiting_review` for the moment its offer is being composed and sent).
 * - approved: a clinical review `confirmed` it; or it was offered.
 * - offered: the first offer left the outbox (message `offer-1` sent, queued for print, or unconfirmed:
 *   its send cannot be known to have failed, and the transfer waits on the patient as if it went; or
 *   refused by Notify, which like a permanent failure sends it again by the next channel); or the
 *   patient answered an offer, or it lapsed, or a later stage was reached.
 * - accepted: the patient accepted an offer with consent (a response `accept`); or withdrew (which
 *   follows an acceptance), or it was booked.
 * - declined: a response `decline`.
 * - lapsed: the transfer ended `lapsed` (no answer within the response window).
 * - booked: the provider accepted a booking: one is `accepted` or `completed`, or an outcome is on
 *   record, or (for a booking withdrawn from afterwards, now `cancelled`) the timeline shows `booked`;
 *   or it was treated.
 * - withdrawn: a response `withdraw` (the patient's change of mind; not transfers the campaign's own
 *   cancellation withdrew, which end `campaign_cancelled`).
 * - treated: an outcome `treated`; or claimed.
 * - claimed: its claim line is `valid` (its money moved from committed to claimed).
 * Channel: the channel the first offer's message went by (`messages.channel` of `offer-1`, as counted
 * for offered); null without one.
 * Money: committed and claimed pence over all of the transfer's bookings, from fund_movement_effects.
 */
export function campaignTransferStages(campaignId: number): RawBuilder<unknown> {
  return sql`
    with responses as (
      select r.transfer_id, bool_or(r.kind = 'accept') as accepted, bool_or(r.kind = 'decline') as declined, bool_or(r.kind = 'withdraw') as withdrew
      from patient_responses r join transfers t on t.id = r.transfer_id
      where t.campaign_id = ${campaignId}
      group by r.transfer_id
    ),
    booking_money as (
      select b.transfer_id,
             bool_or(b.status in ('accepted', 'completed')) as provider_accepted,
             coalesce(sum(e.committed_pence), 0)::bigint as committed_pence,
             coalesce(sum(e.claimed_pence), 0)::bigint as claimed_pence
      from bookings b
      join transfers t on t.id = b.transfer_id
      left join fund_movement_effects e on e.booking_id = b.id
      where t.campaign_id = ${campaignId}
      group by b.transfer_id
    ),
    evidence as (
      select t.id, t.state, p.patient_id, p.trust_ods, p.treatment_function_code,
             cr.transfer_id is not null as reviewed,
             coalesce(cr.decision = 'confirmed', false) as confirmed,
             offer.transfer_id is not null as offer_sent,
             offer.channel as offer_channel,
             coalesce(r.accepted, false) as accept_response,
             coalesce(r.declined, false) as declined,
             coalesce(r.withdrew, false) as withdrawn,
             coalesce(bm.provider_accepted, false) or o.transfer_id is not null
               or (coalesce(r.withdrew, false) and exists (select 1 from transfer_events e where e.transfer_id = t.id and e.kind = 'booked')) as provider_accepted,
             coalesce(o.outcome = 'treated', false) as outcome_treated,
             coalesce(cl.status in ('valid', 'month_open'), false) as claimed,
             coalesce(bm.committed_pence, 0) as committed_pence,
             coalesce(bm.claimed_pence, 0) as claimed_pence
      from transfers t
      join pathways p on p.id = t.pathway_id
      left join clinical_reviews cr on cr.transfer_id = t.id
      left join messages offer on offer.transfer_id = t.id and offer.intent = 'offer-1' and offer.status in ('sent', 'queued', 'unconfirmed', 'refused')
      left join responses r on r.transfer_id = t.id
      left join booking_money bm on bm.transfer_id = t.id
      left join outcomes o on o.transfer_id = t.id
      left join claim_lines cl on cl.transfer_id = t.id
      where t.campaign_id = ${campaignId}
    ),
    reached as (
      select evidence.*,
             claimed or outcome_treated as treated,
             claimed or outcome_treated or provider_accepted as booked,
             claimed or outcome_treated or provider_accepted or withdrawn or accept_response as accepted,
             claimed or outcome_treated or provider_accepted or withdrawn or accept_response or declined or state = 'lapsed' or offer_sent as offered
      from evidence
    )
    select id as transfer_id, patient_id, trust_ods, treatment_function_code, committed_pence, claimed_pence, offer_channel as channel,
           state = 'screened_out' as screened_out,
           state = 'awaiting_review' and not reviewed as awaiting_review,
           confirmed or offered as approved,
           offered, accepted, declined, state = 'lapsed' as lapsed, booked, withdrawn, treated, claimed
    from reached`;
}

/**
 * Runs a report's query as a report: with PostgreSQL's JIT compiler off, and memory for its hashes.
 * The stage query is wide (a dozen joins, a dozen filtered counts), so over a large campaign its cost
 * passes the JIT thresholds and PostgreSQL spends longer compiling it than running it (measured over
 * 400,000 transfers: 1.9 s of compiling for a 1.7 s query); and the dashboard asks every few seconds.
 * Its hash tables (a row per transfer) spill to disk in the default 4 MB of work_mem.
 */
export function asReport<T>(db: Db, query: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    await sql`set local work_mem = '64MB'`.execute(trx);
    return query(trx);
  });
}

/**
 * The stage counts as SQL select items over `stages` (campaignTransferStages), named as FUNNEL_STAGES:
 * one definition for every grouping of the funnel.
 */
export const STAGE_COUNTS = sql`
  count(*)::int as "eligible",
  count(*) filter (where screened_out)::int as "screenedOut",
  count(*) filter (where awaiting_review)::int as "awaitingReview",
  count(*) filter (where approved)::int as "approved",
  count(*) filter (where offered)::int as "offered",
  count(*) filter (where accepted)::int as "accepted",
  count(*) filter (where declined)::int as "declined",
  count(*) filter (where lapsed)::int as "lapsed",
  count(*) filter (where booked)::int as "booked",
  count(*) filter (where withdrawn)::int as "withdrawn",
  count(*) filter (where treated)::int as "treated",
  count(*) filter (where claimed)::int as "claimed"`;

/**
 * Offered, answered (accepted or declined) and accepted by the first offer's channel, as SQL select
 * items over `stages`, named by channelColumn ("sms_offered"). Built from constants only.
 */
export const CHANNEL_COUNTS = sql.raw(
  PATIENT_CHANNELS.flatMap((channel) =>
    CHANNEL_STAGES.map((stage) => {
      const reached = stage === 'responded' ? '(accepted or declined)' : stage;
      return `count(*) filter (where channel = '${channel}' and ${reached})::int as "${channelColumn(channel, stage)}"`;
    }),
  ).join(',\n  '),
);

export function countsOf(row: Record<string, unknown>): FunnelCounts {
  return Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, Number(row[stage] ?? 0)])) as FunnelCounts;
}

export const NO_COUNTS: FunnelCounts = countsOf({});

/** The campaign's funnel now; undefined when there is no such campaign. */
export async function campaignFunnel(db: Db, campaignId: number): Promise<CampaignFunnel | undefined> {
  const campaign = await campaignFacts(db, campaignId);
  if (!campaign) return undefined;
  const asOf = new Date();
  const [grouped, capacity] = await Promise.all([
    asReport(db, (trx) =>
      sql<Record<string, unknown> & { total: boolean; trust_ods: string | null; treatment_function_code: string | null; committed_pence: number; claimed_pence: number }>`
        with stages as (${campaignTransferStages(campaignId)})
        select grouping(trust_ods, treatment_function_code) <> 0 as total, trust_ods, treatment_function_code,
               ${STAGE_COUNTS}, ${CHANNEL_COUNTS},
               coalesce(sum(committed_pence), 0)::bigint as committed_pence,
               coalesce(sum(claimed_pence), 0)::bigint as claimed_pence
        from stages
        group by grouping sets ((trust_ods, treatment_function_code), ())`.execute(trx),
    ),
    campaignCapacity(db, campaign),
  ]);
  const total = grouped.rows.find((row) => row.total);
  const groups = grouped.rows.filter((row) => !row.total);
  const names = await groupNames(db, groups);
  const byTrustAndSpecialty = groups
    .map((row) => ({
      trustOds: row.trust_ods!,
      trustName: names.trusts.get(row.trust_ods!) ?? row.trust_ods!,
      treatmentFunctionCode: row.treatment_function_code!,
      treatmentFunctionName: names.treatmentFunctions.get(row.treatment_function_code!) ?? row.treatment_function_code!,
      ...countsOf(row),
      byChannel: channelCountsOf(row),
    }))
    .sort((a, b) => a.trustOds.localeCompare(b.trustOds) || a.treatmentFunctionCode.localeCompare(b.treatmentFunctionCode));
  const started = total ? Number(total.eligible) : 0;
  return {
    campaignId,
    asOf,
    totals: { ...(total ? countsOf(total) : NO_COUNTS), eligible: campaign.eligibleAtLaunch ?? started },
    byChannel: channelCountsOf(total ?? {}),
    started,
    byTrustAndSpecialty,
    money: { committedPence: Number(total?.committed_pence ?? 0), claimedPence: Number(total?.claimed_pence ?? 0) },
    capacity,
  };
}

async function campaignCapacity(db: Db, campaign: CampaignFacts): Promise<CampaignFunnel['capacity']> {
  const [slots, booked] = await Promise.all([
    db
      .selectFrom('slots')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('treatment_function_code', 'in', [...campaign.treatmentFunctions])
      .where('slot_date', '>=', campaign.periodFrom)
      .where('slot_date', '<=', campaign.periodTo)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('bookings')
      .innerJoin('transfers', 'transfers.id', 'bookings.transfer_id')
      .innerJoin('slots', 'slots.id', 'bookings.slot_id')
      .select(sql<number>`count(distinct bookings.slot_id)::int`.as('count'))
      .where('transfers.campaign_id', '=', campaign.id)
      .where('bookings.status', 'in', [...LIVE_BOOKING_STATUSES])
      .where('slots.treatment_function_code', 'in', [...campaign.treatmentFunctions])
      .where('slots.slot_date', '>=', campaign.periodFrom)
      .where('slots.slot_date', '<=', campaign.periodTo)
      .executeTakeFirstOrThrow(),
  ]);
  return { slotsInPeriod: slots.count, slotsBooked: booked.count };
}

/** The names of the trusts and specialties that have groups, looked up once each. */
async function groupNames(db: Db, groups: readonly { trust_ods: string | null; treatment_function_code: string | null }[]) {
  const trustCodes = [...new Set(groups.map((row) => row.trust_ods!))];
  const functionCodes = [...new Set(groups.map((row) => row.treatment_function_code!))];
  const [trusts, functions] = await Promise.all([
    trustCodes.length ? db.selectFrom('trusts').select(['ods_code', 'name']).where('ods_code', 'in', trustCodes).execute() : [],
    functionCodes.length ? db.selectFrom('treatment_functions').select(['code', 'name']).where('code', 'in', functionCodes).execute() : [],
  ]);
  return {
    trusts: new Map(trusts.map((row) => [row.ods_code, row.name])),
    treatmentFunctions: new Map(functions.map((row) => [row.code, row.name])),
  };
}

/**
 * The funnel as CSV for a spreadsheet: one row per trust and specialty, then the campaign's totals
 * (whose eligible is the dry run's figure at launch), each with its stages, then offered, answered and
 * accepted by channel ("offered_by_sms"). A cell a spreadsheet would read as a formula is escaped
 * (papaparse's escapeFormulae).
 */
export function campaignFunnelCsv(funnel: CampaignFunnel): string {
  const byChannel = (counts: ChannelCounts) => PATIENT_CHANNELS.flatMap((channel) => CHANNEL_STAGES.map((stage) => counts[channel][stage]));
  const rows = [
    ...funnel.byTrustAndSpecialty.map((group) => [
      group.trustOds,
      group.trustName,
      group.treatmentFunctionCode,
      group.treatmentFunctionName,
      ...FUNNEL_STAGES.map((stage) => group[stage]),
      ...byChannel(group.byChannel),
    ]),
    ['all', 'All trusts', 'all', 'All specialties', ...FUNNEL_STAGES.map((stage) => funnel.totals[stage]), ...byChannel(funnel.byChannel)],
  ];
  const channelFields = PATIENT_CHANNELS.flatMap((channel) => CHANNEL_STAGES.map((stage) => `${stage}_by_${channel}`));
  return toCsv(['trust_ods', 'trust_name', 'treatment_function_code', 'treatment_function_name', ...FUNNEL_STAGES.map(snakeCase), ...channelFields], rows);
}

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
