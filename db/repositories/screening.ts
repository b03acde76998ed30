import { sql } from 'kysely';
import type { ClinicalFacts, Exclusion } from '../../domain/screening';
import type { ExclusionCriteria } from '../../domain/exclusion-criteria';
import type { Db } from '../database';

/** The patient columns screening reads, selected as ClinicalFacts' own names. */
export const CLINICAL_FACT_COLUMNS = [
  'patients.date_of_birth as dateOfBirth',
  'patients.bmi',
  'patients.last_heart_attack_on as lastHeartAttackOn',
  'patients.last_stroke_on as lastStrokeOn',
  'patients.needs_critical_care as needsCriticalCare',
  'patients.on_dialysis as onDialysis',
  'patients.diabetes',
  'patients.hypertension',
  'patients.anticoagulated',
  'patients.sickle_cell as sickleCell',
  'patients.psychiatric_unstable as psychiatricUnstable',
] as const;

type FactRow = Omit<ClinicalFacts, 'bmi'> & { bmi: string | null };

/** The facts from a row selected with CLINICAL_FACT_COLUMNS (BMI comes back from numeric as a string). */
export function clinicalFacts(row: FactRow): ClinicalFacts {
  return {
    dateOfBirth: row.dateOfBirth,
    bmi: row.bmi === null ? null : Number(row.bmi),
    lastHeartAttackOn: row.lastHeartAttackOn,
    lastStrokeOn: row.lastStrokeOn,
    needsCriticalCare: row.needsCriticalCare,
    onDialysis: row.onDialysis,
    diabetes: row.diabetes,
    hypertension: row.hypertension,
    anticoagulated: row.anticoagulated,
    sickleCell: row.sickleCell,
    psychiatricUnstable: row.psychiatricUnstable,
  };
}

/** Pathways with what screening and offer composition need: the clinical facts, where the patient lives, how far they will travel. */
function subjects(db: Db) {
  return db
    .selectFrom('pathways')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .leftJoin('postcode_districts', (join) =>
      join.onRef('postcode_districts.outcode', '=', sql<string>`split_part(patients.postcode, ' ', 1)`),
    )
    .select([
      'pathways.id as pathwayId',
      'pathways.trust_ods as trustOds',
      'pathways.treatment_function_code as treatmentFunctionCode',
      'pathways.planned_procedure_code as procedureCode',
      'patients.travel_max_miles as travelMaxMiles',
      'postcode_districts.latitude',
      'postcode_districts.longitude',
      ...CLINICAL_FACT_COLUMNS,
    ]);
}

type SubjectRow = Awaited<ReturnType<ReturnType<typeof subjects>['execute']>>[number];

function subjectOf(row: SubjectRow) {
  return {
    pathwayId: row.pathwayId,
    trustOds: row.trustOds,
    treatmentFunctionCode: row.treatmentFunctionCode,
    procedureCode: row.procedureCode,
    travelMaxMiles: row.travelMaxMiles,
    location: row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude },
    facts: clinicalFacts(row),
  };
}

export async function pathwaySubjects(db: Db, pathwayIds: readonly number[]) {
  if (pathwayIds.length === 0) return [];
  const rows = await subjects(db).where('pathways.id', 'in', [...pathwayIds]).orderBy('pathways.id').execute();
  return rows.map(subjectOf);
}
export type PathwaySubject = ReturnType<typeof subjectOf>;

/** The pathway a transfer is for, with what screening and offers need (read by activities only). */
export async function getTransferSubject(db: Db, transferId: number) {
  const row = await subjects(db)
    .innerJoin('transfers', 'transfers.pathway_id', 'pathways.id')
    .select(['transfers.id as transferId', 'transfers.fund_id as fundId'])
    .where('transfers.id', '=', transferId)
    .executeTakeFirst();
  return row && { ...subjectOf(row), transferId: row.transferId, fundId: row.fundId };
}
export type TransferSubject = NonNullable<Awaited<ReturnType<typeof getTransferSubject>>>;

/**
 * The IS sites that could take this pathway in the period: they have capacity for its treatment
 * function (and procedure) then. Sites with no criteria on file are screened against none.
 */
export async function sitesWithCapacity(
  db: Db,
  subject: Pick<PathwaySubject, 'treatmentFunctionCode' | 'procedureCode'>,
  period: { from: string; to: string },
): Promise<{ siteOds: string; criteria: ExclusionCriteria }[]> {
  const rows = await db
    .selectFrom('sites')
    .leftJoin('site_exclusion_criteria', 'site_exclusion_criteria.site_ods', 'sites.ods_code')
    .select(['sites.ods_code as siteOds', 'site_exclusion_criteria.criteria'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('slots')
          .select(sql`1`.as('one'))
          .whereRef('slots.site_ods', '=', 'sites.ods_code')
          .where('slots.treatment_function_code', '=', subject.treatmentFunctionCode)
          .where((inner) => inner.or([inner('slots.procedure_code', 'is', null), inner('slots.procedure_code', '=', subject.procedureCode)]))
          .where('slots.slot_date', '>=', period.from)
          .where('slots.slot_date', '<=', period.to),
      ),
    )
    .orderBy('sites.ods_code')
    .execute();
  return rows.map((row) => ({ siteOds: row.siteOds, criteria: (row.criteria ?? {}) as ExclusionCriteria }));
}

export async function saveScreening(
  db: Db,
  transferId: number,
  results: readonly { siteOds: string; passes: boolean; exclusions: readonly Exclusion[] }[],
): Promise<void> {
  if (results.length === 0) return;
  await db
    .insertInto('screening_results')
    .values(results.map((result) => ({ transfer_id: transferId, site_ods: result.siteOds, passes: result.passes, exclusions: JSON.stringify(result.exclusions) })))
    // A retried activity screens again: the latest result stands.
    .onConflict((oc) => oc.columns(['transfer_id', 'site_ods']).doUpdateSet((eb) => ({ passes: eb.ref('excluded.passes'), exclusions: eb.ref('excluded.exclusions'), screened_at: sql`now()` })))
    .execute();
}

export async function passingSites(db: Db, transferId: number): Promise<string[]> {
  const rows = await db.selectFrom('screening_results').select('site_ods').where('transfer_id', '=', transferId).where('passes', '=', true).execute();
  return rows.map((row) => row.site_ods);
}

/**
 * Why a transfer was screened out, for its timeline: each site screened with the exclusions that stopped
 * the patient there, or, when no site had capacity for them in the period, that reason alone.
 */
export async function screenedOutDetail(db: Db, transferId: number): Promise<{ sites: { siteOds: string; siteName: string; exclusions: Exclusion[] }[]; reason?: string }> {
  const rows = await db
    .selectFrom('screening_results')
    .innerJoin('sites', 'sites.ods_code', 'screening_results.site_ods')
    .select(['screening_results.site_ods as siteOds', 'sites.name as siteName', 'screening_results.exclusions'])
    .where('screening_results.transfer_id', '=', transferId)
    .where('screening_results.passes', '=', false)
    .orderBy('sites.name')
    .execute();
  const sites = rows.map((row) => ({ siteOds: row.siteOds, siteName: row.siteName, exclusions: row.exclusions as Exclusion[] }));
  return sites.length > 0 ? { sites } : { sites, reason: 'no IS site has capacity for this treatment in the period' };
}
