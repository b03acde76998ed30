/**
 * Selecting a campaign's cohort a page at a time, longest waiters first, by keyset (never loading the
 * whole list): each page starts after the last pathway of the one before.
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

export async function cohortPage(db: Db, query: CohortQuery): Promise<CohortPathway[]> {
  if (query.trusts.length === 0 || query.treatmentFunctions.length === 0) return [];
  const { rules, asOf } = query;
  const clockStartedBy = addDays(asOf, -7 * rules.minWeeksWaited);
  const appointmentFrom = addDays(asOf, 7 * rules.noAppointmentWithinWeeks);
  const bornBy = monthsBefore(asOf, 12 * rules.minAge);
  const turnedDownFrom = turnedDownSince(asOf, rules);
  let select = db
    .selectFrom('pathways')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .select([
      'pathways.id as pathwayId',
      'pathways.trust_ods as trustOds',
      'pathways.treatment_function_code as treatmentFunctionCode',
      'pathways.clock_start_date as clockStartDate',
    ])
    .where('pathways.trust_ods', 'in', [...query.trusts])
    .where('pathways.treatment_function_code', 'in', [...query.treatmentFunctions])
    .where('pathways.status', '=', 'waiting')
    .where('pathways.priority', '=', 'routine')
    .where('pathways.tertiary', '=', false)
    .where('pathways.clock_start_date', '<=', clockStartedBy)
    .where((eb) => eb.or([eb('pathways.next_appointment_on', 'is', null), eb('pathways.next_appointment_on', '<', asOf), eb('pathways.next_appointment_on', '>=', appointmentFrom)]))
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
    );
  if (query.after) {
    const { clockStartDate, pathwayId } = query.after;
    select = select.where((eb) => eb(eb.refTuple('pathways.clock_start_date', 'pathways.id'), '>', eb.tuple(clockStartDate, pathwayId)));
  }
  return select.orderBy('pathways.clock_start_date').orderBy('pathways.id').limit(query.limit).execute();
}
