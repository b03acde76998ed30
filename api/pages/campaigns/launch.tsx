/**
 * Launching and steering a campaign from the staff pages (PRODUCT.md §3 steps 2–3, §6): the launch
 * form, the check page with the dry run's figures and their reasons, and the "Are you sure?" step
 * before a campaign is paused, resumed or cancelled. Plain forms, complete without JavaScript.
 */
import { formatCount } from '../../../domain/text';
import type { StaffUser } from '../../../db/schema';
import type { CampaignAction } from '../../../domain/campaign-control';
import type { LaunchCampaign } from '../../../domain/campaign';
import { DEFAULT_COHORT_RULES } from '../../../domain/cohort';
import { formatDate } from '../../../domain/dates';
import type { ExclusionCriteria } from '../../../domain/exclusion-criteria';
import { formatPence } from '../../../domain/money';
import { EXCLUSION_CRITERION_WORDS } from '../../../domain/screening';
import { DEFAULT_TRANSFER_SETTINGS } from '../../../domain/transfer-settings';
import type { DryRunResult } from '../../../reports/campaign-dry-run';
import type { Campaign, LaunchChoices } from '../../../services/campaigns';
import { DateInput, ErrorSummary, type FieldError, FieldErrorMessage } from '../forms';
import { SummaryRow } from '../table';
import { StaffLayout } from '../staff-layout';
import { type LaunchField, type LaunchForm, launchFormPairs, launchFormQuery } from './launch-form';

export const LAUNCH_PATH = '/staff/campaigns/launch';

/** A blank form: the cohort rules and the days to answer at their defaults, the rest to fill in. */
export const BLANK_LAUNCH_FORM: LaunchForm = {
  name: '',
  regionCode: '',
  trusts: [],
  treatmentFunctions: [],
  fundId: '',
  from: { day: '', month: '', year: '' },
  to: { day: '', month: '', year: '' },
  maxOffers: '',
  minWeeksWaited: String(DEFAULT_COHORT_RULES.minWeeksWaited),
  noAppointmentWithinWeeks: String(DEFAULT_COHORT_RULES.noAppointmentWithinWeeks),
  minAge: String(DEFAULT_COHORT_RULES.minAge),
  declinedWithinDays: String(DEFAULT_COHORT_RULES.declinedWithinDays),
  responseWindowDays: String(DEFAULT_TRANSFER_SETTINGS.responseWindowDays),
  reminderDays: '',
};

const groupClass = (errors: readonly FieldError[], field: LaunchField) => `nhsuk-form-group${errors.some((error) => error.field === field) ? ' nhsuk-form-group--error' : ''}`;
const describedBy = (errors: readonly FieldError[], field: LaunchField, hint: boolean) =>
  [hint ? `${field}-hint` : '', errors.some((error) => error.field === field) ? `${field}-error` : ''].filter(Boolean).join(' ') || undefined;

function Hint(props: { field: LaunchField; text: string }) {
  return (
    <div class="nhsuk-hint" id={`${props.field}-hint`}>
      {props.text}
    </div>
  );
}

function TextInput(props: { field: LaunchField; label: string; hint?: string; value: string; errors: readonly FieldError[]; width?: 2 | 3 | 4 | 5 | 10 | 20 | 30; numeric?: boolean }) {
  const error = props.errors.some((candidate) => candidate.field === props.field);
  return (
    <div class={groupClass(props.errors, props.field)}>
      <label class="nhsuk-label" for={props.field}>
        {props.label}
      </label>
      {props.hint ? <Hint field={props.field} text={props.hint} /> : null}
      <FieldErrorMessage id={props.field} errors={props.errors} />
      <input
        class={`nhsuk-input${props.width ? ` nhsuk-input--width-${props.width}` : ''}${error ? ' nhsuk-input--error' : ''}`}
        id={props.field}
        name={props.field}
        type="text"
        inputmode={props.numeric ? 'numeric' : undefined}
        value={props.value}
        aria-describedby={describedBy(props.errors, props.field, Boolean(props.hint))}
      />
    </div>
  );
}

/** Boxes to tick (or, with `single`, radios), in a fieldset; the first box has the field's id, for the error summary's link. */
function Choices(props: {
  field: LaunchField;
  legend: string;
  hint?: string;
  options: readonly { value: string; label: string; hint?: string }[];
  chosen: readonly string[];
  errors: readonly FieldError[];
  single?: boolean;
}) {
  const kind = props.single ? 'radios' : 'checkboxes';
  return (
    <div class={groupClass(props.errors, props.field)}>
      <fieldset class="nhsuk-fieldset" aria-describedby={describedBy(props.errors, props.field, Boolean(props.hint))}>
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? <Hint field={props.field} text={props.hint} /> : null}
        <FieldErrorMessage id={props.field} errors={props.errors} />
        <div class={`nhsuk-${kind}`}>
          {props.options.map((option, index) => {
            const id = index === 0 ? props.field : `${props.field}-${option.value}`;
            return (
              <div class={`nhsuk-${kind}__item`}>
                <input
                  class={`nhsuk-${kind}__input`}
                  id={id}
                  name={props.field}
                  type={props.single ? 'radio' : 'checkbox'}
                  value={option.value}
                  checked={props.chosen.includes(option.value)}
                  aria-describedby={option.hint ? `${id}-item-hint` : undefined}
                />
                <label class={`nhsuk-label nhsuk-${kind}__label`} for={id}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div class={`nhsuk-hint nhsuk-${kind}__hint`} id={`${id}-item-hint`}>
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export interface LaunchFormPageProps {
  readonly staff: StaffUser;
  readonly choices: LaunchChoices;
  /** The region the launcher is limited to, which the form does not ask for. */
  readonly launcherRegion: string | null;
  readonly form: LaunchForm;
  readonly errors: readonly FieldError[];
}

/** The launch form: what the API's launch takes, in the design system's fields. */
export function LaunchFormPage(props: LaunchFormPageProps) {
  const { form, errors, choices } = props;
  const region = props.launcherRegion ? choices.regions.find((candidate) => candidate.code === props.launcherRegion) : undefined;
  const reminderDefault = DEFAULT_TRANSFER_SETTINGS.reminderDays.join(' and ');
  return (
    <StaffLayout title={errors.length ? 'Error: Launch a campaign' : 'Launch a campaign'} staff={props.staff}>
      <a class="nhsuk-back-link" href="/staff/campaigns">
        Campaigns
      </a>
      <ErrorSummary errors={errors} />
      <h1>Launch a campaign</h1>
      <p>
        A campaign offers patients of the chosen trusts earlier treatment at independent sector sites, paid from a fund. Nothing is sent until you
        have checked what it would do on the next page.
      </p>
      <form method="post" action={LAUNCH_PATH} novalidate data-testid="launch-form">
        <TextInput field="name" label="Campaign name" hint="What your team will call it, such as Midlands orthopaedics winter 2026" value={form.name} errors={errors} width={30} />
        {props.launcherRegion ? (
          <div class="nhsuk-form-group">
            <input type="hidden" name="regionCode" value={props.launcherRegion} />
            <p class="nhsuk-body nhsuk-u-margin-bottom-0">
              <strong>Region:</strong> {region ? `${region.name} (${region.code})` : props.launcherRegion}
            </p>
            <FieldErrorMessage id="regionCode" errors={errors} />
          </div>
        ) : (
          <Choices
            field="regionCode"
            legend="Region"
            options={choices.regions.map((candidate) => ({ value: candidate.code, label: `${candidate.name} (${candidate.code})` }))}
            chosen={[form.regionCode]}
            errors={errors}
            single
          />
        )}
        <Choices
          field="trusts"
          legend="Trusts"
          hint="The trusts whose patients are offered. Tick none to take the trusts of the region that missed their volume in these specialties."
          options={choices.trusts.map((trust) => ({ value: trust.odsCode, label: `${trust.name} (${trust.odsCode})` }))}
          chosen={form.trusts}
          errors={errors}
        />
        <Choices
          field="treatmentFunctions"
          legend="Specialties"
          hint="The treatment functions whose waiting patients are offered."
          options={choices.treatmentFunctions.map((treatment) => ({ value: treatment.code, label: `${treatment.name} (${treatment.code})` }))}
          chosen={form.treatmentFunctions}
          errors={errors}
        />
        <Choices
          field="fundId"
          legend="Fund"
          hint="The fund that pays for the treatments. Its window must hold the days of offers."
          options={choices.funds.map((fund) => ({
            value: String(fund.id),
            label: fund.name,
            hint: `${formatPence(fund.balance.remainingPence)} left; pays for treatments from ${formatDate(fund.windowFrom)} to ${formatDate(fund.windowTo)}`,
          }))}
          chosen={[form.fundId]}
          errors={errors}
          single
        />
        <DateInput name="from" legend="First day of offers" hint="For example, 1 12 2026" value={form.from} errors={errors} />
        <DateInput name="to" legend="Last day of offers" hint="Offers and the dates they give fall on or before this day" value={form.to} errors={errors} />
        <TextInput field="maxOffers" label="The most offers the campaign may make" value={form.maxOffers} errors={errors} width={5} numeric />

        <h2 class="nhsuk-heading-m">Who is offered</h2>
        <TextInput field="minWeeksWaited" label="Weeks waited, at least" value={form.minWeeksWaited} errors={errors} width={3} numeric />
        <TextInput
          field="noAppointmentWithinWeeks"
          label="Weeks with no appointment already booked"
          hint="Patients with an appointment or admission booked within this many weeks are left out"
          value={form.noAppointmentWithinWeeks}
          errors={errors}
          width={3}
          numeric
        />
        <TextInput field="minAge" label="Minimum age" value={form.minAge} errors={errors} width={3} numeric />
        <TextInput
          field="declinedWithinDays"
          label="Days since a patient last declined an offer"
          hint="Patients who said no to an offer within this many days are not asked again"
          value={form.declinedWithinDays}
          errors={errors}
          width={3}
          numeric
        />

        <h2 class="nhsuk-heading-m">Answers and reminders</h2>
        <TextInput field="responseWindowDays" label="Days patients have to answer" value={form.responseWindowDays} errors={errors} width={3} numeric />
        <TextInput
          field="reminderDays"
          label="Days after the offer a reminder goes (optional)"
          hint={`Separate days with commas, such as 3, 10. Leave empty for days ${reminderDefault} (those before the last day to answer).`}
          value={form.reminderDays}
          errors={errors}
          width={10}
        />
        <button class="nhsuk-button" type="submit">
          Continue
        </button>
      </form>
    </StaffLayout>
  );
}

export interface LaunchCheckPageProps {
  readonly staff: StaffUser;
  readonly choices: LaunchChoices;
  readonly launcherRegion: string | null;
  readonly form: LaunchForm;
  readonly launch: LaunchCampaign;
  readonly summary: DryRunResult;
  /** Makes the Launch button safe to press twice: the second press gives the campaign the first made. */
  readonly idempotencyKey: string;
}

/** Check answers, with the dry run's figures and their reasons, before anything is sent. */
export function LaunchCheckPage(props: LaunchCheckPageProps) {
  const { launch, summary, form, choices } = props;
  const change = (field: LaunchField, what: string) => ({ change: { href: `${LAUNCH_PATH}?${launchFormQuery(form)}#${field}`, what } });
  const fund = choices.funds.find((candidate) => candidate.id === launch.fundId);
  const region = choices.regions.find((candidate) => candidate.code === launch.regionCode);
  const trustName = (ods: string) => {
    const trust = choices.trusts.find((candidate) => candidate.odsCode === ods);
    return trust ? `${trust.name} (${ods})` : ods;
  };
  const specialty = (code: string) => {
    const treatment = choices.treatmentFunctions.find((candidate) => candidate.code === code);
    return treatment ? `${treatment.name} (${code})` : code;
  };
  const rules = launch.cohortRules;
  const criteria = Object.entries(summary.screenedOutCriteria).sort(([, a], [, b]) => b - a);
  return (
    <StaffLayout title="Check your campaign before launching" staff={props.staff}>
      <a class="nhsuk-back-link" href={`${LAUNCH_PATH}?${launchFormQuery(form)}`}>
        Back
      </a>
      <h1>Check your campaign before launching</h1>
      <h2 class="nhsuk-heading-m">The campaign</h2>
      <dl class="nhsuk-summary-list" data-testid="launch-answers">
        <SummaryRow label="Name" {...change('name', 'the name')}>{launch.name}</SummaryRow>
        <SummaryRow label="Region" {...(props.launcherRegion ? {} : change('regionCode', 'the region'))}>{region ? `${region.name} (${region.code})` : launch.regionCode}</SummaryRow>
        <SummaryRow
          label="Trusts"
          {...change('trusts', 'the trusts')}
        >
          {launch.trusts ? launch.trusts.map(trustName).join(', ') : `Those that missed their volume: ${summary.trusts.map(trustName).join(', ')}`}
        </SummaryRow>
        <SummaryRow label="Specialties" {...change('treatmentFunctions', 'the specialties')}>{launch.treatmentFunctions.map(specialty).join(', ')}</SummaryRow>
        <SummaryRow label="Fund" {...change('fundId', 'the fund')}>{fund ? fund.name : `Fund ${launch.fundId}`}</SummaryRow>
        <SummaryRow label="Offers from" {...change('from', 'the first day of offers')}>{formatDate(launch.period.from)}</SummaryRow>
        <SummaryRow label="Offers until" {...change('to', 'the last day of offers')}>{formatDate(launch.period.to)}</SummaryRow>
        <SummaryRow label="The most offers" {...change('maxOffers', 'the most offers')}>{formatCount(launch.maxOffers)}</SummaryRow>
        <SummaryRow
          label="Who is offered"
          {...change('minWeeksWaited', 'who is offered')}
        >
          {`Adults of ${rules.minAge} or more who have waited ${rules.minWeeksWaited} weeks or more, with no appointment booked in the next ${rules.noAppointmentWithinWeeks} weeks, and who have not declined an offer in the last ${rules.declinedWithinDays} days`}
        </SummaryRow>
        <SummaryRow
          label="Answers and reminders"
          {...change('responseWindowDays', 'the days to answer and reminders')}
        >
          {`${launch.responseWindowDays} days to answer; ${launch.reminderDays.length ? `reminders on days ${launch.reminderDays.join(', ')}` : 'no reminders'}`}
        </SummaryRow>
      </dl>

      <h2 class="nhsuk-heading-m">What launching it would do today</h2>
      <p>The same count the API's dry run gives: nothing has been sent or held yet.</p>
      <dl class="nhsuk-summary-list" data-testid="dry-run">
        <SummaryRow label="Patients eligible" testId="dry-run-eligible">{formatCount(summary.eligible)}</SummaryRow>
        <SummaryRow
          label="Screened out: no site can take them"
          testId="dry-run-screenedOut"
        >
          <>
            <span data-testid="dry-run-screenedOut-count">{formatCount(summary.screenedOut)}</span>
            {summary.screenedOut > 0 ? (
              <ul class="nhsuk-list nhsuk-list--bullet nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0 nhsuk-u-font-size-16">
                <li data-testid="dry-run-noSiteForProcedure">
                  {formatCount(summary.screenedOutReasons.noSiteForProcedure)} because no site has dates for their procedure in the period
                </li>
                <li data-testid="dry-run-excludedByCriteria">
                  {formatCount(summary.screenedOutReasons.excludedByCriteria)} because every site with dates has a criterion that excludes them
                  {criteria.length ? (
                    <>
                      :{' '}
                      {criteria
                        .map(([criterion, excluded]) => `${EXCLUSION_CRITERION_WORDS[criterion as keyof ExclusionCriteria] ?? criterion} (${formatCount(excluded)})`)
                        .join(', ')}
                    </>
                  ) : null}
                </li>
              </ul>
            ) : null}
          </>
        </SummaryRow>
        <SummaryRow label="No choice within their travel" testId="dry-run-noChoice">{formatCount(summary.noChoice)}</SummaryRow>
        <SummaryRow label="Offers that would go out" testId="dry-run-wouldOffer">{formatCount(summary.wouldOffer)}</SummaryRow>
        <SummaryRow
          label="Expected cost"
          testId="dry-run-cost"
        >
          <>
            <span data-testid="dry-run-expectedCostPence">{formatPence(summary.expectedCostPence)}</span>, of{' '}
            <span data-testid="dry-run-fundRemainingPence">{formatPence(summary.fundRemainingPence)}</span> left in the fund
          </>
        </SummaryRow>
        <SummaryRow label="IS slots free in the period" testId="dry-run-slotsAvailable">{formatCount(summary.slotsAvailable)}</SummaryRow>
      </dl>

      <form method="post" action={`${LAUNCH_PATH}/check`} novalidate>
        {launchFormPairs(form).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <p>Launching starts the campaign now: clinicians are asked to confirm its patients, and offers go out as they do.</p>
        <button class="nhsuk-button" type="submit">
          Launch campaign
        </button>
      </form>
    </StaffLayout>
  );
}

/** What each change does, said on its check step before it is made and in the banner after. */
export const CONTROL_WORDS: Record<CampaignAction, { readonly button: string; readonly means: readonly string[]; readonly done: string }> = {
  pause: {
    button: 'Pause campaign',
    means: [
      'No new offers go out while it is paused. Offers already sent stay open, and patients can still answer them.',
      'You can resume it at any time.',
    ],
    done: 'No new offers go out until it is resumed; offers already sent stay open.',
  },
  resume: {
    button: 'Resume campaign',
    means: ['Offers start going out again, as IS capacity, the fund and its most offers allow.'],
    done: 'Offers go out again.',
  },
  cancel: {
    button: 'Cancel campaign',
    means: [
      'Cancelling stops offers for good: no new offers go out, and open offers are withdrawn, with an email to each patient to say so.',
      'Dates held and money set aside for them are released. Patients already booked keep their treatment.',
      'A cancelled campaign cannot be started again.',
    ],
    done: 'Open offers were withdrawn and their patients told; patients already booked keep their treatment.',
  },
};

/** "Are you sure?" before a campaign is paused, resumed or cancelled. */
export function ControlCheckPage(props: { staff: StaffUser; campaign: Campaign; action: CampaignAction; errors: readonly FieldError[] }) {
  const { campaign, action } = props;
  const words = CONTROL_WORDS[action];
  const title = `Are you sure you want to ${action} ${campaign.name}?`;
  const dashboard = `/staff/campaigns/${campaign.id}`;
  return (
    <StaffLayout title={props.errors.length ? `Error: ${title}` : title} staff={props.staff}>
      <a class="nhsuk-back-link" href={dashboard}>
        Campaign dashboard
      </a>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      {words.means.map((line) => (
        <p>{line}</p>
      ))}
      <form method="post" action={`${dashboard}/${action}`} novalidate>
        <input type="hidden" name="confirm" value="yes" />
        <div id="confirm">
          <FieldErrorMessage id="confirm" errors={props.errors} />
        </div>
        <button class={`nhsuk-button${action === 'cancel' ? ' nhsuk-button--warning' : ''}`} type="submit">
          {words.button}
        </button>
      </form>
      <p>
        <a href={dashboard}>No, go back to the dashboard</a>
      </p>
    </StaffLayout>
  );
}
