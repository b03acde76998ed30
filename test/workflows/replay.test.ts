/**
 * Deploy safety: every saved history (test/histories/, written by the workflow tests with
 * SAVE_HISTORIES=1) must replay on today's workflow code. A change that would break transfers
 * already running in production — a new activity call, a reordered step, a changed timer — fails
 * here; such a change needs `patched()` and a fresh history beside the old one.
 */
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installTemporalRuntime } from '../../temporal/runtime';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadFixtureWorld, patientOf } from '../support/fixture-world';
import { savedHistories } from '../support/histories';
import { expectNoPersonalData, patientsPersonalData, personalDataIn } from '../support/privacy';

const histories = await savedHistories();
/** The fixture world the histories were recorded on: whose details they must not hold. */
let database: TestDatabase;

beforeAll(async () => {
  installTemporalRuntime(pino({ level: 'warn' }));
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
});

afterAll(async () => {
  await database?.drop();
});

describe('replaying saved workflow histories', () => {
  it('has a history for every way a transfer ends, a call back, an outcome refused for its date, every way a campaign ends or continues, a claims run and a message sent again by another channel', () => {
    expect(histories.map((saved) => saved.name)).toEqual(
      expect.arrayContaining([
        'patient-transfer-screened-out',
        'patient-transfer-refused',
        'patient-transfer-review-lapsed',
        'patient-transfer-lapsed',
        'patient-transfer-declined',
        'patient-transfer-returned',
        'patient-transfer-withdrawn',
        'patient-transfer-treated',
        'patient-transfer-did-not-attend',
        'patient-transfer-cancelled',
        'patient-transfer-campaign-cancelled',
        'patient-transfer-called-back',
        'patient-transfer-outcome-refused-for-its-date',
        'campaign-cancelled',
        'campaign-limit-reached',
        'campaign-continued-as-new',
        'campaign-transfers-closed-unreported',
        'campaign-carried-transfers-closed',
        'fund-claims',
        'message-fallback-sent',
      ]),
    );
  });

  it.each(histories.map((saved) => [saved.name, saved] as const))('%s replays on the current code', async (name, saved) => {
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, saved.history, name);
  });
});

describe('personal data in saved histories', () => {
  // Saved decoded (the codec's key is made afresh each run): they show what the workflows carry in clear.
  it('none holds a patient’s NHS number, name, email, date of birth, postcode or phone, in any payload or failure', async () => {
    await expectNoPersonalData(histories, database.db);
  });

  it('would find one: a patient’s details in a payload, a failure message or a search attribute', async () => {
    const patient = await patientOf(database.db, 1);
    const json = (value: unknown) => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify(value)) });
    const history = temporal.api.history.v1.History.fromObject({
      events: [
        {
          eventId: '1',
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
          workflowExecutionStartedEventAttributes: {
            input: { payloads: [json({ email: patient.email })] },
            searchAttributes: { indexedFields: { TrustOds: json(`${patient.postcode!.replace(' ', '')}`) } },
          },
        },
        {
          eventId: '2',
          eventType: 'EVENT_TYPE_ACTIVITY_TASK_FAILED',
          activityTaskFailedEventAttributes: {
            // The phone is stored in E.164 (+441164960101) and found as written at home.
            failure: { message: `no slot for ${patient.given_name} ${patient.family_name}, on 0116 496 0101`, cause: { stackTrace: `born ${patient.date_of_birth.split('-').reverse().join('/')}` } },
          },
        },
        { eventId: '3', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED', workflowExecutionCompletedEventAttributes: { result: { payloads: [json('999 000 0034')] } } },
      ],
    });
    expect(personalDataIn(history, await patientsPersonalData(database.db))).toEqual([
      "event 1 (EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) .workflowExecutionStartedEventAttributes.input.payloads[0].data: patient 1's email",
      "event 1 (EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) .workflowExecutionStartedEventAttributes.searchAttributes.indexedFields.TrustOds.data: patient 1's postcode",
      "event 2 (EVENT_TYPE_ACTIVITY_TASK_FAILED) .activityTaskFailedEventAttributes.failure.message: patient 1's given name",
      "event 2 (EVENT_TYPE_ACTIVITY_TASK_FAILED) .activityTaskFailedEventAttributes.failure.message: patient 1's family name",
      "event 2 (EVENT_TYPE_ACTIVITY_TASK_FAILED) .activityTaskFailedEventAttributes.failure.message: patient 1's phone",
      "event 2 (EVENT_TYPE_ACTIVITY_TASK_FAILED) .activityTaskFailedEventAttributes.failure.cause.stackTrace: patient 1's date of birth",
      "event 3 (EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) .workflowExecutionCompletedEventAttributes.result.payloads[0].data: patient 3's NHS number",
      'event 3 (EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) .workflowExecutionCompletedEventAttributes.result.payloads[0].data: an NHS number (999…)',
    ]);
  });
});
