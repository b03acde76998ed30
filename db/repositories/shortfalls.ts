import { sql } from 'kysely';
import { WAIT_BANDS } from '../../domain/rtt';
import type { Db } from '../database';

export interface VolumeRow {
  readonly trustOds: string;
  readonly trustName: string;
  readonly regionCode: string | null;
  readonly treatmentFunctionCode: string;
  readonly treatmentFunctionName: string;
  readonly contracted: number;
  readonly delivered: number;
}

/** Contracted and delivered volume per trust and treatment function over whole months [from, to]. */
export async function volumesByTrust(db: Db, filter: { regionCode?: string; from: string; to: string }): Promise<VolumeRow[]> {
  return db
    .selectFrom('contracts as c')
    .innerJoin('trusts as t', 't.ods_code', 'c.trust_ods')
    .innerJoin('treatment_functions as tf', 'tf.code', 'c.treatment_function_code')
    .leftJoin('activity as a', (join) =>
      join
        .onRef('a.trust_ods', '=', 'c.trust_ods')
        .onRef('a.treatment_function_code', '=', 'c.treatment_function_code')
        .onRef('a.month', '=', 'c.month'),
    )
    .select((eb) => [
      'c.trust_ods as trustOds',
      't.name as trustName',
      't.region_code as regionCode',
      'c.treatment_function_code as treatmentFunctionCode',
      'tf.name as treatmentFunctionName',
      eb.fn.sum<number>('c.contracted_volume').as('contracted'),
      eb.fn.coalesce(eb.fn.sum<number>('a.delivered_volume'), sql<number>`0`).as('delivered'),
    ])
    .where('c.month', '>=', filter.from)
    .where('c.month', '<=', filter.to)
    .$if(filter.regionCode !== undefined, (query) => query.where('t.region_code', '=', filter.regionCode!))
    .groupBy(['c.trust_ods', 't.name', 't.region_code', 'c.treatment_function_code', 'tf.name'])
    .execute();
}

export interface WaitingListRow {
  readonly trustOds: string;
  readonly waiting: number;
  /** Pathways per wait band, in the order of WAIT_BANDS. */
  readonly bands: number[];
}

/** Each trust's waiting list on a day: its size and how long its patients have waited. */
export async function waitingListsByTrust(db: Db, trusts: readonly string[], asOf: string): Promise<WaitingListRow[]> {
  if (trusts.length === 0) return [];
  const bandColumns = WAIT_BANDS.map((band, index) => {
    const next = WAIT_BANDS[index + 1];
    const waitedFrom = sql`${asOf}::date - clock_start_date >= ${band.fromWeeks * 7}`;
    const condition = next ? sql`${waitedFrom} and ${asOf}::date - clock_start_date < ${next.fromWeeks * 7}` : waitedFrom;
    return sql<number>`(count(*) filter (where ${condition}))::int`.as(`band_${index}`);
  });
  const rows = await db
    .selectFrom('pathways')
    .select([sql<string>`trust_ods`.as('trustOds'), sql<number>`count(*)::int`.as('waiting'), ...bandColumns])
    .where('trust_ods', 'in', trusts)
    .where('status', '=', 'waiting')
    .groupBy('trust_ods')
    .execute();
  return rows.map((row) => {
    const record = row as unknown as Record<string, number>;
    return { trustOds: row.trustOds, waiting: row.waiting, bands: WAIT_BANDS.map((_, index) => record[`band_${index}`] ?? 0) };
  });
}
