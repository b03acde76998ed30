/**
 * Synthetic bookings in bulk, straight into the database, for the claims benchmark and the ledger's
 * tests: each is a patient with a pathway, a transfer, a slot, the patient's recorded acceptance with
 * both consents (two weeks before the procedure date), and a booking held at the given price.
 * `treatBookings` then takes bookings through what the transfer workflow does after: committed,
 * accepted (a week before the procedure date), treated with an outcome on record.
 * Set-based SQL, so tens of thousands take seconds; the patients are fictional (test-range NHS numbers).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { testRangeNhsNumber } from '../domain/nhs-number';

/** The patient consents two weeks, and the provider accepts one week, before the procedure date. */
const CONSENT_DAYS_BEFORE = 14;
const ACCEPTED_DAYS_BEFORE = 7;

export interface BookingSeed {
  readonly fundId: number;
  readonly count: number;
  readonly trustOds: string;
  readonly siteOds: string;
  readonly treatmentFunctionCode: string;
  readonly procedureCode: string;
  readonly procedureDate: string;
  readonly pricePence: number;
  readonly priceSource: string;
}

/** Makes `count` held bookings; returns their ids in order. */
export async function seedHeldBookings(db: Db, seed: BookingSeed): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    // Past the highest test-range number already on file, so no two patients share one.
    const highest = await sql<{ n: number | null }>`select max(substr(nhs_number, 4, 6)::int) as n from patients where nhs_number like '999%'`.execute(trx);
    const nhsNumbers = fictionalNhsNumbers((highest.rows[0]?.n ?? -1) + 1, seed.count);
    await sql`create temp table seed_bookings (ord int primary key, nhs_number text, patient_id bigint, pathway_id bigint,
                                               transfer_id bigint, slot_id bigint, booking_id bigint) on commit drop`.execute(trx);
    await sql`insert into seed_bookings (ord, nhs_number) select ord, n from unnest(${nhsNumbers}::text[]) with ordinality as u(n, ord)`.execute(trx);
    await sql`
      with made as (
        insert into patients (nhs_number, given_name, family_name, date_of_birth)
        select nhs_number, 'Synthetic', 'Patient ' || ord, date '1961-05-01' from seed_bookings order by ord
        returning id, nhs_number
      )
      update seed_bookings s set patient_id = made.id from made where made.nhs_number = s.nhs_number`.execute(trx);
    await sql`
      with made as (
        insert into pathways (patient_id, trust_ods, treatment_function_code, clock_start_date, priority, status, pathway_ref, planned_procedure_code)
        select patient_id, ${seed.trustOds}, ${seed.treatmentFunctionCode}, date '2025-06-01', 'routine', 'transferred_out',
               'SYN-' || patient_id, ${seed.procedureCode}
        from seed_bookings order by ord
        returning id, patient_id
      )
      update seed_bookings s set pathway_id = made.id from made where made.patient_id = s.patient_id`.execute(trx);
    await sql`
      with made as (
        insert into transfers (pathway_id, workflow_id, workflow_run_id, state, fund_id)
        select pathway_id, 'synthetic-' || pathway_id, 'synthetic-' || gen_random_uuid(), 'booking', ${seed.fundId}
        from seed_bookings order by ord
        returning id, pathway_id
      )
      update seed_bookings s set transfer_id = made.id from made where made.pathway_id = s.pathway_id`.execute(trx);
    await sql`
      with base as (
        select coalesce(max(ordinal), 0) as last from slots
        where site_ods = ${seed.siteOds} and treatment_function_code = ${seed.treatmentFunctionCode}
          and procedure_code = ${seed.procedureCode} and slot_date = ${seed.procedureDate}
      ),
      made as (
        insert into slots (site_ods, treatment_function_code, procedure_code, slot_date, ordinal)
        select ${seed.siteOds}, ${seed.treatmentFunctionCode}, ${seed.procedureCode}, ${seed.procedureDate}, base.last + ord
        from seed_bookings cross join base order by ord
        returning id, ordinal
      )
      update seed_bookings s set slot_id = made.id from made, base where made.ordinal = base.last + s.ord`.execute(trx);
    await sql`
      insert into patient_responses (transfer_id, response_key, kind, channel, wording_version, round, site_ods, slot_id,
                                     consent_transfer_of_care, consent_share_records, responded_at)
      select transfer_id, 'synthetic-' || transfer_id, 'accept', 'web', 'offer-page-v1', 1, ${seed.siteOds}, slot_id, true, true,
             (${seed.procedureDate}::date - ${CONSENT_DAYS_BEFORE}::int)::timestamp at time zone 'UTC'
      from seed_bookings`.execute(trx);
    await sql`
      with made as (
        insert into bookings (transfer_id, slot_id, site_ods, fund_id, procedure_date, price_pence, price_source, status)
        select transfer_id, slot_id, ${seed.siteOds}, ${seed.fundId}, ${seed.procedureDate}, ${seed.pricePence}, ${seed.priceSource}, 'held'
        from seed_bookings order by ord
        returning id, transfer_id
      )
      update seed_bookings s set booking_id = made.id from made where made.transfer_id = s.transfer_id`.execute(trx);
    const rows = await sql<{ booking_id: number }>`select booking_id from seed_bookings order by ord`.execute(trx);
    return rows.rows.map((row) => Number(row.booking_id));
  });
}

/**
 * What happens to held bookings in a transfer that ends treated: the money committed (under the
 * ledger's rules), the provider's acceptance, the procedure done on `treatedOn` with its OPCS-4 code.
 */
export async function treatBookings(db: Db, bookingIds: readonly number[], treated: { procedureCode: string; treatedOn: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ids = [...bookingIds];
    await sql`
      insert into fund_movements (fund_id, booking_id, trust_ods, kind, amount_pence)
      select b.fund_id, b.id, p.trust_ods, 'commitment', b.price_pence
      from bookings b join transfers t on t.id = b.transfer_id join pathways p on p.id = t.pathway_id
      where b.id = any(${ids}::bigint[])
      on conflict (booking_id, kind) do nothing`.execute(trx);
    await sql`
      insert into transfer_events (transfer_id, at, kind, detail)
      select transfer_id, (procedure_date - ${ACCEPTED_DAYS_BEFORE}::int)::timestamp at time zone 'UTC', 'booking.accepted',
             jsonb_build_object('bookingId', id, 'actor', 'synthetic')
      from bookings where id = any(${ids}::bigint[])`.execute(trx);
    await sql`update bookings set status = 'completed', updated_at = now() where id = any(${ids}::bigint[])`.execute(trx);
    await sql`
      update transfers t set state = 'treated', closed_at = now(), updated_at = now()
      from bookings b where b.transfer_id = t.id and b.id = any(${ids}::bigint[])`.execute(trx);
    await sql`
      insert into outcomes (transfer_id, booking_id, outcome, procedure_code, treated_on, recorded_by)
      select transfer_id, id, 'treated', ${treated.procedureCode}, ${treated.treatedOn}, 'synthetic'
      from bookings where id = any(${ids}::bigint[])`.execute(trx);
  });
}

/** `count` distinct valid test-range NHS numbers, from the `from`-th candidate on. */
function fictionalNhsNumbers(from: number, count: number): string[] {
  const numbers: string[] = [];
  for (let n = from; numbers.length < count; n += 1) {
    const number = testRangeNhsNumber(n);
    if (number) numbers.push(number);
  }
  return numbers;
}
