/** When a treatment can have happened: the rule the workflow refuses an outcome by and the claims run holds a line by. */
import { describe, expect, it } from 'vitest';
import { TREATED_DAYS_AFTER_BOOKED_MAX, treatedOnProblem } from '../../domain/outcome-dates';

// Consented on 2 December, accepted on 5 December, booked for 2 February.
const BOOKING = { consentedOn: '2026-12-02', acceptedOn: '2026-12-05', procedureDate: '2027-02-02' } as const;
const ruleOf = (treatedOn: string) => treatedOnProblem(treatedOn, BOOKING)?.rule;

describe('treatedOnProblem', () => {
  it('takes the booked date and the days up to four weeks after it', () => {
    expect(TREATED_DAYS_AFTER_BOOKED_MAX).toBe(28);
    expect(ruleOf('2027-02-02')).toBeUndefined();
    expect(ruleOf('2027-03-01')).toBeUndefined();
  });

  it('refuses a day before the consent, the acceptance or the booked date, naming the first rule broken', () => {
    expect(ruleOf('2026-11-20')).toBe('treated_before_consent');
    expect(ruleOf('2026-12-03')).toBe('treated_before_acceptance');
    expect(ruleOf('2026-12-02')).toBe('treated_before_acceptance');
    expect(ruleOf('2027-02-01')).toBe('treated_before_procedure_date');
    expect(treatedOnProblem('2026-12-03', BOOKING)?.message).toBe('treated on 3 December 2026, before the provider accepted the booking on 5 December 2026');
  });

  it('refuses a day more than four weeks after the booked date', () => {
    expect(ruleOf('2027-03-03')).toBe('treated_too_long_after_procedure_date');
    expect(treatedOnProblem('2027-03-03', BOOKING)?.message).toBe('treated on 3 March 2027, more than 28 days after the booked procedure date, 2 February 2027');
  });
});
