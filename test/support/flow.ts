/**
 * The real flow, driven as its users drive it, up to where a test takes over: the regional team starts
 * a transfer through the API, and the workflow opens it, screens it and waits for a clinician.
 */
import { expect } from 'vitest';
import type { Db } from '../../db/database';
import { FIXTURE_FUND_ID } from './fixture-world';

/** Starts the pathway's transfer through the API (as the regional team) and waits for it to await review; its id. */
export async function transferAwaitingReview(db: Db, apiUrl: string, regionalToken: string, pathwayId: number): Promise<number> {
  const started = await fetch(`${apiUrl}/api/v1/transfers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${regionalToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pathwayId, fundId: FIXTURE_FUND_ID }),
  });
  expect(started.status).toBe(202);
  const transfer = () => db.selectFrom('transfers').select(['id', 'state']).where('pathway_id', '=', pathwayId).executeTakeFirst();
  await expect.poll(async () => (await transfer())?.state, { timeout: 30_000 }).toBe('awaiting_review');
  return (await transfer())!.id;
}
