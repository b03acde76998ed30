/**
 * The patient's page, reached by the link in their offer: their choices while the offer is open
 * (site and date, the two consents, or decline, or a call back), then where things stand, with a way
 * to withdraw until the procedure date. Plain forms: it works without JavaScript, on a phone.
 */
import type { OfferPageData } from '../../../db/repositories/offer-page';
import type { TransferState } from '../../../domain/transfer';
import { formatDate, formatDateTime } from '../../../domain/dates';
import { ORDER_EXPLANATION } from '../../../domain/offer';
import type { ResponseKind } from '../../../db/schema';
import { CHANNEL_LABELS, type PatientChannel } from '../../../domain/channels';
import { ErrorSummary, type FieldError, FieldErrorMessage, ReasonField } from '../forms';
import { Layout, telephoneLink } from '../layout';

/** The version of this page's wording, recorded with every answer given on it. */
export const OFFER_PAGE_VERSION = 'offer-page-v1';

export const CONSENT_TRANSFER_OF_CARE =
  'I agree to my care for this treatment moving from my hospital to the hospital I have chosen.';
export const CONSENT_SHARE_RECORDS =
  'I agree to my hospital sharing my health records with the hospital I have chosen, so they can plan and carry out my treatment.';

const KEEP_YOUR_PLACE = 'If you decline, or do not answer, you keep your place on the waiting list and your waiting time does not change.';

/** The page's data (offer-page.ts), what the patient may do with it, and a refused answer's errors. */
export interface OfferPageProps extends Omit<OfferPageData, 'offerId' | 'transferId' | 'chosen'> {
  readonly token: string;
  /** The number patients call (PATIENT_PHONE), on every page. */
  readonly phone: string;
  readonly canWithdraw: boolean;
  readonly errors: readonly FieldError[];
  /** The answer as the patient sent it, when it was not taken: their choice, ticks and words stay. */
  readonly submitted: Readonly<Record<string, string>>;
}

const EVENT_LABELS: Record<string, string> = {
  opened: 'Your hospital put you forward for earlier treatment',
  'review.confirmed': 'A clinician at your hospital agreed you could be treated elsewhere',
  'message.sent': 'We sent you a message',
  'message.queued': 'We wrote to you',
  offered: 'Your offer is open',
  'patient.accept': 'You chose a hospital and a date',
  'patient.decline': 'You declined the offer',
  'patient.callback': 'You asked us to call you',
  'patient.withdraw': 'You cancelled your treatment there',
  'booking.held': 'We held your date',
  'booking.slot-taken': 'Your chosen date had gone',
  'booking.requested': 'The hospital is checking your records',
  'booking.accepted': 'The hospital confirmed your treatment',
  'booking.rejected': 'The hospital could not treat you',
  booked: 'Your treatment is booked',
  lapsed: 'Your offer ended without an answer',
  declined: 'You stay on the waiting list',
  withdrawn: 'You are back on the waiting list',
  returned: 'You are back on the waiting list',
  campaign_cancelled: 'The offer was withdrawn',
};

/** Where things stand, in words, for every state the patient can see. */
const STATUS: Partial<Record<TransferState, { heading: string; text: string }>> = {
  booking: { heading: 'We are booking your treatment', text: 'We are holding your date while we set up the booking.' },
  awaiting_provider: {
    heading: 'The hospital is checking your records',
    text: 'The hospital you chose will look at your records and contact you about a check before your treatment. We will email you when they confirm.',
  },
  booked: { heading: 'Your treatment is booked', text: 'The hospital will contact you with what to do before you go.' },
  declined: { heading: 'You declined the offer', text: 'You keep your place on the waiting list, and your waiting time has not changed.' },
  lapsed: { heading: 'This offer has ended', text: 'You keep your place on the waiting list, and your waiting time has not changed.' },
  withdrawn: { heading: 'You cancelled your treatment', text: 'You are back on the waiting list, and your waiting time has not changed.' },
  returned: {
    heading: 'We could not arrange your treatment elsewhere',
    text: 'You are back on the waiting list, and your waiting time has not changed.',
  },
  treated: { heading: 'You have had your treatment', text: 'We hope it went well.' },
  did_not_attend: { heading: 'You did not go to your treatment', text: 'You are back on the waiting list at your hospital.' },
  cancelled: { heading: 'Your treatment was cancelled', text: 'You are back on the waiting list at your hospital.' },
  campaign_cancelled: {
    heading: 'This offer has been withdrawn',
    text: 'The scheme that made this offer has ended early. You keep your place on the waiting list, and your waiting time has not changed.',
  },
};

export function OfferPage(props: OfferPageProps) {
  const open = props.state === 'offered';
  return (
    <Layout title={props.errors.length ? 'Error: Your offer of earlier treatment' : 'Your offer of earlier treatment'}>
      <ErrorSummary errors={props.errors} />
      <h1>Your offer of earlier treatment</h1>
      <p class="nhsuk-body-l">
        Hello {props.givenName}. You are on the waiting list at {props.trustName}, and have been waiting since{' '}
        {formatDate(props.clockStartDate)}.
      </p>
      <CallUs phone={props.phone} />
      <div data-testid="offer" data-state={props.state}>
        {open ? <OpenOffer {...props} /> : <Status {...props} />}
      </div>
      <h2>How we contact you</h2>
      <p>We send you messages about your offer by text message, email or letter, as your details allow.</p>
      <p>
        <a href={`/offer/${props.token}/contact`}>Change how we contact you</a>
      </p>
      <h2>What has happened so far</h2>
      <ol class="nhsuk-list nhsuk-list--number" data-testid="timeline">
        {props.timeline
          .filter((event) => EVENT_LABELS[event.kind])
          .map((event) => (
            <li>
              {EVENT_LABELS[event.kind]} <span class="nhsuk-u-secondary-text-color">({formatDateTime(event.at)})</span>
            </li>
          ))}
      </ol>
    </Layout>
  );
}

/** The number to call, near the top of every patient page. */
export function CallUs(props: { phone: string }) {
  return (
    <div class="nhsuk-inset-text" data-testid="call-us">
      <span class="nhsuk-u-visually-hidden">Information: </span>
      <p>
        Questions, or rather answer by phone? Call us on <a href={telephoneLink(props.phone)}>{props.phone}</a>.
      </p>
    </div>
  );
}

function OpenOffer(props: OfferPageProps) {
  const choiceError = props.errors.some((error) => error.field === 'choice');
  const bookable = props.choices.filter((choice) => choice.dates.length > 0);
  return (
    <>
      <div class="nhsuk-inset-text">
        <span class="nhsuk-u-visually-hidden">Information: </span>
        <p>{KEEP_YOUR_PLACE}</p>
        <p>Please answer by {formatDate(props.respondBy)}.</p>
      </div>
      <form method="post" action={`/offer/${props.token}/accept`} novalidate>
        <div class={`nhsuk-form-group${choiceError ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset class="nhsuk-fieldset" aria-describedby={`choice-hint${choiceError ? ' choice-error' : ''}`}>
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l">
              <h2 class="nhsuk-fieldset__heading">Choose a hospital and a date</h2>
            </legend>
            <div class="nhsuk-hint" id="choice-hint">
              {ORDER_EXPLANATION}
            </div>
            <FieldErrorMessage id="choice" errors={props.errors} />
            {bookable.length === 0 ? <p>There are no dates left at these hospitals. You can ask us to call you.</p> : null}
            {bookable.map((choice, index) => (
              <div class="nhsuk-u-margin-bottom-5" data-testid="choice">
                <h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-2">{choice.siteName}</h3>
                <div class="nhsuk-radios">
                  {choice.dates.map((date, dateIndex) => {
                    const id = index === 0 && dateIndex === 0 ? 'choice' : `choice-${choice.siteOds}-${date.slotId}`;
                    return (
                      <div class="nhsuk-radios__item">
                        <input
                          class="nhsuk-radios__input"
                          id={id}
                          name="choice"
                          type="radio"
                          value={`${choice.siteOds}:${date.slotId}`}
                          aria-describedby={`${id}-distance`}
                          checked={props.submitted.choice === `${choice.siteOds}:${date.slotId}`}
                        />
                        <label class="nhsuk-label nhsuk-radios__label" for={id}>
                          {formatDate(date.date)} at {choice.siteName}
                        </label>
                        <div class="nhsuk-hint nhsuk-radios__hint" id={`${id}-distance`}>
                          About {choice.distanceMiles} miles from your home{choice.sitePostcode ? `. The hospital's postcode is ${choice.sitePostcode}` : ''}
                        </div>
                      </div>
                    );
                  })}
                </div>
              </div>
            ))}
          </fieldset>
        </div>
        <ConsentBox name="consent_transfer_of_care" text={CONSENT_TRANSFER_OF_CARE} errors={props.errors} submitted={props.submitted} />
        <ConsentBox name="consent_share_records" text={CONSENT_SHARE_RECORDS} errors={props.errors} submitted={props.submitted} />
        <button class="nhsuk-button" type="submit">
          Accept and book this date
        </button>
      </form>

      <h2>Or keep your place on the waiting list</h2>
      <form method="post" action={`/offer/${props.token}/decline`} novalidate>
        <ReasonField id="reason" label="Why are you declining? (optional)" value={props.submitted.reason} />
        <button class="nhsuk-button nhsuk-button--secondary" type="submit">
          Decline and keep my place
        </button>
      </form>

      <h2>Talk it through first</h2>
      {props.callbackRequested ? (
        <p data-testid="callback-requested">You asked us to call you. Someone from {props.trustName} will phone you.</p>
      ) : (
        <form method="post" action={`/offer/${props.token}/callback`}>
          <p>Someone from {props.trustName} can phone you to answer your questions. Your offer stays open.</p>
          <button class="nhsuk-button nhsuk-button--secondary" type="submit">
            Ask for a call back
          </button>
        </form>
      )}
    </>
  );
}

function ConsentBox(props: { name: string; text: string; errors: readonly FieldError[]; submitted: OfferPageProps['submitted'] }) {
  const error = props.errors.some((candidate) => candidate.field === props.name);
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <FieldErrorMessage id={props.name} errors={props.errors} />
      <div class="nhsuk-checkboxes">
        <div class="nhsuk-checkboxes__item">
          <input class="nhsuk-checkboxes__input" id={props.name} name={props.name} type="checkbox" value="yes" checked={props.submitted[props.name] === 'yes'} />
          <label class="nhsuk-label nhsuk-checkboxes__label" for={props.name}>
            {props.text}
          </label>
        </div>
      </div>
    </div>
  );
}

function Status(props: OfferPageProps) {
  const status = STATUS[props.state] ?? { heading: 'Your offer', text: KEEP_YOUR_PLACE };
  return (
    <>
      <div class="nhsuk-card">
        <div class="nhsuk-card__content">
          <h2 class="nhsuk-card__heading" data-testid="status-heading">
            {status.heading}
          </h2>
          {props.state === 'treated' && props.treatedOn ? (
            <p data-testid="treated">Treated on {formatDate(props.treatedOn)}.</p>
          ) : props.booking ? (
            <p data-testid="booking">
              {props.booking.siteName}, {formatDate(props.booking.procedureDate)}
            </p>
          ) : null}
          <p class="nhsuk-card__description">{status.text}</p>
        </div>
      </div>
      {props.canWithdraw ? (
        <form method="get" action={`/offer/${props.token}/withdraw`}>
          <h2>Changed your mind?</h2>
          <p>
            You can cancel up to the day of your treatment. You go back to the waiting list at {props.trustName}, and your waiting
            time does not change.
          </p>
          <button class="nhsuk-button nhsuk-button--secondary" type="submit">
            Cancel my treatment there
          </button>
        </form>
      ) : null}
    </>
  );
}

/** "Are you sure?" before a patient cancels a booked treatment: what they give up, and a way back. */
export function WithdrawCheckPage(props: {
  token: string;
  phone: string;
  booking: NonNullable<OfferPageData['booking']>;
  trustName: string;
  errors: readonly FieldError[];
  submitted: Readonly<Record<string, string>>;
}) {
  return (
    <Layout title={props.errors.length ? 'Error: Are you sure you want to cancel your treatment?' : 'Are you sure you want to cancel your treatment?'}>
      <a class="nhsuk-back-link" href={`/offer/${props.token}`}>
        Back
      </a>
      <ErrorSummary errors={props.errors} />
      <h1>Are you sure you want to cancel your treatment?</h1>
      <CallUs phone={props.phone} />
      <p data-testid="booking">
        Your treatment at {props.booking.siteName} on {formatDate(props.booking.procedureDate)} will be cancelled, and the date given to
        someone else.
      </p>
      <p>You go back to the waiting list at {props.trustName}. Your waiting time does not change.</p>
      <form method="post" action={`/offer/${props.token}/withdraw`} novalidate>
        <input type="hidden" name="confirm" value="yes" />
        <ReasonField id="reason" label="Why are you cancelling? (optional)" value={props.submitted.reason} />
        <button class="nhsuk-button nhsuk-button--warning" type="submit">
          Yes, cancel my treatment
        </button>
      </form>
      <p>
        <a href={`/offer/${props.token}`}>No, keep my treatment</a>
      </p>
    </Layout>
  );
}

/** What each answer, once taken, means for the patient: the panel's title and what happens next. */
const CONFIRMATIONS: Record<ResponseKind, { title: string; next: (props: ConfirmationProps) => string[] }> = {
  accept: {
    title: 'Your date is being booked',
    next: (props) => [
      `${props.chosen?.siteName ?? 'The hospital'} will look at your records and contact you about a check before your treatment.`,
      'We will email you when they confirm your date. Until then, your place on the waiting list is kept.',
    ],
  },
  decline: {
    title: 'You have declined the offer',
    next: (props) => [`You keep your place on the waiting list at ${props.trustName}. Your waiting time has not changed.`],
  },
  callback: {
    title: 'We will call you',
    next: (props) => [`Someone from ${props.trustName} will phone you to talk the offer through.`, 'Your offer stays open until then.'],
  },
  withdraw: {
    title: 'Your treatment has been cancelled',
    next: (props) => [`You are back on the waiting list at ${props.trustName}. Your waiting time has not changed.`],
  },
};

export interface ConfirmationProps {
  readonly answer: ResponseKind;
  readonly token: string;
  readonly phone: string;
  readonly reference: string;
  readonly trustName: string;
  readonly chosen: OfferPageData['chosen'];
}

/** The NHS confirmation page after an answer is taken: what was done, a reference, what happens next, the number to call. */
export function ConfirmationPage(props: ConfirmationProps) {
  const confirmation = CONFIRMATIONS[props.answer];
  return (
    <Layout title={confirmation.title}>
      <div class="nhsuk-panel" data-testid="confirmation">
        <h1 class="nhsuk-panel__title">{confirmation.title}</h1>
        <div class="nhsuk-panel__body">
          Your reference
          <br />
          <strong data-testid="reference">{props.reference}</strong>
        </div>
      </div>
      {props.answer === 'accept' && props.chosen ? (
        <p class="nhsuk-body-l" data-testid="booking">
          {props.chosen.siteName}, {formatDate(props.chosen.date)}
        </p>
      ) : null}
      <h2>What happens next</h2>
      {confirmation.next(props).map((line) => (
        <p>{line}</p>
      ))}
      <CallUs phone={props.phone} />
      <p>
        <a href={`/offer/${props.token}`}>See where things stand</a>
      </p>
    </Layout>
  );
}

/** A way the patient can be contacted, as the page offers it: what it is, and where it goes, partly hidden. */
export interface ContactOption {
  readonly channel: PatientChannel;
  /** "to 07••• ••• 102", "to d•••@example.nhs.test", "by post to your home address". */
  readonly where: string;
}

/** "How we contact you": the channels the patient's details allow, the one we use now chosen. */
export function ContactPage(props: {
  token: string;
  phone: string;
  options: readonly ContactOption[];
  chosen: PatientChannel;
  errors: readonly FieldError[];
}) {
  const error = props.errors.length > 0;
  return (
    <Layout title={error ? 'Error: How should we contact you?' : 'How should we contact you?'}>
      <a class="nhsuk-back-link" href={`/offer/${props.token}`}>
        Back to your offer
      </a>
      <ErrorSummary errors={props.errors} />
      <form method="post" action={`/offer/${props.token}/contact`} novalidate>
        <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset class="nhsuk-fieldset" aria-describedby={`channel-hint${error ? ' channel-error' : ''}`}>
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l">
              <h1 class="nhsuk-fieldset__heading">How should we contact you?</h1>
            </legend>
            <div class="nhsuk-hint" id="channel-hint">
              We will send messages about your offer this way. To use a number or address we do not have, call us.
            </div>
            <FieldErrorMessage id="channel" errors={props.errors} />
            <div class="nhsuk-radios">
              {props.options.map((option, index) => {
                const id = index === 0 ? 'channel' : `channel-${option.channel}`;
                return (
                  <div class="nhsuk-radios__item">
                    <input
                      class="nhsuk-radios__input"
                      id={id}
                      name="channel"
                      type="radio"
                      value={option.channel}
                      aria-describedby={`${id}-where`}
                      checked={option.channel === props.chosen}
                    />
                    <label class="nhsuk-label nhsuk-radios__label" for={id}>
                      {CHANNEL_LABELS[option.channel]}
                    </label>
                    <div class="nhsuk-hint nhsuk-radios__hint" id={`${id}-where`} data-testid={`where-${option.channel}`}>
                      {option.where}
                    </div>
                  </div>
                );
              })}
            </div>
          </fieldset>
        </div>
        <button class="nhsuk-button" type="submit">
          Save how we contact you
        </button>
      </form>
      <CallUs phone={props.phone} />
    </Layout>
  );
}

/** The NHS confirmation once the patient's choice is stored. */
export function ContactSavedPage(props: { token: string; phone: string; option: ContactOption }) {
  const title = `We will contact you by ${CHANNEL_LABELS[props.option.channel].toLowerCase()}`;
  return (
    <Layout title={title}>
      <div class="nhsuk-panel" data-testid="confirmation">
        <h1 class="nhsuk-panel__title">{title}</h1>
        <div class="nhsuk-panel__body">{props.option.where}</div>
      </div>
      <h2>What happens next</h2>
      <p>We will send our messages about your offer this way from now on.</p>
      <CallUs phone={props.phone} />
      <p>
        <a href={`/offer/${props.token}`}>Back to your offer</a>
      </p>
    </Layout>
  );
}

export function OfferNotFoundPage(props: { phone: string }) {
  return (
    <Layout title="This link has expired">
      <h1>This link has expired or is not valid</h1>
      <CallUs phone={props.phone} />
      <p>Links in offer emails and letters work until the offer's answer-by date.</p>
      <p>You keep your place on the waiting list.</p>
    </Layout>
  );
}
