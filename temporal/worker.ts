/**
 * The worker factory: the workflows of workflows/index.ts and the activities of activities/, with the
 * same payload codec as the client. Tests pass a prebuilt workflow bundle to skip re-bundling.
 */
import { fileURLToPath } from 'node:url';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface CreateWorkerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly codec: PayloadCodec;
  readonly activities: ActivityDeps;
  /** On shutdown, how long activities in flight may run on before they are cancelled; 0 cancels them at once. */
  readonly shutdownGraceMs?: number;
  /** Precompiled workflow code (from bundleWorkflowCode); bundles workflowsPath when absent. */
  readonly workflowBundle?: { readonly codePath: string };
}

export interface RunningWorker {
  readonly worker: Worker;
  /** Resolves when the worker has stopped. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(options: CreateWorkerOptions): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities(options.activities),
    dataConverter: { payloadCodecs: [options.codec] },
    shutdownGraceTime: options.shutdownGraceMs ?? 0,
  });
  return runWorker(worker, connection);
}

/** Runs a worker until stopped, closing its connection after it. */
export function runWorker(worker: Worker, connection: NativeConnection): RunningWorker {
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
