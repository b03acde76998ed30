/** The campaign's offer window: sized by slots and money over a cautious acceptance rate. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptanceEstimate, offerWindow } from '../../domain/campaign-window';

const answers = fc.nat({ max: 5_000 }).chain((answered) => fc.tuple(fc.nat({ max: answered }), fc.constant(answered)));

describe('acceptanceEstimate', () => {
  it('starts from the prior and moves to the observed rate as answers come', () => {
    expect(acceptanceEstimate(0, 0).rate).toBeCloseTo(0.4);
    expect(acceptanceEstimate(300, 1_000).rate).toBeCloseTo(0.3, 2);
    expect(acceptanceEstimate(600, 1_000).rate).toBeCloseTo(0.6, 2);
  });

  it('is a rate, with a cautious bound above it that narrows with more answers', () => {
    fc.assert(
      fc.property(answers, ([accepted, answered]) => {
        const { rate, upper } = acceptanceEstimate(accepted, answered);
        expect(rate).toBeGreaterThan(0);
        expect(rate).toBeLessThan(1);
        expect(upper).toBeGreaterThanOrEqual(rate);
        expect(upper).toBeLessThanOrEqual(1);
        const more = acceptanceEstimate(accepted * 2, answered * 2);
        expect(more.upper - more.rate).toBeLessThanOrEqual(upper - rate + 1e-12);
      }),
    );
  });
});

describe('offerWindow', () => {
  it('keeps the acceptances expected at the cautious rate within the free slots and the money', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }), answers, (freeSlots, fundPlaces, [accepted, answered]) => {
        const estimate = acceptanceEstimate(accepted, answered);
        const window = offerWindow({ freeSlots, fundPlaces, estimate });
        expect(window * estimate.upper).toBeLessThanOrEqual(Math.min(freeSlots, fundPlaces) + 1e-9);
        expect(offerWindow({ freeSlots: freeSlots + 1, fundPlaces: fundPlaces + 1, estimate })).toBeGreaterThanOrEqual(window);
      }),
    );
  });

  it('is bounded by whichever runs out first, slots or money', () => {
    const estimate = acceptanceEstimate(400, 1_000);
    expect(offerWindow({ freeSlots: 100, fundPlaces: 10, estimate })).toBe(offerWindow({ freeSlots: 10, fundPlaces: 100, estimate }));
    expect(offerWindow({ freeSlots: 0, fundPlaces: 100, estimate })).toBe(0);
  });
});
