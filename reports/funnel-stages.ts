/**
 * The campaign funnel's stages and their words: pure, so the report, the pages and the dashboard's
 * browser script (bundled from api/pages/campaigns/dashboard.ts) share one list.
 */
import { PATIENT_CHANNELS, type PatientChannel } from '../domain/channels';

/** The funnel's stages, in the order a transfer goes through them. */
export const FUNNEL_STAGES = [
  'eligible',
  'screenedOut',
  'awaitingReview',
  'approved',
  'offered',
  'accepted',
  'declined',
  'lapsed',
  'booked',
  'withdrawn',
  'treated',
  'claimed',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
export type FunnelCounts = Record<FunnelStage, number>;

/** Each stage in words, for pages, CSV readers and the API's documentation. */
export const FUNNEL_STAGE_LABELS: Record<FunnelStage, { readonly label: string; readonly means: string }> = {
  eligible: {
    label: 'Eligible',
    means:
      "In the totals, the patients the dry run found eligible at launch. By group, the transfers the campaign has started there (the candidates it has reached so far; it starts them as capacity, money and its ceiling of offers allow).",
  },
  screenedOut: { label: 'Screened out', means: "No IS site's exclusion criteria admit the patient, so no offer can be made." },
  awaitingReview: { label: 'Awaiting clinical review', means: 'Waiting now for a clinician of the trust to confirm or refuse the transfer.' },
  approved: { label: 'Approved by a clinician', means: 'A clinician confirmed the transfer is clinically appropriate.' },
  offered: { label: 'Offered', means: 'The offer went out: texted, emailed, or sent as a letter (or queued for the print batch).' },
  accepted: { label: 'Accepted', means: 'The patient chose a site and date and gave consent.' },
  declined: { label: 'Declined', means: 'The patient declined the offer and kept their place on the list.' },
  lapsed: { label: 'Lapsed', means: 'The offer lapsed with no answer; the patient kept their place.' },
  booked: { label: 'Booked', means: 'The provider accepted the booking after pre-operative assessment.' },
  withdrawn: { label: 'Withdrawn', means: 'The patient withdrew after accepting; the booking, slot and money were released.' },
  treated: { label: 'Treated', means: 'The provider recorded the procedure as done.' },
  claimed: { label: 'Claimed', means: "The treatment passed the claim checks and its money moved from committed to claimed in the fund's ledger." },
};

/**
 * The stages counted by the channel the first offer went by (its message in the outbox): offered,
 * responded (accepted or declined; a lapse is no answer) and accepted. An offer that is known only
 * from a later stage, with no message on record, has no channel and is in none of them.
 */
export const CHANNEL_STAGES = ['offered', 'responded', 'accepted'] as const;
export type ChannelStage = (typeof CHANNEL_STAGES)[number];
export type ChannelCounts = Record<PatientChannel, Record<ChannelStage, number>>;

export const CHANNEL_STAGE_LABELS: Record<ChannelStage, string> = { offered: 'Offered', responded: 'Answered', accepted: 'Accepted' };

/** A channel stage's count as a report's query names it ("sms_offered"). */
export const channelColumn = (channel: PatientChannel, stage: ChannelStage) => `${channel}_${stage}`;

export function channelCountsOf(row: Record<string, unknown>): ChannelCounts {
  return Object.fromEntries(
    PATIENT_CHANNELS.map((channel) => [channel, Object.fromEntries(CHANNEL_STAGES.map((stage) => [stage, Number(row[channelColumn(channel, stage)] ?? 0)]))]),
  ) as ChannelCounts;
}
