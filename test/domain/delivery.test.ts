import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIVERY_STATUSES, type DeliveryRecord, needsFallback, receiptChanges } from '../../domain/delivery';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 12, minute));

describe('delivery receipts', () => {
  it('records the first receipt, and a final status for good', () => {
    expect(receiptChanges(null, { status: 'temporary-failure', at: at(0) })).toBe(true);
    expect(receiptChanges({ status: 'delivered', at: at(0) }, { status: 'permanent-failure', at: at(5) })).toBe(false);
    expect(receiptChanges({ status: 'permanent-failure', at: at(5) }, { status: 'delivered', at: at(0) })).toBe(false);
    expect(receiptChanges({ status: 'temporary-failure', at: at(5) }, { status: 'delivered', at: at(0) })).toBe(true);
    expect(receiptChanges({ status: 'temporary-failure', at: at(5) }, { status: 'technical-failure', at: at(6) })).toBe(true);
    expect(receiptChanges({ status: 'technical-failure', at: at(6) }, { status: 'temporary-failure', at: at(5) })).toBe(false);
  });

  it('changes nothing when a receipt comes again, and never moves a final status, whatever the order receipts come in', () => {
    const receipt = fc.record({ status: fc.constantFrom(...DELIVERY_STATUSES), at: fc.integer({ min: 0, max: 59 }).map(at) });
    fc.assert(
      fc.property(fc.array(receipt, { minLength: 1, maxLength: 6 }), (receipts) => {
        let recorded: DeliveryRecord | null = null;
        for (const each of receipts) {
          const before: DeliveryRecord | null = recorded;
          if (receiptChanges(recorded, each)) recorded = each;
          expect(receiptChanges(recorded, each)).toBe(false);
          if (before && (before.status === 'delivered' || before.status === 'permanent-failure')) expect(recorded).toBe(before);
        }
      }),
    );
  });

  it('falls back after a permanent failure only', () => {
    expect(DELIVERY_STATUSES.filter(needsFallback)).toEqual(['permanent-failure']);
  });
});
