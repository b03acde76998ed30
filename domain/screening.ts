/**
 * The clinical screen (PRODUCT.md §3.4): a patient either passes an IS site's exclusion criteria or
 * fails with every reason named. A fact the site needs but the record lacks (no BMI, say) fails too,
 * with that said: nobody is offered a site whose safety rules could not be checked. Pure: no I/O.
 */
import { formatDate, monthsBefore } from './dates';
import type { ExclusionCriteria } from './exclusion-criteria';

export type ConditionControl = 'none' | 'controlled' | 'uncontrolled';

/** What screening needs to know about a patient; null is "not recorded". */
export interface ClinicalFacts {
  readonly dateOfBirth: string;
  readonly bmi: number | null;
  readonly lastHeartAttackOn: string | null;
  readonly lastStrokeOn: string | null;
  readonly needsCriticalCare: boolean;
  readonly onDialysis: boolean;
  readonly diabetes: ConditionControl;
  readonly hypertension: ConditionControl;
  readonly anticoagulated: boolean;
  readonly sickleCell: boolean;
  readonly psychiatricUnstable: boolean;
}

/** Each criterion, as what it keeps a patient from a site: for the dry run's reasons on the staff pages. */
export const EXCLUSION_CRITERION_WORDS: Readonly<Record<keyof ExclusionCriteria, string>> = {
  bmiMax: "a BMI over the site's limit, or none recorded",
  minAge: "under the site's minimum age",
  maxAge: "over the site's maximum age",
  heartAttackWithinMonths: 'a recent heart attack',
  strokeWithinMonths: 'a recent stroke or TIA',
  excludesCriticalCare: 'needs critical care the site does not have',
  excludesDialysis: 'on dialysis',
  excludesUncontrolledDiabetes: 'uncontrolled diabetes',
  excludesUncontrolledHypertension: 'uncontrolled high blood pressure',
  excludesAnticoagulation: 'takes anticoagulants',
  excludesSickleCell: 'sickle cell disease',
  excludesUnstablePsychiatric: 'an unstable psychiatric condition',
};

export interface Exclusion {
  readonly criterion: keyof ExclusionCriteria;
  readonly reason: string;
}

export type ScreeningResult = { readonly passes: true } | { readonly passes: false; readonly exclusions: readonly Exclusion[] };

/** Whole years of age on a day (both 'YYYY-MM-DD'). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [birthYear, birthMonth, birthDay] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return year - birthYear - (month < birthMonth || (month === birthMonth && date < birthDay) ? 1 : 0);
}

const FLAGS = [
  ['excludesCriticalCare', 'needsCriticalCare', 'needs level 2 or 3 critical care, which the site does not have'],
  ['excludesDialysis', 'onDialysis', 'is on dialysis'],
  ['excludesAnticoagulation', 'anticoagulated', 'takes anticoagulants'],
  ['excludesSickleCell', 'sickleCell', 'has sickle cell disease'],
  ['excludesUnstablePsychiatric', 'psychiatricUnstable', 'has an unstable psychiatric condition'],
] as const;

/** Screens a patient against one site's criteria, as of a day. */
export function screen(facts: ClinicalFacts, criteria: ExclusionCriteria, asOf: string): ScreeningResult {
  const exclusions: Exclusion[] = [];
  const exclude = (criterion: keyof ExclusionCriteria, reason: string) => exclusions.push({ criterion, reason });

  const age = ageOn(facts.dateOfBirth, asOf);
  if (criteria.minAge !== undefined && age < criteria.minAge) exclude('minAge', `is ${age}, under the site's minimum age of ${criteria.minAge}`);
  if (criteria.maxAge !== undefined && age > criteria.maxAge) exclude('maxAge', `is ${age}, over the site's maximum age of ${criteria.maxAge}`);
  if (criteria.bmiMax !== undefined) {
    if (facts.bmi === null) exclude('bmiMax', `has no BMI recorded; the site needs it to be ${criteria.bmiMax} or less`);
    else if (facts.bmi > criteria.bmiMax) exclude('bmiMax', `has a BMI of ${facts.bmi}, over the site's limit of ${criteria.bmiMax}`);
  }
  if (criteria.heartAttackWithinMonths !== undefined && facts.lastHeartAttackOn !== null) {
    if (facts.lastHeartAttackOn > monthsBefore(asOf, criteria.heartAttackWithinMonths)) {
      exclude('heartAttackWithinMonths', `had a heart attack on ${formatDate(facts.lastHeartAttackOn)}, within the site's ${criteria.heartAttackWithinMonths} months`);
    }
  }
  if (criteria.strokeWithinMonths !== undefined && facts.lastStrokeOn !== null) {
    if (facts.lastStrokeOn > monthsBefore(asOf, criteria.strokeWithinMonths)) {
      exclude('strokeWithinMonths', `had a stroke or TIA on ${formatDate(facts.lastStrokeOn)}, within the site's ${criteria.strokeWithinMonths} months`);
    }
  }
  if (criteria.excludesUncontrolledDiabetes && facts.diabetes === 'uncontrolled') exclude('excludesUncontrolledDiabetes', 'has uncontrolled diabetes');
  if (criteria.excludesUncontrolledHypertension && facts.hypertension === 'uncontrolled') {
    exclude('excludesUncontrolledHypertension', 'has uncontrolled high blood pressure');
  }
  for (const [criterion, fact, reason] of FLAGS) if (criteria[criterion] && facts[fact]) exclude(criterion, reason);

  return exclusions.length ? { passes: false, exclusions } : { passes: true };
}
