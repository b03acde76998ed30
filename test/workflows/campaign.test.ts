/**
 * The campaign workflow on the Temporal dev server with the real activities, PostgreSQL and SMTP:
 * it starts exactly the right transfers (the cohort's longest waiters, never an ineligible pathway)
 * within the window that free IS capacity allows, widens the window as answers come in, survives a
 * worker restart mid-fan-out without starting a transfer twice, continues as new without losing
 * anything, and obeys pause, resume and cancel.
 */
import { ActivityFailure, WorkflowFailedError } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cohortPage } from '../../db/repositories/cohort';
import { testRangeNhsNumber } from '../../domain/nhs-number';
import { acceptanceEstimate, offerWindow } from '../../domain/campaign-window';
import { DEFAULT_COHORT_RULES } from '../../domain/cohort';
import { addDays, dayOf } from '../../domain/dates';
import { createApp } from '../../api/app';
import { campaignWorkflow } from '../../workflows/campaign';
import { campaignWorkflowId, transferWorkflowId } from '../../workflows/ids';
import {
  campaignProgressQuery,
  cancelCampaignUpdate,
  pauseCampaignUpdate,
  providerDecisionUpdate,
  respondUpdate,
  resumeCampaignUpdate,
  reviewUpdate,
  type CampaignProgress,
} from '../../workflows/messages';
import type { RunningWorker } from '../../temporal/worker';
import { FIRST_SLOT_DAY, FIXTURE_FUND_ID } from '../support/fixture-world';
import { saveHistory } from '../support/histories';
import { expectNoPersonalData, namespaceHistories } from '../support/privacy';
import { startTestServices, type TestServices } from '../support/services';
import { testCodec } from '../support/temporal';
import { eventually } from '../support/eventually';

const COHORT = 300;
const PERIOD = { from: FIRST_SLOT_DAY, to: addDays(FIRST_SLOT_DAY, 60) };

let services: TestServices;
let worker: RunningWorker;

beforeEach(async () => {
  services = await startTestServices();
  worker = await services.startWorker();
  await addCohort();
  // Money for every patient: in these tests the IS slots are what bound the window.
  await services.database.db.updateTable('funds').set({ allocation_pence: 1_000_000_000 }).where('id', '=', FIXTURE_FUND_ID).execute();
});

afterEach(async () => {
  try {
    // Every history the test made, campaign runs and transfers, failed or not, as Temporal stores them.
    if (services) await expectNoPersonalData(await namespaceHistories(services.temporal.rawClient), services.database.db);
  } finally {
    await services?.close();
  }
});


/** COHORT eligible hip pathways at RWE, longest waiting first by id, and four that must never be offered. */
async function addCohort(): Promise<void> {
  const db = services.database.db;
  const people = Array.from({ length: COHORT + 4 }, (_, index) => index);
  const patients = await db
    .insertInto('patients')
    .values(
      people.map((index) => ({
        nhs_number: testRangeNhsNumber(index * 11 + 1000) ?? testRangeNhsNumber(index * 11 + 1001)!,
        given_name: 'Cohort',
        family_name: `Patient ${index}`,
        date_of_birth: index === COHORT + 2 ? dayOf(new Date(Date.now() - 16 * 365 * 86_400_000)) : '1960-01-01',
        email: `cohort.${index}@example.nhs.test`,
        postcode: 'LE2 7LX',
        travel_max_miles: 50,
        bmi: '27.0',
      })),
    )
    .returning('id')
    .execute();
  await db
    .insertInto('pathways')
    .values(
      patients.map(({ id }, index) => ({
        patient_id: id,
        trust_ods: 'RWE',
        pathway_ref: `COH-${index}`,
        treatment_function_code: '110',
        planned_procedure_code: 'W37.1',
        clock_start_date: addDays('2024-06-01', index),
        // The last four: urgent, a tertiary referral, a child, and one who has waited only a week.
        priority: index === COHORT ? ('urgent' as const) : ('routine' as const),
        tertiary: index === COHORT + 1,
        ...(index === COHORT + 3 ? { clock_start_date: addDays(dayOf(new Date()), -7) } : {}),
      })),
    )
    .execute();
}

/** Free slots for hips in the period: `count` more at Spire Leicester. */
async function addSlots(count: number): Promise<void> {
  await services.database.db
    .insertInto('slots')
    .values(Array.from({ length: count }, (_, index) => ({ site_ods: 'NT350', treatment_function_code: '110', procedure_code: 'W37.1', slot_date: addDays(FIRST_SLOT_DAY, 1 + (index % 50)), ordinal: 10 + index })))
    .execute();
}

async function freeSlots(): Promise<number> {
  const rows = await services.database.db.selectFrom('slots').select((eb) => eb.fn.countAll<number>().as('n')).where('treatment_function_code', '=', '110').executeTakeFirstOrThrow();
  return Number(rows.n);
}

/** Each campaign's first run, whose history ends where it continued as new. */
const firstRuns = new Map<number, string>();

async function launch(options: { maxOffers: number; startsPerRun?: number; recheckMs?: number }): Promise<number> {
  const { id } = await services.database.db
    .insertInto('campaigns')
    .values({
      name: 'Leicester hips',
      region_code: 'Y60',
      fund_id: FIXTURE_FUND_ID,
      trusts: ['RWE'],
      treatment_functions: ['110'],
      period_from: PERIOD.from,
      period_to: PERIOD.to,
      cohort_rules: JSON.stringify(DEFAULT_COHORT_RULES),
      max_offers: options.maxOffers,
      launch_summary: JSON.stringify({}),
      launched_by: 'test',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const handle = await services.temporal.client.workflow.start(campaignWorkflow, {
    workflowId: campaignWorkflowId(id),
    taskQueue: services.temporal.taskQueue,
    args: [{ campaignId: id, ...(options.startsPerRun ? { startsPerRun: options.startsPerRun } : {}), ...(options.recheckMs ? { recheckMs: options.recheckMs } : {}) }],
  });
  firstRuns.set(id, handle.firstExecutionRunId);
  return id;
}

function progressOf(campaignId: number): Promise<CampaignProgress> {
  return services.temporal.client.workflow.getHandle(campaignWorkflowId(campaignId)).query(campaignProgressQuery);
}


/** The campaign's transfers: pathway and state, in pathway order. */
async function transfersOf(campaignId: number) {
  return services.database.db
    .selectFrom('transfers')
    .select(['pathway_id', 'state'])
    .where('campaign_id', '=', campaignId)
    .orderBy('pathway_id')
    .execute();
}

/** Settles once every started transfer is waiting for its review, and none is missing. */
async function allAwaitingReview(campaignId: number, count: number) {
  return eventually(
    () => transfersOf(campaignId),
    (rows) => rows.length === count && rows.every((row) => row.state === 'awaiting_review'),
    `${count} transfers awaiting review`,
  );
}

/** The cohort by the campaign's rules, longest waiting first, read before the campaign starts anyone. */
async function cohortOrder(): Promise<number[]> {
  const rows = await cohortPage(services.database.db, { trusts: ['RWE'], treatmentFunctions: ['110'], rules: DEFAULT_COHORT_RULES, asOf: dayOf(new Date()), limit: 1_000 });
  return rows.map((row) => row.pathwayId);
}

/** The first `count` of the cohort, in pathway order: exactly whom the campaign should have started. */
const firstOf = (order: readonly number[], count: number) => order.slice(0, count).sort((a, b) => a - b);

const handleOf = (pathwayId: number) => services.temporal.client.workflow.getHandle(transferWorkflowId(pathwayId));
const answer = { channel: 'web' as const, wordingVersion: 'test', at: new Date().toISOString() };

async function confirmAndDecline(pathwayIds: readonly number[]): Promise<void> {
  for (const pathwayId of pathwayIds) {
    await handleOf(pathwayId).executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', reviewer: 'test', reviewerTrustOds: 'RWE' }] });
  }
  for (const pathwayId of pathwayIds) {
    await eventually(() => handleOf(pathwayId).query('transferStatus') as Promise<{ state: string }>, (status) => status.state === 'offered', `pathway ${pathwayId} offered`);
    await handleOf(pathwayId).executeUpdate(respondUpdate, { args: [{ ...answer, kind: 'decline' }] });
  }
}

describe('campaignWorkflow', { timeout: 180_000 }, () => {
  it('starts the cohort’s longest waiters within the window free capacity allows, and widens it as answers come', async () => {
    await addSlots(17);
    const slots = await freeSlots();
    const window = offerWindow({ freeSlots: slots, fundPlaces: Number.MAX_SAFE_INTEGER, estimate: acceptanceEstimate(0, 0) });
    expect(window).toBeLessThan(COHORT);
    const order = await cohortOrder();
    expect(order).toHaveLength(COHORT + 3);
    const campaignId = await launch({ maxOffers: 100 });

    await allAwaitingReview(campaignId, window);
    const started = (await transfersOf(campaignId)).map((row) => row.pathway_id);
    expect(started).toEqual(firstOf(order, window));
    expect(await progressOf(campaignId)).toMatchObject({ phase: 'running', started: window, outstanding: window, window });

    // Ten patients decline: the campaign learns the rate is lower and offers to more.
    await confirmAndDecline(started.slice(0, 10));
    const wider = offerWindow({ freeSlots: slots, fundPlaces: Number.MAX_SAFE_INTEGER, estimate: acceptanceEstimate(0, 10) });
    const progress = await eventually(() => progressOf(campaignId), (now) => now.declined === 10 && now.started === Math.min(100, 10 + wider), 'the wider window');
    expect(progress).toMatchObject({ window: wider, outstanding: progress.started - 10 });
    const rows = await eventually(() => transfersOf(campaignId), (now) => now.length === progress.started, 'every started transfer opened');
    expect(rows.map((row) => row.pathway_id)).toEqual(firstOf(order, progress.started));
    // The ineligible four are never started.
    const ineligible = await services.database.db.selectFrom('pathways').select('id').where('pathway_ref', 'in', [`COH-${COHORT}`, `COH-${COHORT + 1}`, `COH-${COHORT + 2}`, `COH-${COHORT + 3}`]).execute();
    expect(rows.filter((row) => ineligible.some((pathway) => pathway.id === row.pathway_id))).toEqual([]);
  });

  it('survives a worker restart mid-fan-out without starting any transfer twice, and continues as new without losing any', async () => {
    await addSlots(200);
    const order = await cohortOrder();
    const campaignId = await launch({ maxOffers: 200, startsPerRun: 50 });
    await eventually(() => transfersOf(campaignId), (rows) => rows.length > 0, 'the first transfers');
    await worker.stop();
    worker = await services.startWorker();

    await allAwaitingReview(campaignId, 200);
    const progress = await progressOf(campaignId);
    // Every one of them may still offer: the ceiling of 200 offers is taken, though patients remain.
    expect(progress).toMatchObject({ started: 200, outstanding: 200, cohortExhausted: false, limitReached: true });
    expect(progress.run).toBeGreaterThanOrEqual(4);
    const rows = await transfersOf(campaignId);
    expect(new Set(rows.map((row) => row.pathway_id)).size).toBe(200);
    expect(rows.map((row) => row.pathway_id)).toEqual(firstOf(order, 200));
    await eventually(() => services.temporal.client.workflow.count(`CampaignId = "${campaignId}"`), (found) => found.count === 200, 'one workflow per transfer in the visibility store');
    // Reports reach the campaign's latest run.
    await confirmAndDecline(rows.slice(0, 2).map((row) => row.pathway_id));
    await eventually(() => progressOf(campaignId), (now) => now.declined === 2 && now.outstanding === 198, 'the reports in the latest run');
  });

  it('counts offers against its maximum, not transfers started: one refused gives its place back, and it stops at the maximum', async () => {
    await addSlots(200);
    const order = await cohortOrder();
    const campaignId = await launch({ maxOffers: 10, startsPerRun: 6 });
    const handle = services.temporal.client.workflow.getHandle(campaignWorkflowId(campaignId));
    await allAwaitingReview(campaignId, 10);
    expect(await progressOf(campaignId)).toMatchObject({ started: 10, outstanding: 10, limitReached: true, cohortExhausted: false });

    // The clinician refuses four: no offer, so four more patients are started in their place.
    const first = (await transfersOf(campaignId)).map((row) => row.pathway_id);
    for (const pathwayId of first.slice(0, 4)) {
      await handleOf(pathwayId).executeUpdate(reviewUpdate, { args: [{ decision: 'refuse', reason: 'not suitable', reviewer: 'test', reviewerTrustOds: 'RWE' }] });
    }
    const rows = await eventually(() => transfersOf(campaignId), (now) => now.length === 14 && now.filter((row) => row.state === 'awaiting_review').length === 10, 'four more started');
    expect(rows.map((row) => row.pathway_id)).toEqual(firstOf(order, 14));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await progressOf(campaignId)).toMatchObject({ started: 14, outstanding: 10, notOffered: 4, limitReached: true });

    // Every other one is offered and declines: ten offers, the maximum, and the campaign is done.
    await confirmAndDecline(rows.map((row) => row.pathway_id).filter((pathwayId) => !first.slice(0, 4).includes(pathwayId)));
    const final = await handle.result();
    expect(final).toMatchObject({ phase: 'completed', started: 14, declined: 10, notOffered: 4, outstanding: 0, limitReached: true, cohortExhausted: false });
    expect((await transfersOf(campaignId)).length).toBe(14);
    const offers = await services.database.db.selectFrom('messages').select('transfer_id').where('kind', '=', 'offer').execute();
    expect(new Set(offers.map((offer) => offer.transfer_id)).size).toBe(10);
    await saveHistory('campaign-limit-reached', handle, testCodec);
    await saveHistory('campaign-continued-as-new', services.temporal.client.workflow.getHandle(campaignWorkflowId(campaignId), firstRuns.get(campaignId)), testCodec);

    // The API and the dashboard say so.
    const app = createApp(services.appDeps());
    const headers = { authorization: `Bearer ${services.tokens.admin}` };
    const detail = (await (await app.request(`/api/v1/campaigns/${campaignId}`, { headers })).json()) as { progress: CampaignProgress };
    expect(detail.progress).toMatchObject({ phase: 'completed', limitReached: true, declined: 10 });
    const page = await (await app.request(`/staff/campaigns/${campaignId}`, { headers })).text();
    expect(page).toContain('The campaign stopped because it reached its maximum of 10 offers.');
  });

  it('stops waiting on a transfer that closes without reporting, and counts one that reports and ends once', async () => {
    await addSlots(200);
    const campaignId = await launch({ maxOffers: 3 });
    const handle = services.temporal.client.workflow.getHandle(campaignWorkflowId(campaignId));
    await allAwaitingReview(campaignId, 3);
    const [declined, terminated, failed] = (await transfersOf(campaignId)).map((row) => row.pathway_id) as [number, number, number];

    // One reports (declined) and then completes: counted once, as declined.
    await confirmAndDecline([declined]);
    await eventually(() => handleOf(declined).describe(), (now) => now.status.name === 'COMPLETED', 'the declined transfer closed');
    await eventually(() => progressOf(campaignId), (now) => now.declined === 1 && now.outstanding === 2, 'the decline counted');
    // Two close with no word: terminated, so no code of theirs runs.
    await handleOf(terminated).terminate('test: an operator ends it');
    await handleOf(failed).terminate('test: another');
    const final = await handle.result();
    expect(final).toMatchObject({ phase: 'completed', started: 3, declined: 1, failed: 2, outstanding: 0, limitReached: true });
    await saveHistory('campaign-transfers-closed-unreported', handle, testCodec);
  });

  it('lets go of an earlier run’s transfers that closed without reporting, after a quiet spell, and completes', async () => {
    await addSlots(200);
    // One start a run: each of the three is started by a run of its own, and the last run hears of none closing.
    const campaignId = await launch({ maxOffers: 3, startsPerRun: 1, recheckMs: 2_000 });
    const handle = services.temporal.client.workflow.getHandle(campaignWorkflowId(campaignId));
    await allAwaitingReview(campaignId, 3);
    expect(await eventually(() => progressOf(campaignId), (now) => now.run >= 4, 'the fourth run')).toMatchObject({ started: 3, outstanding: 3, limitReached: true });
    for (const { pathway_id } of await transfersOf(campaignId)) await handleOf(pathway_id).terminate('test: ended by an operator');
    const final = await handle.result();
    expect(final).toMatchObject({ phase: 'completed', started: 3, failed: 3, outstanding: 0, limitReached: true });
    await saveHistory('campaign-carried-transfers-closed', handle, testCodec);
  });

  it('pauses (no new transfers), resumes, and on cancel withdraws open offers but lets booked transfers go on', async () => {
    await addSlots(12);
    const campaignId = await launch({ maxOffers: 100 });
    const handle = services.temporal.client.workflow.getHandle(campaignWorkflowId(campaignId));
    const first = (await eventually(() => progressOf(campaignId), (now) => now.started > 0 && now.started === now.window, 'the first window')).started;
    await allAwaitingReview(campaignId, first);

    expect((await handle.executeUpdate(pauseCampaignUpdate, { args: [{ actor: 'test' }] })).phase).toBe('paused');
    await expect(handle.executeUpdate(pauseCampaignUpdate, { args: [{ actor: 'test' }] })).rejects.toMatchObject({
      cause: { message: 'the campaign is paused: only a running campaign can be paused' },
    });
    const started = (await transfersOf(campaignId)).map((row) => row.pathway_id);
    await confirmAndDecline(started.slice(0, 5));
    await eventually(() => progressOf(campaignId), (now) => now.declined === 5, 'the declines counted');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await transfersOf(campaignId)).length).toBe(first);
    expect((await services.database.db.selectFrom('campaigns').select('status').where('id', '=', campaignId).executeTakeFirstOrThrow()).status).toBe('paused');

    await handle.executeUpdate(resumeCampaignUpdate, { args: [{ actor: 'test' }] });
    await eventually(() => transfersOf(campaignId), (rows) => rows.length > first, 'new transfers after resuming');

    // One patient accepts and the provider confirms: booked. Another is offered and has not answered.
    const [booked, offered] = started.slice(5, 7) as [number, number];
    for (const pathwayId of [booked, offered]) {
      await handleOf(pathwayId).executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', reviewer: 'test', reviewerTrustOds: 'RWE' }] });
    }
    const status = await eventually(() => handleOf(booked).query('transferStatus') as Promise<{ state: string; choices: string[] }>, (now) => now.state === 'offered', 'the offer');
    const slot = await services.database.db
      .selectFrom('slots')
      .select('id')
      .where('site_ods', '=', status.choices[0]!)
      .where('slot_date', '>=', FIRST_SLOT_DAY)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('bookings').select('bookings.id').whereRef('bookings.slot_id', '=', 'slots.id'))))
      .orderBy('slot_date')
      .executeTakeFirstOrThrow();
    await handleOf(booked).executeUpdate(respondUpdate, {
      args: [{ ...answer, kind: 'accept', siteOds: status.choices[0]!, slotId: slot.id, consents: { transferOfCare: true, shareRecords: true } }],
    });
    const providerOds = status.choices[0] === 'NT350' ? 'NT3' : 'NT2';
    await eventually(() => handleOf(booked).query('transferStatus') as Promise<{ state: string }>, (now) => now.state === 'awaiting_provider', 'the provider asked');
    await handleOf(booked).executeUpdate(providerDecisionUpdate, { args: [{ decision: 'accept', providerOds, actor: 'test' }] });
    await eventually(() => handleOf(offered).query('transferStatus') as Promise<{ state: string }>, (now) => now.state === 'offered', 'the second offer');

    expect((await handle.executeUpdate(cancelCampaignUpdate, { args: [{ actor: 'test' }] })).phase).toBe('cancelled');
    const final = await handle.result();
    expect(final.phase).toBe('cancelled');
    await saveHistory('campaign-cancelled', handle, testCodec);
    const rows = await eventually(
      () => transfersOf(campaignId),
      (now) => now.every((row) => ['booked', 'declined', 'campaign_cancelled'].includes(row.state)),
      'every open transfer withdrawn',
    );
    expect(rows.find((row) => row.pathway_id === booked)!.state).toBe('booked');
    expect(rows.find((row) => row.pathway_id === offered)!.state).toBe('campaign_cancelled');
    await saveHistory('patient-transfer-campaign-cancelled', handleOf(offered), testCodec);
    // The patient who was offered is told; those still awaiting review never heard of the offer.
    const withdrawals = await eventually(
      () => services.database.db.selectFrom('messages').select(['transfer_id', 'status']).where('kind', '=', 'campaign-withdrawal').execute(),
      (now) => now.some((message) => message.status === 'sent'),
      'the withdrawal email',
    );
    expect(withdrawals).toHaveLength(1);
    const withdrawn = await services.database.db.selectFrom('transfers').select('pathway_id').where('id', '=', withdrawals[0]!.transfer_id).executeTakeFirstOrThrow();
    expect(withdrawn.pathway_id).toBe(offered);
    expect((await services.database.db.selectFrom('campaigns').select(['status', 'closed_at']).where('id', '=', campaignId).executeTakeFirstOrThrow()).status).toBe('cancelled');
  });

  it('fails at once, not retrying for ever, when its campaign is not there', async () => {
    const handle = await services.temporal.client.workflow.start(campaignWorkflow, {
      workflowId: campaignWorkflowId(987_654),
      taskQueue: services.temporal.taskQueue,
      args: [{ campaignId: 987_654 }],
    });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (failure as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect(activityFailure?.cause).toMatchObject({ type: 'NotFound', message: 'campaign 987654 not found' });
    // Once: a missing row is not retried.
    const history = await handle.fetchHistory();
    const started = history.events?.filter((event) => event.activityTaskStartedEventAttributes) ?? [];
    expect(started.map((event) => event.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
  });
});
