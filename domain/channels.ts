/**
 * How a patient is contacted (PRODUCT.md §3.5): a text message to a UK mobile, then email, then a
 * letter, as their details and the service's senders allow. A letter is always possible: it goes to
 * the address on file, or is printed for the trust to post.
 */
import { ukMobileOf } from './phone';

export type PatientChannel = 'sms' | 'email' | 'letter';

export interface PatientContact {
  readonly phone: string | null;
  readonly email: string | null;
}

export interface AvailableSenders {
  /** Text messages can be sent (GOV.UK Notify is configured for them). */
  readonly sms: boolean;
}

/** Every channel, most preferred first. */
const CHANNEL_ORDER: readonly PatientChannel[] = ['sms', 'email', 'letter'];

/** The channels that can reach the patient, most preferred first; the last is always a letter. */
export function patientChannels(contact: PatientContact, senders: AvailableSenders): readonly PatientChannel[] {
  return [
    ...(senders.sms && ukMobileOf(contact.phone) ? (['sms'] as const) : []),
    ...(contact.email ? (['email'] as const) : []),
    'letter',
  ];
}

/**
 * The channel to try when a message by `failed` will never arrive: the first that can reach the
 * patient and comes after it (SMS, then email, then letter). None after a letter: it is the last.
 */
export function fallbackChannel(contact: PatientContact, senders: AvailableSenders, failed: PatientChannel): PatientChannel | undefined {
  return patientChannels(contact, senders).find((channel) => CHANNEL_ORDER.indexOf(channel) > CHANNEL_ORDER.indexOf(failed));
}

/** Whether any channel comes after this one: a message by the last (a letter) has nothing to fall back to. */
export function hasChannelAfter(channel: PatientChannel): boolean {
  return channel !== CHANNEL_ORDER.at(-1);
}
