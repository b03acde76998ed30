/**
 * Offer composition (PRODUCT.md §3.5): the IS sites a patient passes, within how far they will
 * travel, with a free slot in the campaign period that the fund can still pay for; up to five,
 * nearest first, ties by earliest date. No other ranking: the order is explained to the patient and
 * offers no incentive to pick any one.
 */
import { addDays } from './dates';
import { type Coordinates, milesBetween } from './geo';

/** The days an offer's slots may fall on, both included ('YYYY-MM-DD'). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

/** The first day a patient can be booked into: tomorrow, never today or before. */
export function firstBookableDay(today: string): string {
  return addDays(today, 1);
}

/** The part of a period a patient can still be booked into (from firstBookableDay on). */
export function bookablePeriod(period: Period, today: string): Period {
  const first = firstBookableDay(today);
  return { from: period.from > first ? period.from : first, to: period.to };
}

export interface SiteCandidate {
  readonly siteOds: string;
  readonly siteName: string;
  readonly location: Coordinates;
  /** Whether the patient passed this site's exclusion criteria (and the clinician confirmed). */
  readonly passesScreening: boolean;
  /** The earliest free slot for the procedure in the campaign period, 'YYYY-MM-DD', or null. */
  readonly earliestSlot: string | null;
  /** What this site would be paid for the procedure, in pence (HRG price × the provider's MFF). */
  readonly pricePence: number;
}

export interface OfferChoice {
  readonly siteOds: string;
  readonly siteName: string;
  /** Miles from the centre of the patient's postcode district, to one decimal place. */
  readonly distanceMiles: number;
  readonly earliestSlot: string;
  readonly pricePence: number;
}

export interface OfferRequest {
  /** The centre of the patient's postcode district; null when their postcode is not known. */
  readonly patientLocation: Coordinates | null;
  /** The furthest the patient will travel; null means anywhere. */
  readonly travelMaxMiles: number | null;
  readonly candidates: readonly SiteCandidate[];
  /** What is left in the fund, in pence. */
  readonly fundRemainingPence: number;
  readonly maxChoices?: number;
}

export const MAX_CHOICES = 5;

/** How the choices are ordered, in the words the patient's page uses. */
export const ORDER_EXPLANATION =
  'Hospitals are listed by distance from your postcode, nearest first. Where two are the same distance, the one with the earlier date comes first. The NHS does not prefer any of them.';

/**
 * A date is a choice only at its own site: a slot of another site, sent with a site on the offer,
 * is no choice at all (not a date that has gone), whichever site it belongs to.
 */
export function isSlotOfSite(slot: { readonly siteOds: string } | undefined, siteOds: string): boolean {
  return slot !== undefined && slot.siteOds === siteOds;
}

export function composeOffer(request: OfferRequest): OfferChoice[] {
  // Without a location, distance cannot be measured: only a patient who will travel anywhere can be offered.
  if (!request.patientLocation && request.travelMaxMiles !== null) return [];
  const choices: OfferChoice[] = [];
  for (const candidate of request.candidates) {
    if (!candidate.passesScreening || candidate.earliestSlot === null) continue;
    if (candidate.pricePence > request.fundRemainingPence) continue;
    const distanceMiles = request.patientLocation ? Math.round(milesBetween(request.patientLocation, candidate.location) * 10) / 10 : 0;
    if (request.travelMaxMiles !== null && distanceMiles > request.travelMaxMiles) continue;
    choices.push({
      siteOds: candidate.siteOds,
      siteName: candidate.siteName,
      distanceMiles,
      earliestSlot: candidate.earliestSlot,
      pricePence: candidate.pricePence,
    });
  }
  return choices
    .sort((a, b) => a.distanceMiles - b.distanceMiles || a.earliestSlot.localeCompare(b.earliestSlot) || a.siteOds.localeCompare(b.siteOds))
    .slice(0, request.maxChoices ?? MAX_CHOICES);
}
