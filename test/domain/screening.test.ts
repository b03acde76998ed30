import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exclusionCriteriaSchema, type ExclusionCriteria } from '../../domain/exclusion-criteria';
import { monthsBefore } from '../../domain/dates';
import { ageOn, type ClinicalFacts, screen } from '../../domain/screening';

const ASOF = '2026-11-22';
const day = (from: string, to: string) =>
  fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const control = fc.constantFrom('none', 'controlled', 'uncontrolled' as const);

const facts: fc.Arbitrary<ClinicalFacts> = fc.record({
  dateOfBirth: day('1920-01-01', '2010-12-31'),
  bmi: fc.option(fc.integer({ min: 150, max: 700 }).map((tenths) => tenths / 10), { nil: null }),
  lastHeartAttackOn: fc.option(day('2015-01-01', ASOF), { nil: null }),
  lastStrokeOn: fc.option(day('2015-01-01', ASOF), { nil: null }),
  needsCriticalCare: fc.boolean(),
  onDialysis: fc.boolean(),
  diabetes: control,
  hypertension: control,
  anticoagulated: fc.boolean(),
  sickleCell: fc.boolean(),
  psychiatricUnstable: fc.boolean(),
});

const criteria: fc.Arbitrary<ExclusionCriteria> = fc
  .record(
    {
      bmiMax: fc.integer({ min: 30, max: 50 }),
      minAge: fc.integer({ min: 16, max: 25 }),
      maxAge: fc.integer({ min: 70, max: 110 }),
      heartAttackWithinMonths: fc.integer({ min: 1, max: 24 }),
      strokeWithinMonths: fc.integer({ min: 1, max: 24 }),
      excludesCriticalCare: fc.boolean(),
      excludesDialysis: fc.boolean(),
      excludesUncontrolledDiabetes: fc.boolean(),
      excludesUncontrolledHypertension: fc.boolean(),
      excludesAnticoagulation: fc.boolean(),
      excludesSickleCell: fc.boolean(),
      excludesUnstablePsychiatric: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((value) => exclusionCriteriaSchema.parse(value));

const healthy: ClinicalFacts = {
  dateOfBirth: '1960-05-01',
  bmi: 27,
  lastHeartAttackOn: null,
  lastStrokeOn: null,
  needsCriticalCare: false,
  onDialysis: false,
  diabetes: 'controlled',
  hypertension: 'controlled',
  anticoagulated: false,
  sickleCell: false,
  psychiatricUnstable: false,
};

describe('screen', () => {
  it('passes a well patient and names every reason a patient fails', () => {
    const strict: ExclusionCriteria = { bmiMax: 40, minAge: 18, heartAttackWithinMonths: 6, excludesAnticoagulation: true, excludesUncontrolledDiabetes: true };
    expect(screen(healthy, strict, ASOF)).toEqual({ passes: true });
    const result = screen({ ...healthy, bmi: 43.5, lastHeartAttackOn: '2026-08-01', anticoagulated: true, diabetes: 'uncontrolled' }, strict, ASOF);
    expect(result.passes).toBe(false);
    if (!result.passes) {
      expect(result.exclusions.map((exclusion) => exclusion.criterion)).toEqual(['bmiMax', 'heartAttackWithinMonths', 'excludesUncontrolledDiabetes', 'excludesAnticoagulation']);
      expect(result.exclusions[0]!.reason).toBe("has a BMI of 43.5, over the site's limit of 40");
      expect(result.exclusions[1]!.reason).toBe("had a heart attack on 1 August 2026, within the site's 6 months");
    }
  });

  it('fails a site whose rule needs a fact that is not recorded, saying so', () => {
    const result = screen({ ...healthy, bmi: null }, { bmiMax: 40 }, ASOF);
    expect(result).toEqual({ passes: false, exclusions: [{ criterion: 'bmiMax', reason: 'has no BMI recorded; the site needs it to be 40 or less' }] });
  });

  it('counts recent events in calendar months, and ages in whole years', () => {
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2026-11-22', 6)).toBe('2026-05-22');
    expect(screen({ ...healthy, lastHeartAttackOn: '2026-05-22' }, { heartAttackWithinMonths: 6 }, ASOF).passes).toBe(true);
    expect(screen({ ...healthy, lastHeartAttackOn: '2026-05-23' }, { heartAttackWithinMonths: 6 }, ASOF).passes).toBe(false);
    expect(ageOn('2008-11-23', ASOF)).toBe(17);
    expect(ageOn('2008-11-22', ASOF)).toBe(18);
  });

  it('passes exactly when there is no exclusion, and every exclusion names a criterion the site has', () => {
    fc.assert(
      fc.property(facts, criteria, (patient, site) => {
        const result = screen(patient, site, ASOF);
        if (result.passes) return;
        expect(result.exclusions.length).toBeGreaterThan(0);
        for (const exclusion of result.exclusions) expect(site[exclusion.criterion]).toBeDefined();
        expect(new Set(result.exclusions.map((exclusion) => exclusion.criterion)).size).toBe(result.exclusions.length);
      }),
    );
  });

  it('never fails a patient for a criterion the site drops: fewer rules, never fewer sites', () => {
    fc.assert(
      fc.property(facts, criteria, fc.constantFrom(...(Object.keys(exclusionCriteriaSchema.shape) as (keyof ExclusionCriteria)[])), (patient, site, dropped) => {
        const looser: ExclusionCriteria = { ...site };
        delete looser[dropped];
        if (screen(patient, site, ASOF).passes) expect(screen(patient, looser, ASOF).passes).toBe(true);
      }),
    );
  });

  it('passes everyone at a site with no criteria', () => {
    fc.assert(
      fc.property(facts, (patient) => {
        expect(screen(patient, {}, ASOF)).toEqual({ passes: true });
      }),
    );
  });
});
