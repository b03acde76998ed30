/** Call backs patients asked for from their offer page: a task for their trust to phone them. */
import { sql } from 'kysely';
import type { Db } from '../database';

export interface CallbackScope {
  /** A clinician's trust, a regional team's region, or (both null) every trust. */
  readonly trustOds: string | null;
  readonly regionCode: string | null;
}

/** Open call backs, oldest first, with who to call and on what number. */
export async function openCallbacks(db: Db, scope: CallbackScope) {
  let query = db
    .selectFrom('callback_tasks')
    .innerJoin('trusts', 'trusts.ods_code', 'callback_tasks.trust_ods')
    .innerJoin('transfers', 'transfers.id', 'callback_tasks.transfer_id')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .select([
      'callback_tasks.id',
      'callback_tasks.transfer_id as transferId',
      'callback_tasks.trust_ods as trustOds',
      'callback_tasks.requested_at as requestedAt',
      'pathways.pathway_ref as pathwayRef',
      sql<string>`patients.given_name || ' ' || patients.family_name`.as('patientName'),
      'patients.phone',
    ])
    .where('callback_tasks.done_at', 'is', null);
  if (scope.trustOds !== null) query = query.where('callback_tasks.trust_ods', '=', scope.trustOds);
  if (scope.regionCode !== null) query = query.where('trusts.region_code', '=', scope.regionCode);
  return query.orderBy('callback_tasks.requested_at').orderBy('callback_tasks.id').execute();
}

/** Marks a call back done, once; false when it is unknown, outside the scope, or done already. */
export async function completeCallback(db: Db, id: number, scope: CallbackScope, doneBy: string): Promise<boolean> {
  const result = await db
    .updateTable('callback_tasks')
    .set({ done_at: sql`now()`, done_by: doneBy })
    .where('id', '=', id)
    .where('done_at', 'is', null)
    .where((eb) =>
      eb.and([
        ...(scope.trustOds !== null ? [eb('trust_ods', '=', scope.trustOds)] : []),
        ...(scope.regionCode !== null
          ? [eb('trust_ods', 'in', eb.selectFrom('trusts').select('ods_code').where('region_code', '=', scope.regionCode))]
          : []),
      ]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
