/**
 * Bounces of the email we send over SMTP (issue 20 item 3), read the standard way: each message goes
 * with a VERP envelope sender naming it, `bounces+<message id>@<SMTP_BOUNCE_DOMAIN>`, so the
 * delivery status notification (DSN, RFC 3464) a mail server returns to that address says which
 * message it is about by where it is sent, whatever the report quotes or leaves out. The bounce
 * domain's MX points at the service's receiver (emails/bounce-receiver.ts), which reads the report
 * here.
 */
import type { ParsedMail } from 'mailparser';
import { idTextSchema } from '../domain/code-schemas';
import type { DeliveryStatus } from '../domain/delivery';

const LOCAL_PART = 'bounces';

/** The envelope sender of an outbox message: its bounces come back to it. */
export function bounceAddress(domain: string, messageId: number): string {
  return `${LOCAL_PART}+${messageId}@${domain}`;
}

/** The message a bounce address names, or undefined for any other address (another form, another domain). */
export function messageIdOfBounceAddress(domain: string, address: string): number | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return undefined;
  const local = address.slice(0, at);
  const prefix = `${LOCAL_PART}+`;
  if (local.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
  const id = idTextSchema.safeParse(local.slice(prefix.length));
  return id.success ? id.data : undefined;
}

/** What a DSN says of the message, as a delivery status (domain/delivery.ts). */
export type BounceReport =
  /** It failed (permanent-failure) or is delayed (temporary-failure): the status code and when it was last tried. */
  | { readonly kind: 'failure'; readonly status: DeliveryStatus; readonly dsnStatus: string; readonly at: Date | undefined }
  /** A report of success (delivered, relayed, expanded): nothing to record, since success is not asked for. */
  | { readonly kind: 'no-failure'; readonly actions: readonly string[] }
  /** Not a delivery status notification we can read; why, without quoting it (it names addresses). */
  | { readonly kind: 'unreadable'; readonly why: string };

/** The report types of RFC 3464 and of its internationalised form (RFC 6533). */
const REPORT_PARTS: Record<string, string> = { 'delivery-status': 'message/delivery-status', 'global-delivery-status': 'message/global-delivery-status' };

/**
 * Reads a DSN parsed by mailparser (with keepDeliveryStatus, so its status part is an attachment): a
 * multipart/report of report-type delivery-status whose status part has a group of fields for each
 * recipient. An Action of `failed` is a permanent failure whatever its Status class (the reporting
 * server has stopped trying: even a 4.4.7, its time run out, will never arrive); `delayed` is a
 * temporary one. With several recipients (a trust's clinicians), the worst is the report's.
 */
export function readBounceReport(mail: ParsedMail): BounceReport {
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value?.toLowerCase() !== 'multipart/report') return { kind: 'unreadable', why: `a ${contentType?.value ?? 'message with no content type'}, not a multipart/report` };
  const reportType = contentType.params?.['report-type']?.toLowerCase() ?? '';
  const partType = REPORT_PARTS[reportType];
  if (!partType) return { kind: 'unreadable', why: `a report of type "${reportType.slice(0, 40)}", not delivery-status` };
  const part = mail.attachments.find((attachment) => attachment.contentType.toLowerCase() === partType);
  if (!part) return { kind: 'unreadable', why: `no ${partType} part` };

  const groups = fieldGroups(part.content.toString('utf8'));
  if (typeof groups === 'string') return { kind: 'unreadable', why: groups };
  const recipients = groups.filter((fields) => fields.has('action'));
  if (recipients.length === 0) return { kind: 'unreadable', why: 'no recipient has an Action field' };
  const read: { action: string; dsnStatus: string; at: Date | undefined }[] = [];
  for (const fields of recipients) {
    const action = fields.get('action')!.toLowerCase().split(/[\s(]/)[0]!;
    if (!ACTIONS.has(action)) return { kind: 'unreadable', why: `an Action "${action.slice(0, 20)}" that RFC 3464 does not have` };
    const dsnStatus = /^([245]\.\d{1,3}\.\d{1,3})(?:\s|\(|$)/.exec(fields.get('status') ?? '')?.[1];
    if (!dsnStatus) return { kind: 'unreadable', why: 'a recipient with no Status code (class.subject.detail)' };
    const lastAttempt = fields.get('last-attempt-date');
    const at = lastAttempt === undefined ? undefined : new Date(lastAttempt);
    read.push({ action, dsnStatus, at: at && Number.isFinite(at.getTime()) ? at : undefined });
  }
  const worst = read.find((recipient) => recipient.action === 'failed') ?? read.find((recipient) => recipient.action === 'delayed');
  if (!worst) return { kind: 'no-failure', actions: read.map((recipient) => recipient.action) };
  return { kind: 'failure', status: worst.action === 'failed' ? 'permanent-failure' : 'temporary-failure', dsnStatus: worst.dsnStatus, at: worst.at };
}

const ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/**
 * The status part's groups of fields (the message's, then one per recipient), separated by blank
 * lines, each a map of lower-case field name to value (folded lines unfolded); or why it is not that.
 */
function fieldGroups(text: string): Map<string, string>[] | string {
  const groups: Map<string, string>[] = [];
  let group: Map<string, string> | undefined;
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      group = undefined;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (!group || !last) return 'a continuation line with no field before it';
      group.set(last, `${group.get(last)} ${line.trim()}`);
      continue;
    }
    const field = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (!field) return 'a line that is not a field';
    if (!group) groups.push((group = new Map()));
    last = field[1]!.toLowerCase();
    group.set(last, field[2]!.trim());
  }
  return groups;
}
