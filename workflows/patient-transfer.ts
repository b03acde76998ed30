/**
 * patientTransferWorkflow: one per pathway, from candidate to treated or back to the trust's list.
 * It carries ids only; everything personal stays in PostgreSQL and is read by activities.
 */
import { condition, defineQuery, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { TransferStateAttribute } from './search-attributes';

export interface PatientTransferInput {
  readonly pathwayId: number;
  /** How long the patient has to answer an offer (PRODUCT.md §3.6 default: 14 days). */
  readonly responseWindowDays?: number;
}

export type TransferState = 'opened' | 'offered' | 'lapsed';

export interface TransferStatus {
  readonly transferId: number | null;
  readonly state: TransferState;
}

export const transferStatusQuery = defineQuery<TransferStatus>('transferStatus');

const { openTransfer, sendTransferMessage, recordTransferState } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function patientTransferWorkflow(input: PatientTransferInput): Promise<TransferStatus> {
  let status: TransferStatus = { transferId: null, state: 'opened' };
  setHandler(transferStatusQuery, () => status);

  const moveTo = async (state: TransferState, transferId: number) => {
    status = { transferId, state };
    upsertSearchAttributes([{ key: TransferStateAttribute, value: state }]);
    await recordTransferState({ transferId, state });
  };

  const { transferId } = await openTransfer({ pathwayId: input.pathwayId });
  status = { transferId, state: 'opened' };
  upsertSearchAttributes([{ key: TransferStateAttribute, value: 'opened' }]);

  const responseWindowDays = input.responseWindowDays ?? 14;
  await sendTransferMessage({ transferId, intent: 'offer', kind: 'offer', validForDays: responseWindowDays });
  await moveTo('offered', transferId);

  // The patient's answer arrives with the response handlers of the offer step; until then the offer
  // simply lapses at the end of its window and the patient keeps their place on the list.
  const answered = await condition(() => false, `${responseWindowDays} days`);
  if (!answered) await moveTo('lapsed', transferId);
  return status;
}
