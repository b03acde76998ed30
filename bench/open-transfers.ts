/**
 * `npm run bench -- open-transfers [--transfers N] [--clinicians C] [--settle S]`: what N transfers
 * (default 30,000) parked on their offer cost the worker that holds them (PRODUCT.md §8, issue 18).
 * The transfers are parked as a campaign leaves them (parked.ts) on the product's worker in a process
 * of its own (`main.ts worker`); S seconds after the last offer went (default 10), it reads the worker's
 * resident memory and its peak (/proc), the SDK's sticky cache size (its metrics), and the total size
 * of the transfers' histories (Temporal's own count, per workflow).
 *
 * Baseline: N bare workflows that only wait on a timer (bare-workflows.ts, no activity), started
 * directly on the same server, on a bare worker in a process of its own with the SDK's defaults: the
 * memory any worker holding N waiting workflows pays. Target: the worker in 1 GiB or less.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import pMap from 'p-map';
import { loadConfig } from '../config';
import { transferWorkflowId } from '../workflows/ids';
import type { bareTransferWorkflow } from './bare-workflows';
import { parkTransfers } from './parked';
import { type BenchProcess, freePort, startProcess } from './processes';
import { option, reportFigures, secondsSince, sleep } from './support';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const BARE_QUEUE = 'bench-waiting';
/** Concurrent calls to Temporal when starting or describing workflows. */
const CONCURRENCY = 32;


interface Holding {
  readonly rss: number;
  readonly peak: number;
  readonly stickyCache: number | undefined;
  readonly historyBytes: number;
  readonly historyEvents: number;
}

export async function benchOpenTransfers(args: readonly string[]): Promise<void> {
  const transfers = option(args, '--transfers', 30_000);
  const clinicians = option(args, '--clinicians', 32);
  const settleSeconds = option(args, '--settle', 10);
  const config = loadConfig();
  const productMetrics = await freePort();
  const parked = await parkTransfers(config, { transfers, clinicians, workerEnv: { TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${productMetrics}` } });
  let bareWorker: BenchProcess | undefined;
  try {
    await sleep(settleSeconds * 1000);
    const product = await holding(parked.worker, productMetrics, parked.client, parked.campaign.pathwayIds.map(transferWorkflowId));
    // The workers share the machine, not the server's queue: the product's stops before the baseline's starts.
    await parked.worker.stop();

    const bareMetrics = await freePort();
    bareWorker = await startProcess(fileURLToPath(new URL('./bare-worker.ts', import.meta.url)), [], {
      TEMPORAL_ADDRESS: parked.temporalAddress,
      TEMPORAL_NAMESPACE: parked.namespace,
      TEMPORAL_TASK_QUEUE: BARE_QUEUE,
      TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${bareMetrics}`,
    });
    const connection = await Connection.connect({ address: parked.temporalAddress });
    const bareIds = Array.from({ length: transfers }, (_, index) => `waiting-${index}`);
    try {
      const bareClient = new Client({ connection, namespace: parked.namespace });
      console.log(`Baseline: ${transfers.toLocaleString('en-GB')} bare workflows that only wait …`);
      const started = process.hrtime.bigint();
      await pMap(bareIds, (workflowId) => bareClient.workflow.start<typeof bareTransferWorkflow>('bareTransferWorkflow', { workflowId, taskQueue: BARE_QUEUE, args: [0] }), {
        concurrency: CONCURRENCY,
      });
      // Each has waited once its first workflow task is done: one task each.
      const deadline = Date.now() + 600_000 + transfers * 100;
      while ((await workflowTasksDone(bareMetrics)) < transfers) {
        if (Date.now() > deadline) throw new Error(`the bare worker did not take up ${transfers} workflows before the deadline`);
        await sleep(500);
      }
      console.log(`  ${secondsSince(started).toFixed(0)} s`);
      await sleep(settleSeconds * 1000);
      const bare = await holding(bareWorker, bareMetrics, bareClient, bareIds);

      await reportFigures(
        'open-transfers',
        `${transfers.toLocaleString('en-GB')} transfers waiting on their patients: the worker that holds them`,
        [
          { name: 'worker resident memory', value: product.rss / MIB, unit: 'MiB', baseline: bare.rss / MIB, baselineName: 'bare worker holding as many waiting workflows', better: 'lower', target: GIB / MIB },
          { name: 'worker peak resident memory', value: product.peak / MIB, unit: 'MiB', baseline: bare.peak / MIB, baselineName: 'bare worker', better: 'lower', target: GIB / MIB },
          { name: 'histories, total', value: product.historyBytes / MIB, unit: 'MiB', baseline: bare.historyBytes / MIB, baselineName: 'bare workflows', better: 'lower' },
        ],
        [
          `sticky cache: ${product.stickyCache ?? '?'} workflows held (the product's WORKER_CACHED_WORKFLOWS); bare worker: ${bare.stickyCache ?? '?'} (the SDK's default cache size)`,
          `history events: ${product.historyEvents.toLocaleString('en-GB')} in all, ${(product.historyEvents / transfers).toFixed(1)} a transfer ` +
            `(bare: ${(bare.historyEvents / transfers).toFixed(1)} a workflow); ${(product.historyBytes / transfers / 1024).toFixed(1)} KiB a transfer`,
          `memory read ${settleSeconds} s after the last offer went (the baseline: after the last workflow's first task); parking took ${parked.parkSeconds.toFixed(0)} s ` +
            `(${(transfers / parked.parkSeconds).toFixed(1)} transfers/s)`,
        ],
        { transfers, product, bare, parkSeconds: parked.parkSeconds, settleSeconds },
      );
    } finally {
      await connection.close();
    }
  } finally {
    await bareWorker?.stop();
    await parked.close();
  }
}

/** What a worker holding these workflows costs: its memory, its sticky cache, and their histories. */
async function holding(worker: BenchProcess, metricsPort: number, client: Client, workflowIds: readonly string[]): Promise<Holding> {
  const { rss, peak } = worker.memory();
  const stickyCache = await metric(metricsPort, 'temporal_sticky_cache_size');
  let historyBytes = 0;
  let historyEvents = 0;
  await pMap(
    workflowIds,
    async (workflowId) => {
      const description = await client.workflow.getHandle(workflowId).describe();
      historyBytes += description.historySize ?? 0;
      historyEvents += description.historyLength;
    },
    { concurrency: CONCURRENCY },
  );
  return { rss, peak, stickyCache, historyBytes, historyEvents };
}

/** The sum of a metric's samples (every label set) on the SDK's Prometheus endpoint; undefined when it has none. */
async function metric(port: number, name: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const values = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
  return values.length ? values.reduce((sum, value) => sum + value, 0) : undefined;
}

/** Workflow tasks the worker has completed, by the SDK's count of their execution times. */
async function workflowTasksDone(port: number): Promise<number> {
  return (await metric(port, 'temporal_workflow_task_execution_latency_count')) ?? 0;
}
