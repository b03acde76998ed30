/**
 * The windows of a patient's transfer (PRODUCT.md §3.4–3.8). Every one is a campaign setting; these
 * are the defaults. Days are calendar days, measured by Temporal's durable timers.
 */
export interface TransferSettings {
  /** Days a clinician has to confirm or refuse before the trust is sent an escalation. */
  readonly reviewWindowDays: number;
  /** Further days after the escalation before the review lapses and the candidate is not offered. */
  readonly reviewLapseDays: number;
  /** Days the patient has to answer an offer before it lapses (§3.6: 14). */
  readonly responseWindowDays: number;
  /** Days after the offer on which a reminder is sent while there is no answer (§3.6: 3 and 10). */
  readonly reminderDays: readonly number[];
  /** Days the provider has to accept or reject a booking after pre-op assessment. */
  readonly providerAnswerDays: number;
  /** Most choices on one offer (§3.5: five). */
  readonly maxChoices: number;
}

export const DEFAULT_TRANSFER_SETTINGS: TransferSettings = Object.freeze({
  reviewWindowDays: 5,
  reviewLapseDays: 5,
  responseWindowDays: 14,
  reminderDays: Object.freeze([3, 10]),
  providerAnswerDays: 10,
  maxChoices: 5,
});

/** The settings with the defaults filled in; reminders on or after the end of the window are dropped. */
export function transferSettings(overrides: Partial<TransferSettings> = {}): TransferSettings {
  const settings = { ...DEFAULT_TRANSFER_SETTINGS, ...overrides };
  const reminderDays = [...new Set(settings.reminderDays)].filter((day) => day > 0 && day < settings.responseWindowDays).sort((a, b) => a - b);
  return { ...settings, reminderDays };
}
