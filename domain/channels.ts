/**
 * How a patient is contacted (PRODUCT.md §3.5): a text message to a UK mobile, then email, then a
 * letter, as their details and the service's senders allow. A letter is always possible: it goes to
 * the address on file, or is printed for the trust to post.
 */
import { ukMobileOf } from './phone';

/** The channels, in the order of preference. */
export const PATIENT_CHANNELS = ['sms', 'email', 'letter'] as const;
export type PatientChannel = (typeof PATIENT_CHANNELS)[number];

export interface PatientContact {
  readonly phone: string | null;
  readonly email: string | null;
}

export interface AvailableSenders {
  /** Text messages can be sent (GOV.UK Notify is configured for them). */
  readonly sms: boolean;
}

/** The channels that can reach the patient, most preferred first; the last is always a letter. */
export function patientChannels(contact: PatientContact, senders: AvailableSenders): readonly PatientChannel[] {
  return [
    ...(senders.sms && ukMobileOf(contact.phone) ? (['sms'] as const) : []),
    ...(contact.email ? (['email'] as const) : []),
    'letter',
  ];
}
