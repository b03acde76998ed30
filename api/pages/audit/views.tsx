/**
 * The audit log for admins: a filter form (who, what, on what, which days) and the entries it finds,
 * newest first, with a link to the next, older page. Plain GET forms and links: no script needed.
 */
import type { StaffUser } from '../../../db/schema';
import { formatDateTime } from '../../../domain/dates';
import type { AuditPage as Page } from '../../../services/audit';
import { ErrorSummary, type FieldError, FieldErrorMessage } from '../forms';
import { StaffLayout } from '../staff-layout';
import { Cell, TableHead } from '../table';

/** The form's fields, as the API's query names them, with what people read. */
export const AUDIT_FIELDS = [
  { name: 'actor', label: 'Who (actor)', hint: 'As logged, for example staff:12', type: 'text' },
  { name: 'action', label: 'What (action)', hint: 'For example transfer.start or codec.decode', type: 'text' },
  { name: 'subject', label: 'On what (subject)', hint: 'For example transfer:5 or booking:9', type: 'text' },
  { name: 'from', label: 'From day', hint: 'In England, inclusive', type: 'date' },
  { name: 'to', label: 'To day', hint: 'In England, inclusive', type: 'date' },
] as const;

export type AuditFilterValues = Partial<Record<(typeof AUDIT_FIELDS)[number]['name'], string>>;

export interface AuditPageProps {
  readonly staff: StaffUser;
  /** What the form was sent with, shown again as entered. */
  readonly values: AuditFilterValues;
  readonly page?: Page;
  /** The link to the next page, when there is one. */
  readonly nextHref?: string;
  readonly errors?: readonly FieldError[];
}

const COLUMNS = [{ text: 'When' }, { text: 'Who' }, { text: 'What' }, { text: 'On what' }, { text: 'Detail' }];

export function AuditPage(props: AuditPageProps) {
  const errors = props.errors ?? [];
  return (
    <StaffLayout title={`${errors.length ? 'Error: ' : ''}Audit log`} staff={props.staff}>
      <ErrorSummary errors={errors} />
      <h1>Audit log</h1>
      <p>Every change, and every read of personal data, newest first. Leave a box empty to search all.</p>
      <form method="get" action="/staff/audit" class="nhsuk-u-margin-bottom-5" novalidate>
        {AUDIT_FIELDS.map((field) => {
          const error = errors.find((candidate) => candidate.field === field.name);
          return (
            <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
              <label class="nhsuk-label" for={field.name}>
                {field.label}
              </label>
              <div class="nhsuk-hint" id={`${field.name}-hint`}>
                {field.hint}
              </div>
              <FieldErrorMessage id={field.name} errors={errors} />
              <input
                class={`nhsuk-input nhsuk-input--width-20${error ? ' nhsuk-input--error' : ''}`}
                id={field.name}
                name={field.name}
                type={field.type}
                value={props.values[field.name] ?? ''}
                aria-describedby={`${field.name}-hint${error ? ` ${field.name}-error` : ''}`}
              />
            </div>
          );
        })}
        <button class="nhsuk-button nhsuk-button--secondary" type="submit">
          Search
        </button>
      </form>
      {props.page ? <Entries page={props.page} nextHref={props.nextHref} /> : null}
    </StaffLayout>
  );
}

function Entries(props: { page: Page; nextHref?: string }) {
  if (props.page.entries.length === 0) return <p data-testid="audit-empty">No entries match.</p>;
  return (
    <>
      <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid="audit-table">
        <caption class="nhsuk-table__caption">Entries, newest first</caption>
        <TableHead columns={COLUMNS} />
        <tbody class="nhsuk-table__body">
          {props.page.entries.map((entry) => (
            <tr role="row" class="nhsuk-table__row" data-id={entry.id}>
              <Cell heading="When">{formatDateTime(entry.at)}</Cell>
              <Cell heading="Who">{entry.actor}</Cell>
              <Cell heading="What">{entry.action}</Cell>
              <Cell heading="On what">{entry.subject}</Cell>
              <Cell heading="Detail">
                <code>{JSON.stringify(entry.detail)}</code>
              </Cell>
            </tr>
          ))}
        </tbody>
      </table>
      {props.nextHref ? (
        <nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">
          <ul class="nhsuk-list nhsuk-pagination__list">
            <li class="nhsuk-pagination-item--next">
              <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href={props.nextHref} rel="next">
                <span class="nhsuk-pagination__title">Next page</span>
                <span class="nhsuk-u-visually-hidden">:</span>
                <span class="nhsuk-pagination__page">older entries</span>
              </a>
            </li>
          </ul>
        </nav>
      ) : null}
    </>
  );
}
