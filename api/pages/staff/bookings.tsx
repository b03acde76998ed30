/**
 * An IS provider's bookings: those awaiting its decision after pre-op assessment (accept, or reject
 * with a reason), then those accepted and awaiting the outcome (treated with the OPCS-4 code and the
 * date, did not attend, or cancelled). Accepting has a check step first; each change is confirmed on the
 * page it leads back to. Bookings only: the provider knows its patients through its own
 * clinical systems, so no patient's name or details appear here.
 */
import type { providerBookings } from '../../../db/repositories/bookings';
import type { StaffUser } from '../../../db/schema';
import { type Outcome, REASON_MAX_LENGTH, transferReference } from '../../../domain/transfer';
import { type DateFields, formatDate } from '../../../domain/dates';
import { formatPence } from '../../../domain/money';
import { TREATED_DAYS_AFTER_BOOKED_MAX } from '../../../domain/outcome-dates';
import { DateInput, ErrorSummary, type FieldError, FieldErrorMessage, NotificationBanner } from '../forms';
import { StaffLayout } from '../staff-layout';
import { SummaryRow } from '../table';

export type ProviderBooking = Awaited<ReturnType<typeof providerBookings>>[number];

export interface BookingsPageProps {
  readonly staff: StaffUser;
  /** Awaiting the provider's decision, soonest first. */
  readonly requested: readonly ProviderBooking[];
  /** Accepted and awaiting the outcome, soonest first. */
  readonly accepted: readonly ProviderBooking[];
  /** The booking the last change was made to, as it stands now: shown once after the change. */
  readonly changed?: ProviderBooking;
  readonly errors?: readonly FieldError[];
  /** What was entered in the form that failed, shown again in it. */
  readonly submitted?: { readonly bookingId: number; readonly values: Readonly<Record<string, string>> };
}

/** After a change, what now stands: the banner's heading and what it means. */
function changeInWords(booking: ProviderBooking): { heading: string; text: string } {
  const id = booking.id;
  // A recorded outcome ends the booking (completed, or cancelled when the procedure was).
  if (booking.outcome) return { heading: `Outcome recorded for booking ${id}`, text: OUTCOME_IN_WORDS[booking.outcome](booking) };
  switch (booking.status) {
    case 'accepted':
      return { heading: `Booking ${id} accepted`, text: 'The patient has been told their treatment is booked. Record the outcome below after the procedure date.' };
    case 'rejected':
      return { heading: `Booking ${id} rejected`, text: 'The patient will be offered other hospitals, if there are any.' };
    case 'requested':
      return { heading: `Booking ${id} is awaiting your decision`, text: 'Accept or reject it below.' };
    default:
      return { heading: `Booking ${id} is ${booking.status}`, text: 'There is nothing more to do for it.' };
  }
}

const OUTCOME_IN_WORDS: Record<Outcome, (booking: ProviderBooking) => string> = {
  treated: (booking) => `The patient was treated${booking.treatedOn ? ` on ${formatDate(booking.treatedOn)}` : ''}.`,
  did_not_attend: () => 'The patient did not attend.',
  cancelled: () => 'The procedure was cancelled.',
};

const OUTCOME_CHOICES: readonly (readonly [Outcome, string])[] = [
  ['treated', 'Treated'],
  ['did_not_attend', 'Did not attend'],
  ['cancelled', 'Cancelled'],
];

export function BookingsPage(props: BookingsPageProps) {
  const errors = props.errors ?? [];
  return (
    <StaffLayout title={errors.length ? 'Error: Bookings' : 'Bookings'} staff={props.staff}>
      <ErrorSummary errors={errors} />
      {props.changed ? <Changed booking={props.changed} /> : null}
      <h1>Bookings at your sites</h1>
      <p>
        Accept or reject each booking once you have assessed the patient, then record what happened. Patients' details come to you
        through your own clinical systems; this page shows bookings only. Soonest first.
      </p>

      <h2>Awaiting your decision</h2>
      {props.requested.length === 0 ? (
        <p data-testid="no-requested">No bookings are awaiting your decision.</p>
      ) : (
        <table class="nhsuk-table" data-testid="requested-bookings">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Bookings awaiting your decision</caption>
          <BookingHead last="Decision" />
          <tbody class="nhsuk-table__body">
            {props.requested.map((booking) => (
              <tr class="nhsuk-table__row" id={`booking-${booking.id}`} data-testid="requested-booking">
                <BookingCells booking={booking} />
                <td class="nhsuk-table__cell">
                  <DecisionForms booking={booking} errors={errors} values={valuesFor(props, booking.id)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Accepted, awaiting the outcome</h2>
      {props.accepted.length === 0 ? (
        <p data-testid="no-accepted">No accepted bookings are awaiting an outcome.</p>
      ) : (
        <table class="nhsuk-table" data-testid="accepted-bookings">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Accepted bookings awaiting the outcome</caption>
          <BookingHead last="Outcome" />
          <tbody class="nhsuk-table__body">
            {props.accepted.map((booking) => (
              <tr class="nhsuk-table__row" id={`booking-${booking.id}`} data-testid="accepted-booking">
                <BookingCells booking={booking} />
                <td class="nhsuk-table__cell">
                  <OutcomeForm booking={booking} errors={errors} values={valuesFor(props, booking.id)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StaffLayout>
  );
}

/** The confirmation of the last change: what was done to which booking, and what happens next. */
function Changed(props: { booking: ProviderBooking }) {
  const { booking } = props;
  const words = changeInWords(booking);
  return (
    <NotificationBanner id="bookings-outcome" success heading={words.heading}>
      <p>
        {booking.siteName}, {formatDate(booking.procedureDate)}, transfer {transferReference(booking.transferId)}.
      </p>
      <p>{words.text}</p>
    </NotificationBanner>
  );
}

function valuesFor(props: BookingsPageProps, bookingId: number): Readonly<Record<string, string>> {
  return props.submitted?.bookingId === bookingId ? props.submitted.values : {};
}

function BookingHead(props: { last: string }) {
  return (
    <thead class="nhsuk-table__head">
      <tr>
        <th scope="col">Booking</th>
        <th scope="col">Site</th>
        <th scope="col">Procedure date</th>
        <th scope="col">Procedure</th>
        <th scope="col" class="nhsuk-table__header--numeric">Price</th>
        <th scope="col">{props.last}</th>
      </tr>
    </thead>
  );
}

function BookingCells(props: { booking: ProviderBooking }) {
  const { booking } = props;
  return (
    <>
      <td class="nhsuk-table__cell">
        {booking.id}
        <br />
        <span class="nhsuk-body-s nhsuk-u-secondary-text-color">Transfer {booking.transferId}</span>
      </td>
      <td class="nhsuk-table__cell">
        {booking.siteName}
        <br />
        <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{booking.siteOds}</span>
      </td>
      <td class="nhsuk-table__cell">{formatDate(booking.procedureDate)}</td>
      <td class="nhsuk-table__cell">{booking.procedureCode ?? 'Not recorded'}</td>
      <td class="nhsuk-table__cell nhsuk-table__cell--numeric">
        {formatPence(booking.pricePence)}
        <br />
        <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{booking.priceSource}</span>
      </td>
    </>
  );
}

interface FormProps {
  readonly booking: ProviderBooking;
  readonly errors: readonly FieldError[];
  readonly values: Readonly<Record<string, string>>;
}

function DecisionForms(props: FormProps) {
  const id = props.booking.id;
  return (
    <>
      <a class="nhsuk-button nhsuk-u-margin-bottom-3" href={`/staff/bookings/${id}/accept`} role="button" draggable="false">
        Accept<span class="nhsuk-u-visually-hidden"> booking {id}</span>
      </a>
      <form method="post" action={`/staff/bookings/${id}/decision`} novalidate>
        <input type="hidden" name="decision" value="reject" />
        <InputField name="reason" bookingId={id} label="Reason for rejecting" errors={props.errors} value={props.values.reason} />
        <button class="nhsuk-button nhsuk-button--secondary" type="submit">
          Reject<span class="nhsuk-u-visually-hidden"> booking {id}</span>
        </button>
      </form>
    </>
  );
}

function OutcomeForm(props: FormProps) {
  const id = props.booking.id;
  const fieldId = `outcome-${id}`;
  const error = props.errors.some((candidate) => candidate.field === fieldId);
  return (
    <form method="post" action={`/staff/bookings/${id}/outcome`} novalidate>
      <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
        <fieldset class="nhsuk-fieldset" aria-describedby={error ? `${fieldId}-error` : undefined}>
          <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
            What happened<span class="nhsuk-u-visually-hidden"> to booking {id}</span>
          </legend>
          <FieldErrorMessage id={fieldId} errors={props.errors} />
          <div class="nhsuk-radios">
            {OUTCOME_CHOICES.map(([value, label], index) => {
              const radioId = index === 0 ? fieldId : `${fieldId}-${value}`;
              return (
                <div class="nhsuk-radios__item">
                  <input class="nhsuk-radios__input" id={radioId} name="outcome" type="radio" value={value} checked={props.values.outcome === value} />
                  <label class="nhsuk-label nhsuk-radios__label" for={radioId}>
                    {label}
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
      </div>
      <InputField name="procedure_code" bookingId={id} label="OPCS-4 code" hint="If treated: the procedure done, like W37.1" width={5} errors={props.errors} value={props.values.procedure_code} />
      <DateInput
        id={`treated_on-${id}`}
        name="treated_on"
        legend={
          <>
            Date treated<span class="nhsuk-u-visually-hidden"> for booking {id}</span>
          </>
        }
        hint={`If treated: on or after the procedure date, and no more than ${TREATED_DAYS_AFTER_BOOKED_MAX} days after it. For example, 27 3 2026`}
        value={dateValuesOf(props.values)}
        errors={props.errors}
      />
      <InputField name="reason" bookingId={id} label="Reason (optional)" errors={props.errors} value={props.values.reason} />
      <button class="nhsuk-button" type="submit">
        Record outcome<span class="nhsuk-u-visually-hidden"> of booking {id}</span>
      </button>
    </form>
  );
}

const dateValuesOf = (values: Readonly<Record<string, string>>): Partial<DateFields> => ({
  day: values['treated_on-day'],
  month: values['treated_on-month'],
  year: values['treated_on-year'],
});

/** A labelled input whose id is its name and the booking's id, so each row's fields are told apart. */
function InputField(props: { name: string; bookingId: number; label: string; hint?: string; width?: 5 | 10; errors: readonly FieldError[]; value?: string }) {
  const id = `${props.name}-${props.bookingId}`;
  const error = props.errors.some((candidate) => candidate.field === id);
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label class="nhsuk-label nhsuk-body-s" for={id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="nhsuk-hint nhsuk-body-s" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      <FieldErrorMessage id={id} errors={props.errors} />
      <input
        class={`nhsuk-input${props.width ? ` nhsuk-input--width-${props.width}` : ''}${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={props.name}
        value={props.value ?? ''}
        maxlength={REASON_MAX_LENGTH}
        autocomplete="off"
        aria-describedby={describedBy || undefined}
      />
    </div>
  );
}

/**
 * The check before a provider accepts a booking: the booking as it stands (the patient by their
 * transfer's reference, the site, the date, the procedure, the price), what accepting does, and the
 * way back. A booking no longer awaiting a decision says so, with nothing to confirm.
 */
export function AcceptCheckPage(props: { staff: StaffUser; booking: ProviderBooking }) {
  const { booking } = props;
  const awaiting = booking.status === 'requested';
  const title = `Are you sure you want to accept booking ${booking.id}?`;
  return (
    <StaffLayout title={awaiting ? title : `Booking ${booking.id}`} staff={props.staff}>
      <a class="nhsuk-back-link" href={`/staff/bookings#booking-${booking.id}`}>
        Back to bookings
      </a>
      <h1>{awaiting ? title : `Booking ${booking.id} is not awaiting your decision`}</h1>
      <dl class="nhsuk-summary-list" data-testid="booking-summary">
        <SummaryRow label="Patient">
          Transfer {transferReference(booking.transferId)}
          <br />
          <span class="nhsuk-body-s nhsuk-u-secondary-text-color">Their details are in your clinical systems</span>
        </SummaryRow>
        <SummaryRow label="Site">
          {booking.siteName} ({booking.siteOds})
        </SummaryRow>
        <SummaryRow label="Procedure date">{formatDate(booking.procedureDate)}</SummaryRow>
        <SummaryRow label="Procedure">{booking.procedureCode ?? 'Not recorded'}</SummaryRow>
        <SummaryRow label="Price">
          {formatPence(booking.pricePence)}
          <br />
          <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{booking.priceSource}</span>
        </SummaryRow>
      </dl>
      {awaiting ? (
        <>
          <p>Accept only once you have assessed the patient. The patient will be told their treatment is booked for this date.</p>
          <form method="post" action={`/staff/bookings/${booking.id}/decision`}>
            <input type="hidden" name="decision" value="accept" />
            <input type="hidden" name="confirm" value="yes" />
            <button class="nhsuk-button" type="submit">
              Accept booking
            </button>
          </form>
          <p>
            <a href={`/staff/bookings#booking-${booking.id}`}>No, go back to the bookings</a>
          </p>
        </>
      ) : (
        <p data-testid="not-awaiting">
          It is {booking.status}, so there is nothing to accept. <a href="/staff/bookings">Go back to the bookings</a>
        </p>
      )}
    </StaffLayout>
  );
}
