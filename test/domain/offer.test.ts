import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { milesBetween } from '../../domain/geo';
import { composeOffer, MAX_CHOICES, type OfferRequest, type SiteCandidate } from '../../domain/offer';

const LEICESTER = { latitude: 52.6369, longitude: -1.1398 };

const candidate: fc.Arbitrary<SiteCandidate> = fc.record({
  siteOds: fc.stringMatching(/^N[A-Z][0-9]{3}$/),
  siteName: fc.constant('A site'),
  location: fc.record({ latitude: fc.double({ min: 50, max: 55, noNaN: true }), longitude: fc.double({ min: -4, max: 1, noNaN: true }) }),
  passesScreening: fc.boolean(),
  earliestSlot: fc.option(fc.constantFrom('2026-12-07', '2026-12-14', '2027-01-04'), { nil: null }),
  pricePence: fc.integer({ min: 100_000, max: 1_500_000 }),
});

const request: fc.Arbitrary<OfferRequest> = fc.record({
  patientLocation: fc.option(fc.constant(LEICESTER), { nil: null }),
  travelMaxMiles: fc.option(fc.constantFrom(25, 50, 100), { nil: null }),
  candidates: fc.uniqueArray(candidate, { selector: (site) => site.siteOds, maxLength: 20 }),
  fundRemainingPence: fc.integer({ min: 0, max: 2_000_000 }),
});

describe('milesBetween', () => {
  it('measures real distances', () => {
    // Leicester to Birmingham city centres: about 33 miles as the crow flies.
    expect(milesBetween(LEICESTER, { latitude: 52.4862, longitude: -1.8904 })).toBeCloseTo(33.4, 0);
    expect(milesBetween(LEICESTER, LEICESTER)).toBe(0);
  });
});

describe('composeOffer', () => {
  it('offers only sites the patient passes, that have a slot, that the fund can pay, within reach', () => {
    fc.assert(
      fc.property(request, (input) => {
        const choices = composeOffer(input);
        expect(choices.length).toBeLessThanOrEqual(MAX_CHOICES);
        for (const choice of choices) {
          const site = input.candidates.find((candidate) => candidate.siteOds === choice.siteOds)!;
          expect(site.passesScreening).toBe(true);
          expect(site.earliestSlot).toBe(choice.earliestSlot);
          expect(site.pricePence).toBeLessThanOrEqual(input.fundRemainingPence);
          if (input.travelMaxMiles !== null) expect(choice.distanceMiles).toBeLessThanOrEqual(input.travelMaxMiles);
        }
      }),
    );
  });

  it('lists nearest first, ties by earliest date, and leaves out no nearer eligible site', () => {
    fc.assert(
      fc.property(request, (input) => {
        const choices = composeOffer(input);
        for (let index = 1; index < choices.length; index++) {
          const [before, after] = [choices[index - 1]!, choices[index]!];
          expect(before.distanceMiles < after.distanceMiles || (before.distanceMiles === after.distanceMiles && before.earliestSlot <= after.earliestSlot)).toBe(true);
        }
        const all = composeOffer({ ...input, maxChoices: 1_000 });
        expect(choices).toEqual(all.slice(0, MAX_CHOICES));
      }),
    );
  });

  it('offers nothing to a patient whose postcode is unknown unless they will travel anywhere', () => {
    const site: SiteCandidate = { siteOds: 'NT301', siteName: 'Spire', location: LEICESTER, passesScreening: true, earliestSlot: '2026-12-07', pricePence: 500_000 };
    expect(composeOffer({ patientLocation: null, travelMaxMiles: 50, candidates: [site], fundRemainingPence: 1_000_000 })).toEqual([]);
    expect(composeOffer({ patientLocation: null, travelMaxMiles: null, candidates: [site], fundRemainingPence: 1_000_000 })).toHaveLength(1);
  });
});
