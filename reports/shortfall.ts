/**
 * The shortfall report (PRODUCT.md §3.1, §5): per trust and treatment function, contracted against
 * delivered volume over a period, worst first, with each trust's waiting list and how long it waits.
 * The API, the CLI and the staff page all show this one report.
 */
import { z } from 'zod';
import type { Db } from '../db/database';
import { volumesByTrust, waitingListsByTrust } from '../db/repositories/shortfalls';
import { dayOf, shiftMonth } from '../domain/dates';
import { WAIT_BANDS, type WaitBand } from '../domain/rtt';
import { assessShortfall, DEFAULT_TOLERANCE, type Shortfall, worstFirst } from '../domain/shortfall';

export interface ShortfallQuery {
  readonly regionCode?: string;
  /** First month, 'YYYY-MM'. */
  readonly from: string;
  /** Last month, 'YYYY-MM', inclusive. */
  readonly to: string;
  readonly tolerance: number;
  /** The day waiting times are measured to, 'YYYY-MM-DD'. */
  readonly asOf: string;
}

const month = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM');

export const shortfallQuerySchema = z
  .object({
    region: z.string().regex(/^[A-Z0-9]{3}$/).optional().describe('NHS England region; a regional team sees its own'),
    from: month.optional().describe('first month (default: twelve months before to)'),
    to: month.optional().describe('last month, inclusive (default: last month)'),
    tolerance: z.coerce.number().min(0).max(0.5).default(DEFAULT_TOLERANCE).describe('missed when delivered is below contracted by more than this share'),
    asOf: z.iso.date().optional().describe('the day waiting times are measured to (default: today)'),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'must not be after to', path: ['from'] });

export type ShortfallQueryInput = z.infer<typeof shortfallQuerySchema>;

/** Fills in the defaults: the twelve months to last month, waiting times measured to today. */
export function shortfallQueryFrom(input: ShortfallQueryInput, today: Date): ShortfallQuery {
  const to = input.to ?? shiftMonth(today.toISOString().slice(0, 7), -1);
  const from = input.from ?? shiftMonth(to, -11);
  return { regionCode: input.region, from, to, tolerance: input.tolerance, asOf: input.asOf ?? dayOf(today) };
}

export interface ShortfallLine extends Shortfall {
  readonly trustOds: string;
  readonly trustName: string;
  readonly treatmentFunctionCode: string;
  readonly treatmentFunctionName: string;
}

export interface TrustWaitingList {
  readonly trustOds: string;
  readonly trustName: string;
  readonly waiting: number;
  readonly weeksWaited: Record<WaitBand, number>;
}

export interface ShortfallReport {
  readonly query: ShortfallQuery;
  readonly lines: readonly ShortfallLine[];
  readonly trusts: readonly TrustWaitingList[];
}

export async function shortfallReport(db: Db, query: ShortfallQuery): Promise<ShortfallReport> {
  const volumes = await volumesByTrust(db, { regionCode: query.regionCode, from: `${query.from}-01`, to: `${query.to}-01` });
  const lines = volumes
    .map(({ regionCode: _region, ...row }) => ({ ...row, ...assessShortfall(row, query.tolerance) }))
    .sort(worstFirst);
  const names = new Map(lines.map((line) => [line.trustOds, line.trustName]));
  const waiting = await waitingListsByTrust(db, [...names.keys()], query.asOf);
  const trusts = waiting
    .map((row) => ({
      trustOds: row.trustOds,
      trustName: names.get(row.trustOds)!,
      waiting: row.waiting,
      weeksWaited: Object.fromEntries(WAIT_BANDS.map((band, index) => [band.label, row.bands[index]!])) as Record<WaitBand, number>,
    }))
    .sort((a, b) => b.waiting - a.waiting);
  return { query, lines, trusts };
}
