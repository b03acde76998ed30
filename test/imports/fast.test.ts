/**
 * The import's own hot-path checks must give exactly the answers of the domain's reference checks,
 * and a pathway's COPY line must be exactly what the generic rendering of its staging values gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoDate } from '../../domain/codes';
import { isValidNhsNumber, normaliseNhsNumber, testRangeNhsNumber } from '../../domain/nhs-number';
import { csvField, isIsoDateFast, isTenDigits, isValidNhsNumberFast, normaliseNhsNumberFast } from '../../imports/fast';
import { pathways } from '../../imports/kinds/pathways';

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** Strings that look like dates, nearly dates, and anything at all. */
const dateLike = fc.oneof(
  fc.tuple(digits(4, 4), digits(2, 2), digits(2, 2)).map(([y, m, d]) => `${y}-${m}-${d}`),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.stringMatching(/^[0-9\-/ :a٣\n]{8,12}$/),
  fc.string({ maxLength: 12 }),
);

describe('the fast date check', () => {
  it('agrees with isIsoDate on every string', () => {
    fc.assert(
      fc.property(dateLike, (value) => {
        expect(isIsoDateFast(value)).toBe(isIsoDate(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on every day of four centuries, leap days included, and on what is around them', () => {
    for (let year = 1897; year <= 2404; year += year < 1905 || year > 2396 || year % 100 === 0 || year % 100 === 96 ? 1 : 7) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(isIsoDateFast(value), value).toBe(isIsoDate(value));
        }
      }
    }
    for (const value of ['', '2024-02-29', '0000-02-29', '0000-01-01', '0001-01-01', '2023-02-29', '2000-02-29', '1900-02-29', '2024-2-29', '2024-02-29\n', ' 2024-02-29', '２０２４-02-29', '2024-02-2a', '2024/02/29'])
      expect(isIsoDateFast(value), value).toBe(isIsoDate(value));
  });
});

describe('the fast NHS number checks', () => {
  const nhsLike = fc.oneof(
    digits(10, 10),
    fc.integer({ min: 0, max: 999_999 }).map((n) => testRangeNhsNumber(n) ?? '9990000000'),
    fc.constantFrom(...'0123456789').map((digit) => digit.repeat(10)),
    digits(0, 12),
    fc.stringMatching(/^[0-9 \-a\t]{0,14}$/),
    fc.string({ maxLength: 14 }),
  );

  it('agree with isValidNhsNumber and normaliseNhsNumber on every string', () => {
    fc.assert(
      fc.property(nhsLike, (value) => {
        expect(isValidNhsNumberFast(value)).toBe(isValidNhsNumber(value));
        expect(isTenDigits(value)).toBe(/^[0-9]{10}$/.test(value));
        expect(normaliseNhsNumberFast(value)).toBe(normaliseNhsNumber(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agree on a run of consecutive numbers, every check digit among them', () => {
    for (let n = 9_434_765_900; n < 9_434_766_400; n++) expect(isValidNhsNumberFast(String(n))).toBe(isValidNhsNumber(String(n)));
  });
});

describe('a pathway row as a COPY line', () => {
  const text = fc.oneof(fc.constant(null), fc.constant(''), fc.string({ maxLength: 8 }), fc.constantFrom('a,b', 'say "hi"', 'two\nlines', 'cr\r', 'O\'Neil'));
  const code = fc.oneof(fc.constant(null), fc.stringMatching(/^[A-Z0-9 .\-/]{1,10}$/));
  const flag = fc.oneof(fc.constant(null), fc.boolean());

  it('is the generic rendering of its staging values', () => {
    const free = new Set(['given_name', 'family_name', 'email', 'phone', 'address_line_1', 'address_line_2', 'town']);
    const arbitraries = Object.fromEntries(
      pathways.staging.map(([column, type]) => [
        column,
        free.has(column) ? text : type === 'boolean' ? flag : type === 'integer' ? fc.oneof(fc.constant(null), fc.constantFrom(25, 50, 100)) : code,
      ]),
    );
    fc.assert(
      fc.property(fc.record(arbitraries), (record) => {
        const row = record as Parameters<typeof pathways.toStaging>[0];
        expect(pathways.toCopyLine!(row)).toBe(pathways.toStaging(row).map(csvField).join(','));
      }),
      { numRuns: 5_000 },
    );
  });
});
