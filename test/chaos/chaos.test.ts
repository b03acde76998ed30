/**
 * The chaos suite (issue 16; PRODUCT.md §9 "crash and fault"): a campaign of generated patients run by
 * the service as a deployment runs it, one API process and one worker process, on a PostgreSQL, a
 * Temporal dev server and an SMTP server of the suite's own. Scripted people act through the real
 * surfaces (actors.ts) while the harness SIGKILLs the worker at random moments, restarts PostgreSQL
 * once and the Temporal server once (state on disk), and the SMTP server refuses a fifth of messages.
 * Then it waits for the campaign to settle and checks what must hold, printing the figures.
 *
 * `npm test` runs it small (CHAOS_PATIENTS, 40 by default); `npm run test:chaos` runs 2,000.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildCampaignWorld } from '../../bench/campaign-world';
import { createDb, type Db } from '../../db/database';
import { issueDemoStaffTokens } from '../../db/demo';
import { migrateToLatest } from '../../db/migrate';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import { acceptanceEstimate, offerWindow } from '../../domain/campaign-window';
import { Random } from '../../generate/random';
import { EncryptionCodec, parsePayloadKeys } from '../../temporal/codec';
import { fundClaimsScheduleId } from '../../workflows/ids';
import { Actors, persistently, type Plan, planOf, SLOW_ANSWER_MS } from './harness/actors';
import { claimProblems, clockStartProblems, ledgerReplay, messageFigures, pendingWork, settlement, slotsBookedTwice } from './harness/checks';
import {
  type FlakySmtp,
  type RestartablePostgres,
  type RestartableTemporal,
  scratchDirectory,
  startFlakySmtp,
  startRestartablePostgres,
  startRestartableTemporal,
} from './harness/infrastructure';
import { SupervisedProcess } from './harness/processes';
import { freePort } from '../support/ports';

const PATIENTS = Number(process.env.CHAOS_PATIENTS ?? 40);
const SEED = Number(process.env.CHAOS_SEED ?? 16);
const WORKER_KILLS = Math.max(5, Number(process.env.CHAOS_KILLS ?? 5));
const SMTP_REFUSAL_SHARE = 0.2;
/** The campaign must settle within this once the last fault is over and nothing moves any more. */
const STALL_MS = 120_000;
/** Actions each plan takes (the clinician's confirmation included): the campaign's progress is the share done. */
const PLAN_ACTIONS: Record<Plan, number> = {
  accept: 3,
  'accept-then-cancelled': 4,
  'rejected-then-accept': 5,
  withdraw: 4,
  decline: 2,
  callback: 2,
  ignore: 1,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.warn('chaos cleanup:', (error as Error).message));
}, 5 * 60_000);

/** Warnings and errors a process logged (pino JSON), by their error's type and message, or their message. */
function loggedErrors(output: string): Map<string, number> {
  const errors = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!/"level":(40|50|60)/.test(line)) continue;
    const error = /"err":\{"type":"([^"]*)","message":"([^"]{0,160})/.exec(line);
    const key = error ? `${error[1]}: ${error[2]}` : (/"msg":"([^"]{0,160})/.exec(line)?.[1] ?? line.slice(0, 160));
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  return errors;
}

/** Messages the outbox has yet to settle: waiting for a retry of their send, or being sent. */
async function outboxBusy(db: Db): Promise<number> {
  const { rows } = await sql<{ busy: number }>`select count(*)::int as busy from messages where status in ('pending', 'sending')`.execute(db);
  return rows[0]!.busy;
}

interface Fault {
  readonly at: number;
  readonly kind: 'kill worker' | 'restart PostgreSQL' | 'restart Temporal';
}

/** Faults at seeded points of the campaign's progress, spread over it. */
function faultSchedule(random: Random): Fault[] {
  const faults: Fault[] = [
    ...Array.from({ length: WORKER_KILLS }, () => ({ at: 0.03 + random.next() * 0.85, kind: 'kill worker' as const })),
    { at: 0.2 + random.next() * 0.3, kind: 'restart PostgreSQL' },
    { at: 0.5 + random.next() * 0.3, kind: 'restart Temporal' },
  ];
  return faults.sort((a, b) => a.at - b.at);
}

it(`settles a campaign of ${PATIENTS} patients through worker kills, PostgreSQL and Temporal restarts and SMTP refusals`, { timeout: 10 * 60_000 + PATIENTS * 1_500 }, async () => {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  const say = (line: string) => console.log(`[chaos ${elapsed()}] ${line}`);

  // The servers the suite may stop and start.
  const scratch = await scratchDirectory('bt-chaos-');
  cleanups.push(() => scratch.remove());
  const postgres: RestartablePostgres = await startRestartablePostgres(scratch.path);
  cleanups.push(() => postgres.stop());
  const temporal: RestartableTemporal = await startRestartableTemporal(inject('temporalCliPath') || undefined, scratch.path);
  cleanups.push(() => temporal.stop());
  const smtp: FlakySmtp = await startFlakySmtp({ refuseShare: SMTP_REFUSAL_SHARE, seed: SEED });
  cleanups.push(() => smtp.stop());

  // The world: PATIENTS routine hips at RWE, slots enough that the campaign offers to all of them at once.
  const db: Db = createDb(postgres.url, { poolSize: 4 });
  cleanups.push(() => db.destroy());
  await migrateToLatest(db);
  const slots = PATIENTS + 50;
  if (offerWindow({ freeSlots: slots, fundPlaces: Number.MAX_SAFE_INTEGER, estimate: acceptanceEstimate(0, 0) }) < PATIENTS) throw new Error('the world is too small for its patients');
  const world = await buildCampaignWorld(db, { patients: PATIENTS, warmup: 0, slots });
  const importedClockStarts = new Map(
    (await db.selectFrom('pathways').select(['id', 'clock_start_date']).execute()).map((row) => [row.id, row.clock_start_date] as const),
  );
  const tokens = await issueDemoStaffTokens(db);
  const nuffield = await createStaffUser(db, { name: 'Chaos provider (Nuffield Health)', role: 'provider', provider_ods: 'NT2' });
  const nuffieldToken = await issueStaffToken(db, nuffield.id, 'chaos');
  const plans = Array.from({ length: PATIENTS }, (_, index) => planOf(SEED, index));
  const plannedActions = plans.reduce((sum, plan) => sum + PLAN_ACTIONS[plan], 0);

  // The service: one API process and one worker process.
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const payloadKeys = `chaos:${randomBytes(32).toString('base64')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    PUBLIC_BASE_URL: apiUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'chaos',
    PAYLOAD_KEYS: payloadKeys,
    DATABASE_URL: postgres.url,
    SMTP_URL: smtp.url,
    SHUTDOWN_GRACE_SECONDS: '5',
  };
  const api = new SupervisedProcess('api', env);
  const worker = new SupervisedProcess('worker', env);
  cleanups.push(() => api.stop());
  cleanups.push(() => worker.stop());
  await api.start();
  await worker.start();
  say(`world of ${PATIENTS} patients built; API and worker running`);

  // The campaign, launched by the regional team through the API.
  const launched = await fetch(`${apiUrl}/api/v1/campaigns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.regional}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Chaos campaign', regionCode: 'Y60', trusts: ['RWE'], treatmentFunctions: ['110'], fundId: world.fundId, period: world.period, maxOffers: PATIENTS }),
  });
  expect(launched.status, await launched.clone().text()).toBe(202);
  const campaignId = ((await launched.json()) as { id: number }).id;

  const actors = new Actors({
    apiUrl,
    db,
    campaignId: () => campaignId,
    seed: SEED,
    tokens: { clinician: tokens.clinician, providers: [tokens.provider, nuffieldToken] },
    mail: smtp.taken,
  });
  actors.start();
  cleanups.push(() => actors.stop());

  // Faults, each when the campaign has come that far; what is left once it has settled, then.
  const faults = faultSchedule(new Random(SEED));
  const restarts = { postgres: 0, temporal: 0 };
  const runFault = async (fault: Fault) => {
    say(`${fault.kind} (progress ${((actors.actionsDone() / plannedActions) * 100).toFixed(0)} %)`);
    if (fault.kind === 'kill worker') await worker.kill();
    else if (fault.kind === 'restart PostgreSQL') {
      await postgres.restart(3_000);
      restarts.postgres += 1;
    } else {
      await temporal.restart(3_000);
      restarts.temporal += 1;
    }
  };
  let lastChange = Date.now();
  let lastSignature = '';
  let lastSaid = Date.now();
  /** Where the transfers stand against what people did, once the product's records have settled the answers left open. */
  const settle = async () => {
    await actors.resolveUncertain();
    return settlement(db, campaignId, actors, smtp.taken);
  };
  let settled = await persistently(settle);
  for (;;) {
    const progress = actors.actionsDone() / plannedActions;
    const quiet =
      settled.transfers === PATIENTS && settled.wrongState.length === 0 && settled.stuck.length === 0 && actors.mailPending() === 0 && (await persistently(() => outboxBusy(db))) === 0;
    if (faults.length > 0 && (progress >= faults[0]!.at || quiet || Date.now() - lastChange > STALL_MS / 2)) {
      await runFault(faults.shift()!);
      lastChange = Date.now();
    } else if (quiet && faults.length === 0) break;
    await sleep(1_000);
    settled = await persistently(settle);
    const signature = `${settled.transfers}/${actors.actionsDone()}/${smtp.taken.length}/${settled.wrongState.length}/${settled.stuck.length}`;
    if (signature !== lastSignature) {
      lastSignature = signature;
      lastChange = Date.now();
    }
    if (faults.length === 0 && Date.now() - lastChange > STALL_MS) break;
    if (Date.now() - lastSaid > 30_000) {
      lastSaid = Date.now();
      say(`progress ${(progress * 100).toFixed(0)} %: ${settled.transfers} transfers, ${actors.actionsDone()} actions, ${smtp.taken.length} messages, ${settled.wrongState.length} not yet in their state, ${settled.stuck.length} unfinished, ${settled.lost.length} with a lost message`);
    }
  }
  await actors.stop();
  say('settled; checking');

  // Claims: the fund's run, started by finance as the nightly Schedule would, to its end.
  const finance = { authorization: `Bearer ${tokens.finance}` };
  expect((await fetch(`${apiUrl}/api/v1/funds/${world.fundId}/claims-run`, { method: 'POST', headers: finance })).status).toBe(202);
  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [new EncryptionCodec(parsePayloadKeys(payloadKeys))] } });
  const schedule = client.schedule.getHandle(fundClaimsScheduleId(world.fundId));
  await expect.poll(async () => (await schedule.describe()).info.recentActions.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const run = (await schedule.describe()).info.recentActions.at(-1)!.action;
  await client.workflow.getHandle(run.workflow.workflowId, run.workflow.firstExecutionRunId).result();
  const reconciliation = (await (await fetch(`${apiUrl}/api/v1/funds/${world.fundId}/reconciliation`, { headers: finance })).json()) as { differences: unknown[] };

  const messages = await messageFigures(db, campaignId, actors, smtp.taken);
  const ledger = await ledgerReplay(db, world.fundId);
  const claims = await claimProblems(db, world.fundId);
  const clocks = await clockStartProblems(db, campaignId, importedClockStarts);
  const twice = await slotsBookedTwice(db);
  const states = await db
    .selectFrom('transfers')
    .select(['state', (eb) => eb.fn.countAll<number>().as('count')])
    .where('campaign_id', '=', campaignId)
    .groupBy('state')
    .orderBy('state')
    .execute();
  const { rows: callbackRows } = await sql<{ transfers: number; tasks: number }>`
    select count(distinct transfer_id)::int as transfers, count(*)::int as tasks from callback_tasks`.execute(db);
  const planCounts = Object.entries(plans.reduce<Record<string, number>>((counts, plan) => ({ ...counts, [plan]: (counts[plan] ?? 0) + 1 }), {}));
  const unexpectedExits = [...api.unexpectedExits, ...worker.unexpectedExits];

  const table: [string, string | number][] = [
    ['patients (plans)', `${PATIENTS} (${planCounts.map(([plan, count]) => `${plan} ${count}`).join(', ')})`],
    ['transfers by state', states.map((row) => `${row.state} ${row.count}`).join(', ')],
    ['worker SIGKILLs', worker.kills],
    ['PostgreSQL restarts', restarts.postgres],
    ['Temporal restarts', restarts.temporal],
    ['processes that died unasked', unexpectedExits.length],
    ['SMTP refusals (451)', smtp.refusals()],
    ['messages expected', messages.expected],
    ['messages received', messages.received],
    ['duplicates (extra copies of an intent)', messages.duplicates],
    ['messages lost (unconfirmed, never taken)', messages.missing.length - messages.missingUnflagged.length],
    ['messages lost without a trace', messages.missingUnflagged.length],
    ['messages no action called for', messages.unexpected.length],
    ['outbox by status', Object.entries(messages.outbox).map(([status, count]) => `${status} ${count}`).join(', ')],
    ['slots booked more than once', twice],
    ['fund ledger: movements replayed / times over', `${ledger.movements} / ${ledger.overAt.length}`],
    ['fund reconciliation differences', reconciliation.differences.length],
    ['claim lines / for untreated / claimed twice', `${claims.lines} / ${claims.untreated} / ${claims.twice}`],
    ['returned to list / clock start problems', `${clocks.returned} / ${clocks.problems.length}`],
    ['call backs: transfers / tasks', `${callbackRows[0]!.transfers} / ${callbackRows[0]!.tasks}`],
    ['transfers not in their implied state', settled.wrongState.length],
    ['transfers held up by a lost message', settled.lost.length],
    ['stuck transfers (plan unfinished, no lost message)', settled.stuck.length],
    [`patient answers / over ${SLOW_ANSWER_MS / 1000} s / slowest (ms)`, `${actors.answers} / ${actors.slowAnswers} / ${actors.slowestAnswerMs}`],
    ['answers not as asked (retried or refused)', [...actors.unexpected].map(([key, count]) => `${key}: ${count}`).join('; ') || 'none'],
    ['run time', elapsed()],
  ];
  const width = Math.max(...table.map(([name]) => name.length));
  console.log(`\nChaos campaign (seed ${SEED})\n${table.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n')}\n`);
  for (const service of [api, worker]) {
    const errors = loggedErrors(service.output());
    if (errors.size) console.log(`${service.role} logged:\n  ${[...errors].map(([message, count]) => `${count} × ${message}`).join('\n  ')}`);
  }
  for (const exit of unexpectedExits) console.log(`${exit.role} exited unasked (${exit.code}) at ${exit.at}:\n${exit.output}\n`);
  if (settled.wrongState.length) console.log('not in their implied state (first 20):', JSON.stringify(settled.wrongState.slice(0, 20)));
  if (settled.stuck.length) console.log('stuck (first 20):', JSON.stringify(settled.stuck.slice(0, 20)));
  if (settled.lost.length) console.log('held up by a lost message (first 20):', JSON.stringify(settled.lost.slice(0, 20)));
  if (messages.missing.length) console.log('missing messages (first 20):', messages.missing.slice(0, 20).join(', '));
  if (messages.unexpected.length) console.log('messages no action called for (first 20):', messages.unexpected.slice(0, 20).join(', '));
  const unfinished = [...settled.wrongState, ...settled.stuck].map((transfer) => transfer.transferId);
  const missingOf = messages.missingUnflagged.map((key) => Number(key.split('/')[0]));
  if (unfinished.length + missingOf.length) console.log(`pending in Temporal at ${new Date().toISOString()}:`);
  for (const line of await pendingWork(db, client, [...new Set([...unfinished, ...missingOf])].slice(0, 20))) console.log(line);

  expect.soft(worker.kills).toBeGreaterThanOrEqual(5);
  expect.soft(restarts).toEqual({ postgres: 1, temporal: 1 });
  expect.soft(smtp.refusals()).toBeGreaterThan(0);
  expect.soft(unexpectedExits.map((exit) => `${exit.role} exited ${exit.code}`)).toEqual([]);
  expect.soft(settled.wrongState).toEqual([]);
  expect.soft(settled.stuck).toEqual([]);
  expect.soft(messages.duplicates).toBe(0);
  // Lost messages (an attempt killed mid-send leaves the row `unconfirmed`, never sent again) are the
  // outbox's at-most-once trade: counted and printed above, and a finding, but flagged for a person.
  expect.soft(messages.missingUnflagged).toEqual([]);
  expect.soft(messages.unexpected).toEqual([]);
  expect.soft(twice).toBe(0);
  expect.soft(ledger.overAt).toEqual([]);
  expect.soft(reconciliation.differences).toEqual([]);
  expect.soft(claims).toEqual({ lines: 0, untreated: 0, twice: 0 });
  expect.soft(clocks.problems).toEqual([]);
  expect.soft(callbackRows[0]!.transfers).toBe(callbackRows[0]!.tasks);
  // A moment the service waits out is a 503 that says to try again; any other 5xx is a fault.
  expect.soft([...actors.unexpected].filter(([key]) => / 5(?!03)[0-9]{2}$/.test(key))).toEqual([]);
});
