import type { Kysely } from 'kysely';

/**
 * pathways_cohort_idx (trust, specialty, clock start) served the cohort's lists per trust and
 * specialty; the cohort reads one list per trust now (pathways_trust_clock_idx) and no other query
 * reads pathways by specialty. At national scale it was 294 MB kept up on every import for nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('pathways_cohort_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('pathways_cohort_idx').on('pathways').columns(['trust_ods', 'treatment_function_code', 'clock_start_date', 'id']).execute();
}
