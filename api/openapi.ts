/** Shared pieces of the OpenAPI document: the error body, path ids, and the validation hook. */
import { z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import { ApiError } from './errors';

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

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
