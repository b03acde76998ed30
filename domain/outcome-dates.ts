/**
 * When a treatment can have happened (PRODUCT.md §3 steps 9–10): not before the patient consented,
 * not before the provider accepted the booking, not before the booked procedure date, and not more
 * than TREATED_DAYS_AFTER_BOOKED_MAX days after the booked date. (A day still to come is refused by
 * the outcome's own schema, recordableOutcomeSchema.) The workflow refuses an outcome that breaks it,
 * and the claims run holds a line that breaks it, in these words.
 * Pure: days are 'YYYY-MM-DD' (UTC, as dayOf gives them).
 */
import { addDays, formatDate } from './dates';

/**
 * How long after the booked procedure date a treatment may still be dated: four weeks, room for a
 * provider that rebooks the procedure a little later (a list cancelled on the day, a patient unwell)
 * without letting a date far from the booking, such as a typing slip of a month, be paid.
 */
export const TREATED_DAYS_AFTER_BOOKED_MAX = 28;

/** The dates a booking's treatment is checked against. */
export interface BookingDates {
  /** The day the patient gave both consents (their acceptance of the offer). */
  readonly consentedOn: string;
  /** The day the provider accepted the booking. */
  readonly acceptedOn: string;
  /** The booked procedure date. */
  readonly procedureDate: string;
}

export type TreatedOnRule =
  | 'treated_before_consent'
  | 'treated_before_acceptance'
  | 'treated_before_procedure_date'
  | 'treated_too_long_after_procedure_date';

/** The first rule a treatment date breaks, with its reason in words; undefined when it breaks none. */
export function treatedOnProblem(treatedOn: string, booking: BookingDates): { rule: TreatedOnRule; message: string } | undefined {
  const latest = addDays(booking.procedureDate, TREATED_DAYS_AFTER_BOOKED_MAX);
  if (treatedOn < booking.consentedOn) return { rule: 'treated_before_consent', message: `treated on ${formatDate(treatedOn)}, before the patient consented on ${formatDate(booking.consentedOn)}` };
  if (treatedOn < booking.acceptedOn) {
    return { rule: 'treated_before_acceptance', message: `treated on ${formatDate(treatedOn)}, before the provider accepted the booking on ${formatDate(booking.acceptedOn)}` };
  }
  if (treatedOn < booking.procedureDate) {
    return { rule: 'treated_before_procedure_date', message: `treated on ${formatDate(treatedOn)}, before the booked procedure date, ${formatDate(booking.procedureDate)}` };
  }
  if (treatedOn > latest) {
    return {
      rule: 'treated_too_long_after_procedure_date',
      message: `treated on ${formatDate(treatedOn)}, more than ${TREATED_DAYS_AFTER_BOOKED_MAX} days after the booked procedure date, ${formatDate(booking.procedureDate)}`,
    };
  }
  return undefined;
}
