/**
 * A trust's clinical review queue: its candidates awaiting a clinician, longest waiting first, each
 * with the facts screening used and the result at every IS site, so the clinician sees why, and the
 * pathway's earlier transfers with how they ended.
 */
import type { ClinicalFacts, Exclusion } from '../../domain/screening';
import type { TransferState } from '../../domain/transfer';
import type { Db } from '../database';
import type { ReviewDecision as ReviewOutcome } from '../schema';
import { CLINICAL_FACT_COLUMNS, clinicalFacts } from './screening';
import { earlierTransfers, type EarlierTransfer } from './transfers';

export interface ReviewCandidate {
  readonly transferId: number;
  readonly pathwayRef: string;
  readonly patientName: string;
  readonly sex: string;
  readonly treatmentFunction: string;
  readonly procedure: string | null;
  readonly clockStartDate: string;
  readonly facts: ClinicalFacts;
  // Plain arrays: the API's schema (zod) types its JSON with mutable ones.
  readonly sites: { readonly siteName: string; readonly passes: boolean; readonly exclusions: Exclusion[] }[];
  /** The pathway's earlier transfers, newest first, so the clinician sees a patient who said no before. */
  readonly earlierTransfers: EarlierTransfer[];
}

export async function reviewQueue(db: Db, trustOds: string, limit = 500): Promise<ReviewCandidate[]> {
  const rows = await db
    .selectFrom('transfers')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .innerJoin('treatment_functions', 'treatment_functions.code', 'pathways.treatment_function_code')
    .leftJoin('procedures', 'procedures.code', 'pathways.planned_procedure_code')
    .select([
      'transfers.id as transferId',
      'pathways.id as pathwayId',
      'pathways.pathway_ref as pathwayRef',
      'patients.given_name as givenName',
      'patients.family_name as familyName',
      'patients.sex',
      'treatment_functions.name as treatmentFunction',
      'procedures.name as procedure',
      'pathways.clock_start_date as clockStartDate',
      ...CLINICAL_FACT_COLUMNS,
    ])
    .where('pathways.trust_ods', '=', trustOds)
    .where('transfers.state', '=', 'awaiting_review')
    .where('transfers.closed_at', 'is', null)
    // Reviewed already (the transfer moves on to its offer a moment later): not waiting any more.
    .where((eb) => eb.not(eb.exists(eb.selectFrom('clinical_reviews').select('transfer_id').whereRef('clinical_reviews.transfer_id', '=', 'transfers.id'))))
    .orderBy('pathways.clock_start_date')
    .orderBy('transfers.id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const [results, earlier] = await Promise.all([
    db
    .selectFrom('screening_results')
    .innerJoin('sites', 'sites.ods_code', 'screening_results.site_ods')
    .select(['screening_results.transfer_id as transferId', 'sites.name as siteName', 'screening_results.passes', 'screening_results.exclusions'])
    .where('screening_results.transfer_id', 'in', rows.map((row) => row.transferId))
    .orderBy('screening_results.passes', 'desc')
    .orderBy('sites.name')
    .execute(),
    earlierTransfers(db, rows.map((row) => row.pathwayId)),
  ]);
  return rows.map((row) => ({
    transferId: row.transferId,
    pathwayRef: row.pathwayRef,
    patientName: `${row.givenName} ${row.familyName}`,
    sex: row.sex,
    treatmentFunction: row.treatmentFunction,
    procedure: row.procedure,
    clockStartDate: row.clockStartDate,
    facts: clinicalFacts(row),
    sites: results
      .filter((result) => result.transferId === row.transferId)
      .map((result) => ({ siteName: result.siteName, passes: result.passes, exclusions: result.exclusions as Exclusion[] })),
    earlierTransfers: earlier.filter((transfer) => transfer.pathwayId === row.pathwayId),
  }));
}

/** A transfer a clinician was shown, as it stands now: the patient, its state and its review, if it has one. */
export interface ReviewedTransfer {
  readonly transferId: number;
  readonly patientName: string;
  readonly state: TransferState;
  readonly review: { readonly decision: ReviewOutcome; readonly reason: string | null; readonly reviewer: string } | null;
}

/** The trust's transfers of these ids (others' are not there), each with its review, so a page can say what a decision did. */
export async function reviewedTransfers(db: Db, trustOds: string, transferIds: readonly number[]): Promise<ReviewedTransfer[]> {
  if (transferIds.length === 0) return [];
  const rows = await db
    .selectFrom('transfers')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .leftJoin('clinical_reviews', 'clinical_reviews.transfer_id', 'transfers.id')
    .select([
      'transfers.id as transferId',
      'transfers.state',
      'patients.given_name as givenName',
      'patients.family_name as familyName',
      'clinical_reviews.decision',
      'clinical_reviews.reason',
      'clinical_reviews.reviewer',
    ])
    .where('pathways.trust_ods', '=', trustOds)
    .where('transfers.id', 'in', [...transferIds])
    .orderBy('transfers.id')
    .execute();
  return rows.map((row) => ({
    transferId: row.transferId,
    patientName: `${row.givenName} ${row.familyName}`,
    state: row.state,
    review: row.decision === null || row.reviewer === null ? null : { decision: row.decision, reason: row.reason, reviewer: row.reviewer },
  }));
}
