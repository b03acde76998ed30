/**
 * Campaigns for staff (PRODUCT.md §3 steps 2–3 and 11, §6): the one place the API, the command line
 * and the staff pages go through to launch a campaign (or only dry-run it), list and read campaigns
 * with their live progress, and pause, resume or cancel them.
 *
 * Scope: an admin sees every campaign; regional and finance users with a region see their region's
 * campaigns only (others answer as unknown), those without one see all. Only regional teams (for
 * their region) and admins launch and steer campaigns (CAMPAIGN_STEERERS): the API's routes and the
 * staff pages check the role against these lists, this checks scope.
 *
 * Reading a campaign gives its live funnel (by trust and specialty, with money and capacity) and the
 * workflow's own progress when it answers; its report is the funnel and the equity report, as JSON or
 * CSV, each read of the equity report audited.
 *
 * A launch is checked against the reference data and the fund before anything is written; the dry
 * run's figures become the campaign's launch summary; the row is written, then the campaign's
 * workflow started with the row's id as its own, and a launch whose workflow cannot be started leaves
 * no row behind. A process that stops between the two leaves a running row with no workflow: each
 * start-up starts the workflows such rows lack (startMissingCampaignWorkflows), and a second start of
 * the same id is refused by Temporal, so no campaign runs twice. A launch retried with its
 * Idempotency-Key gives the campaign it made; the same launch while it still runs is refused.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Db } from '../db/database';
import { audit } from '../db/repositories/audit';
import {
  type Campaign as CampaignRecord,
  campaignById,
  campaignByIdempotencyKey,
  deleteCampaign,
  insertCampaign,
  listCampaigns,
  openCampaignLaunchedAs,
  runningCampaignIds,
} from '../db/repositories/campaigns';
import { type FundSummary, listFunds } from '../db/repositories/funds';
import type { CampaignStatus, StaffRole, StaffUser } from '../db/schema';
import type { LaunchCampaign } from '../domain/campaign';
import type { CampaignAction } from '../domain/campaign-control';
import { dayOf } from '../domain/dates';
import { Conflict, Forbidden, Invalid, NotFound } from '../domain/failures';
import { campaignDryRun, type DryRunResult } from '../reports/campaign-dry-run';
import { type CampaignFunnel, campaignFunnel, campaignFunnelCsv } from '../reports/campaign-funnel';
import { type EquityOptions, type EquityReport, equityCsv, equityReport } from '../reports/equity';
import { campaignWorkflow } from '../workflows/campaign';
import { cancelCampaignUpdate, type CampaignProgress, campaignProgressQuery, pauseCampaignUpdate, resumeCampaignUpdate } from '../workflows/messages';
import { campaignWorkflowId } from '../workflows/ids';
import { regionScopeOf, staffActor } from './access';
import type { ServiceDeps } from './context';
import { updateCampaign } from './workflow-updates';

/** Who sees campaigns, and who launches and steers them: the API's routes and the staff pages check these. */
export const CAMPAIGN_READERS: readonly StaffRole[] = ['regional', 'finance', 'admin'];
export const CAMPAIGN_STEERERS: readonly StaffRole[] = ['regional', 'admin'];

export function steersCampaigns(staff: StaffUser): boolean {
  return CAMPAIGN_STEERERS.includes(staff.role);
}

/** Who launches or steers: the audit's actor, and the region they are limited to (null: everywhere). */
export interface Launcher {
  readonly actor: string;
  readonly regionCode: string | null;
}

export function launcherOf(staff: StaffUser): Launcher {
  return { actor: staffActor(staff), regionCode: regionScopeOf(staff) };
}

/** A problem with a launch that the reference data or the fund shows, naming the field at fault. */
export interface LaunchProblem {
  readonly field: string;
  readonly message: string;
}

function refuseLaunch(problems: readonly LaunchProblem[]): never {
  const summary = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
  throw new Invalid(`the campaign cannot be launched: ${summary}`, { reason: 'invalid_campaign', field: problems[0]?.field, details: problems });
}

/** A campaign as staff see it: its record, and the workflow that runs it. */
export interface Campaign extends CampaignRecord {
  readonly workflowId: string;
}

function withWorkflow(campaign: CampaignRecord): Campaign {
  return { ...campaign, workflowId: campaignWorkflowId(campaign.id) };
}

export interface DryRun {
  readonly dryRun: true;
  readonly summary: DryRunResult;
}

/**
 * Checks a launch against the launcher's scope, the reference data and the fund, and runs the dry
 * run: nothing is written and nothing sent. Every problem is named with its field (422), or the
 * launcher's region (403).
 */
async function checkAndDryRun(db: Db, launcher: Launcher, launch: LaunchCampaign, today: string): Promise<DryRunResult> {
  if (launcher.regionCode && launch.regionCode !== launcher.regionCode) {
    throw new Forbidden(`you may launch campaigns only for region ${launcher.regionCode}`);
  }
  const problems: LaunchProblem[] = [];
  const region = await db.selectFrom('regions').select('code').where('code', '=', launch.regionCode).executeTakeFirst();
  if (!region) problems.push({ field: 'regionCode', message: `region ${launch.regionCode} is not known` });

  if (launch.trusts) {
    const known = await db.selectFrom('trusts').select(['ods_code', 'region_code']).where('ods_code', 'in', launch.trusts).execute();
    for (const ods of launch.trusts) {
      const trust = known.find((row) => row.ods_code === ods);
      if (!trust) problems.push({ field: 'trusts', message: `trust ${ods} is not known` });
      else if (trust.region_code !== launch.regionCode) problems.push({ field: 'trusts', message: `trust ${ods} is not in region ${launch.regionCode}` });
    }
  }

  const functions = await db.selectFrom('treatment_functions').select('code').where('code', 'in', launch.treatmentFunctions).execute();
  for (const code of launch.treatmentFunctions) {
    if (!functions.some((row) => row.code === code)) problems.push({ field: 'treatmentFunctions', message: `treatment function ${code} is not known` });
  }

  if (launch.period.to <= today) problems.push({ field: 'period.to', message: `the period must end after today (${today})` });

  const [fund] = await listFunds(db, { fundId: launch.fundId });
  if (!fund) {
    problems.push({ field: 'fundId', message: `fund ${launch.fundId} is not known` });
  } else {
    if (fund.regionCode && fund.regionCode !== launch.regionCode) problems.push({ field: 'fundId', message: `${fund.name} pays only for region ${fund.regionCode}` });
    if (fund.balance.remainingPence <= 0) problems.push({ field: 'fundId', message: `${fund.name} has no money left` });
    if (launch.period.from < fund.windowFrom || launch.period.to > fund.windowTo) {
      problems.push({ field: 'period', message: `must lie within ${fund.name}'s window, ${fund.windowFrom} to ${fund.windowTo}` });
    }
    const notPaid = launch.treatmentFunctions.filter((code) => fund.treatmentFunctions.length > 0 && !fund.treatmentFunctions.includes(code));
    for (const code of notPaid) problems.push({ field: 'treatmentFunctions', message: `${fund.name} does not pay for treatment function ${code}` });
  }
  if (problems.length > 0) refuseLaunch(problems);

  const summary = await campaignDryRun(db, {
    regionCode: launch.regionCode,
    ...(launch.trusts ? { trusts: launch.trusts } : {}),
    treatmentFunctions: launch.treatmentFunctions,
    fundId: launch.fundId,
    period: launch.period,
    rules: launch.cohortRules,
    maxOffers: launch.maxOffers,
    asOf: today,
  });
  // The trusts are known now even when the launch left them to the shortfall report.
  if (summary.trusts.length === 0) {
    refuseLaunch([
      { field: 'trusts', message: `no trust of region ${launch.regionCode} missed its volume in ${launch.treatmentFunctions.join(', ')}: name the trusts` },
    ]);
  }
  const fundTrusts = fund!.trusts.map((trust) => trust.trustOds);
  const unpaid = summary.trusts.filter((ods) => fundTrusts.length > 0 && !fundTrusts.includes(ods));
  if (unpaid.length > 0) refuseLaunch(unpaid.map((ods) => ({ field: 'trusts', message: `${fund!.name} does not pay for trust ${ods}` })));
  return summary;
}

/** What a launch may name, within the launcher's region (everything for a national launcher): for the staff pages' form. */
export interface LaunchChoices {
  readonly regions: readonly { readonly code: string; readonly name: string }[];
  readonly trusts: readonly { readonly odsCode: string; readonly name: string; readonly regionCode: string | null }[];
  readonly treatmentFunctions: readonly { readonly code: string; readonly name: string }[];
  readonly funds: readonly FundSummary[];
}

export async function launchChoices({ db }: Pick<ServiceDeps, 'db'>, launcher: Launcher): Promise<LaunchChoices> {
  const region = launcher.regionCode;
  let regions = db.selectFrom('regions').select(['code', 'name']).orderBy('name');
  let trusts = db.selectFrom('trusts').select(['ods_code as odsCode', 'name', 'region_code as regionCode']).orderBy('name');
  if (region) {
    regions = regions.where('code', '=', region);
    trusts = trusts.where('region_code', '=', region);
  }
  const [regionRows, trustRows, functions, funds] = await Promise.all([
    regions.execute(),
    trusts.execute(),
    db.selectFrom('treatment_functions').select(['code', 'name']).orderBy('code').execute(),
    listFunds(db, { regionCode: region }),
  ]);
  return { regions: regionRows, trusts: trustRows, treatmentFunctions: functions, funds };
}

/** What launching would do, with nothing written or sent. */
export async function dryRunCampaign(deps: Pick<ServiceDeps, 'db' | 'clock'>, launcher: Launcher, launch: LaunchCampaign): Promise<DryRun> {
  return { dryRun: true, summary: await checkAndDryRun(deps.db, launcher, launch, dayOf(deps.clock())) };
}

/**
 * Launches a campaign: checks it, records the dry run's figures, writes the campaign and starts its
 * workflow. The row and its audit are written in one transaction; when the workflow cannot be
 * started both are taken back, so a failed launch leaves nothing.
 *
 * With an Idempotency-Key, the launcher's earlier launch under that key is given back (its workflow
 * started if a crash had left it without one), and another launch under the key is refused (422).
 * The same launch while an earlier one still runs or is paused is refused (409) naming that campaign.
 */
export async function launchCampaign(
  services: ServiceDeps,
  launcher: Launcher,
  launch: LaunchCampaign,
  options: { readonly idempotencyKey?: string } = {},
): Promise<Campaign> {
  const { dryRun: _dryRun, ...asked } = launch;
  const request = JSON.stringify(asked);
  const earlier = await earlierLaunch(services.db, launcher, request, options.idempotencyKey);
  if (earlier) {
    await startCampaignWorkflow(services, earlier.id);
    return withWorkflow(earlier);
  }
  const summary = await checkAndDryRun(services.db, launcher, launch, dayOf(services.clock()));
  const id = await services.db.transaction().execute(async (trx) => {
    const inserted = await insertCampaign(trx, {
      name: launch.name,
      region_code: launch.regionCode,
      fund_id: launch.fundId,
      trusts: [...summary.trusts],
      treatment_functions: [...launch.treatmentFunctions],
      period_from: launch.period.from,
      period_to: launch.period.to,
      cohort_rules: JSON.stringify(launch.cohortRules),
      transfer_settings: JSON.stringify({ responseWindowDays: launch.responseWindowDays, reminderDays: launch.reminderDays }),
      max_offers: launch.maxOffers,
      launch_summary: JSON.stringify(summary),
      launched_by: launcher.actor,
      launch_request: request,
      idempotency_key: options.idempotencyKey ?? null,
    });
    if (inserted !== undefined) {
      await audit(trx, {
        actor: launcher.actor,
        action: 'campaign.launch',
        subject: `campaign:${inserted}`,
        detail: { name: launch.name, regionCode: launch.regionCode, fundId: launch.fundId, trusts: summary.trusts, maxOffers: launch.maxOffers, workflowId: campaignWorkflowId(inserted) },
      });
    }
    return inserted;
  });
  if (id === undefined) {
    // The same key or the same launch was written meanwhile, by a request racing this one.
    const raced = await earlierLaunch(services.db, launcher, request, options.idempotencyKey);
    if (!raced) throw new Conflict('another launch was written at the same moment: try again', 'launch_in_progress');
    await startCampaignWorkflow(services, raced.id);
    return withWorkflow(raced);
  }
  try {
    await startCampaignWorkflow(services, id);
  } catch (error) {
    await deleteCampaign(services.db, id);
    throw error;
  }
  return withWorkflow((await campaignById(services.db, id))!);
}

/**
 * The launcher's campaign under this key when it is this launch, else a refusal: the key used for
 * another launch (422), or this launch still open under another campaign (409).
 */
async function earlierLaunch(db: Db, launcher: Launcher, request: string, idempotencyKey: string | undefined): Promise<CampaignRecord | undefined> {
  if (idempotencyKey !== undefined) {
    const keyed = await campaignByIdempotencyKey(db, launcher.actor, idempotencyKey, request);
    if (keyed?.sameLaunch) return keyed.campaign;
    if (keyed) {
      throw new Invalid(`the Idempotency-Key ${idempotencyKey} was used for another launch, campaign ${keyed.campaign.id}: use a new key for a different launch`, {
        field: 'Idempotency-Key',
        reason: 'idempotency_key_reused',
        details: { campaignId: keyed.campaign.id },
      });
    }
  }
  const open = await openCampaignLaunchedAs(db, request);
  if (open) {
    throw new Conflict(`the same campaign is already ${open.status}: campaign ${open.id}`, 'campaign_already_launched', { campaignId: open.id });
  }
  return undefined;
}

/**
 * Starts a campaign's workflow, its id the campaign's: a workflow of that id already there (started
 * by a retried launch or the start-up's reconciliation, running or closed) is the campaign's own.
 */
async function startCampaignWorkflow(services: Pick<ServiceDeps, 'temporal' | 'taskQueue'>, campaignId: number): Promise<boolean> {
  try {
    await services.temporal.workflow.start(campaignWorkflow, {
      workflowId: campaignWorkflowId(campaignId),
      taskQueue: services.taskQueue,
      args: [{ campaignId }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/**
 * At start-up: every running campaign whose workflow was never started (the process stopped between
 * writing the row and starting it) gets it now. Returns how many were started.
 */
export async function startMissingCampaignWorkflows(services: Pick<ServiceDeps, 'db' | 'temporal' | 'taskQueue'>): Promise<number> {
  let started = 0;
  for (const campaignId of await runningCampaignIds(services.db)) {
    if (await startCampaignWorkflow(services, campaignId)) started += 1;
  }
  return started;
}

/** Campaigns in the user's scope, newest first. */
export async function campaignsInScope(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, filter: { status?: CampaignStatus } = {}): Promise<Campaign[]> {
  return (await listCampaigns(deps.db, { regionCode: regionScopeOf(staff), ...filter })).map(withWorkflow);
}

/** One campaign in the user's scope; any other answers as unknown (404). */
export async function campaignInScope(deps: Pick<ServiceDeps, 'db'>, staff: StaffUser, id: number): Promise<Campaign> {
  const campaign = await campaignById(deps.db, id, regionScopeOf(staff));
  if (!campaign) throw new NotFound(`campaign ${id} not found`);
  return withWorkflow(campaign);
}

/** A campaign by id, whoever asks: for the command line, which runs with the operator's own rights. */
export async function campaignOf(deps: Pick<ServiceDeps, 'db'>, id: number): Promise<Campaign | undefined> {
  const campaign = await campaignById(deps.db, id);
  return campaign && withWorkflow(campaign);
}

/** The workflow's own count of where it stands, or why it could not be had (the campaign is still shown). */
export type LiveProgress = { readonly progress: CampaignProgress; readonly unavailable: null } | { readonly progress: null; readonly unavailable: string };

/** How long a reader waits for the workflow to answer before showing the campaign without it. */
const PROGRESS_TIMEOUT_MS = 3_000;

export async function liveProgress(temporal: Client, campaignId: number, timeoutMs = PROGRESS_TIMEOUT_MS): Promise<LiveProgress> {
  try {
    const handle = temporal.workflow.getHandle(campaignWorkflowId(campaignId));
    const progress = await temporal.withDeadline(Date.now() + timeoutMs, () => handle.query(campaignProgressQuery));
    return { progress, unavailable: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { progress: null, unavailable: `the campaign's workflow did not answer: ${reason}` };
  }
}

const UPDATES = { pause: pauseCampaignUpdate, resume: resumeCampaignUpdate, cancel: cancelCampaignUpdate } as const;

/**
 * Pauses, resumes or cancels a campaign in the user's scope, as the workflow's validated Update: its
 * refusal (already paused, not paused, cancelled) is a 409 with its words. A closed campaign is not
 * asked. The workflow's activity recording the phase audits the change with it.
 */
export async function controlCampaign(
  services: ServiceDeps,
  staff: StaffUser,
  campaignId: number,
  action: CampaignAction,
): Promise<{ campaign: Campaign; progress: CampaignProgress }> {
  const campaign = await campaignInScope(services, staff, campaignId);
  if (campaign.status === 'cancelled' || campaign.status === 'completed') {
    throw new Conflict(`campaign ${campaignId} is ${campaign.status}: nothing can change it now`, 'campaign_closed');
  }
  const actor = staffActor(staff);
  const progress = await updateCampaign(services, campaign.workflowId, UPDATES[action], { actor });
  return { campaign: withWorkflow((await campaignById(services.db, campaignId))!), progress };
}

/** What a reader sees of a campaign: the row, the live funnel, and the workflow's progress when it answers. */
export async function campaignDetail(services: ServiceDeps, staff: StaffUser, campaignId: number) {
  const campaign = await campaignInScope(services, staff, campaignId);
  const [funnel, live] = await Promise.all([funnelOf(services.db, campaignId), liveProgress(services.temporal, campaignId)]);
  return { campaign, funnel, progress: live.progress, progressUnavailable: live.unavailable };
}

async function funnelOf(db: Db, campaignId: number): Promise<CampaignFunnel> {
  const funnel = await campaignFunnel(db, campaignId);
  if (!funnel) throw new NotFound(`campaign ${campaignId} not found`);
  return funnel;
}

async function equityOf(db: Db, staff: StaffUser, campaignId: number, options: EquityOptions, action: 'campaign.equity.view' | 'campaign.equity.export'): Promise<EquityReport> {
  const report = await equityReport(db, campaignId, options);
  if (!report) throw new NotFound(`campaign ${campaignId} not found`);
  await audit(db, { actor: staffActor(staff), action, subject: `campaign:${campaignId}`, detail: { marginPoints: report.marginPoints } });
  return report;
}

/** The campaign report (PRODUCT.md §5): the campaign, its funnel and its equity report, at the end or on demand. */
export async function campaignReport({ db }: Pick<ServiceDeps, 'db'>, staff: StaffUser, campaignId: number, options: EquityOptions = {}) {
  const campaign = await campaignInScope({ db }, staff, campaignId);
  const [funnel, equity] = await Promise.all([funnelOf(db, campaignId), equityOf(db, staff, campaignId, options, 'campaign.equity.view')]);
  return { campaign, funnel, equity };
}

/** The funnel or the equity report as CSV, with the name to download it as. */
export async function campaignReportCsv(
  { db }: Pick<ServiceDeps, 'db'>,
  staff: StaffUser,
  campaignId: number,
  which: 'funnel' | 'equity',
  options: EquityOptions = {},
): Promise<{ name: string; body: string }> {
  await campaignInScope({ db }, staff, campaignId);
  if (which === 'funnel') return { name: `campaign-${campaignId}-funnel.csv`, body: campaignFunnelCsv(await funnelOf(db, campaignId)) };
  return { name: `campaign-${campaignId}-equity.csv`, body: equityCsv(await equityOf(db, staff, campaignId, options, 'campaign.equity.export')) };
}

/** The equity report of a campaign in the user's scope, for its page; derived from personal data, so the read is audited. */
export async function campaignEquity(
  { db }: Pick<ServiceDeps, 'db'>,
  staff: StaffUser,
  campaignId: number,
  options: EquityOptions = {},
): Promise<{ campaign: Campaign; report: EquityReport }> {
  const campaign = await campaignInScope({ db }, staff, campaignId);
  return { campaign, report: await equityOf(db, staff, campaignId, options, 'campaign.equity.view') };
}
