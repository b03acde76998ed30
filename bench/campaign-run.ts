/**
 * A campaign run the way users run it, for the benchmarks that need transfers with their offers out:
 * launched through the API's own launch (services/campaigns.ts), each transfer confirmed by a scripted
 * clinician as soon as it awaits review, offers emailed to an SMTP server that accepts and drops them.
 * The workflows run on whichever worker polls the task queue.
 */
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../db/database';
import { launchCampaignSchema } from '../domain/campaign';
import { DomainError } from '../domain/failures';
import { launchCampaign } from '../services/campaigns';
import { updateTransfer } from '../services/workflow-updates';
import { transferWorkflowId } from '../workflows/ids';
import { reviewUpdate } from '../workflows/messages';
import type { CampaignWorld } from './campaign-world';
import { sleep } from './support';


/** How often a run's tables are analysed (autovacuum's naptime is a minute; its threshold a tenth of a table's rows). */
const ANALYSE_EVERY_MS = 20_000;

export interface CampaignRun {
  readonly campaignId: number;
  readonly seconds: number;
  readonly launchSeconds: number;
  readonly runs: number;
  readonly pathwayIds: readonly number[];
  readonly reviewErrors: number;
  readonly reviewMeanMs: number;
}

/** Launches a campaign through the API's launch, confirms its transfers as they wait, and waits for every offer sent. */
export async function runCampaign(options: {
  client: Client;
  db: Db;
  taskQueue: string;
  world: CampaignWorld;
  trust: string;
  patients: number;
  clinicians: number;
  name: string;
}): Promise<CampaignRun> {
  const { client, db, world, trust, patients } = options;
  const launch = launchCampaignSchema.parse({
    name: `Campaign benchmark (${options.name})`,
    regionCode: 'Y60',
    trusts: [trust],
    treatmentFunctions: ['110'],
    fundId: world.fundId,
    period: world.period,
    maxOffers: patients,
  });
  const clinician = startClinician(client, db, options.clinicians, trust);
  const launchedAt = Date.now();
  const campaign = await launchCampaign({ db, temporal: client, taskQueue: options.taskQueue, clock: () => new Date() }, { actor: 'bench', regionCode: null }, launch);
  clinician.watch(campaign.id);
  const deadline = Date.now() + 300_000 + patients * 400;
  let analysedAt = Date.now();
  try {
    for (;;) {
      // The tables the run fills are analysed as autovacuum would in production: where it is off (this
      // machine's PostgreSQL), prepared statements keep plans made for empty tables, and the poll below
      // took 5 s a time at 7,000 transfers, a core of PostgreSQL taken from the product.
      if (Date.now() - analysedAt > ANALYSE_EVERY_MS) {
        await sql`analyze transfers, transfer_events, screening_results, clinical_reviews, offer_choices, offers, messages, audit_log`.execute(db);
        analysedAt = Date.now();
      }
      // A transfer waits for its patient once it is offered and its offer email has gone (the offer is
      // opened just before the email is sent, so the state alone is not enough).
      const row = await sql<{ offered: number; last: Date | null }>`
        select count(*)::int as offered, max(m.sent_at) as last from transfers t join messages m on m.transfer_id = t.id
        where t.campaign_id = ${campaign.id} and t.state = 'offered' and m.intent = 'offer-1' and m.status = 'sent'`.execute(db);
      const { offered, last } = row.rows[0]!;
      if (offered >= patients) {
        const launchSeconds = (Date.now() - launchedAt) / 1000;
        const started = await firstStart(client, campaign.workflowId);
        const transfers = await db.selectFrom('transfers').select('pathway_id').where('campaign_id', '=', campaign.id).orderBy('pathway_id').execute();
        return {
          campaignId: campaign.id,
          seconds: (last!.getTime() - started.runStart) / 1000,
          launchSeconds,
          runs: started.runs,
          pathwayIds: transfers.map((transfer) => transfer.pathway_id),
          reviewErrors: clinician.errors(),
          reviewMeanMs: clinician.meanMs(),
        };
      }
      if (Date.now() > deadline) throw new Error(`the ${options.name} campaign offered ${offered} of ${patients} patients before the deadline`);
      await sleep(500);
    }
  } finally {
    await clinician.stop();
  }
}

/** The scripted clinician: polls for transfers awaiting review and confirms each once, `concurrency` at a time. */
function startClinician(client: Client, db: Db, concurrency: number, trustOds: string) {
  let campaignId: number | undefined;
  let stopped = false;
  const seen = new Set<number>();
  const queue: number[] = [];
  let errors = 0;
  let done = 0;
  let totalMs = 0;
  const poller = (async () => {
    while (!stopped) {
      if (campaignId !== undefined) {
        const rows = await db.selectFrom('transfers').select('pathway_id').where('campaign_id', '=', campaignId).where('state', '=', 'awaiting_review').execute();
        for (const { pathway_id: pathwayId } of rows) {
          if (!seen.has(pathwayId)) {
            seen.add(pathwayId);
            queue.push(pathwayId);
          }
        }
      }
      await sleep(100);
    }
  })();
  const reviewers = Array.from({ length: concurrency }, async () => {
    while (!stopped) {
      const pathwayId = queue.shift();
      if (pathwayId === undefined) {
        await sleep(20);
        continue;
      }
      const began = Date.now();
      try {
        await updateTransfer({ temporal: client }, transferWorkflowId(pathwayId), reviewUpdate, [{ decision: 'confirm', reviewer: 'bench clinician', reviewerTrustOds: trustOds }]);
        done += 1;
        totalMs += Date.now() - began;
      } catch (error) {
        errors += 1;
        const message = `${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ''}`;
        if (errors <= 3) console.warn(`  review of pathway ${pathwayId} failed: ${message}`);
        // Refused as no longer awaiting review: an earlier attempt went through. Anything else: try again.
        if (!(error instanceof DomainError && error.reason === 'not_awaiting_review')) queue.push(pathwayId);
      }
    }
  });
  return {
    watch(id: number) {
      campaignId = id;
    },
    errors: () => errors,
    meanMs: () => (done ? totalMs / done : 0),
    async stop() {
      stopped = true;
      await Promise.all([poller, ...reviewers]);
    },
  };
}

/** The start of a workflow's first run (it may have continued as new since), and how many runs it has had. */
export async function firstStart(client: Client, workflowId: string): Promise<{ runStart: number; runs: number }> {
  let runStart = Number.POSITIVE_INFINITY;
  let runs = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runStart = Math.min(runStart, execution.startTime.getTime());
    runs += 1;
  }
  return { runStart, runs };
}

/** An SMTP server that takes every message and drops it: the relay an offer is delivered to. */
export async function startSmtpSink(): Promise<{ url: string; received(): number; stop(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
