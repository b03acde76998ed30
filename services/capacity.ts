/**
 * IS capacity for planning (GET /api/v1/capacity): free and booked slots by site, treatment function
 * and ISO week, in the caller's scope. A provider sees its own sites. Regional teams and admins see
 * every site: sites carry no region, and a region's patients are offered IS sites wherever they can
 * travel, as campaigns count capacity. Clinicians and finance have no use for it and are refused.
 */
import { z } from 'zod';
import { capacityByWeek, type CapacityWeek, siteProvider } from '../db/repositories/capacity';
import type { StaffUser } from '../db/schema';
import { isOdsCode, isTreatmentFunctionCode } from '../domain/codes';
import { isoDaySchema } from '../domain/code-schemas';
import { addDays, dayOf, daysBetween, mondayOf } from '../domain/dates';
import { Invalid, NotFound } from '../domain/failures';
import type { ServiceDeps } from './context';

/** Weeks shown when the query names no end: this one and the eleven after. */
export const DEFAULT_CAPACITY_WEEKS = 12;
/** The longest period one query may ask for. */
export const MAX_CAPACITY_DAYS = 371;


export const capacityQuerySchema = z.object({
  from: isoDaySchema.optional().describe("first day (default: this week's Monday)"),
  to: isoDaySchema.optional().describe(`last day, inclusive (default: the Sunday ${DEFAULT_CAPACITY_WEEKS} weeks on from from's week); at most ${MAX_CAPACITY_DAYS} days after from`),
  site: z.string().refine(isOdsCode, 'must be an ODS code: 3 to 6 capital letters and digits').optional().describe('only this IS site'),
  treatmentFunction: z.string().refine(isTreatmentFunctionCode, 'must be a treatment function code: three digits').optional().describe('only this treatment function (specialty)'),
});

export type CapacityQuery = z.infer<typeof capacityQuerySchema>;

export interface CapacityReport {
  readonly from: string;
  readonly to: string;
  readonly weeks: readonly CapacityWeek[];
}

export async function capacityInScope(deps: Pick<ServiceDeps, 'db' | 'clock'>, staff: StaffUser, query: CapacityQuery): Promise<CapacityReport> {
  const from = query.from ?? mondayOf(dayOf(deps.clock()));
  const to = query.to ?? addDays(mondayOf(from), DEFAULT_CAPACITY_WEEKS * 7 - 1);
  if (to < from) throw new Invalid(`to (${to}) is before from (${from})`, { field: 'to' });
  if (daysBetween(from, to) > MAX_CAPACITY_DAYS) throw new Invalid(`ask for at most ${MAX_CAPACITY_DAYS} days at a time`, { field: 'to' });
  const providerOds = staff.role === 'provider' ? staff.provider_ods : null;
  if (query.site) {
    const owner = await siteProvider(deps.db, query.site);
    if (owner === undefined || (providerOds !== null && owner !== providerOds)) throw new NotFound(`site ${query.site} not found`);
  }
  const weeks = await capacityByWeek(deps.db, { from, to, providerOds, siteOds: query.site, treatmentFunctionCode: query.treatmentFunction });
  return { from, to, weeks };
}
