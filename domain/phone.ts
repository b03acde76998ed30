/**
 * Telephone numbers, read as people write them ("07700 900123", "+44 (0)7700-900123", "447700900123")
 * and kept in one form, E.164 ("+447700900123"), so a number is stored, compared and sent the same way
 * whatever its source wrote.
 *
 * Every UK number is kept in E.164, landlines too: one form for all makes "is this a mobile" a question
 * of the number's digits rather than of how it was typed, and it is the form GOV.UK Notify and every
 * SMS gateway take. A number from another country is a phone (written with its + or 00 and country
 * code) but never a mobile here: text messages go to UK mobiles only.
 *
 * UK numbers follow Ofcom's National Telephone Numbering Plan: after the 0 (or +44), ten digits, or
 * nine for a few area codes and freephone numbers (01xxx, 08xx); none starts with 0, 4 or 6. Mobiles
 * are 071–075 and 077–079 (and 07624, the Isle of Man's); 070 (personal numbers) and 076 (pagers) are
 * not, for they forward to anything or take no text.
 */

export interface Phone {
  /** The number in E.164: + and the country code, no spaces ("+447700900123"). */
  readonly e164: string;
  /** A UK mobile number, which can receive text messages. */
  readonly ukMobile: boolean;
}

/** What people write inside a number: spaces (any kind), brackets, dashes and dots. */
const PUNCTUATION = /[\s\u00A0\u200B().-]/g;
/** A UK number after its 0 or +44: ten digits, or nine in a few 01 and 08 ranges; never starting 0, 4 or 6. */
const UK_NATIONAL = /^(?:[1235789][0-9]{9}|[18][0-9]{8})$/;
const UK_MOBILE = /^7(?:[1-57-9][0-9]{8}|624[0-9]{6})$/;

/** The number in E.164 with whether it is a UK mobile, or why it is not a telephone number (in the words of an import's problem report). */
export function parsePhone(input: string): Phone | { readonly problem: string } {
  const written = input.replace(PUNCTUATION, '');
  if (!/^\+?[0-9]+$/.test(written)) return { problem: 'is not a telephone number: only digits, spaces, brackets, dashes and a leading + may be written' };
  let international: string | undefined;
  let national: string | undefined;
  if (written.startsWith('+')) international = written.slice(1);
  else if (written.startsWith('00')) international = written.slice(2);
  else if (written.startsWith('0')) national = written.slice(1);
  else if (written.startsWith('44') && written.length >= 11) international = written;
  // Ten digits with no 0 in front: a UK number whose leading 0 a spreadsheet dropped (Notify reads them so too).
  else if (written.length === 10) national = written;
  else return { problem: 'is not a telephone number: a UK number starts with 0 or +44, another country’s with + and its country code' };

  if (international !== undefined && !international.startsWith('44')) {
    // E.164 allows 15 digits at most, and no country code starts with 0.
    if (!/^[1-9][0-9]{6,14}$/.test(international)) return { problem: 'is not a telephone number: an international number has 7 to 15 digits after the +' };
    return { e164: `+${international}`, ukMobile: false };
  }
  // "+44 (0)116 …": the 0 written in brackets after the country code is not dialled.
  if (international !== undefined) national = international.slice(2).replace(/^0/, '');
  if (!UK_NATIONAL.test(national!)) return { problem: 'is not a UK telephone number: after the 0 (or +44) come 10 digits, or 9 for some 01 and 08 numbers, the first not 0, 4 or 6' };
  return { e164: `+44${national}`, ukMobile: UK_MOBILE.test(national!) };
}

/** The UK mobile number on file, in E.164, or undefined when there is none (no number, a landline, a number from abroad, or one that is not a number). */
export function ukMobileOf(phone: string | null | undefined): string | undefined {
  if (!phone) return undefined;
  const parsed = parsePhone(phone);
  return 'e164' in parsed && parsed.ukMobile ? parsed.e164 : undefined;
}
