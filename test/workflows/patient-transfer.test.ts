/**
 * The transfer workflow, every branch, on the time-skipping test server with the real activities
 * against PostgreSQL and SMTP: review windows, reminders and lapses pass in moments. Each test gets
 * its own database, mail catcher and task queue, so branches never share a slot or a penny.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { type Activities, createActivities } from '../../activities';
import { fundBalance } from '../../db/repositories/funds';
import { freeSlots } from '../../db/repositories/offer-choices';
import { getPathwayTrust } from '../../db/repositories/pathways';
import { getTransfer } from '../../db/repositories/transfers';
import { installTemporalRuntime } from '../../temporal/runtime';
import { ensureSearchAttributes } from '../../temporal/search-attributes';
import { campaignWorkflowId, transferWorkflowId } from '../../workflows/ids';
import { addDays, dayOf } from '../../domain/dates';
import { transferSearchAttributes } from '../../workflows/search-attributes';
import type { PatientTransferInput, ResponseInput, TransferState } from '../../domain/transfer';
import { outcomeUpdate, providerDecisionUpdate, respondUpdate, reviewUpdate, transferStatusQuery, withdrawUpdate } from '../../workflows/messages';
import { patientTransferWorkflowV2 } from '../../workflows/patient-transfer';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIRST_SLOT_DAY, FIXTURE_FUND_ID, loadFixtureWorld, NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { saveHistory } from '../support/histories';
import { expectNoPersonalData } from '../support/privacy';
import { mailCount, startTestMail } from '../support/mail';
import { testCodec, testServerExecutable } from '../support/temporal';

beforeAll(() => {
  installTemporalRuntime(pino({ level: 'warn' }));
});

type Handle = WorkflowHandle<typeof patientTransferWorkflowV2>;

interface World {
  readonly env: TestWorkflowEnvironment;
  readonly database: TestDatabase;
  readonly db: TestDatabase['db'];
  start(pathwayId: number, overrides?: Partial<PatientTransferInput>): Promise<Handle>;
}

/**
 * A fresh world for one test: its own time-skipping server (its clock starts at today's, as the
 * fixture's slots do, whatever earlier tests skipped), database, mail catcher and worker; torn down
 * however the test ends.
 */
async function inWorld(work: (world: World) => Promise<void>, options: { activities?: (real: Activities) => Activities } = {}): Promise<void> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testServerExecutable() },
    client: { dataConverter: { payloadCodecs: [testCodec] } },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  const database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  await database.db
    .insertInto('staff_users')
    .values({ name: 'Dr Ada Lovelace', email: 'ada.lovelace@rwe.example.nhs.test', role: 'clinician', trust_ods: 'RWE' })
    .execute();
  const mail = await startTestMail(database.db);
  const taskQueue = `transfer-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: (options.activities ?? ((real) => real))(
      createActivities({ db: database.db, mailer: mail.mailer, publicBaseUrl: 'http://localhost:3000', patientPhone: '0808 157 0192', now: () => new Date() }),
    ),
    dataConverter: { payloadCodecs: [testCodec] },
  });
  const started: Handle[] = [];
  const world: World = {
    env,
    database,
    db: database.db,
    // As the API starts one: with its pathway's trust as a search attribute.
    start: async (pathwayId, overrides = {}) => {
      const handle = await env.client.workflow.start(patientTransferWorkflowV2, {
        workflowId: `${transferWorkflowId(pathwayId)}-${taskQueue}`,
        taskQueue,
        typedSearchAttributes: transferSearchAttributes({ trustOds: (await getPathwayTrust(database.db, pathwayId))!.ods_code }),
        args: [{ pathwayId, fundId: FIXTURE_FUND_ID, ...overrides }],
      });
      started.push(handle);
      return handle;
    },
  };
  try {
    await worker.runUntil(work(world));
    // What each transfer left in Temporal (fetchHistory leaves payloads as stored, sealed by the codec).
    const histories = await Promise.all(started.map(async (handle) => ({ name: handle.workflowId, history: await handle.fetchHistory() })));
    if (histories.length > 0) await expectNoPersonalData(histories, database.db);
  } finally {
    await mail.stop();
    await database.drop();
    await env.teardown();
  }
}

/** An Update the workflow refused: the client's error says so, its cause says why. */
async function refused(update: Promise<unknown>, why: RegExp): Promise<void> {
  const error = await update.then(
    () => undefined,
    (failure: unknown) => failure as Error & { cause?: Error },
  );
  expect(error?.cause?.message).toMatch(why);
}

/** How an Update sent more than once settled: done, or the kind of the workflow's refusal. */
function settledAs(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'done';
  const cause = (result.reason as { cause?: unknown }).cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? 'untyped') : String(cause ?? result.reason);
}

const ONCE = ['Conflict', 'done', 'Conflict'];

/** Sends the same Update twice at once (a double click) and once more after (the back button); the two at once sorted. */
async function sentTwiceAndAgain(send: () => Promise<unknown>): Promise<string[]> {
  const atOnce = (await Promise.allSettled([send(), send()])).map(settledAs).sort();
  const [again] = (await Promise.allSettled([send()])).map(settledAs);
  return [...atOnce, again!];
}

/** An outcome the workflow refused for breaking one of the treatment date's rules, at the date. */
async function refusedBy(update: Promise<unknown>, rule: string): Promise<void> {
  const error = await update.then(
    () => undefined,
    (failure: unknown) => failure as Error & { cause?: unknown },
  );
  expect(error?.cause).toBeInstanceOf(ApplicationFailure);
  expect(error?.cause).toMatchObject({ type: 'Invalid', details: [{ reason: rule, field: 'treatedOn' }] });
}

async function reachState(handle: Handle, state: TransferState): Promise<void> {
  await expect.poll(async () => (await handle.query(transferStatusQuery)).state, { timeout: 20_000, interval: 50 }).toBe(state);
}

const CLINICIAN = { reviewer: 'staff:1 (Dr Ada Lovelace)', reviewerTrustOds: 'RWE' } as const;
const web = () => ({ channel: 'web' as const, wordingVersion: 'offer-page-v1', at: new Date().toISOString() });

async function confirmAndOffer(handle: Handle, world: World): Promise<void> {
  await reachState(handle, 'awaiting_review');
  await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', ...CLINICIAN }] });
  await reachOffer(handle, world);
}

/**
 * The offer open and its message gone (emailed, or queued for the print batch): the transfer is
 * offered as soon as its choices are saved, a moment before the message is sent.
 */
async function reachOffer(handle: Handle, world: World): Promise<void> {
  await reachState(handle, 'offered');
  const { transferId, round } = await handle.query(transferStatusQuery);
  const sent = async () =>
    (await world.db.selectFrom('messages').select('status').where('transfer_id', '=', transferId!).where('intent', '=', `offer-${round}`).executeTakeFirst())?.status;
  await expect.poll(sent, { timeout: 20_000, interval: 50 }).toMatch(/^(sent|queued)$/);
}

/** The patient accepts NT350's first slot and the provider accepts: the transfer is booked. */
async function bookAtNT350(world: World, handle: Handle): Promise<void> {
  await handle.executeUpdate(respondUpdate, { args: [accept('NT350', await slotAt(world, 'NT350'))] });
  await reachState(handle, 'awaiting_provider');
  await handle.executeUpdate(providerDecisionUpdate, { args: [{ decision: 'accept', providerOds: 'NT3', actor: 'provider:NT3' }] });
  await reachState(handle, 'booked');
}

/** The first free slot at a site for the fixture's hip pathways. */
async function slotAt(world: World, siteOds: string): Promise<number> {
  const [slot] = await freeSlots(world.db, [siteOds], { treatmentFunctionCode: '110', procedureCode: 'W37.1', from: FIRST_SLOT_DAY, to: '2999-12-31' }, { daysPerSite: 1 });
  return slot!.slotId;
}

function accept(siteOds: string, slotId: number, shareRecords = true): ResponseInput {
  return { kind: 'accept', siteOds, slotId, consents: { transferOfCare: true, shareRecords }, ...web() };
}

async function pathway(world: World, id: number) {
  return world.db.selectFrom('pathways').select(['status', 'clock_start_date']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function events(world: World, handle: Handle): Promise<string[]> {
  const { transferId } = await handle.query(transferStatusQuery);
  const rows = await world.db.selectFrom('transfer_events').select('kind').where('transfer_id', '=', transferId!).orderBy('id').execute();
  return rows.map((row) => row.kind);
}

/** The detail of the `returned_to_list` event that follows the transfer's closing state at once (and is there once). */
async function returnedToList(world: World, handle: Handle): Promise<unknown> {
  const { transferId, state } = await handle.query(transferStatusQuery);
  const rows = await world.db.selectFrom('transfer_events').select(['kind', 'detail']).where('transfer_id', '=', transferId!).orderBy('id').execute();
  const closing = rows.findIndex((row) => row.kind === state);
  expect(rows.filter((row) => row.kind === 'returned_to_list')).toHaveLength(1);
  expect(rows[closing + 1]?.kind).toBe('returned_to_list');
  return rows[closing + 1]!.detail;
}

describe('patientTransferWorkflowV2: screening and clinical review', () => {
  it('screens out a patient no IS site can take, and offers nothing', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(3); // ophthalmology: no IS capacity for it
      expect((await handle.result()).state).toBe('screened_out');
      expect(await mailCount(world.db, (await patientOf(world.db, 3)).email!)).toBe(0);
      await saveHistory('patient-transfer-screened-out', handle, testCodec);
    });
  });

  it('records each site the patient fails with its reasons, and only a clinician of the trust may review', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(2); // David: BMI 31
      await reachState(handle, 'awaiting_review');
      const { transferId } = await handle.query(transferStatusQuery);
      const results = await world.db.selectFrom('screening_results').selectAll().where('transfer_id', '=', transferId!).orderBy('site_ods').execute();
      expect(results.map((row) => [row.site_ods, row.passes])).toEqual([['NT240', false], ['NT350', true]]);
      expect(results[0]!.exclusions).toEqual([expect.objectContaining({ criterion: 'bmiMax', reason: expect.stringContaining('BMI of 31') })]);

      await refused(handle.executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', reviewer: 'staff:9', reviewerTrustOds: 'RRK' }] }), /only a clinician of trust RWE/);
      await refused(handle.executeUpdate(reviewUpdate, { args: [{ decision: 'refuse', ...CLINICIAN }] }), /needs a reason/);
      await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'refuse', reason: 'Needs a cardiology opinion first', ...CLINICIAN }] });
      expect((await handle.result()).state).toBe('refused');
      const review = await world.db.selectFrom('clinical_reviews').selectAll().where('transfer_id', '=', transferId!).executeTakeFirstOrThrow();
      expect(review).toMatchObject({ decision: 'refused', reason: 'Needs a cardiology opinion first' });
      expect(await mailCount(world.db, (await patientOf(world.db, 2)).email!)).toBe(0);
      await saveHistory('patient-transfer-refused', handle, testCodec);
    });
  });

  it('escalates to the trust after the review window, then lapses without offering', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1, { settings: { reviewWindowDays: 3, reviewLapseDays: 4 } });
      const startedAt = await world.env.currentTimeMs();
      const status = await handle.result();
      expect(status).toMatchObject({ state: 'review_lapsed', reviewEscalated: true });
      expect((await world.env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(7 * 86_400_000);
      expect(await mailCount(world.db, 'ada.lovelace@rwe.example.nhs.test')).toBe(1);
      expect(await mailCount(world.db, (await patientOf(world.db, 1)).email!)).toBe(0);
      await saveHistory('patient-transfer-review-lapsed', handle, testCodec);
    });
  });
});

describe('patientTransferWorkflowV2: the offer', () => {
  it('sends reminders on days 3 and 10, then lapses on day 14 and keeps the patient on the list', async () => {
    await inWorld(async (world) => {
      const before = await pathway(world, 1);
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      expect(await handle.query(transferStatusQuery)).toMatchObject({ round: 1, choices: ['NT350', 'NT240'] });
      const status = await handle.result();
      expect(status.state).toBe('lapsed');
      const sent = await world.db.selectFrom('messages').select(['intent', 'status']).orderBy('id').execute();
      expect(sent).toEqual([
        { intent: 'offer-1', status: 'sent' },
        { intent: 'reminder-1-1', status: 'sent' },
        { intent: 'reminder-1-2', status: 'sent' },
        { intent: 'lapse-1', status: 'sent' },
      ]);
      expect(await mailCount(world.db, (await patientOf(world.db, 1)).email!)).toBe(4);
      expect(await pathway(world, 1)).toEqual(before);
      await saveHistory('patient-transfer-lapsed', handle, testCodec);
    });
  });

  it('opens the offer before its message goes, so a patient who follows the link at once finds it open', async () => {
    const statesAtSend: string[] = [];
    let watched: TestDatabase['db'] | undefined;
    const watchingOffers = (real: Activities): Activities => ({
      ...real,
      async sendTransferMessage(input) {
        if (input.kind === 'offer') statesAtSend.push((await getTransfer(watched!, input.transferId))!.state);
        return real.sendTransferMessage(input);
      },
    });
    await inWorld(
      async (world) => {
        watched = world.db;
        const handle = await world.start(1);
        await confirmAndOffer(handle, world);
        expect(statesAtSend).toEqual(['offered']);
      },
      { activities: watchingOffers },
    );
  });

  it('declines: the pathway stays on the list with its clock start unchanged', async () => {
    await inWorld(async (world) => {
      const before = await pathway(world, 1);
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      await handle.executeUpdate(respondUpdate, { args: [{ kind: 'decline', reason: 'I would rather wait for my own hospital', ...web() }] });
      expect((await handle.result()).state).toBe('declined');
      expect(await pathway(world, 1)).toEqual(before);
      const response = await world.db.selectFrom('patient_responses').selectAll().executeTakeFirstOrThrow();
      expect(response).toMatchObject({ kind: 'decline', channel: 'web', wording_version: 'offer-page-v1', reason: 'I would rather wait for my own hospital' });
      expect(await returnedToList(world, handle)).toEqual({ clockStartDate: before.clock_start_date, closedAs: 'declined', reason: 'I would rather wait for my own hospital' });
      await saveHistory('patient-transfer-declined', handle, testCodec);
    });
  });

  it('asks for a call back: one task for the trust however often it is asked in a round, and the offer stays open', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      const mails = await mailCount(world.db, 'amira.khan@example.nhs.test');
      const callback = () => handle.executeUpdate(respondUpdate, { args: [{ kind: 'callback', ...web() }] });
      // A double click, then the back button and the button again: each answers as the first did.
      const answers = await Promise.all([callback(), callback()]);
      answers.push(await callback());
      expect(answers.map((answer) => answer.state)).toEqual(['offered', 'offered', 'offered']);
      const tasks = await world.db.selectFrom('callback_tasks').selectAll().execute();
      expect(tasks).toEqual([expect.objectContaining({ trust_ods: 'RWE', done_at: null })]);
      expect(await world.db.selectFrom('patient_responses').select('kind').execute()).toEqual([{ kind: 'callback' }]);
      expect((await events(world, handle)).filter((kind) => kind === 'patient.callback')).toHaveLength(1);
      expect(await mailCount(world.db, 'amira.khan@example.nhs.test')).toBe(mails);
      await handle.executeUpdate(respondUpdate, { args: [{ kind: 'decline', ...web() }] });
      expect((await handle.result()).state).toBe('declined');
      await saveHistory('patient-transfer-called-back', handle, testCodec);
    });
  });

  it('lets a call back being recorded finish when the offer lapses meanwhile', async () => {
    let entered!: () => void;
    const recording = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The call back's record is slow: the offer lapses while it is being written.
    const slowCallback = (real: Activities): Activities => ({
      ...real,
      recordResponse: async (input) => {
        if (input.response.kind === 'callback') {
          entered();
          await gate;
        }
        return real.recordResponse(input);
      },
    });
    await inWorld(async (world) => {
      // Ten seconds to answer (the clock runs as it does in the world while an activity is running).
      const handle = await world.start(1, { settings: { responseWindowDays: 10 / 86_400, reminderDays: [] } });
      await confirmAndOffer(handle, world);
      const callback = handle.executeUpdate(respondUpdate, { args: [{ kind: 'callback', ...web() }] });
      await recording;
      await reachState(handle, 'lapsed');
      release();
      expect((await callback).state).toBe('lapsed');
      expect((await handle.result()).state).toBe('lapsed');
      expect(await world.db.selectFrom('callback_tasks').select('trust_ods').execute()).toEqual([{ trust_ods: 'RWE' }]);
    }, { activities: slowCallback });
  });

  it('tells its campaign it has ended when it fails', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1, { campaignId: 999, fundId: 999_999 }); // no such fund: opening fails for good
      await expect(handle.result()).rejects.toThrow();
      const { events: history } = await handle.fetchHistory();
      const signals = (history ?? []).flatMap((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes ?? []);
      expect(signals.map((signal) => [signal.workflowExecution?.workflowId, signal.signalName])).toEqual([[campaignWorkflowId(999), 'transferReport']]);
    });
  });

  it('refuses an acceptance without both consents, or of a site not offered', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      const slotId = await slotAt(world, 'NT350');
      await refused(handle.executeUpdate(respondUpdate, { args: [accept('NT350', slotId, false)] }), /both consents/);
      await refused(handle.executeUpdate(respondUpdate, { args: [accept('NT999', slotId)] }), /not one of the choices/);
      expect(await world.db.selectFrom('patient_responses').selectAll().execute()).toEqual([]);
      await handle.terminate('test done');
    });
  });

  it('writes a letter for a patient with no email address, queued for the print batch', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(NO_EMAIL_PATHWAY);
      await confirmAndOffer(handle, world);
      const letter = await world.db.selectFrom('messages').selectAll().where('intent', '=', 'offer-1').executeTakeFirstOrThrow();
      expect(letter).toMatchObject({ channel: 'letter', status: 'queued', trust_ods: 'RWE' });
      expect(letter.letter).toMatchObject({ greeting: 'Dear Owen,', action: { href: expect.stringMatching(/\/offer\/[0-9A-Za-z]{22}$/) } });
      await handle.terminate('test done');
    });
  });
});

describe('patientTransferWorkflowV2: booking', () => {
  it('books: holds the slot, commits the price, the provider accepts, the patient is told; then treated', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      const slotId = await slotAt(world, 'NT350');
      await handle.executeUpdate(respondUpdate, { args: [accept('NT350', slotId)] });
      await reachState(handle, 'awaiting_provider');

      const booking = await world.db.selectFrom('bookings').selectAll().executeTakeFirstOrThrow();
      // £7,251.00 × MFF 1.02347 = £7,421.18
      expect(booking).toMatchObject({ slot_id: slotId, site_ods: 'NT350', status: 'requested', price_pence: 742_118, procedure_date: FIRST_SLOT_DAY });
      expect(booking.price_source).toContain('HN12F');
      expect((await fundBalance(world.db, FIXTURE_FUND_ID))!.committedPence).toBe(742_118);

      await refused(handle.executeUpdate(providerDecisionUpdate, { args: [{ decision: 'accept', providerOds: 'NT2', actor: 'provider:NT2' }] }), /only the provider of the booking/);
      await handle.executeUpdate(providerDecisionUpdate, { args: [{ decision: 'accept', providerOds: 'NT3', actor: 'provider:NT3' }] });
      await reachState(handle, 'booked');
      expect((await pathway(world, 1)).status).toBe('transferred_out');
      await expect.poll(() => mailCount(world.db, 'amira.khan@example.nhs.test')).toBe(2);
      const confirmation = await world.db.selectFrom('dev_mailbox').selectAll().where('subject', '=', 'Your treatment is booked').executeTakeFirstOrThrow();
      expect(confirmation.text_body).toContain('Spire Leicester Hospital');

      await refused(handle.executeUpdate(outcomeUpdate, { args: [{ outcome: 'treated', providerOds: 'NT3', actor: 'provider:NT3' }] }), /OPCS-4/);
      await world.env.sleep('22 days');
      await handle.executeUpdate(outcomeUpdate, { args: [{ outcome: 'treated', procedureCode: 'W37.1', treatedOn: FIRST_SLOT_DAY, providerOds: 'NT3', actor: 'provider:NT3' }] });
      expect((await handle.result()).state).toBe('treated');
      expect((await pathway(world, 1)).status).toBe('treated');
      expect(await world.db.selectFrom('outcomes').selectAll().executeTakeFirstOrThrow()).toMatchObject({ outcome: 'treated', procedure_code: 'W37.1', treated_on: FIRST_SLOT_DAY });
      expect((await world.db.selectFrom('bookings').select('status').executeTakeFirstOrThrow()).status).toBe('completed');
      expect(await events(world, handle)).toEqual(
        expect.arrayContaining(['opened', 'awaiting_review', 'review.confirmed', 'offered', 'patient.accept', 'booking.held', 'booking.requested', 'booking.accepted', 'booked', 'outcome.treated', 'treated']),
      );
      await saveHistory('patient-transfer-treated', handle, testCodec);
    });
  });

  it('gives the last slot to exactly one of two patients accepting it at once; the other is offered the rest', async () => {
    await inWorld(async (world) => {
      const [first, second] = await Promise.all([world.start(1), world.start(NO_EMAIL_PATHWAY)]);
      await Promise.all([confirmAndOffer(first, world), confirmAndOffer(second, world)]);
      const lastSlot = await slotAt(world, 'NT350'); // the only slot on the first day
      await Promise.all([first, second].map((handle) => handle.executeUpdate(respondUpdate, { args: [accept('NT350', lastSlot)] })));
      await expect
        .poll(async () => (await Promise.all([first, second].map((handle) => handle.query(transferStatusQuery)))).map((status) => status.state).sort(), { timeout: 20_000 })
        .toEqual(['awaiting_provider', 'offered']);
      const bookings = await world.db.selectFrom('bookings').selectAll().where('slot_id', '=', lastSlot).execute();
      expect(bookings).toHaveLength(1);
      const loser = (await first.query(transferStatusQuery)).state === 'offered' ? first : second;
      expect(await loser.query(transferStatusQuery)).toMatchObject({ round: 2 });
      expect(await events(world, loser)).toContain('booking.slot-taken');
      await Promise.all([first, second].map((handle) => handle.terminate('test done')));
    });
  });

  it('on rejection after pre-op, releases slot and money and offers the remaining choices', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      await handle.executeUpdate(respondUpdate, { args: [accept('NT350', await slotAt(world, 'NT350'))] });
      await reachState(handle, 'awaiting_provider');
      await handle.executeUpdate(providerDecisionUpdate, { args: [{ decision: 'reject', reason: 'Anaesthetic risk at pre-op', providerOds: 'NT3', actor: 'provider:NT3' }] });
      await reachOffer(handle, world);
      expect(await handle.query(transferStatusQuery)).toMatchObject({ round: 2, choices: ['NT240'], booking: null });
      expect(await world.db.selectFrom('bookings').select(['status', 'reason']).executeTakeFirstOrThrow()).toEqual({ status: 'rejected', reason: 'Anaesthetic risk at pre-op' });
      expect((await fundBalance(world.db, FIXTURE_FUND_ID))!.committedPence).toBe(0);
      const reoffer = await world.db.selectFrom('dev_mailbox').select('subject').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(reoffer.subject).toMatch(/cannot treat you/);

      // The provider of the second choice never answers: treated as a rejection, and nothing is left.
      await handle.executeUpdate(respondUpdate, { args: [accept('NT240', await slotAt(world, 'NT240'))] });
      expect((await handle.result()).state).toBe('returned');
      expect((await pathway(world, 1)).status).toBe('waiting');
      expect((await fundBalance(world.db, FIXTURE_FUND_ID))!.committedPence).toBe(0);
      await saveHistory('patient-transfer-returned', handle, testCodec);
    });
  });

  it('withdraws before the procedure date: booking cancelled, slot and money released, back on the list', async () => {
    await inWorld(async (world) => {
      const before = await pathway(world, 1);
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      const slotId = await slotAt(world, 'NT350');
      await handle.executeUpdate(respondUpdate, { args: [accept('NT350', slotId)] });
      await reachState(handle, 'awaiting_provider');
      await handle.executeUpdate(providerDecisionUpdate, { args: [{ decision: 'accept', providerOds: 'NT3', actor: 'provider:NT3' }] });
      await reachState(handle, 'booked');
      await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'Feeling better', ...web() }] });
      expect((await handle.result()).state).toBe('withdrawn');
      expect(await pathway(world, 1)).toEqual(before);
      expect(await returnedToList(world, handle)).toEqual({ clockStartDate: before.clock_start_date, closedAs: 'withdrawn' });
      expect((await world.db.selectFrom('bookings').select('status').executeTakeFirstOrThrow()).status).toBe('cancelled');
      expect(await slotAt(world, 'NT350')).toBe(slotId);
      expect((await fundBalance(world.db, FIXTURE_FUND_ID))!.committedPence).toBe(0);
      await expect.poll(() => world.db.selectFrom('dev_mailbox').select('subject').orderBy('id', 'desc').executeTakeFirst()).toEqual({
        subject: 'You have cancelled your treatment at another hospital',
      });
      await saveHistory('patient-transfer-withdrawn', handle, testCodec);
    });
  });

  it('takes each action once however often it is sent, at once or again: review, acceptance, provider, outcome', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await reachState(handle, 'awaiting_review');
      expect(await sentTwiceAndAgain(() => handle.executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', ...CLINICIAN }] }))).toEqual(ONCE);
      await reachState(handle, 'offered');
      const slotId = await slotAt(world, 'NT350');
      // A patient's answer sent twice at once is the one answer: both complete with it (a second tab is shown where
      // things stand, not a refusal); sent again once it has been acted on, it is refused.
      expect(await sentTwiceAndAgain(() => handle.executeUpdate(respondUpdate, { args: [accept('NT350', slotId)] }))).toEqual(['done', 'done', 'Conflict']);
      await reachState(handle, 'awaiting_provider');
      expect(await sentTwiceAndAgain(() => handle.executeUpdate(providerDecisionUpdate, { args: [{ decision: 'accept', providerOds: 'NT3', actor: 'provider:NT3' }] }))).toEqual(ONCE);
      await reachState(handle, 'booked');
      await world.env.sleep('22 days');
      const treated = { outcome: 'treated', procedureCode: 'W37.1', treatedOn: FIRST_SLOT_DAY, providerOds: 'NT3', actor: 'provider:NT3' } as const;
      const outcomes = await Promise.allSettled([handle.executeUpdate(outcomeUpdate, { args: [treated] }), handle.executeUpdate(outcomeUpdate, { args: [treated] })]);
      expect(outcomes.map(settledAs).sort()).toEqual(['Conflict', 'done']);
      expect((await handle.result()).state).toBe('treated');

      const kinds = await events(world, handle);
      for (const kind of ['review.confirmed', 'patient.accept', 'booking.held', 'booking.accepted', 'booked', 'outcome.treated', 'treated']) {
        expect(kinds.filter((each) => each === kind), kind).toHaveLength(1);
      }
      expect(await world.db.selectFrom('bookings').select('status').execute()).toEqual([{ status: 'completed' }]);
      expect(await world.db.selectFrom('patient_responses').select('kind').execute()).toEqual([{ kind: 'accept' }]);
      // The offer and the booking's confirmation, each once.
      await expect.poll(() => mailCount(world.db, 'amira.khan@example.nhs.test')).toBe(2);
    });
  });

  it('takes a withdrawal once, and no outcome sent with it: one of them wins, the rest are refused as conflicts', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      await bookAtNT350(world, handle);
      const withdraw = () => handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'Feeling better', ...web() }] });
      const cancelled = () => handle.executeUpdate(outcomeUpdate, { args: [{ outcome: 'cancelled', reason: 'list cancelled', providerOds: 'NT3', actor: 'provider:NT3' }] });
      const settled = await Promise.allSettled([withdraw(), cancelled(), withdraw()]);
      expect(settled.map(settledAs).sort()).toEqual(['Conflict', 'Conflict', 'done']);
      const { state } = await handle.result();
      const kinds = await events(world, handle);
      expect(kinds.filter((kind) => kind === 'patient.withdraw' || kind === 'outcome.cancelled')).toEqual([state === 'withdrawn' ? 'patient.withdraw' : 'outcome.cancelled']);
    });
  });

  it('refuses a treatment dated before the consent, before the booked date or long after it, naming the rule', async () => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      await bookAtNT350(world, handle);
      const treatedOn = (day: string) =>
        handle.executeUpdate(outcomeUpdate, { args: [{ outcome: 'treated', procedureCode: 'W37.1', treatedOn: day, providerOds: 'NT3', actor: 'provider:NT3' }] });
      const today = dayOf(new Date());
      await refusedBy(treatedOn(addDays(today, -30)), 'treated_before_consent');
      // The day the booking was accepted, but the procedure is booked three weeks on.
      await refusedBy(treatedOn(today), 'treated_before_procedure_date');
      await world.env.sleep('60 days');
      await refusedBy(treatedOn(addDays(FIRST_SLOT_DAY, 29)), 'treated_too_long_after_procedure_date');
      expect(await world.db.selectFrom('outcomes').selectAll().execute()).toEqual([]);
      // Rebooked by the provider four weeks later: still this booking's treatment.
      await treatedOn(addDays(FIRST_SLOT_DAY, 28));
      expect((await handle.result()).state).toBe('treated');
      expect(await world.db.selectFrom('outcomes').select('treated_on').execute()).toEqual([{ treated_on: addDays(FIRST_SLOT_DAY, 28) }]);
      await saveHistory('patient-transfer-outcome-refused-for-its-date', handle, testCodec);
    });
  });

  it.each(['did_not_attend', 'cancelled'] as const)('records %s: money released, back on the list, nothing to claim', async (result) => {
    await inWorld(async (world) => {
      const handle = await world.start(1);
      await confirmAndOffer(handle, world);
      await bookAtNT350(world, handle);
      await handle.executeUpdate(outcomeUpdate, { args: [{ outcome: result, reason: 'as recorded', providerOds: 'NT3', actor: 'provider:NT3' }] });
      expect((await handle.result()).state).toBe(result);
      expect((await pathway(world, 1)).status).toBe('waiting');
      expect((await fundBalance(world.db, FIXTURE_FUND_ID))!.committedPence).toBe(0);
      expect(await world.db.selectFrom('outcomes').select('outcome').executeTakeFirstOrThrow()).toEqual({ outcome: result });
      await saveHistory(`patient-transfer-${result.replace(/_/g, '-')}`, handle, testCodec);
    });
  });
});
