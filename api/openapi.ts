/**
 * Shared pieces of the OpenAPI document: the error body and the errors every route can give, path ids,
 * JSON bodies (strict, every one), a transfer's state, and the validation hook.
 */
import { z } from '@hono/zod-openapi';
import type { Hook, OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { idTextSchema } from '../domain/code-schemas';
import { TRANSFER_STATES } from '../domain/transfer';
import { unstorableText } from '../domain/text';
import { ApiError } from './errors';

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

export const TransferStateSchema = z.enum(TRANSFER_STATES).openapi('TransferState');

/** Every path's id, by the one rule of domain/codes.ts: `/transfers/0x10` is a 400 naming `id`, never transfer 16. */
export const IdParam = z.object({
  id: z.ZodType.prototype.openapi.call(idTextSchema, {
    param: { name: 'id', in: 'path' },
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    example: 1,
  }) as typeof idTextSchema,
});

/** Where a schema lets fields it does not name through: the dotted path of each such object ('' for the top). */
function lenientObjects(schema: z.core.$ZodType, path = ''): string[] {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  const inner = (...schemas: unknown[]) => schemas.flatMap((each) => (each instanceof z.core.$ZodType ? lenientObjects(each, path) : []));
  switch (def.type) {
    case 'object': {
      const { shape, catchall } = def;
      const own = catchall?._zod.def.type === 'never' ? [] : [path || '(body)'];
      return [...own, ...Object.entries(shape).flatMap(([key, field]) => lenientObjects(field, path ? `${path}.${key}` : key))];
    }
    case 'array':
      return inner(def.element);
    case 'record':
      return inner(def.valueType);
    case 'union':
      return inner(...def.options);
    case 'intersection':
      return inner(def.left, def.right);
    case 'pipe':
      return inner(def.in);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return inner(def.innerType);
    default:
      return [];
  }
}

/**
 * A JSON request body, strict at every depth: a field the API does not know is refused by name, never
 * ignored (a new transfer sent with `"state": "booked"` is a mistake to say, not a wish to drop). The
 * rule is checked here, as each route is made, so a body that would let one through stops the app
 * from starting, naming where.
 */
export function jsonBody<T extends z.ZodType, const Required extends boolean = true>(schema: T, required: Required = true as Required) {
  const lenient = lenientObjects(schema);
  if (lenient.length > 0) throw new Error(`a JSON body must refuse fields it does not know: make ${lenient.join(', ')} strict`);
  return { required, content: { 'application/json': { schema } } };
}

const NO_FIELDS = z.strictObject({});

/**
 * Reads the body of an operation that takes no fields (a pause, an approval): none, or `{}`. Any other
 * is refused, never ignored: `{` or `{"force": true}` must not pause a campaign. Sent empty, with or
 * without a JSON Content-Type (as `curl -H` sends it), it is no body.
 */
const refuseFields: MiddlewareHandler = async (c, next) => {
  const text = await c.req.text();
  if (text !== '') {
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) throw new HTTPException(415);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_request', 'invalid request: the body is not JSON; this operation takes no fields: send no body, or {}');
    }
    const parsed = NO_FIELDS.safeParse(body);
    if (!parsed.success) throw invalidRequest(parsed.error.issues);
  }
  await next();
};

/** The `request.body` and `middleware` of an operation that takes no fields, documented as such. */
export const noFields = {
  body: {
    required: false,
    description: 'This operation takes no fields: send no body, or {}',
    content: { 'application/json': { schema: { type: 'object' as const, additionalProperties: false, maxProperties: 0 } } },
  },
  middleware: refuseFields,
};

/** What a zod issue says of each field: an unknown field is named as the field, one detail each. */
function fieldProblems(issue: { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }) {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'is not a field of this request; remove it' }));
  }
  return [{ field: at.join('.') || '(body)', message: issue.message }];
}

/** The 400 for a zod failure, naming every field at fault. */
export function invalidRequest(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): ApiError {
  const details = issues.flatMap(fieldProblems);
  const summary = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
  return new ApiError(400, 'invalid_request', `invalid request: ${summary}`, details);
}

/** A page's path id, by IdParam's rule: otherwise a 400 naming the parameter. */
export function pathIdOf(value: string | undefined, name = 'id'): number {
  const parsed = idTextSchema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error.issues.map((issue) => ({ path: [name], message: issue.message })));
  return parsed.data;
}

/**
 * A schema made outside the web layer (the domain's rules), named in the OpenAPI document. zod copies
 * its methods onto each schema as it is made, so one made before @hono/zod-openapi extended zod has
 * no .openapi of its own: it is called from the prototype, which returns a documented copy.
 */
export function documented<T extends z.ZodType>(schema: T, name: string, metadata: Parameters<T['openapi']>[1] = {}): T {
  return z.ZodType.prototype.openapi.call(schema, name, metadata) as T;
}

/** Each string in a request that the database could not keep as given (domain/text.ts), with its dotted path and why. */
function unstorableStrings(value: unknown, at: readonly PropertyKey[] = []): { path: readonly PropertyKey[]; message: string }[] {
  if (typeof value === 'string') {
    const reason = unstorableText(value);
    return reason ? [{ path: at, message: reason }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => unstorableStrings(item, [...at, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => unstorableStrings(item, [...at, key]));
  return [];
}

/**
 * The OpenAPI routes' validation hook: a zod failure becomes invalidRequest. So does a string the
 * database cannot keep as given (a NUL, half a surrogate pair) anywhere in the request, whatever its
 * schema: no name, reason or code has any use for one, so it is refused by name here rather than
 * failing at the insert.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) throw invalidRequest(result.error.issues);
  const unstorable = unstorableStrings(result.data);
  if (unstorable.length > 0) throw invalidRequest(unstorable);
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
