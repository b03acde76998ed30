/**
 * Hot-path checks for imports a million rows long, each giving exactly the answers of its reference
 * in domain/ (property tests in test/imports/fast.test.ts compare them), without the match arrays,
 * substrings and per-digit Numbers the references build for every value.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ZERO = 48;

/** The digit at `index`, or -1 when it is not one of 0–9. */
function digitAt(value: string, index: number): number {
  const digit = value.charCodeAt(index) - ZERO;
  return digit >= 0 && digit <= 9 ? digit : -1;
}

/** As domain/codes isIsoDate: a real calendar date written YYYY-MM-DD. */
export function isIsoDateFast(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  let year = 0;
  for (let index = 0; index < 4; index++) {
    const digit = digitAt(value, index);
    if (digit < 0) return false;
    year = year * 10 + digit;
  }
  const m1 = digitAt(value, 5);
  const m2 = digitAt(value, 6);
  const d1 = digitAt(value, 8);
  const d2 = digitAt(value, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** Whether the value is exactly ten digits 0–9. */
export function isTenDigits(value: string): boolean {
  if (value.length !== 10) return false;
  for (let index = 0; index < 10; index++) if (digitAt(value, index) < 0) return false;
  return true;
}

/**
 * As domain/nhs-number isValidNhsNumber: ten digits, not all the same, whose last is the Modulus 11
 * check digit of the first nine.
 */
export function isValidNhsNumberFast(value: string): boolean {
  if (!isTenDigits(value)) return false;
  let sum = 0;
  let same = true;
  for (let index = 0; index < 9; index++) {
    sum += (value.charCodeAt(index) - ZERO) * (10 - index);
    same &&= value.charCodeAt(index) === value.charCodeAt(index + 1);
  }
  if (same) return false;
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === value.charCodeAt(9) - ZERO;
}

/** As domain/nhs-number normaliseNhsNumber (spaces and dashes removed), without a regex when there are none. */
export function normaliseNhsNumberFast(input: string): string {
  return isTenDigits(input) ? input : input.replace(/[\s-]/g, '');
}

const NEEDS_QUOTES = /[",\n\r]/;

/** One field of PostgreSQL COPY CSV: null is an unquoted empty field, an empty string is "". */
export function csvField(value: string | number | boolean | null): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return copyText(value);
}

/** One text field of PostgreSQL COPY CSV: null is an unquoted empty field, an empty string is "". */
export function copyText(value: string | null): string {
  if (value === null || value === undefined) return '';
  if (value === '' || NEEDS_QUOTES.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}
