import { type Kysely, sql } from 'kysely';

/**
 * Reference data and the waiting list: IS providers and sites, treatment functions, OPCS-4
 * procedures with their HRG, prices and market forces factors, exclusion criteria, contracts and
 * activity, capacity, geography (postcode districts, IMD by LSOA), the patients' clinical facts, the
 * pathways' planning facts, and a record of every import. What must never be wrong is a constraint.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists btree_gist`.execute(db);

  // NHS numbers carry a Modulus 11 check digit (PRODUCT.md §4): checked here too, not only on the way in.
  await sql`
    create function nhs_number_is_valid(n text) returns boolean language sql immutable parallel safe as $$
      select case when n ~ '^[0-9]{10}$' then
        (11 - ((substr(n, 1, 1)::int * 10 + substr(n, 2, 1)::int * 9 + substr(n, 3, 1)::int * 8
              + substr(n, 4, 1)::int * 7 + substr(n, 5, 1)::int * 6 + substr(n, 6, 1)::int * 5
              + substr(n, 7, 1)::int * 4 + substr(n, 8, 1)::int * 3 + substr(n, 9, 1)::int * 2) % 11)) % 11
          = substr(n, 10, 1)::int
      else false end
    $$`.execute(db);

  await db.schema.alterTable('trusts').addColumn('latitude', 'double precision').addColumn('longitude', 'double precision').execute();

  await db.schema
    .createTable('providers')
    .addColumn('ods_code', 'text', (col) => col.primaryKey().check(sql`ods_code ~ '^[A-Z0-9]{3,6}$'`))
    .addColumn('name', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('sites')
    .addColumn('ods_code', 'text', (col) => col.primaryKey().check(sql`ods_code ~ '^[A-Z0-9]{3,6}$'`))
    .addColumn('provider_ods', 'text', (col) => col.notNull().references('providers.ods_code'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('postcode', 'text')
    .addColumn('latitude', 'double precision', (col) => col.check(sql`latitude between 49 and 61`))
    .addColumn('longitude', 'double precision', (col) => col.check(sql`longitude between -9 and 3`))
    .addCheckConstraint('sites_located_fully', sql`(latitude is null) = (longitude is null)`)
    .execute();
  await db.schema.createIndex('sites_provider_idx').on('sites').column('provider_ods').execute();

  await db.schema
    .createTable('treatment_functions')
    .addColumn('code', 'text', (col) => col.primaryKey().check(sql`code ~ '^[0-9]{3}$'`))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('rtt_group', 'text', (col) => col.check(sql`rtt_group ~ '^(C_[0-9]{3}|X0[0-9])$'`))
    .execute();
  // Pathways from the foundation's demo data name codes the table does not have yet.
  await sql`insert into treatment_functions (code, name)
            select distinct treatment_function_code, 'Treatment function ' || treatment_function_code from pathways`.execute(db);

  await db.schema
    .createTable('hrgs')
    .addColumn('code', 'text', (col) => col.primaryKey().check(sql`code ~ '^[A-Z]{2}[0-9]{2}[A-Z]$'`))
    .addColumn('name', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('procedures')
    .addColumn('code', 'text', (col) => col.primaryKey().check(sql`code ~ '^[A-Z][0-9]{2}\\.[0-9]$'`))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('chapter', 'text', (col) => col.notNull())
    .addColumn('selectable', 'boolean', (col) => col.notNull())
    .addColumn('hrg_code', 'text', (col) => col.references('hrgs.code'))
    .execute();

  await db.schema
    .createTable('prices')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('hrg_code', 'text', (col) => col.notNull().references('hrgs.code'))
    .addColumn('unit_price_pence', 'integer', (col) => col.notNull().check(sql`unit_price_pence > 0`))
    .addColumn('effective_from', 'date', (col) => col.notNull())
    .addColumn('effective_to', 'date')
    .addColumn('source', 'text', (col) => col.notNull())
    .addCheckConstraint('prices_period_ordered', sql`effective_to is null or effective_to > effective_from`)
    .execute();
  // One price per HRG on any day: overlapping periods would make a claim's price ambiguous.
  await sql`alter table prices add constraint prices_no_overlap
            exclude using gist (hrg_code with =, daterange(effective_from, effective_to) with &&)`.execute(db);
  await db.schema.createIndex('prices_hrg_from_idx').on('prices').columns(['hrg_code', 'effective_from']).unique().execute();

  await db.schema
    .createTable('market_forces_factors')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('provider_ods', 'text', (col) => col.notNull().references('providers.ods_code'))
    .addColumn('factor', sql`numeric(7, 5)`, (col) => col.notNull().check(sql`factor between 0.5 and 2`))
    .addColumn('effective_from', 'date', (col) => col.notNull())
    .addColumn('effective_to', 'date')
    .addColumn('source', 'text', (col) => col.notNull())
    .addCheckConstraint('mff_period_ordered', sql`effective_to is null or effective_to > effective_from`)
    .execute();
  await sql`alter table market_forces_factors add constraint mff_no_overlap
            exclude using gist (provider_ods with =, daterange(effective_from, effective_to) with &&)`.execute(db);
  await db.schema
    .createIndex('mff_provider_from_idx')
    .on('market_forces_factors')
    .columns(['provider_ods', 'effective_from'])
    .unique()
    .execute();

  await db.schema
    .createTable('site_exclusion_criteria')
    .addColumn('site_ods', 'text', (col) => col.primaryKey().references('sites.ods_code'))
    // Structured criteria, validated by domain/exclusion-criteria.ts on the way in.
    .addColumn('criteria', 'jsonb', (col) => col.notNull().check(sql`jsonb_typeof(criteria) = 'object'`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  for (const [table, column] of [
    ['contracts', 'contracted_volume'],
    ['activity', 'delivered_volume'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('trust_ods', 'text', (col) => col.notNull().references('trusts.ods_code'))
      .addColumn('treatment_function_code', 'text', (col) => col.notNull().references('treatment_functions.code'))
      .addColumn('month', 'date', (col) => col.notNull().check(sql`extract(day from month) = 1`))
      .addColumn(column, 'integer', (col) => col.notNull().check(sql`${sql.ref(column)} >= 0`))
      .addPrimaryKeyConstraint(`${table}_pk`, ['trust_ods', 'treatment_function_code', 'month'])
      .execute();
  }

  await db.schema
    .createTable('postcode_districts')
    .addColumn('outcode', 'text', (col) => col.primaryKey().check(sql`outcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]?$'`))
    .addColumn('latitude', 'double precision', (col) => col.notNull().check(sql`latitude between 49 and 61`))
    .addColumn('longitude', 'double precision', (col) => col.notNull().check(sql`longitude between -9 and 3`))
    .execute();

  await db.schema
    .createTable('lsoas')
    .addColumn('code', 'text', (col) => col.primaryKey().check(sql`code ~ '^[EW][0-9]{8}$'`))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('local_authority', 'text', (col) => col.notNull())
    .addColumn('imd_rank', 'integer', (col) => col.notNull().check(sql`imd_rank > 0`))
    .addColumn('imd_decile', 'integer', (col) => col.notNull().check(sql`imd_decile between 1 and 10`))
    .execute();

  await db.schema
    .alterTable('patients')
    .addColumn('sex', 'text', (col) => col.notNull().defaultTo('unknown').check(sql`sex in ('female', 'male', 'other', 'unknown')`))
    // NHS Data Dictionary ethnic category codes: A-H, J-N, P, R, S, and Z for not stated.
    .addColumn('ethnic_category', 'text', (col) => col.check(sql`ethnic_category ~ '^[A-HJ-NPRSZ]$'`))
    .addColumn('phone', 'text')
    .addColumn('address_line_1', 'text')
    .addColumn('address_line_2', 'text')
    .addColumn('town', 'text')
    .addColumn('lsoa_code', 'text', (col) => col.references('lsoas.code'))
    // The furthest the patient will travel; null means anywhere.
    .addColumn('travel_max_miles', 'integer', (col) => col.check(sql`travel_max_miles in (25, 50, 100)`))
    .addColumn('bmi', sql`numeric(4, 1)`, (col) => col.check(sql`bmi between 10 and 90`))
    .addColumn('last_heart_attack_on', 'date')
    .addColumn('last_stroke_on', 'date')
    .addColumn('needs_critical_care', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('on_dialysis', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('diabetes', 'text', (col) => col.notNull().defaultTo('none').check(sql`diabetes in ('none', 'controlled', 'uncontrolled')`))
    .addColumn('hypertension', 'text', (col) =>
      col.notNull().defaultTo('none').check(sql`hypertension in ('none', 'controlled', 'uncontrolled')`),
    )
    .addColumn('anticoagulated', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('sickle_cell', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('psychiatric_unstable', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table patients add constraint patients_nhs_number_valid check (nhs_number_is_valid(nhs_number))`.execute(db);
  await sql`alter table patients add constraint patients_email_shape check (email is null or email ~ '^[^@\\s]+@[^@\\s]+$')`.execute(db);
  await sql`alter table patients add constraint patients_born_in_the_past check (date_of_birth <= current_date)`.execute(db);

  await db.schema
    .alterTable('pathways')
    // The trust's own identifier for the pathway (its PPI): re-importing a list updates in place.
    .addColumn('pathway_ref', 'text')
    .addColumn('planned_procedure_code', 'text', (col) => col.references('procedures.code'))
    .addColumn('tertiary', 'boolean', (col) => col.notNull().defaultTo(false))
    // The next appointment or admission already booked at the trust, if any.
    .addColumn('next_appointment_on', 'date')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`update pathways set pathway_ref = 'DEMO-' || id`.execute(db);
  await sql`alter table pathways alter column pathway_ref set not null`.execute(db);
  await db.schema.createIndex('pathways_trust_ref_idx').on('pathways').columns(['trust_ods', 'pathway_ref']).unique().execute();
  await sql`alter table pathways add constraint pathways_treatment_function_fk
            foreign key (treatment_function_code) references treatment_functions (code)`.execute(db);
  await sql`alter table pathways add constraint pathways_clock_started_before_appointment
            check (next_appointment_on is null or next_appointment_on >= clock_start_date)`.execute(db);
  // Cohort selection walks a trust's list longest-waiting first.
  await db.schema
    .createIndex('pathways_cohort_idx')
    .on('pathways')
    .columns(['trust_ods', 'treatment_function_code', 'clock_start_date', 'id'])
    .execute();

  await db.schema
    .createTable('slots')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('site_ods', 'text', (col) => col.notNull().references('sites.ods_code'))
    .addColumn('treatment_function_code', 'text', (col) => col.notNull().references('treatment_functions.code'))
    // A slot for one procedure, or (null) for any procedure of the treatment function.
    .addColumn('procedure_code', 'text', (col) => col.references('procedures.code'))
    .addColumn('slot_date', 'date', (col) => col.notNull())
    // The n-th slot of its kind that day: imports state counts, each slot is a row to book.
    .addColumn('ordinal', 'integer', (col) => col.notNull().check(sql`ordinal > 0`))
    .execute();
  await sql`create unique index slots_identity_idx
            on slots (site_ods, treatment_function_code, coalesce(procedure_code, ''), slot_date, ordinal)`.execute(db);
  await db.schema.createIndex('slots_date_idx').on('slots').columns(['treatment_function_code', 'slot_date']).execute();

  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('source_name', 'text', (col) => col.notNull())
    .addColumn('format', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('applied', 'rejected', 'failed')`))
    .addColumn('rows_read', 'integer', (col) => col.notNull())
    .addColumn('rows_rejected', 'integer', (col) => col.notNull())
    .addColumn('inserted', 'integer', (col) => col.notNull())
    .addColumn('updated', 'integer', (col) => col.notNull())
    .addColumn('unchanged', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('finished_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('problems', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'import_runs',
    'slots',
    'lsoas',
    'postcode_districts',
    'activity',
    'contracts',
    'site_exclusion_criteria',
    'market_forces_factors',
    'prices',
    'procedures',
    'hrgs',
    'sites',
    'providers',
  ]) {
    await db.schema.dropTable(table).cascade().execute();
  }
  await sql`alter table pathways drop constraint pathways_treatment_function_fk,
              drop constraint pathways_clock_started_before_appointment`.execute(db);
  await db.schema.dropIndex('pathways_cohort_idx').execute();
  await db.schema.dropIndex('pathways_trust_ref_idx').execute();
  for (const column of ['pathway_ref', 'planned_procedure_code', 'tertiary', 'next_appointment_on', 'updated_at']) {
    await db.schema.alterTable('pathways').dropColumn(column).execute();
  }
  await sql`alter table patients drop constraint patients_nhs_number_valid, drop constraint patients_email_shape,
              drop constraint patients_born_in_the_past`.execute(db);
  for (const column of [
    'sex', 'ethnic_category', 'phone', 'address_line_1', 'address_line_2', 'town', 'lsoa_code', 'travel_max_miles', 'bmi',
    'last_heart_attack_on', 'last_stroke_on', 'needs_critical_care', 'on_dialysis', 'diabetes', 'hypertension',
    'anticoagulated', 'sickle_cell', 'psychiatric_unstable', 'updated_at',
  ]) {
    await db.schema.alterTable('patients').dropColumn(column).execute();
  }
  await db.schema.alterTable('trusts').dropColumn('latitude').dropColumn('longitude').execute();
  await db.schema.dropTable('treatment_functions').execute();
  await sql`drop function nhs_number_is_valid(text)`.execute(db);
}
