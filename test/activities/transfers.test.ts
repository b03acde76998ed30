/**
 * A transfer's own records are safe to repeat: an activity retried after its work was done finds it
 * done and adds nothing, or puts back what it wrote the first time.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { FIXTURE_FUND_ID, loadFixtureWorld } from '../support/fixture-world';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestMail } from '../support/mail';

let database: TestDatabase;
let mail: Awaited<ReturnType<typeof startTestMail>>;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  mail = await startTestMail(database.db);
  activities = createActivities({ db: database.db, mailer: mail.mailer, publicBaseUrl: 'http://localhost', patientPhone: '0808 157 0192', now: () => new Date() });
});

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
});

/** The activities of one workflow run: each call is a new attempt of the same activity. */
function runOf(pathwayId: number) {
  const environment = new MockActivityEnvironment({ workflowExecution: { workflowId: `transfer-${pathwayId}`, runId: `run-${pathwayId}` } });
  return <I extends unknown[], O>(activity: (...input: I) => Promise<O>, ...input: I): Promise<O> => environment.run(activity, ...input);
}

const timeline = async (transferId: number) =>
  (await database.db.selectFrom('transfer_events').select('kind').where('transfer_id', '=', transferId).orderBy('id').execute()).map((event) => event.kind);

describe('the transfer activities, run again', () => {
  it('open one transfer, state each change once and record one review', async () => {
    const run = runOf(1);
    const first = await run(activities.openTransfer, { pathwayId: 1, fundId: FIXTURE_FUND_ID });
    const again = await run(activities.openTransfer, { pathwayId: 1, fundId: FIXTURE_FUND_ID });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ trustOds: 'RWE' });
    expect(await database.db.selectFrom('transfers').select('id').where('pathway_id', '=', 1).execute()).toHaveLength(1);

    for (let attempt = 0; attempt < 2; attempt++) {
      await run(activities.recordTransferState, { transferId: first.transferId, state: 'awaiting_review', closed: false, detail: { passingSites: 2 } });
      await run(activities.recordReview, { transferId: first.transferId, decision: 'confirm', reviewer: 'clinician', reviewerTrustOds: 'RWE' });
    }
    expect(await timeline(first.transferId)).toEqual(['opened', 'awaiting_review', 'review.confirmed']);
    const transfer = await database.db.selectFrom('transfers').select(['state', 'closed_at']).where('id', '=', first.transferId).executeTakeFirstOrThrow();
    expect(transfer).toEqual({ state: 'awaiting_review', closed_at: null });
    const reviews = await database.db.selectFrom('clinical_reviews').select(['decision', 'reviewer']).where('transfer_id', '=', first.transferId).execute();
    expect(reviews).toEqual([{ decision: 'confirmed', reviewer: 'clinician' }]);

    await run(activities.recordTransferState, { transferId: first.transferId, state: 'refused', closed: true });
    const closed = await database.db.selectFrom('transfers').select(['state', 'closed_at']).where('id', '=', first.transferId).executeTakeFirstOrThrow();
    expect(closed.state).toBe('refused');
    expect(closed.closed_at).toBeInstanceOf(Date);
  });

  it('replace an offer round composed again, never add to it', async () => {
    const run = runOf(2);
    const { transferId, period } = await run(activities.openTransfer, { pathwayId: 2, fundId: FIXTURE_FUND_ID });
    await run(activities.screenTransfer, { transferId, period });
    await run(activities.screenTransfer, { transferId, period });
    const screened = await database.db.selectFrom('screening_results').select(['site_ods', 'passes']).where('transfer_id', '=', transferId).orderBy('site_ods').execute();
    expect(screened.map((result) => result.site_ods)).toEqual(['NT240', 'NT350']);

    const compose = (excludeSites: string[]) =>
      run(activities.composeTransferOffer, { transferId, round: 1, fundId: FIXTURE_FUND_ID, period, excludeSites, maxChoices: 5 });
    const choices = async () =>
      (await database.db.selectFrom('offer_choices').select(['rank', 'site_ods']).where('transfer_id', '=', transferId).orderBy('rank').execute()).map(
        (choice) => `${choice.rank} ${choice.site_ods}`,
      );
    const offered = await compose([]);
    expect(offered.sites.length).toBeGreaterThan(0);
    const first = await choices();
    expect(first).toEqual(offered.sites.map((site, index) => `${index + 1} ${site}`));
    expect(await compose([])).toEqual(offered);
    expect(await choices()).toEqual(first);
    // Composed again from changed data (the nearest site gone): the round holds the new choices only.
    const [nearest, ...others] = offered.sites;
    expect(await compose([nearest!])).toEqual({ sites: others });
    expect(await choices()).toEqual(others.map((site, index) => `${index + 1} ${site}`));
  });
});
