import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weeksWaited, waitBand } from '../../domain/rtt';
import { assessShortfall, worstFirst } from '../../domain/shortfall';

const volumes = fc.record({ contracted: fc.integer({ min: 0, max: 100_000 }), delivered: fc.integer({ min: 0, max: 120_000 }) });
const tolerance = fc.double({ min: 0, max: 0.5, noNaN: true });

describe('assessShortfall', () => {
  it('matches the hand-worked cases', () => {
    expect(assessShortfall({ contracted: 1000, delivered: 900 })).toEqual({ contracted: 1000, delivered: 900, shortfall: 100, shortfallPercent: 10, missed: true });
    expect(assessShortfall({ contracted: 1000, delivered: 950 }).missed).toBe(false); // exactly 5% short: within tolerance
    expect(assessShortfall({ contracted: 1000, delivered: 949 }).missed).toBe(true);
    expect(assessShortfall({ contracted: 1000, delivered: 1200 })).toMatchObject({ shortfall: 0, shortfallPercent: 0, missed: false });
    expect(assessShortfall({ contracted: 0, delivered: 0 })).toMatchObject({ shortfall: 0, missed: false });
    expect(() => assessShortfall({ contracted: 1, delivered: 0 }, 1)).toThrow(RangeError);
  });

  it('never reports a negative shortfall, and misses exactly when short by more than the tolerance', () => {
    fc.assert(
      fc.property(volumes, tolerance, (input, share) => {
        const result = assessShortfall(input, share);
        expect(result.shortfall).toBeGreaterThanOrEqual(0);
        expect(result.shortfall).toBe(Math.max(0, input.contracted - input.delivered));
        expect(result.missed).toBe(input.contracted > 0 && input.contracted - input.delivered > share * input.contracted);
      }),
    );
  });

  it('misses more as the tolerance tightens', () => {
    fc.assert(
      fc.property(volumes, tolerance, tolerance, (input, a, b) => {
        const [tight, loose] = a < b ? [a, b] : [b, a];
        if (assessShortfall(input, loose).missed) expect(assessShortfall(input, tight).missed).toBe(true);
      }),
    );
  });

  it('sorts worst first by share missed', () => {
    const rows = [
      { contracted: 100, delivered: 90 },
      { contracted: 100, delivered: 50 },
      { contracted: 1000, delivered: 900 },
    ].map((row) => assessShortfall(row));
    expect(rows.sort(worstFirst).map((row) => row.delivered)).toEqual([50, 900, 90]);
  });
});

describe('weeks waited', () => {
  it('counts completed weeks and bands them', () => {
    expect(weeksWaited('2026-01-01', '2026-01-07')).toBe(0);
    expect(weeksWaited('2026-01-01', '2026-01-08')).toBe(1);
    expect(waitBand(17)).toBe('under 18 weeks');
    expect(waitBand(18)).toBe('18 to 51 weeks');
    expect(waitBand(52)).toBe('52 to 64 weeks');
    expect(waitBand(104)).toBe('104 weeks or more');
  });
});
