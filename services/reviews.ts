/**
 * A clinician's review of their trust's candidates, one at a time or a selected batch at once: the
 * one place the API and the review page both go through. The workflow checks the state and the
 * trust again; this checks the candidate is the clinician's to see at all. The activity recording a
 * decision audits it, in the same transaction.
 */
import pMap from 'p-map';
import { audit } from '../db/repositories/audit';
import { getPathwayTrust } from '../db/repositories/pathways';
import { type ReviewCandidate, type ReviewedTransfer, reviewedTransfers, reviewQueue } from '../db/repositories/review-queue';
import { getTransfer } from '../db/repositories/transfers';
import type { StaffUser } from '../db/schema';
import { DomainError, NotFound } from '../domain/failures';
import type { ReviewDecision, TransferState, TransferStatus } from '../domain/transfer';
import { reviewUpdate } from '../workflows/messages';
import { staffActor } from './access';
import type { ServiceDeps } from './context';
import { updateTransfer } from './workflow-updates';

/** Confirmations in flight at once in a batch: hundreds are confirmed without flooding Temporal. */
const BATCH_CONCURRENCY = 8;

export interface ReviewResult {
  readonly transferId: number;
  readonly state?: TransferState;
  readonly error?: string;
}

/** The clinician's trust's queue; it shows patients' details, so reading it is audited. */
export async function reviewQueueOf(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser): Promise<ReviewCandidate[]> {
  const candidates = await reviewQueue(deps.db, staff.trust_ods!);
  await audit(deps.db, { actor: staffActor(staff), action: 'review-queue.view', subject: `trust:${staff.trust_ods}`, detail: { candidates: candidates.length } });
  return candidates;
}

export async function reviewCandidate(deps: ServiceDeps, staff: StaffUser, transferId: number, review: ReviewDecision): Promise<TransferStatus> {
  const transfer = await getTransfer(deps.db, transferId);
  const pathway = transfer && (await getPathwayTrust(deps.db, transfer.pathway_id));
  if (!transfer || !pathway || staff.trust_ods !== pathway.ods_code) throw new NotFound(`transfer ${transferId} not found in your trust`);
  return updateTransfer(deps, transfer.workflow_id, reviewUpdate, [{ ...review, reviewer: staffActor(staff), reviewerTrustOds: staff.trust_ods }]);
}

/** Confirms each candidate on its own: one that cannot be (reviewed already, another trust's) is reported and the rest go ahead. */
export async function confirmCandidates(deps: ServiceDeps, staff: StaffUser, transferIds: readonly number[]): Promise<ReviewResult[]> {
  return pMap(
    [...new Set(transferIds)],
    async (transferId): Promise<ReviewResult> => {
      try {
        const status = await reviewCandidate(deps, staff, transferId, { decision: 'confirm' });
        return { transferId, state: status.state };
      } catch (error) {
        if (error instanceof DomainError) return { transferId, error: error.message };
        throw error;
      }
    },
    { concurrency: BATCH_CONCURRENCY },
  );
}

/** How these transfers of the clinician's trust stand now, with their reviews: what the page says a decision did. */
export async function reviewedTransfersOf(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, transferIds: readonly number[]): Promise<ReviewedTransfer[]> {
  return reviewedTransfers(deps.db, staff.trust_ods!, transferIds);
}
