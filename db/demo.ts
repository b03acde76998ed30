/**
 * A small demo world for the embedded run: two real Midlands trusts (from the ODS etr file), a few
 * patients with test-range NHS numbers, and one staff user per role. Loaded only into an empty database.
 */
import type { Db } from './database';
import { createStaffUser, findStaffUserByName, issueStaffToken, revokeStaffTokens } from './repositories/staff';
import type { StaffRole } from './schema';

const DEMO_PATIENTS = [
  { nhs_number: '9990000018', given_name: 'Amira', family_name: 'Khan', date_of_birth: '1961-03-14', postcode: 'LE2 7LX' },
  { nhs_number: '9990000026', given_name: 'David', family_name: 'Morgan', date_of_birth: '1955-09-02', postcode: 'LE4 5PW' },
  { nhs_number: '9990000034', given_name: 'Grace', family_name: 'Okafor', date_of_birth: '1972-11-23', postcode: 'B15 2TH' },
] as const;

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('trusts').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return row.count === 0;
}

export async function loadDemoWorld(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('regions').values({ code: 'Y60', name: 'Midlands' }).execute();
    await trx.insertInto('treatment_functions').values({ code: '110', name: 'Trauma and Orthopaedic Service', rtt_group: 'C_110' }).execute();
    await trx
      .insertInto('trusts')
      .values([
        { ods_code: 'RWE', name: 'University Hospitals of Leicester NHS Trust', region_code: 'Y60', postcode: 'LE1 5WW' },
        { ods_code: 'RRK', name: 'University Hospitals Birmingham NHS Foundation Trust', region_code: 'Y60', postcode: 'B15 2GW' },
      ])
      .execute();
    for (const [index, patient] of DEMO_PATIENTS.entries()) {
      const { id } = await trx
        .insertInto('patients')
        .values({ ...patient, email: `${patient.given_name.toLowerCase()}.${patient.family_name.toLowerCase()}@example.nhs.test` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('pathways')
        .values({
          patient_id: id,
          pathway_ref: `DEMO-${index + 1}`,
          trust_ods: index < 2 ? 'RWE' : 'RRK',
          treatment_function_code: '110',
          clock_start_date: `2025-0${index + 4}-01`,
          priority: 'routine',
        })
        .execute();
    }
  });
}

const DEMO_STAFF: Record<StaffRole, { name: string; region_code?: string; trust_ods?: string; provider_ods?: string }> = {
  regional: { name: 'Demo regional team (Midlands)', region_code: 'Y60' },
  clinician: { name: 'Demo clinician (Leicester)', trust_ods: 'RWE' },
  provider: { name: 'Demo provider (Spire South Bank)', provider_ods: 'NT301' },
  finance: { name: 'Demo finance (national)' },
  admin: { name: 'Demo administrator' },
};

const DEMO_TOKEN_LABEL = 'embedded run';

/**
 * Makes sure there is one demo user per role and gives each a fresh token, revoking the ones printed
 * by an earlier run (only hashes are kept, so old tokens cannot be shown again).
 */
export async function issueDemoStaffTokens(db: Db): Promise<Record<StaffRole, string>> {
  const tokens = {} as Record<StaffRole, string>;
  for (const [role, user] of Object.entries(DEMO_STAFF) as [StaffRole, (typeof DEMO_STAFF)[StaffRole]][]) {
    const existing = await findStaffUserByName(db, user.name, role);
    const staff = existing ?? (await createStaffUser(db, { role, ...user }));
    await revokeStaffTokens(db, staff.id, DEMO_TOKEN_LABEL);
    tokens[role] = await issueStaffToken(db, staff.id, DEMO_TOKEN_LABEL);
  }
  return tokens;
}
