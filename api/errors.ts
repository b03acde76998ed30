/**
 * Every API error has the body `{ "error": { "code", "message", "details"? } }`. The use cases'
 * failures (domain errors, services/) are mapped to their status here, once: not found 404, forbidden
 * 403, invalid 422 (naming the field), conflict 409, unavailable 503 (saying when to retry), each with
 * its reason as the code. What only the
 * web layer knows (no token, a malformed body, too large) is thrown as ApiError. app.onError turns
 * everything else into a 500 without leaking internals.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type FailureKind } from '../domain/failures';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(status, { message });
  }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  503: 'unavailable',
};

/** Where the library's own words say too little: an API operation's body is refused for its type only when it is not JSON. */
const MESSAGE_BY_STATUS: Partial<Record<number, string>> = {
  415: 'send the body as JSON, with Content-Type: application/json',
};

const STATUS_BY_KIND: Record<FailureKind, ContentfulStatusCode> = { NotFound: 404, Forbidden: 403, Invalid: 422, Conflict: 409, Unavailable: 503 };

/** How long a client waits before trying a 503 again: about as long as an Update is given to answer. */
export const RETRY_AFTER_SECONDS = 10;

/**
 * Every 503, JSON or page, from an error or a health check, says when to try again. A middleware, so
 * the pages that render their own answer to an Unavailable (the patient's offer page) say it too.
 */
export const retryAfterUnavailable: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 503 && !c.res.headers.has('retry-after')) c.res.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
};

/** The HTTP status of an error: a domain error's by its kind, an HTTP exception's own, else 500. */
export function statusOf(error: Error): ContentfulStatusCode {
  if (error instanceof DomainError) return STATUS_BY_KIND[error.kind];
  if (error instanceof HTTPException) return error.status as ContentfulStatusCode;
  return 500;
}

export function errorResponse(c: Context, error: Error): Response {
  if (error instanceof DomainError) {
    const details = error.details ?? (error.field === undefined ? undefined : [{ field: error.field, message: error.message }]);
    return c.json(errorBody(error.reason, error.message, details), statusOf(error));
  }
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return c.json(errorBody(CODE_BY_STATUS[status] ?? 'error', MESSAGE_BY_STATUS[status] ?? (error.message || 'request failed')), status);
  }
  return c.json(errorBody('internal', 'something went wrong on our side; it has been logged'), 500);
}
