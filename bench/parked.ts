/**
 * Transfers parked on their offer, as a campaign leaves them: the world of the campaign benchmark
 * (campaign-world.ts) for N patients, a Temporal dev server of the run's own, an SMTP sink, the product's
 * worker as a process of its own (`main.ts worker`), and a campaign of N run to the point where every
 * transfer is offered, its offer emailed, and waits for its patient. For the benchmarks that measure
 * what such transfers cost: the patient's page (page.ts) and the worker holding them (open-transfers.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import type { Config } from '../config';
import { resolveTemporalBinary, TEMPORAL_CLI } from '../temporal/binaries';
import { EncryptionCodec, parsePayloadKeys } from '../temporal/codec';
import { startDevServer } from '../temporal/dev-server';
import { runCampaign, startSmtpSink, type CampaignRun } from './campaign-run';
import { buildCampaignWorld } from './campaign-world';
import { type BenchProcess, serviceEnv, startService } from './processes';
import { type BenchDatabase, benchDatabase, secondsSince } from './support';

const NAMESPACE = 'default';
const TASK_QUEUE = 'bench-transfers';

export interface ParkedTransfers {
  readonly bench: BenchDatabase;
  readonly temporalAddress: string;
  readonly namespace: string;
  /** A client with the service's codec. */
  readonly client: Client;
  /** The environment every process of the service is started with: the shared Temporal, PostgreSQL and SMTP. */
  readonly env: Readonly<Record<string, string>>;
  readonly worker: BenchProcess;
  readonly campaign: CampaignRun;
  /** From launching the campaign to the last offer sent. */
  readonly parkSeconds: number;
  /** Stops everything started, the newest first. */
  close(): Promise<void>;
}

export async function parkTransfers(
  config: Config,
  options: { readonly transfers: number; readonly clinicians: number; readonly workerEnv?: Readonly<Record<string, string>> },
): Promise<ParkedTransfers> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.warn('cleanup failed:', (error as Error).message));
  };
  try {
    const bench = await benchDatabase(config);
    cleanups.push(() => bench.drop());
    // A free slot for every patient: the campaign's window holds them all at once, and each can accept one of their own.
    const slots = options.transfers + 10;
    console.log(`Building the world: ${options.transfers.toLocaleString('en-GB')} patients, ${slots.toLocaleString('en-GB')} free slots …`);
    const world = await buildCampaignWorld(bench.db, { patients: options.transfers, warmup: 0, slots });
    await sql`analyze`.execute(bench.db);

    const cli = await resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: config.TEMPORAL_CLI_PATH, toolsDir: config.TOOLS_DIR, install: true });
    const temporalDir = await mkdtemp(path.join(os.tmpdir(), 'bt-bench-temporal-'));
    cleanups.push(() => rm(temporalDir, { recursive: true, force: true }));
    const server = await startDevServer({ cliPath: cli.found ? cli.path : undefined, dbFile: path.join(temporalDir, 'temporal.sqlite'), ui: false, namespace: NAMESPACE, retentionDays: 1 });
    cleanups.push(() => server.stop());
    const sink = await startSmtpSink();
    cleanups.push(() => sink.stop());

    const payloadKeys = `bench:${randomBytes(32).toString('base64')}`;
    const env = serviceEnv({ temporalAddress: server.address, namespace: NAMESPACE, taskQueue: TASK_QUEUE, payloadKeys, databaseUrl: bench.url, smtpUrl: sink.url });
    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter: { payloadCodecs: [new EncryptionCodec(parsePayloadKeys(payloadKeys))] } });

    console.log('Starting the worker (main.ts worker) …');
    const worker = await startService('worker', { ...env, ...options.workerEnv });
    cleanups.push(() => worker.stop());

    console.log(`Parking ${options.transfers.toLocaleString('en-GB')} transfers on their offer (a campaign, a scripted clinician confirming each) …`);
    const started = process.hrtime.bigint();
    const campaign = await runCampaign({ client, db: bench.db, taskQueue: TASK_QUEUE, world, trust: world.trusts.bench, patients: options.transfers, clinicians: options.clinicians, name: 'parked' });
    const parkSeconds = secondsSince(started);
    console.log(`  ${parkSeconds.toFixed(0)} s; ${sink.received().toLocaleString('en-GB')} offers received by the SMTP sink`);
    return { bench, temporalAddress: server.address, namespace: NAMESPACE, client, env, worker, campaign, parkSeconds, close };
  } catch (error) {
    await close();
    throw error;
  }
}
