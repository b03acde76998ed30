/**
 * The messages that did not reach patients, for admins (/staff/messages): what GOV.UK Notify could not
 * deliver or a mail server returned (a bounce of email sent over SMTP), and what the outbox left unconfirmed, newest first, with what became of each. No personal
 * data: the transfer and pathway say who, the reference finds the message in Notify.
 */
import type { UndeliveredMessage } from '../../../db/repositories/delivery-receipts';
import type { MessageChannel, MessageStatus, StaffUser } from '../../../db/schema';
import { formatDateTime } from '../../../domain/dates';
import type { DeliveryStatus } from '../../../domain/delivery';
import { hasChannelAfter } from '../../../domain/channels';
import { StaffLayout } from '../staff-layout';
import { Cell, TableHead } from '../table';

const CHANNEL_WORDS: Record<MessageChannel, string> = { sms: 'Text message', email: 'Email', letter: 'Letter' };

const DELIVERY_WORDS: Record<DeliveryStatus, string> = {
  delivered: 'Delivered',
  'permanent-failure': 'Failed for good (the number or address does not exist, or the letter could not be printed)',
  'temporary-failure': 'Not delivered (phone off or inbox full for too long)',
  'technical-failure': 'Not sent (a fault between Notify and its provider)',
};

/** What a message Notify refused as it was sent says: no receipt, and Notify's own words stay in the outbox (they can quote an address). */
const REFUSED_WORDS = 'Refused by GOV.UK Notify when sent (the number or address is not one it can send to)';

/** What happened to a message: Notify's receipt, or its refusal. */
const whatHappened = (message: { status: MessageStatus; deliveryStatus: DeliveryStatus | null }): string | undefined =>
  message.status === 'refused' ? REFUSED_WORDS : message.deliveryStatus ? DELIVERY_WORDS[message.deliveryStatus] : undefined;

const COLUMNS = [{ text: 'When' }, { text: 'Transfer' }, { text: 'Message' }, { text: 'What happened' }, { text: 'Then' }, { text: 'Notify reference' }];

/** What became of the message: sent again by the next channel, nothing left to try, or a person's to check. */
function then(message: UndeliveredMessage): string {
  if (message.fallback) {
    const words = whatHappened(message.fallback);
    const how = words ? `${words[0]!.toLowerCase()}${words.slice(1)}` : message.fallback.status;
    return `Sent again as ${CHANNEL_WORDS[message.fallback.channel].toLowerCase()} (${how})`;
  }
  if (message.deliveryStatus === 'permanent-failure') {
    return hasChannelAfter(message.channel) ? 'Not sent again yet, or the offer had lapsed' : 'Nothing left to try: contact the patient another way';
  }
  if (message.status === 'unconfirmed') return 'Check in Notify (or the mail server) whether it went; it will not be sent again';
  return 'Not sent again: contact the patient if it matters';
}

export function UndeliveredMessagesPage(props: { staff: StaffUser; messages: readonly UndeliveredMessage[]; limit: number }) {
  return (
    <StaffLayout title="Messages not delivered" staff={props.staff}>
      <h1>Messages not delivered</h1>
      <p>
        Messages GOV.UK Notify could not deliver, or a patient’s mail server returned, and messages nobody can tell went, newest first (the latest {props.limit}). A message that failed for good is
        sent again once by the patient’s next way to be reached: a text by email, or else by letter; an email by letter.
      </p>
      {props.messages.length === 0 ? (
        <p data-testid="undelivered-empty">Every message has been delivered, or is on its way.</p>
      ) : (
        <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid="undelivered-table">
          <caption class="nhsuk-table__caption">Messages not delivered, newest first</caption>
          <TableHead columns={COLUMNS} />
          <tbody class="nhsuk-table__body">
            {props.messages.map((message) => (
              <tr role="row" class="nhsuk-table__row" data-id={message.id}>
                <Cell heading="When">{formatDateTime(message.at)}</Cell>
                <Cell heading="Transfer">
                  {message.transferId} (pathway {message.pathwayRef}
                  {message.trustOds ? `, trust ${message.trustOds}` : ''})
                </Cell>
                <Cell heading="Message">
                  {CHANNEL_WORDS[message.channel]}: {message.intent}
                </Cell>
                <Cell heading="What happened">{whatHappened(message) ?? 'Unconfirmed: it may or may not have gone'}</Cell>
                <Cell heading="Then">{then(message)}</Cell>
                <Cell heading="Notify reference">{message.id}</Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StaffLayout>
  );
}
