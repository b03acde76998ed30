/**
 * The database's own checks on patients say what domain/ says: nhs_number_is_valid agrees with
 * isValidNhsNumber on every kind of string, and the ethnic category check takes exactly the NHS codes.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsCheckDigit } from '../../domain/nhs-number';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { referenceDataPath } from '../support/reference-data';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** What the database's function says of each string, in one round trip. */
async function databaseVerdicts(values: readonly string[]): Promise<boolean[]> {
  const { rows } = await sql<{ valid: boolean }>`
    select nhs_number_is_valid(value) as valid from unnest(${values as string[]}::text[]) with ordinality as v(value, position) order by position`.execute(database.db);
  return rows.map((row) => row.valid);
}

const digit = fc.constantFrom(...'0123456789');
const digits = fc.string({ unit: digit, minLength: 9, maxLength: 11 });
/** Valid numbers: nine digits and their check digit, where they have one. */
const valid = fc.string({ unit: digit, minLength: 9, maxLength: 9 }).map((firstNine) => `${firstNine}${nhsCheckDigit(firstNine) ?? 0}`);
const nearlyDigits = fc.string({ unit: fc.constantFrom(...'0123456789 -+.eE٣'), minLength: 8, maxLength: 12 });

describe('nhs_number_is_valid', () => {
  it('agrees with domain/ on published, random, near-miss and malformed numbers', async () => {
    const published = readFileSync(referenceDataPath('nhs-number/testdata_9_valid_nhs_numbers.csv'), 'utf8').match(/\b\d{10}\b/g) ?? [];
    expect(published.length).toBeGreaterThan(5);
    const samples = [
      ...published,
      ...fc.sample(valid, 1_000),
      ...fc.sample(digits, 3_000),
      ...fc.sample(nearlyDigits, 2_000),
      ...fc.sample(fc.string(), 500),
      '0000000000',
      '9999999999',
      '943 476 5919',
      '',
    ];
    const verdicts = await databaseVerdicts(samples);
    const disagreements = samples.filter((value, index) => verdicts[index] !== isValidNhsNumber(value));
    expect(disagreements).toEqual([]);
    // Both answers occur, so agreement is not agreement on one answer only.
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(800);
    expect(verdicts.filter((valid) => !valid).length).toBeGreaterThan(1_000);
  });
});

describe('the ethnic category check', () => {
  it('takes the NHS ethnic category codes and nothing else', async () => {
    const codes = 'ABCDEFGHJKLMNPRSZ'.split('');
    const others = ['I', 'O', 'Q', 'T', 'Y', 'a', 'AB', '', ' A', '1'];
    for (const value of [...codes, ...others]) {
      const inserted = await database.db
        .transaction()
        .execute(async (trx) => {
          await sql`insert into patients (nhs_number, given_name, family_name, date_of_birth, ethnic_category)
                    values ('9434765919', 'Test', 'Patient', '1960-01-01', ${value})`.execute(trx);
          throw new Rollback();
        })
        .then(
          () => true,
          // Rolled back on purpose once written; any other error is the check refusing it.
          (error: unknown) => error instanceof Rollback,
        );
      expect(inserted, `ethnic category ${JSON.stringify(value)}`).toBe(codes.includes(value));
    }
  });
});

class Rollback extends Error {}
