/**
 * Finance's claims (PRODUCT.md §3 step 10): each claim gathered per fund, trust and month, with its
 * lines; a submitted claim is approved, or rejected with a reason, and an approved one marked paid,
 * each with a plain form. Claims and lines download as CSV for the finance team's spreadsheet. Lines
 * name the transfer and the trust's pathway reference, never the patient.
 */
import type { Child } from 'hono/jsx';
import type { ClaimLineRow, ClaimSummary } from '../../../db/repositories/claims';
import type { FundSummary } from '../../../db/repositories/funds';
import { CLAIM_STATUSES, type ClaimLineStatus, type ClaimStatus, type StaffUser } from '../../../db/schema';
import { formatDate, formatDateTime } from '../../../domain/dates';
import { formatPence } from '../../../domain/money';
import { ErrorSummary, type FieldError, FieldErrorMessage, NotificationBanner } from '../forms';
import { REASON_MAX_LENGTH } from '../../../domain/transfer';
import { StaffLayout } from '../staff-layout';
import { Cell, SummaryRow, TableHead } from '../table';

/** The claims list's filter: also the query of its CSV downloads, as the JSON API names it. */
export interface ClaimFilter {
  readonly fundId?: number;
  readonly status?: ClaimStatus;
}

/** The filter as a query string (no leading "?"), empty when there is none. */
export function claimFilterQuery(filter: ClaimFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filter.fundId !== undefined) params.set('fundId', String(filter.fundId));
  if (filter.status) params.set('status', filter.status);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}

export interface ClaimsPageProps {
  readonly staff: StaffUser;
  /** The funds in scope, to filter by. */
  readonly funds: readonly FundSummary[];
  readonly filter: ClaimFilter;
  readonly claims: readonly ClaimSummary[];
  /** The claim the last decision was on, as it stands now: shown once after the decision. */
  readonly changed?: ClaimSummary;
  readonly errors?: readonly FieldError[];
  /** The reason entered in the rejection that failed, shown again in its form. */
  readonly submitted?: { readonly claimId: number; readonly reason: string };
}

const STATUS_TAGS: Record<ClaimStatus, { readonly text: string; readonly colour: string }> = {
  submitted: { text: 'Awaiting decision', colour: 'blue' },
  approved: { text: 'Approved, to pay', colour: 'yellow' },
  rejected: { text: 'Rejected', colour: 'red' },
  paid: { text: 'Paid', colour: 'green' },
};

const STATUS_OPTIONS: Record<ClaimStatus, string> = {
  submitted: 'Awaiting decision',
  approved: 'Approved, to pay',
  rejected: 'Rejected',
  paid: 'Paid',
};

/** After a decision, what now stands: the confirmation's heading and what it means. */
const AFTER_DECISION: Record<ClaimStatus, { readonly heading: (id: number) => string; readonly text: string }> = {
  submitted: { heading: (id) => `Claim ${id} is awaiting a decision`, text: 'Approve it, or reject it with a reason.' },
  approved: { heading: (id) => `Claim ${id} approved`, text: 'Mark it paid once the money has been sent.' },
  rejected: { heading: (id) => `Claim ${id} rejected`, text: "Its money has gone back to the fund and the trust's lines are marked rejected." },
  paid: { heading: (id) => `Claim ${id} marked as paid`, text: "The fund's ledger shows the money paid." },
};

/** "April 2026" for "2026-04". */
export function formatMonth(month: string): string {
  return new Date(`${month}-15T12:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function ClaimStatusTag(props: { status: ClaimStatus }) {
  const tag = STATUS_TAGS[props.status];
  return <strong class={`nhsuk-tag nhsuk-tag--${tag.colour}`}>{tag.text}</strong>;
}

export function ClaimsPage(props: ClaimsPageProps) {
  const errors = props.errors ?? [];
  const fund = props.funds.find((candidate) => candidate.id === props.filter.fundId);
  const query = claimFilterQuery(props.filter);
  const total = props.claims.reduce((sum, claim) => sum + claim.totalPence, 0);
  return (
    <StaffLayout title={errors.length ? 'Error: Claims' : 'Claims'} staff={props.staff}>
      <ErrorSummary errors={errors} />
      {props.changed ? (
        <NotificationBanner id="claims-outcome" success heading={AFTER_DECISION[props.changed.status].heading(props.changed.id)}>
          <p>
            {props.changed.trustName}, {formatMonth(props.changed.month)}, {formatPence(props.changed.totalPence)}.
          </p>
          <p>{AFTER_DECISION[props.changed.status].text}</p>
        </NotificationBanner>
      ) : null}
      <h1>Claims</h1>
      <p>
        Each claim gathers one trust's treated transfers for a month, once the month has ended; the month still open shows on each
        fund's page, its lines checked as they come. Approve a claim, or reject it with a reason (its money goes back to the fund),
        then mark it paid once the money has been sent.
      </p>

      <form method="get" action="/staff/claims" class="nhsuk-u-margin-bottom-5" data-testid="claims-filter">
        <Select name="fundId" label="Fund" errors={errors}>
          <option value="">All funds</option>
          {props.funds.map((candidate) => (
            <option value={String(candidate.id)} selected={candidate.id === props.filter.fundId}>
              {candidate.name}
            </option>
          ))}
        </Select>
        <Select name="status" label="Status" errors={errors}>
          <option value="">Any status</option>
          {CLAIM_STATUSES.map((status) => (
            <option value={status} selected={status === props.filter.status}>
              {STATUS_OPTIONS[status]}
            </option>
          ))}
        </Select>
        <button class="nhsuk-button nhsuk-button--secondary" type="submit">
          Show claims
        </button>
      </form>

      <p data-testid="claims-count">
        {props.claims.length === 1 ? '1 claim' : `${props.claims.length} claims`}
        {props.filter.status ? ` ${STATUS_OPTIONS[props.filter.status].toLowerCase()}` : ''}
        {fund ? ` from ${fund.name}` : ''}, {formatPence(total)} in all.
      </p>
      <ul class="nhsuk-list">
        <li>
          <a href={`/staff/claims/claims.csv${query ? `?${query}` : ''}`} download>
            Download these claims (CSV)
          </a>
        </li>
        <li>
          <a href={`/staff/claims/lines.csv${props.filter.fundId === undefined ? '' : `?fundId=${props.filter.fundId}`}`} download>
            Download the claim lines{fund ? ` of ${fund.name}` : ''} (CSV)
          </a>
        </li>
        {fund ? (
          <li>
            <a href={`/staff/funds/${fund.id}`}>{fund.name}: its ledger</a>
          </li>
        ) : null}
      </ul>

      {props.claims.length === 0 ? (
        <p data-testid="no-claims">No claims match.</p>
      ) : (
        <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid="claims-table">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Claims, newest month first</caption>
          <TableHead columns={CLAIM_COLUMNS} />
          <tbody class="nhsuk-table__body">
            {props.claims.map((claim) => (
              <tr class="nhsuk-table__row" role="row" id={`claim-${claim.id}`} data-testid="claim">
                <Cell heading="Claim">
                  <a href={`/staff/claims/${claim.id}`}>Claim {claim.id}</a>
                  <br />
                  <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{claim.fundName}</span>
                </Cell>
                <Cell heading="Trust">
                  {claim.trustName} <span class="nhsuk-u-secondary-text-color">{claim.trustOds}</span>
                </Cell>
                <Cell heading="Month">
                  {formatMonth(claim.month)}
                  {claim.sequence > 1 ? <span class="nhsuk-body-s nhsuk-u-secondary-text-color"> (further claim {claim.sequence})</span> : null}
                </Cell>
                <Cell heading="Lines" numeric>
                  {claim.lineCount}
                </Cell>
                <Cell heading="Total" numeric>
                  {formatPence(claim.totalPence)}
                </Cell>
                <Cell heading="Status">
                  <ClaimStatusTag status={claim.status} />
                  <Decided claim={claim} />
                </Cell>
                <Cell heading="Decision">
                  <ClaimActions claim={claim} back={query} errors={errors} reason={props.submitted?.claimId === claim.id ? props.submitted.reason : ''} />
                </Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StaffLayout>
  );
}

const CLAIM_COLUMNS = [{ text: 'Claim' }, { text: 'Trust' }, { text: 'Month' }, { text: 'Lines', numeric: true }, { text: 'Total', numeric: true }, { text: 'Status' }, { text: 'Decision' }];

/** Who decided and when, and why a claim was rejected. */
function Decided(props: { claim: ClaimSummary }) {
  const { claim } = props;
  if (claim.status === 'submitted') return null;
  return (
    <p class="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">
      {claim.decidedAt ? `Decided ${formatDateTime(claim.decidedAt)}` : null}
      {claim.decisionReason ? (
        <>
          <br />
          Reason: {claim.decisionReason}
        </>
      ) : null}
      {claim.paidAt ? (
        <>
          <br />
          Paid {formatDateTime(claim.paidAt)}
        </>
      ) : null}
    </p>
  );
}

/** What can be done to a claim now: approve (after its check) or reject a submitted one, mark an approved one paid (after its check). */
function ClaimActions(props: { claim: ClaimSummary; back: string; errors: readonly FieldError[]; reason: string }) {
  const { id, status } = props.claim;
  const query = props.back ? `?${props.back}` : '';
  if (status === 'approved') {
    return (
      <a class="nhsuk-button nhsuk-u-margin-bottom-0" href={`/staff/claims/${id}/paid${query}`} role="button" draggable="false">
        Mark paid<span class="nhsuk-u-visually-hidden"> claim {id}</span>
      </a>
    );
  }
  if (status !== 'submitted') return <span class="nhsuk-body-s nhsuk-u-secondary-text-color">No decision to make</span>;
  const fieldId = `reason-${id}`;
  const error = props.errors.some((candidate) => candidate.field === fieldId);
  return (
    <>
      <a class="nhsuk-button nhsuk-u-margin-bottom-3" href={`/staff/claims/${id}/approve${query}`} role="button" draggable="false">
        Approve<span class="nhsuk-u-visually-hidden"> claim {id}</span>
      </a>
      <form method="post" action={`/staff/claims/${id}/reject`} novalidate>
        <input type="hidden" name="back" value={props.back} />
        <div class={`nhsuk-form-group nhsuk-u-margin-bottom-3${error ? ' nhsuk-form-group--error' : ''}`}>
          <label class="nhsuk-label nhsuk-body-s" for={fieldId}>
            Reason for rejecting<span class="nhsuk-u-visually-hidden"> claim {id}</span>
          </label>
          <FieldErrorMessage id={fieldId} errors={props.errors} />
          <input
            class={`nhsuk-input${error ? ' nhsuk-input--error' : ''}`}
            id={fieldId}
            name="reason"
            value={props.reason}
            maxlength={REASON_MAX_LENGTH}
            autocomplete="off"
            aria-describedby={error ? `${fieldId}-error` : undefined}
          />
        </div>
        <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
          Reject<span class="nhsuk-u-visually-hidden"> claim {id}</span>
        </button>
      </form>
    </>
  );
}

/** The decisions that have a check step: what each asks, what it needs the claim to be, and its button. */
export const CHECKED_DECISIONS = {
  approve: {
    from: 'submitted',
    question: (claim: ClaimSummary) => `Are you sure you want to approve claim ${claim.id} for ${formatPence(claim.totalPence)}?`,
    means: (claim: ClaimSummary) => `Approving it means ${formatPence(claim.totalPence)} is owed to ${claim.trustName}. Mark it paid once the money has been sent.`,
    button: 'Approve claim',
    refused: 'cannot be approved',
  },
  paid: {
    from: 'approved',
    question: (claim: ClaimSummary) => `Are you sure you want to mark claim ${claim.id} for ${formatPence(claim.totalPence)} as paid?`,
    means: (claim: ClaimSummary) => `Only mark it paid once ${formatPence(claim.totalPence)} has been sent to ${claim.trustName}.`,
    button: 'Mark as paid',
    refused: 'cannot be marked paid',
  },
} as const satisfies Record<string, { from: ClaimStatus; question: (claim: ClaimSummary) => string; means: (claim: ClaimSummary) => string; button: string; refused: string }>;
export type CheckedDecision = keyof typeof CHECKED_DECISIONS;

/**
 * The check before approving a claim or marking it paid: its figures (fund, trust, month, lines and
 * total) and its lines, the question, and the button that sends it; a way back to the list it came
 * from. A claim no longer in the state the decision needs says so, with nothing to confirm.
 */
export function ClaimCheckPage(props: { staff: StaffUser; claim: ClaimSummary; lines: readonly ClaimLineRow[]; decision: CheckedDecision; filter: ClaimFilter }) {
  const { claim } = props;
  const decision = CHECKED_DECISIONS[props.decision];
  const allowed = claim.status === decision.from;
  const query = claimFilterQuery(props.filter);
  const list = `/staff/claims${query ? `?${query}` : ''}#claim-${claim.id}`;
  const heading = allowed ? decision.question(claim) : `Claim ${claim.id} ${decision.refused}`;
  return (
    <StaffLayout title={heading} staff={props.staff}>
      <a class="nhsuk-back-link" href={list}>
        Back to claims
      </a>
      <h1>{heading}</h1>
      <ClaimSummaryList claim={claim} />
      {allowed ? (
        <>
          <p>{decision.means(claim)}</p>
          <form method="post" action={`/staff/claims/${claim.id}/${props.decision}`}>
            <input type="hidden" name="back" value={query} />
            <input type="hidden" name="confirm" value="yes" />
            <button class="nhsuk-button" type="submit">
              {decision.button}
            </button>
          </form>
          <p>
            <a href={list}>No, go back to the claims</a>
          </p>
        </>
      ) : (
        <p data-testid="not-allowed">
          It is {STATUS_OPTIONS[claim.status].toLowerCase()}, so there is nothing to do. <a href={list}>Go back to the claims</a>
        </p>
      )}
      <h2>Its lines</h2>
      <ClaimLinesTable lines={props.lines} caption={`The lines of claim ${claim.id}`} testId="claim-lines" />
    </StaffLayout>
  );
}

/** A claim's figures: its fund, trust, month, lines, total and status. */
function ClaimSummaryList(props: { claim: ClaimSummary }) {
  const { claim } = props;
  return (
    <dl class="nhsuk-summary-list" data-testid="claim-summary">
      <SummaryRow label="Fund">
        <a href={`/staff/funds/${claim.fundId}`}>{claim.fundName}</a>
      </SummaryRow>
      <SummaryRow label="Trust">
        {claim.trustName} ({claim.trustOds})
      </SummaryRow>
      <SummaryRow label="Month">
        {formatMonth(claim.month)}
        {claim.sequence > 1 ? ` (further claim ${claim.sequence}, for lines that became valid after the first)` : ''}
      </SummaryRow>
      <SummaryRow label="Lines">{claim.lineCount}</SummaryRow>
      <SummaryRow label="Total">{formatPence(claim.totalPence)}</SummaryRow>
      <SummaryRow label="Status">
        <ClaimStatusTag status={claim.status} />
        <Decided claim={claim} />
      </SummaryRow>
    </dl>
  );
}

export interface ClaimPageProps {
  readonly staff: StaffUser;
  readonly claim: ClaimSummary;
  readonly lines: readonly ClaimLineRow[];
}

/** One claim and its lines, with the way to its next decision. */
export function ClaimPage(props: ClaimPageProps) {
  const { claim } = props;
  return (
    <StaffLayout title={`Claim ${claim.id}`} staff={props.staff}>
      <a class="nhsuk-back-link" href={`/staff/claims?fundId=${claim.fundId}#claim-${claim.id}`}>
        Claims of {claim.fundName}
      </a>
      <h1>
        <span class="nhsuk-caption-l">Claim {claim.id}</span>
        {claim.trustName}, {formatMonth(claim.month)}
      </h1>
      <ClaimSummaryList claim={claim} />
      {claim.status === 'submitted' ? (
        <p>
          <a href={`/staff/claims?fundId=${claim.fundId}#claim-${claim.id}`}>Approve or reject this claim</a> from the list of claims.
        </p>
      ) : claim.status === 'approved' ? (
        <p>
          <a href={`/staff/claims/${claim.id}/paid?fundId=${claim.fundId}`}>Mark this claim paid</a> once the money has been sent.
        </p>
      ) : null}
      <h2>Its lines</h2>
      <p>
        <a href={`/staff/claims/lines.csv?claimId=${claim.id}`} download>
          Download these lines (CSV)
        </a>
      </p>
      <ClaimLinesTable lines={props.lines} caption={`The lines of claim ${claim.id}`} testId="claim-lines" />
    </StaffLayout>
  );
}

const LINE_STATUS_TAGS: Record<ClaimLineStatus, { readonly text: string; readonly colour: string }> = {
  held: { text: 'Held', colour: 'orange' },
  month_open: { text: 'Month open', colour: 'blue' },
  valid: { text: 'Valid', colour: 'green' },
  rejected: { text: 'Rejected', colour: 'red' },
};

const LINE_COLUMNS = [
  { text: 'Line' },
  { text: 'Transfer' },
  { text: 'Site' },
  { text: 'Procedure' },
  { text: 'Treated on' },
  { text: 'Price', numeric: true },
  { text: 'Status' },
];

/** Claim lines: where, what and when each procedure was, its price with its source, and a held line's reasons. */
export function ClaimLinesTable(props: { lines: readonly ClaimLineRow[]; caption: string; testId: string }) {
  return (
    <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid={props.testId}>
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{props.caption}</caption>
      <TableHead columns={LINE_COLUMNS} />
      <tbody class="nhsuk-table__body">
        {props.lines.map((line) => (
          <tr class="nhsuk-table__row" role="row" data-testid="claim-line">
            <Cell heading="Line">{line.id}</Cell>
            <Cell heading="Transfer">
              {line.transferId}
              <br />
              <span class="nhsuk-body-s nhsuk-u-secondary-text-color">
                {line.trustOds} {line.pathwayRef}
              </span>
            </Cell>
            <Cell heading="Site">
              {line.siteName}
              <br />
              <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{line.siteOds}</span>
            </Cell>
            <Cell heading="Procedure">
              {line.procedureCode ?? 'No OPCS-4 code'}
              <br />
              <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{line.hrgCode ? `HRG ${line.hrgCode}` : 'No HRG'}</span>
            </Cell>
            <Cell heading="Treated on">{formatDate(line.treatedOn)}</Cell>
            <Cell heading="Price" numeric>
              {formatPence(line.pricePence)}
              <br />
              <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{line.priceSource}</span>
            </Cell>
            <Cell heading="Status">
              <strong class={`nhsuk-tag nhsuk-tag--${LINE_STATUS_TAGS[line.status].colour}`}>{LINE_STATUS_TAGS[line.status].text}</strong>
              {line.problems.length ? (
                <ul class="nhsuk-list nhsuk-list--bullet nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0" data-testid="line-problems">
                  {line.problems.map((problem) => (
                    <li>{problem}</li>
                  ))}
                </ul>
              ) : null}
            </Cell>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Select(props: { name: string; label: string; errors: readonly FieldError[]; children: Child }) {
  const error = props.errors.some((candidate) => candidate.field === props.name);
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label class="nhsuk-label" for={props.name}>
        {props.label}
      </label>
      <FieldErrorMessage id={props.name} errors={props.errors} />
      <select class={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`} id={props.name} name={props.name} aria-describedby={error ? `${props.name}-error` : undefined}>
        {props.children}
      </select>
    </div>
  );
}
