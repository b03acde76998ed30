/**
 * Formats of the codes that come in with imports: ODS organisation codes, UK postcodes, OPCS-4
 * procedure codes, treatment function codes and calendar dates. Pure functions, no lookups: whether
 * a well-formed code is also a known one is the importer's question.
 */

/** ODS codes: 3 to 6 capital letters and digits (trusts RWE, new trusts G6V2S, sites RBD01, providers NT3). */
export function isOdsCode(value: string): boolean {
  return /^[A-Z0-9]{3,6}$/.test(value) && /[A-Z]/.test(value);
}

/** Upper case, single space before the inward code: "le1  5ww" → "LE1 5WW". */
export function normalisePostcode(input: string): string {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

// The Royal Mail format (outward code: area letters, district; inward code: sector digit, unit letters).
const POSTCODE = /^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2}$/;

/** A full UK postcode, already normalised. */
export function isPostcode(value: string): boolean {
  return POSTCODE.test(value);
}

/** The outward code (postcode district) of a normalised postcode: "LE1 5WW" → "LE1". */
export function outcodeOf(postcode: string): string {
  return postcode.split(' ')[0] ?? postcode;
}

/** "W371", "w37.1", "W37.1" → "W37.1". */
export function normaliseOpcs4(input: string): string {
  const compact = input.replace(/[\s.]/g, '').toUpperCase();
  return compact.length === 4 ? `${compact.slice(0, 3)}.${compact.slice(3)}` : compact;
}

/** An OPCS-4 four-character code with its dot: a chapter letter, two digits, a dot and a digit. */
export function isOpcs4Code(value: string): boolean {
  return /^[A-Z][0-9]{2}\.[0-9]$/.test(value);
}

/** NHS treatment function codes are three digits ("110" trauma and orthopaedics). */
export function isTreatmentFunctionCode(value: string): boolean {
  return /^[0-9]{3}$/.test(value);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/**
 * A real calendar date written YYYY-MM-DD (no 30 February, and no year 0000: the calendar goes from
 * 1 BC to AD 1, and PostgreSQL refuses it). Called for every date of every import row.
 */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** A month written YYYY-MM, as contracts and activity are counted (no year 0000, as for isIsoDate). */
export function isIsoMonth(value: string): boolean {
  return /^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])$/.test(value);
}

