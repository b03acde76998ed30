/**
 * IS capacity as staff plan with it: slots by site, treatment function and ISO week (Monday start),
 * each week's slots counted free or booked. A slot is booked while a live booking stands on it
 * (LIVE_BOOKING_STATUSES: held, requested, accepted, completed); any other slot is free.
 */
import { sql } from 'kysely';
import type { Db } from '../database';
import { LIVE_BOOKING_STATUSES } from './offer-choices';

export interface CapacityFilter {
  /** Slots on these days, inclusive ('YYYY-MM-DD'). */
  readonly from: string;
  readonly to: string;
  /** Only this provider's sites; null for every site. */
  readonly providerOds: string | null;
  readonly siteOds?: string;
  readonly treatmentFunctionCode?: string;
}

export interface CapacityWeek {
  readonly siteOds: string;
  readonly siteName: string;
  readonly providerOds: string;
  readonly treatmentFunctionCode: string;
  readonly treatmentFunctionName: string;
  /** The ISO week, '2026-W50'. */
  readonly week: string;
  /** Its Monday. */
  readonly weekStart: string;
  readonly slots: number;
  readonly booked: number;
  readonly free: number;
}

/** Literals, not parameters: the planner then knows the join matches bookings_one_per_slot's predicate. */
const live = sql.join(LIVE_BOOKING_STATUSES.map((status) => sql.lit(status)));

/**
 * One aggregate over the period's slots, read by day from slots_day_idx (or by site from slots_site_day_idx, for
 * a provider), each slot's booking looked up in bookings_one_per_slot: both index-only.
 */
export async function capacityByWeek(db: Db, filter: CapacityFilter): Promise<CapacityWeek[]> {
  const conditions = [sql`s.slot_date between ${filter.from} and ${filter.to}`];
  if (filter.providerOds !== null) conditions.push(sql`s.site_ods in (select ods_code from sites where provider_ods = ${filter.providerOds})`);
  if (filter.siteOds) conditions.push(sql`s.site_ods = ${filter.siteOds}`);
  if (filter.treatmentFunctionCode) conditions.push(sql`s.treatment_function_code = ${filter.treatmentFunctionCode}`);
  const { rows } = await sql<CapacityWeek>`
    select c.site_ods as "siteOds", si.name as "siteName", si.provider_ods as "providerOds",
           c.treatment_function_code as "treatmentFunctionCode", tf.name as "treatmentFunctionName",
           to_char(c.week_start, 'IYYY-"W"IW') as week, c.week_start::text as "weekStart",
           c.slots, c.booked, c.slots - c.booked as free
    from (
      select s.site_ods, s.treatment_function_code, date_trunc('week', s.slot_date::timestamp)::date as week_start,
             count(*)::int as slots, count(b.slot_id)::int as booked
      from slots s
      left join bookings b on b.slot_id = s.id and b.status in (${live})
      where ${sql.join(conditions, sql` and `)}
      group by 1, 2, 3
    ) c
    join sites si on si.ods_code = c.site_ods
    join treatment_functions tf on tf.code = c.treatment_function_code
    order by c.week_start, si.name, c.treatment_function_code`.execute(db);
  return rows;
}

/** The provider a site belongs to; undefined for an unknown site. */
export async function siteProvider(db: Db, siteOds: string): Promise<string | undefined> {
  const site = await db.selectFrom('sites').select('provider_ods').where('ods_code', '=', siteOds).executeTakeFirst();
  return site?.provider_ods;
}
