/** NHS.UK design system form parts, as the nhsuk-frontend macros render them. */
import type { Child } from 'hono/jsx';
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
