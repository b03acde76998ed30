/**
 * How many offers a campaign keeps open at once (issue 5, PRODUCT.md §8 capacity matching). Offer too
 * few and IS slots go unused; too many and patients who accept find their slot gone. The campaign
 * keeps the offers outstanding at most the free slots (and the places the fund can still pay for)
 * divided by the acceptance rate, taken at a cautious upper estimate: the rate observed so far,
 * shrunk towards a prior while there are few answers, plus a margin for what it does not yet know.
 */

/** What the rate is taken to be before any patient has answered: 40%, worth ten answers. */
const PRIOR_RATE = 0.4;
const PRIOR_WEIGHT = 10;
/** One-sided 95%: the window assumes a rate this far above the estimate. */
const CAUTION_Z = 1.645;

export interface AcceptanceEstimate {
  /** The estimated share of answered offers that are accepted. */
  readonly rate: number;
  /** The cautious rate the window is sized with. */
  readonly upper: number;
}

/** From the offers answered so far (accepted, declined, lapsed) and how many were accepted. */
export function acceptanceEstimate(accepted: number, answered: number): AcceptanceEstimate {
  const weight = answered + PRIOR_WEIGHT;
  const rate = (accepted + PRIOR_RATE * PRIOR_WEIGHT) / weight;
  const upper = Math.min(1, rate + CAUTION_Z * Math.sqrt((rate * (1 - rate)) / weight));
  return { rate, upper };
}

export interface WindowInputs {
  /** IS slots of the campaign's specialties free in the rest of its period. */
  readonly freeSlots: number;
  /** How many more procedures the fund can pay for (its remaining money over a typical price). */
  readonly fundPlaces: number;
  readonly estimate: AcceptanceEstimate;
}

/** The most offers to have outstanding at once. */
export function offerWindow(inputs: WindowInputs): number {
  const places = Math.max(0, Math.min(inputs.freeSlots, inputs.fundPlaces));
  return Math.floor(places / inputs.estimate.upper);
}

/** Where a campaign's transfers stand against its maximum of offers (issue 15, item 1). */
export interface OfferTally {
  /** Patients offered whose offer has ended: accepted, declined or lapsed. */
  readonly offered: number;
  /** Transfers started and not yet ended: each may still offer (awaiting review, or offered now). */
  readonly outstanding: number;
  /** Transfers that closed without saying how (failed or terminated): each may have offered. */
  readonly failed: number;
}

/**
 * How many more transfers a campaign may start under its maximum of offers. The maximum counts offers
 * made, not patients started: one screened out, refused or with no choice gives its place back. Every
 * transfer that may still offer holds a place meanwhile, so the offers sent never pass the maximum.
 */
export function offerRoom(maxOffers: number, tally: OfferTally): number {
  return Math.max(0, maxOffers - tally.offered - tally.outstanding - tally.failed);
}
