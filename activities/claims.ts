/** The claims run's side effects: make and validate claim lines, then gather them into claims. */
import { gatherClaims, prepareClaimLines, type ClaimLineRun, type GatheredClaim } from '../db/repositories/claims';
import type { ActivityDeps } from './index';

export function claimActivities({ db }: ActivityDeps) {
  return {
    /** Idempotent: a treated transfer gets one line however often this runs. */
    async prepareClaimLines(input: { fundId: number; asOf: string }): Promise<ClaimLineRun> {
      return prepareClaimLines(db, input.fundId, input.asOf);
    },

    /** Idempotent: a line is gathered into one claim, once. */
    async gatherClaims(input: { fundId: number; asOf: string }): Promise<GatheredClaim[]> {
      return gatherClaims(db, input.fundId, input.asOf);
    },
  };
}
