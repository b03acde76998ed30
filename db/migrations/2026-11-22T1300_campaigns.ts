import { type Kysely, sql } from 'kysely';

/**
 * Campaigns (PRODUCT.md §3 steps 2–3 and 11): who launched what, for which region, trusts and
 * treatment functions, paid from which fund, over which period, with which cohort rules, transfer
 * settings and ceiling of offers; what the dry run found at launch; and where the campaign stands.
 * Each transfer a campaign starts names it, so the funnel is a query over transfers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull().check(sql`length(trim(name)) > 0`))
    .addColumn('region_code', 'text', (col) => col.notNull().references('regions.code'))
    .addColumn('fund_id', 'bigint', (col) => col.notNull().references('funds.id'))
    // ODS codes and treatment function codes, checked against the reference data at launch.
    .addColumn('trusts', sql`text[]`, (col) => col.notNull().check(sql`cardinality(trusts) > 0`))
    .addColumn('treatment_functions', sql`text[]`, (col) => col.notNull().check(sql`cardinality(treatment_functions) > 0`))
    .addColumn('period_from', 'date', (col) => col.notNull())
    .addColumn('period_to', 'date', (col) => col.notNull())
    // domain/cohort's CohortRules and the transfer settings the campaign chose (domain/transfer-settings).
    .addColumn('cohort_rules', 'jsonb', (col) => col.notNull())
    .addColumn('transfer_settings', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('max_offers', 'integer', (col) => col.notNull().check(sql`max_offers > 0`))
    // The dry run's figures at launch: eligible, screened out with reasons, expected cost, free slots.
    .addColumn('launch_summary', 'jsonb', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('running').check(sql`status in ('running', 'paused', 'cancelled', 'completed')`),
    )
    .addColumn('launched_by', 'text', (col) => col.notNull())
    .addColumn('launched_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addCheckConstraint('campaigns_period_ordered', sql`period_to >= period_from`)
    .addCheckConstraint('campaigns_closed_when_ended', sql`(status in ('cancelled', 'completed')) = (closed_at is not null)`)
    .execute();
  await db.schema.createIndex('campaigns_region_idx').on('campaigns').columns(['region_code', 'launched_at']).execute();

  await db.schema.alterTable('transfers').addColumn('campaign_id', 'bigint', (col) => col.references('campaigns.id')).execute();
  await db.schema.createIndex('transfers_campaign_idx').on('transfers').columns(['campaign_id', 'state']).where(sql.ref('campaign_id'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('transfers_campaign_idx').execute();
  await db.schema.alterTable('transfers').dropColumn('campaign_id').execute();
  await db.schema.dropTable('campaigns').execute();
}
