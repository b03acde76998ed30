/**
 * GOV.UK Notify, as far as the service uses it, on a local port: Notify is outside our world, so tests
 * talk to this instead, through the official client, over HTTP.
 *
 * It checks what Notify checks (notifications-api's authentication and v2 notification schemas): a
 * bearer JWT signed HS256 with the API key's secret, whose iss is the service id and whose iat is
 * within 30 seconds of now; a known template of the right type with every placeholder given; a
 * recipient; a reference. It answers as Notify does (201 with the notification, or
 * `{ status_code, errors: [{ error, message }] }`), records every notification it took, and can be
 * told to fail, to hold its answer or to cut the connection instead of answering. It sends delivery receipts as Notify's callbacks do.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TakenNotification {
  readonly id: string;
  readonly type: 'sms' | 'email' | 'letter';
  readonly reference: string;
  /** The phone number or email address; none for a precompiled letter. */
  readonly to?: string;
  readonly templateId?: string;
  readonly personalisation?: Readonly<Record<string, string>>;
  /** A precompiled letter's PDF. */
  readonly pdf?: Buffer;
  readonly createdAt: string;
}

/** A failure Notify may answer with. */
export interface NotifyFailure {
  readonly status: number;
  readonly error: string;
  readonly message: string;
}

export const NOTIFY_FAILURES = {
  serverError: { status: 500, error: 'Exception', message: 'Internal server error' },
  rateLimited: { status: 429, error: 'RateLimitError', message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds' },
  teamOnly: { status: 400, error: 'BadRequestError', message: 'Can’t send to this recipient using a team-only API key' },
  notUkMobile: { status: 400, error: 'ValidationError', message: 'phone_number Not a UK mobile number' },
} satisfies Record<string, NotifyFailure>;

export interface NotifyTestServer {
  readonly url: string;
  /** A live key of the test service, as Notify issues them: `name-<service id>-<secret>`. */
  readonly apiKey: string;
  /** The service's templates: a text message `((body))`, an email with subject `((subject))` and content `((body))`. */
  readonly templates: { readonly sms: string; readonly email: string };
  /** Every notification taken (answered 201), in order. */
  readonly taken: readonly TakenNotification[];
  /** Every request refused, with why. */
  readonly refused: readonly { readonly path: string; readonly status: number; readonly error: string; readonly message: string }[];
  /** The next `times` requests to send a notification are answered with this failure, taking nothing. */
  failNext(failure: NotifyFailure, times?: number): void;
  /** The next notification is taken (recorded), and its connection then cut with no answer: as when the network fails after the request went. */
  dropNextAnswer(): void;
  /**
   * From now on notifications are taken (recorded) and their answers held until the returned function
   * is called: as when the answer is lost to a worker that dies waiting for it.
   */
  holdAnswers(): () => void;
  /** Posts a delivery receipt for a notification taken, as Notify's callback does, with the service's callback bearer token. */
  sendDeliveryReceipt(
    callback: { readonly url: string; readonly bearerToken: string },
    notification: TakenNotification,
    status: 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure',
  ): Promise<Response>;
  close(): Promise<void>;
}

const PLACEHOLDER = /\(\(([^)]+)\)\)/g;
const TEMPLATE_CONTENT = { sms: '((body))', emailSubject: '((subject))', emailBody: '((body))' };

export async function startNotifyServer(): Promise<NotifyTestServer> {
  const serviceId = randomUUID();
  const secret = randomUUID();
  const templates = { sms: randomUUID(), email: randomUUID() };
  const precompiledLetterTemplate = randomUUID();
  const taken: TakenNotification[] = [];
  const refused: { path: string; status: number; error: string; message: string }[] = [];
  const failures: NotifyFailure[] = [];
  let held: Promise<void> | undefined;
  let dropNext = false;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => answer(response, 500, { status_code: 500, errors: [{ error: 'Exception', message: String(error) }] }));
  });

  function answer(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  function refuse(response: ServerResponse, path: string, status: number, error: string, message: string): void {
    refused.push({ path, status, error, message });
    answer(response, status, { status_code: status, errors: [{ error, message }] });
  }

  /** Notify's checks of the bearer token: why it is refused, or undefined when it is good. */
  function authProblem(header: string | undefined): { status: number; message: string } | undefined {
    if (!header) return { status: 401, message: 'Unauthorized: authentication token must be provided' };
    if (header.slice(0, 7).toLowerCase() !== 'bearer ') return { status: 401, message: 'Unauthorized: authentication bearer scheme must be used' };
    const parts = header.slice(7).split('.');
    if (parts.length !== 3) return { status: 403, message: 'Invalid token: signature, api token is not valid' };
    const [encodedHeader, encodedClaims, signature] = parts as [string, string, string];
    let jwtHeader: { alg?: unknown; typ?: unknown };
    let claims: { iss?: unknown; iat?: unknown };
    try {
      jwtHeader = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(encodedClaims, 'base64url').toString('utf8'));
    } catch {
      return { status: 403, message: 'Invalid token: signature, api token is not valid' };
    }
    if (jwtHeader.alg !== 'HS256') return { status: 403, message: 'Invalid token: algorithm used is not HS256' };
    if (typeof claims.iss !== 'string') return { status: 403, message: 'Invalid token: iss field not provided' };
    if (claims.iss !== serviceId) return { status: 403, message: 'Invalid token: service not found' };
    const expected = createHmac('sha256', secret).update(`${encodedHeader}.${encodedClaims}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 403, message: 'Invalid token: signature, api token is not valid' };
    if (typeof claims.iat !== 'number') return { status: 403, message: 'Invalid token: iat field not provided' };
    const now = Math.round(Date.now() / 1000);
    if (claims.iat < now - 30) return { status: 403, message: 'Error: Your system clock must be accurate to within 30 seconds' };
    if (claims.iat > now + 30) return { status: 403, message: 'Error: Your system clock must be accurate to within 30 seconds' };
    return undefined;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '';
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const route = /^\/v2\/notifications\/(sms|email|letter)$/.exec(path);
    if (request.method !== 'POST' || !route) return refuse(response, path, 404, 'ResourceNotFound', 'The requested URL was not found on the server.');
    const auth = authProblem(request.headers.authorization);
    if (auth) return refuse(response, path, auth.status, 'AuthError', auth.message);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(response, path, 400, 'BadRequestError', 'Invalid JSON supplied in POST data');
    }
    const failure = failures.shift();
    if (failure) return refuse(response, path, failure.status, failure.error, failure.message);

    const type = route[1] as TakenNotification['type'];
    const reference = typeof body.reference === 'string' ? body.reference : undefined;
    const problem = type === 'letter' ? letterProblem(body) : templatedProblem(type, body);
    if (problem) return refuse(response, path, 400, problem.error, problem.message);

    const notification: TakenNotification = {
      id: randomUUID(),
      type,
      reference: reference!,
      createdAt: new Date().toISOString(),
      ...(type === 'letter'
        ? { pdf: Buffer.from(body.content as string, 'base64') }
        : {
            to: (type === 'sms' ? body.phone_number : body.email_address) as string,
            templateId: body.template_id as string,
            personalisation: body.personalisation as Record<string, string>,
          }),
    };
    taken.push(notification);
    if (dropNext) {
      dropNext = false;
      request.socket.destroy();
      return;
    }
    if (held) await held;
    answer(response, 201, responseBody(notification, `http://${request.headers.host}`));
  }

  function templatedProblem(type: 'sms' | 'email', body: Record<string, unknown>): { error: string; message: string } | undefined {
    const recipientField = type === 'sms' ? 'phone_number' : 'email_address';
    if (typeof body.template_id !== 'string') return { error: 'ValidationError', message: 'template_id is a required property' };
    if (typeof body[recipientField] !== 'string') return { error: 'ValidationError', message: `${recipientField} is a required property` };
    if (body.reference !== undefined && typeof body.reference !== 'string') return { error: 'ValidationError', message: 'reference is not of type string' };
    if (body.template_id !== templates[type]) return { error: 'BadRequestError', message: 'Template not found' };
    if (type === 'sms' && !/^\+447[0-9]{9}$/.test(body.phone_number as string)) return { error: 'ValidationError', message: 'phone_number Not a UK mobile number' };
    if (type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email_address as string)) return { error: 'ValidationError', message: 'email_address Not a valid email address' };
    const personalisation = (body.personalisation ?? {}) as Record<string, unknown>;
    const content = type === 'sms' ? TEMPLATE_CONTENT.sms : `${TEMPLATE_CONTENT.emailSubject} ${TEMPLATE_CONTENT.emailBody}`;
    const missing = [...content.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => typeof personalisation[name] !== 'string');
    if (missing.length > 0) return { error: 'BadRequestError', message: `Missing personalisation: ${missing.join(', ')}` };
    return undefined;
  }

  function letterProblem(body: Record<string, unknown>): { error: string; message: string } | undefined {
    if (typeof body.reference !== 'string') return { error: 'ValidationError', message: 'reference is a required property' };
    if (typeof body.content !== 'string') return { error: 'ValidationError', message: 'content is a required property' };
    if (!Buffer.from(body.content, 'base64').subarray(0, 5).equals(Buffer.from('%PDF-'))) return { error: 'ValidationError', message: 'Letter content is not a valid PDF' };
    return undefined;
  }

  function fill(content: string, personalisation: Readonly<Record<string, string>> = {}): string {
    return content.replace(PLACEHOLDER, (_, name: string) => personalisation[name] ?? '');
  }

  function responseBody(notification: TakenNotification, base: string): unknown {
    if (notification.type === 'letter') return { id: notification.id, reference: notification.reference, postage: 'second' };
    const template = { id: notification.templateId, version: 1, uri: `${base}/v2/template/${notification.templateId}/version/1` };
    const content =
      notification.type === 'sms'
        ? { body: fill(TEMPLATE_CONTENT.sms, notification.personalisation), from_number: 'NHS' }
        : {
            subject: fill(TEMPLATE_CONTENT.emailSubject, notification.personalisation),
            body: fill(TEMPLATE_CONTENT.emailBody, notification.personalisation),
            from_email: 'backlog.transfer@notifications.service.gov.uk',
          };
    return { id: notification.id, reference: notification.reference, content, uri: `${base}/v2/notifications/${notification.id}`, template };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey: `backlog_transfer_test-${serviceId}-${secret}`,
    templates,
    taken,
    refused,
    failNext(failure, times = 1) {
      for (let index = 0; index < times; index++) failures.push(failure);
    },
    dropNextAnswer() {
      dropNext = true;
    },
    holdAnswers() {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    async sendDeliveryReceipt(callback, notification, status) {
      const completedAt = new Date().toISOString();
      return fetch(callback.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${callback.bearerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: notification.id,
          reference: notification.reference,
          to: notification.to ?? null,
          status,
          created_at: notification.createdAt,
          completed_at: completedAt,
          sent_at: notification.type === 'letter' ? null : notification.createdAt,
          notification_type: notification.type,
          // A precompiled letter is sent on Notify's own hidden template.
          template_id: notification.templateId ?? precompiledLetterTemplate,
          template_version: 1,
        }),
      });
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
