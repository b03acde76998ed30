/**
 * A transfer's own records are safe to repeat: an activity retried after its work was done finds it
 * done and adds nothing, or puts back what it wrote the first time.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { saveScreening } from '../../db/repositories/screening';
import { openTransferRow } from '../../db/repositories/transfers';
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
function runOf(pathwayId: number, run = String(pathwayId)) {
  const environment = new MockActivityEnvironment({ workflowExecution: { workflowId: `transfer-${pathwayId}`, runId: `run-${run}` } });
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
    expect((await timeline(first.transferId)).slice(-2)).toEqual(['refused', 'returned_to_list']);
  });

  it("record the pathway's return to its list once, with its original clock start and why, after every close but treatment", async () => {
    const pathway = await database.db.selectFrom('pathways').select(['id', 'clock_start_date']).where('id', '=', 4).executeTakeFirstOrThrow();
    const run = runOf(4);
    const declined = await openTransferRow(database.db, { pathwayId: 4, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'declined-4', runId: 'declined-4' });
    await run(activities.recordTransferState, { transferId: declined.id, state: 'offered', closed: false, detail: { round: 1 } });
    for (let attempt = 0; attempt < 2; attempt++) {
      await run(activities.recordTransferState, { transferId: declined.id, state: 'declined', closed: true, detail: { reason: 'I would rather wait' } });
    }
    const events = await database.db.selectFrom('transfer_events').select(['kind', 'detail']).where('transfer_id', '=', declined.id).orderBy('id').execute();
    expect(events.map((event) => event.kind)).toEqual(['opened', 'offered', 'declined', 'returned_to_list']);
    expect(events.at(-1)!.detail).toEqual({ clockStartDate: pathway.clock_start_date, closedAs: 'declined', reason: 'I would rather wait' });

    const treated = await openTransferRow(database.db, { pathwayId: 4, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'treated-4', runId: 'treated-4' });
    await run(activities.recordTransferState, { transferId: treated.id, state: 'treated', closed: true });
    expect(await timeline(treated.id)).toEqual(['opened', 'treated']);
  });

  it("record why a transfer was screened out, site by site, or that no site could take it", async () => {
    const run = runOf(4);
    const excluded = await openTransferRow(database.db, { pathwayId: 4, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'screened-4', runId: 'screened-4' });
    const exclusions = [{ criterion: 'bmiMax', reason: "has a BMI of 45, over the site's ceiling of 40" }] as const;
    await saveScreening(database.db, excluded.id, [
      { siteOds: 'NT240', passes: false, exclusions: [...exclusions] },
      { siteOds: 'NT350', passes: false, exclusions: [{ criterion: 'excludesDialysis', reason: 'is on dialysis' }] },
    ]);
    await run(activities.recordTransferState, { transferId: excluded.id, state: 'screened_out', closed: true });
    const detailOf = async (transferId: number) =>
      (await database.db.selectFrom('transfer_events').select('detail').where('transfer_id', '=', transferId).where('kind', '=', 'screened_out').executeTakeFirstOrThrow()).detail;
    const sites = await database.db.selectFrom('sites').select(['ods_code', 'name']).where('ods_code', 'in', ['NT240', 'NT350']).orderBy('name').execute();
    const reasons: Record<string, unknown> = { NT240: exclusions, NT350: [{ criterion: 'excludesDialysis', reason: 'is on dialysis' }] };
    expect(await detailOf(excluded.id)).toEqual({ sites: sites.map((site) => ({ siteOds: site.ods_code, siteName: site.name, exclusions: reasons[site.ods_code] })) });

    const nowhere = await openTransferRow(database.db, { pathwayId: 4, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'nowhere-4', runId: 'nowhere-4' });
    await run(activities.recordTransferState, { transferId: nowhere.id, state: 'screened_out', closed: true });
    expect(await detailOf(nowhere.id)).toEqual({ sites: [], reason: 'no IS site has capacity for this treatment in the period' });
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

  it("record a confirmed review and open its first offer in one step, once; a refused one opens nothing", async () => {
    // Pathway 1's first transfer was refused (above): this is its second.
    const run = runOf(1, 'again');
    const { transferId, period } = await run(activities.openTransfer, { pathwayId: 1, fundId: FIXTURE_FUND_ID });
    await run(activities.screenTransfer, { transferId, period });
    const review = { transferId, decision: 'confirm' as const, reviewer: 'clinician', reviewerTrustOds: 'RWE', firstOffer: { fundId: FIXTURE_FUND_ID, period, maxChoices: 5 } };
    const offered = await run(activities.reviewTransfer, review);
    expect(offered?.sites.length).toBeGreaterThan(0);
    expect(await run(activities.reviewTransfer, review)).toEqual(offered);
    expect(await timeline(transferId)).toEqual(['opened', 'review.confirmed', 'offered']);
    const rounds = await database.db.selectFrom('offer_choices').select(['round', 'site_ods']).where('transfer_id', '=', transferId).orderBy('rank').execute();
    expect(rounds).toEqual(offered!.sites.map((site) => ({ round: 1, site_ods: site })));

    const refused = await openTransferRow(database.db, { pathwayId: 3, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'refused-3', runId: 'refused-3' });
    expect(await run(activities.reviewTransfer, { ...review, transferId: refused.id, decision: 'refuse', reason: 'Needs a cardiology opinion first' })).toBeNull();
    expect(await timeline(refused.id)).toEqual(['opened', 'review.refused']);
    expect(await database.db.selectFrom('offer_choices').select('site_ods').where('transfer_id', '=', refused.id).execute()).toEqual([]);
  });
});
