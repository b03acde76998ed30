/**
 * Everything the patient's page shows, read in one statement that also writes the view to the audit
 * log: the page is the product's busiest (a national offer run sends hundreds of thousands of links at
 * once), so a view costs one round trip to PostgreSQL and nothing more (issue 18).
 */
import { sql } from 'kysely';
import { firstBookableDay } from '../../domain/offer';
import type { TransferState } from '../../domain/transfer';
import type { Db } from '../database';
import { hashToken } from '../tokens';
import { freeSlotRows, LIVE_BOOKING_STATUSES } from './offer-choices';

/** Who the audit log says acted through an offer's link. */
export const PATIENT_ACTOR_PREFIX = 'patient:offer:';

/** How many dates the page offers at each hospital. */
const DATES_PER_SITE = 5;

export function patientActor(offerId: number): string {
  return `${PATIENT_ACTOR_PREFIX}${offerId}`;
}

export interface ChoiceWithDates {
  readonly siteOds: string;
  readonly siteName: string;
  readonly sitePostcode: string | null;
  readonly distanceMiles: number;
  /** Free dates at the site, earliest first, each with the slot that books it. */
  readonly dates: readonly { readonly slotId: number; readonly date: string }[];
}

/** What the page shows. */
export interface OfferPageData {
  readonly offerId: number;
  readonly transferId: number;
  readonly respondBy: Date;
  readonly state: TransferState;
  readonly givenName: string;
  readonly trustName: string;
  readonly clockStartDate: string;
  /**
   * While the offer is open, the choices of its latest round, nearest first, each with its free dates
   * now (a date may have gone since the offer was made; a site with none left is listed without dates).
   */
  readonly choices: readonly ChoiceWithDates[];
  /** The transfer's booking, while it stands. */
  readonly booking: { readonly siteName: string; readonly procedureDate: string } | null;
  /** The hospital and date the patient last accepted, as they chose them (the booking follows). */
  readonly chosen: { readonly siteName: string; readonly date: string } | null;
  readonly callbackRequested: boolean;
  /** The day the provider recorded the treatment, once treated. */
  readonly treatedOn: string | null;
  readonly timeline: readonly { readonly kind: string; readonly at: Date }[];
}

/** The page as PostgreSQL puts it together: JSON, its times ISO text. */
type OfferPageJson = Omit<OfferPageData, 'respondBy' | 'timeline'> & { respondBy: string; timeline: { kind: string; at: string }[] };

/**
 * The page behind a patient's link, if the token is known and has not expired, as of `today` (the
 * dates offered start at firstBookableDay). The view is audited by the same statement, as this offer's
 * patient.
 */
export async function offerPageByToken(db: Db, token: string, today: string): Promise<OfferPageData | undefined> {
  const liveBookings = LIVE_BOOKING_STATUSES as unknown as string[];
  const { rows } = await sql<{ page: OfferPageJson }>`
    with offer as (
      select o.id, o.transfer_id, o.expires_at from offers o where o.token_hash = ${hashToken(token)} and o.expires_at > now()
    ), viewed as (
      insert into audit_log (actor, action, subject)
      select ${PATIENT_ACTOR_PREFIX} || offer.id, 'offer.view', 'transfer:' || offer.transfer_id from offer
    )
    select json_build_object(
      'offerId', offer.id,
      'transferId', t.id,
      'respondBy', offer.expires_at,
      'state', t.state,
      'givenName', pa.given_name,
      'trustName', tr.name,
      'clockStartDate', pw.clock_start_date,
      'choices', case when t.state = 'offered' and t.offer_from is not null and t.offer_to is not null then coalesce((
        select json_agg(json_build_object(
          'siteOds', c.site_ods, 'siteName', si.name, 'sitePostcode', si.postcode, 'distanceMiles', c.distance_miles,
          'dates', coalesce((
            select json_agg(json_build_object('slotId', f.slot_id, 'date', f.slot_date) order by f.slot_date, f.slot_id)
            from (${freeSlotRows({
              sites: sql`array[c.site_ods]`,
              treatmentFunctionCode: sql`pw.treatment_function_code`,
              procedureCode: sql`pw.planned_procedure_code`,
              from: sql`greatest(t.offer_from, ${firstBookableDay(today)}::date)`,
              to: sql`t.offer_to`,
              daysPerSite: DATES_PER_SITE,
            })}) f), '[]'::json)
        ) order by c.rank)
        from offer_choices c join sites si on si.ods_code = c.site_ods
        where c.transfer_id = t.id and c.round = (select max(round) from offer_choices where transfer_id = t.id)), '[]'::json)
      else '[]'::json end,
      'booking', (
        select json_build_object('siteName', si.name, 'procedureDate', b.procedure_date)
        from (select * from bookings where transfer_id = t.id order by id desc limit 1) b join sites si on si.ods_code = b.site_ods
        where b.status = any(${liveBookings})),
      'chosen', (
        select json_build_object('siteName', si.name, 'date', sl.slot_date)
        from patient_responses r join sites si on si.ods_code = r.site_ods join slots sl on sl.id = r.slot_id
        where r.transfer_id = t.id and r.kind = 'accept' order by r.id desc limit 1),
      'callbackRequested', exists (select 1 from callback_tasks ct where ct.transfer_id = t.id and ct.done_at is null),
      'treatedOn', (select o.treated_on from outcomes o where o.transfer_id = t.id and o.outcome = 'treated'),
      'timeline', coalesce((select json_agg(json_build_object('kind', e.kind, 'at', e.at) order by e.id) from transfer_events e where e.transfer_id = t.id), '[]'::json)
    ) as page
    from offer
    join transfers t on t.id = offer.transfer_id
    join pathways pw on pw.id = t.pathway_id
    join patients pa on pa.id = pw.patient_id
    join trusts tr on tr.ods_code = pw.trust_ods`.execute(db);
  const page = rows[0]?.page;
  return page && { ...page, respondBy: new Date(page.respondBy), timeline: page.timeline.map((event) => ({ kind: event.kind, at: new Date(event.at) })) };
}
