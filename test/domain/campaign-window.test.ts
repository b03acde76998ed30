/** The campaign's offer window: sized by slots and money over a cautious acceptance rate. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptanceEstimate, offerRoom, offerWindow } from '../../domain/campaign-window';

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

describe('offerRoom', () => {
  it('never lets the offers pass the maximum, and keeps starting while patients remain and offers fall short of it', () => {
    // Each candidate, when its transfer ends: offered (and answered), not offered, or closed without a word.
    const endings = fc.array(fc.constantFrom('offered', 'not_offered', 'failed'), { maxLength: 200 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), endings, fc.array(fc.nat(), { maxLength: 400 }), (maxOffers, cohort, picks) => {
        const tally = { offered: 0, outstanding: 0, failed: 0 };
        const open: (typeof cohort)[number][] = [];
        let next = 0;
        let pick = 0;
        for (;;) {
          const room = offerRoom(maxOffers, tally);
          const start = Math.min(room, cohort.length - next);
          for (let index = 0; index < start; index += 1) open.push(cohort[next++]!);
          tally.outstanding = open.length;
          if (open.length === 0) break;
          // Any open transfer ends next, in any order.
          const [ending] = open.splice((picks[pick++] ?? 0) % open.length, 1);
          tally.outstanding = open.length;
          if (ending === 'offered') tally.offered += 1;
          if (ending === 'failed') tally.failed += 1;
          expect(tally.offered + tally.failed).toBeLessThanOrEqual(maxOffers);
        }
        // It stops only when the cohort is used up or the maximum is reached.
        const mayHaveOffered = cohort.filter((ending) => ending !== 'not_offered').length;
        expect(tally.offered + tally.failed).toBe(Math.min(maxOffers, mayHaveOffered));
      }),
    );
  });

  it('gives back the place of a patient who was not offered', () => {
    expect(offerRoom(40, { offered: 0, outstanding: 40, failed: 0 })).toBe(0);
    expect(offerRoom(40, { offered: 19, outstanding: 0, failed: 0 })).toBe(21);
    expect(offerRoom(40, { offered: 30, outstanding: 5, failed: 5 })).toBe(0);
  });
});
