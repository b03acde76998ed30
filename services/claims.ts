/**
 * Claims for staff: the one place the API and the finance pages go through. Scope: an admin sees
 * every claim; finance and regional users with a region see the claims of its trusts. Only finance
 * (and admins) decide claims; every decision and every export is audited.
 */
import { audit } from '../db/repositories/audit';
import { decideClaim, listClaimLines, listClaims, type ClaimDecision, type ClaimFilter, type ClaimLineFilter, type ClaimLineRow, type ClaimSummary } from '../db/repositories/claims';
import type { StaffUser } from '../db/schema';
import { Conflict, NotFound } from '../domain/failures';
import { regionScopeOf, staffActor } from './access';
import type { ServiceDeps } from './context';

export function claimsInScope(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, filter: Omit<ClaimFilter, 'regionCode'>): Promise<ClaimSummary[]> {
  return listClaims(deps.db, { ...filter, regionCode: regionScopeOf(staff) });
}

export function claimLinesInScope(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, filter: Omit<ClaimLineFilter, 'regionCode'>): Promise<ClaimLineRow[]> {
  return listClaimLines(deps.db, { ...filter, regionCode: regionScopeOf(staff) });
}

const DECISION_ACTIONS: Record<ClaimDecision['kind'], string> = { approve: 'claim.approve', reject: 'claim.reject', pay: 'claim.paid' };

export async function decideClaimAs(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, claimId: number, decision: ClaimDecision): Promise<ClaimSummary> {
  const inScope = async () => (await listClaims(deps.db, { claimId, regionCode: regionScopeOf(staff) }))[0];
  if (!(await inScope())) throw new NotFound(`claim ${claimId} not found`);
  const result = await decideClaim(deps.db, claimId, decision, staffActor(staff));
  if (!result.ok) throw new Conflict(result.reason, 'claim_state');
  await audit(deps.db, {
    actor: staffActor(staff),
    action: DECISION_ACTIONS[decision.kind],
    subject: `claim:${claimId}`,
    detail: decision.kind === 'reject' ? { reason: decision.reason } : {},
  });
  return (await inScope())!;
}

/** Audits a download of claims or lines: what was exported, by whom, how many rows. */
export async function auditExport(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, what: 'claims' | 'claim-lines', filter: object, rows: number): Promise<void> {
  await audit(deps.db, { actor: staffActor(staff), action: `${what}.export`, subject: what, detail: { ...filter, rows } });
}
