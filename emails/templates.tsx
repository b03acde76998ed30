/**
 * The messages patients receive, each as text and HTML from the same data. A template's version is
 * recorded with the message, so we can always tell which wording a patient was shown.
 */
import { EmailLayout } from './layout';

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly version: string;
}

export interface OfferMessageData {
  readonly givenName: string;
  readonly trustName: string;
  readonly link: string;
  readonly respondBy: string;
}

export function offerMessage(data: OfferMessageData): RenderedMessage {
  const subject = 'You can choose to have your treatment sooner at another hospital';
  const text = [
    `Dear ${data.givenName},`,
    '',
    `You are on the waiting list at ${data.trustName}. The NHS can offer you treatment sooner at another hospital, paid for by the NHS.`,
    '',
    'See your choices and tell us what you would like to do:',
    data.link,
    '',
    `Please answer by ${data.respondBy}.`,
    '',
    'If you decline or do not answer, you keep your place on the waiting list and your waiting time does not change.',
    '',
    'NHS Backlog Transfer',
  ].join('\n');
  const html = String(
    <EmailLayout title={subject}>
      <p>Dear {data.givenName},</p>
      <p>
        You are on the waiting list at {data.trustName}. The NHS can offer you treatment sooner at another hospital, paid
        for by the NHS.
      </p>
      <p>
        <a href={data.link} style="color:#005eb8;font-weight:bold">
          See your choices and tell us what you would like to do
        </a>
      </p>
      <p>Please answer by {data.respondBy}.</p>
      <p>If you decline or do not answer, you keep your place on the waiting list and your waiting time does not change.</p>
    </EmailLayout>,
  );
  return { subject, text, html, version: 'offer-v1' };
}
