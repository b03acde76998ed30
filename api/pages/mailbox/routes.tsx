/** The embedded run's mailbox: what the SMTP catcher received. Only mounted when the catcher is in use. */
import { Hono } from 'hono';
import { getDevMail, listDevMail } from '../../../db/repositories/dev-mailbox';
import type { AppDeps } from '../../context';
import { pathIdOf } from '../../openapi';
import { MailboxPage, MailPage } from './views';

export function devMailboxPages(deps: AppDeps) {
  const app = new Hono();
  app.get('/', async (c) => c.html(<MailboxPage mails={await listDevMail(deps.db)} />));
  app.get('/:id', async (c) => {
    const mail = await getDevMail(deps.db, pathIdOf(c.req.param('id')));
    return mail ? c.html(<MailPage mail={mail} />) : c.notFound();
  });
  return app;
}
