/**
 * The patient's pages, reached only through the unguessable, expiring token in their offer link. Each
 * answer goes to the transfer workflow as an Update, which checks it and records it before the page
 * redirects; a refusal (the offer has ended, the date has gone) is shown on the page, in words.
 */
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { type OfferPageData, offerPageByToken, patientActor } from '../../../db/repositories/offer-page';
import { findLiveOfferByToken } from '../../../db/repositories/offers';
import { hasAnswered } from '../../../db/repositories/responses';
import { getTransfer } from '../../../db/repositories/transfers';
import type { Offer, ResponseKind, Transfer } from '../../../db/schema';
import { dayOf } from '../../../domain/dates';
import { isWithdrawable, REASON_MAX_LENGTH, REASON_TOO_LONG, transferReference, type TransferRefusal, type TransferStatus } from '../../../domain/transfer';
import { respondUpdate, withdrawUpdate } from '../../../workflows/messages';
import { acceptOffer } from '../../../services/offers';
import type { AppDeps } from '../../context';
import { DomainError } from '../../../domain/failures';
import { statusOf } from '../../errors';
import type { FieldError } from '../forms';
import { type ContactOption, ContactPage, ContactSavedPage, ConfirmationPage, OFFER_PAGE_VERSION, OfferNotFoundPage, OfferPage, WithdrawCheckPage } from './views';
import { choosePatientChannel, type PatientContactDetails, patientContactByToken } from '../../../db/repositories/patient-contact';
import { maskedEmail, maskedPhone, PATIENT_CHANNELS, type PatientChannel, patientChannels } from '../../../domain/channels';
import { updateTransfer } from '../../../services/workflow-updates';

const acceptForm = z.object({
  choice: z
    .string({ error: 'Choose a hospital and a date' })
    .regex(/^[A-Z0-9]{3,6}:[1-9][0-9]{0,17}$/, 'Choose a hospital and a date'),
  consent_transfer_of_care: z.literal('yes', { error: 'Tick to agree to your care moving, or decline below' }),
  consent_share_records: z.literal('yes', { error: 'Tick to agree to your records being shared, or decline below' }),
});
const reasonForm = z.object({ reason: z.string().trim().max(REASON_MAX_LENGTH, REASON_TOO_LONG).optional() });
/** A withdrawal is sent from its check step ("Are you sure?"), which says so. */
const withdrawForm = reasonForm.extend({ confirm: z.literal('yes', { error: 'Confirm that you want to cancel your treatment' }) });
const responseKindSchema = z.enum(['accept', 'decline', 'callback', 'withdraw']);
const CHOOSE_CHANNEL = 'Choose how we should contact you';
const contactForm = z.object({ channel: z.enum(PATIENT_CHANNELS, { error: CHOOSE_CHANNEL }) });

/** A form's fields as the patient sent them, to show again when their answer is not taken. */
type Submitted = Readonly<Record<string, string>>;

/** How a page is shown: plainly, or again after an answer that was not taken (its errors, what was sent, its status). */
interface Showing {
  readonly errors?: readonly FieldError[];
  readonly submitted?: Submitted;
  readonly status?: ContentfulStatusCode;
}

interface OfferContext {
  readonly offer: Offer;
  readonly transfer: Transfer;
}

/**
 * Which build of the page's markup an ETag was made by: a browser's copy from before a release (a
 * restart) is built afresh, since the page may say something new about the same data.
 */
const PAGE_BUILD = new Date().toISOString();

export function offerPages(deps: AppDeps) {
  const app = new Hono();
  // Token pages are personal: never indexed, never kept by a shared cache, and a browser that keeps one
  // asks again before showing it (its ETag then saves building the page again). Set before the page is
  // made, so every answer (an error's too) is made with them: a header set on a finished answer makes
  // @hono/node-server rebuild it and stream its body, which cost the busiest page a fifth of its time.
  app.use('*', async (c, next) => {
    c.header('Cache-Control', 'private, no-cache');
    c.header('X-Robots-Tag', 'noindex');
    await next();
  });

  async function resolve(token: string): Promise<OfferContext | undefined> {
    const offer = await findLiveOfferByToken(deps.db, token);
    const transfer = offer && (await getTransfer(deps.db, offer.transfer_id));
    return offer && transfer ? { offer, transfer } : undefined;
  }

  /**
   * The page, read with one statement that also audits the view; re-rendered after an answer that was
   * not taken, with the errors and the answer as the patient gave it. A plain view carries an ETag of
   * what it shows, so a browser showing it again is answered 304 without the page being built.
   */
  async function render(
    c: Context,
    token: string,
    { errors = [], submitted = {}, status = 200 }: Showing = {},
  ) {
    const today = dayOf(new Date());
    const page = await offerPageByToken(deps.db, token, today);
    if (!page) return notFound(c);
    if (status === 200) {
      const etag = `"${createHash('sha256').update(`${PAGE_BUILD}\n${OFFER_PAGE_VERSION}\n${today}\n${JSON.stringify(page)}`).digest('base64url')}"`;
      c.header('ETag', etag);
      if (c.req.method === 'GET' && c.req.header('if-none-match')?.split(/\s*,\s*/).includes(etag)) return c.body(null, 304);
    }
    return c.html(
      <OfferPage
        token={token}
        phone={deps.patientPhone}
        treatedOn={page.treatedOn}
        givenName={page.givenName}
        trustName={page.trustName}
        clockStartDate={page.clockStartDate}
        state={page.state}
        respondBy={page.respondBy}
        choices={page.choices}
        booking={page.booking}
        canWithdraw={canWithdraw(page, today)}
        callbackRequested={page.callbackRequested}
        errors={errors}
        submitted={submitted}
        timeline={page.timeline}
      />,
      status,
    );
  }

  /**
   * Handles one form: reads it, checks it, sends the answer to the workflow, and redirects to its
   * confirmation; a form or a workflow that says no shows the form's page again with what is wrong.
   */
  function answer<T>(
    action: ResponseKind,
    schema: z.ZodType<T>,
    send: (form: T, context: OfferContext) => Promise<TransferStatus>,
    reshow: typeof render = render,
  ) {
    return async (c: Context) => {
      const token = c.req.param('token')!;
      const context = await resolve(token);
      if (!context) return notFound(c);
      const body = await c.req.parseBody();
      const submitted = Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'choice'), message: issue.message }));
        return reshow(c, token, { errors, submitted, status: 400 });
      }
      try {
        await send(parsed.data, context);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // The same answer again (a double click, the back button) was taken the first time: show where things stand.
        if (await hasAnswered(deps.db, context.transfer.id, action, context.offer.created_at)) return c.redirect(`/offer/${token}/answered/${action}`, 303);
        return reshow(c, token, { errors: [{ field: 'choice', message: refusalInWords(error, deps.patientPhone) }], submitted, status: statusOf(error) });
      }
      return c.redirect(`/offer/${token}/answered/${action}`, 303);
    };
  }

  /** How the answer came: the activity recording it audits it as this offer's patient. */
  const web = (offer: Offer) => ({ channel: 'web' as const, wordingVersion: OFFER_PAGE_VERSION, at: new Date().toISOString(), actor: patientActor(offer.id) });

  const notFound = (c: Context) => c.html(<OfferNotFoundPage phone={deps.patientPhone} />, 404);

  /** The check step before a withdrawal, while there is a booking to cancel; the page otherwise. */
  async function renderWithdrawCheck(
    c: Context,
    token: string,
    { errors = [], submitted = {}, status = 200 }: Showing = {},
  ) {
    const today = dayOf(new Date());
    const page = await offerPageByToken(deps.db, token, today);
    if (!page) return notFound(c);
    if (!page.booking || !canWithdraw(page, today)) return c.redirect(`/offer/${token}`, 303);
    return c.html(
      <WithdrawCheckPage token={token} phone={deps.patientPhone} booking={page.booking} trustName={page.trustName} errors={errors} submitted={submitted} />,
      status,
    );
  }

  /** The ways the patient's details allow, in the usual order, each with where it goes; the one we use now chosen. */
  function contactChoices(details: PatientContactDetails) {
    const channels = patientChannels(details, { sms: Boolean(deps.textMessages) });
    const options = PATIENT_CHANNELS.filter((channel) => channels.includes(channel)).map((channel) => contactOption(channel, details));
    return { options, chosen: channels[0]! };
  }

  // How we contact the patient: their choice among the channels their details allow, stored and audited.
  app.get('/:token/contact', async (c) => {
    const token = c.req.param('token');
    const details = await patientContactByToken(deps.db, token);
    if (!details) return notFound(c);
    return c.html(<ContactPage token={token} phone={deps.patientPhone} {...contactChoices(details)} errors={[]} />);
  });
  app.post('/:token/contact', async (c) => {
    const token = c.req.param('token');
    const details = await patientContactByToken(deps.db, token);
    if (!details) return notFound(c);
    const choices = contactChoices(details);
    const parsed = contactForm.safeParse(await c.req.parseBody());
    if (!parsed.success || !choices.options.some((option) => option.channel === parsed.data.channel)) {
      return c.html(<ContactPage token={token} phone={deps.patientPhone} {...choices} errors={[{ field: 'channel', message: CHOOSE_CHANNEL }]} />, 400);
    }
    await choosePatientChannel(deps.db, details, parsed.data.channel);
    return c.redirect(`/offer/${token}/contact/saved`, 303);
  });
  // The confirmation, from what is stored: a refresh shows it again, and claims nothing that is not so.
  app.get('/:token/contact/saved', async (c) => {
    const token = c.req.param('token');
    const details = await patientContactByToken(deps.db, token);
    if (!details) return notFound(c);
    const { options } = contactChoices(details);
    const saved = options.find((option) => option.channel === details.contactChannel);
    if (!saved) return c.redirect(`/offer/${token}/contact`, 303);
    return c.html(<ContactSavedPage token={token} phone={deps.patientPhone} option={saved} />);
  });

  app.get('/:token', (c) => render(c, c.req.param('token')));
  app.get('/:token/withdraw', (c) => renderWithdrawCheck(c, c.req.param('token')));

  // The confirmation of an answer, once the records show it taken; where things stand otherwise (a date
  // that had gone by the time it was held reopens the offer, say).
  app.get('/:token/answered/:answer', async (c) => {
    const token = c.req.param('token');
    const answered = responseKindSchema.safeParse(c.req.param('answer'));
    if (!answered.success) return c.redirect(`/offer/${token}`, 303);
    const page = await offerPageByToken(deps.db, token, dayOf(new Date()));
    if (!page) return notFound(c);
    const taken: Record<ResponseKind, boolean> = {
      accept: isWithdrawable(page.state),
      decline: page.state === 'declined',
      callback: page.callbackRequested,
      withdraw: page.state === 'withdrawn',
    };
    if (!taken[answered.data]) return c.redirect(`/offer/${token}`, 303);
    return c.html(
      <ConfirmationPage
        answer={answered.data}
        token={token}
        phone={deps.patientPhone}
        reference={transferReference(page.transferId)}
        trustName={page.trustName}
        chosen={page.chosen}
      />,
    );
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
    answer(
      'withdraw',
      withdrawForm,
      (form, { transfer, offer }) => updateTransfer(deps, transfer.workflow_id, withdrawUpdate, [{ reason: form.reason || undefined, ...web(offer) }]),
      renderWithdrawCheck,
    ),
  );
  return app;
}

/**
 * The short form of a patient's link, for text messages: /o/<token> leads to the page, /offer/<token>,
 * which alone reads the token (and audits the view), so the page behaves as it always has. The token is
 * not looked at here: an unknown one meets the page's own "not found".
 */
export function offerShortLinks() {
  const app = new Hono();
  app.get('/:token', (c) => {
    c.header('Cache-Control', 'private, no-cache');
    c.header('X-Robots-Tag', 'noindex');
    return c.redirect(`/offer/${encodeURIComponent(c.req.param('token'))}`, 302);
  });
  return app;
}

/** A channel as the page offers it, with where it goes, partly hidden. */
function contactOption(channel: PatientChannel, details: PatientContactDetails): ContactOption {
  const where = { sms: () => `to ${maskedPhone(details.phone!)}`, email: () => `to ${maskedEmail(details.email!)}`, letter: () => 'by post to your home address' };
  return { channel, where: where[channel]() };
}

/** Whether the page offers to cancel: a booking that stands, before its day (the workflow checks the same). */
function canWithdraw(page: OfferPageData, today: string): boolean {
  return isWithdrawable(page.state) && page.booking !== null && today < page.booking.procedureDate;
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
