/**
 * The transfer (PRODUCT.md §3 steps 4–9), in one neutral place: its states and the sets the flow and
 * every surface reason with, what starts it and what people ask of it, and the rules those requests
 * obey, as plain functions: the workflow's validators call them, and the API's bodies and the staff
 * forms (transfer-schemas.ts) check the same thing in the same words. Pure, and free of zod, which a
 * workflow bundle would carry into every cached workflow: importable by workflows, activities,
 * services and pages alike.
 */
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

/** Each state as staff read it, where a transfer stands or how it ended (the patient's pages have words of their own). */
export const TRANSFER_STATE_WORDS: Record<TransferState, string> = {
  opened: 'Being screened against the IS sites',
  awaiting_review: 'Awaiting clinical review',
  offered: 'Offered to the patient',
  booking: 'Booking the date the patient chose',
  awaiting_provider: "Awaiting the IS provider's pre-op check",
  booked: 'Booked',
  screened_out: 'Screened out: no IS site could take the patient',
  refused: 'Refused at clinical review',
  review_lapsed: 'Not reviewed in time',
  no_choices: 'No IS site had a date to offer',
  declined: 'Declined by the patient',
  lapsed: 'The patient did not answer the offer',
  returned: 'Returned to the waiting list after the booking fell through',
  withdrawn: 'Withdrawn by the patient',
  treated: 'Treated',
  did_not_attend: 'The patient did not attend',
  cancelled: 'The IS provider cancelled the treatment',
  campaign_cancelled: 'Withdrawn when the campaign was cancelled',
};

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

/** A rule a request breaks, named by its field, in words for the person who sent it. */
export interface RequestIssue {
  readonly path: readonly string[];
  readonly message: string;
}

/** The longest reason a person may give, in characters. */
export const REASON_MAX_LENGTH = 500;
export const REASON_TOO_LONG = 'Keep the reason under 500 characters';

/** A yes-or-no decision whose no must say why, and the words for each rule. */
export interface DecisionKind<Yes extends string, No extends string> {
  readonly yes: Yes;
  readonly no: No;
  readonly words: { readonly choose: string; readonly reasonNeeded: string };
}

/** A clinician's decision on a candidate: a refusal says why. */
export const REVIEW_DECISION = {
  yes: 'confirm',
  no: 'refuse',
  words: { choose: 'Confirm or refuse the transfer', reasonNeeded: 'Enter why you are refusing: a refusal needs a reason' },
} as const satisfies DecisionKind<'confirm', 'refuse'>;

/** A provider's decision after pre-op assessment: a rejection says why. */
export const PROVIDER_DECISION = {
  yes: 'accept',
  no: 'reject',
  words: { choose: 'Accept or reject the booking', reasonNeeded: 'Enter why you are rejecting the booking' },
} as const satisfies DecisionKind<'accept', 'reject'>;

export interface ReviewDecision {
  readonly decision: typeof REVIEW_DECISION.yes | typeof REVIEW_DECISION.no;
  readonly reason?: string;
}
export interface ProviderDecision {
  readonly decision: typeof PROVIDER_DECISION.yes | typeof PROVIDER_DECISION.no;
  readonly reason?: string;
}

export interface ReviewInput extends ReviewDecision {
  /** Who decided, for the record (a staff actor label, never a patient detail). */
  readonly reviewer: string;
  /** The reviewing clinician's trust: only the pathway's own trust may review it. */
  readonly reviewerTrustOds: string;
}

export interface ProviderDecisionInput extends ProviderDecision {
  readonly providerOds: string;
  readonly actor: string;
}

/** A reason as a person's words are read: trimmed, and blank is no reason. */
function reasonOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() || undefined : undefined;
}

/** The rule of a decision once its fields have their types: a no must say why. */
export function decisionReasonIssues(kind: DecisionKind<string, string>, decision: string, reason: string | undefined): RequestIssue[] {
  return decision === kind.no && !reasonOf(reason) ? [{ path: ['reason'], message: kind.words.reasonNeeded }] : [];
}

/**
 * Everything wrong with a decision as sent (the workflow's validators check it so; the API's bodies
 * and the staff forms by transfer-schemas.ts, in the same words): one of its two answers, a reason in
 * words of at most REASON_MAX_LENGTH characters, and a no that says why.
 */
export function decisionIssues(kind: DecisionKind<string, string>, input: { readonly decision?: unknown; readonly reason?: unknown }): RequestIssue[] {
  if (input.decision !== kind.yes && input.decision !== kind.no) return [{ path: ['decision'], message: kind.words.choose }];
  if (input.reason !== undefined && typeof input.reason !== 'string') return [{ path: ['reason'], message: 'The reason must be words' }];
  if ((reasonOf(input.reason)?.length ?? 0) > REASON_MAX_LENGTH) return [{ path: ['reason'], message: REASON_TOO_LONG }];
  return decisionReasonIssues(kind, input.decision, input.reason);
}

/** The words of an outcome's rules. */
export const OUTCOME_WORDS = {
  choose: 'Choose what happened: treated, did not attend or cancelled',
  codeFormat: 'Enter the OPCS-4 code as a letter, two digits, a dot and a digit, like W37.1',
  dateFormat: 'Enter the date treated as YYYY-MM-DD, like 2026-05-14',
  codeNeeded: 'Enter the OPCS-4 code of the procedure, like W37.1',
  dateNeeded: 'Enter the date treated',
  dateInFuture: 'The date treated cannot be in the future',
} as const;

/** A provider's outcome of a booking, as recorded: treated needs the procedure's OPCS-4 code and its date. */
export interface OutcomeRecord {
  readonly outcome: Outcome;
  readonly procedureCode?: string;
  readonly treatedOn?: string;
  readonly reason?: string;
}

/** An outcome's fields as they are recorded: trimmed, the OPCS-4 code written with its dot. */
export function normaliseOutcome(input: { readonly outcome: Outcome; readonly procedureCode?: string; readonly treatedOn?: string; readonly reason?: string }): OutcomeRecord {
  return {
    outcome: input.outcome,
    ...(input.procedureCode === undefined ? {} : { procedureCode: normaliseOpcs4(input.procedureCode.trim()) }),
    ...(input.treatedOn === undefined ? {} : { treatedOn: input.treatedOn.trim() }),
    ...(input.reason === undefined ? {} : { reason: input.reason.trim() }),
  };
}

/**
 * The rules of an outcome once its fields have their types (normalised): a code and a date as they
 * are written, both given for a treatment, and, recorded on `today`, no date after it.
 */
export function outcomeRuleIssues(body: OutcomeRecord, today?: string): RequestIssue[] {
  const issues: RequestIssue[] = [];
  if (body.procedureCode && !isOpcs4Code(body.procedureCode)) issues.push({ path: ['procedureCode'], message: OUTCOME_WORDS.codeFormat });
  if (body.treatedOn && !isIsoDate(body.treatedOn)) issues.push({ path: ['treatedOn'], message: OUTCOME_WORDS.dateFormat });
  if (body.outcome !== 'treated') return issues;
  if (!body.procedureCode) issues.push({ path: ['procedureCode'], message: OUTCOME_WORDS.codeNeeded });
  if (!body.treatedOn) issues.push({ path: ['treatedOn'], message: OUTCOME_WORDS.dateNeeded });
  if (today && body.treatedOn && isIsoDate(body.treatedOn) && body.treatedOn > today) issues.push({ path: ['treatedOn'], message: OUTCOME_WORDS.dateInFuture });
  return issues;
}

/** Everything wrong with an outcome as sent, recorded on `today` (the workflow's validator checks it so). */
export function outcomeIssues(input: { readonly outcome?: unknown; readonly procedureCode?: unknown; readonly treatedOn?: unknown; readonly reason?: unknown }, today: string): RequestIssue[] {
  if (!(OUTCOMES as readonly unknown[]).includes(input.outcome)) return [{ path: ['outcome'], message: OUTCOME_WORDS.choose }];
  for (const field of ['procedureCode', 'treatedOn', 'reason'] as const) {
    if (input[field] !== undefined && typeof input[field] !== 'string') return [{ path: [field], message: `The ${field} must be text` }];
  }
  if (typeof input.reason === 'string' && input.reason.trim().length > REASON_MAX_LENGTH) return [{ path: ['reason'], message: REASON_TOO_LONG }];
  return outcomeRuleIssues(normaliseOutcome(input as OutcomeRecord), today);
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
