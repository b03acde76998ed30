import type { StaffUser } from '../../../db/schema';
import { WAIT_BANDS } from '../../../domain/rtt';
import type { ShortfallReport } from '../../../reports/shortfall';
import { HorizontalBarChart } from '../charts';
import { ErrorSummary, type FieldError, FieldErrorMessage, TextField } from '../forms';
import { StaffLayout } from '../staff-layout';

export function SignInPage(props: { next: string; error?: string }) {
  const errors = props.error ? [{ field: 'token', message: props.error }] : [];
  return (
    <StaffLayout title="Sign in">
      <ErrorSummary errors={errors} />
      <h1>Sign in to Backlog Transfer</h1>
      <form method="post" action="/staff/sign-in" novalidate>
        <input type="hidden" name="next" value={props.next} />
        <div class={`nhsuk-form-group${props.error ? ' nhsuk-form-group--error' : ''}`}>
          <label class="nhsuk-label" for="token">
            Your staff access token
          </label>
          <div class="nhsuk-hint" id="token-hint">
            The token you were given when your account was made. It starts with bt_.
          </div>
          <FieldErrorMessage id="token" errors={errors} />
          <input
            class={`nhsuk-input${props.error ? ' nhsuk-input--error' : ''}`}
            id="token"
            name="token"
            type="password"
            autocomplete="off"
            aria-describedby={props.error ? 'token-hint token-error' : 'token-hint'}
          />
        </div>
        <button class="nhsuk-button" type="submit">
          Sign in
        </button>
      </form>
    </StaffLayout>
  );
}

const percent = (value: number) => `${value.toFixed(1)}%`;

/** What the shortfall form was given, as text, to show again. */
export interface ShortfallFormValues {
  readonly from?: string;
  readonly to?: string;
  readonly tolerance?: string;
}

/** The shortfall report under its form; a form with problems shows again, with them and what was entered, and no report. */
export function ShortfallPage(props: { staff: StaffUser; entered: ShortfallFormValues; report?: ShortfallReport; errors?: readonly FieldError[] }) {
  return (
    <StaffLayout title={props.errors?.length ? 'Error: Shortfalls' : 'Shortfalls'} staff={props.staff}>
      <ErrorSummary errors={props.errors ?? []} />
      <h1>Trusts behind their contracted volume</h1>
      {props.report ? (
        <p class="nhsuk-body-l">
          {props.report.query.regionCode ? `Region ${props.report.query.regionCode}` : 'All regions'}, {props.report.query.from} to {props.report.query.to}. A
          trust has missed its volume when it delivered more than {percent(props.report.query.tolerance * 100)} below contract.
        </p>
      ) : null}
      <form method="get" action="/staff/shortfalls" class="nhsuk-u-margin-bottom-5" novalidate>
        <TextField name="from" label="From month" hint="For example, 2026-04" value={props.entered.from ?? ''} errors={props.errors} width={10} />
        <TextField name="to" label="To month" hint="For example, 2026-09" value={props.entered.to ?? ''} errors={props.errors} width={10} />
        <TextField
          name="tolerance"
          label="Tolerance"
          hint="The share below contract a trust may deliver and still meet its volume, for example 0.05 for 5%"
          value={props.entered.tolerance ?? ''}
          errors={props.errors}
          width={5}
        />
        <button class="nhsuk-button nhsuk-button--secondary" type="submit">
          Show
        </button>
      </form>
      {props.report ? <ShortfallTables report={props.report} /> : null}
    </StaffLayout>
  );
}

function ShortfallTables(props: { report: ShortfallReport }) {
  const { query, lines, trusts } = props.report;
  const missed = lines.filter((line) => line.missed);
  return (
    <>
      <p data-testid="missed-count">
        {missed.length} of {lines.length} trust specialties missed their volume.
      </p>
      {missed.length ? (
        <HorizontalBarChart
          title="Shortfall as a share of contracted volume, worst 15"
          max={100}
          bars={missed.slice(0, 15).map((line) => ({
            label: `${line.trustName} – ${line.treatmentFunctionName}`,
            value: line.shortfallPercent,
            text: percent(line.shortfallPercent),
            highlight: true,
          }))}
        />
      ) : null}
      <table class="nhsuk-table" data-testid="shortfall-table">
        <caption class="nhsuk-table__caption">Contracted and delivered volume, worst first</caption>
        <thead class="nhsuk-table__head">
          <tr>
            <th scope="col">Trust</th>
            <th scope="col">Specialty</th>
            <th scope="col" class="nhsuk-table__header--numeric">Contracted</th>
            <th scope="col" class="nhsuk-table__header--numeric">Delivered</th>
            <th scope="col" class="nhsuk-table__header--numeric">Shortfall</th>
            <th scope="col" class="nhsuk-table__header--numeric">%</th>
            <th scope="col">Missed</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {lines.map((line) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">
                {line.trustName} <span class="nhsuk-u-secondary-text-color">{line.trustOds}</span>
              </td>
              <td class="nhsuk-table__cell">{line.treatmentFunctionName}</td>
              <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{line.contracted}</td>
              <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{line.delivered}</td>
              <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{line.shortfall}</td>
              <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{percent(line.shortfallPercent)}</td>
              <td class="nhsuk-table__cell">{line.missed ? <strong class="nhsuk-tag nhsuk-tag--red">Missed</strong> : 'No'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Waiting lists on {query.asOf}</h2>
      <table class="nhsuk-table" data-testid="waiting-table">
        <thead class="nhsuk-table__head">
          <tr>
            <th scope="col">Trust</th>
            <th scope="col" class="nhsuk-table__header--numeric">Waiting</th>
            {WAIT_BANDS.map((band) => (
              <th scope="col" class="nhsuk-table__header--numeric">
                {band.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {trusts.map((trust) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">{trust.trustName}</td>
              <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{trust.waiting}</td>
              {WAIT_BANDS.map((band) => (
                <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{trust.weeksWaited[band.label]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
