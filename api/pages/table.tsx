import type { Child } from 'hono/jsx';

/**
 * The design system's responsive table parts: on a phone each row stacks, and each cell shows its
 * column's heading (hidden from screen readers, which read the table's own headers).
 */
export function TableHead(props: { columns: readonly { readonly text: string; readonly numeric?: boolean }[] }) {
  return (
    <thead class="nhsuk-table__head" role="rowgroup">
      <tr class="nhsuk-table__row" role="row">
        {props.columns.map((column) => (
          <th scope="col" role="columnheader" class={`nhsuk-table__header${column.numeric ? ' nhsuk-table__header--numeric' : ''}`}>
            {column.text}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function Cell(props: { heading: string; numeric?: boolean; children: Child }) {
  return (
    <td role="cell" class={`nhsuk-table__cell${props.numeric ? ' nhsuk-table__cell--numeric' : ''}`}>
      <span class="nhsuk-table__heading" aria-hidden="true">
        {props.heading}{' '}
      </span>
      <div>{props.children}</div>
    </td>
  );
}

/**
 * A row of the design system's summary list: a key and its value, with a Change link back to the
 * answer (check pages), a test id, and the name the dashboard's script puts new figures in by.
 */
export function SummaryRow(props: { label: string; children: Child; testId?: string; live?: string; change?: { readonly href: string; readonly what: string } }) {
  return (
    <div class="nhsuk-summary-list__row">
      <dt class="nhsuk-summary-list__key">{props.label}</dt>
      <dd class="nhsuk-summary-list__value" data-testid={props.testId ?? props.live} data-live={props.live}>
        {props.children}
      </dd>
      {props.change ? (
        <dd class="nhsuk-summary-list__actions">
          <a href={props.change.href}>
            Change<span class="nhsuk-u-visually-hidden"> {props.change.what}</span>
          </a>
        </dd>
      ) : null}
    </div>
  );
}
