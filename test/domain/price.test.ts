import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookablePeriod } from '../../domain/offer';
import { priceWithMarketForces } from '../../domain/price';

describe('priceWithMarketForces', () => {
  it('multiplies exactly and rounds half up to the penny', () => {
    expect(priceWithMarketForces(725_100, '1.02347')).toBe(742_118); // £7,251.00 × 1.02347 = £7,421.18097
    expect(priceWithMarketForces(100, '1.005')).toBe(101); // 100.5p rounds up
    expect(priceWithMarketForces(100, '1.00499')).toBe(100);
    expect(priceWithMarketForces(101_300, '1')).toBe(101_300);
  });

  it('agrees with exact decimal arithmetic for any price and factor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 50_000, max: 200_000 }), (pence, scaled) => {
        const factor = (scaled / 100_000).toFixed(5);
        const exact = (BigInt(pence) * BigInt(scaled) * 2n + 100_000n) / 200_000n; // round half up, in integers
        expect(priceWithMarketForces(pence, factor)).toBe(Number(exact));
      }),
    );
  });

  it('refuses what is not a price or a factor', () => {
    expect(() => priceWithMarketForces(0, '1.0')).toThrow(/whole pence above 0/);
    expect(() => priceWithMarketForces(10.5, '1.0')).toThrow(/whole pence/);
    expect(() => priceWithMarketForces(100, '1.000001')).toThrow(/up to 5 places/);
    expect(() => priceWithMarketForces(100, '-1')).toThrow(/decimal/);
  });
});

describe('bookablePeriod', () => {
  it('starts no earlier than tomorrow and keeps the end', () => {
    expect(bookablePeriod({ from: '2026-11-01', to: '2027-03-31' }, '2026-11-22')).toEqual({ from: '2026-11-23', to: '2027-03-31' });
    expect(bookablePeriod({ from: '2026-12-01', to: '2027-03-31' }, '2026-11-22')).toEqual({ from: '2026-12-01', to: '2027-03-31' });
  });
});
