/** The worker's workflowsPath: every workflow the worker runs. */
export { patientTransferWorkflow } from './patient-transfer';
