import { sql } from 'kysely';
import type { Coordinates } from '../../domain/geo';
import type { OfferChoice, SiteCandidate } from '../../domain/offer';
import { priceSource, priceWithMarketForces } from '../../domain/price';
import type { Db } from '../database';

/** Slots a live booking stands on; any other slot is free. */
export const LIVE_BOOKING_STATUSES = ['held', 'requested', 'accepted', 'completed'] as const;

export interface PricedSlot {
  readonly slotId: number;
  readonly siteOds: string;
  readonly siteName: string;
  /** Where the site is; null when its coordinates are not on file. */
  readonly location: Coordinates | null;
  readonly providerOds: string;
  readonly slotDate: string;
  readonly pricePence: number;
  readonly priceSource: string;
}

interface SlotQuery {
  readonly treatmentFunctionCode: string;
  readonly procedureCode: string | null;
  readonly from: string;
  readonly to: string;
}

/**
 * Free slots at the given sites for the pathway's treatment function (a slot for its procedure, or
 * for any procedure of the function), in the period, each priced for its date: the HRG unit price
 * in force that day times the provider's market forces factor then. A slot that cannot be priced
 * (no procedure, no HRG, no price or factor on file) is not offered: nothing is booked without a price.
 */
export async function freeSlots(
  db: Db,
  sites: readonly string[],
  query: SlotQuery,
  options: { perSite: number; slotId?: number },
): Promise<PricedSlot[]> {
  if (sites.length === 0 || query.procedureCode === null) return [];
  const { rows } = await sql<{
    slot_id: number;
    site_ods: string;
    site_name: string;
    latitude: number | null;
    longitude: number | null;
    provider_ods: string;
    slot_date: string;
    unit_price_pence: number;
    price_source: string;
    hrg_code: string;
    factor: string;
    mff_source: string;
  }>`
    select f.slot_id, f.site_ods, f.site_name, f.latitude, f.longitude, f.provider_ods, f.slot_date, pr.unit_price_pence, pr.source as price_source, pr.hrg_code,
           mff.factor::text as factor, mff.source as mff_source
    from (
      select s.id as slot_id, s.site_ods, si.name as site_name, si.latitude, si.longitude, si.provider_ods, s.slot_date,
             row_number() over (partition by s.site_ods order by s.slot_date, s.ordinal, s.id) as nth
      from slots s
      join sites si on si.ods_code = s.site_ods
      where s.site_ods = any(${sites as string[]})
        and s.treatment_function_code = ${query.treatmentFunctionCode}
        and (s.procedure_code is null or s.procedure_code = ${query.procedureCode})
        and s.slot_date between ${query.from} and ${query.to}
        and (${options.slotId ?? null}::bigint is null or s.id = ${options.slotId ?? null}::bigint)
        and not exists (select 1 from bookings b where b.slot_id = s.id and b.status = any(${LIVE_BOOKING_STATUSES as unknown as string[]}))
    ) f
    join procedures p on p.code = ${query.procedureCode}
    join prices pr on pr.hrg_code = p.hrg_code and pr.effective_from <= f.slot_date and (pr.effective_to is null or pr.effective_to > f.slot_date)
    join market_forces_factors mff on mff.provider_ods = f.provider_ods
      and mff.effective_from <= f.slot_date and (mff.effective_to is null or mff.effective_to > f.slot_date)
    where f.nth <= ${options.perSite}
    order by f.site_ods, f.slot_date, f.slot_id`.execute(db);
  return rows.map((row) => ({
    slotId: row.slot_id,
    siteOds: row.site_ods,
    siteName: row.site_name,
    location: row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude },
    providerOds: row.provider_ods,
    slotDate: row.slot_date,
    pricePence: priceWithMarketForces(row.unit_price_pence, row.factor),
    priceSource: priceSource(row.hrg_code, row.price_source, row.factor, row.mff_source),
  }));
}

/** Each located site with its first free priced slot, ready for domain/offer's composition. */
export async function siteCandidates(db: Db, sites: readonly string[], query: SlotQuery): Promise<(SiteCandidate & { priceSource: string })[]> {
  const earliest = await freeSlots(db, sites, query, { perSite: 1 });
  return earliest.flatMap((slot) =>
    slot.location
      ? [{ siteOds: slot.siteOds, siteName: slot.siteName, location: slot.location, passesScreening: true, earliestSlot: slot.slotDate, pricePence: slot.pricePence, priceSource: slot.priceSource }]
      : [],
  );
}

export async function saveOfferChoices(
  db: Db,
  transferId: number,
  round: number,
  choices: readonly (OfferChoice & { priceSource: string })[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // A retried activity composes the round again from the same data: replace, never add.
    await trx.deleteFrom('offer_choices').where('transfer_id', '=', transferId).where('round', '=', round).execute();
    if (choices.length === 0) return;
    await trx
      .insertInto('offer_choices')
      .values(
        choices.map((choice, index) => ({
          transfer_id: transferId,
          round,
          rank: index + 1,
          site_ods: choice.siteOds,
          earliest_date: choice.earliestSlot,
          distance_miles: choice.distanceMiles,
          price_pence: choice.pricePence,
          price_source: choice.priceSource,
        })),
      )
      .execute();
  });
}
