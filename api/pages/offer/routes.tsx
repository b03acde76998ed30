/**
 * The patient's pages, reached only through the unguessable, expiring token in their offer link. Each
 * answer goes to the transfer workflow as an Update, which checks it and records it before the page
 * redirects; a refusal (the offer has ended, the date has gone) is shown on the page, in words.
 */
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { audit } from '../../../db/repositories/audit';
import { latestBookingOfTransfer } from '../../../db/repositories/bookings';
import { currentChoicesWithDates, LIVE_BOOKING_STATUSES } from '../../../db/repositories/offer-choices';
import { findLiveOfferByToken } from '../../../db/repositories/offers';
import { hasAnswered } from '../../../db/repositories/responses';
import { getTransfer, getTransferRecipient, getTransferTimeline } from '../../../db/repositories/transfers';
import type { Offer, ResponseKind, Transfer } from '../../../db/schema';
import { dayOf } from '../../../domain/dates';
import { isWithdrawable, type TransferRefusal, type TransferStatus } from '../../../domain/transfer';
import { respondUpdate, withdrawUpdate } from '../../../workflows/messages';
import { acceptOffer } from '../../../services/offers';
import type { AppDeps } from '../../context';
import { DomainError } from '../../../domain/failures';
import { statusOf } from '../../errors';
import type { FieldError } from '../forms';
import { OFFER_PAGE_VERSION, OfferNotFoundPage, OfferPage } from './views';
import { updateTransfer } from '../../../services/workflow-updates';

/** How many dates each hospital offers on the page. */
const DATES_PER_SITE = 5;

const acceptForm = z.object({
  choice: z
    .string({ error: 'Choose a hospital and a date' })
    .regex(/^[A-Z0-9]{3,6}:[1-9][0-9]{0,17}$/, 'Choose a hospital and a date'),
  consent_transfer_of_care: z.literal('yes', { error: 'Tick to agree to your care moving, or decline below' }),
  consent_share_records: z.literal('yes', { error: 'Tick to agree to your records being shared, or decline below' }),
});
const reasonForm = z.object({ reason: z.string().trim().max(500, 'Keep the reason under 500 characters').optional() });

/** A form's fields as the patient sent them, to show again when their answer is not taken. */
type Submitted = Readonly<Record<string, string>>;

interface OfferContext {
  readonly offer: Offer;
  readonly transfer: Transfer;
}

export function offerPages(deps: AppDeps) {
  const app = new Hono();
  // Token pages are personal: never cached, never indexed.
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
  });

  async function resolve(token: string): Promise<OfferContext | undefined> {
    const offer = await findLiveOfferByToken(deps.db, token);
    const transfer = offer && (await getTransfer(deps.db, offer.transfer_id));
    return offer && transfer ? { offer, transfer } : undefined;
  }

  /** The page; re-rendered after an answer that was not taken, with the errors and the answer as the patient gave it. */
  async function render(
    c: Context,
    token: string,
    { offer, transfer }: OfferContext,
    { errors = [], submitted = {}, status = 200 }: { errors?: readonly FieldError[]; submitted?: Submitted; status?: ContentfulStatusCode } = {},
  ) {
    const recipient = await getTransferRecipient(deps.db, transfer.id);
    if (!recipient) return c.html(<OfferNotFoundPage />, 404);
    const today = dayOf(new Date());
    const [choices, booking, callback, timeline] = await Promise.all([
      transfer.state === 'offered' ? currentChoicesWithDates(deps.db, transfer.id, today, DATES_PER_SITE) : [],
      latestBookingOfTransfer(deps.db, transfer.id),
      deps.db.selectFrom('callback_tasks').select('id').where('transfer_id', '=', transfer.id).where('done_at', 'is', null).executeTakeFirst(),
      getTransferTimeline(deps.db, transfer.id),
    ]);
    const liveBooking = booking && (LIVE_BOOKING_STATUSES as readonly string[]).includes(booking.status) ? booking : null;
    await audit(deps.db, { actor: patientActor(offer), action: 'offer.view', subject: `transfer:${transfer.id}` });
    return c.html(
      <OfferPage
        token={token}
        givenName={recipient.givenName}
        trustName={recipient.trustName}
        clockStartDate={recipient.clockStartDate}
        state={transfer.state}
        respondBy={offer.expires_at}
        choices={choices}
        booking={liveBooking}
        canWithdraw={isWithdrawable(transfer.state) && liveBooking !== null && today < liveBooking.procedureDate}
        callbackRequested={callback !== undefined}
        errors={errors}
        submitted={submitted}
        timeline={timeline}
      />,
      status,
    );
  }

  /**
   * Handles one form: reads it, checks it, sends the answer to the workflow, and redirects to the
   * page; a form or a workflow that says no re-renders the page with what is wrong.
   */
  function answer<T>(
    action: ResponseKind,
    schema: z.ZodType<T>,
    send: (form: T, context: OfferContext) => Promise<TransferStatus>,
  ) {
    return async (c: Context) => {
      const token = c.req.param('token')!;
      const context = await resolve(token);
      if (!context) return c.html(<OfferNotFoundPage />, 404);
      const body = await c.req.parseBody();
      const submitted = Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'choice'), message: issue.message }));
        return render(c, token, context, { errors, submitted, status: 400 });
      }
      try {
        await send(parsed.data, context);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // The same answer again (a double click, the back button) was taken the first time: show where things stand.
        if (await hasAnswered(deps.db, context.transfer.id, action, context.offer.created_at)) return c.redirect(`/offer/${token}`, 303);
        const transfer = (await getTransfer(deps.db, context.transfer.id)) ?? context.transfer;
        return render(c, token, { ...context, transfer }, { errors: [{ field: 'choice', message: refusalInWords(error, deps.patientPhone) }], submitted, status: statusOf(error) });
      }
      return c.redirect(`/offer/${token}`, 303);
    };
  }

  /** How the answer came: the activity recording it audits it as this offer's patient. */
  const web = (offer: Offer) => ({ channel: 'web' as const, wordingVersion: OFFER_PAGE_VERSION, at: new Date().toISOString(), actor: patientActor(offer) });

  app.get('/:token', async (c) => {
    const token = c.req.param('token');
    const context = await resolve(token);
    return context ? render(c, token, context) : c.html(<OfferNotFoundPage />, 404);
  });

  app.post(
    '/:token/accept',
    answer('accept', acceptForm, (form, { transfer, offer }) => {
      const [siteOds, slotId] = form.choice.split(':') as [string, string];
      return acceptOffer(deps, transfer.workflow_id, {
        kind: 'accept',
        siteOds,
        slotId: Number(slotId),
        consents: { transferOfCare: true, shareRecords: true },
        ...web(offer),
      });
    }),
  );
  app.post(
    '/:token/decline',
    answer('decline', reasonForm, (form, { transfer, offer }) =>
      updateTransfer(deps, transfer.workflow_id, respondUpdate, [{ kind: 'decline', reason: form.reason || undefined, ...web(offer) }]),
    ),
  );
  app.post(
    '/:token/callback',
    answer('callback', z.object({}), (_form, { transfer, offer }) =>
      updateTransfer(deps, transfer.workflow_id, respondUpdate, [{ kind: 'callback', ...web(offer) }]),
    ),
  );
  app.post(
    '/:token/withdraw',
    answer('withdraw', reasonForm, (form, { transfer, offer }) =>
      updateTransfer(deps, transfer.workflow_id, withdrawUpdate, [{ reason: form.reason || undefined, ...web(offer) }]),
    ),
  );
  return app;
}

function patientActor(offer: Offer): string {
  return `patient:offer:${offer.id}`;
}

/** The workflow's refusals are written for staff; each reason is said to the patient plainly. */
const REFUSALS_IN_WORDS: Partial<Record<string, (phone: string) => string>> = {
  offer_not_open: () => 'This offer is no longer open, so your answer could not be taken.',
  transfer_closed: () => 'This offer is no longer open, so your answer could not be taken.',
  nothing_to_withdraw: () => 'Your booking can no longer be cancelled here. Please call us.',
  procedure_date_reached: () => 'Your booking can no longer be cancelled here. Please call us.',
  not_a_choice: () => 'That hospital is no longer one of your choices. Choose again.',
  slot_not_at_site: () => 'That date is not one of that hospital’s dates. Choose a hospital and a date again.',
  // Temporal or its workers did not answer in time: the answer may not have been taken, so say what to do.
  unavailable: (phone) => `We could not take your answer just now. Please try again, or call us on ${phone}.`,
} satisfies Partial<Record<TransferRefusal | 'transfer_closed' | 'slot_not_at_site' | 'unavailable', (phone: string) => string>>;

function refusalInWords(error: DomainError, phone: string): string {
  return REFUSALS_IN_WORDS[error.reason]?.(phone) ?? `Your answer could not be taken. Please try again, or call us on ${phone}.`;
}
