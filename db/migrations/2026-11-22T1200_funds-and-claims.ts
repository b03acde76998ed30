import { type Kysely, sql } from 'kysely';

/**
 * Funds and claims (PRODUCT.md §3 step 10, §4): a fund's scope (trusts with optional allocations of
 * their own, treatment functions), the full ledger (claims, payments, and rejections that hand a
 * rejected claim's money back), claim lines and the monthly claims they are gathered into.
 *
 * The rule that a fund's committed plus claimed money never passes its allocation, nor a trust's
 * share its own allocation, is the database's: a statement trigger on the ledger locks the funds it
 * touched and checks their balances before the statement may finish. Concurrent writers queue on the
 * fund row, and the check runs after the wait, so it sees what the others committed. The code locks
 * and checks first too, to answer "no money left" politely; the trigger is what makes it a rule.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table funds add constraint funds_name_key unique (name)`.execute(db);

  await db.schema
    .createTable('fund_trusts')
    .addColumn('fund_id', 'bigint', (col) => col.notNull().references('funds.id').onDelete('cascade'))
    .addColumn('trust_ods', 'text', (col) => col.notNull().references('trusts.ods_code'))
    // The trust's own ceiling within the fund; none means the fund's allocation is its only limit.
    .addColumn('allocation_pence', 'bigint', (col) => col.check(sql`allocation_pence > 0`))
    .addPrimaryKeyConstraint('fund_trusts_pk', ['fund_id', 'trust_ods'])
    .execute();

  await db.schema
    .createTable('fund_treatment_functions')
    .addColumn('fund_id', 'bigint', (col) => col.notNull().references('funds.id').onDelete('cascade'))
    .addColumn('treatment_function_code', 'text', (col) => col.notNull().references('treatment_functions.code'))
    .addPrimaryKeyConstraint('fund_treatment_functions_pk', ['fund_id', 'treatment_function_code'])
    .execute();

  // Every movement belongs to a booking and its trust: the trust's share is a sum of rows like the fund's.
  await db.schema.alterTable('fund_movements').addColumn('trust_ods', 'text', (col) => col.references('trusts.ods_code')).execute();
  await sql`update fund_movements m set trust_ods = p.trust_ods
            from bookings b join transfers t on t.id = b.transfer_id join pathways p on p.id = t.pathway_id
            where b.id = m.booking_id`.execute(db);
  await sql`alter table fund_movements alter column trust_ods set not null, alter column booking_id set not null`.execute(db);
  await sql`alter table fund_movements drop constraint fund_movements_kind_check`.execute(db);
  await sql`alter table fund_movements add constraint fund_movements_kind_check
            check (kind in ('commitment', 'release', 'claim', 'payment', 'rejection'))`.execute(db);
  // Each kind of movement happens to a booking at most once: committed once, claimed once, paid once.
  await sql`drop index fund_movements_once_per_booking`.execute(db);
  await sql`create unique index fund_movements_once_per_booking on fund_movements (booking_id, kind)`.execute(db);
  await db.schema.createIndex('fund_movements_fund_trust_idx').on('fund_movements').columns(['fund_id', 'trust_ods']).execute();

  // The one definition of what a movement does to a balance: committed = commitments − releases;
  // claimed = claims − rejections; paid is part of claimed. remaining = allocation − committed − claimed.
  await sql`
    create view fund_movement_effects as
    select m.id, m.fund_id, m.trust_ods, m.booking_id, m.at, m.kind,
           case m.kind when 'commitment' then m.amount_pence when 'release' then -m.amount_pence else 0 end as committed_pence,
           case m.kind when 'claim' then m.amount_pence when 'rejection' then -m.amount_pence else 0 end as claimed_pence,
           case m.kind when 'payment' then m.amount_pence else 0 end as paid_pence
    from fund_movements m`.execute(db);
  await sql`
    create view fund_trust_balances as
    select fund_id, trust_ods,
           sum(committed_pence)::bigint as committed_pence,
           sum(claimed_pence)::bigint as claimed_pence,
           sum(paid_pence)::bigint as paid_pence
    from fund_movement_effects
    group by fund_id, trust_ods`.execute(db);
  await sql`
    create view fund_balances as
    select f.id as fund_id, f.allocation_pence,
           coalesce(sum(b.committed_pence), 0)::bigint as committed_pence,
           coalesce(sum(b.claimed_pence), 0)::bigint as claimed_pence,
           coalesce(sum(b.paid_pence), 0)::bigint as paid_pence
    from funds f left join fund_trust_balances b on b.fund_id = f.id
    group by f.id`.execute(db);

  await sql`
    create function assert_funds_within_allocation(fund_ids bigint[]) returns void language plpgsql as $$
    declare
      over record;
    begin
      -- Queue behind every other writer to these funds; the checks below then see their rows.
      perform 1 from funds where id = any(fund_ids) order by id for no key update;
      select fund_id, allocation_pence, committed_pence + claimed_pence as used into over
        from fund_balances
        where fund_id = any(fund_ids) and committed_pence + claimed_pence > allocation_pence
        limit 1;
      if found then
        raise exception 'fund % would be over-committed: % pence committed and claimed against an allocation of % pence',
          over.fund_id, over.used, over.allocation_pence
          using errcode = 'check_violation', constraint = 'fund_within_allocation';
      end if;
      select b.fund_id, b.trust_ods, t.allocation_pence, b.committed_pence + b.claimed_pence as used into over
        from fund_trust_balances b join fund_trusts t on t.fund_id = b.fund_id and t.trust_ods = b.trust_ods
        where b.fund_id = any(fund_ids) and b.committed_pence + b.claimed_pence > t.allocation_pence
        limit 1;
      if found then
        raise exception 'fund % would be over-committed for trust %: % pence committed and claimed against its allocation of % pence',
          over.fund_id, over.trust_ods, over.used, over.allocation_pence
          using errcode = 'check_violation', constraint = 'fund_trust_within_allocation';
      end if;
    end $$`.execute(db);
  await sql`
    create function fund_movements_within_allocation() returns trigger language plpgsql as $$
    begin
      perform assert_funds_within_allocation(array(select distinct fund_id from inserted where kind in ('commitment', 'claim')));
      return null;
    end $$`.execute(db);
  await sql`create trigger fund_movements_within_allocation after insert on fund_movements
            referencing new table as inserted for each statement
            execute function fund_movements_within_allocation()`.execute(db);
  // Lowering an allocation below what is already spoken for is refused the same way.
  await sql`
    create function fund_allocation_changed() returns trigger language plpgsql as $$
    begin
      perform assert_funds_within_allocation(array[new.fund_id]);
      return null;
    end $$`.execute(db);
  await sql`
    create function fund_row_allocation_changed() returns trigger language plpgsql as $$
    begin
      perform assert_funds_within_allocation(array[new.id]);
      return null;
    end $$`.execute(db);
  await sql`create trigger funds_within_allocation after update of allocation_pence on funds
            for each row execute function fund_row_allocation_changed()`.execute(db);
  await sql`create trigger fund_trusts_within_allocation after insert or update of allocation_pence on fund_trusts
            for each row execute function fund_allocation_changed()`.execute(db);

  await db.schema
    .createTable('claims')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('fund_id', 'bigint', (col) => col.notNull().references('funds.id'))
    .addColumn('trust_ods', 'text', (col) => col.notNull().references('trusts.ods_code'))
    .addColumn('month', 'date', (col) => col.notNull().check(sql`extract(day from month) = 1`))
    // Lines that become valid after their month's claim was made go into a further claim for it.
    .addColumn('sequence', 'integer', (col) => col.notNull().check(sql`sequence > 0`))
    .addColumn('line_count', 'integer', (col) => col.notNull().check(sql`line_count > 0`))
    .addColumn('total_pence', 'bigint', (col) => col.notNull().check(sql`total_pence > 0`))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('submitted').check(sql`status in ('submitted', 'approved', 'rejected', 'paid')`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('paid_by', 'text')
    .addColumn('paid_at', 'timestamptz')
    .addUniqueConstraint('claims_one_per_trust_month', ['fund_id', 'trust_ods', 'month', 'sequence'])
    .addCheckConstraint('claims_decided', sql`(status = 'submitted') = (decided_at is null)`)
    .addCheckConstraint('claims_rejection_has_reason', sql`status <> 'rejected' or length(trim(decision_reason)) > 0`)
    .addCheckConstraint('claims_paid_when', sql`(status = 'paid') = (paid_at is not null)`)
    .execute();

  await db.schema
    .createTable('claim_lines')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    // Exactly one line per treated transfer: the unique key makes a second one impossible.
    .addColumn('transfer_id', 'bigint', (col) => col.notNull().unique().references('transfers.id'))
    .addColumn('booking_id', 'bigint', (col) => col.notNull().unique().references('bookings.id'))
    .addColumn('fund_id', 'bigint', (col) => col.notNull().references('funds.id'))
    // Copied from the pathway, booking and outcome (which hold the references), so the line reads alone.
    .addColumn('trust_ods', 'text', (col) => col.notNull())
    .addColumn('treatment_function_code', 'text', (col) => col.notNull())
    .addColumn('site_ods', 'text', (col) => col.notNull())
    .addColumn('procedure_code', 'text')
    .addColumn('hrg_code', 'text')
    .addColumn('treated_on', 'date', (col) => col.notNull())
    // The price agreed at booking, with its source: a later price change rewrites no claim.
    .addColumn('price_pence', 'integer', (col) => col.notNull().check(sql`price_pence > 0`))
    .addColumn('price_source', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('held').check(sql`status in ('held', 'valid', 'rejected')`))
    // Why a held line cannot be claimed yet, in words finance can act on.
    .addColumn('problems', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('claim_id', 'bigint', (col) => col.references('claims.id'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('validated_at', 'timestamptz')
    .addCheckConstraint('claim_lines_valid_has_no_problems', sql`status = 'held' or cardinality(problems) = 0`)
    .addCheckConstraint('claim_lines_claimed_when_valid', sql`claim_id is null or status <> 'held'`)
    .execute();
  await db.schema.createIndex('claim_lines_fund_status_idx').on('claim_lines').columns(['fund_id', 'status', 'treated_on']).execute();
  await db.schema.createIndex('claim_lines_claim_idx').on('claim_lines').column('claim_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claim_lines').execute();
  await db.schema.dropTable('claims').execute();
  await sql`drop trigger fund_trusts_within_allocation on fund_trusts`.execute(db);
  await sql`drop trigger funds_within_allocation on funds`.execute(db);
  await sql`drop trigger fund_movements_within_allocation on fund_movements`.execute(db);
  await sql`drop function fund_row_allocation_changed, fund_allocation_changed, fund_movements_within_allocation, assert_funds_within_allocation`.execute(db);
  await sql`drop view fund_balances`.execute(db);
  await sql`drop view fund_trust_balances`.execute(db);
  await sql`drop view fund_movement_effects`.execute(db);
  await sql`drop index fund_movements_fund_trust_idx`.execute(db);
  await sql`drop index fund_movements_once_per_booking`.execute(db);
  await sql`delete from fund_movements where kind not in ('commitment', 'release')`.execute(db);
  await sql`create unique index fund_movements_once_per_booking on fund_movements (booking_id, kind)
            where kind in ('commitment', 'release')`.execute(db);
  await sql`alter table fund_movements drop constraint fund_movements_kind_check`.execute(db);
  await sql`alter table fund_movements add constraint fund_movements_kind_check
            check (kind in ('commitment', 'release', 'claim', 'payment'))`.execute(db);
  await sql`alter table fund_movements alter column booking_id drop not null`.execute(db);
  await db.schema.alterTable('fund_movements').dropColumn('trust_ods').execute();
  await db.schema.dropTable('fund_treatment_functions').execute();
  await db.schema.dropTable('fund_trusts').execute();
  await sql`alter table funds drop constraint funds_name_key`.execute(db);
}
