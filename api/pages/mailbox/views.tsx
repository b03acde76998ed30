import type { DevMail } from '../../../db/schema';
import { formatDateTime } from '../../../domain/dates';
import { Layout } from '../layout';
import { SummaryRow } from '../table';

export function MailboxPage(props: { mails: readonly DevMail[] }) {
  return (
    <Layout title="Dev mailbox" service="Backlog Transfer (development)">
      <h1>Dev mailbox</h1>
      <p>Every email the service sent in this embedded run, newest first. Nothing here left this machine.</p>
      {props.mails.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table class="nhsuk-table">
          <caption class="nhsuk-table__caption">{props.mails.length} messages</caption>
          <thead class="nhsuk-table__head">
            <tr>
              <th scope="col">Received</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {props.mails.map((mail) => (
              <tr class="nhsuk-table__row">
                <td class="nhsuk-table__cell">{formatDateTime(mail.received_at)}</td>
                <td class="nhsuk-table__cell">{mail.envelope_to.join(', ')}</td>
                <td class="nhsuk-table__cell">
                  <a href={`/dev/mailbox/${mail.id}`}>{mail.subject || '(no subject)'}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function MailPage(props: { mail: DevMail }) {
  return (
    <Layout title={props.mail.subject} service="Backlog Transfer (development)">
      <a class="nhsuk-back-link" href="/dev/mailbox">
        Back to the mailbox
      </a>
      <h1>{props.mail.subject}</h1>
      <dl class="nhsuk-summary-list">
        <SummaryRow label="To">{props.mail.envelope_to.join(', ')}</SummaryRow>
        <SummaryRow label="Received">{formatDateTime(props.mail.received_at)}</SummaryRow>
      </dl>
      <h2>As the patient sees it</h2>
      {props.mail.html_body ? (
        <iframe
          title="The email as HTML"
          sandbox="allow-top-navigation-by-user-activation allow-popups"
          srcdoc={props.mail.html_body}
          style="width:100%;min-height:480px;border:1px solid #d8dde0"
        ></iframe>
      ) : null}
      <h2>Plain text</h2>
      <pre class="nhsuk-body" style="white-space:pre-wrap">{props.mail.text_body}</pre>
    </Layout>
  );
}
