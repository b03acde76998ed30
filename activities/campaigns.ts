/** What a campaign workflow reads and records: its plan, its cohort page by page, the room left, its phase. */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import { audit } from '../db/repositories/audit';
import { type Campaign, campaignById, setCampaignStatus } from '../db/repositories/campaigns';
import { cohortPage, type CohortPathway } from '../db/repositories/cohort';
import { fundBalance } from '../db/repositories/funds';
import { LIVE_BOOKING_STATUSES } from '../db/repositories/offer-choices';
import type { CampaignStatus } from '../db/schema';
import { CAMPAIGN_ACTIONS, CAMPAIGN_CONTROLS, type CampaignAction } from '../domain/campaign-control';
import type { CohortCursor } from '../domain/cohort';
import { dayOf } from '../domain/dates';
import { NotFound } from '../domain/failures';
import { bookablePeriod, type Period } from '../domain/offer';
import { CAMPAIGN_WITHDRAWABLE_STATES } from '../domain/transfer';
import type { TransferSettings } from '../domain/transfer-settings';
import type { ActivityDeps } from './index';

/** The control a phase set by a person comes from, as its audit names it. */
const CONTROL_OF: Partial<Record<CampaignStatus, CampaignAction>> = Object.fromEntries(CAMPAIGN_ACTIONS.map((action) => [CAMPAIGN_CONTROLS[action].to, action]));

/** Transfers described at once when a campaign looks up which of its earlier run's have closed. */
const DESCRIBE_BATCH = 50;

export interface CampaignPlan {
  readonly fundId: number;
  readonly period: Period;
  readonly maxOffers: number;
  readonly settings: Partial<TransferSettings>;
}

export interface CampaignRoom {
  /** IS slots of the campaign's treatment functions free (not held or booked) in the rest of its period. */
  readonly freeSlots: number;
  /** How many more procedures the fund can pay for, at the average price offered so far. */
  readonly fundPlaces: number;
}

export function campaignActivities({ db, now }: ActivityDeps) {
  async function campaignOf(campaignId: number): Promise<Campaign> {
    const campaign = await campaignById(db, campaignId);
    if (!campaign) throw new NotFound(`campaign ${campaignId} not found`);
    return campaign;
  }

  return {
    async loadCampaign(input: { campaignId: number }): Promise<CampaignPlan> {
      const campaign = await campaignOf(input.campaignId);
      return { fundId: campaign.fundId, period: campaign.period, maxOffers: campaign.maxOffers, settings: campaign.transferSettings };
    },

    /** The next page of the cohort after the cursor, by the campaign's rules as they apply today. */
    async nextCandidates(input: { campaignId: number; after: CohortCursor | null; limit: number }): Promise<CohortPathway[]> {
      const campaign = await campaignOf(input.campaignId);
      return cohortPage(db, {
        trusts: campaign.trusts,
        treatmentFunctions: campaign.treatmentFunctions,
        rules: campaign.cohortRules,
        asOf: dayOf(now()),
        ...(input.after ? { after: input.after } : {}),
        limit: input.limit,
      });
    },

    async campaignRoom(input: { campaignId: number }): Promise<CampaignRoom> {
      const campaign = await campaignOf(input.campaignId);
      const period = bookablePeriod(campaign.period, dayOf(now()));
      const free = await sql<{ free: number }>`
        select count(*)::int as free from slots s
        where s.treatment_function_code = any(${campaign.treatmentFunctions}) and s.slot_date between ${period.from} and ${period.to}
          and not exists (select 1 from bookings b where b.slot_id = s.id and b.status = any(${LIVE_BOOKING_STATUSES as unknown as string[]}))`.execute(db);
      const price = await sql<{ average: number | null }>`
        select avg(c.price_pence)::int as average from offer_choices c join transfers t on t.id = c.transfer_id
        where t.campaign_id = ${input.campaignId}`.execute(db);
      const balance = await fundBalance(db, campaign.fundId);
      const remaining = balance?.remainingPence ?? 0;
      // Before any offer is priced there is no price to go by: the fund's money is then no limit yet.
      const average = price.rows[0]?.average;
      return { freeSlots: free.rows[0]!.free, fundPlaces: average ? Math.floor(remaining / average) : Number.MAX_SAFE_INTEGER };
    },

    /**
     * Mirrors the workflow's phase into the campaign's row. A person's pause, resume or cancel comes
     * with its actor and is audited with the change, in its transaction; a repeat changes nothing and
     * audits nothing.
     */
    async recordCampaignPhase(input: { campaignId: number; phase: CampaignStatus; actor?: string }): Promise<void> {
      const { actor } = input;
      const control = CONTROL_OF[input.phase];
      await db.transaction().execute(async (trx) => {
        const changed = await setCampaignStatus(trx, input.campaignId, input.phase, input.phase === 'cancelled' || input.phase === 'completed');
        if (changed && actor && control) {
          await audit(trx, { actor, action: `campaign.${control}`, subject: `campaign:${input.campaignId}`, detail: { phase: input.phase } });
        }
      });
    },

    /**
     * Of the given transfers (by pathway, with their workflow ids), those whose workflow is no longer
     * running: completed, failed, terminated, timed out, or gone.
     */
    async closedTransfers(input: { transfers: readonly { pathwayId: number; workflowId: string }[] }): Promise<number[]> {
      const { client } = Context.current();
      const closed: number[] = [];
      for (let index = 0; index < input.transfers.length; index += DESCRIBE_BATCH) {
        const batch = input.transfers.slice(index, index + DESCRIBE_BATCH);
        const running = await Promise.all(
          batch.map(async ({ workflowId }) => {
            try {
              return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
            } catch (error) {
              if (error instanceof WorkflowNotFoundError) return false;
              throw error;
            }
          }),
        );
        closed.push(...batch.filter((_, at) => !running[at]).map((transfer) => transfer.pathwayId));
        Context.current().heartbeat(index);
      }
      return closed;
    },

    /** The pathways of the campaign's transfers not yet booked: what a cancellation withdraws. */
    async openCampaignTransfers(input: { campaignId: number }): Promise<number[]> {
      const rows = await db
        .selectFrom('transfers')
        .select('pathway_id')
        .where('campaign_id', '=', input.campaignId)
        .where('state', 'in', CAMPAIGN_WITHDRAWABLE_STATES)
        .where('closed_at', 'is', null)
        .execute();
      return rows.map((row) => row.pathway_id);
    },
  };
}
