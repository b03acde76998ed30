/** What people decided about a transfer: the clinician's review and the patient's answers. */
import { sql } from 'kysely';
import type { Db } from '../database';
import type { ResponseChannel, ResponseKind } from '../schema';
import { addTransferEvent } from './transfers';

export async function recordReview(
  db: Db,
  review: { transferId: number; decision: 'confirm' | 'refuse'; reason?: string; reviewer: string },
): Promise<void> {
  const decision = review.decision === 'confirm' ? 'confirmed' : 'refused';
  // One statement: the review, and its event only when the review is new (a repeated activity adds nothing).
  await db
    .with('reviewed', (qb) =>
      qb
        .insertInto('clinical_reviews')
        .values({ transfer_id: review.transferId, decision, reason: review.reason?.trim() || null, reviewer: review.reviewer })
        .onConflict((oc) => oc.column('transfer_id').doNothing())
        .returning('transfer_id'),
    )
    .insertInto('transfer_events')
    .columns(['transfer_id', 'kind', 'detail'])
    .expression((eb) =>
      eb
        .selectFrom('reviewed')
        .select([
          'reviewed.transfer_id',
          sql<string>`${`review.${decision}`}::text`.as('kind'),
          sql<string>`${JSON.stringify({ reviewer: review.reviewer, ...(review.reason ? { reason: review.reason } : {}) })}::jsonb`.as('detail'),
        ]),
    )
    .execute();
}

export interface PatientResponse {
  readonly transferId: number;
  /** The workflow's key for this response: recording it twice adds nothing. */
  readonly responseKey: string;
  readonly kind: ResponseKind;
  readonly channel: ResponseChannel;
  readonly wordingVersion: string;
  readonly respondedAt: string;
  readonly round: number | null;
  readonly siteOds?: string;
  readonly slotId?: number;
  readonly consents?: { readonly transferOfCare: boolean; readonly shareRecords: boolean };
  readonly reason?: string;
}

/** Records a response with its time, channel and wording; a call back also opens a task for the trust. */
export async function recordPatientResponse(db: Db, response: PatientResponse): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('patient_responses')
      .values({
        transfer_id: response.transferId,
        response_key: response.responseKey,
        kind: response.kind,
        channel: response.channel,
        wording_version: response.wordingVersion,
        responded_at: response.respondedAt,
        round: response.round,
        site_ods: response.siteOds ?? null,
        slot_id: response.slotId ?? null,
        consent_transfer_of_care: response.consents?.transferOfCare ?? false,
        consent_share_records: response.consents?.shareRecords ?? false,
        reason: response.reason?.trim() || null,
      })
      .onConflict((oc) => oc.columns(['transfer_id', 'response_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return;
    await addTransferEvent(trx, response.transferId, `patient.${response.kind}`, {
      channel: response.channel,
      wordingVersion: response.wordingVersion,
      ...(response.siteOds ? { siteOds: response.siteOds } : {}),
    });
    if (response.kind === 'callback') {
      const pathway = await trx
        .selectFrom('transfers')
        .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
        .select('pathways.trust_ods')
        .where('transfers.id', '=', response.transferId)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('callback_tasks')
        .values({ transfer_id: response.transferId, trust_ods: pathway.trust_ods, response_key: response.responseKey })
        .execute();
    }
  });
}

/** Whether the transfer records this answer from the patient since `since` (its offer's start): a repeat of it is no new answer. */
export async function hasAnswered(db: Db, transferId: number, kind: ResponseKind, since: Date): Promise<boolean> {
  const found = await db
    .selectFrom('patient_responses')
    .select('id')
    .where('transfer_id', '=', transferId)
    .where('kind', '=', kind)
    .where('recorded_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}
