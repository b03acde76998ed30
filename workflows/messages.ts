/**
 * Every message the workflows take: the signals, queries and Updates of a transfer and of a campaign,
 * with what they carry. Clients (services, tests, benchmarks) and both workflows import them from
 * here, so neither workflow imports the other and no message is sent by a bare string.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CohortCursor } from '../domain/cohort';
import type {
  OutcomeInput,
  PatientTransferInput,
  ProviderDecisionInput,
  ResponseInput,
  ReviewInput,
  TransferReport,
  TransferStatus,
  WithdrawInput,
} from '../domain/transfer';

// A transfer.

/** The transfer workflow's signature, for those that start it by name (its campaign). */
export type PatientTransferWorkflow = (input: PatientTransferInput) => Promise<TransferStatus>;

export const transferStatusQuery = defineQuery<TransferStatus>('transferStatus');
export const reviewUpdate = defineUpdate<TransferStatus, [ReviewInput]>('review');
export const respondUpdate = defineUpdate<TransferStatus, [ResponseInput]>('respond');
export const withdrawUpdate = defineUpdate<TransferStatus, [WithdrawInput]>('withdraw');
export const providerDecisionUpdate = defineUpdate<TransferStatus, [ProviderDecisionInput]>('providerDecision');
export const outcomeUpdate = defineUpdate<TransferStatus, [OutcomeInput]>('recordOutcome');
/** The transfer's campaign was cancelled: an open offer or a booking not yet confirmed is withdrawn. */
export const campaignCancelledSignal = defineSignal('campaignCancelled');

// A campaign.

export interface CampaignInput {
  readonly campaignId: number;
  /** Transfers one run starts before continuing as new (default STARTS_PER_RUN); tests lower it. */
  readonly startsPerRun?: number;
  /** How long a quiet spell lasts before the campaign looks again (default RECHECK_MS); tests shorten it. */
  readonly recheckMs?: number;
  /** What an earlier run handed on when it continued as new. */
  readonly carried?: CampaignCarry;
}

export type CampaignPhase = 'running' | 'paused' | 'cancelled' | 'completed';

export interface CampaignProgress {
  readonly phase: CampaignPhase;
  /** Transfers started. */
  readonly started: number;
  /** Started and not yet reported back: offers (or reviews) still open. */
  readonly outstanding: number;
  readonly accepted: number;
  readonly declined: number;
  readonly lapsed: number;
  readonly notOffered: number;
  /** Transfers that closed without reporting (failed or terminated); each counts as an offer that may have gone out. */
  readonly failed: number;
  /** The window now: how many may be outstanding at once. */
  readonly window: number;
  /** The acceptance rate the window is sized with (observed, shrunk towards a prior). */
  readonly acceptanceRate: number;
  /** Every candidate of the cohort has been started (before the ceiling counted offers: or the ceiling reached). */
  readonly cohortExhausted: boolean;
  /**
   * The ceiling of offers is reached: offers made, and transfers that may still offer, add up to it, so
   * nobody more is started. A campaign that completes with this set stopped because of its ceiling.
   */
  readonly limitReached: boolean;
  /** Runs so far: each continue-as-new starts the next. */
  readonly run: number;
}

/** What a run hands to the next when it continues as new. */
export interface CampaignCarry {
  readonly progress: CampaignProgress;
  readonly cursor: CohortCursor | null;
  /** Pathways started and not yet reported back. */
  readonly outstanding: readonly number[];
}

export interface CampaignControlInput {
  /** Who asked, for the record (a staff actor label). */
  readonly actor: string;
}

export const campaignProgressQuery = defineQuery<CampaignProgress>('campaignProgress');
export const transferReportSignal = defineSignal<[TransferReport]>('transferReport');
export const pauseCampaignUpdate = defineUpdate<CampaignProgress, [CampaignControlInput]>('pauseCampaign');
export const resumeCampaignUpdate = defineUpdate<CampaignProgress, [CampaignControlInput]>('resumeCampaign');
export const cancelCampaignUpdate = defineUpdate<CampaignProgress, [CampaignControlInput]>('cancelCampaign');

