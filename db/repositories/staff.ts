import type { Db } from '../database';
import type { NewStaffUser, StaffRole, StaffUser } from '../schema';
import { hashToken, newSecretToken } from '../tokens';

export type StaffScope = Pick<StaffUser, 'region_code' | 'trust_ods' | 'provider_ods'>;

export async function createStaffUser(db: Db, user: NewStaffUser): Promise<StaffUser> {
  return db.insertInto('staff_users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function findStaffUserByName(db: Db, name: string, role: StaffRole): Promise<StaffUser | undefined> {
  return db
    .selectFrom('staff_users')
    .selectAll()
    .where('name', '=', name)
    .where('role', '=', role)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Issues a bearer token for the user; the token itself is returned once and never stored. */
export async function issueStaffToken(
  db: Db,
  userId: number,
  label: string,
  expiresAt: Date | null = null,
): Promise<string> {
  const token = newSecretToken('bt');
  await db
    .insertInto('staff_tokens')
    .values({ user_id: userId, token_hash: hashToken(token), label, expires_at: expiresAt })
    .execute();
  return token;
}

export async function revokeStaffTokens(db: Db, userId: number, label: string): Promise<void> {
  await db
    .updateTable('staff_tokens')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('label', '=', label)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The active user a bearer token belongs to, if the token is known, unexpired and unrevoked. */
export async function findStaffUserByToken(db: Db, token: string): Promise<StaffUser | undefined> {
  return db
    .selectFrom('staff_tokens')
    .innerJoin('staff_users', 'staff_users.id', 'staff_tokens.user_id')
    .selectAll('staff_users')
    .where('staff_tokens.token_hash', '=', hashToken(token))
    .where('staff_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('staff_tokens.expires_at', 'is', null), eb('staff_tokens.expires_at', '>', new Date())]))
    .where('staff_users.disabled_at', 'is', null)
    .executeTakeFirst();
}
