/** What people decided about a transfer: the clinician's review and the patient's answers. */
import type { Db } from '../database';
import type { ResponseChannel, ResponseKind } from '../schema';
import { audit } from './audit';
import { addTransferEvent } from './transfers';

/** Records the review, its event and its audit in one transaction; a repeated activity finds the review and adds nothing. */
export async function recordReview(
  db: Db,
  review: { transferId: number; decision: 'confirm' | 'refuse'; reason?: string; reviewer: string },
): Promise<void> {
  const decision = review.decision === 'confirm' ? 'confirmed' : 'refused';
  const reason = review.reason ? { reason: review.reason } : {};
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('clinical_reviews')
      .values({ transfer_id: review.transferId, decision, reason: review.reason?.trim() || null, reviewer: review.reviewer })
      .onConflict((oc) => oc.column('transfer_id').doNothing())
      .returning('transfer_id')
      .executeTakeFirst();
    if (!inserted) return;
    await addTransferEvent(trx, review.transferId, `review.${decision}`, { reviewer: review.reviewer, ...reason });
    await audit(trx, { actor: review.reviewer, action: `transfer.review.${review.decision}`, subject: `transfer:${review.transferId}`, detail: reason });
  });
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
  /** Who answered, as audited; answers taken before the actor was sent are audited by their channel. */
  readonly actor?: string;
}

/** Records a response with its time, channel and wording, and its audit; a call back also opens a task for the trust. */
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
    await audit(trx, { actor: response.actor ?? `patient:${response.channel}`, action: `offer.${response.kind}`, subject: `transfer:${response.transferId}` });
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
