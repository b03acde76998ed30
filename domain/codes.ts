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

/** A real calendar date written YYYY-MM-DD (no 30 February). */
export function isIsoDate(value: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A month written YYYY-MM, as contracts and activity are counted. */
export function isIsoMonth(value: string): boolean {
  return /^[0-9]{4}-(0[1-9]|1[0-2])$/.test(value);
}
