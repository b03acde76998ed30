/**
 * The worker factory: the workflows of workflows/index.ts and the activities of activities/, with the
 * same payload codec as the client. Tests pass a prebuilt workflow bundle to skip re-bundling.
 */
import { fileURLToPath } from 'node:url';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

/** After the grace, how long a cancelled activity has to report that it stopped, before the worker stops regardless. */
const CANCELLED_ACTIVITY_REPORT_MS = 1_000;

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface CreateWorkerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly codec: PayloadCodec;
  readonly activities: ActivityDeps;
  /**
   * On shutdown, how long activities in flight may run on before they are cancelled; the worker gives
   * up on those still running a moment later. Unset: cancelled at once, and waited for however long.
   */
  readonly shutdownGraceMs?: number;
  /** Workflows kept in memory between their tasks (WORKER_CACHED_WORKFLOWS); the SDK sizes it from the machine's memory when absent. */
  readonly maxCachedWorkflows?: number;
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
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.shutdownGraceMs === undefined
      ? {}
      : { shutdownGraceTime: options.shutdownGraceMs, shutdownForceTime: options.shutdownGraceMs + CANCELLED_ACTIVITY_REPORT_MS }),
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
      const asked = Date.now();
      await done.catch((error: unknown) => {
        // Past its force time the SDK fails in its own words (often "Worker still in use"): say what happened.
        const forceMs = worker.options.shutdownForceTimeMs;
        if (forceMs === undefined || Date.now() - asked < forceMs) throw error;
        throw new Error(`activities still running ${forceMs} ms after the stop were abandoned: Temporal gives them to another worker once they time out`, {
          cause: error,
        });
      });
    },
  };
}
