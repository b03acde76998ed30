/**
 * Funds and their ledger for finance and regional teams: each fund's money now (allocated, committed
 * to bookings, claimed for treated transfers, paid, remaining), per trust where a trust has its own
 * allocation, and over time as a chart with a table of the same numbers. Finance also sees the claim
 * lines held back, with the reasons, and goes from here to the fund's claims.
 */
import type { ClaimLineRow } from '../../../db/repositories/claims';
import type { FundBalance, FundSummary, LedgerDay } from '../../../db/repositories/funds';
import type { StaffUser } from '../../../db/schema';
import { formatDate } from '../../../domain/dates';
import { formatPence } from '../../../domain/money';
import { StepChart } from '../charts';
import { StaffLayout } from '../staff-layout';
import { Cell, SummaryRow, TableHead } from '../table';
import { ClaimLinesTable } from './claims';

/** A balance's figures, in the order every table and list shows them: a column's word, a list's words, the test id's name. */
const BALANCE_FIGURES = [
  { key: 'allocationPence', column: 'Allocation', label: 'Allocation', name: 'allocation' },
  { key: 'committedPence', column: 'Committed', label: 'Committed to booked procedures', name: 'committed' },
  { key: 'claimedPence', column: 'Claimed', label: 'Claimed for treated patients', name: 'claimed' },
  { key: 'paidPence', column: 'Paid', label: 'Paid, of what was claimed', name: 'paid' },
  { key: 'remainingPence', column: 'Remaining', label: 'Remaining', name: 'remaining' },
] as const satisfies readonly { key: keyof FundBalance; column: string; label: string; name: string }[];

const BALANCE_COLUMNS = BALANCE_FIGURES.map((figure) => ({ text: figure.column, numeric: true }));

function BalanceCells(props: { balance: FundBalance }) {
  return (
    <>
      {BALANCE_FIGURES.map((figure) => (
        <Cell heading={figure.column} numeric>
          {formatPence(props.balance[figure.key])}
        </Cell>
      ))}
    </>
  );
}

const windowOf = (fund: FundSummary) => `${formatDate(fund.windowFrom)} to ${formatDate(fund.windowTo)}`;

export function FundsPage(props: { staff: StaffUser; funds: readonly FundSummary[] }) {
  return (
    <StaffLayout title="Funds" staff={props.staff}>
      <h1>Funds</h1>
      <p>
        What each fund was given, what is committed to booked procedures, what has been claimed for treated patients (of which paid),
        and what remains. Committed and claimed together never pass the allocation.
      </p>
      {props.funds.length === 0 ? (
        <p data-testid="no-funds">There are no funds in your area yet.</p>
      ) : (
        <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid="funds-table">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Funds and their balances</caption>
          <TableHead columns={[{ text: 'Fund' }, { text: 'Window' }, ...BALANCE_COLUMNS]} />
          <tbody class="nhsuk-table__body">
            {props.funds.map((fund) => (
              <tr class="nhsuk-table__row" role="row" data-testid="fund">
                <Cell heading="Fund">
                  <a href={`/staff/funds/${fund.id}`}>{fund.name}</a>
                  <br />
                  <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{fund.regionCode ? `Region ${fund.regionCode}` : 'All of England'}</span>
                </Cell>
                <Cell heading="Window">{windowOf(fund)}</Cell>
                <BalanceCells balance={fund.balance} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StaffLayout>
  );
}

export interface FundPageProps {
  readonly staff: StaffUser;
  readonly fund: FundSummary;
  readonly days: readonly LedgerDay[];
  /**
   * Finance's view: this month's lines (valid, to be claimed when the month ends), the lines held back
   * with their reasons, and how many claims await a decision. Absent for those who may not see claims.
   */
  readonly claims?: { readonly monthOpenLines: readonly ClaimLineRow[]; readonly heldLines: readonly ClaimLineRow[]; readonly awaitingDecision: number };
}

export function FundPage(props: FundPageProps) {
  const { fund, days, claims } = props;
  const { balance } = fund;
  const ownAllocations = fund.trusts.filter((trust) => trust.balance !== null);
  const shared = fund.trusts.filter((trust) => trust.balance === null);
  return (
    <StaffLayout title={fund.name} staff={props.staff}>
      <a class="nhsuk-back-link" href="/staff/funds">
        Funds
      </a>
      <h1>
        <span class="nhsuk-caption-l">Fund ledger</span>
        {fund.name}
      </h1>
      <p>
        {fund.regionCode ? `Region ${fund.regionCode}` : 'All of England'}. Pays for procedures done from {windowOf(fund)}
        {fund.treatmentFunctions.length ? `, in treatment functions ${fund.treatmentFunctions.join(', ')}` : ''}
        {fund.trusts.length ? `, for trusts ${fund.trusts.map((trust) => trust.trustOds).join(', ')}` : ''}.
      </p>
      {claims ? (
        <ul class="nhsuk-list">
          <li>
            <a href={`/staff/claims?fundId=${fund.id}`} data-testid="fund-claims-link">
              This fund's claims
            </a>
            {claims.awaitingDecision ? ` (${claims.awaitingDecision} awaiting a decision)` : ''}
          </li>
        </ul>
      ) : null}

      <h2>Its money now</h2>
      <dl class="nhsuk-summary-list" data-testid="fund-balance">
        {BALANCE_FIGURES.map((figure) => (
          <SummaryRow label={figure.label} testId={`balance-${figure.name}`}>
            {formatPence(balance[figure.key])}
          </SummaryRow>
        ))}
      </dl>

      {ownAllocations.length ? (
        <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid="trust-balances">
          <caption class="nhsuk-table__caption">Trusts with an allocation of their own</caption>
          <TableHead columns={[{ text: 'Trust' }, ...BALANCE_COLUMNS]} />
          <tbody class="nhsuk-table__body">
            {ownAllocations.map((trust) => (
              <tr class="nhsuk-table__row" role="row" data-testid="trust-balance">
                <Cell heading="Trust">{trust.trustOds}</Cell>
                <BalanceCells balance={trust.balance!} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {ownAllocations.length && shared.length ? (
        <p>{shared.map((trust) => trust.trustOds).join(', ')} draw on the fund's money with no allocation of their own.</p>
      ) : null}

      <h2>Its money over time</h2>
      {days.length === 0 ? (
        <p data-testid="no-movements">Nothing has been committed, claimed or paid from this fund yet.</p>
      ) : (
        <>
          <StepChart
            id="ledger-chart"
            title={`Committed, claimed and paid from ${fund.name}, against its allocation`}
            days={days.map((day) => day.day)}
            series={[
              { label: 'Committed', values: days.map((day) => day.committedPence) },
              { label: 'Claimed', values: days.map((day) => day.claimedPence) },
              { label: 'Paid', values: days.map((day) => day.paidPence) },
            ]}
            ceiling={{ label: 'Allocation', value: balance.allocationPence }}
            format={formatPence}
          />
          <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid="ledger-days">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">The fund's money at the end of each day it moved</caption>
            <TableHead columns={[{ text: 'Day' }, { text: 'Committed', numeric: true }, { text: 'Claimed', numeric: true }, { text: 'Paid', numeric: true }]} />
            <tbody class="nhsuk-table__body">
              {days.map((day) => (
                <tr class="nhsuk-table__row" role="row" data-testid="ledger-day">
                  <Cell heading="Day">{formatDate(day.day)}</Cell>
                  <Cell heading="Committed" numeric>
                    {formatPence(day.committedPence)}
                  </Cell>
                  <Cell heading="Claimed" numeric>
                    {formatPence(day.claimedPence)}
                  </Cell>
                  <Cell heading="Paid" numeric>
                    {formatPence(day.paidPence)}
                  </Cell>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {claims ? (
        <>
          <h2>This month's claim lines</h2>
          {claims.monthOpenLines.length === 0 ? (
            <p data-testid="no-month-open-lines">No treated transfer of this month has a claim line yet.</p>
          ) : (
            <>
              <p>
                These treated transfers passed every check and their money is claimed from the fund. They join their trust's claim for the
                month once it ends, for you to approve then.
              </p>
              <ClaimLinesTable lines={claims.monthOpenLines} caption="This month's claim lines, to be claimed when the month ends" testId="month-open-lines" />
            </>
          )}
          <h2>Claim lines held back</h2>
          {claims.heldLines.length === 0 ? (
            <p data-testid="no-held-lines">No claim lines are held back: every treated transfer checked so far can be claimed.</p>
          ) : (
            <>
              <p>
                These treated transfers failed a check, so their money is not claimed. Each is checked again on the next claims run, and
                claimed once put right.
              </p>
              <ClaimLinesTable lines={claims.heldLines} caption="Claim lines held back, with the reasons" testId="held-lines" />
            </>
          )}
        </>
      ) : null}
    </StaffLayout>
  );
}
