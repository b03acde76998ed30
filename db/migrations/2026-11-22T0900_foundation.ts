import { type Kysely, sql } from 'kysely';

/**
 * The foundation: staff access and audit, the dev mailbox, and the first tables of the transfer flow
 * (trusts, patients, pathways, transfers with their timeline, offers and the message outbox).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('trusts')
    .addColumn('ods_code', 'text', (col) => col.primaryKey().check(sql`ods_code ~ '^[A-Z0-9]{3,5}$'`))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('region_code', 'text', (col) => col.references('regions.code'))
    .addColumn('postcode', 'text')
    .execute();

  await db.schema
    .createTable('patients')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('nhs_number', 'text', (col) => col.notNull().unique().check(sql`nhs_number ~ '^[0-9]{10}$'`))
    .addColumn('given_name', 'text', (col) => col.notNull())
    .addColumn('family_name', 'text', (col) => col.notNull())
    .addColumn('date_of_birth', 'date', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('postcode', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('pathways')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('patient_id', 'bigint', (col) => col.notNull().references('patients.id'))
    .addColumn('trust_ods', 'text', (col) => col.notNull().references('trusts.ods_code'))
    .addColumn('treatment_function_code', 'text', (col) => col.notNull())
    .addColumn('clock_start_date', 'date', (col) => col.notNull())
    .addColumn('priority', 'text', (col) => col.notNull().check(sql`priority in ('routine', 'urgent', 'cancer')`))
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('waiting').check(sql`status in ('waiting', 'transferred_out', 'treated', 'closed')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('pathways_patient_idx').on('pathways').column('patient_id').execute();

  await db.schema
    .createTable('transfers')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('pathway_id', 'bigint', (col) => col.notNull().references('pathways.id'))
    .addColumn('workflow_id', 'text', (col) => col.notNull())
    // The run's first execution id: the same across retries, so opening a transfer is idempotent.
    .addColumn('workflow_run_id', 'text', (col) => col.notNull().unique())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('opened_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  // A pathway is in at most one open transfer (PRODUCT.md §4).
  await db.schema
    .createIndex('transfers_one_open_per_pathway')
    .on('transfers')
    .column('pathway_id')
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();
  await db.schema.createIndex('transfers_workflow_id_idx').on('transfers').column('workflow_id').execute();

  await db.schema
    .createTable('transfer_events')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('transfer_events_transfer_idx').on('transfer_events').columns(['transfer_id', 'id']).execute();

  await db.schema
    .createTable('offers')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    .addColumn('token_hash', 'bytea', (col) => col.unique())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('offers_transfer_idx').on('offers').column('transfer_id').execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().references('transfers.id'))
    .addColumn('intent', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull().check(sql`channel in ('email', 'letter')`))
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'unconfirmed')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('smtp_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    // Each message is sent at most once per intent (PRODUCT.md §4).
    .addUniqueConstraint('messages_one_per_intent', ['transfer_id', 'intent'])
    .execute();

  await db.schema
    .createTable('staff_users')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('role', 'text', (col) =>
      col.notNull().check(sql`role in ('regional', 'clinician', 'provider', 'finance', 'admin')`),
    )
    .addColumn('region_code', 'text')
    .addColumn('trust_ods', 'text')
    .addColumn('provider_ods', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    // A role's scope is what it may see: a regional team its region, a clinician their trust, a provider itself.
    .addCheckConstraint('staff_users_scope_fits_role', sql`
      (role <> 'regional' or region_code is not null)
      and (role <> 'clinician' or trust_ods is not null)
      and (role <> 'provider' or provider_ods is not null)`)
    .execute();

  await db.schema
    .createTable('staff_tokens')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('staff_users.id'))
    .addColumn('token_hash', 'bytea', (col) => col.notNull().unique())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();

  await db.schema
    .createTable('dev_mailbox')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('envelope_from', 'text')
    .addColumn('envelope_to', sql`text[]`, (col) => col.notNull())
    .addColumn('message_id', 'text')
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'dev_mailbox',
    'audit_log',
    'staff_tokens',
    'staff_users',
    'messages',
    'offers',
    'transfer_events',
    'transfers',
    'pathways',
    'patients',
    'trusts',
    'regions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
