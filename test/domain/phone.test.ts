import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePhone, ukMobileOf } from '../../domain/phone';

/** A UK mobile's ten digits after the 0: 071–075, 077–079 or 07624. */
const mobileDigits = fc.oneof(
  fc.tuple(fc.constantFrom('1', '2', '3', '4', '5', '7', '8', '9'), fc.stringMatching(/^[0-9]{8}$/)).map(([range, rest]) => `7${range}${rest}`),
  fc.stringMatching(/^[0-9]{6}$/).map((rest) => `7624${rest}`),
);
/** A UK landline or service number's digits after the 0 (01, 02, 03, 08, 09; ten digits). */
const landlineDigits = fc.tuple(fc.constantFrom('1', '2', '3', '8', '9'), fc.stringMatching(/^[0-9]{9}$/)).map(([first, rest]) => first + rest);

/** The same national digits as people write them: from 0, +44, 44, 0044 or +44 (0), spaced, bracketed and dashed anyhow. */
function written(national: string) {
  return fc
    .tuple(
      fc.constantFrom('0', '+44', '44', '0044', '+44 (0)', '+44(0)', '(0', '+44 '),
      fc.array(fc.constantFrom(' ', '-', '', '', '', ' ', '\u00A0'), { minLength: national.length, maxLength: national.length }),
    )
    .map(([prefix, separators]) => {
      const digits = [...national].map((digit, index) => `${digit}${separators[index]}`).join('');
      return prefix === '(0' ? `(0${digits.slice(0, 3)})${digits.slice(3)}` : `${prefix}${digits}`;
    });
}

describe('telephone numbers', () => {
  it('reads a UK mobile however it is written as the same E.164 mobile number', () => {
    fc.assert(
      fc.property(
        mobileDigits.chain((national) => fc.tuple(fc.constant(national), written(national))),
        ([national, text]) => {
          expect(parsePhone(text)).toEqual({ e164: `+44${national}`, ukMobile: true });
          expect(ukMobileOf(text)).toBe(`+44${national}`);
        },
      ),
    );
  });

  it('reads a landline as a phone in E.164 but never as a mobile', () => {
    fc.assert(
      fc.property(
        landlineDigits.chain((national) => fc.tuple(fc.constant(national), written(national))),
        ([national, text]) => {
          expect(parsePhone(text)).toEqual({ e164: `+44${national}`, ukMobile: false });
          expect(ukMobileOf(text)).toBeUndefined();
        },
      ),
    );
  });

  it('gives back what it is given in E.164, as it is', () => {
    fc.assert(
      fc.property(fc.oneof(mobileDigits, landlineDigits).chain(written), (text) => {
        const first = parsePhone(text);
        expect(first).toHaveProperty('e164');
        expect(parsePhone((first as { e164: string }).e164)).toEqual(first);
      }),
    );
  });

  it('refuses anything with letters or symbols in it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((text) => /[^\s\u00A0\u200B().+0-9-]/.test(text)), (text) => {
        expect(parsePhone(text)).toEqual({ problem: expect.stringContaining('is not a telephone number') });
      }),
    );
  });

  it.each([
    ['07700 900123', '+447700900123', true],
    ['+44 7700 900123', '+447700900123', true],
    ['447700900123', '+447700900123', true],
    ['+44 (0)7700-900123', '+447700900123', true],
    ['(07700) 900 123', '+447700900123', true],
    ['7700900123', '+447700900123', true], // the 0 a spreadsheet dropped
    ['07624 123456', '+447624123456', true], // Isle of Man mobile
    ['0116 496 0101', '+441164960101', false],
    ['(0116) 496-0101', '+441164960101', false],
    ['+44 (0)116 000-0000', '+441160000000', false],
    ['020 7946 0958', '+442079460958', false],
    ['0808 157 0192', '+448081570192', false],
    ['0800 123 456', '+44800123456', false], // nine digits: an old freephone number
    ['016977 3456', '+44169773456', false], // nine digits: Brampton
    ['070 1234 5678', '+447012345678', false], // personal number: forwards anywhere, not a mobile
    ['07623 123456', '+447623123456', false], // pager
    ['+33 1 23 45 67 89', '+33123456789', false],
    ['0033 6 12 34 56 78', '+33612345678', false], // a French mobile: a phone, but we text UK mobiles only
  ])('reads %s as %s (UK mobile: %s)', (text, e164, ukMobile) => {
    expect(parsePhone(text)).toEqual({ e164, ukMobile });
  });

  it.each([
    ['0770 090 012', 'is not a UK telephone number'], // too short
    ['077009001234', 'is not a UK telephone number'], // too long
    ['0400 123 4567', 'is not a UK telephone number'], // no UK number starts 04
    ['+44 0 0116 496 0101', 'is not a UK telephone number'],
    ['123456', 'is not a telephone number: a UK number starts with 0 or +44'],
    ['+0 123 4567', 'is not a telephone number: an international number'],
    ['+1234', 'is not a telephone number: an international number'],
    ['07700 900123 ext 4', 'is not a telephone number: only digits'],
    ['07700+900123', 'is not a telephone number: only digits'],
  ])('refuses %s', (text, problem) => {
    expect(parsePhone(text)).toEqual({ problem: expect.stringContaining(problem) });
  });

  it('finds no mobile where there is no number', () => {
    expect(ukMobileOf(null)).toBeUndefined();
    expect(ukMobileOf('')).toBeUndefined();
    expect(ukMobileOf('not a number')).toBeUndefined();
  });
});
