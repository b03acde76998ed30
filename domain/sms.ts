/**
 * How long a text message is, counted as GOV.UK Notify counts it (and bills it): a message of GSM-7
 * characters is one fragment up to 160 characters and 153 a fragment beyond (306 for two, 459 for
 * three); each of ^ { } \ [ ~ ] | € takes two. One character outside GSM-7 (ë, â, an emoji) sends the
 * whole message as UCS-2: 70 characters in one fragment, 67 a fragment beyond. Before counting, Notify
 * puts a few look-alikes into GSM-7 (curly quotes, dashes, non-breaking spaces, an ellipsis) and folds
 * runs of spaces; our words carry none of them, so what we record is what the patient receives.
 *
 * (notifications-utils: sanitise_text.SanitiseSMS and template.BaseSMSTemplate.fragment_count; the
 * pricing page's "Long text messages" and "Signs and symbols".) The service's setting "start all text
 * messages with your service name" must be off: the name would be counted too.
 */

/** GSM 03.38's basic set, as Notify lists it. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38's extension table: each is sent as an escape and the character, two in the count. */
const GSM_EXTENDED = new Set('^{}\\[~]|€');
/** What Notify puts in place of characters GSM-7 lacks, before counting. */
const NOTIFY_REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2011': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2026': '...',
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"',
  '\u180E': '', '\u200B': '', '\u200C': '', '\u2060': '', '\uFEFF': '', '\u2028': '', '\u2029': '',
  '\u00A0': ' ', '\u202F': ' ', '\t': ' ',
};

/** One fragment's room in GSM-7: the most a text message may have to go as one SMS. */
export const SMS_FRAGMENT_CHARACTERS = 160;

export interface SmsLength {
  /** Characters as Notify counts them (an extension character is two in GSM-7). */
  readonly characters: number;
  /** The SMS it is sent as, each one billed. */
  readonly fragments: number;
  readonly encoding: 'gsm-7' | 'ucs-2';
  /** Characters that are not GSM-7 and force UCS-2, in order of first appearance. */
  readonly nonGsm: readonly string[];
  /** Characters Notify replaces before sending (a curly quote, a dash): what arrives is not what we wrote. */
  readonly replaced: readonly string[];
}

/** The length of a text message as Notify counts it, and the fragments it is sent as. */
export function smsLength(text: string): SmsLength {
  const replaced = [...new Set([...text].filter((character) => character in NOTIFY_REPLACEMENTS))];
  const sent = [...text]
    .map((character) => NOTIFY_REPLACEMENTS[character] ?? character)
    .join('')
    .replace(/[ \t]+/g, ' ')
    .trim();
  const characters = [...sent];
  const nonGsm = [...new Set(characters.filter((character) => !GSM_BASIC.has(character) && !GSM_EXTENDED.has(character)))];
  if (nonGsm.length > 0) {
    const count = characters.length;
    return { characters: count, fragments: count <= 70 ? 1 : Math.ceil(count / 67), encoding: 'ucs-2', nonGsm, replaced };
  }
  const count = characters.length + characters.filter((character) => GSM_EXTENDED.has(character)).length;
  return { characters: count, fragments: count <= SMS_FRAGMENT_CHARACTERS ? 1 : Math.ceil(count / 153), encoding: 'gsm-7', nonGsm, replaced };
}

/** A text message that goes as one SMS of GSM-7, exactly as written. */
export function fitsOneSms(text: string): boolean {
  const length = smsLength(text);
  return length.encoding === 'gsm-7' && length.fragments === 1 && length.replaced.length === 0;
}

/**
 * The room every text message leaves for the service's address (PUBLIC_BASE_URL) and the patient
 * line's number (PATIENT_PHONE) together, written without the patient's name (which a text drops when
 * it does not fit). Checked when text messages are configured; emails/templates.tsx is tested to keep it.
 */
export const SMS_ROOM_FOR_ADDRESS_AND_PHONE = 56;
