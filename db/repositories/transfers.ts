import { sql } from 'kysely';
import type { Db } from '../database';
import type { Transfer, TransferEvent } from '../schema';

/**
 * Opens the transfer row for a workflow run, or returns the one that run already opened, so the
 * activity that calls it is safe to repeat.
 */
export async function openTransferRow(
  db: Db,
  row: { pathwayId: number; fundId: number | null; period: { from: string; to: string } | null; workflowId: string; runId: string; campaignId?: number | null },
): Promise<Transfer> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('transfers')
      .selectAll()
      .where('workflow_run_id', '=', row.runId)
      .executeTakeFirst();
    if (existing) return existing;
    const transfer = await trx
      .insertInto('transfers')
      .values({
        pathway_id: row.pathwayId,
        campaign_id: row.campaignId ?? null,
        fund_id: row.fundId,
        offer_from: row.period?.from ?? null,
        offer_to: row.period?.to ?? null,
        workflow_id: row.workflowId,
        workflow_run_id: row.runId,
        state: 'opened',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addTransferEvent(trx, transfer.id, 'opened');
    return transfer;
  });
}

export async function setTransferState(
  db: Db,
  transferId: number,
  state: string,
  closed: boolean,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('transfers')
      .set({ state, updated_at: sql`now()`, closed_at: closed ? sql`coalesce(closed_at, now())` : null })
      .where('id', '=', transferId)
      .where('state', '<>', state)
      .executeTakeFirst();
    // Only a real change goes on the timeline, so a repeated activity adds nothing.
    if (updated.numUpdatedRows > 0n) await addTransferEvent(trx, transferId, state, detail);
  });
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
  readonly state?: string;
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
