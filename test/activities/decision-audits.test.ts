/**
 * A person's decision is audited by the activity that records it, in the same transaction (PRODUCT.md
 * §6): when the audit cannot be written the decision is not recorded either, and an activity run
 * again after its work was done adds no second audit.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { openTransferRow } from '../../db/repositories/transfers';
import { seedHeldBookings } from '../../generate/bookings';
import { insertCampaign } from '../reports/campaign-transfers';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIRST_SLOT_DAY, FIXTURE_FUND_ID, fixtureHipBookings, loadFixtureWorld } from '../support/fixture-world';
import { startTestMail } from '../support/mail';

let database: TestDatabase;
let mail: Awaited<ReturnType<typeof startTestMail>>;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  mail = await startTestMail(database.db);
  activities = createActivities({ db: database.db, mailer: mail.mailer, publicBaseUrl: 'http://localhost', patientPhone: '0808 157 0192', now: () => new Date() });
  // This database only: an audit of a refused action cannot be written, as if the insert failed.
  await sql`create table refused_audits (action text primary key)`.execute(database.db);
  await sql`create function refuse_audit() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from refused_audits where action = new.action) then raise exception 'audit of % refused', new.action; end if;
      return new;
    end $$`.execute(database.db);
  await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(database.db);
});

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
});

const environment = new MockActivityEnvironment();
const run = <I extends unknown[], O>(activity: (...input: I) => Promise<O>, ...input: I): Promise<O> => environment.run(activity, ...input);

/** Runs `attempt` while the audit of `action` cannot be written: it fails with it. */
async function withAuditRefused(action: string, attempt: () => Promise<unknown>): Promise<void> {
  await database.db.insertInto('refused_audits' as never).values({ action } as never).execute();
  try {
    await expect(attempt()).rejects.toThrow(`audit of ${action} refused`);
  } finally {
    await database.db.deleteFrom('refused_audits' as never).execute();
  }
}

const audits = (subject: string) =>
  database.db.selectFrom('audit_log').select(['actor', 'action', 'detail']).where('subject', '=', subject).orderBy('id').execute();

async function bookingWithStatus(status: 'requested' | 'accepted') {
  const [bookingId] = await seedHeldBookings(database.db, { ...fixtureHipBookings(FIXTURE_FUND_ID, 1), procedureDate: FIRST_SLOT_DAY });
  await database.db.updateTable('bookings').set({ status }).where('id', '=', bookingId!).execute();
  const { transfer_id: transferId } = await database.db.selectFrom('bookings').select('transfer_id').where('id', '=', bookingId!).executeTakeFirstOrThrow();
  return { bookingId: bookingId!, transferId };
}

const bookingStatus = async (bookingId: number) =>
  (await database.db.selectFrom('bookings').select('status').where('id', '=', bookingId).executeTakeFirstOrThrow()).status;

describe('a decision and its audit', () => {
  it("the clinician's review", async () => {
    const transfer = await openTransferRow(database.db, { pathwayId: 2, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'review-2', runId: 'review-2' });
    const review = { transferId: transfer.id, decision: 'refuse' as const, reason: 'Needs a cardiology opinion first', reviewer: 'staff:7', reviewerTrustOds: 'RWE' };

    await withAuditRefused('transfer.review.refuse', () => run(activities.recordReview, review));
    expect(await database.db.selectFrom('clinical_reviews').select('transfer_id').where('transfer_id', '=', transfer.id).execute()).toEqual([]);

    await run(activities.recordReview, review);
    await run(activities.recordReview, review);
    expect(await database.db.selectFrom('clinical_reviews').select('decision').where('transfer_id', '=', transfer.id).execute()).toEqual([{ decision: 'refused' }]);
    expect(await audits(`transfer:${transfer.id}`)).toEqual([
      { actor: 'staff:7', action: 'transfer.review.refuse', detail: { reason: 'Needs a cardiology opinion first' } },
    ]);
  });

  it("the patient's answer, as the patient of the offer they answered, or by its channel when it came without one", async () => {
    const transfer = await openTransferRow(database.db, { pathwayId: 3, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'answer-3', runId: 'answer-3' });
    const answer = {
      transferId: transfer.id,
      responseKey: 'response-1',
      round: 1,
      response: { kind: 'decline' as const, reason: 'I would rather wait', channel: 'web' as const, wordingVersion: 'offer-page-v1', at: new Date().toISOString(), actor: 'patient:offer:41' },
    };
    const responses = () => database.db.selectFrom('patient_responses').select('kind').where('transfer_id', '=', transfer.id).orderBy('id').execute();

    await withAuditRefused('offer.decline', () => run(activities.recordResponse, answer));
    expect(await responses()).toEqual([]);

    await run(activities.recordResponse, answer);
    await run(activities.recordResponse, answer);
    const { actor: _actor, ...withoutActor } = answer.response;
    await run(activities.recordResponse, { transferId: transfer.id, responseKey: 'callback-1-1', round: 1, response: { ...withoutActor, kind: 'callback' } });
    expect(await responses()).toEqual([{ kind: 'decline' }, { kind: 'callback' }]);
    expect(await audits(`transfer:${transfer.id}`)).toEqual([
      { actor: 'patient:offer:41', action: 'offer.decline', detail: {} },
      { actor: 'patient:web', action: 'offer.callback', detail: {} },
    ]);
  });

  it("the provider's acceptance", async () => {
    const { bookingId } = await bookingWithStatus('requested');

    await withAuditRefused('booking.accept', () => run(activities.confirmBooking, { bookingId, actor: 'staff:8' }));
    expect(await bookingStatus(bookingId)).toBe('requested');

    await run(activities.confirmBooking, { bookingId, actor: 'staff:8' });
    await run(activities.confirmBooking, { bookingId, actor: 'staff:8' });
    expect(await bookingStatus(bookingId)).toBe('accepted');
    expect(await audits(`booking:${bookingId}`)).toEqual([{ actor: 'staff:8', action: 'booking.accept', detail: {} }]);
  });

  it("the provider's rejection; a slot let go for any other reason is no person's decision", async () => {
    const { bookingId } = await bookingWithStatus('requested');
    const rejection = { bookingId, status: 'rejected' as const, reason: 'BMI above the site limit', actor: 'staff:8' };

    await withAuditRefused('booking.reject', () => run(activities.releaseSlot, rejection));
    expect(await bookingStatus(bookingId)).toBe('requested');

    await run(activities.releaseSlot, rejection);
    await run(activities.releaseSlot, rejection);
    expect(await bookingStatus(bookingId)).toBe('rejected');
    expect(await audits(`booking:${bookingId}`)).toEqual([{ actor: 'staff:8', action: 'booking.reject', detail: { reason: 'BMI above the site limit' } }]);

    const released = await bookingWithStatus('requested');
    await run(activities.releaseSlot, { bookingId: released.bookingId, status: 'cancelled', reason: 'the patient withdrew' });
    expect(await bookingStatus(released.bookingId)).toBe('cancelled');
    expect(await audits(`booking:${released.bookingId}`)).toEqual([]);
  });

  it("the provider's outcome", async () => {
    const { bookingId, transferId } = await bookingWithStatus('accepted');
    const outcome = { transferId, bookingId, outcome: 'cancelled' as const, reason: 'List cancelled', providerOds: 'NT3', actor: 'staff:8' };

    await withAuditRefused('booking.outcome.cancelled', () => run(activities.recordOutcome, outcome));
    expect(await database.db.selectFrom('outcomes').select('transfer_id').where('transfer_id', '=', transferId).execute()).toEqual([]);
    expect(await bookingStatus(bookingId)).toBe('accepted');

    await run(activities.recordOutcome, outcome);
    await run(activities.recordOutcome, outcome);
    expect(await bookingStatus(bookingId)).toBe('cancelled');
    expect(await audits(`booking:${bookingId}`)).toEqual([
      { actor: 'staff:8', action: 'booking.outcome.cancelled', detail: { outcome: 'cancelled', reason: 'List cancelled' } },
    ]);
  });

  it("a campaign's pause, resume and cancel; its own completion is no person's decision", async () => {
    const campaignId = await insertCampaign(database.db, {
      name: 'Audited controls',
      regionCode: 'Y60',
      fundId: FIXTURE_FUND_ID,
      trusts: ['RWE'],
      treatmentFunctions: ['110'],
      periodFrom: FIRST_SLOT_DAY,
      periodTo: FIRST_SLOT_DAY,
      eligible: 1,
    });
    const status = async () => (await database.db.selectFrom('campaigns').select('status').where('id', '=', campaignId).executeTakeFirstOrThrow()).status;

    await withAuditRefused('campaign.pause', () => run(activities.recordCampaignPhase, { campaignId, phase: 'paused', actor: 'staff:9' }));
    expect(await status()).toBe('running');

    for (const phase of ['paused', 'paused', 'running', 'cancelled', 'cancelled'] as const) await run(activities.recordCampaignPhase, { campaignId, phase, actor: 'staff:9' });
    expect(await status()).toBe('cancelled');
    expect(await audits(`campaign:${campaignId}`)).toEqual([
      { actor: 'staff:9', action: 'campaign.pause', detail: { phase: 'paused' } },
      { actor: 'staff:9', action: 'campaign.resume', detail: { phase: 'running' } },
      { actor: 'staff:9', action: 'campaign.cancel', detail: { phase: 'cancelled' } },
    ]);

    const completing = await insertCampaign(database.db, { name: 'Completing', regionCode: 'Y60', fundId: FIXTURE_FUND_ID, trusts: ['RWE'], treatmentFunctions: ['110'], periodFrom: FIRST_SLOT_DAY, periodTo: FIRST_SLOT_DAY, eligible: 1 });
    await run(activities.recordCampaignPhase, { campaignId: completing, phase: 'completed' });
    expect(await audits(`campaign:${completing}`)).toEqual([]);
  });
});
