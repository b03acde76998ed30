/**
 * Every workflow id and the task queue, built in one place from business ids, so the same business
 * object always maps to the same workflow and Temporal itself refuses a second open one.
 */
export const DEFAULT_TASK_QUEUE = 'backlog-transfer';

/** One transfer per pathway at a time: the id is the pathway's. */
export function transferWorkflowId(pathwayId: number): string {
  return `transfer-pathway-${pathwayId}`;
}

/** One claims Schedule per fund, and the workflow id its runs share (so two runs never overlap). */
export function fundClaimsScheduleId(fundId: number): string {
  return `fund-claims-${fundId}`;
}

/** One workflow per campaign. */
export function campaignWorkflowId(campaignId: number): string {
  return `campaign-${campaignId}`;
}

/** One fallback per message that failed for good: the id is the failed message's. */
export function messageFallbackWorkflowId(messageId: number): string {
  return `message-fallback-${messageId}`;
}
