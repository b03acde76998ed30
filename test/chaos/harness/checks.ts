/**
 * What the chaos campaign must have left behind, read from PostgreSQL and from what the SMTP server
 * took: each a count that must be zero (or a pair that must match), printed as one table.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import type { Db } from '../../../db/database';
import { LIVE_BOOKING_STATUSES } from '../../../db/repositories/offer-choices';
import { RETURNED_TO_LIST } from '../../../db/repositories/transfers';
import { type Action, type Actors, impliedState, planDone } from './actors';
import type { TakenMail } from './infrastructure';
import { transferWorkflowId } from '../../../workflows/ids';

export interface Settlement {
  /** Transfers the campaign has started. */
  readonly transfers: number;
  /** Transfers whose state is not the one their log implies. */
  readonly wrongState: { transferId: number; plan: string; expected: string; actual: string; log: readonly Action[] }[];
  /**
   * Transfers in the state their log implies whose plan is not done because a message never came: the
   * outbox left it `unconfirmed` (an attempt died mid-send; it is not sent again, so as never to send
   * twice) and the SMTP server never took it.
   */
  readonly lost: { transferId: number; plan: string; state: string; intents: string[] }[];
  /** Transfers in the state their log implies whose plan is not done, with no lost message to explain it. */
  readonly stuck: { transferId: number; plan: string; state: string; log: readonly Action[] }[];
}

/** The campaign's messages left `unconfirmed`: an attempt stopped mid-send, never sent again. */
function unconfirmedMessages(db: Db, campaignId: number): Promise<{ transferId: number; intent: string }[]> {
  return db
    .selectFrom('messages')
    .innerJoin('transfers', 'transfers.id', 'messages.transfer_id')
    .select(['messages.transfer_id as transferId', 'messages.intent'])
    .where('transfers.campaign_id', '=', campaignId)
    .where('messages.status', '=', 'unconfirmed')
    .execute();
}

/** Every transfer of the campaign against the state its people's actions imply. */
export async function settlement(db: Db, campaignId: number, actors: Actors, taken: readonly TakenMail[]): Promise<Settlement> {
  const transfers = await db.selectFrom('transfers').select(['id', 'state']).where('campaign_id', '=', campaignId).execute();
  const unconfirmed = await unconfirmedMessages(db, campaignId);
  // Each accept either held its date or found it gone: the latest of those events says which.
  const holds = await db
    .selectFrom('transfer_events')
    .innerJoin('transfers', 'transfers.id', 'transfer_events.transfer_id')
    .select(['transfer_events.transfer_id as transferId', 'transfer_events.kind'])
    .where('transfers.campaign_id', '=', campaignId)
    .where('transfer_events.kind', 'in', ['booking.held', 'booking.slot-taken'])
    .orderBy('transfer_events.id')
    .execute();
  const lastHold = new Map(holds.map((event) => [event.transferId, event.kind] as const));
  const received = new Set(taken.map((mail) => `${mail.transferId}/${mail.intent}`));
  const lostIntents = new Map<number, string[]>();
  for (const { transferId, intent } of unconfirmed) {
    if (!received.has(`${transferId}/${intent}`)) lostIntents.set(transferId, [...(lostIntents.get(transferId) ?? []), intent]);
  }
  const wrongState: Settlement['wrongState'] = [];
  const lost: Settlement['lost'] = [];
  const stuck: Settlement['stuck'] = [];
  for (const transfer of transfers) {
    const log = actors.logs.get(transfer.id) ?? [];
    const plan = actors.patients.get(transfer.id)?.plan;
    const expected = impliedState(log, lastHold.get(transfer.id) === 'booking.slot-taken');
    if (transfer.state !== expected) wrongState.push({ transferId: transfer.id, plan: plan ?? '?', expected, actual: transfer.state, log });
    else if (plan && planDone(plan, log)) continue;
    else if (lostIntents.has(transfer.id)) lost.push({ transferId: transfer.id, plan: plan ?? '?', state: transfer.state, intents: lostIntents.get(transfer.id)! });
    else stuck.push({ transferId: transfer.id, plan: plan ?? '?', state: transfer.state, log });
  }
  return { transfers: transfers.length, wrongState, lost, stuck };
}

export interface MessageFigures {
  /** Messages the people's actions call for (every offer round opened, each confirmation and withdrawal). */
  readonly expected: number;
  /** Of those, taken by the SMTP server. */
  readonly received: number;
  /** Intents taken more than once (each extra copy counted). */
  readonly duplicates: number;
  /** Expected and never taken. */
  readonly missing: string[];
  /** Of those, the ones the outbox does not flag `unconfirmed` for a person to check: lost without a trace. */
  readonly missingUnflagged: string[];
  /** Taken but called for by no action. */
  readonly unexpected: string[];
  /** The outbox's rows by status. */
  readonly outbox: Record<string, number>;
}

export async function messageFigures(db: Db, campaignId: number, actors: Actors, taken: readonly TakenMail[]): Promise<MessageFigures> {
  // The offer rounds the product opened (a provider's rejection or a slot taken meanwhile opens another).
  const rounds = await db
    .selectFrom('offer_choices')
    .innerJoin('transfers', 'transfers.id', 'offer_choices.transfer_id')
    .select(['offer_choices.transfer_id as transferId', (eb) => eb.fn.max('offer_choices.round').as('rounds')])
    .where('transfers.campaign_id', '=', campaignId)
    .groupBy('offer_choices.transfer_id')
    .execute();
  const roundsOf = new Map(rounds.map((row) => [row.transferId, row.rounds]));
  const expected = new Set<string>();
  for (const [transferId, log] of actors.logs) {
    if (!log.includes('confirm')) continue;
    for (let round = 1; round <= (roundsOf.get(transferId) ?? 0); round++) expected.add(`${transferId}/offer-${round}`);
    if (log.includes('provider-accept')) expected.add(`${transferId}/booking-confirmation`);
    if (log.includes('withdraw')) expected.add(`${transferId}/withdrawal`);
  }
  const copies = new Map<string, number>();
  for (const mail of taken) copies.set(`${mail.transferId}/${mail.intent}`, (copies.get(`${mail.transferId}/${mail.intent}`) ?? 0) + 1);
  const outbox = await db
    .selectFrom('messages')
    .innerJoin('transfers', 'transfers.id', 'messages.transfer_id')
    .select(['messages.status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('transfers.campaign_id', '=', campaignId)
    .groupBy('messages.status')
    .execute();
  const unconfirmed = await unconfirmedMessages(db, campaignId);
  const flagged = new Set(unconfirmed.map((row) => `${row.transferId}/${row.intent}`));
  const missing = [...expected].filter((key) => !copies.has(key));
  return {
    expected: expected.size,
    received: [...expected].filter((key) => copies.has(key)).length,
    duplicates: [...copies.values()].reduce((sum, count) => sum + count - 1, 0),
    missing,
    missingUnflagged: missing.filter((key) => !flagged.has(key)),
    unexpected: [...copies.keys()].filter((key) => !expected.has(key)),
    outbox: Object.fromEntries(outbox.map((row) => [row.status, row.count])),
  };
}

/** Slots under more than one live booking. */
export async function slotsBookedTwice(db: Db): Promise<number> {
  const { rows } = await sql<{ slots: number }>`
    select count(*)::int as slots from (
      select slot_id from bookings where status = any(${LIVE_BOOKING_STATUSES as unknown as string[]}) group by slot_id having count(*) > 1) twice`.execute(db);
  return rows[0]!.slots;
}

/** The fund's ledger replayed in order: the moments committed + claimed passed the allocation, and the balance at the end. */
export async function ledgerReplay(db: Db, fundId: number): Promise<{ movements: number; overAt: number[]; committed: number; claimed: number; allocation: number }> {
  const fund = await db.selectFrom('funds').select('allocation_pence').where('id', '=', fundId).executeTakeFirstOrThrow();
  const { rows } = await sql<{ id: number; committed_pence: number; claimed_pence: number }>`
    select id, committed_pence::int, claimed_pence::int from fund_movement_effects where fund_id = ${fundId} order by id`.execute(db);
  let committed = 0;
  let claimed = 0;
  const overAt: number[] = [];
  for (const row of rows) {
    committed += row.committed_pence;
    claimed += row.claimed_pence;
    if (committed + claimed > fund.allocation_pence || committed < 0) overAt.push(row.id);
  }
  return { movements: rows.length, overAt, committed, claimed, allocation: fund.allocation_pence };
}

/** Claim lines for a transfer not treated, and transfers (or bookings) claimed more than once. */
export async function claimProblems(db: Db, fundId: number): Promise<{ lines: number; untreated: number; twice: number }> {
  const { rows } = await sql<{ lines: number; untreated: number; twice: number }>`
    select (select count(*)::int from claim_lines where fund_id = ${fundId}) as lines,
           (select count(*)::int from claim_lines l join transfers t on t.id = l.transfer_id where l.fund_id = ${fundId} and t.state <> 'treated') as untreated,
           (select count(*)::int from (select transfer_id from claim_lines where fund_id = ${fundId} group by transfer_id having count(*) > 1) x) as twice`.execute(db);
  return rows[0]!;
}

/**
 * Every transfer of the campaign that closed untreated: its `returned_to_list` event carries the
 * pathway's clock start as imported, and the pathway's clock start is still that.
 */
export async function clockStartProblems(db: Db, campaignId: number, importedClockStarts: ReadonlyMap<number, string>): Promise<{ returned: number; problems: string[] }> {
  const rows = await db
    .selectFrom('transfers')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .leftJoin('transfer_events', (join) => join.onRef('transfer_events.transfer_id', '=', 'transfers.id').on('transfer_events.kind', '=', RETURNED_TO_LIST))
    .select(['transfers.id', 'transfers.state', 'pathways.id as pathwayId', 'pathways.clock_start_date as clockStart', 'transfer_events.detail'])
    .where('transfers.campaign_id', '=', campaignId)
    .where('transfers.state', 'in', ['declined', 'withdrawn', 'cancelled', 'did_not_attend', 'lapsed', 'returned', 'refused'])
    .execute();
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row.id)) problems.push(`transfer ${row.id} (${row.state}) went back to the list more than once`);
    seen.add(row.id);
    const imported = importedClockStarts.get(row.pathwayId);
    const detail = row.detail as { clockStartDate?: string } | null;
    if (!detail) problems.push(`transfer ${row.id} (${row.state}) has no ${RETURNED_TO_LIST} event`);
    else if (detail.clockStartDate !== imported) problems.push(`transfer ${row.id}: ${RETURNED_TO_LIST} says clock start ${detail.clockStartDate}, imported ${imported}`);
    if (row.clockStart !== imported) problems.push(`pathway ${row.pathwayId}: clock start ${row.clockStart}, imported ${imported}`);
  }
  return { returned: seen.size, problems };
}

/**
 * What Temporal says each transfer's workflow is waiting on: its status, pending activities (attempt,
 * last failure, next attempt) and pending workflow task. Printed for transfers the run left unfinished,
 * so a failure says whether the product was stuck or still retrying.
 */
export async function pendingWork(db: Db, client: Client, transferIds: readonly number[]): Promise<string[]> {
  if (transferIds.length === 0) return [];
  const rows = await db.selectFrom('transfers').select(['id', 'pathway_id']).where('id', 'in', [...transferIds]).execute();
  const lines: string[] = [];
  for (const row of rows) {
    const handle = client.workflow.getHandle(transferWorkflowId(row.pathway_id));
    const description = await handle.describe();
    const raw = description.raw;
    const activities = (raw.pendingActivities ?? []).map(
      (activity) =>
        `${activity.activityType?.name} attempt ${activity.attempt} ${activity.state}` +
        (activity.lastFailure?.message ? ` (last failure: ${activity.lastFailure.message.slice(0, 120)})` : '') +
        (activity.nextAttemptScheduleTime?.seconds ? ` next at ${new Date(Number(activity.nextAttemptScheduleTime.seconds) * 1000).toISOString()}` : ''),
    );
    const task = raw.pendingWorkflowTask ? `workflow task ${raw.pendingWorkflowTask.state} attempt ${raw.pendingWorkflowTask.attempt}` : '';
    lines.push(`transfer ${row.id}: ${description.status.name}; ${[...activities, task].filter(Boolean).join('; ') || 'nothing pending'}`);
    // Its last events, by type (with the activity, timer or Update each concerns), for what it waits on.
    const history = await handle.fetchHistory();
    for (const event of (history.events ?? []).slice(-12)) {
      const type = temporal.api.enums.v1.EventType[event.eventType ?? 0]?.replace('EVENT_TYPE_', '');
      const what =
        event.activityTaskScheduledEventAttributes?.activityType?.name ??
        event.markerRecordedEventAttributes?.markerName ??
        event.timerStartedEventAttributes?.timerId ??
        event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
        event.workflowTaskFailedEventAttributes?.failure?.message?.slice(0, 120) ??
        event.activityTaskFailedEventAttributes?.failure?.message?.slice(0, 120) ??
        '';
      const at = event.eventTime?.seconds ? new Date(Number(event.eventTime.seconds) * 1000).toISOString().slice(11, 19) : '';
      lines.push(`  ${event.eventId} ${at} ${type} ${what}`);
    }
  }
  return lines;
}
