/** The patient's pages, reached only through the unguessable, expiring token in their offer link. */
import { Hono } from 'hono';
import { audit } from '../../db/repositories/audit';
import { findLiveOfferByToken } from '../../db/repositories/offers';
import { getTransfer, getTransferRecipient, getTransferTimeline } from '../../db/repositories/transfers';
import type { AppDeps } from '../context';
import { OfferNotFoundPage, OfferPage } from '../pages/offer';

export function offerPages(deps: AppDeps) {
  const app = new Hono();
  // Token pages are personal: never cached, never indexed.
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
  });

  app.get('/:token', async (c) => {
    const offer = await findLiveOfferByToken(deps.db, c.req.param('token'));
    const transfer = offer && (await getTransfer(deps.db, offer.transfer_id));
    const recipient = offer && (await getTransferRecipient(deps.db, offer.transfer_id));
    if (!offer || !transfer || !recipient) return c.html(<OfferNotFoundPage />, 404);
    const timeline = await getTransferTimeline(deps.db, offer.transfer_id);
    await audit(deps.db, { actor: `patient:offer:${offer.id}`, action: 'offer.view', subject: `transfer:${transfer.id}` });
    return c.html(
      <OfferPage
        givenName={recipient.givenName}
        trustName={recipient.trustName}
        clockStartDate={recipient.clockStartDate}
        state={transfer.state}
        respondBy={offer.expires_at}
        timeline={timeline}
      />,
    );
  });
  return app;
}
