/** NHS.UK design system form parts, as the nhsuk-frontend macros render them. */
import type { Child } from 'hono/jsx';
import { DATE_PARTS, type DateFields, type DatePart } from '../../domain/dates';

/** A labelled text input in its form group. */
export function TextField(props: { name: string; label: string; value: string; width?: 2 | 3 | 4 | 5 | 10 | 20 | 30 }) {
  return (
    <div class="nhsuk-form-group">
      <label class="nhsuk-label" for={props.name}>
        {props.label}
      </label>
      <input class={`nhsuk-input${props.width ? ` nhsuk-input--width-${props.width}` : ''}`} id={props.name} name={props.name} value={props.value} />
    </div>
  );
}

export interface FieldError {
  /** The id of the field at fault, which the summary links to. */
  readonly field: string;
  readonly message: string;
}

/** The design system's error summary: first on the page, focused on load, each error a link to its field. */
export function ErrorSummary(props: { errors: readonly FieldError[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex={-1} autofocus>
      <h2 class="nhsuk-error-summary__title" id="error-summary-title">
        There is a problem
      </h2>
      <div class="nhsuk-error-summary__body">
        <ul class="nhsuk-list nhsuk-error-summary__list">
          {props.errors.map((error) => (
            <li>
              <a href={`#${error.field}`}>{error.message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** The error message shown at a field, or nothing. */
export function FieldErrorMessage(props: { id: string; errors: readonly FieldError[] }) {
  const error = props.errors.find((candidate) => candidate.field === props.id);
  return error ? (
    <span class="nhsuk-error-message" id={`${props.id}-error`}>
      <span class="nhsuk-u-visually-hidden">Error:</span> {error.message}
    </span>
  ) : null;
}

/** An error at a date input: the summary links to the first field at fault; `parts` are all of them (the whole date, or the part that is wrong). */
export interface DateError extends FieldError {
  readonly parts: readonly DatePart[];
}

/** The error of the date input `id`, at the given parts (the whole date unless told). */
export function dateError(id: string, message: string, parts: readonly DatePart[] = DATE_PARTS): DateError {
  return { field: `${id}-${parts[0] ?? 'day'}`, message, parts };
}

const DATE_PART_LABELS: Record<DatePart, string> = { day: 'Day', month: 'Month', year: 'Year' };

/**
 * The design system's date input: day, month and year in a fieldset with its legend and hint. Its
 * fields are named `<name>-day`, `-month` and `-year` (domain/dates.ts readDateFields reads them) and
 * their ids are `<id>-day` and so on. An error at any of them (a DateError, or a FieldError at one
 * field) shows above the fields and marks those at fault; what was typed stays in them.
 */
export function DateInput(props: { id?: string; name: string; legend: Child; hint?: string; value: Partial<DateFields>; errors: readonly FieldError[] }) {
  const id = props.id ?? props.name;
  const error = props.errors.find((candidate) => DATE_PARTS.some((part) => candidate.field === `${id}-${part}`));
  const atFault: readonly DatePart[] = !error ? [] : 'parts' in error ? (error as DateError).parts : [error.field.slice(id.length + 1) as DatePart];
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset class="nhsuk-fieldset" role="group" aria-describedby={describedBy || undefined}>
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? (
          <div class="nhsuk-hint" id={`${id}-hint`}>
            {props.hint}
          </div>
        ) : null}
        {error ? (
          <span class="nhsuk-error-message" id={`${id}-error`}>
            <span class="nhsuk-u-visually-hidden">Error:</span> {error.message}
          </span>
        ) : null}
        <div class="nhsuk-date-input" id={id}>
          {DATE_PARTS.map((part) => {
            const fault = atFault.includes(part);
            return (
              <div class="nhsuk-date-input__item">
                <div class={`nhsuk-form-group${fault ? ' nhsuk-form-group--error' : ''}`}>
                  <label class="nhsuk-label nhsuk-date-input__label" for={`${id}-${part}`}>
                    {DATE_PART_LABELS[part]}
                  </label>
                  <input
                    class={`nhsuk-input${fault ? ' nhsuk-input--error' : ''} nhsuk-input--width-${part === 'year' ? 4 : 2} nhsuk-date-input__input`}
                    id={`${id}-${part}`}
                    name={`${props.name}-${part}`}
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    value={props.value[part] ?? ''}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** The date input's fields as a form sent them (blank when missing), for readDateFields and to show again. */
export function dateFieldsOf(form: Readonly<Record<string, unknown>>, name: string): DateFields {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { day: text(form[`${name}-day`]), month: text(form[`${name}-month`]), year: text(form[`${name}-year`]) };
}

/**
 * The design system's success notification banner: what was just done, said once at the top of the
 * page a change leads back to, and announced by screen readers.
 */
export function SuccessBanner(props: { heading: string; testId?: string; children?: Child }) {
  return (
    <div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="success-banner-title" data-testid={props.testId}>
      <div class="nhsuk-notification-banner__header">
        <h2 class="nhsuk-notification-banner__title" id="success-banner-title">
          Success
        </h2>
      </div>
      <div class="nhsuk-notification-banner__content">
        <h3 class="nhsuk-notification-banner__heading">{props.heading}</h3>
        {props.children}
      </div>
    </div>
  );
}
