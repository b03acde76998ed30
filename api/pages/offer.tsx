import type { TransferEvent } from '../../db/schema';
import { formatDate, formatDateTime } from '../../domain/dates';
import { Layout } from './layout';

export interface OfferPageProps {
  readonly givenName: string;
  readonly trustName: string;
  readonly clockStartDate: string;
  readonly state: string;
  readonly respondBy: Date;
  readonly timeline: readonly TransferEvent[];
}

const EVENT_LABELS: Record<string, string> = {
  opened: 'Your hospital put you forward for earlier treatment',
  'message.sent': 'We sent you this offer',
  offered: 'Your offer is open',
  lapsed: 'Your offer ended without an answer',
};

export function OfferPage(props: OfferPageProps) {
  return (
    <Layout title="Your offer of earlier treatment">
      <h1>Your offer of earlier treatment</h1>
      <p class="nhsuk-body-l">
        Hello {props.givenName}. You are on the waiting list at {props.trustName}, and have been waiting since{' '}
        {formatDate(props.clockStartDate)}.
      </p>
      <div class="nhsuk-inset-text">
        <span class="nhsuk-u-visually-hidden">Information: </span>
        <p>
          If you decline, or do not answer, you keep your place on the waiting list and your waiting time does not change.
        </p>
      </div>
      <dl class="nhsuk-summary-list">
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Status</dt>
          <dd class="nhsuk-summary-list__value" data-testid="offer-state">
            {props.state}
          </dd>
        </div>
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Answer by</dt>
          <dd class="nhsuk-summary-list__value">{formatDate(props.respondBy)}</dd>
        </div>
      </dl>
      <h2>What has happened so far</h2>
      <ol class="nhsuk-list nhsuk-list--number" data-testid="timeline">
        {props.timeline.map((event) => (
          <li>
            {EVENT_LABELS[event.kind] ?? event.kind} <span class="nhsuk-u-secondary-text-color">({formatDateTime(event.at)})</span>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

export function OfferNotFoundPage() {
  return (
    <Layout title="This link has expired">
      <h1>This link has expired or is not valid</h1>
      <p>Links in offer emails and letters work until the offer's answer-by date.</p>
      <p>
        You keep your place on the waiting list. If you need help, contact the hospital that referred you.
      </p>
    </Layout>
  );
}
