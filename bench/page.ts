/**
 * `npm run bench -- page [--offers N] [--duration D] [--connections C] [--clinicians K] [--cpu-prof]`: the patient's
 * offer page (PRODUCT.md §8, issue 18) under C connections (default 64), with autocannon.
 *
 * N transfers (default 1,000) are parked on their offer (parked.ts) and each offer given a token of our
 * own (db/tokens.ts, its hash stored as the product stores it: the links the emails carried are gone
 * with the sink). The API runs alone as a process of its own (`main.ts api`, SERVICE_ROLE=api); the
 * worker that answers the accepts' Updates runs in another.
 *
 * - GET /offer/:token for D seconds (default 10), each request the next token in turn;
 * - POST /offer/:token/accept, every token once, each with a free slot of its own at one of its
 *   offered sites, so every accept is taken (a refused one re-renders the page: counted by status).
 *
 * Two baselines in the same run, on bare Hono in a process of its own (bare-page.ts), each for D
 * seconds: the ceiling, returning the same bytes and nothing else; and the floor, doing one indexed
 * read and one audit insert on the same PostgreSQL as well, which any correct page pays. Targets:
 * at least 2,000 requests/s with p99 at 25 ms or less, and at least half the floor's rate.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pMap from 'p-map';
import { loadConfig } from '../config';
import { offerPageByToken } from '../db/repositories/offer-page';
import { hashToken, newSecretToken } from '../db/tokens';
import { dayOf } from '../domain/dates';
import { parkTransfers } from './parked';
import { type BenchProcess, freePort, startProcess, startService } from './processes';
import { explainStatement, type Figure, option, reportFigures } from './support';

const RATE_TARGET = 2_000;
const P99_TARGET_MS = 25;
const WARMUP_SECONDS = 2;

interface Load {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
}

interface Target {
  readonly paths: readonly string[];
  readonly bodies?: readonly string[];
}

export async function benchPage(args: readonly string[]): Promise<void> {
  const offers = option(args, '--offers', 1_000);
  const duration = option(args, '--duration', 10);
  const connections = option(args, '--connections', 64);
  const clinicians = option(args, '--clinicians', 32);
  const config = loadConfig();
  const parked = await parkTransfers(config, { transfers: offers, clinicians });
  const processes: BenchProcess[] = [];
  const pageFile = path.join(os.tmpdir(), `bt-bench-page-${randomUUID()}.html`);
  try {
    const db = parked.bench.db;
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    console.log('Starting the API alone (main.ts api) …');
    // --cpu-prof: the API writes a V8 CPU profile into bench/results/ when it stops (open it in Chrome's DevTools).
    const profile = args.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('bench/results')}`] : [];
    processes.push(await startService('api', { ...parked.env, PORT: String(apiPort), PUBLIC_BASE_URL: apiUrl }, profile));

    // Every parked offer, with a token we know and a free slot of its own at one of its sites.
    const open = await db
      .selectFrom('offers')
      .innerJoin('transfers', 'transfers.id', 'offers.transfer_id')
      .innerJoin('offer_choices', 'offer_choices.transfer_id', 'transfers.id')
      .select(['offers.id as offerId', 'offer_choices.site_ods as siteOds'])
      .where('transfers.campaign_id', '=', parked.campaign.campaignId)
      .where('transfers.state', '=', 'offered')
      .orderBy('offers.id')
      .orderBy('offer_choices.rank')
      .execute();
    const sitesOf = new Map<number, string[]>();
    for (const { offerId, siteOds } of open) sitesOf.set(offerId, [...(sitesOf.get(offerId) ?? []), siteOds]);
    const freeSlots = await db
      .selectFrom('slots')
      .select(['id', 'site_ods'])
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('bookings').select('bookings.id').whereRef('bookings.slot_id', '=', 'slots.id'))))
      .orderBy('slot_date')
      .orderBy('id')
      .execute();
    const tokens: string[] = [];
    const accepts: { token: string; body: string }[] = [];
    await pMap(
      [...sitesOf],
      async ([offerId, sites]) => {
        const token = newSecretToken('o');
        await db.updateTable('offers').set({ token_hash: hashToken(token) }).where('id', '=', offerId).execute();
        tokens.push(token);
        const slot = freeSlots.findIndex((candidate) => sites.includes(candidate.site_ods));
        if (slot < 0) return;
        const [{ id, site_ods: siteOds }] = freeSlots.splice(slot, 1) as [{ id: number; site_ods: string }];
        accepts.push({ token, body: `choice=${encodeURIComponent(`${siteOds}:${id}`)}&consent_transfer_of_care=yes&consent_share_records=yes` });
      },
      { concurrency: 8 },
    );
    console.log(`${tokens.length.toLocaleString('en-GB')} open offers, ${accepts.length.toLocaleString('en-GB')} with a free slot of their own to accept`);

    const first = await fetch(`${apiUrl}/offer/${tokens[0]}`);
    if (first.status !== 200) throw new Error(`the offer page answered ${first.status}: ${(await first.text()).slice(0, 500)}`);
    const page = Buffer.from(await first.arrayBuffer());
    await writeFile(pageFile, page);

    const bare = async (mode: 'ceiling' | 'floor') => {
      const port = await freePort();
      const baseline = await startProcess(fileURLToPath(new URL('./bare-page.ts', import.meta.url)), [], {
        PORT: String(port),
        MODE: mode,
        PAGE_FILE: pageFile,
        DATABASE_URL: parked.bench.url,
        DATABASE_POOL_SIZE: String(config.DATABASE_POOL_SIZE),
      });
      processes.push(baseline);
      return `http://127.0.0.1:${port}`;
    };
    const urls = { api: apiUrl, ceiling: await bare('ceiling'), floor: await bare('floor') };

    const pages: Target = { paths: tokens.map((token) => `/offer/${token}`) };
    const get: Record<string, Load> = {};
    for (const [name, url] of Object.entries(urls)) {
      console.log(`GET the offer page, ${name}: ${WARMUP_SECONDS} s warm-up, then ${duration} s at ${connections} connections …`);
      await load(url, 'GET', pages, { connections, duration: WARMUP_SECONDS });
      get[name] = await load(url, 'GET', pages, { connections, duration });
      console.log(`  ${describe(get[name])}`);
    }
    // The page's one statement, as PostgreSQL runs it once the GETs have warmed it.
    const plan = await explainStatement(parked.bench.url, (plain) => offerPageByToken(plain, tokens[0]!, dayOf(new Date())));
    console.log(`\nPlan of the page's statement:\n${plan}\n`);
    const acceptTarget: Target = { paths: accepts.map(({ token }) => `/offer/${token}/accept`), bodies: accepts.map(({ body }) => body) };
    const post: Record<string, Load> = {};
    for (const name of ['ceiling', 'floor'] as const) {
      console.log(`POST accept, ${name}: ${duration} s at ${connections} connections …`);
      post[name] = await load(urls[name], 'POST', acceptTarget, { connections, duration });
      console.log(`  ${describe(post[name])}`);
    }
    // Each offer can be accepted once: the API gets every one, once, and no warm-up.
    console.log(`POST accept, api: ${accepts.length.toLocaleString('en-GB')} accepts at ${connections} connections …`);
    post.api = await load(urls.api, 'POST', acceptTarget, { connections, amount: accepts.length });
    console.log(`  ${describe(post.api)}`);
    const accepted = await db
      .selectFrom('patient_responses')
      .innerJoin('transfers', 'transfers.id', 'patient_responses.transfer_id')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('transfers.campaign_id', '=', parked.campaign.campaignId)
      .where('patient_responses.kind', '=', 'accept')
      .executeTakeFirstOrThrow();

    const figures = (what: string, loads: Record<string, Load>): Figure[] => [
      { name: `${what}: rate`, value: loads.api!.rate, unit: 'req/s', baseline: loads.floor!.rate, baselineName: 'floor (bare Hono, one read, one insert)', targetRatio: 0.5, target: RATE_TARGET },
      { name: `${what}: p99`, value: loads.api!.p99, unit: 'ms', baseline: loads.floor!.p99, baselineName: 'floor', better: 'lower', target: P99_TARGET_MS },
      { name: `${what}: rate against the ceiling`, value: loads.api!.rate, unit: 'req/s', baseline: loads.ceiling!.rate, baselineName: 'ceiling (bare Hono, the same bytes)' },
    ];
    await reportFigures(
      'page',
      `The patient's offer page at ${connections} connections, API process alone (${page.length.toLocaleString('en-GB')} bytes a page)`,
      [...figures('GET /offer/:token', get), ...figures('POST /offer/:token/accept', post)],
      [
        ...Object.entries(get).map(([name, result]) => `GET ${name}: ${describe(result)}`),
        ...Object.entries(post).map(([name, result]) => `POST accept ${name}: ${describe(result)}`),
        `accepts taken (patient_responses): ${accepted.count.toLocaleString('en-GB')} of ${accepts.length.toLocaleString('en-GB')} posted; ` +
          `GET ${duration} s each after a ${WARMUP_SECONDS} s warm-up, over ${tokens.length.toLocaleString('en-GB')} tokens in turn; the accepts of the API once each, no warm-up`,
        `parking ${offers.toLocaleString('en-GB')} transfers took ${parked.parkSeconds.toFixed(0)} s; autocannon runs in this process, the API, the worker and each baseline in their own, on ${os.cpus().length} cores`,
      ],
      { offers, connections, duration, pageBytes: page.length, get, post, accepted: accepted.count, plan },
    );
  } finally {
    for (const child of processes.reverse()) await child.stop();
    await rm(pageFile, { force: true });
    await parked.close();
  }
}

/** Runs autocannon against the URL, each request the target's next path (and body) in turn, for a duration or an amount. */
async function load(url: string, method: 'GET' | 'POST', target: Target, options: { connections: number; duration?: number; amount?: number }): Promise<Load> {
  let next = 0;
  const result = await autocannon({
    url,
    // autocannon refuses more connections than requests: a small run of accepts has fewer.
    connections: Math.min(options.connections, options.amount ?? options.connections),
    ...(options.amount === undefined ? { duration: options.duration } : { amount: options.amount }),
    timeout: 60,
    headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    requests: [
      {
        method,
        setupRequest: (request) => {
          const index = next++ % target.paths.length;
          return { ...request, path: target.paths[index], ...(target.bodies ? { body: target.bodies[index] } : {}) };
        },
      },
    ],
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0]));
  // None answered within the run: its latencies are unknown, and no better than the run's length.
  const none = result.requests.total === 0;
  return {
    rate: result.requests.total / seconds,
    p50: none ? Number.POSITIVE_INFINITY : result.latency.p50,
    p99: none ? Number.POSITIVE_INFINITY : result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    statuses,
  };
}

function describe(result: Load): string {
  return `${Math.round(result.rate).toLocaleString('en-GB')} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.requests.toLocaleString('en-GB')} requests, statuses ${JSON.stringify(result.statuses)}${result.errors ? `, ${result.errors} errors` : ''}`;
}
