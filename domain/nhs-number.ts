/**
 * NHS numbers: ten digits, the last a Modulus 11 check digit over the first nine (weights 10 to 2).
 * A remainder giving a check digit of 10 means the number was never issued. Ten of one digit
 * (0000000000, 1111111111, …) pass the check by arithmetic alone (their weighted sum is 54 times the
 * digit, and 54 ≡ −1 mod 11), are never issued, and are what systems type for an unknown number: they
 * are refused too.
 */

/** Removes the spaces and dashes people write NHS numbers with ("943 476 5919"). */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The check digit for nine leading digits, or undefined when no valid number starts with them. */
export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^[0-9]{9}$/.test(firstNine) || isPlaceholderNhsNumber(`${firstNine}${firstNine[0]}`)) return undefined;
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(firstNine[index]) * (10 - index);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

export function isValidNhsNumber(value: string): boolean {
  return nhsNumberProblem(value) === undefined;
}

/** Why a (normalised) value is not a valid NHS number, in the words of a problem report; undefined when it is one. */
export function nhsNumberProblem(value: string): string | undefined {
  if (!/^[0-9]{10}$/.test(value)) return 'is not ten digits';
  if (isPlaceholderNhsNumber(value)) return 'is a placeholder (ten of one digit), never an issued NHS number';
  if (nhsCheckDigit(value.slice(0, 9)) !== Number(value[9])) return 'fails the Modulus 11 check digit';
  return undefined;
}

/** Ten of one digit: a placeholder, never an issued number (see above). */
function isPlaceholderNhsNumber(value: string): boolean {
  return value === value[0]!.repeat(10);
}

/**
 * The n-th valid number of the test range (999 000 0000 to 999 999 9999), which is never issued to
 * a real person: synthetic patients use these. Undefined when n's check digit would be 10, or the
 * number the placeholder 9999999999.
 */
export function testRangeNhsNumber(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 999_999) throw new RangeError(`test-range index out of range: ${n}`);
  const firstNine = `999${String(n).padStart(6, '0')}`;
  const check = nhsCheckDigit(firstNine);
  return check === undefined ? undefined : `${firstNine}${check}`;
}
