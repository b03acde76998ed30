/**
 * Calls a workflow's Update on behalf of a person. The workflow's refusal comes back as the domain
 * error its validator chose (wrong state is a Conflict, another trust's clinician Forbidden, a
 * refusal without a reason Invalid), with its reason code; a workflow that has ended is a Conflict
 * that says so. Every Update has a deadline: with no worker taking the workflow's tasks, or Temporal
 * not answering, it is Unavailable (a 503, and words on the patient's page) instead of a request that
 * hangs. One helper for every workflow the services steer: transfers and campaigns.
 */
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { Conflict, type DomainError, domainError, isFailureKind, Unavailable } from '../domain/failures';
import type { TransferStatus } from '../domain/transfer';
import type { CampaignControlInput, CampaignProgress } from '../workflows/messages';
import type { ServiceDeps } from './context';

/**
 * How long an Update may take, from the request to the workflow's answer. A running worker answers in
 * well under a second (an acceptance records itself first, then answers); ten seconds is a page a
 * person still waits for, and long past any answer that is coming.
 */
export const UPDATE_DEADLINE_MS = 10_000;

/** gRPC codes of a Temporal that cannot take a change just now: FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const PASSING_GRPC_CODES: readonly number[] = [9, 8, 14];

type UpdateDeps = Pick<ServiceDeps, 'temporal' | 'updateDeadlineMs'>;

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

/**
 * Temporal, or a worker behind it, could not take the change just now: the deadline passed, the
 * frontend is down or busy, or the workflow's task is failing while a killed worker's work is retried
 * ("Workflow Task in failed state", FAILED_PRECONDITION). Each passes; none is the caller's fault.
 */
function isUnanswered(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  return error instanceof ServiceError && isGrpcServiceError(error.cause) && PASSING_GRPC_CODES.includes(error.cause.code);
}

async function updateWorkflow<Result, Input>(
  subject: Subject,
  { temporal, updateDeadlineMs = UPDATE_DEADLINE_MS }: UpdateDeps,
  workflowId: string,
  update: UpdateDefinition<Result, [Input]>,
  args: [Input],
): Promise<Result> {
  try {
    return await temporal.withDeadline(Date.now() + updateDeadlineMs, () => temporal.workflow.getHandle(workflowId).executeUpdate(update, { args }));
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw refusalOf(subject, error);
    if (error instanceof WorkflowNotFoundError) throw new Conflict(`the ${subject} has ended: nothing can change it now`, `${subject}_closed`);
    if (isUnanswered(error)) {
      throw new Unavailable(`the ${subject} could not take the change within ${updateDeadlineMs / 1000} s, so it may not have been made: try again shortly`);
    }
    throw error;
  }
}

export function updateTransfer<Input>(deps: UpdateDeps, workflowId: string, update: UpdateDefinition<TransferStatus, [Input]>, args: [Input]): Promise<TransferStatus> {
  return updateWorkflow('transfer', deps, workflowId, update, args);
}

export function updateCampaign(
  deps: UpdateDeps,
  workflowId: string,
  update: UpdateDefinition<CampaignProgress, [CampaignControlInput]>,
  input: CampaignControlInput,
): Promise<CampaignProgress> {
  return updateWorkflow('campaign', deps, workflowId, update, [input]);
}
