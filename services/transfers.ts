/**
 * Transfers for staff: starting one for a pathway by hand, listing those in the caller's scope, and
 * reading one with its timeline. A pathway outside the caller's scope, or its transfer, answers as
 * unknown. Every start is audited.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { audit } from '../db/repositories/audit';
import { fundScope } from '../db/repositories/funds';
import { getPathwayTrust } from '../db/repositories/pathways';
import { earlierTransfers, getTransfer, getTransferTimeline, lastTurnedDown, listTransfers, type EarlierTransfer } from '../db/repositories/transfers';
import type { StaffUser, Transfer, TransferEvent } from '../db/schema';
import { DEFAULT_COHORT_RULES, turnedDownSince } from '../domain/cohort';
import { dayOf } from '../domain/dates';
import { Conflict, Forbidden, Invalid, NotFound } from '../domain/failures';
import type { TransferState } from '../domain/transfer';
import { transferWorkflowId } from '../workflows/ids';
import { patientTransferWorkflowV2 } from '../workflows/patient-transfer';
import { transferSearchAttributes } from '../workflows/search-attributes';
import { canActForTrust, staffActor } from './access';
import type { ServiceDeps } from './context';

export interface StartTransfer {
  readonly pathwayId: number;
  readonly fundId: number;
  readonly responseWindowDays?: number;
}

/** Starts a pathway's transfer, once: a pathway already in one is a Conflict naming its workflow. */
export async function startTransfer(deps: ServiceDeps, staff: StaffUser, start: StartTransfer): Promise<{ workflowId: string }> {
  const pathway = await getPathwayTrust(deps.db, start.pathwayId);
  if (!pathway || !canActForTrust(staff, pathway)) throw new NotFound(`pathway ${start.pathwayId} not found`);
  // The pathway is known to exist: no scope means no such fund.
  const scope = await fundScope(deps.db, start.fundId, start.pathwayId);
  if (!scope) throw new NotFound(`fund ${start.fundId} not found`);
  if (scope.problem) throw new Invalid(scope.problem, { field: 'fundId', reason: 'fund_out_of_scope' });
  // The cohort's rule (domain/cohort.ts), for a start by hand: a patient who said no lately is left alone.
  const turnedDown = await lastTurnedDown(deps.db, start.pathwayId, turnedDownSince(dayOf(deps.clock()), DEFAULT_COHORT_RULES));
  if (turnedDown) {
    throw new Conflict(
      `pathway ${start.pathwayId}'s transfer ${turnedDown.id} ended ${turnedDown.state.replace(/_/g, ' ')} on ${turnedDown.closedOn}, within ${DEFAULT_COHORT_RULES.declinedWithinDays} days`,
      'turned_down_lately',
      { transferId: turnedDown.id, state: turnedDown.state, closedOn: turnedDown.closedOn },
    );
  }
  const workflowId = transferWorkflowId(start.pathwayId);
  try {
    await deps.temporal.workflow.start(patientTransferWorkflowV2, {
      workflowId,
      taskQueue: deps.taskQueue,
      typedSearchAttributes: transferSearchAttributes({ trustOds: pathway.ods_code }),
      args: [
        {
          pathwayId: start.pathwayId,
          fundId: start.fundId,
          ...(start.responseWindowDays ? { settings: { responseWindowDays: start.responseWindowDays } } : {}),
        },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new Conflict(`pathway ${start.pathwayId} already has an open transfer`, 'transfer_open', { workflowId });
    }
    throw error;
  }
  await audit(deps.db, { actor: staffActor(staff), action: 'transfer.start', subject: `pathway:${start.pathwayId}`, detail: { workflowId } });
  return { workflowId };
}

/** A page of transfers in the caller's scope: a clinician sees their trust, a regional team their region. */
export async function transfersInScope(
  deps: Pick<ServiceDeps, 'db'>,
  staff: StaffUser,
  filter: { readonly state?: TransferState; readonly trust?: string; readonly before?: number; readonly limit: number },
) {
  if (staff.role === 'clinician' && filter.trust && filter.trust !== staff.trust_ods) throw new Forbidden(`you see trust ${staff.trust_ods} only`);
  return listTransfers(deps.db, {
    trustOds: staff.role === 'clinician' ? staff.trust_ods : (filter.trust ?? null),
    regionCode: staff.role === 'regional' ? staff.region_code : null,
    state: filter.state,
    before: filter.before,
    limit: filter.limit,
  });
}

/** One transfer in the caller's scope, with its timeline and the pathway's earlier transfers. */
export async function transferInScope(
  deps: Pick<ServiceDeps, 'db'>,
  staff: StaffUser,
  transferId: number,
): Promise<{ transfer: Transfer; timeline: TransferEvent[]; earlierTransfers: EarlierTransfer[] }> {
  const transfer = await getTransfer(deps.db, transferId);
  const pathway = transfer && (await getPathwayTrust(deps.db, transfer.pathway_id));
  if (!transfer || !pathway || !canActForTrust(staff, pathway)) throw new NotFound(`transfer ${transferId} not found`);
  const [timeline, earlier] = await Promise.all([getTransferTimeline(deps.db, transferId), earlierTransfers(deps.db, [transfer.pathway_id])]);
  return { transfer, timeline, earlierTransfers: earlier.filter((row) => row.transferId < transferId) };
}
