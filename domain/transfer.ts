/**
 * The transfer (PRODUCT.md §3 steps 4–9), in one neutral place: its states and the sets the flow and
 * every surface reason with, what starts it and what people ask of it, and the rules those requests
 * obey. The rules are zod schemas, so the workflow's validators, the API's bodies and the staff forms
 * check the same thing in the same words. Pure: importable by workflows, activities, services and
 * pages alike.
 */
import { z } from 'zod';
import { isIsoDate, isOpcs4Code, normaliseOpcs4 } from './codes';
import type { FailureKind } from './failures';
import type { Period } from './offer';
import type { TreatedOnRule } from './outcome-dates';
import type { TransferSettings } from './transfer-settings';

export const OPEN_STATES = ['opened', 'awaiting_review', 'offered', 'booking', 'awaiting_provider', 'booked'] as const;
export const CLOSED_STATES = [
  'screened_out',
  'refused',
  'review_lapsed',
  'no_choices',
  'declined',
  'lapsed',
  'returned',
  'withdrawn',
  'treated',
  'did_not_attend',
  'cancelled',
  'campaign_cancelled',
] as const;
export const TRANSFER_STATES = [...OPEN_STATES, ...CLOSED_STATES] as const;
export type OpenTransferState = (typeof OPEN_STATES)[number];
export type ClosedTransferState = (typeof CLOSED_STATES)[number];
export type TransferState = OpenTransferState | ClosedTransferState;

export function isClosedState(state: TransferState): state is ClosedTransferState {
  return (CLOSED_STATES as readonly string[]).includes(state);
}

/** The states a patient can withdraw from: a booking being made, awaiting the provider, or confirmed. */
export const WITHDRAWABLE_STATES = ['booking', 'awaiting_provider', 'booked'] as const satisfies readonly OpenTransferState[];

/** The states a cancelled campaign withdraws: everything before a confirmed booking. */
export const CAMPAIGN_WITHDRAWABLE_STATES = ['opened', 'awaiting_review', 'offered', 'booking', 'awaiting_provider'] as const satisfies readonly OpenTransferState[];

export function isWithdrawable(state: TransferState): boolean {
  return (WITHDRAWABLE_STATES as readonly string[]).includes(state);
}

/**
 * The reference a patient quotes when they call about their transfer ("BT-000123"): the transfer's own
 * number, so staff find it at once, and never anything personal.
 */
export function transferReference(transferId: number): string {
  return `BT-${String(transferId).padStart(6, '0')}`;
}

export const OUTCOMES = ['treated', 'did_not_attend', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface PatientTransferInput {
  readonly pathwayId: number;
  /** The fund that pays for the booking. */
  readonly fundId: number;
  /** Offers are for slots in this period (the campaign's); defaults to the fund's window. */
  readonly period?: Period;
  /** The campaign that started this transfer: told by signal how its offer ends, and may withdraw it. */
  readonly campaignId?: number;
  readonly settings?: Partial<TransferSettings>;
}

/** The booking a transfer holds: ids, codes and its date. */
export interface BookingSummary {
  readonly bookingId: number;
  readonly siteOds: string;
  readonly providerOds: string;
  readonly procedureDate: string;
}

export interface TransferStatus {
  readonly transferId: number | null;
  readonly state: TransferState;
  /** The offer round: 1 for the first offer, more after a slot was taken or a provider said no. */
  readonly round: number;
  /** The sites on the current offer, nearest first. */
  readonly choices: readonly string[];
  readonly reviewEscalated: boolean;
  readonly booking: BookingSummary | null;
}

/** A person's reason in their words; blank is no reason, which a rule needing one refuses once, by name. */
const reasonText = z.string().trim().max(500, 'Keep the reason under 500 characters');

/** A yes-or-no decision whose no must say why, in the words given. */
function decisionSchema<const Yes extends string, const No extends string>(yes: Yes, no: No, words: { choose: string; reasonNeeded: string }) {
  return z
    .object({ decision: z.enum([yes, no], { error: words.choose }), reason: reasonText.optional() })
    .refine((body) => body.decision === yes || body.reason, { message: words.reasonNeeded, path: ['reason'] });
}

/** A clinician's decision on a candidate: a refusal says why. */
export const reviewDecisionSchema = decisionSchema('confirm', 'refuse', {
  choose: 'Confirm or refuse the transfer',
  reasonNeeded: 'Enter why you are refusing: a refusal needs a reason',
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

export interface ReviewInput extends ReviewDecision {
  /** Who decided, for the record (a staff actor label, never a patient detail). */
  readonly reviewer: string;
  /** The reviewing clinician's trust: only the pathway's own trust may review it. */
  readonly reviewerTrustOds: string;
}

/** A provider's decision after pre-op assessment: a rejection says why. */
export const providerDecisionSchema = decisionSchema('accept', 'reject', { choose: 'Accept or reject the booking', reasonNeeded: 'Enter why you are rejecting the booking' });
export type ProviderDecision = z.infer<typeof providerDecisionSchema>;

export interface ProviderDecisionInput extends ProviderDecision {
  readonly providerOds: string;
  readonly actor: string;
}

/** A provider's outcome of a booking: treated needs the procedure's OPCS-4 code and its date. */
export const outcomeSchema = z
  .object({
    outcome: z.enum(OUTCOMES, { error: 'Choose what happened: treated, did not attend or cancelled' }),
    procedureCode: z.string().trim().transform(normaliseOpcs4).optional(),
    treatedOn: z.string().trim().optional(),
    reason: reasonText.optional(),
  })
  .superRefine((body, context) => {
    if (body.procedureCode && !isOpcs4Code(body.procedureCode)) {
      context.addIssue({ code: 'custom', path: ['procedureCode'], message: 'Enter the OPCS-4 code as a letter, two digits, a dot and a digit, like W37.1' });
    }
    if (body.treatedOn && !isIsoDate(body.treatedOn)) {
      context.addIssue({ code: 'custom', path: ['treatedOn'], message: 'Enter the date of the procedure as YYYY-MM-DD, like 2026-05-14' });
    }
    if (body.outcome !== 'treated') return;
    if (!body.procedureCode) context.addIssue({ code: 'custom', path: ['procedureCode'], message: 'Enter the OPCS-4 code of the procedure, like W37.1' });
    if (!body.treatedOn) context.addIssue({ code: 'custom', path: ['treatedOn'], message: 'Enter the date of the procedure' });
  });
export type OutcomeRecord = z.output<typeof outcomeSchema>;

/** The outcome as it may be recorded on `today`: besides the above, a procedure cannot be dated after today. */
export function recordableOutcomeSchema(today: string) {
  return outcomeSchema.superRefine((body, context) => {
    if (body.outcome === 'treated' && body.treatedOn && isIsoDate(body.treatedOn) && body.treatedOn > today) {
      context.addIssue({ code: 'custom', path: ['treatedOn'], message: 'The date of the procedure cannot be in the future' });
    }
  });
}

export interface OutcomeInput extends OutcomeRecord {
  readonly providerOds: string;
  readonly actor: string;
}

interface ResponseCommon {
  readonly channel: 'web' | 'phone' | 'letter';
  /** The version of the page's wording the patient was shown when answering. */
  readonly wordingVersion: string;
  /** When the patient answered (ISO timestamp). */
  readonly at: string;
  /** Who answered, for the audit: `patient:offer:<id>` on the offer page. */
  readonly actor?: string;
}
export type ResponseInput =
  | (ResponseCommon & {
      readonly kind: 'accept';
      readonly siteOds: string;
      readonly slotId: number;
      readonly consents: { readonly transferOfCare: boolean; readonly shareRecords: boolean };
    })
  | (ResponseCommon & { readonly kind: 'decline'; readonly reason?: string })
  | (ResponseCommon & { readonly kind: 'callback' });
export type AcceptInput = Extract<ResponseInput, { kind: 'accept' }>;

export type WithdrawInput = ResponseCommon & { readonly reason?: string };

/** A response as it is recorded: an answer to an offer, or a withdrawal. */
export type RecordedResponse = ResponseInput | (WithdrawInput & { readonly kind: 'withdraw' });

/** A transfer's word to its campaign: how its offer ended (or that it ended with none). */
export interface TransferReport {
  readonly pathwayId: number;
  readonly outcome: 'accepted' | 'declined' | 'lapsed' | 'not_offered' | 'withdrawn';
}

/**
 * Why the transfer refused what a person asked: each a stable code surfaces turn into their own
 * words, with the kind of failure it is.
 */
export const TRANSFER_REFUSALS = {
  not_awaiting_review: 'Conflict',
  wrong_trust: 'Forbidden',
  offer_not_open: 'Conflict',
  not_a_choice: 'Invalid',
  no_slot_chosen: 'Invalid',
  consent_missing: 'Invalid',
  nothing_to_withdraw: 'Conflict',
  procedure_date_reached: 'Conflict',
  not_awaiting_provider: 'Conflict',
  wrong_provider: 'Forbidden',
  no_booking_for_outcome: 'Conflict',
  transfer_ended: 'Conflict',
  // A treatment date that breaks domain/outcome-dates.ts, by the rule it breaks.
  treated_before_consent: 'Invalid',
  treated_before_acceptance: 'Invalid',
  treated_before_procedure_date: 'Invalid',
  treated_too_long_after_procedure_date: 'Invalid',
} as const satisfies Record<string, FailureKind> & Record<TreatedOnRule, 'Invalid'>;
export type TransferRefusal = keyof typeof TRANSFER_REFUSALS;
