import { sql } from 'kysely';
import { returnsToList, TURNED_DOWN_STATES } from '../../domain/cohort';
import type { TransferState } from '../../domain/transfer';
import type { Db } from '../database';
import type { Transfer, TransferEvent } from '../schema';

/**
 * Opens the transfer row for a workflow run, with its 'opened' event, or returns the one that run
 * already opened, so the activity that calls it is safe to repeat. One statement: a transfer is
 * opened for every candidate of a campaign.
 */
export async function openTransferRow(
  db: Db,
  row: { pathwayId: number; fundId: number | null; period: { from: string; to: string } | null; workflowId: string; runId: string; campaignId?: number | null },
): Promise<Transfer> {
  const { rows } = await sql<Transfer>`
    with existing as (
      select * from transfers where workflow_id = ${row.workflowId} and workflow_run_id = ${row.runId}),
    opened as (
      insert into transfers (pathway_id, campaign_id, fund_id, offer_from, offer_to, workflow_id, workflow_run_id, state)
      select ${row.pathwayId}::bigint, ${row.campaignId ?? null}::bigint, ${row.fundId}::bigint, ${row.period?.from ?? null}::date, ${row.period?.to ?? null}::date,
             ${row.workflowId}, ${row.runId}, 'opened'
      where not exists (select from existing)
      returning *),
    event as (
      insert into transfer_events (transfer_id, kind) select id, 'opened' from opened)
    select * from opened union all select * from existing`.execute(db);
  return rows[0]!;
}

/** The timeline event of a pathway back on its trust's list. */
export const RETURNED_TO_LIST = 'returned_to_list';

/**
 * The transfer's state as its workflow has it; only a real change goes on the timeline, so a repeated
 * activity adds nothing. A transfer closed untreated is followed on its timeline by `returned_to_list`,
 * with the pathway's original clock start and why: every path back to the list passes here. One
 * statement, as every state change of every transfer runs it; its events are inserted in order.
 */
export async function setTransferState(
  db: Db,
  transferId: number,
  state: TransferState,
  closed: boolean,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const backToList = closed && returnsToList(state);
  const reason = typeof detail.reason === 'string' ? { reason: detail.reason } : {};
  await sql`
    with changed as (
      update transfers set state = ${state}, updated_at = now(), closed_at = ${closed ? sql`coalesce(closed_at, now())` : null}
      where id = ${transferId} and state <> ${state}
      returning id, pathway_id),
    events as (
      insert into transfer_events (transfer_id, kind, detail)
      select changed.id, event.kind, event.detail
      from changed
      join pathways p on p.id = changed.pathway_id
      cross join lateral (values
        (1, ${state}::text, ${JSON.stringify(detail)}::jsonb),
        (2, ${RETURNED_TO_LIST}::text,
         jsonb_build_object('clockStartDate', to_char(p.clock_start_date, 'YYYY-MM-DD'), 'closedAs', ${state}::text) || ${JSON.stringify(reason)}::jsonb)
      ) as event (position, kind, detail)
      where event.position = 1 or ${backToList}
      order by event.position)
    select 1 from changed`.execute(db);
}

export async function addTransferEvent(
  db: Db,
  transferId: number,
  kind: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db.insertInto('transfer_events').values({ transfer_id: transferId, kind, detail: JSON.stringify(detail) }).execute();
}

export async function getTransfer(db: Db, transferId: number): Promise<Transfer | undefined> {
  return db.selectFrom('transfers').selectAll().where('id', '=', transferId).executeTakeFirst();
}

export async function getTransferTimeline(db: Db, transferId: number): Promise<TransferEvent[]> {
  return db.selectFrom('transfer_events').selectAll().where('transfer_id', '=', transferId).orderBy('id').execute();
}

/** What a message to the patient about this transfer needs: who, where to, about what. */
export async function getTransferRecipient(db: Db, transferId: number) {
  return db
    .selectFrom('transfers')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .innerJoin('trusts', 'trusts.ods_code', 'pathways.trust_ods')
    .select([
      'transfers.id as transferId',
      'transfers.opened_at as openedAt',
      'pathways.trust_ods as trustOds',
      'pathways.pathway_ref as pathwayRef',
      'patients.given_name as givenName',
      'patients.family_name as familyName',
      'patients.email as email',
      'patients.phone as phone',
      'patients.contact_channel as contactChannel',
      'patients.address_line_1 as addressLine1',
      'patients.address_line_2 as addressLine2',
      'patients.town as town',
      'patients.postcode as postcode',
      'trusts.name as trustName',
      'pathways.treatment_function_code as treatmentFunctionCode',
      'pathways.clock_start_date as clockStartDate',
    ])
    .where('transfers.id', '=', transferId)
    .executeTakeFirst();
}

/** Email addresses of the trust's clinicians, who review its candidates. */
export async function trustReviewers(db: Db, trustOds: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_users')
    .select('email')
    .where('role', '=', 'clinician')
    .where('trust_ods', '=', trustOds)
    .where('disabled_at', 'is', null)
    .where('email', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.email!);
}

export interface TransferListFilter {
  /** Only these trusts (a clinician's), or a region's trusts, or (both null) all. */
  readonly trustOds: string | null;
  readonly regionCode: string | null;
  readonly state?: TransferState;
  /** Keyset paging: transfers with ids below this one. */
  readonly before?: number;
  readonly limit: number;
}

/** Transfers, newest first, a page at a time: ids, codes and states only, no personal data. */
export async function listTransfers(db: Db, filter: TransferListFilter) {
  let query = db
    .selectFrom('transfers')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .innerJoin('trusts', 'trusts.ods_code', 'pathways.trust_ods')
    .select([
      'transfers.id',
      'transfers.pathway_id as pathwayId',
      'pathways.trust_ods as trustOds',
      'pathways.treatment_function_code as treatmentFunctionCode',
      'transfers.state',
      'transfers.opened_at as openedAt',
      'transfers.updated_at as updatedAt',
      'transfers.closed_at as closedAt',
    ]);
  if (filter.trustOds !== null) query = query.where('pathways.trust_ods', '=', filter.trustOds);
  if (filter.regionCode !== null) query = query.where('trusts.region_code', '=', filter.regionCode);
  if (filter.state) query = query.where('transfers.state', '=', filter.state);
  if (filter.before !== undefined) query = query.where('transfers.id', '<', filter.before);
  return query.orderBy('transfers.id', 'desc').limit(filter.limit).execute();
}

export interface EarlierTransfer {
  readonly pathwayId: number;
  readonly transferId: number;
  readonly state: TransferState;
  /** ISO times. */
  readonly openedAt: string;
  readonly closedAt: string;
  /** Why it ended, where known: the clinician's or the patient's reason, each site's exclusions, or what stopped it. */
  readonly reason: string | null;
}

/**
 * The closed transfers of these pathways, newest first, each with its state, when and why it ended;
 * the reviewer of a new transfer sees them.
 */
export async function earlierTransfers(db: Db, pathwayIds: readonly number[]): Promise<EarlierTransfer[]> {
  if (pathwayIds.length === 0) return [];
  const rows = await db
    .selectFrom('transfers as t')
    .select([
      't.pathway_id as pathwayId',
      't.id as transferId',
      't.state',
      't.opened_at as openedAt',
      sql<Date>`t.closed_at`.as('closedAt'),
      sql<string | null>`coalesce(
        (select coalesce(e.detail->>'reason',
                         (select string_agg(site->>'siteName' || ': patient ' || (select string_agg(x->>'reason', '; ') from jsonb_array_elements(site->'exclusions') x), '; ')
                          from jsonb_array_elements(e.detail->'sites') site))
         from transfer_events e where e.transfer_id = t.id and e.kind = t.state order by e.id desc limit 1),
        (select r.reason from patient_responses r where r.transfer_id = t.id and r.kind in ('decline', 'withdraw') and r.reason is not null
         order by r.responded_at desc limit 1))`.as('reason'),
    ])
    .where('t.pathway_id', 'in', [...pathwayIds])
    .where('t.closed_at', 'is not', null)
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, openedAt: row.openedAt.toISOString(), closedAt: row.closedAt.toISOString() }));
}

/** The pathway's latest transfer turned down (TURNED_DOWN_STATES) on `since` or later, if any. */
export async function lastTurnedDown(db: Db, pathwayId: number, since: string) {
  return db
    .selectFrom('transfers')
    .select(['id', 'state', sql<string>`to_char(closed_at at time zone 'Europe/London', 'YYYY-MM-DD')`.as('closedOn')])
    .where('pathway_id', '=', pathwayId)
    .where('state', 'in', [...TURNED_DOWN_STATES])
    .where('closed_at', '>=', sql<Date>`${since}::date`)
    .orderBy('closed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
