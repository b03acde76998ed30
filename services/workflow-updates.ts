/**
 * Calls a workflow's Update on behalf of a person. The workflow's refusal comes back as the domain
 * error its validator chose (wrong state is a Conflict, another trust's clinician Forbidden, a
 * refusal without a reason Invalid), with its reason code; a workflow that has ended is a Conflict
 * that says so. One helper for every workflow the services steer: transfers and campaigns.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { Conflict, type DomainError, domainError, isFailureKind } from '../domain/failures';
import type { TransferStatus } from '../domain/transfer';
import type { CampaignControlInput, CampaignProgress } from '../workflows/messages';

/** What the workflow is, in the caller's words: 'transfer' gives the reason `transfer_closed`. */
type Subject = 'transfer' | 'campaign';

const failureDetails = z.object({ reason: z.string(), field: z.string().optional(), details: z.unknown().optional() });

/** The domain error a workflow's refusal stands for; one of another making is a plain Conflict. */
function refusalOf(subject: Subject, error: WorkflowUpdateFailedError): DomainError {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && isFailureKind(cause.type)) {
    const details = failureDetails.safeParse(cause.details?.[0]);
    return domainError(cause.type, cause.message, details.success ? details.data : {});
  }
  return new Conflict(cause?.message ?? `the ${subject} refused the change`, 'refused');
}

async function updateWorkflow<Result, Input>(
  subject: Subject,
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Result, [Input]>,
  args: [Input],
): Promise<Result> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(update, { args });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw refusalOf(subject, error);
    if (error instanceof WorkflowNotFoundError) throw new Conflict(`the ${subject} has ended: nothing can change it now`, `${subject}_closed`);
    throw error;
  }
}

export function updateTransfer<Input>(temporal: Client, workflowId: string, update: UpdateDefinition<TransferStatus, [Input]>, args: [Input]): Promise<TransferStatus> {
  return updateWorkflow('transfer', temporal, workflowId, update, args);
}

export function updateCampaign(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<CampaignProgress, [CampaignControlInput]>,
  input: CampaignControlInput,
): Promise<CampaignProgress> {
  return updateWorkflow('campaign', temporal, workflowId, update, [input]);
}
