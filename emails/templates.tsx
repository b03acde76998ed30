/**
 * Every message of a transfer, written once as content (a subject, paragraphs, one action link) and
 * rendered from it as email text, email HTML and, for a patient without email, a printed letter. A
 * template's version is recorded with the message, so we can always tell which wording was sent.
 */
import { fitsOneSms } from '../domain/sms';
import { EmailLayout } from './layout';

export const PATIENT_MESSAGE_KINDS = [
  'offer',
  'slot-taken',
  'provider-rejected',
  'reminder',
  'lapse',
  'returned',
  'booking-confirmation',
  'withdrawal',
  'campaign-withdrawal',
] as const;
export const TRUST_MESSAGE_KINDS = ['review-escalation'] as const;
export type PatientMessageKind = (typeof PATIENT_MESSAGE_KINDS)[number];
/** Patient messages whose action is the patient's own link to their offer or booking. */
export const LINKED_MESSAGE_KINDS: ReadonlySet<PatientMessageKind> = new Set(['offer', 'slot-taken', 'provider-rejected', 'reminder', 'booking-confirmation']);
export type TrustMessageKind = (typeof TRUST_MESSAGE_KINDS)[number];
export type MessageKind = PatientMessageKind | TrustMessageKind;

export interface MessageContent {
  readonly subject: string;
  readonly greeting: string;
  readonly paragraphs: readonly string[];
  /** The one thing to do, as a link (written out in full in text and letters). */
  readonly action?: { readonly label: string; readonly href: string };
  /** Paragraphs after the action. */
  readonly after: readonly string[];
  readonly version: string;
}

export interface PatientMessageData {
  readonly givenName: string;
  readonly trustName: string;
  /** The patient's own link to their offer or booking; absent for messages that need no action. */
  readonly link?: string;
  /** The same link, short enough for a text message (the same token at /o/). */
  readonly shortLink?: string;
  /** When the offer lapses, written for people ("5 December 2026"). */
  readonly respondBy?: string;
  /** The booking, for confirmations. */
  readonly booking?: { readonly siteName: string; readonly date: string };
  /** The trust's number for a call back, shown in letters and where there is no link. */
  readonly phone: string;
}

const KEEP_YOUR_PLACE =
  'If you decline or do not answer, you keep your place on the waiting list and your waiting time does not change.';
const SIGN_OFF = 'NHS Backlog Transfer';

export function patientMessage(kind: PatientMessageKind, data: PatientMessageData): MessageContent {
  const greeting = `Dear ${data.givenName},`;
  const respond = data.respondBy ? [`Please answer by ${data.respondBy}.`] : [];
  const choices = data.link ? { label: 'See your choices and tell us what you would like to do', href: data.link } : undefined;
  switch (kind) {
    case 'offer':
      return {
        subject: 'You can choose to have your treatment sooner at another hospital',
        greeting,
        paragraphs: [
          `You are on the waiting list at ${data.trustName}. The NHS can offer you treatment sooner at another hospital, paid for by the NHS.`,
        ],
        action: choices,
        after: [...respond, KEEP_YOUR_PLACE, `To talk it through, call ${data.phone}.`],
        version: 'offer-v2',
      };
    case 'reminder':
      return {
        subject: 'Reminder: you can choose to have your treatment sooner',
        greeting,
        paragraphs: [`We wrote to you about having your treatment sooner at another hospital instead of waiting at ${data.trustName}. We have not had your answer yet.`],
        action: choices,
        after: [...respond, KEEP_YOUR_PLACE],
        version: 'reminder-v1',
      };
    case 'slot-taken':
      return {
        subject: 'The date you chose has gone: please choose again',
        greeting,
        paragraphs: ['Thank you for your answer. Someone else booked the date you chose just before you, so it is no longer free. Other dates and hospitals are still available.'],
        action: choices,
        after: [...respond, KEEP_YOUR_PLACE],
        version: 'slot-taken-v1',
      };
    case 'provider-rejected':
      return {
        subject: 'The hospital you chose cannot treat you: other choices',
        greeting,
        paragraphs: [
          'After looking at your health records, the hospital you chose has told us it cannot safely treat you there. This is not a decision about whether you need treatment.',
          'You can choose one of the other hospitals instead.',
        ],
        action: choices,
        after: [...respond, KEEP_YOUR_PLACE],
        version: 'provider-rejected-v1',
      };
    case 'lapse':
      return {
        subject: 'Your offer of treatment at another hospital has ended',
        greeting,
        paragraphs: [
          `We did not hear from you, so the offer of treatment at another hospital has now ended.`,
          `You are still on the waiting list at ${data.trustName}, and your waiting time has not changed.`,
        ],
        after: [`If you would like to talk about your treatment, call ${data.phone}.`],
        version: 'lapse-v1',
      };
    case 'returned':
      return {
        subject: 'We could not arrange your treatment at another hospital',
        greeting,
        paragraphs: [
          'We are sorry: we could not arrange your treatment at another hospital this time.',
          `You are still on the waiting list at ${data.trustName}, and your waiting time has not changed.`,
        ],
        after: [`If you would like to talk about your treatment, call ${data.phone}.`],
        version: 'returned-v1',
      };
    case 'booking-confirmation':
      return {
        subject: 'Your treatment is booked',
        greeting,
        paragraphs: [
          `Your treatment is booked at ${data.booking?.siteName ?? 'the hospital you chose'} on ${data.booking?.date ?? 'the date you chose'}. The hospital will contact you with what to do before you go.`,
          `Your care has moved from ${data.trustName} to this hospital.`,
        ],
        action: data.link ? { label: 'See your booking, or change your mind', href: data.link } : undefined,
        after: [`You can change your mind up to the day of your treatment. If you do, you go back to the waiting list at ${data.trustName} and your waiting time does not change.`],
        version: 'booking-confirmation-v1',
      };
    case 'withdrawal':
      return {
        subject: 'You have cancelled your treatment at another hospital',
        greeting,
        paragraphs: [
          'We have cancelled your booking as you asked.',
          `You are back on the waiting list at ${data.trustName}, and your waiting time has not changed.`,
        ],
        after: [`If you did not ask for this, call ${data.phone}.`],
        version: 'withdrawal-v1',
      };
    case 'campaign-withdrawal':
      return {
        subject: 'The offer of treatment at another hospital has been withdrawn',
        greeting,
        paragraphs: [
          'We are sorry: the scheme that offered you treatment at another hospital has ended early, so we have withdrawn the offer. If you had chosen a hospital and a date, that booking has been cancelled.',
          `You are still on the waiting list at ${data.trustName}, and your waiting time has not changed. You do not need to do anything.`,
        ],
        after: [`If you would like to talk about your treatment, call ${data.phone}.`],
        version: 'campaign-withdrawal-v1',
      };
  }
}

/** A text message: its words, and their version, recorded like a MessageContent's. */
export interface TextMessage {
  readonly body: string;
  readonly version: string;
}

/**
 * The text message for a patient message: one SMS of GSM-7 (domain/sms.ts), with the short link
 * and the number to call. A phone's lock screen shows texts to anyone near it, so a text names no one
 * but the patient's first name: no hospital, trust, date or treatment; those are behind the link, or
 * given on the phone. A first name too long for one SMS, or written with a letter GSM-7 lacks (which
 * would send the text as three UCS-2 fragments), is left out: "Hello, the NHS can…".
 */
export function patientTextMessage(kind: PatientMessageKind, data: PatientMessageData): TextMessage {
  const named = textMessageIn(kind, data, `Hello ${data.givenName},`);
  return fitsOneSms(named.body) ? named : textMessageIn(kind, data, 'Hello,');
}

function textMessageIn(kind: PatientMessageKind, data: PatientMessageData, hello: string): TextMessage {
  const link = data.shortLink ?? data.link;
  const call = `call ${data.phone}`;
  switch (kind) {
    case 'offer':
      return { body: `${hello} the NHS can treat you sooner at another hospital. Choose at ${link} or ${call}`, version: 'offer-sms-v2' };
    case 'reminder':
      return { body: `${hello} the NHS can still treat you sooner at another hospital: ${link} or ${call}`, version: 'reminder-sms-v2' };
    case 'slot-taken':
      return { body: `${hello} the date you chose has gone. Please choose again at ${link} or ${call}`, version: 'slot-taken-sms-v2' };
    case 'provider-rejected':
      return { body: `${hello} the hospital you chose cannot treat you. Choose another at ${link} or ${call}`, version: 'provider-rejected-sms-v2' };
    case 'lapse':
      return { body: `${hello} the NHS offer of treatment at another hospital has ended. You keep your place on the waiting list. Questions? Call ${data.phone}`, version: 'lapse-sms-v2' };
    case 'returned':
      return { body: `${hello} the NHS could not arrange your treatment at another hospital. You keep your place on the waiting list. Questions? Call ${data.phone}`, version: 'returned-sms-v2' };
    case 'booking-confirmation':
      return { body: `${hello} your treatment is booked. See it or change your mind at ${link} or ${call}`, version: 'booking-confirmation-sms-v2' };
    case 'withdrawal':
      return { body: `${hello} as you asked, the NHS has cancelled your treatment at another hospital. You are back on the waiting list. Not you? Call ${data.phone}`, version: 'withdrawal-sms-v2' };
    case 'campaign-withdrawal':
      return { body: `${hello} the NHS has withdrawn its offer of treatment at another hospital and any booking. You are still on the waiting list. Call ${data.phone}`, version: 'campaign-withdrawal-sms-v2' };
  }
}

export interface TrustMessageData {
  readonly trustName: string;
  readonly pathwayRef: string;
  readonly waitingDays: number;
  readonly reviewLink: string;
}

export function trustMessage(kind: TrustMessageKind, data: TrustMessageData): MessageContent {
  switch (kind) {
    case 'review-escalation':
      return {
        subject: `Clinical review overdue: pathway ${data.pathwayRef}`,
        greeting: `To the clinical team at ${data.trustName},`,
        paragraphs: [
          `A candidate for transfer to an independent-sector provider (your pathway ${data.pathwayRef}) has waited ${data.waitingDays} days for a clinician to confirm or refuse the transfer.`,
          'Nothing is offered to the patient until a clinician confirms. If no one reviews it, the candidate lapses and stays on your list.',
        ],
        action: { label: 'Open the review queue', href: data.reviewLink },
        after: [],
        version: 'review-escalation-v1',
      };
  }
}

/** The email's plain-text part: the same words, the link written out. */
export function messageText(content: MessageContent): string {
  return [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(content.action ? [`${content.action.label}:`, content.action.href, ''] : []),
    ...content.after.flatMap((paragraph) => [paragraph, '']),
    SIGN_OFF,
  ].join('\n');
}

export function messageHtml(content: MessageContent): string {
  return String(
    <EmailLayout title={content.subject}>
      <p>{content.greeting}</p>
      {content.paragraphs.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
      {content.action && (
        <p>
          <a href={content.action.href} style="color:#005eb8;font-weight:bold">
            {content.action.label}
          </a>
        </p>
      )}
      {content.after.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
      <p>{SIGN_OFF}</p>
    </EmailLayout>,
  );
}
