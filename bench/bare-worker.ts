/**
 * The open-transfers benchmark's baseline worker, in a process of its own so its memory is its own: the
 * bare workflows of bare-workflows.ts on the SDK's default settings, no codec, no-op activities, and
 * the SDK's metrics (its sticky cache's size) at TEMPORAL_METRICS_ADDRESS. Configured by TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE; stops on SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { installTemporalRuntime } from '../temporal/runtime';
import { runWorker } from '../temporal/worker';
import { READY_LINE } from './processes';

const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} must be set`); })();

installTemporalRuntime(pino({ level: 'warn' }), { metricsAddress: env('TEMPORAL_METRICS_ADDRESS') });
const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
const worker = await Worker.create({
  connection,
  namespace: env('TEMPORAL_NAMESPACE'),
  taskQueue: env('TEMPORAL_TASK_QUEUE'),
  workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./bare-workflows.ts', import.meta.url)), logger: silent }),
  activities: { async noop() {} },
});
const running = runWorker(worker, connection);
console.log(READY_LINE);
process.once('SIGTERM', () => {
  running.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
