/**
 * Text the database can store: exactly the strings with no NUL whose UTF-8 form decodes back to
 * them, and what a problem report shows of any other is storable and names each bad character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pluralise, showableText, unstorableText } from '../../domain/text';

/** Any UTF-16 string, biased towards NULs and surrogate halves in every position. */
const anyText = fc.string({ unit: fc.oneof(fc.constantFrom('\0', '\ud800', '\udbff', '\udc00', '\udfff', '😀', 'a'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 12 });

describe('storable text', () => {
  it('is text without a NUL that survives UTF-8', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const survives = Buffer.from(value, 'utf8').toString('utf8') === value;
        expect(unstorableText(value) === undefined).toBe(survives && !value.includes('\0'));
      }),
      { numRuns: 5_000 },
    );
  });

  it('is shown as it is, and anything else with each bad character escaped', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const shown = showableText(value);
        expect(unstorableText(shown)).toBeUndefined();
        if (unstorableText(value) === undefined) expect(shown).toBe(value);
      }),
      { numRuns: 5_000 },
    );
    expect(showableText('a\0b\ud800c\udfff😀')).toBe('a\\u0000b\\ud800c\\udfff😀');
  });
});

describe('a count in words', () => {
  it('is singular for one only, and groups thousands', () => {
    expect(pluralise(1, 'week')).toBe('1 week');
    expect(pluralise(0, 'week')).toBe('0 weeks');
    expect(pluralise(52, 'week')).toBe('52 weeks');
    expect(pluralise(1204, 'candidate was', 'candidates were')).toBe('1,204 candidates were');
  });
});
