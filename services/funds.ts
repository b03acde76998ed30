/**
 * Funds for staff: the one place the API, the command line and the finance pages go through. Scope:
 * an admin sees every fund; finance and regional users with a region see that region's funds (and
 * national ones). Only finance (and admins) create funds; every change is audited.
 */
import { audit } from '../db/repositories/audit';
import { createFund, listFunds, newFundProblems, type FundSummary } from '../db/repositories/funds';
import type { StaffUser } from '../db/schema';
import { Conflict, Forbidden, Invalid, NotFound } from '../domain/failures';
import type { NewFund } from '../domain/fund';
import { ensureClaimsSchedule } from '../temporal/claims-schedule';
import { fundClaimsScheduleId } from '../workflows/ids';
import { regionScopeOf, staffActor } from './access';
import type { ServiceDeps } from './context';

export function fundsInScope(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser): Promise<FundSummary[]> {
  return listFunds(deps.db, { regionCode: regionScopeOf(staff) });
}

export async function fundInScope(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, fundId: number): Promise<FundSummary> {
  const [fund] = await listFunds(deps.db, { regionCode: regionScopeOf(staff), fundId });
  if (!fund) throw new NotFound(`fund ${fundId} not found`);
  return fund;
}

/** Creates a fund and its nightly claims Schedule, once its codes and allocations are checked. */
export async function createFundAs(deps: ServiceDeps, staff: StaffUser, fund: NewFund): Promise<FundSummary> {
  const region = regionScopeOf(staff);
  if (region && fund.regionCode !== region) throw new Forbidden(`you may create funds only for region ${region}`);
  const problems = await newFundProblems(deps.db, fund);
  if (problems.length > 0) throw new Invalid(`the fund cannot be created: ${problems.join('; ')}`, { reason: 'invalid_fund', details: problems });
  const { id, created } = await createFund(deps.db, fund);
  if (!created) throw new Conflict(`a fund named "${fund.name}" already exists (id ${id})`, 'fund_exists', { fundId: id });
  await audit(deps.db, { actor: staffActor(staff), action: 'fund.create', subject: `fund:${id}`, detail: { name: fund.name, allocationPence: fund.allocationPence } });
  await ensureClaimsSchedule(deps.temporal, deps.taskQueue, id);
  return fundInScope(deps, staff, id);
}

/** Starts the fund's claims run now, as its Schedule would tonight. */
export async function runClaimsNow(deps: ServiceDeps, staff: StaffUser, fundId: number): Promise<string> {
  await fundInScope(deps, staff, fundId);
  await ensureClaimsSchedule(deps.temporal, deps.taskQueue, fundId);
  const scheduleId = fundClaimsScheduleId(fundId);
  await deps.temporal.schedule.getHandle(scheduleId).trigger();
  await audit(deps.db, { actor: staffActor(staff), action: 'fund.claims-run', subject: `fund:${fundId}` });
  return scheduleId;
}
