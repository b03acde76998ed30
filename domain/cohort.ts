/**
 * Who a campaign may offer a transfer to (PRODUCT.md §3.3): incomplete pathways of the chosen trusts
 * and specialties that are routine (never urgent or suspected cancer), have waited long enough, have
 * no appointment or admission soon, belong to an adult, are not tertiary referrals, are not in a
 * transfer already and were not declined lately. Longest waiters first.
 */
export interface CohortRules {
  /** Waited at least this many weeks since the clock started (§3.3: 18). */
  readonly minWeeksWaited: number;
  /** No appointment or admission already booked within this many weeks (§3.3: 8). */
  readonly noAppointmentWithinWeeks: number;
  /** Aged at least this on the day of selection (§3.3: 18). */
  readonly minAge: number;
  /** A transfer the patient declined this recently keeps the pathway out (§3.3: 90 days). */
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
