/** NHS.UK design system form parts, as the nhsuk-frontend macros render them. */
import { isIsoDate } from '../../domain/codes';
import type { Child } from 'hono/jsx';

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

/** What a date input (DateInput) sent: its day, month and year as typed. */
export interface DateParts {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

/**
 * The day a date input gives, 'YYYY-MM-DD'; 'missing' when it was left empty, 'invalid' when its parts
 * make no calendar date (a part left out, letters, 31 February).
 */
export function dayFromDateInput(parts: DateParts): string | 'missing' | 'invalid' {
  const [day, month, year] = [parts.day.trim(), parts.month.trim(), parts.year.trim()];
  if (!day && !month && !year) return 'missing';
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'invalid';
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : 'invalid';
}

/**
 * The design system's date input: day, month and year in a fieldset with its legend, hint and error.
 * The day's box has the field's id (what an error summary links to); the parts are named id-day,
 * id-month and id-year.
 */
export function DateInput(props: { id: string; legend: string; hint?: string; value: DateParts; errors: readonly FieldError[] }) {
  const error = props.errors.some((candidate) => candidate.field === props.id);
  const describedBy = [props.hint ? `${props.id}-hint` : '', error ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  const parts = [
    { key: 'day', label: 'Day', width: 2, id: props.id },
    { key: 'month', label: 'Month', width: 2, id: `${props.id}-month` },
    { key: 'year', label: 'Year', width: 4, id: `${props.id}-year` },
  ] as const;
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset class="nhsuk-fieldset" role="group" aria-describedby={describedBy || undefined}>
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? (
          <div class="nhsuk-hint" id={`${props.id}-hint`}>
            {props.hint}
          </div>
        ) : null}
        <FieldErrorMessage id={props.id} errors={props.errors} />
        <div class="nhsuk-date-input">
          {parts.map((part) => (
            <div class="nhsuk-date-input__item">
              <div class="nhsuk-form-group">
                <label class="nhsuk-label nhsuk-date-input__label" for={part.id}>
                  {part.label}
                </label>
                <input
                  class={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${part.width}${error ? ' nhsuk-input--error' : ''}`}
                  id={part.id}
                  name={`${props.id}-${part.key}`}
                  type="text"
                  inputmode="numeric"
                  value={props.value[part.key]}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** The design system's success banner: what a person's change did, at the top of the page it leads back to. */
export function SuccessBanner(props: { heading: string; children?: Child }) {
  return (
    <div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="success-banner-title" data-testid="success-banner">
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
