/**
 * Sends text messages, email and letters through GOV.UK Notify with its official client. Each
 * message's reference is the outbox message's own id, so a message can be found in Notify (and its
 * delivery receipts matched) by the id an operator sees.
 *
 * Notify's templates hold no wording of ours: the text message template is `((body))`, the email
 * template's subject `((subject))` and content `((body))`, and letters are our own PDF (a precompiled
 * letter). The wording, and its version, stay in emails/templates.tsx with every other message.
 */
import { NotifyClient } from 'notifications-node-client';

export interface NotifySettings {
  readonly apiKey: string;
  /** Notify's API; its production address when unset. */
  readonly baseUrl?: string;
  /** Text messages are sent when set. */
  readonly smsTemplateId?: string;
  /** Patients' email goes through Notify when set. */
  readonly emailTemplateId?: string;
  /** Letters go through Notify, which prints and posts them. */
  readonly letters: boolean;
}

/** Notify took the message: its id for it. */
export interface NotifyReceipt {
  readonly id: string;
}

/** Each channel Notify sends for; absent, that channel is not sent through Notify. */
export interface NotifySender {
  readonly sendSms?: (message: { to: string; body: string; reference: string }) => Promise<NotifyReceipt>;
  readonly sendEmail?: (message: { to: string; subject: string; body: string; reference: string }) => Promise<NotifyReceipt>;
  readonly sendLetter?: (message: { pdf: Buffer; reference: string }) => Promise<NotifyReceipt>;
}

/**
 * A send Notify did not take. `taken` says whether it may have taken it even so: 'no' when Notify
 * answered with an error (it creates a notification only when it answers 201) or the connection was
 * never made; 'unknown' when the request went and no answer came back. `message` names the failure
 * without the request (which holds the recipient); `detail` has Notify's own words, for the outbox.
 */
export class NotifyError extends Error {
  override name = 'NotifyError';
  constructor(
    message: string,
    readonly taken: 'no' | 'unknown',
    readonly detail: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /**
   * Notify refused the message itself (a 400: a number that is not a UK mobile, an address it cannot
   * send to, a team-only key): sending it again would be refused again, so it failed for good. A bad
   * key (403), the rate limit (429) and Notify's own faults (5xx) pass, and are tried again.
   */
  get refused(): boolean {
    return this.status === 400;
  }
}

/** Failures of a connection that was never made: nothing can have reached Notify. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Turns the client's error (axios's, which carries the request: the recipient and our token) into a NotifyError that does not. */
function notifyError(error: unknown): NotifyError {
  const { response, code } = error as { response?: { status?: number; data?: unknown }; code?: unknown };
  if (response?.status) {
    const errors = (response.data as { errors?: { error?: unknown; message?: unknown }[] } | undefined)?.errors ?? [];
    const kinds = [...new Set(errors.map((entry) => String(entry.error)))].join(', ');
    const detail = errors.map((entry) => `${String(entry.error)}: ${String(entry.message)}`).join('; ');
    return new NotifyError(`Notify answered ${response.status}${kinds ? ` (${kinds})` : ''}`, 'no', detail || `status ${response.status}`, response.status);
  }
  const why = typeof code === 'string' ? code : (error as Error).message;
  return new NotifyError(`no answer from Notify (${why})`, typeof code === 'string' && NEVER_CONNECTED.has(code) ? 'no' : 'unknown', why);
}

async function sending(send: () => Promise<{ data: { id: string } }>): Promise<NotifyReceipt> {
  try {
    const { data } = await send();
    return { id: data.id };
  } catch (error) {
    throw notifyError(error);
  }
}

export function createNotifySender(settings: NotifySettings): NotifySender {
  const client = settings.baseUrl ? new NotifyClient(settings.baseUrl, settings.apiKey) : new NotifyClient(settings.apiKey);
  const { smsTemplateId, emailTemplateId } = settings;
  return {
    ...(smsTemplateId && {
      sendSms: ({ to, body, reference }) => sending(() => client.sendSms(smsTemplateId, to, { personalisation: { body }, reference })),
    }),
    ...(emailTemplateId && {
      sendEmail: ({ to, subject, body, reference }) => sending(() => client.sendEmail(emailTemplateId, to, { personalisation: { subject, body }, reference })),
    }),
    ...(settings.letters && {
      sendLetter: ({ pdf, reference }) => sending(() => client.sendPrecompiledLetter(reference, pdf)),
    }),
  };
}
