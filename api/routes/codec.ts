/**
 * Temporal's remote codec protocol, so the Temporal UI and `temporal workflow show --codec-endpoint
 * <base>/codec` show an admin the payloads in clear: POST /codec/decode takes Payloads as protobuf
 * JSON (every bytes field base64) and answers the same shape, decoded (services/codec.ts).
 *
 * There is no /encode: encrypted payloads come from this service's own client and worker only, so no
 * one holding a token can hand a workflow input the API never checked. CORS lets in the configured
 * Temporal UI origin alone, with the Authorization and X-Namespace headers, and with credentials: the
 * UI sends the staff sign-in cookie when its codec setting "Include cross-origin credentials" is on.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { decodePayloads } from '../../services/codec';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ErrorSchema, jsonBody, validationHook } from '../openapi';

/** Protobuf JSON writes bytes as base64, standard or URL-safe, padded or not. */
const isBase64 = (text: string) => /^[A-Za-z0-9+/_-]*={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
const Base64 = z.string().refine(isBase64, 'must be base64, as protobuf JSON writes bytes');

const PayloadSchema = z
  .strictObject({
    metadata: z.record(z.string(), Base64).nullish().openapi({ example: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' } }),
    data: Base64.nullish(),
  })
  .openapi('Payload');

const PayloadsSchema = z.strictObject({ payloads: z.array(PayloadSchema) }).openapi('Payloads');

const decode = createRoute({
  method: 'post',
  path: '/decode',
  operationId: 'decodePayloads',
  tags: ['operator'],
  summary: "Decrypt Temporal payloads for the Temporal UI or CLI (Temporal's remote codec protocol); admins only",
  description: 'Every decode is written to the audit log (who, the namespace, how many payloads), never what the payloads hold.',
  security: [{ bearer: [] }],
  request: {
    headers: z.object({ 'x-namespace': z.string().min(1).optional().openapi({ description: 'The namespace the payloads were read from' }) }),
    body: jsonBody(PayloadsSchema),
  },
  responses: {
    200: { description: 'The payloads in clear, in order', content: { 'application/json': { schema: PayloadsSchema } } },
    400: { description: 'Not JSON, or not Payloads as protobuf JSON; the field is named', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'Only admins may read payloads', content: { 'application/json': { schema: ErrorSchema } } },
    415: { description: 'The body is not sent as application/json', content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: 'A payload cannot be decrypted, or is from another namespace; the field is named', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const fromBase64 = (text: string) => Buffer.from(text, 'base64');
const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function codecRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // hono's cors admits any origin when given none: without a UI origin, no cross-origin call is let in.
  if (deps.temporalUiOrigin) {
    app.use(
      '*',
      cors({
        origin: deps.temporalUiOrigin,
        allowMethods: ['POST'],
        allowHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
        credentials: true,
        maxAge: 600,
      }),
    );
  }
  app.use('/decode', requireStaff(deps.db, { cookie: true }), requireRole('admin'));

  app.openapi(decode, async (c) => {
    const decoded = await decodePayloads(deps, c.get('staff'), {
      namespace: c.req.valid('header')['x-namespace'],
      payloads: c.req.valid('json').payloads.map(({ metadata, data }) => ({
        metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, fromBase64(value)])),
        data: fromBase64(data ?? ''),
      })),
    });
    const payloads = decoded.map(({ metadata, data }) => ({
      metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, toBase64(value)])),
      data: toBase64(data ?? new Uint8Array()),
    }));
    return c.json({ payloads }, 200);
  });
  return app;
}
