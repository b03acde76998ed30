import { type Kysely, sql } from 'kysely';

/**
 * The database refuses what domain/nhs-number refuses: ten of one digit (0000000000, …) passes the
 * Modulus 11 check by arithmetic alone and is never issued, so nhs_number_is_valid (behind the
 * patients check) now says no to it too. Existing rows are not re-checked by PostgreSQL; a patient
 * stored with such a number keeps it until it is next changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function nhs_number_is_valid(n text) returns boolean language sql immutable parallel safe as $$
      select case when length(n) = 10 and translate(n, '0123456789', '') = '' and translate(n, left(n, 1), '') <> '' then
        (11 - ((n::bigint / 1000000000) * 10 + (n::bigint / 100000000 % 10) * 9 + (n::bigint / 10000000 % 10) * 8
             + (n::bigint / 1000000 % 10) * 7 + (n::bigint / 100000 % 10) * 6 + (n::bigint / 10000 % 10) * 5
             + (n::bigint / 1000 % 10) * 4 + (n::bigint / 100 % 10) * 3 + (n::bigint / 10 % 10) * 2) % 11) % 11
          = n::bigint % 10
      else false end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function nhs_number_is_valid(n text) returns boolean language sql immutable parallel safe as $$
      select case when length(n) = 10 and translate(n, '0123456789', '') = '' then
        (11 - ((n::bigint / 1000000000) * 10 + (n::bigint / 100000000 % 10) * 9 + (n::bigint / 10000000 % 10) * 8
             + (n::bigint / 1000000 % 10) * 7 + (n::bigint / 100000 % 10) * 6 + (n::bigint / 10000 % 10) * 5
             + (n::bigint / 1000 % 10) * 4 + (n::bigint / 100 % 10) * 3 + (n::bigint / 10 % 10) * 2) % 11) % 11
          = n::bigint % 10
      else false end
    $$`.execute(db);
}
