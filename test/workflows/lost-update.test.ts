/**
 * A person's request is written down only once Temporal holds it (issue 16; the chaos suite found it).
 * An Update is durable only once the workflow task accepting it is; Temporal restarting before then
 * drops it. A clinician's review recorded inside that task (a local activity) was then on record while
 * the workflow, never having heard of it, still waited for one: the queue no longer listed the
 * transfer, so nobody could review it again. Here Temporal restarts just as the review is being
 * recorded, the clinician's call gives up as the API's deadline does, and the records and the
 * workflow must agree: the review taken and the offer open, both.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities';
import { EncryptionCodec, generatePayloadKey } from '../../temporal/codec';
import { installTemporalRuntime } from '../../temporal/runtime';
import { ensureSearchAttributes } from '../../temporal/search-attributes';
import { runWorker, type RunningWorker } from '../../temporal/worker';
import { transferWorkflowId } from '../../workflows/ids';
import { reviewUpdate, transferStatusQuery } from '../../workflows/messages';
import { patientTransferWorkflowV2 } from '../../workflows/patient-transfer';
import { transferSearchAttributes } from '../../workflows/search-attributes';
import { type RestartableTemporal, scratchDirectory, startRestartableTemporal } from '../chaos/harness/infrastructure';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIXTURE_FUND_ID, loadFixtureWorld } from '../support/fixture-world';
import { startTestMail } from '../support/mail';
import { TEST_PATIENT_PHONE } from '../support/services';

const PATHWAY = 1;
const TASK_QUEUE = 'lost-update';

const cleanups: (() => Promise<unknown>)[] = [];
let temporal: RestartableTemporal;
let database: TestDatabase;
let client: Client;
let worker: RunningWorker;
let restarts = 0;

beforeAll(async () => {
  installTemporalRuntime(pino({ level: 'error' }));
  const scratch = await scratchDirectory('bt-lost-update-');
  cleanups.push(() => scratch.remove());
  temporal = await startRestartableTemporal(inject('temporalCliPath') || undefined, scratch.path);
  cleanups.push(() => temporal.stop());
  database = await createTestDatabase();
  cleanups.push(() => database.drop());
  await loadFixtureWorld(database.db);
  const mail = await startTestMail(database.db);
  cleanups.push(() => mail.stop());

  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push(() => connection.close());
  await ensureSearchAttributes(connection, 'default');
  const codec = new EncryptionCodec([generatePayloadKey()]);
  client = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [codec] } });

  // The real activities, except that recording the first review restarts Temporal before it writes.
  const activities = createActivities({ db: database.db, mailer: mail.mailer, publicBaseUrl: 'http://localhost', patientPhone: TEST_PATIENT_PHONE, now: () => new Date() });
  const { reviewTransfer } = activities;
  activities.reviewTransfer = async (input) => {
    if (restarts++ === 0) await temporal.restart(3_000);
    return reviewTransfer(input);
  };
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  worker = runWorker(
    await Worker.create({
      connection: workerConnection,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities,
      dataConverter: { payloadCodecs: [codec] },
    }),
    workerConnection,
  );
  cleanups.push(() => worker.stop());
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

it('takes a review that Temporal restarted under into both the records and the workflow, or into neither', { timeout: 120_000 }, async () => {
  const handle = await client.workflow.start(patientTransferWorkflowV2, {
    workflowId: transferWorkflowId(PATHWAY),
    taskQueue: TASK_QUEUE,
    typedSearchAttributes: transferSearchAttributes({ trustOds: 'RWE' }),
    args: [{ pathwayId: PATHWAY, fundId: FIXTURE_FUND_ID }],
  });
  await expect.poll(async () => (await handle.query(transferStatusQuery)).state, { timeout: 30_000, interval: 100 }).toBe('awaiting_review');

  // The clinician's call gives up while Temporal is down, as the API's Update deadline would: nothing asks again.
  const review = client.connection.withDeadline(Date.now() + 1_000, () =>
    handle.executeUpdate(reviewUpdate, { args: [{ decision: 'confirm', reviewer: 'staff:1 (Dr Ada Lovelace)', reviewerTrustOds: 'RWE' }] }),
  );
  await review.catch(() => undefined);
  expect(restarts, 'Temporal restarted as the review was recorded').toBeGreaterThan(0);

  const where = async () => {
    const transfer = await database.db.selectFrom('transfers').select('state').where('pathway_id', '=', PATHWAY).executeTakeFirstOrThrow();
    const workflow = await handle.query(transferStatusQuery).then(
      (status) => status.state,
      (error: unknown) => `unanswered: ${(error as Error).message}`,
    );
    return { records: transfer.state, workflow };
  };
  await expect.poll(where, { timeout: 60_000, interval: 500 }).toEqual({ records: 'offered', workflow: 'offered' });
});
