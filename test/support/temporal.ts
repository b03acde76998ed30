/**
 * Temporal for a test file: its own namespace on the run's shared dev server (so workflow ids and task
 * queues never collide between files), a codec with a fresh key, and a worker running the real
 * workflows from the prebuilt bundle with the real activities.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pino from 'pino';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities';
import { EncryptionCodec, generatePayloadKey } from '../../temporal/codec';
import { installTemporalRuntime } from '../../temporal/runtime';
import { ensureSearchAttributes } from '../../temporal/search-attributes';
import { startWorker, type RunningWorker } from '../../temporal/worker';

export const testCodec = new EncryptionCodec([generatePayloadKey()]);

/** The time-skipping test server: the pinned binary, or the SDK's download where there is none. */
export function testServerExecutable(): { type: 'existing-path'; path: string } | { type: 'cached-download' } {
  const path = inject('temporalTestServerPath');
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}

export interface TestTemporal {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly client: Client;
  /** A client with no codec: sees exactly what the server stores. */
  readonly rawClient: Client;
  startWorker(activities: ActivityDeps): Promise<RunningWorker>;
  close(): Promise<void>;
}

export interface TestTemporalOptions {
  /** Register the workflows' search attributes in the namespace (true), or leave it bare, as a new server's. */
  readonly searchAttributes?: boolean;
}

export async function createTestTemporal(options: TestTemporalOptions = {}): Promise<TestTemporal> {
  installTemporalRuntime(pino({ level: 'warn' }));
  const address = inject('temporalAddress');
  const namespace = `test-${randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address });
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  if (options.searchAttributes ?? true) await ensureSearchAttributes(connection, namespace);
  await waitForNamespace(connection, namespace);
  const taskQueue = `test-${namespace}`;
  const workers: RunningWorker[] = [];
  return {
    address,
    namespace,
    taskQueue,
    client: new Client({ connection, namespace, dataConverter: { payloadCodecs: [testCodec] } }),
    rawClient: new Client({ connection, namespace }),
    async startWorker(activities) {
      const worker = await startWorker({
        address,
        namespace,
        taskQueue,
        codec: testCodec,
        activities,
        workflowBundle: { codePath: inject('workflowBundlePath') },
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await connection.close();
    },
  };
}

/** A new namespace takes a moment to reach the frontend's cache; wait until it lists workflows. */
async function waitForNamespace(connection: Connection, namespace: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
