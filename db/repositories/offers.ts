import { sql } from 'kysely';
import type { Db } from '../database';
import type { Offer } from '../schema';
import { hashToken, newSecretToken } from '../tokens';

/**
 * Issues the link token for the transfer's offer: a new random token whose hash replaces any earlier
 * one, so only the link in the message actually sent works. The token is returned once, never stored.
 */
export async function issueOfferToken(db: Db, transferId: number, expiresAt: Date): Promise<string> {
  const token = newSecretToken('o');
  const tokenHash = hashToken(token);
  const updated = await db
    .updateTable('offers')
    .set({ token_hash: tokenHash, expires_at: expiresAt })
    .where('transfer_id', '=', transferId)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    await db.insertInto('offers').values({ transfer_id: transferId, token_hash: tokenHash, expires_at: expiresAt }).execute();
  }
  return token;
}

/** The offer a patient's link points to, if the token is known and has not expired. */
export async function findLiveOfferByToken(db: Db, token: string): Promise<Offer | undefined> {
  return db
    .selectFrom('offers')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}
