/**
 * What GOV.UK Notify's delivery receipts say of a message it took, and what each means for us
 * (issue 20): delivered; a permanent failure (the number or address does not exist, the number is not
 * a mobile, the letter cannot be printed), after which the patient is reached by their next channel;
 * a temporary failure (a phone off for days, an inbox full) or a technical one (between Notify and
 * its provider), which an operator sees.
 */
export const DELIVERY_STATUSES = ['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The statuses that are not a delivery: each is shown to the operator. */
export const UNDELIVERED_STATUSES = ['permanent-failure', 'temporary-failure', 'technical-failure'] as const satisfies readonly DeliveryStatus[];

/** What happened for good: nothing later (a receipt repeated, or one that arrives out of order) changes it. */
const FINAL: ReadonlySet<DeliveryStatus> = new Set(['delivered', 'permanent-failure']);

export interface DeliveryRecord {
  readonly status: DeliveryStatus;
  /** When Notify reached that status (its receipt's completed_at). */
  readonly at: Date;
}

/**
 * Whether a receipt changes what is recorded of a message: always the first; never a final status;
 * a passing failure gives way to a final status, or to one Notify reached later. So a receipt
 * delivered twice, or late, changes nothing.
 */
export function receiptChanges(recorded: DeliveryRecord | null, receipt: DeliveryRecord): boolean {
  if (!recorded) return true;
  if (FINAL.has(recorded.status)) return false;
  return FINAL.has(receipt.status) || receipt.at.getTime() > recorded.at.getTime();
}

/** The patient is reached by their next channel after this: the message will never arrive by its own. */
export function needsFallback(status: DeliveryStatus): boolean {
  return status === 'permanent-failure';
}
