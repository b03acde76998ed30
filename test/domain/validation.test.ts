import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isIsoDate,
  isIsoMonth,
  isOdsCode,
  isOpcs4Code,
  isPostcode,
  isTreatmentFunctionCode,
  normaliseOpcs4,
  normalisePostcode,
  outcodeOf,
} from '../../domain/codes';
import { isValidNhsNumber, nhsCheckDigit, nhsNumberProblem, normaliseNhsNumber, testRangeNhsNumber } from '../../domain/nhs-number';
import { referenceDataPath } from '../support/reference-data';

const nineDigits = fc.stringMatching(/^[0-9]{9}$/);

describe('NHS number (Modulus 11)', () => {
  it('accepts the published test numbers', () => {
    const published = readFileSync(referenceDataPath('nhs-number/testdata_9_valid_nhs_numbers.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .filter(Boolean);
    expect(published).toHaveLength(9);
    for (const number of published) expect(isValidNhsNumber(number), number).toBe(true);
    expect(isValidNhsNumber('9434765919')).toBe(true);
  });

  it('has exactly one valid check digit for nine digits, or none', () => {
    fc.assert(
      fc.property(nineDigits, (firstNine) => {
        const valid = [...'0123456789'].filter((digit) => isValidNhsNumber(firstNine + digit));
        const check = nhsCheckDigit(firstNine);
        expect(valid).toEqual(check === undefined ? [] : [String(check)]);
      }),
    );
  });

  it('catches every single-digit error and every adjacent transposition', () => {
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (firstNine, position, delta) => {
        const check = nhsCheckDigit(firstNine);
        fc.pre(check !== undefined);
        const number = `${firstNine}${check}`;
        const digits = [...number];
        digits[position] = String((Number(digits[position]) + delta) % 10);
        expect(isValidNhsNumber(digits.join(''))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 0, max: 8 }), (firstNine, position) => {
        const check = nhsCheckDigit(firstNine);
        fc.pre(check !== undefined);
        const digits = [...`${firstNine}${check}`];
        fc.pre(digits[position] !== digits[position + 1]);
        [digits[position], digits[position + 1]] = [digits[position + 1]!, digits[position]!];
        expect(isValidNhsNumber(digits.join(''))).toBe(false);
      }),
    );
  });

  it('refuses ten of one digit, which pass Modulus 11 by arithmetic but are placeholders, never issued', () => {
    for (const digit of '0123456789') {
      expect(isValidNhsNumber(digit.repeat(10)), digit.repeat(10)).toBe(false);
      expect(nhsNumberProblem(digit.repeat(10))).toContain('placeholder');
      expect(nhsCheckDigit(digit.repeat(9))).toBeUndefined();
    }
    expect(testRangeNhsNumber(999_999)).toBeUndefined();
    expect(nhsNumberProblem('9434765918')).toBe('fails the Modulus 11 check digit');
    expect(nhsNumberProblem('943476591')).toBe('is not ten digits');
  });

  it('rejects wrong lengths and non-digits, and normalises spacing', () => {
    for (const bad of ['', '943476591', '94347659190', '943476591X', ' 9434765919']) expect(isValidNhsNumber(bad), bad).toBe(false);
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
  });

  it('makes valid test-range numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
        const number = testRangeNhsNumber(n);
        if (number !== undefined) {
          expect(number.startsWith('999')).toBe(true);
          expect(isValidNhsNumber(number)).toBe(true);
        }
      }),
    );
  });
});

describe('code formats', () => {
  it('knows ODS codes', () => {
    for (const good of ['RWE', 'RRK', 'G6V2S', 'NT301', 'NT3', 'RBD01']) expect(isOdsCode(good), good).toBe(true);
    for (const bad of ['', 'rw', 'RWE!', '123', 'ABCDEFG', 'rwe']) expect(isOdsCode(bad), bad).toBe(false);
  });

  it('normalises and checks postcodes', () => {
    expect(normalisePostcode(' le1  5ww')).toBe('LE1 5WW');
    for (const good of ['LE1 5WW', 'B15 2GW', 'SW1A 1AA', 'M1 1AE', 'EC1A 1BB', 'W1A 0AX', 'DN55 1PT']) {
      expect(isPostcode(good), good).toBe(true);
    }
    for (const bad of ['LE1', 'LE15WW', 'QQ1 1AA', 'LE1 5WWW', '12 3AB', 'LE1 CAA']) expect(isPostcode(bad), bad).toBe(false);
    expect(outcodeOf('SW1A 1AA')).toBe('SW1A');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{1,2}[0-9]{1,2} ?[0-9][A-Z]{2}$/), (raw) => {
        const once = normalisePostcode(raw);
        expect(normalisePostcode(once)).toBe(once);
      }),
    );
  });

  it('normalises and checks OPCS-4 and treatment function codes', () => {
    expect(normaliseOpcs4('w371')).toBe('W37.1');
    expect(normaliseOpcs4('C71.2')).toBe('C71.2');
    expect(isOpcs4Code('W37.1')).toBe(true);
    for (const bad of ['W371', 'W37', 'W37.12', '137.1']) expect(isOpcs4Code(bad), bad).toBe(false);
    expect(isTreatmentFunctionCode('110')).toBe(true);
    expect(isTreatmentFunctionCode('C_110')).toBe(false);
  });

  it('accepts only real calendar dates and months', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2026-13-01', '2026-04-31', '26-04-01', '2026-4-1', '01/04/2026', '0000-03-01']) expect(isIsoDate(bad), bad).toBe(false);
    expect(isIsoDate('0001-01-01')).toBe(true);
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (date) => {
        expect(isIsoDate(date.toISOString().slice(0, 10))).toBe(true);
      }),
    );
    expect(isIsoMonth('2026-04')).toBe(true);
    expect(isIsoMonth('2026-13')).toBe(false);
    expect(isIsoMonth('0000-01')).toBe(false);
    expect(isIsoMonth('0001-01')).toBe(true);
  });
});
