/**
 * Calls a transfer workflow's Update on behalf of a person, turning the workflow's refusal (its
 * validator's message: wrong state, wrong trust, missing consent…) into a clear 409 for the caller.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TransferStatus } from '../workflows/patient-transfer';
import { ApiError } from './errors';

export async function updateTransfer<Input>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<TransferStatus, [Input]>,
  args: [Input],
): Promise<TransferStatus> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(update, { args });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ApiError(409, 'refused', error.cause?.message ?? 'the transfer refused the change');
    }
    if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'transfer_closed', 'the transfer has ended: nothing can change it now');
    throw error;
  }
}
