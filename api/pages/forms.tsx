/** NHS.UK design system form parts, as the nhsuk-frontend macros render them. */
import type { Child } from 'hono/jsx';
import { DATE_PARTS, type DateFields, type DatePart } from '../../domain/dates';
import { REASON_MAX_LENGTH } from '../../domain/transfer';

/** A labelled text input in its form group, with its hint and, when it is at fault, its error. */
export function TextField(props: {
  name: string;
  label: string;
  value: string;
  hint?: string;
  errors?: readonly FieldError[];
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
}) {
  const error = props.errors?.some((candidate) => candidate.field === props.name);
  const describedBy = [props.hint ? `${props.name}-hint` : '', error ? `${props.name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label class="nhsuk-label" for={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="nhsuk-hint" id={`${props.name}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.errors ? <FieldErrorMessage id={props.name} errors={props.errors} /> : null}
      <input
        class={`nhsuk-input${props.width ? ` nhsuk-input--width-${props.width}` : ''}${error ? ' nhsuk-input--error' : ''}`}
        id={props.name}
        name={props.name}
        value={props.value}
        aria-describedby={describedBy || undefined}
      />
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

/**
 * A form's problems, one per field, in the words its page gives each field (`words`), for the error
 * summary and the fields; a field the page has no words for keeps the rule's own message.
 */
export function fieldErrorsOf(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[], words: Readonly<Record<string, string>>): FieldError[] {
  const errors = new Map<string, string>();
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form');
    if (!errors.has(field)) errors.set(field, words[field] ?? issue.message);
  }
  return [...errors].map(([field, message]) => ({ field, message }));
}

/**
 * A person's reason in their own words, at most the domain's REASON_MAX_LENGTH characters, kept when
 * the form is shown again; with its error, when there is one. Named `reason`; its id tells it apart.
 */
export function ReasonField(props: { id: string; label: Child; value?: string; errors?: readonly FieldError[] }) {
  const errors = props.errors ?? [];
  const error = errors.some((candidate) => candidate.field === props.id);
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label class="nhsuk-label" for={props.id}>
        {props.label}
      </label>
      <FieldErrorMessage id={props.id} errors={errors} />
      <textarea
        class={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        id={props.id}
        name="reason"
        rows={3}
        maxlength={REASON_MAX_LENGTH}
        aria-describedby={error ? `${props.id}-error` : undefined}
      >
        {props.value}
      </textarea>
    </div>
  );
}

/**
 * The design system's notification banner, first on the page a change leads back to: a success says
 * what the change did; an important one what it could not do. Its id tells two on one page apart.
 */
export function NotificationBanner(props: { id: string; heading: string; success?: boolean; children?: Child }) {
  return (
    <div
      class={`nhsuk-notification-banner${props.success ? ' nhsuk-notification-banner--success' : ''}`}
      role={props.success ? 'alert' : 'region'}
      aria-labelledby={`${props.id}-title`}
      id={props.id}
      data-testid={props.id}
    >
      <div class="nhsuk-notification-banner__header">
        <h2 class="nhsuk-notification-banner__title" id={`${props.id}-title`}>
          {props.success ? 'Success' : 'Important'}
        </h2>
      </div>
      <div class="nhsuk-notification-banner__content">
        <h3 class="nhsuk-notification-banner__heading">{props.heading}</h3>
        {props.children}
      </div>
    </div>
  );
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
