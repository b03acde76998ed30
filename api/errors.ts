/**
 * Every API error has the body `{ "error": { "code", "message", "details"? } }`. Expected failures are
 * thrown as ApiError; app.onError turns everything else into a 500 without leaking internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
};

export function errorResponse(c: Context, error: Error): Response {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return c.json(errorBody(CODE_BY_STATUS[status] ?? 'error', error.message || 'request failed'), status);
  }
  return c.json(errorBody('internal', 'something went wrong on our side; it has been logged'), 500);
}
