/**
 * POST /callbacks/notify: GOV.UK Notify's delivery receipts for the text messages, email and letters
 * it sent for us. Notify signs nothing: the service gives Notify a bearer token (NOTIFY_CALLBACK_TOKEN)
 * and Notify sends it with every callback, so the token is the whole of the authentication, compared in
 * constant time. Mounted only when the token is set (see api/app.ts).
 *
 * The body is Notify's delivery receipt. Fields Notify adds in future are let through, not refused:
 * a refusal would lose receipts (Notify does not retry a 4xx). Every field we read is checked, and a
 * bad one is a 400 naming it.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { idTextSchema } from '../../domain/code-schemas';
import { DELIVERY_STATUSES } from '../../domain/delivery';
import { MESSAGE_CHANNELS } from '../../db/schema';
import { takeDeliveryReceipt } from '../../services/delivery-receipts';
import { bearerToken, sameSecret } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { invalidRequest } from '../openapi';

const timestamp = z.iso.datetime({ offset: true, error: 'must be a time as Notify writes it, e.g. 2017-05-14T12:15:30.000000Z' });

/** Notify's delivery receipt (its callback documentation's message format). */
export const NotifyReceiptSchema = z.object({
  id: z.uuid({ error: 'must be Notify’s notification id (a UUID)' }),
  reference: z.string({ error: 'must be the reference we gave Notify' }).pipe(idTextSchema),
  to: z.string().nullish(),
  status: z.enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(', ')}` }),
  created_at: timestamp,
  completed_at: timestamp.nullish(),
  sent_at: timestamp.nullish(),
  notification_type: z.enum(MESSAGE_CHANNELS, { error: `must be one of ${MESSAGE_CHANNELS.join(', ')}` }),
  template_id: z.uuid({ error: 'must be a template id (a UUID)' }).nullish(),
  template_version: z.number().int().nullish(),
});

export function notifyReceiptRoutes(deps: AppDeps, callbackToken: string) {
  return new Hono<AppEnv>().post('/notify', async (c) => {
    if (!sameSecret(bearerToken(c), callbackToken)) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthorized', 'a delivery receipt needs the callback bearer token set in Notify (NOTIFY_CALLBACK_TOKEN)');
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, 'invalid_request', 'invalid request: the body is not JSON');
    }
    const parsed = NotifyReceiptSchema.safeParse(body);
    if (!parsed.success) throw invalidRequest(parsed.error.issues);
    const receipt = parsed.data;
    const taken = await takeDeliveryReceipt(deps, {
      messageId: receipt.reference,
      source: { by: 'notify', notifyId: receipt.id },
      channel: receipt.notification_type,
      status: receipt.status,
      // When Notify reached the status; a receipt without it is taken as of now.
      at: receipt.completed_at ? new Date(receipt.completed_at) : deps.clock(),
    });
    return c.json(taken, 200);
  });
}
