/**
 * A fund's claims run (PRODUCT.md §3 step 10), started by the fund's Schedule: treated transfers
 * become validated claim lines, and the valid lines of months that have ended are gathered into one
 * claim per trust and month. Both steps are idempotent, so a re-run, an overlap the Schedule skipped,
 * or a retry after a crash claims nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { dayOf } from '../domain/dates';
import { ACTIVITY_OPTIONS } from './failures';

export interface FundClaimsInput {
  readonly fundId: number;
}

export interface FundClaimsResult {
  readonly asOf: string;
  readonly linesCreated: number;
  readonly linesValidated: number;
  readonly linesHeld: number;
  readonly claimIds: readonly number[];
}

const activities = proxyActivities<Activities>({
  // One set-based pass over the fund's lines: tens of thousands take seconds, not minutes.
  startToCloseTimeout: '10 minutes',
  retry: { ...ACTIVITY_OPTIONS.retry, initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export async function fundClaimsWorkflow(input: FundClaimsInput): Promise<FundClaimsResult> {
  // The workflow's clock is the time of this run, replayed identically.
  const asOf = dayOf(new Date());
  const lines = await activities.prepareClaimLines({ fundId: input.fundId, asOf });
  const claims = await activities.gatherClaims({ fundId: input.fundId, asOf });
  return { asOf, linesCreated: lines.created, linesValidated: lines.validated, linesHeld: lines.held, claimIds: claims.map((claim) => claim.id) };
}
