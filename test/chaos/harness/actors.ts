/**
 * The people of the chaos campaign, scripted: a clinician confirming every candidate through the API,
 * patients answering the mail they get through the real offer pages (a form POST, as a browser without
 * JavaScript sends it), and the IS providers accepting or rejecting bookings and recording outcomes
 * through the provider API. Each patient's plan is drawn from a seed. Every action that succeeded is
 * logged against its transfer: the state the transfer should end in is read from that log.
 */
import type { TransferState } from '../../../domain/transfer';
import type { Db } from '../../../db/database';
import { Random } from '../../../generate/random';
import type { TakenMail } from './infrastructure';

/** What a patient does with their offer, and what the provider then does with their booking. */
export const PLANS = {
  /** Chooses a hospital and date with both consents; the provider accepts: booked. */
  accept: 15,
  /** As accept, then the provider records the outcome `cancelled`: back on the list. */
  'accept-then-cancelled': 10,
  /** Accepts; the provider rejects after pre-op assessment; accepts the re-offer; the provider accepts it. */
  'rejected-then-accept': 10,
  /** Accepts; once the booking is confirmed, withdraws through the page. */
  withdraw: 15,
  decline: 20,
  /** Asks for a call back, twice (a double click), and answers nothing. */
  callback: 15,
  ignore: 15,
} as const;
export type Plan = keyof typeof PLANS;

/**
 * A generator for one patient's draws: the parts are hashed (murmur3's finaliser) into its seed, since
 * xoroshiro128+ seeded with neighbouring numbers starts with nearly the same draws.
 */
export function seeded(...parts: number[]): Random {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ part, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return new Random(hash >>> 0);
}

/** The plan of the patient with this index: the same seed gives the same campaign. */
export function planOf(seed: number, index: number): Plan {
  const random = seeded(seed, index);
  const plans = Object.entries(PLANS) as [Plan, number][];
  let draw = random.next() * plans.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [plan, weight] of plans) {
    draw -= weight;
    if (draw < 0) return plan;
  }
  return 'ignore';
}

/** Actions that succeeded, in order, per transfer. */
export type Action = 'confirm' | 'accept' | 'decline' | 'callback' | 'withdraw' | 'provider-accept' | 'provider-reject' | 'outcome-cancelled';

export interface Patient {
  readonly index: number;
  readonly plan: Plan;
  readonly transferId: number;
}

/**
 * The state a transfer's log implies once the product has acted on its last action. An accept whose
 * date had gone by the time the product held it (`lastDateGone`, from the transfer's events) opens a
 * new offer round instead of a booking.
 */
export function impliedState(log: readonly Action[], lastDateGone = false): TransferState {
  switch (log.at(-1)) {
    case undefined:
      return 'awaiting_review';
    case 'decline':
      return 'declined';
    case 'withdraw':
      return 'withdrawn';
    case 'outcome-cancelled':
      return 'cancelled';
    case 'provider-accept':
      return 'booked';
    case 'accept':
      return lastDateGone ? 'offered' : 'awaiting_provider';
    // Confirmed, asked for a call back, or rejected by a provider: an offer is open (again).
    default:
      return 'offered';
  }
}

/** Whether the patient and the provider have done all their plan asks of them. */
export function planDone(plan: Plan, log: readonly Action[]): boolean {
  const last = log.at(-1);
  switch (plan) {
    case 'accept':
      return last === 'provider-accept';
    case 'accept-then-cancelled':
      return last === 'outcome-cancelled';
    case 'rejected-then-accept':
      return log.includes('provider-reject') && last === 'provider-accept';
    case 'withdraw':
      return last === 'withdraw';
    case 'decline':
      return last === 'decline';
    case 'callback':
      return log.includes('callback');
    case 'ignore':
      return last === 'confirm';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "Within seconds" (PRODUCT.md §9): an answer slower than this is counted. */
export const SLOW_ANSWER_MS = 10_000;

/** Work that PostgreSQL or the API restarting may cut (the harness's own reads too), tried again. */
export async function persistently<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 60) throw error;
      await sleep(1_000);
    }
  }
}

export interface Cast {
  readonly apiUrl: string;
  readonly db: Db;
  readonly campaignId: () => number | undefined;
  readonly seed: number;
  readonly tokens: { readonly clinician: string; readonly providers: readonly string[] };
  readonly mail: readonly TakenMail[];
}

/** HTTP answers the actors got that were not what they asked for, by action and status. */
export type Tally = Map<string, number>;

export class Actors {
  readonly logs = new Map<number, Action[]>();
  private readonly sentAt = new Map<number, number[]>();
  readonly patients = new Map<number, Patient>();
  readonly unexpected: Tally = new Map();
  /** The slowest patient answer (form POST to its redirect, retries included), ms. */
  slowestAnswerMs = 0;
  answers = 0;
  /** Answers that took longer than SLOW_ANSWER_MS. */
  slowAnswers = 0;
  private mailRead = 0;
  private readonly mailInFlight = new Set<Promise<void>>();
  private readonly bookingsInFlight = new Set<number>();
  private readonly links = new Map<number, string>();
  private running = true;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly cast: Cast) {}

  /**
   * Logs an action that succeeded, in the order the requests were sent: a request's answer may come
   * back after the next person has acted on what it did (a batch of confirmations answers once all
   * are done; a provider's answer may come back after the patient has read the mail it caused).
   */
  log(transferId: number, action: Action, sentAt: number): void {
    const log = this.logs.get(transferId) ?? [];
    const times = this.sentAt.get(transferId) ?? [];
    let at = times.length;
    while (at > 0 && times[at - 1]! > sentAt) at -= 1;
    log.splice(at, 0, action);
    times.splice(at, 0, sentAt);
    this.logs.set(transferId, log);
    this.sentAt.set(transferId, times);
  }

  /**
   * Actions whose answer left it open whether they were taken: a 503 says the change may still land
   * once a worker takes it, and a retry of one may be refused as done or as too late. Each is logged
   * (at the time it was sent) once the product's own records show it, and never otherwise.
   */
  private uncertain: { transferId: number; action: Action; sentAt: number; bookingId?: number }[] = [];

  private doubt(transferId: number, action: Action, sentAt: number, bookingId?: number): void {
    this.uncertain.push({ transferId, action, sentAt, ...(bookingId === undefined ? {} : { bookingId }) });
  }

  /** Logs each uncertain action the product has since recorded. */
  async resolveUncertain(): Promise<void> {
    const still: typeof this.uncertain = [];
    for (const entry of this.uncertain) {
      if (await this.recorded(entry)) this.log(entry.transferId, entry.action, entry.sentAt);
      else still.push(entry);
    }
    this.uncertain = still;
  }

  private async recorded({ transferId, action, bookingId }: { transferId: number; action: Action; bookingId?: number }): Promise<boolean> {
    const { db } = this.cast;
    const logged = (this.logs.get(transferId) ?? []).filter((done) => done === action).length;
    if (action === 'confirm') {
      return logged === 0 && (await db.selectFrom('clinical_reviews').select('transfer_id').where('transfer_id', '=', transferId).executeTakeFirst()) !== undefined;
    }
    if (action === 'accept' || action === 'decline' || action === 'withdraw' || action === 'callback') {
      const rows = await db.selectFrom('patient_responses').select('id').where('transfer_id', '=', transferId).where('kind', '=', action).execute();
      return rows.length > logged;
    }
    return bookingId !== undefined && logged === 0 && (await this.alreadyDone(bookingId, action));
  }

  /** Actions done so far, all transfers together: the campaign's progress. */
  actionsDone(): number {
    let done = 0;
    for (const log of this.logs.values()) done += log.length;
    return done;
  }

  /** Mail taken but not yet acted on. */
  mailPending(): number {
    return this.cast.mail.length - this.mailRead + this.mailInFlight.size;
  }

  start(): void {
    this.loops.push(this.every(1_000, () => this.clinician()), this.every(250, () => this.readMail()), this.every(1_000, () => this.providers()));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all(this.mailInFlight);
  }

  private async every(ms: number, work: () => Promise<void>): Promise<void> {
    while (this.running) {
      try {
        await work();
      } catch (error) {
        // PostgreSQL restarting under the harness's own reads, or the API away: try again next round.
        this.count(`loop error: ${(error as Error).message.slice(0, 80)}`);
      }
      await sleep(ms);
    }
  }

  private count(key: string): void {
    this.unexpected.set(key, (this.unexpected.get(key) ?? 0) + 1);
  }

  /**
   * A request to the API, retried (as a person would, for up to about five minutes) while the answer is
   * a network error or a 5xx: Temporal or PostgreSQL away, or no worker to take an Update.
   */
  private async request(action: string, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${this.cast.apiUrl}${path}`, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string> | undefined) },
        });
        if (response.status < 500 || attempt >= 300) return response;
        this.count(`${action} ${response.status}`);
        await response.body?.cancel();
      } catch (error) {
        if (attempt >= 300) throw error;
        this.count(`${action} ${(error as Error).cause ? String((error as { cause: { code?: string } }).cause.code) : (error as Error).message}`);
      }
      await sleep(1_000);
    }
  }

  private json(action: string, path: string, token: string, body?: unknown): Promise<Response> {
    return this.request(action, path, {
      token,
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  }

  private async knowTransfer(transferId: number): Promise<Patient | undefined> {
    const known = this.patients.get(transferId);
    if (known) return known;
    const row = await this.cast.db
      .selectFrom('transfers')
      .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
      .select('pathways.pathway_ref')
      .where('transfers.id', '=', transferId)
      .executeTakeFirst();
    if (!row) return undefined;
    const index = Number(row.pathway_ref.split('-')[1]);
    const patient = { index, plan: planOf(this.cast.seed, index), transferId };
    this.patients.set(transferId, patient);
    return patient;
  }

  /** Confirms every candidate of the campaign awaiting review, in batches. */
  private async clinician(): Promise<void> {
    const campaignId = this.cast.campaignId();
    if (campaignId === undefined) return;
    const waiting = await this.cast.db
      .selectFrom('transfers')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'awaiting_review')
      .orderBy('id')
      .execute();
    const ids = waiting.map((row) => row.id).filter((id) => !this.logs.get(id)?.includes('confirm'));
    for (let start = 0; start < ids.length && this.running; start += 100) {
      const batch = ids.slice(start, start + 100);
      const sentAt = Date.now();
      const response = await this.json('confirm', '/api/v1/transfers/review/confirm', this.cast.tokens.clinician, { transferIds: batch });
      if (response.status !== 200) {
        this.count(`confirm ${response.status}`);
        for (const transferId of batch) this.doubt(transferId, 'confirm', sentAt);
        await response.body?.cancel();
        continue;
      }
      const { results } = (await response.json()) as { results: { transferId: number; state?: string; error?: string }[] };
      for (const result of results) {
        await this.knowTransfer(result.transferId);
        // Refused as "not awaiting review": an earlier answer that did not reach us went through.
        if (result.state || result.error?.includes('not awaiting review')) this.log(result.transferId, 'confirm', sentAt);
        else {
          this.count(`confirm refused: ${result.error}`);
          this.doubt(result.transferId, 'confirm', sentAt);
        }
      }
    }
  }

  /** Each new message taken by the SMTP server, handed to its patient (a few at a time). */
  private async readMail(): Promise<void> {
    while (this.mailRead < this.cast.mail.length && this.mailInFlight.size < 16) {
      const mail = this.cast.mail[this.mailRead++]!;
      const handling = persistently(() => this.patientReads(mail)).catch((error: unknown) => this.count(`patient error: ${(error as Error).message.slice(0, 80)}`));
      const tracked = handling.finally(() => this.mailInFlight.delete(tracked));
      this.mailInFlight.add(tracked);
    }
  }

  private async patientReads(mail: TakenMail): Promise<void> {
    const link = /\/offer\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    if (link) this.links.set(mail.transferId, link);
    const patient = await this.knowTransfer(mail.transferId);
    if (!patient || !link) return;
    if (mail.intent.startsWith('offer-')) {
      switch (patient.plan) {
        case 'decline':
          return this.answer(patient, 'decline', `${link}/decline`, { reason: 'I would rather wait for my own hospital' });
        case 'callback':
          // A double click: the second is the same call back.
          await this.answer(patient, 'callback', `${link}/callback`, {});
          return this.answer(patient, 'callback', `${link}/callback`, {}, false);
        case 'ignore':
          return;
        default:
          return this.accept(patient, link, Number(mail.intent.slice('offer-'.length)));
      }
    }
    if (mail.intent === 'booking-confirmation' && patient.plan === 'withdraw') {
      return this.answer(patient, 'withdraw', `${link}/withdraw`, { reason: 'I have changed my mind', confirm: 'yes' });
    }
  }

  /** Opens the offer page, chooses one of the dates it shows (seeded), and accepts with both consents. */
  private async accept(patient: Patient, link: string, round: number): Promise<void> {
    const page = await this.request('offer page', link);
    const html = await page.text();
    const choices = [...html.matchAll(/name="choice" type="radio" value="([A-Z0-9]+:\d+)"/g)].map((match) => match[1]!);
    if (choices.length === 0) {
      this.count(`offer page without dates (${page.status})`);
      return;
    }
    const choice = seeded(this.cast.seed, patient.index, round).pick(choices);
    await this.answer(patient, 'accept', `${link}/accept`, { choice, consent_transfer_of_care: 'yes', consent_share_records: 'yes' });
  }

  /** Posts a form of the offer page; the product redirects to the page once it has recorded the answer. */
  private async answer(patient: Patient, action: Action, path: string, form: Record<string, string>, logIt = true): Promise<void> {
    const started = Date.now();
    const response = await this.request(action, path, { method: 'POST', body: new URLSearchParams(form) });
    await response.body?.cancel();
    const took = Date.now() - started;
    this.slowestAnswerMs = Math.max(this.slowestAnswerMs, took);
    this.answers += 1;
    if (took > SLOW_ANSWER_MS) this.slowAnswers += 1;
    if (response.status !== 303) {
      this.count(`${action} answered ${response.status}`);
      if (logIt) this.doubt(patient.transferId, action, started);
      return;
    }
    if (logIt) this.log(patient.transferId, action, started);
  }

  /** Each provider's requested bookings are decided, and the outcomes its plans ask for recorded. */
  private async providers(): Promise<void> {
    await Promise.all(
      this.cast.tokens.providers.map(async (token) => {
        for (const status of ['requested', 'accepted'] as const) {
          const response = await this.json('bookings', `/api/v1/bookings?status=${status}`, token);
          if (response.status !== 200) {
            this.count(`bookings ${response.status}`);
            await response.body?.cancel();
            continue;
          }
          const { bookings } = (await response.json()) as { bookings: { id: number; transferId: number }[] };
          await Promise.all(bookings.filter((booking) => !this.bookingsInFlight.has(booking.id)).map((booking) => this.provider(token, status, booking)));
        }
      }),
    );
  }

  /** A decision refused as made already: an earlier attempt whose answer was lost (a 5xx on the way back) went through. */
  private async alreadyDone(bookingId: number, action: Action): Promise<boolean> {
    if (action === 'outcome-cancelled') {
      return (await this.cast.db.selectFrom('outcomes').select('outcome').where('booking_id', '=', bookingId).executeTakeFirst())?.outcome === 'cancelled';
    }
    const booking = await this.cast.db.selectFrom('bookings').select(['status', 'transfer_id']).where('id', '=', bookingId).executeTakeFirst();
    if (action === 'provider-reject') return booking?.status === 'rejected';
    // Accepted: the transfer was booked (once in its life), whatever happened to the booking since.
    if (!booking) return false;
    return (await this.cast.db.selectFrom('transfer_events').select('id').where('transfer_id', '=', booking.transfer_id).where('kind', '=', 'booked').executeTakeFirst()) !== undefined;
  }

  private async provider(token: string, status: 'requested' | 'accepted', booking: { id: number; transferId: number }): Promise<void> {
    const patient = await this.knowTransfer(booking.transferId);
    if (!patient) return;
    const log = this.logs.get(booking.transferId) ?? [];
    let action: Action;
    let path: string;
    let body: unknown;
    if (status === 'requested') {
      const reject = patient.plan === 'rejected-then-accept' && !log.includes('provider-reject');
      action = reject ? 'provider-reject' : 'provider-accept';
      path = `/api/v1/bookings/${booking.id}/decision`;
      body = reject ? { decision: 'reject', reason: 'Anaesthetic risk found at pre-op assessment' } : { decision: 'accept' };
    } else {
      // The real clock allows no treatment yet (every date offered is tomorrow or later): a cancellation is recordable now.
      if (patient.plan !== 'accept-then-cancelled' || log.includes('outcome-cancelled')) return;
      action = 'outcome-cancelled';
      path = `/api/v1/bookings/${booking.id}/outcome`;
      body = { outcome: 'cancelled', reason: 'The list was cancelled' };
    }
    this.bookingsInFlight.add(booking.id);
    try {
      const sentAt = Date.now();
      const response = await this.json(action, path, token, body);
      await response.body?.cancel();
      if (response.status === 200 || (response.status === 409 && (await this.alreadyDone(booking.id, action)))) this.log(booking.transferId, action, sentAt);
      else {
        this.count(`${action} answered ${response.status}`);
        this.doubt(booking.transferId, action, sentAt, booking.id);
      }
    } finally {
      this.bookingsInFlight.delete(booking.id);
    }
  }
}
