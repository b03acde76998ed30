/** The messages that did not reach patients, for admins (/staff/messages), mounted inside the staff pages behind their sign-in. */
import { Hono } from 'hono';
import { undeliveredMessages } from '../../../db/repositories/delivery-receipts';
import { requireRole } from '../../auth';
import type { AppDeps, AppEnv } from '../../context';
import { UndeliveredMessagesPage } from './views';

/** How many the page lists: enough for a day's failures; Prometheus (backlog_messages_undelivered) counts them all. */
const LIMIT = 200;

export function messagePages(deps: AppDeps) {
  return new Hono<AppEnv>().get('/messages', requireRole('admin'), async (c) =>
    c.html(<UndeliveredMessagesPage staff={c.get('staff')} messages={await undeliveredMessages(deps.db, LIMIT)} limit={LIMIT} />),
  );
}
