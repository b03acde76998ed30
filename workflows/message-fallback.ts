/**
 * messageFallbackWorkflow: a patient's message that GOV.UK Notify could not deliver, for good, sent
 * again by their next channel (a text's by email, or else by letter; an email's by letter). Started
 * by the delivery receipt (services/delivery-receipts.ts), one per failed message; it carries the
 * message's id only, and the activity reads the rest.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FallbackResult } from '../activities/messages';
import { ACTIVITY_OPTIONS } from './failures';

export interface MessageFallbackInput {
  /** The message that failed. */
  readonly messageId: number;
}

const activities = proxyActivities<Activities>(ACTIVITY_OPTIONS);

export async function messageFallbackWorkflow(input: MessageFallbackInput): Promise<FallbackResult> {
  return activities.sendFallbackMessage(input);
}
