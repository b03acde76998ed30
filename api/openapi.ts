/** Shared pieces of the OpenAPI document: the error body and the errors every route can give, path ids, a transfer's state, and the validation hook. */
import { z } from '@hono/zod-openapi';
import type { Hook, OpenAPIHono } from '@hono/zod-openapi';
import { TRANSFER_STATES } from '../domain/transfer';
import { ApiError } from './errors';

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

export const TransferStateSchema = z.enum(TRANSFER_STATES).openapi('TransferState');

export const IdParam = z.object({
  id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

/** The 400 for a zod failure, naming every field at fault. */
export function invalidRequest(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ApiError {
  const details = issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message }));
  const summary = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
  return new ApiError(400, 'invalid_request', `invalid request: ${summary}`, details);
}

/**
 * A schema made outside the web layer (the domain's rules), named in the OpenAPI document. zod copies
 * its methods onto each schema as it is made, so one made before @hono/zod-openapi extended zod has
 * no .openapi of its own: it is called from the prototype, which returns a documented copy.
 */
export function documented<T extends z.ZodType>(schema: T, name: string, metadata: Parameters<T['openapi']>[1] = {}): T {
  return z.ZodType.prototype.openapi.call(schema, name, metadata) as T;
}

/** The OpenAPI routes' validation hook: a zod failure becomes invalidRequest. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) throw invalidRequest(result.error.issues);
};

const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

/**
 * Documents on every /api/v1 operation the answers the layers around its handler give, unless it
 * documents its own: no valid staff token (401), a role or scope that does not allow it (403), input
 * that fails its schema (400), a body over the limit (413). Called once the routes are mounted.
 */
export function documentStaffErrors(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const definition of registry.definitions) {
    if (definition.type !== 'route' || !definition.route.path.startsWith('/api/v1/')) continue;
    const { request, responses } = definition.route;
    definition.route.responses = {
      ...(request ? { 400: error('The request is invalid; the details name each field at fault') } : {}),
      401: error('No staff bearer token, or one that is unknown, expired or revoked'),
      403: error('Your role or scope does not allow this'),
      ...(request?.body ? { 413: error('The body is larger than the limit') } : {}),
      ...responses,
    };
  }
}
