/**
 * Selecting a campaign's cohort a page at a time, longest waiters first, by keyset (never loading the
 * whole list): each page starts after the last pathway of the one before, and reads about its own rows.
 */
import { sql } from 'kysely';
import { TURNED_DOWN_STATES, turnedDownSince, type CohortCursor, type CohortRules } from '../../domain/cohort';
import { addDays, monthsBefore } from '../../domain/dates';
import type { Db } from '../database';

export interface CohortQuery {
  readonly trusts: readonly string[];
  readonly treatmentFunctions: readonly string[];
  readonly rules: CohortRules;
  /** The day the rules are applied on ('YYYY-MM-DD'). */
  readonly asOf: string;
  readonly after?: CohortCursor;
  readonly limit: number;
}

export interface CohortPathway {
  readonly pathwayId: number;
  readonly trustOds: string;
  readonly treatmentFunctionCode: string;
  readonly clockStartDate: string;
}

/** A row of one trust's list, before it is merged. */
interface CohortRow {
  id: number;
  patient_id: number;
  trust_ods: string;
  treatment_function_code: string;
  clock_start_date: string;
}

export async function cohortPage(db: Db, query: CohortQuery): Promise<CohortPathway[]> {
  if (query.trusts.length === 0 || query.treatmentFunctions.length === 0) return [];
  const { rules, asOf, after } = query;
  const clockStartedBy = addDays(asOf, -7 * rules.minWeeksWaited);
  const appointmentFrom = addDays(asOf, 7 * rules.noAppointmentWithinWeeks);
  const bornBy = monthsBefore(asOf, 12 * rules.minAge);
  const turnedDownFrom = turnedDownSince(asOf, rules);
  // One list per trust, each read in pathways_trust_clock_idx's order from the cursor on (an index-only
  // scan: the index carries every column the filters read), and merged: PostgreSQL merges them (Merge
  // Append) and stops once the page is full, so every page costs about its own rows. One scan over the
  // whole IN-list would read and sort the region for each page; a list per trust and specialty costs
  // more to plan than to read once a cohort spans many specialties (28 trusts × 184: 5,152 lists).
  const lists = query.trusts.map((trustOds) => {
    let list = db
      .selectFrom('pathways')
      .select(['id', 'patient_id', 'trust_ods', 'treatment_function_code', 'clock_start_date'])
      .where('trust_ods', '=', trustOds)
      .where(sql<boolean>`treatment_function_code = any(${[...query.treatmentFunctions]}::text[])`)
      .where('status', '=', 'waiting')
      .where('priority', '=', 'routine')
      .where('tertiary', '=', false)
      .where('clock_start_date', '<=', clockStartedBy)
      .where((eb) => eb.or([eb('next_appointment_on', 'is', null), eb('next_appointment_on', '<', asOf), eb('next_appointment_on', '>=', appointmentFrom)]));
    if (after) list = list.where((eb) => eb(eb.refTuple('clock_start_date', 'id'), '>', eb.tuple(after.clockStartDate, after.pathwayId)));
    // Each list in its index's order, so that the merge can stop early.
    return sql`(${list.orderBy('clock_start_date').orderBy('id')})`;
  });
  const merged = sql<CohortRow>`(${sql.join(lists, sql` union all `)})`;
  return db
    .selectFrom(merged.as('pathways'))
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .select([
      'pathways.id as pathwayId',
      'pathways.trust_ods as trustOds',
      'pathways.treatment_function_code as treatmentFunctionCode',
      'pathways.clock_start_date as clockStartDate',
    ])
    .where('patients.date_of_birth', '<=', bornBy)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('transfers')
            .select(sql`1`.as('one'))
            .whereRef('transfers.pathway_id', '=', 'pathways.id')
            // Probed per pathway through transfers_pathway_idx, so a page costs its own rows, never a scan of transfers.
            .where((inner) =>
              inner.or([
                inner('transfers.closed_at', 'is', null),
                inner.and([inner('transfers.state', 'in', [...TURNED_DOWN_STATES]), inner('transfers.closed_at', '>=', sql<Date>`${turnedDownFrom}::date`)]),
              ]),
            ),
        ),
      ),
    )
    .orderBy('pathways.clock_start_date')
    .orderBy('pathways.id')
    .limit(query.limit)
    .execute();
}
