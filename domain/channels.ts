/**
 * How a patient is contacted (PRODUCT.md §3.5): a text message to a UK mobile, then email, then a
 * letter, as their details and the service's senders allow; or the one of those the patient chose on
 * their page, while their details still allow it. A letter is always possible: it goes to the address
 * on file, or is printed for the trust to post.
 */
import { ukMobileOf } from './phone';

/** The channels, in the order of preference. */
export const PATIENT_CHANNELS = ['sms', 'email', 'letter'] as const;
export type PatientChannel = (typeof PATIENT_CHANNELS)[number];
/** Each channel in words, for patients and staff alike. */
export const CHANNEL_LABELS: Record<PatientChannel, string> = { sms: 'Text message', email: 'Email', letter: 'Letter' };

export interface PatientContact {
  readonly phone: string | null;
  readonly email: string | null;
  /** The channel the patient chose on their page, if they have. */
  readonly contactChannel?: PatientChannel | null;
}

export interface AvailableSenders {
  /** Text messages can be sent (GOV.UK Notify is configured for them). */
  readonly sms: boolean;
}

/** Every channel, most preferred first. */
const CHANNEL_ORDER: readonly PatientChannel[] = ['sms', 'email', 'letter'];

/**
 * The channels that can reach the patient, the one to use first: the patient's choice when it is among
 * them, then the others most preferred first. A letter is always among them.
 */
export function patientChannels(contact: PatientContact, senders: AvailableSenders): readonly PatientChannel[] {
  const possible: PatientChannel[] = [
    ...(senders.sms && ukMobileOf(contact.phone) ? (['sms'] as const) : []),
    ...(contact.email ? (['email'] as const) : []),
    'letter',
  ];
  const chosen = contact.contactChannel;
  return chosen && possible.includes(chosen) ? [chosen, ...possible.filter((channel) => channel !== chosen)] : possible;
}

/** A mobile number shown without giving it away: "07••• ••• 123". */
export function maskedPhone(phone: string): string {
  const mobile = ukMobileOf(phone);
  const national = mobile ? `0${mobile.slice(3)}` : phone.replace(/\D/g, '');
  return `${national.slice(0, 2)}••• ••• ${national.slice(-3)}`;
}

/** An email address shown without giving it away: its first letter and its domain ("a•••@example.com"). */
export function maskedEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}•••${email.slice(at)}` : '•••';
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
