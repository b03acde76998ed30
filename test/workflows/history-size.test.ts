/**
 * What a transfer costs Temporal (PRODUCT.md §8, issue 18): the history events of one transfer from
 * its start to its offer sent and waiting on the patient, on the dev server as production runs it
 * (the time-skipping server writes workflow tasks of its own around Updates). A step that creeps back
 * as its own activity, or a timer started only to be cancelled, fails here.
 */
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPathwayTrust } from '../../db/repositories/pathways';
import type { RunningWorker } from '../../temporal/worker';
import { transferWorkflowId } from '../../workflows/ids';
import { reviewUpdate, transferStatusQuery } from '../../workflows/messages';
import { patientTransferWorkflowV2 } from '../../workflows/patient-transfer';
import { transferSearchAttributes } from '../../workflows/search-attributes';
import { FIXTURE_FUND_ID } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

/**
 * At most this many events up to the open offer: issue 18's target. The clinician's review is
 * recorded by an activity, which starts only once the review's Update is durable (a local activity
 * runs inside the workflow task that accepts it, so a Temporal restart could lose a review already on
 * record: lost-update.test.ts), and that activity composes and opens the first offer too; the current
 * type (patientTransferWorkflowV2) reads no patches, each of which cost a run two events as it began.
 * 54 before issue 18; 28 on the patched type.
 */
const EVENTS_TO_OPEN_OFFER = 25;
const PATHWAY = 1;

let services: TestServices;
let worker: RunningWorker;

beforeAll(async () => {
  services = await startTestServices();
  worker = await services.startWorker();
});

afterAll(async () => {
  await worker?.stop();
  await services?.close();
});

describe('the history of one transfer', () => {
  it(`reaches its open offer, sent and waiting on the patient, in at most ${EVENTS_TO_OPEN_OFFER} events`, async () => {
    const { client, taskQueue } = services.temporal;
    const handle = await client.workflow.start(patientTransferWorkflowV2, {
      workflowId: transferWorkflowId(PATHWAY),
      taskQueue,
      typedSearchAttributes: transferSearchAttributes({ trustOds: (await getPathwayTrust(services.database.db, PATHWAY))!.ods_code }),
      args: [{ pathwayId: PATHWAY, fundId: FIXTURE_FUND_ID }],
    });
    await expect.poll(async () => (await handle.query(transferStatusQuery)).state, { timeout: 20_000, interval: 50 }).toBe('awaiting_review');
    await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', reviewer: 'staff:1 (Dr Ada Lovelace)', reviewerTrustOds: 'RWE' }] });

    // Waiting on the patient: the offer's message has gone and the first reminder's timer is set.
    const upToTheWait = async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const sent = events.findIndex((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'sendTransferMessage');
      const waiting = events.findIndex((event, index) => sent >= 0 && index > sent && event.timerStartedEventAttributes);
      return waiting < 0 ? undefined : events.slice(0, waiting + 1);
    };
    await expect.poll(upToTheWait, { timeout: 20_000, interval: 100 }).toBeDefined();
    const kinds = (await upToTheWait())!.map((event) => temporal.api.enums.v1.EventType[event.eventType ?? 0]);
    expect(kinds.length, kinds.join('\n')).toBeLessThanOrEqual(EVENTS_TO_OPEN_OFFER);
  });
});
