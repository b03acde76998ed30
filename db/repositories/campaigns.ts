/**
 * Campaigns: the one mapper from a row to a Campaign, used by the services and the campaign
 * workflow's activities alike. The JSON columns are parsed, not cast: what a column does not hold
 * takes its default, and a column that holds something else fails loudly.
 */
import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../database';
import type { CampaignStatus, CampaignTable, NewCampaign } from '../schema';
import { type CohortRules, DEFAULT_COHORT_RULES } from '../../domain/cohort';
import { DEFAULT_TRANSFER_SETTINGS } from '../../domain/transfer-settings';

const count = z.number().int().min(0);

const cohortRulesColumn = z
  .object({ minWeeksWaited: count, noAppointmentWithinWeeks: count, minAge: count, declinedWithinDays: count })
  .partial()
  .transform((rules): CohortRules => ({ ...DEFAULT_COHORT_RULES, ...rules }));

const transferSettingsColumn = z
  .object({ responseWindowDays: count, reminderDays: z.array(count) })
  .partial()
  .transform((settings) => ({
    responseWindowDays: settings.responseWindowDays ?? DEFAULT_TRANSFER_SETTINGS.responseWindowDays,
    reminderDays: settings.reminderDays ?? [...DEFAULT_TRANSFER_SETTINGS.reminderDays],
  }));

/**
 * The dry run's figures as the launch recorded them (reports/campaign-dry-run.ts's DryRunResult). A
 * figure a summary lacks (written before it was counted) reads as none.
 */
export const launchSummarySchema = z.object({
  trusts: z.array(z.string()).default([]),
  eligible: count.default(0),
  screenedOut: count.default(0),
  // Summaries written before each screened-out patient had one reason kept a count per criterion here: read as none.
  screenedOutReasons: z.object({ noSiteForProcedure: count.default(0), excludedByCriteria: count.default(0) }).default({ noSiteForProcedure: 0, excludedByCriteria: 0 }),
  screenedOutCriteria: z.record(z.string(), count).default({}),
  noChoice: count.default(0),
  wouldOffer: count.default(0),
  expectedCostPence: count.default(0),
  fundRemainingPence: z.number().int().default(0),
  slotsAvailable: count.default(0),
});
export type LaunchSummary = z.output<typeof launchSummarySchema>;

export interface Campaign {
  readonly id: number;
  readonly name: string;
  readonly regionCode: string;
  readonly fundId: number;
  readonly trusts: readonly string[];
  readonly treatmentFunctions: readonly string[];
  readonly period: { readonly from: string; readonly to: string };
  readonly cohortRules: CohortRules;
  readonly transferSettings: { readonly responseWindowDays: number; readonly reminderDays: readonly number[] };
  readonly maxOffers: number;
  readonly launchSummary: LaunchSummary;
  readonly status: CampaignStatus;
  readonly launchedBy: string;
  readonly launchedAt: string;
  readonly closedAt: string | null;
}

function campaignOf(row: Selectable<CampaignTable>): Campaign {
  return {
    id: row.id,
    name: row.name,
    regionCode: row.region_code,
    fundId: row.fund_id,
    trusts: row.trusts,
    treatmentFunctions: row.treatment_functions,
    period: { from: row.period_from, to: row.period_to },
    cohortRules: cohortRulesColumn.parse(row.cohort_rules),
    transferSettings: transferSettingsColumn.parse(row.transfer_settings),
    maxOffers: row.max_offers,
    launchSummary: launchSummarySchema.parse(row.launch_summary),
    status: row.status,
    launchedBy: row.launched_by,
    launchedAt: row.launched_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

/** A campaign by id, limited to a region when one is given. */
export async function campaignById(db: Db, id: number, regionCode: string | null = null): Promise<Campaign | undefined> {
  let query = db.selectFrom('campaigns').selectAll().where('id', '=', id);
  if (regionCode) query = query.where('region_code', '=', regionCode);
  const row = await query.executeTakeFirst();
  return row && campaignOf(row);
}

/** Campaigns newest first, limited to a region (null: all) and a status when given. */
export async function listCampaigns(db: Db, filter: { regionCode: string | null; status?: CampaignStatus }): Promise<Campaign[]> {
  let query = db.selectFrom('campaigns').selectAll().orderBy('launched_at', 'desc').orderBy('id', 'desc');
  if (filter.regionCode) query = query.where('region_code', '=', filter.regionCode);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.execute()).map(campaignOf);
}

/** Writes a campaign; undefined when its launch key, or the same launch still open, is already there. */
export async function insertCampaign(db: Db, campaign: NewCampaign): Promise<number | undefined> {
  // No conflict target: either unique index taken is the same answer, and the transaction goes on.
  const inserted = await db.insertInto('campaigns').values(campaign).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  return inserted?.id;
}

/** The campaign a launcher launched with this Idempotency-Key, and whether it was this same launch. */
export async function campaignByIdempotencyKey(
  db: Db,
  launchedBy: string,
  key: string,
  request: string,
): Promise<{ campaign: Campaign; sameLaunch: boolean } | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .selectAll()
    .select(sql<boolean>`launch_request = ${request}::jsonb`.as('same_launch'))
    .where('launched_by', '=', launchedBy)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row && { campaign: campaignOf(row), sameLaunch: row.same_launch };
}

/** The running or paused campaign launched with this very launch, if any. */
export async function openCampaignLaunchedAs(db: Db, request: string): Promise<Campaign | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('status', 'in', ['running', 'paused'])
    .where(sql<boolean>`launch_request = ${request}::jsonb`)
    .executeTakeFirst();
  return row && campaignOf(row);
}

/** The ids of the campaigns still running: each should have its workflow. */
export async function runningCampaignIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'running').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** Takes back a launch that never started: the row and its launch's audit, together. */
export async function deleteCampaign(db: Db, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('audit_log').where('subject', '=', `campaign:${id}`).where('action', '=', 'campaign.launch').execute();
    await trx.deleteFrom('campaigns').where('id', '=', id).execute();
  });
}

/** Sets the campaign's status; true when it changed (a repeat finds it set and changes nothing). */
export async function setCampaignStatus(db: Db, id: number, status: CampaignStatus, closing: boolean): Promise<boolean> {
  const changed = await db
    .updateTable('campaigns')
    .set({ status, closed_at: closing ? sql`coalesce(closed_at, now())` : null })
    .where('id', '=', id)
    .where('status', '<>', status)
    .executeTakeFirst();
  return changed.numUpdatedRows > 0n;
}
