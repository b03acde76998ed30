/**
 * Failures as workflows send them: a validator's refusal is an ApplicationFailure whose type is the
 * domain's failure kind and whose details carry the reason (and field), so the API maps it to its
 * status and the pages to their words without reading the message. Activities' retry options come
 * from the same kinds: a failure of one of them (a missing row, a rule broken) will not pass on a retry.
 */
import { ApplicationFailure, type ActivityOptions, type LocalActivityOptions } from '@temporalio/common';
import { FAILURE_KINDS, type FailureDetails, type FailureKind } from '../domain/failures';
import { TRANSFER_REFUSALS, type TransferRefusal } from '../domain/transfer';

function failure(kind: FailureKind, message: string, details: FailureDetails): ApplicationFailure {
  return ApplicationFailure.create({ type: kind, message, nonRetryable: true, details: [details] });
}

/** Refuses an Update to a transfer: nothing changes, and the caller learns why (and which field, when one is at fault). */
export function refuseTransfer(reason: TransferRefusal, message: string, field?: string): never {
  throw failure(TRANSFER_REFUSALS[reason], message, field === undefined ? { reason } : { reason, field });
}

/** Refuses an Update whose input breaks one of the domain's rules (a zod schema), naming the field. */
export function refuseInvalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): never {
  const [first] = issues;
  throw failure('Invalid', issues.map((issue) => issue.message).join('; '), { reason: 'invalid', field: first?.path.map(String).join('.') });
}

/** Refuses a change the state does not allow, with a reason code of the workflow's own. */
export function refuseConflict(reason: string, message: string): never {
  throw failure('Conflict', message, { reason });
}

/** Every workflow's activities: short, retried with backoff, except failures that would only repeat. */
export const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2, nonRetryableErrorTypes: [...FAILURE_KINDS] },
} satisfies ActivityOptions;

/**
 * A workflow's own short database records, run by the worker inside the workflow task that asks for
 * them (one marker event each instead of three events and a workflow task). Retried the same way.
 */
export const LOCAL_ACTIVITY_OPTIONS = {
  startToCloseTimeout: ACTIVITY_OPTIONS.startToCloseTimeout,
  retry: ACTIVITY_OPTIONS.retry,
} satisfies LocalActivityOptions;
