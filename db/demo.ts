/**
 * The embedded run's demo: one staff user per role, scoped to a real region, trust and provider of
 * the generated world (see generate/world.ts for the world itself).
 */
import type { Db } from './database';
import { createStaffUser, findStaffUserByName, issueStaffToken, revokeStaffTokens } from './repositories/staff';
import type { StaffRole } from './schema';

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('trusts').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return row.count === 0;
}

const DEMO_STAFF: Record<StaffRole, { name: string; region_code?: string; trust_ods?: string; provider_ods?: string }> = {
  regional: { name: 'Demo regional team (Midlands)', region_code: 'Y60' },
  clinician: { name: 'Demo clinician (Leicester)', trust_ods: 'RWE' },
  provider: { name: 'Demo provider (Spire Healthcare)', provider_ods: 'NT3' },
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
