import { sql } from 'kysely';
import type { Db } from '../database';
import type { Offer } from '../schema';
import { hashToken, newLinkToken } from '../tokens';

/**
 * Issues a link token for one message about the transfer's offer: a new random token, of which only
 * the hash is stored, working until the offer (or booking) the message is about ends. Every message
 * carries its own, so the first email's link still works after a reminder. Returned once, never stored;
 * links issued before were longer (o_ and 43 characters) and work as before.
 */
export async function issueOfferToken(db: Db, transferId: number, expiresAt: Date): Promise<string> {
  const token = newLinkToken();
  await db.insertInto('offers').values({ transfer_id: transferId, token_hash: hashToken(token), expires_at: expiresAt }).execute();
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
