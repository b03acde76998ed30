/** The worker's workflowsPath: every workflow the worker runs. */
export { patientTransferWorkflow, patientTransferWorkflowV2 } from './patient-transfer';
export { fundClaimsWorkflow } from './fund-claims';
export { campaignWorkflow } from './campaign';
export { messageFallbackWorkflow } from './message-fallback';
