/**
 * A campaign and its transfers at chosen stages, written straight into the database as the transfer
 * workflow would have left them, for the funnel and equity report tests (and the dashboard's). Bookings
 * come from generate/bookings.ts; the stages before a booking are patients, pathways and transfers
 * with the review, offer message and response each stage needs.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { commitBookingFunds } from '../../db/repositories/funds';
import type { Sex } from '../../db/schema';
import { testRangeNhsNumber } from '../../domain/nhs-number';
import type { TransferState } from '../../domain/transfer';
import type { PatientChannel } from '../../domain/channels';
import { seedHeldBookings, treatBookings } from '../../generate/bookings';

export interface CampaignRow {
  readonly name: string;
  readonly regionCode: string;
  readonly fundId: number;
  readonly trusts: readonly string[];
  readonly treatmentFunctions: readonly string[];
  readonly periodFrom: string;
  readonly periodTo: string;
  /** The dry run's eligible count at launch. */
  readonly eligible: number;
  readonly launchedAt?: string;
}

export async function insertCampaign(db: Db, campaign: CampaignRow): Promise<number> {
  const row = await db
    .insertInto('campaigns')
    .values({
      name: campaign.name,
      region_code: campaign.regionCode,
      fund_id: campaign.fundId,
      trusts: sql`${[...campaign.trusts]}::text[]`,
      treatment_functions: sql`${[...campaign.treatmentFunctions]}::text[]`,
      period_from: campaign.periodFrom,
      period_to: campaign.periodTo,
      cohort_rules: JSON.stringify({ minWeeksWaited: 18 }),
      max_offers: 1000,
      launch_summary: JSON.stringify({ eligible: campaign.eligible, screenedOut: 0, wouldOffer: campaign.eligible }),
      launched_by: 'staff:1',
      ...(campaign.launchedAt ? { launched_at: campaign.launchedAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** How far a group of transfers got; each stage leaves what the workflow leaves at that point. */
export type Reached =
  | 'screened_out'
  | 'awaiting_review'
  | 'refused'
  /** Confirmed by a clinician, the offer still in the outbox. */
  | 'approved'
  | 'offered'
  | 'declined'
  | 'lapsed'
  /** Accepted with consent; the slot held, the provider not yet asked. */
  | 'accepted'
  | 'booked'
  /** Withdrew after the provider accepted the booking. */
  | 'withdrawn_booked'
  /** Withdrew while the booking was still held. */
  | 'withdrawn'
  | 'treated';

export interface Cohort {
  readonly count: number;
  readonly reached: Reached;
  readonly trustOds: string;
  readonly treatmentFunctionCode: string;
  readonly procedureCode: string;
  readonly patient?: { readonly dateOfBirth?: string; readonly sex?: Sex; readonly ethnicCategory?: string | null; readonly lsoaCode?: string | null };
  /** How the first offer went (email unless said). */
  readonly channel?: PatientChannel;
}

/** Where a cohort's bookings are, what they cost and which fund pays. */
export interface BookingPlace {
  readonly fundId: number;
  readonly siteOds: string;
  readonly procedureDate: string;
  readonly pricePence: number;
  /** Treated on (a day in the fund's window, not in the future). */
  readonly treatedOn: string;
}

const BOOKING_STAGES: readonly Reached[] = ['accepted', 'booked', 'withdrawn_booked', 'withdrawn', 'treated'];

/** Adds a cohort's transfers to the campaign; returns their ids. */
export async function addCampaignTransfers(db: Db, campaignId: number, cohort: Cohort, place: BookingPlace): Promise<number[]> {
  const transferIds = BOOKING_STAGES.includes(cohort.reached) ? await bookedTransfers(db, cohort, place) : await plainTransfers(db, cohort, place.fundId);
  await db.updateTable('transfers').set({ campaign_id: campaignId }).where('id', 'in', transferIds).execute();
  const patient = cohort.patient ?? {};
  if (Object.keys(patient).length) {
    await db
      .updateTable('patients')
      .set({
        ...(patient.dateOfBirth ? { date_of_birth: patient.dateOfBirth } : {}),
        ...(patient.sex ? { sex: patient.sex } : {}),
        ...(patient.ethnicCategory !== undefined ? { ethnic_category: patient.ethnicCategory } : {}),
        ...(patient.lsoaCode !== undefined ? { lsoa_code: patient.lsoaCode } : {}),
      })
      .where('id', 'in', (eb) => eb.selectFrom('transfers').innerJoin('pathways', 'pathways.id', 'transfers.pathway_id').select('pathways.patient_id').where('transfers.id', 'in', transferIds))
      .execute();
  }
  return transferIds;
}

async function bookedTransfers(db: Db, cohort: Cohort, place: BookingPlace): Promise<number[]> {
  const bookingIds = await seedHeldBookings(db, {
    fundId: place.fundId,
    count: cohort.count,
    trustOds: cohort.trustOds,
    siteOds: place.siteOds,
    treatmentFunctionCode: cohort.treatmentFunctionCode,
    procedureCode: cohort.procedureCode,
    procedureDate: place.procedureDate,
    pricePence: place.pricePence,
    priceSource: 'test price',
  });
  const bookings = await db.selectFrom('bookings').select(['id', 'transfer_id']).where('id', 'in', bookingIds).orderBy('id').execute();
  const transferIds = bookings.map((booking) => booking.transfer_id);
  await reviewAndOffer(db, transferIds, 'sent', cohort.channel);
  const setState = (state: TransferState, closed = false) =>
    db.updateTable('transfers').set({ state, closed_at: closed ? sql`now()` : null }).where('id', 'in', transferIds).execute();
  switch (cohort.reached) {
    case 'accepted':
      break;
    case 'treated':
      await treatBookings(db, bookingIds, { procedureCode: cohort.procedureCode, treatedOn: place.treatedOn });
      break;
    case 'booked':
    case 'withdrawn_booked':
      for (const id of bookingIds) if (!(await commitBookingFunds(db, id)).ok) throw new Error(`no money for booking ${id}`);
      await db.updateTable('bookings').set({ status: 'accepted' }).where('id', 'in', bookingIds).execute();
      await setState('booked');
      await db.insertInto('transfer_events').values(transferIds.map((id) => ({ transfer_id: id, kind: 'booked', detail: '{}' }))).execute();
      if (cohort.reached === 'withdrawn_booked') await withdraw(db, transferIds, bookingIds);
      break;
    case 'withdrawn':
      await withdraw(db, transferIds, bookingIds);
      break;
    default:
      throw new Error(`not a booking stage: ${cohort.reached}`);
  }
  return transferIds;
}

/** The patient withdrew: the booking cancelled (its money released if committed), the transfer withdrawn. */
async function withdraw(db: Db, transferIds: readonly number[], bookingIds: readonly number[]): Promise<void> {
  await sql`insert into fund_movements (fund_id, booking_id, trust_ods, kind, amount_pence, reason)
            select fund_id, booking_id, trust_ods, 'release', amount_pence, 'the patient withdrew' from fund_movements
            where kind = 'commitment' and booking_id = any(${[...bookingIds]}::bigint[])`.execute(db);
  await db.updateTable('bookings').set({ status: 'cancelled' }).where('id', 'in', [...bookingIds]).execute();
  await respond(db, transferIds, 'withdraw');
  await db.updateTable('transfers').set({ state: 'withdrawn', closed_at: sql`now()` }).where('id', 'in', [...transferIds]).execute();
}

/** The state a transfer that stopped before any booking is left in, by how far it got. */
const PLAIN_STATES: Partial<Record<Reached, TransferState>> = {
  screened_out: 'screened_out',
  awaiting_review: 'awaiting_review',
  refused: 'refused',
  approved: 'awaiting_review',
  offered: 'offered',
  declined: 'declined',
  lapsed: 'lapsed',
};

async function plainTransfers(db: Db, cohort: Cohort, fundId: number): Promise<number[]> {
  const highest = await sql<{ n: number | null }>`select max(substr(nhs_number, 4, 6)::int) as n from patients where nhs_number like '999%'`.execute(db);
  const numbers: string[] = [];
  for (let n = (highest.rows[0]?.n ?? -1) + 1; numbers.length < cohort.count; n += 1) {
    const number = testRangeNhsNumber(n);
    if (number) numbers.push(number);
  }
  const patients = await db
    .insertInto('patients')
    .values(numbers.map((nhs_number, index) => ({ nhs_number, given_name: 'Synthetic', family_name: `Candidate ${index + 1}`, date_of_birth: '1961-05-01' })))
    .returning('id')
    .execute();
  const pathways = await db
    .insertInto('pathways')
    .values(
      patients.map((patient) => ({
        patient_id: patient.id,
        trust_ods: cohort.trustOds,
        treatment_function_code: cohort.treatmentFunctionCode,
        clock_start_date: '2025-06-01',
        priority: 'routine' as const,
        pathway_ref: `CAMPAIGN-${patient.id}`,
        planned_procedure_code: cohort.procedureCode,
      })),
    )
    .returning('id')
    .execute();
  const state = PLAIN_STATES[cohort.reached];
  if (!state) throw new Error(`not a stage before booking: ${cohort.reached}`);
  const closed = !['awaiting_review', 'approved', 'offered'].includes(cohort.reached);
  const transfers = await db
    .insertInto('transfers')
    .values(
      pathways.map((pathway) => ({
        pathway_id: pathway.id,
        workflow_id: `synthetic-${pathway.id}`,
        workflow_run_id: `synthetic-${pathway.id}`,
        state,
        fund_id: fundId,
        closed_at: closed ? sql<Date>`now()` : null,
      })),
    )
    .returning('id')
    .execute();
  const ids = transfers.map((transfer) => transfer.id);
  switch (cohort.reached) {
    case 'screened_out':
    case 'awaiting_review':
      break;
    case 'refused':
      await db.insertInto('clinical_reviews').values(ids.map((id) => ({ transfer_id: id, decision: 'refused' as const, reason: 'Not fit for a day unit', reviewer: 'staff:2' }))).execute();
      break;
    case 'approved':
      await reviewAndOffer(db, ids, 'pending', cohort.channel);
      break;
    case 'offered':
    case 'lapsed':
      await reviewAndOffer(db, ids, 'sent', cohort.channel);
      break;
    case 'declined':
      await reviewAndOffer(db, ids, 'sent', cohort.channel);
      await respond(db, ids, 'decline');
      break;
    default:
      throw new Error(`not a stage before booking: ${cohort.reached}`);
  }
  return ids;
}

/** A clinician's confirmation and the first offer's message, sent (or still pending in the outbox). */
async function reviewAndOffer(db: Db, transferIds: readonly number[], offer: 'sent' | 'pending' = 'sent', channel: PatientChannel = 'email'): Promise<void> {
  await db.insertInto('clinical_reviews').values(transferIds.map((id) => ({ transfer_id: id, decision: 'confirmed' as const, reviewer: 'staff:2' }))).execute();
  await db
    .insertInto('messages')
    .values(transferIds.map((id) => ({ transfer_id: id, intent: 'offer-1', kind: 'offer', channel, status: offer, sent_at: offer === 'sent' ? sql<Date>`now()` : null })))
    .execute();
}

async function respond(db: Db, transferIds: readonly number[], kind: 'decline' | 'withdraw'): Promise<void> {
  await db
    .insertInto('patient_responses')
    .values(transferIds.map((id) => ({ transfer_id: id, response_key: kind === 'withdraw' ? 'withdraw' : 'response-1', kind, channel: 'web' as const, wording_version: 'test', round: 1, responded_at: sql<Date>`now()` })))
    .execute();
}
