/**
 * The staff pages' launch form and the API's launch body: the form's fields as people fill them in
 * (boxes to tick, dates as day, month and year, numbers as typed), read into the API's own body and
 * checked by its schema (domain/campaign.ts launchCampaignSchema), each problem said in plain words
 * at its field. The form travels to the check page and back in the query string, so the Change links
 * and the Launch button carry what was entered, with no session to keep.
 */
import type { z } from 'zod';
import { launchCampaignSchema, type LaunchCampaign } from '../../../domain/campaign';
import type { DomainError } from '../../../domain/failures';
import { type DateFields, readDateFields } from '../../../domain/dates';
import { dateError, type FieldError } from '../forms';

/** The form's fields, each a name in the form and the id an error summary links to. */
export const LAUNCH_FIELDS = {
  name: { label: 'The campaign name', missing: 'Enter a name for the campaign' },
  regionCode: { label: 'The region', missing: 'Choose a region' },
  trusts: { label: 'The trusts', missing: 'Choose the trusts' },
  treatmentFunctions: { label: 'The specialties', missing: 'Choose at least one specialty' },
  fundId: { label: 'The fund', missing: 'Choose the fund that pays' },
  from: { label: 'The first day of offers', missing: 'Enter the first day of offers' },
  to: { label: 'The last day of offers', missing: 'Enter the last day of offers' },
  maxOffers: { label: 'The most offers', missing: 'Enter the most offers the campaign may make' },
  minWeeksWaited: { label: 'Weeks waited', missing: 'Enter how many weeks patients must have waited' },
  noAppointmentWithinWeeks: { label: 'Weeks to the next appointment', missing: 'Enter the weeks with no appointment booked' },
  minAge: { label: 'The minimum age', missing: 'Enter the minimum age' },
  declinedWithinDays: { label: 'Days since a decline', missing: 'Enter the days since a patient last declined' },
  responseWindowDays: { label: 'The days to answer', missing: 'Enter how many days patients have to answer' },
  reminderDays: { label: 'The reminder days', missing: 'Enter the reminder days' },
} as const;
export type LaunchField = keyof typeof LAUNCH_FIELDS;

const NUMBER_FIELDS = ['maxOffers', 'minWeeksWaited', 'noAppointmentWithinWeeks', 'minAge', 'declinedWithinDays', 'responseWindowDays'] as const;
const COHORT_FIELDS = ['minWeeksWaited', 'noAppointmentWithinWeeks', 'minAge', 'declinedWithinDays'] as const;
const DATE_FIELDS = ['from', 'to'] as const;

/** The form as sent: every field as text (the dates in parts, the boxes ticked as lists). */
export interface LaunchForm {
  readonly name: string;
  readonly regionCode: string;
  readonly trusts: readonly string[];
  readonly treatmentFunctions: readonly string[];
  readonly fundId: string;
  readonly from: DateFields;
  readonly to: DateFields;
  readonly maxOffers: string;
  readonly minWeeksWaited: string;
  readonly noAppointmentWithinWeeks: string;
  readonly minAge: string;
  readonly declinedWithinDays: string;
  readonly responseWindowDays: string;
  readonly reminderDays: string;
}

/** Reads the form from what a POST body or a query string holds: `values(name)` gives every value sent under a name. */
export function launchFormOf(values: (name: string) => readonly string[]): LaunchForm {
  const one = (name: string) => values(name)[0] ?? '';
  const date = (field: string): DateFields => ({ day: one(`${field}-day`), month: one(`${field}-month`), year: one(`${field}-year`) });
  return {
    name: one('name'),
    regionCode: one('regionCode'),
    trusts: values('trusts'),
    treatmentFunctions: values('treatmentFunctions'),
    fundId: one('fundId'),
    from: date('from'),
    to: date('to'),
    maxOffers: one('maxOffers'),
    minWeeksWaited: one('minWeeksWaited'),
    noAppointmentWithinWeeks: one('noAppointmentWithinWeeks'),
    minAge: one('minAge'),
    declinedWithinDays: one('declinedWithinDays'),
    responseWindowDays: one('responseWindowDays'),
    reminderDays: one('reminderDays'),
  };
}

/** The form as name and value pairs: for the query string of the check page and the Change links, and the Launch button's hidden fields. */
export function launchFormPairs(form: LaunchForm): [string, string][] {
  const pairs: [string, string][] = [['name', form.name], ['regionCode', form.regionCode]];
  for (const ods of form.trusts) pairs.push(['trusts', ods]);
  for (const code of form.treatmentFunctions) pairs.push(['treatmentFunctions', code]);
  pairs.push(['fundId', form.fundId]);
  for (const field of DATE_FIELDS) for (const part of ['day', 'month', 'year'] as const) pairs.push([`${field}-${part}`, form[field][part]]);
  for (const field of [...NUMBER_FIELDS, 'reminderDays'] as const) pairs.push([field, form[field]]);
  return pairs;
}

export const launchFormQuery = (form: LaunchForm) => new URLSearchParams(launchFormPairs(form)).toString();

/** A number as typed: left empty it is not given; anything but digits stays text, which the schema refuses in plain words. */
function numberOf(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The form as the API's launch body (before its schema checks it), and the dates that are no dates. */
function launchBodyOf(form: LaunchForm): { body: Record<string, unknown>; dateErrors: FieldError[] } {
  const dateErrors: FieldError[] = [];
  const period: Record<string, string> = {};
  for (const field of DATE_FIELDS) {
    const reading = readDateFields(form[field], LAUNCH_FIELDS[field].label.replace(/^The /, 'the '));
    if ('problem' in reading) dateErrors.push(dateError(field, reading.problem, reading.parts));
    else if (reading.day) period[field] = reading.day;
  }
  const reminders = form.reminderDays.trim();
  const cohortRules = Object.fromEntries(COHORT_FIELDS.map((field) => [field, numberOf(form[field])]).filter(([, value]) => value !== undefined));
  const body = {
    name: form.name,
    regionCode: form.regionCode,
    ...(form.trusts.length ? { trusts: form.trusts } : {}),
    ...(form.treatmentFunctions.length ? { treatmentFunctions: form.treatmentFunctions } : {}),
    fundId: numberOf(form.fundId),
    period,
    cohortRules,
    responseWindowDays: numberOf(form.responseWindowDays),
    ...(reminders ? { reminderDays: reminders.split(/[\s,]+/).filter(Boolean).map((day) => numberOf(day)) } : {}),
    maxOffers: numberOf(form.maxOffers),
  };
  return { body, dateErrors };
}

/** The form's field a path of the launch body (a schema's issue, a service's problem) stands for. */
function fieldOf(path: readonly PropertyKey[]): LaunchField {
  const [first, second] = path.map(String);
  if (first === 'period') return second === 'to' ? 'to' : 'from';
  if (first === 'cohortRules' && second && second in LAUNCH_FIELDS) return second as LaunchField;
  return first && first in LAUNCH_FIELDS ? (first as LaunchField) : 'name';
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A rule's words ("must not be before the period starts") after its field's label, or as a sentence of their own. */
function sentence(field: LaunchField, words: string, label: string = LAUNCH_FIELDS[field].label): string {
  return /^must\b/.test(words) ? `${label} ${words}` : capitalised(words);
}

/**
 * Plain words for the schema's own checks that carry no words of the domain's (a field left out, text
 * where a number goes, a number out of range), by the field at fault; the domain's rules keep theirs.
 */
const plainWords: z.core.$ZodErrorMap = (issue) => {
  const field = fieldOf(issue.path ?? []);
  const { label, missing } = LAUNCH_FIELDS[field];
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? missing : `${label} must be a whole number, such as 10`;
    case 'too_small':
      return issue.origin === 'number' ? `${label} must be ${String(issue.minimum)} or more` : missing;
    case 'too_big':
      return issue.origin === 'string' ? `${label} must be ${String(issue.maximum)} characters or fewer` : `${label} must be ${String(issue.maximum)} or less`;
    default:
      return `Check ${label.replace(/^The /, 'the ')}`;
  }
};

export type LaunchFormResult = { readonly launch: LaunchCampaign; readonly errors?: undefined } | { readonly launch?: undefined; readonly errors: readonly FieldError[] };

/** Reads the form as the API reads its body, with the same schema; each problem in plain words at its field, one per field. */
export function parseLaunchForm(form: LaunchForm): LaunchFormResult {
  const { body, dateErrors } = launchBodyOf(form);
  const parsed = launchCampaignSchema.safeParse(body, { error: plainWords });
  if (parsed.success && dateErrors.length === 0) return { launch: parsed.data };
  const issues = parsed.success ? [] : parsed.error.issues;
  const errors = [...dateErrors, ...issues.map((issue) => ({ field: fieldOf(issue.path), message: sentence(fieldOf(issue.path), issue.message) }))];
  return { errors: firstPerField(errors) };
}

/** A launch the services refused (its region, reference data, fund, a launch already running), as errors at the form's fields. */
export function launchRefusalErrors(error: DomainError): FieldError[] {
  const problems = Array.isArray(error.details)
    ? (error.details as { field?: unknown; message?: unknown }[]).filter((problem) => typeof problem.field === 'string' && typeof problem.message === 'string')
    : [];
  if (problems.length === 0) {
    const field = error.kind === 'Forbidden' ? 'regionCode' : fieldOf(error.field?.split('.') ?? []);
    return [{ field, message: sentence(field, error.message) }];
  }
  return firstPerField(
    problems.map((problem) => {
      const path = String(problem.field);
      const field = fieldOf(path.split('.'));
      return { field, message: sentence(field, String(problem.message), path === 'period' ? 'The period of offers' : undefined) };
    }),
  );
}

/**
 * The form's order, and one error per field (the first), as the design system shows them; an error at a
 * date is at its date input (the parts a typed date got wrong, or the whole date).
 */
function firstPerField(errors: readonly FieldError[]): FieldError[] {
  const order = Object.keys(LAUNCH_FIELDS);
  const fieldOfError = (error: FieldError) => error.field.replace(/-(day|month|year)$/, '');
  const seen = new Map<string, FieldError>();
  for (const error of errors) if (!seen.has(fieldOfError(error))) seen.set(fieldOfError(error), error);
  return [...seen]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([field, error]) => ((DATE_FIELDS as readonly string[]).includes(field) && error.field === field ? dateError(field, error.message) : error));
}
