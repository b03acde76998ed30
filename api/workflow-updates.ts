/**
 * Calls a workflow's Update on behalf of a person, turning the workflow's refusal (its validator's
 * message: wrong state, wrong trust, missing consent, already paused…) into a clear 409 for the
 * caller, and a workflow that has ended into a 409 that says so. One helper for every workflow the
 * API steers: transfers and campaigns.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TransferStatus } from '../domain/transfer';
import type { CampaignControlInput, CampaignProgress } from '../workflows/messages';
import { ApiError } from './errors';

/** What the workflow is, in the caller's words: 'transfer' gives the codes `refused` and `transfer_closed`. */
type Subject = 'transfer' | 'campaign';

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
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ApiError(409, 'refused', error.cause?.message ?? `the ${subject} refused the change`);
    }
    if (error instanceof WorkflowNotFoundError) throw new ApiError(409, `${subject}_closed`, `the ${subject} has ended: nothing can change it now`);
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
