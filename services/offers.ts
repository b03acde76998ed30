/**
 * A patient's answers to their offer that need more than the workflow knows: the workflow holds the
 * sites it offered, not every site's slots, so an acceptance is checked against the slot's own site
 * here, before it reaches the transfer (which then checks the site is on the offer, and the consents).
 */
import { slotById } from '../db/repositories/bookings';
import { Invalid } from '../domain/failures';
import { isSlotOfSite } from '../domain/offer';
import type { AcceptInput, TransferStatus } from '../domain/transfer';
import { respondUpdate } from '../workflows/messages';
import type { ServiceDeps } from './context';
import { updateTransfer } from './workflow-updates';

/**
 * Sends an acceptance to the transfer. A slot of another site is refused as a bad choice, with
 * nothing sent or changed: taken for a date that had gone, it would cost the patient a round.
 */
export async function acceptOffer(deps: ServiceDeps, workflowId: string, input: AcceptInput): Promise<TransferStatus> {
  if (!isSlotOfSite(await slotById(deps.db, input.slotId), input.siteOds)) {
    throw new Invalid(`slot ${input.slotId} is not a date at ${input.siteOds}`, { field: 'choice', reason: 'slot_not_at_site' });
  }
  return updateTransfer(deps, workflowId, respondUpdate, [input]);
}
