import { exclusionCriteriaSchema } from '../../domain/exclusion-criteria';
import { column, ODS_CODE } from '../rules';
import type { FieldReader } from '../fields';
import { knownSites, upsertFromStaging, upsertKind } from '../upsert';


/** CSV column → criterion, with how it is read. */
const NUMBER_CRITERIA = [
  ['bmi_max', 'bmiMax', 'highest BMI the site accepts', '40', { min: 15, max: 80, places: 1 }],
  ['min_age', 'minAge', 'youngest age in years', '18', { min: 0, max: 120, places: 0 }],
  ['max_age', 'maxAge', 'oldest age in years', '', { min: 0, max: 120, places: 0 }],
  ['heart_attack_within_months', 'heartAttackWithinMonths', 'refuses a heart attack within this many months', '6', { min: 1, max: 120, places: 0 }],
  ['stroke_within_months', 'strokeWithinMonths', 'refuses a stroke or TIA within this many months', '6', { min: 1, max: 120, places: 0 }],
] as const;

const FLAG_CRITERIA = [
  ['excludes_critical_care', 'excludesCriticalCare', 'no level 2/3 critical care on site'],
  ['excludes_dialysis', 'excludesDialysis', 'cannot treat patients on dialysis'],
  ['excludes_uncontrolled_diabetes', 'excludesUncontrolledDiabetes', 'refuses uncontrolled diabetes'],
  ['excludes_uncontrolled_hypertension', 'excludesUncontrolledHypertension', 'refuses uncontrolled hypertension'],
  ['excludes_anticoagulation', 'excludesAnticoagulation', 'refuses patients on anticoagulants'],
  ['excludes_sickle_cell', 'excludesSickleCell', 'refuses sickle cell disease'],
  ['excludes_unstable_psychiatric', 'excludesUnstablePsychiatric', 'refuses an unstable psychiatric condition'],
] as const;

function readCriteria(fields: FieldReader): string | null {
  const criteria: Record<string, number | boolean> = {};
  for (const [name, key, , , range] of NUMBER_CRITERIA) {
    const value = fields.decimal(name, range);
    if (value !== null) criteria[key] = Number(value);
  }
  for (const [name, key] of FLAG_CRITERIA) {
    if (fields.raw(name) !== '') criteria[key] = fields.boolean(name, { default: false });
  }
  const parsed = exclusionCriteriaSchema.safeParse(criteria);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = [...NUMBER_CRITERIA, ...FLAG_CRITERIA].find(([, key]) => key === issue.path[0])?.[0] ?? '(row)';
      fields.problem(name, issue.message);
    }
    return null;
  }
  return JSON.stringify(parsed.data);
}

const kind = upsertKind({
  name: 'exclusion-criteria',
  title: 'Site exclusion criteria',
  description: 'What each IS site cannot safely treat. An empty cell means the site does not apply that criterion.',
  columns: [
    column('site_ods', true, 'ODS code of the site', 'NT301'),
    ...NUMBER_CRITERIA.map(([name, , description, example]) => column(name, false, description, example)),
    ...FLAG_CRITERIA.map(([name, , description]) => column(name, false, `${description} (yes/no)`, 'yes')),
  ],
  table: 'site_exclusion_criteria',
  key: ['site_ods'],
  staging: [
    ['site_ods', 'text'],
    ['criteria', 'jsonb'],
  ],
  loadContext: async (session, scope) => ({ sites: await knownSites(session, scope) }),
  read: (fields, context) => ({
    site_ods: fields.code('site_ods', { ...ODS_CODE, required: true, known: context.sites, knownAs: 'site (in your scope; import sites first)' }),
    criteria: readCriteria(fields),
  }),
});

export const exclusionCriteria: typeof kind = {
  ...kind,
  merge: (session) => upsertFromStaging(session, { table: 'site_exclusion_criteria', columns: ['site_ods', 'criteria'], key: ['site_ods'], touch: 'updated_at' }),
};
