/**
 * Who a campaign may offer a transfer to (PRODUCT.md §3.3): incomplete pathways of the chosen trusts
 * and specialties that are routine (never urgent or suspected cancer), have waited long enough, have
 * no appointment or admission soon, belong to an adult, are not tertiary referrals, are not in a
 * transfer already and were not declined lately. Longest waiters first.
 */
import { addDays } from './dates';
import { isClosedState, type ClosedTransferState, type TransferState } from './transfer';

export interface CohortRules {
  /** Waited at least this many weeks since the clock started (§3.3: 18). */
  readonly minWeeksWaited: number;
  /** No appointment or admission already booked within this many weeks (§3.3: 8). */
  readonly noAppointmentWithinWeeks: number;
  /** Aged at least this on the day of selection (§3.3: 18). */
  readonly minAge: number;
  /** A transfer the patient said no to (or was turned back from, TURNED_DOWN_STATES) this recently keeps the pathway out (§3.3: 90 days). */
  readonly declinedWithinDays: number;
}

export const DEFAULT_COHORT_RULES: CohortRules = Object.freeze({
  minWeeksWaited: 18,
  noAppointmentWithinWeeks: 8,
  minAge: 18,
  declinedWithinDays: 90,
});

/** Where a cohort page starts: after this pathway in the longest-waiting-first order. */
export interface CohortCursor {
  readonly clockStartDate: string;
  readonly pathwayId: number;
}

/**
 * The ways a transfer ends with the patient saying no or being turned back, which keep the pathway out
 * of cohorts (and out of a transfer started by hand) for `declinedWithinDays`: they declined, withdrew,
 * let the offer lapse or did not attend, or their clinician refused. A provider's rejection ends as
 * `returned`, as do a slot gone and a fund run dry with nothing left to offer: in all three the patient
 * wanted to move, so it does not count; nor does a review nobody did (`review_lapsed`), a screen or
 * offer that found no site, or a cancelled campaign. The reviewer sees every earlier transfer anyway.
 */
export const TURNED_DOWN_STATES = ['declined', 'withdrawn', 'lapsed', 'did_not_attend', 'refused'] as const satisfies readonly ClosedTransferState[];

/** A transfer turned down (closed) on this day or later keeps its pathway out on `asOf`. */
export function turnedDownSince(asOf: string, rules: Pick<CohortRules, 'declinedWithinDays'>): string {
  return addDays(asOf, -rules.declinedWithinDays);
}

/**
 * Every transfer that closes untreated leaves the pathway on its trust's list with its original clock
 * start (PRODUCT.md §3.7–3.9, §4): whether the patient said no, was turned back, or was never offered.
 */
export function returnsToList(state: TransferState): boolean {
  return isClosedState(state) && state !== 'treated';
}
