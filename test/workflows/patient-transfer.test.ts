/**
 * The transfer workflow on the time-skipping test server, with the real activities against
 * PostgreSQL and SMTP: fourteen days pass in moments.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createActivities } from '../../activities';
import { loadFixtureWorld } from '../support/fixture-world';
import { installTemporalRuntime } from '../../temporal/runtime';
import { registerSearchAttributes } from '../../temporal/search-attributes';
import { transferWorkflowId } from '../../workflows/ids';
import { patientTransferWorkflow, transferStatusQuery } from '../../workflows/patient-transfer';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { mailCount, startTestMail } from '../support/mail';
import { testCodec, testServerExecutable } from '../support/temporal';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let mail: Awaited<ReturnType<typeof startTestMail>>;

beforeAll(async () => {
  installTemporalRuntime(pino({ level: 'warn' }));
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testServerExecutable() },
    client: { dataConverter: { payloadCodecs: [testCodec] } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  mail = await startTestMail(database.db);
});

afterAll(async () => {
  await env?.teardown();
  await mail?.stop();
  await database?.drop();
});

async function withWorker<T>(work: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `transfer-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ db: database.db, mailer: mail.mailer, publicBaseUrl: 'http://localhost:3000', now: () => new Date() }),
    dataConverter: { payloadCodecs: [testCodec] },
  });
  return worker.runUntil(work(taskQueue));
}

describe('patientTransferWorkflow', () => {
  it('offers, then lapses at the end of the response window, leaving the patient on the list', async () => {
    const before = await database.db.selectFrom('pathways').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
    const result = await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(patientTransferWorkflow, {
        workflowId: transferWorkflowId(2),
        taskQueue,
        args: [{ pathwayId: 2, responseWindowDays: 14 }],
      });
      const startedAt = await env.currentTimeMs();
      const status = await handle.result();
      return { status, elapsedDays: ((await env.currentTimeMs()) - startedAt) / 86_400_000 };
    });
    expect(result.status.state).toBe('lapsed');
    expect(result.elapsedDays).toBeGreaterThanOrEqual(14);

    const transfer = await database.db.selectFrom('transfers').selectAll().where('pathway_id', '=', 2).executeTakeFirstOrThrow();
    expect(transfer.state).toBe('lapsed');
    expect(transfer.closed_at).not.toBeNull();
    const events = await database.db.selectFrom('transfer_events').select('kind').where('transfer_id', '=', transfer.id).orderBy('id').execute();
    expect(events.map((event) => event.kind)).toEqual(['opened', 'message.sent', 'offered', 'lapsed']);

    // A lapse keeps the patient's place: same status, same clock start.
    const after = await database.db.selectFrom('pathways').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
    expect(after.status).toBe('waiting');
    expect(after.clock_start_date).toBe(before.clock_start_date);
    const patient = await database.db.selectFrom('patients').select('email').where('id', '=', before.patient_id).executeTakeFirstOrThrow();
    expect(await mailCount(database.db, patient.email!)).toBe(1);
  });

  it('answers its state by query while the offer is open', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(patientTransferWorkflow, {
        workflowId: transferWorkflowId(3),
        taskQueue,
        args: [{ pathwayId: 3 }],
      });
      await expect.poll(() => handle.query(transferStatusQuery), { timeout: 15_000 }).toMatchObject({ state: 'offered' });
      await handle.terminate('test done');
    });
  });
});
