/**
 * What staff may do to a campaign, and from which states: one rule for the campaign's workflow (its
 * Updates' validators refuse anything else), and for the API and the staff pages, which offer only
 * what the campaign's state allows. Pure and free of zod, as the workflow bundle requires.
 */

/** Where a campaign stands: running (offering), paused (no new offers), or closed, cancelled or completed. */
export const CAMPAIGN_STATUSES = ['running', 'paused', 'cancelled', 'completed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What staff may do to a running campaign. */
export const CAMPAIGN_ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export interface CampaignControl {
  /** The states the action is taken in. */
  readonly from: readonly CampaignStatus[];
  /** The state it leaves the campaign in. */
  readonly to: CampaignStatus;
  /** The action done, in words: "paused". */
  readonly done: string;
}

export const CAMPAIGN_CONTROLS: Readonly<Record<CampaignAction, CampaignControl>> = {
  pause: { from: ['running'], to: 'paused', done: 'paused' },
  resume: { from: ['paused'], to: 'running', done: 'resumed' },
  cancel: { from: ['running', 'paused'], to: 'cancelled', done: 'cancelled' },
};

/** The actions a campaign in this state allows. */
export function campaignActionsFrom(status: CampaignStatus): CampaignAction[] {
  return CAMPAIGN_ACTIONS.filter((action) => CAMPAIGN_CONTROLS[action].from.includes(status));
}
