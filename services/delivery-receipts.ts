/**
 * Delivery receipts (issue 20), GOV.UK Notify's and the bounces (DSNs) of email sent over SMTP
 * (emails/bounce-receiver.ts): each is recorded on its message, and a message that failed for good is
 * sent again by the patient's next channel, once.
 *
 * The fallback is a small workflow of its own, its id the failed message's, started with
 * reject-duplicate: Temporal keeps it going through restarts and retries, a second start (the receipt
 * delivered twice) is refused, and the transfer's workflow is left as it is. It is started whenever a
 * receipt finds its message failed for good, not only when the receipt records that: if the start
 * fails after the failure is recorded, the request fails, Notify (or the mail server, told to try
 * again later) sends the receipt again, and the start is made then. The outbox (one message per
 * transfer and intent) holds at most once beneath it.
 *
 * A message Notify refused as it was sent (a 400) is taken here too, as a permanent failure with no
 * Notify id, by the sending activity (activities/messages.ts) with the worker's Temporal client.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { type DeliveryReceipt, recordDeliveryReceipt } from '../db/repositories/delivery-receipts';
import { hasChannelAfter } from '../domain/channels';
import { needsFallback } from '../domain/delivery';
import { Conflict, NotFound } from '../domain/failures';
import { messageFallbackWorkflowId } from '../workflows/ids';
import { messageFallbackWorkflow } from '../workflows/message-fallback';
import type { ServiceDeps } from './context';

export interface ReceiptTaken {
  /** Whether the receipt changed what is recorded (a repeat, or one out of order, does not). */
  readonly recorded: boolean;
  /** Whether the message is being sent again by another channel. */
  readonly fallback: boolean;
}

export async function takeDeliveryReceipt(services: Pick<ServiceDeps, 'db' | 'temporal' | 'taskQueue'>, receipt: DeliveryReceipt): Promise<ReceiptTaken> {
  const outcome = await recordDeliveryReceipt(services.db, receipt);
  if (outcome.kind === 'unknown') throw new NotFound(`no message has the reference ${receipt.messageId}`);
  if (outcome.kind === 'mismatch') throw new Conflict(`the receipt does not match its reference: ${outcome.why}`, 'receipt_mismatch');
  const { message } = outcome;
  const fallback = message.recipient === 'patient' && needsFallback(message.deliveryStatus) && hasChannelAfter(message.channel);
  if (fallback) await startFallback(services, message.id);
  return { recorded: outcome.kind === 'recorded', fallback };
}

async function startFallback(services: Pick<ServiceDeps, 'temporal' | 'taskQueue'>, messageId: number): Promise<void> {
  try {
    await services.temporal.workflow.start(messageFallbackWorkflow, {
      workflowId: messageFallbackWorkflowId(messageId),
      taskQueue: services.taskQueue,
      args: [{ messageId }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    // Started already, by this receipt delivered before: that one is the fallback.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
