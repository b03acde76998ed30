import { type RawBuilder, sql } from 'kysely';
import type { Coordinates } from '../../domain/geo';
import type { OfferChoice, SiteCandidate } from '../../domain/offer';
import { priceSource, priceWithMarketForces } from '../../domain/price';
import type { Db } from '../database';

/** PostgreSQL's code for a row a unique index already holds. */
const UNIQUE_VIOLATION = '23505';

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

/** A value of the statement, or an expression of the statement it is part of (a column, say). */
type SqlOperand<T> = T | RawBuilder<T>;

/**
 * The first free days at the given sites for a treatment function (a slot for the procedure, or for
 * any procedure of the function) in the period, each with the slot that books it (the first of the
 * day) and priced for that day: the HRG unit price in force that day times the provider's market
 * forces factor then. A slot that cannot be priced (no procedure, no HRG, no price or factor on file)
 * is not offered: nothing is booked without a price.
 *
 * A statement of its own (freeSlots), or part of a larger one with the query's terms taken from its
 * columns (the patient's page, offer-page.ts). Per site, the slots are read in day order from
 * slots_site_day_idx and the scan stops at the daysPerSite-th free day: the cost is that of the days
 * offered, not of every slot in the period.
 */
export function freeSlotRows(query: {
  readonly sites: SqlOperand<readonly string[]>;
  readonly treatmentFunctionCode: SqlOperand<string>;
  readonly procedureCode: SqlOperand<string>;
  readonly from: SqlOperand<string>;
  readonly to: SqlOperand<string>;
  readonly daysPerSite: number;
}): RawBuilder<FreeSlotRow> {
  return sql<FreeSlotRow>`
    select f.slot_id, si.ods_code as site_ods, si.name as site_name, si.latitude, si.longitude, si.provider_ods, f.slot_date,
           pr.unit_price_pence, pr.source as price_source, pr.hrg_code, mff.factor::text as factor, mff.source as mff_source
    from sites si
    cross join lateral (
      select distinct on (s.slot_date) s.id as slot_id, s.slot_date
      from slots s
      where s.site_ods = si.ods_code
        and s.treatment_function_code = ${query.treatmentFunctionCode}
        and (s.procedure_code is null or s.procedure_code = ${query.procedureCode})
        and s.slot_date between ${query.from} and ${query.to}
        and not exists (select 1 from bookings b where b.slot_id = s.id and b.status = any(${LIVE_BOOKING_STATUSES as unknown as string[]}))
      order by s.slot_date, s.ordinal, s.id
      limit ${query.daysPerSite}
    ) f
    join procedures p on p.code = ${query.procedureCode}
    join prices pr on pr.hrg_code = p.hrg_code and pr.effective_from <= f.slot_date and (pr.effective_to is null or pr.effective_to > f.slot_date)
    join market_forces_factors mff on mff.provider_ods = si.provider_ods
      and mff.effective_from <= f.slot_date and (mff.effective_to is null or mff.effective_to > f.slot_date)
    where si.ods_code = any(${query.sites})
    order by si.ods_code, f.slot_date, f.slot_id`;
}

interface FreeSlotRow {
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
}

/** The first free priced days at the given sites (freeSlotRows), as a statement of its own. */
export async function freeSlots(
  db: Db,
  sites: readonly string[],
  query: SlotQuery,
  options: { daysPerSite: number },
): Promise<PricedSlot[]> {
  if (sites.length === 0 || query.procedureCode === null) return [];
  const { rows } = await freeSlotRows({ ...query, procedureCode: query.procedureCode, sites, daysPerSite: options.daysPerSite }).execute(db);
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
  const earliest = await freeSlots(db, sites, query, { daysPerSite: 1 });
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
  const rows = choices.map((choice, index) => ({
    transfer_id: transferId,
    round,
    rank: index + 1,
    site_ods: choice.siteOds,
    earliest_date: choice.earliestSlot,
    distance_miles: choice.distanceMiles,
    price_pence: choice.pricePence,
    price_source: choice.priceSource,
  }));
  if (rows.length) {
    try {
      // The round's first composition, as nearly always: there is nothing to replace.
      await db.insertInto('offer_choices').values(rows).execute();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    }
  }
  // A retried activity composes the round again from the same data: replace, never add.
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('offer_choices').where('transfer_id', '=', transferId).where('round', '=', round).execute();
    if (rows.length) await trx.insertInto('offer_choices').values(rows).execute();
  });
}
