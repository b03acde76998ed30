/**
 * Funds and claims for staff: the one place the API and the finance pages go through. Scope: an
 * admin sees every fund and claim; finance and regional users with a region see that region's funds
 * (and national ones) and the claims of its trusts. Only finance (and admins) create funds and
 * decide claims; every change and every export is audited.
 */
import type { Context } from 'hono';
import { audit } from '../db/repositories/audit';
import { decideClaim, listClaimLines, listClaims, type ClaimDecision, type ClaimFilter, type ClaimLineFilter, type ClaimLineRow, type ClaimSummary } from '../db/repositories/claims';
import { createFund, listFunds, newFundProblems, type FundSummary } from '../db/repositories/funds';
import type { StaffUser } from '../db/schema';
import type { NewFund } from '../domain/fund';
import { penceAsPounds } from '../domain/money';
import { toCsv } from '../reports/csv';
import { ensureClaimsSchedule } from '../temporal/claims-schedule';
import { fundClaimsScheduleId } from '../workflows/ids';
import { regionScopeOf, staffActor } from './auth';
import type { AppDeps } from './context';
import { ApiError } from './errors';

export function fundsInScope(deps: AppDeps, staff: StaffUser): Promise<FundSummary[]> {
  return listFunds(deps.db, { regionCode: regionScopeOf(staff) });
}

export async function fundInScope(deps: AppDeps, staff: StaffUser, fundId: number): Promise<FundSummary> {
  const [fund] = await listFunds(deps.db, { regionCode: regionScopeOf(staff), fundId });
  if (!fund) throw new ApiError(404, 'not_found', `fund ${fundId} not found`);
  return fund;
}

/** Creates a fund and its nightly claims Schedule, once its codes and allocations are checked. */
export async function createFundAs(deps: AppDeps, staff: StaffUser, fund: NewFund): Promise<FundSummary> {
  const region = regionScopeOf(staff);
  if (region && fund.regionCode !== region) throw new ApiError(403, 'forbidden', `you may create funds only for region ${region}`);
  const problems = await newFundProblems(deps.db, fund);
  if (problems.length > 0) throw new ApiError(422, 'invalid_fund', `the fund cannot be created: ${problems.join('; ')}`, problems);
  const { id, created } = await createFund(deps.db, fund);
  if (!created) throw new ApiError(409, 'fund_exists', `a fund named "${fund.name}" already exists (id ${id})`, { fundId: id });
  await audit(deps.db, { actor: staffActor(staff), action: 'fund.create', subject: `fund:${id}`, detail: { name: fund.name, allocationPence: fund.allocationPence } });
  await ensureClaimsSchedule(deps.temporal, deps.taskQueue, id);
  return fundInScope(deps, staff, id);
}

/** Starts the fund's claims run now, as its Schedule would tonight. */
export async function runClaimsNow(deps: AppDeps, staff: StaffUser, fundId: number): Promise<string> {
  await fundInScope(deps, staff, fundId);
  await ensureClaimsSchedule(deps.temporal, deps.taskQueue, fundId);
  const scheduleId = fundClaimsScheduleId(fundId);
  await deps.temporal.schedule.getHandle(scheduleId).trigger();
  await audit(deps.db, { actor: staffActor(staff), action: 'fund.claims-run', subject: `fund:${fundId}` });
  return scheduleId;
}

export function claimsInScope(deps: AppDeps, staff: StaffUser, filter: Omit<ClaimFilter, 'regionCode'>): Promise<ClaimSummary[]> {
  return listClaims(deps.db, { ...filter, regionCode: regionScopeOf(staff) });
}

export function claimLinesInScope(deps: AppDeps, staff: StaffUser, filter: Omit<ClaimLineFilter, 'regionCode'>): Promise<ClaimLineRow[]> {
  return listClaimLines(deps.db, { ...filter, regionCode: regionScopeOf(staff) });
}

const DECISION_ACTIONS: Record<ClaimDecision['kind'], string> = { approve: 'claim.approve', reject: 'claim.reject', pay: 'claim.paid' };

export async function decideClaimAs(deps: AppDeps, staff: StaffUser, claimId: number, decision: ClaimDecision): Promise<ClaimSummary> {
  const inScope = async () => (await listClaims(deps.db, { claimId, regionCode: regionScopeOf(staff) }))[0];
  if (!(await inScope())) throw new ApiError(404, 'not_found', `claim ${claimId} not found`);
  const result = await decideClaim(deps.db, claimId, decision, staffActor(staff));
  if (!result.ok) throw new ApiError(409, 'claim_state', result.reason);
  await audit(deps.db, {
    actor: staffActor(staff),
    action: DECISION_ACTIONS[decision.kind],
    subject: `claim:${claimId}`,
    detail: decision.kind === 'reject' ? { reason: decision.reason } : {},
  });
  return (await inScope())!;
}

/** Records as CSV in the given column order, as a finance team loads them into a spreadsheet. */
function recordsCsv(rows: readonly Record<string, string | number | null>[], columns: readonly string[]): string {
  return toCsv(columns, rows.map((row) => columns.map((column) => row[column] ?? null)));
}

export const CLAIM_CSV_COLUMNS = ['claim_id', 'fund', 'trust_ods', 'trust_name', 'month', 'sequence', 'lines', 'total_gbp', 'status', 'decided_by', 'decided_at', 'decision_reason', 'paid_at'] as const;

export function claimsCsv(claims: readonly ClaimSummary[]): string {
  return recordsCsv(
    claims.map((claim) => ({
      claim_id: claim.id,
      fund: claim.fundName,
      trust_ods: claim.trustOds,
      trust_name: claim.trustName,
      month: claim.month,
      sequence: claim.sequence,
      lines: claim.lineCount,
      total_gbp: penceAsPounds(claim.totalPence),
      status: claim.status,
      decided_by: claim.decidedBy,
      decided_at: claim.decidedAt?.toISOString() ?? null,
      decision_reason: claim.decisionReason,
      paid_at: claim.paidAt?.toISOString() ?? null,
    })),
    CLAIM_CSV_COLUMNS,
  );
}

export const CLAIM_LINE_CSV_COLUMNS = [
  'line_id', 'claim_id', 'status', 'transfer_id', 'pathway_ref', 'trust_ods', 'provider_ods', 'site_ods', 'site_name',
  'treatment_function', 'opcs4_code', 'hrg_code', 'treated_on', 'price_gbp', 'price_source', 'problems',
] as const;

export function claimLinesCsv(lines: readonly ClaimLineRow[]): string {
  return recordsCsv(
    lines.map((line) => ({
      line_id: line.id,
      claim_id: line.claimId,
      status: line.status,
      transfer_id: line.transferId,
      pathway_ref: line.pathwayRef,
      trust_ods: line.trustOds,
      provider_ods: line.providerOds,
      site_ods: line.siteOds,
      site_name: line.siteName,
      treatment_function: line.treatmentFunctionCode,
      opcs4_code: line.procedureCode,
      hrg_code: line.hrgCode,
      treated_on: line.treatedOn,
      price_gbp: penceAsPounds(line.pricePence),
      price_source: line.priceSource,
      problems: line.problems.join('; '),
    })),
    CLAIM_LINE_CSV_COLUMNS,
  );
}

/** A CSV as a download named `name`. */
export function csvDownload(c: Context, name: string, body: string): Response {
  return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
}

/** Audits a download of claims or lines: what was exported, by whom, how many rows. */
export async function auditExport(deps: AppDeps, staff: StaffUser, what: 'claims' | 'claim-lines', filter: object, rows: number): Promise<void> {
  await audit(deps.db, { actor: staffActor(staff), action: `${what}.export`, subject: what, detail: { ...filter, rows } });
}
