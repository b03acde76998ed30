/** The staff pages: signed in with a staff token kept in an httpOnly, same-site cookie. */
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import { audit } from '../../../db/repositories/audit';
import { findStaffUserByToken } from '../../../db/repositories/staff';
import type { ReviewCandidate } from '../../../db/repositories/review-queue';
import type { StaffUser } from '../../../db/schema';
import { type DatePart, dayOf, readDateFields } from '../../../domain/dates';
import type { OutcomeRecord, ProviderDecision } from '../../../domain/transfer';
import { DomainError, NotFound } from '../../../domain/failures';
import { providerDecisionSchema, recordableOutcomeSchema, reviewDecisionSchema } from '../../../domain/transfer-schemas';
import { shortfallQuerySchema, shortfallReport } from '../../../reports/shortfall';
import { staffActor } from '../../../services/access';
import { bookingsInScope, decideBooking, recordBookingOutcome } from '../../../services/bookings';
import { confirmCandidates, reviewCandidate, reviewedTransfersOf, reviewQueueOf } from '../../../services/reviews';
import { requireRole, requireStaffPage, STAFF_COOKIE } from '../../auth';
import type { AppDeps, AppEnv } from '../../context';
import { statusOf } from '../../errors';
import { pathIdOf } from '../../openapi';
import { idTextSchema } from '../../../domain/code-schemas';
import { AcceptCheckPage, BookingsPage, type BookingsPageProps } from './bookings';
import { dateError, dateFieldsOf, type FieldError, fieldErrorsOf } from '../forms';
import { reasonId, type ReviewDecided, ReviewPage, type ReviewPageProps, selectId, whyNotReviewed } from './review';
import { STAFF_LINKS } from '../staff-layout';
import { ShortfallPage, SignInPage } from './views';
import { campaignPages } from '../campaigns/routes';
import { financePages } from '../finance/routes';
import { auditPages } from '../audit/routes';
import { messagePages } from '../messages/routes';
import { scopedShortfallQuery } from '../../routes/shortfalls';

/** Only same-site paths: never send a signed-in person to another site. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/staff\/[\w\-/?=&.%]*$/.test(next) ? next : undefined);

/** The shortfall form's problems in words, one per field. */
const SHORTFALL_FORM_WORDS = {
  from: 'Enter the first month as a year and month, for example 2026-04, no later than the last month',
  to: 'Enter the last month as a year and month, for example 2026-09',
  tolerance: 'Enter the tolerance as a share between 0 and 0.5, for example 0.05 for 5%',
  region: 'Enter the region as its 3-character code, for example Y60',
  asOf: 'Enter the day waiting times are measured to as year, month and day, for example 2026-09-30',
};

/** The ids in a comma-separated list, each read as a path's id is; anything else is left out. */
function idListOf(text: string | undefined): number[] {
  const ids = (text ?? '').split(',').map((part) => idTextSchema.safeParse(part));
  return [...new Set(ids.flatMap((id) => (id.success ? [id.data] : [])))];
}
const optionalText = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
type FormBody = Record<string, unknown>;

/** A problem with a bookings form, at the form's field of that name (a field of the date input at its parts). */
interface FormIssue {
  readonly field: string;
  readonly message: string;
  readonly parts?: readonly DatePart[];
}
type FormReading<T> = { readonly data: T } | { readonly issues: readonly FormIssue[] };

/** The bookings page's forms name their fields as people read them; the rules are the domain's (domain/transfer.ts). */
const OUTCOME_FORM_FIELDS: Readonly<Record<string, string>> = { procedureCode: 'procedure_code', treatedOn: 'treated_on' };
const formIssuesOf = (issues: readonly z.core.$ZodIssue[]): FormIssue[] =>
  issues.map((issue) => ({ field: OUTCOME_FORM_FIELDS[String(issue.path[0])] ?? String(issue.path[0]), message: issue.message }));

function decisionOf(form: FormBody): FormReading<ProviderDecision> {
  const parsed = providerDecisionSchema.safeParse({ decision: form.decision, reason: optionalText(form.reason) });
  return parsed.success ? { data: parsed.data } : { issues: formIssuesOf(parsed.error.issues) };
}

/**
 * An outcome as the form sends it: the date treated typed in the date input is read into a day first
 * (domain/dates.ts), then the outcome checked by the domain's rules, every problem found at once.
 */
function outcomeOf(form: FormBody, today: string): FormReading<OutcomeRecord> {
  const treated = form.outcome === 'treated';
  const date = treated ? readDateFields(dateFieldsOf(form, 'treated_on'), 'the date treated') : { day: undefined };
  const parsed = recordableOutcomeSchema(today).safeParse({
    outcome: form.outcome,
    ...(treated ? { procedureCode: optionalText(form.procedure_code), treatedOn: 'day' in date ? date.day : undefined } : {}),
    reason: optionalText(form.reason),
  });
  if ('problem' in date) {
    const others = parsed.success ? [] : formIssuesOf(parsed.error.issues).filter((issue) => issue.field !== 'treated_on');
    return { issues: [...others, { field: 'treated_on', message: date.problem, parts: date.parts }] };
  }
  return parsed.success ? { data: parsed.data } : { issues: formIssuesOf(parsed.error.issues) };
}
/** The bookings page's fields, whose ids are the name and the booking's id; any other problem points at the booking's row. */
const BOOKING_FIELDS = new Set(['reason', 'outcome', 'procedure_code']);

/** A problem with a booking's form as the page shows it: at its field, in the summary naming the booking. */
function bookingError(bookingId: number, issue: FormIssue, prefix: string): FieldError {
  const message = `${prefix}${issue.message}`;
  if (issue.field === 'treated_on') return dateError(`treated_on-${bookingId}`, message, issue.parts);
  return { field: BOOKING_FIELDS.has(issue.field) ? `${issue.field}-${bookingId}` : `booking-${bookingId}`, message };
}

export function staffPages(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/sign-in', (c) => c.html(<SignInPage next={safeNext(c.req.query('next')) ?? ''} />));
  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const next = safeNext(form.next);
    const staff = token ? await findStaffUserByToken(deps.db, token) : undefined;
    if (!staff) {
      return c.html(<SignInPage next={next ?? ''} error={token ? 'That token is not recognised, or has expired' : 'Enter your staff access token'} />, 401);
    }
    setCookie(c, STAFF_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:',
      path: '/',
      maxAge: 12 * 3600,
    });
    return c.redirect(next ?? STAFF_LINKS[staff.role][0].href, 303);
  });
  app.post('/sign-out', (c) => {
    deleteCookie(c, STAFF_COOKIE, { path: '/' });
    return c.redirect('/staff/sign-in', 303);
  });

  app.use('*', requireStaffPage(deps.db));
  app.route('/', financePages(deps));
  app.route('/', campaignPages(deps));
  app.route('/', auditPages(deps));
  app.route('/', messagePages(deps));
  app.get('/shortfalls', requireRole('regional', 'finance', 'admin'), async (c) => {
    const staff = c.get('staff');
    const parsed = shortfallQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const errors = fieldErrorsOf(parsed.error.issues, SHORTFALL_FORM_WORDS);
      return c.html(<ShortfallPage staff={staff} entered={c.req.query()} errors={errors} />, 400);
    }
    const report = await shortfallReport(deps.db, scopedShortfallQuery(staff, parsed.data));
    return c.html(<ShortfallPage staff={staff} entered={{ from: report.query.from, to: report.query.to, tolerance: String(report.query.tolerance) }} report={report} />);
  });

  app.get('/review', requireRole('clinician'), async (c) => {
    const refused = idTextSchema.safeParse(c.req.query('refused'));
    const confirmed = idListOf(c.req.query('confirmed'));
    const decided = refused.success
      ? { decision: 'refused' as const, transferIds: [refused.data] }
      : confirmed.length
        ? { decision: 'confirmed' as const, transferIds: confirmed }
        : undefined;
    return c.html(await reviewPage(c.get('staff'), { decided }));
  });
  app.post('/review/confirm', requireRole('clinician'), async (c) => {
    const staff = c.get('staff');
    const ids = (await c.req.parseBody({ all: true })).transferIds;
    const transferIds = idListOf((Array.isArray(ids) ? ids : ids === undefined ? [] : [ids]).filter((id) => typeof id === 'string').join(','));
    if (transferIds.length === 0) {
      return c.html(await reviewPage(staff, { errors: (candidates) => [{ field: candidates[0] ? selectId(candidates[0].transferId) : 'maincontent', message: 'Select at least one candidate to confirm' }] }), 400);
    }
    // Each is confirmed or not on its own; the page it leads to says which, from how each stands.
    await confirmCandidates(deps, staff, transferIds);
    return c.redirect(`/staff/review?confirmed=${transferIds.join(',')}`, 303);
  });
  app.post('/review/:id/refuse', requireRole('clinician'), async (c) => {
    const staff = c.get('staff');
    const transferId = pathIdOf(c.req.param('id'));
    const reason = (await c.req.parseBody()).reason;
    const submitted = { transferId, reason: typeof reason === 'string' ? reason : '' };
    const refusal = reviewDecisionSchema.safeParse({ decision: 'refuse', reason: optionalText(reason) });
    // The error points at the candidate's reason, or, when they are no longer in the queue, at the page.
    const refused = async (message: (name: string) => string, status: ContentfulStatusCode, name = `Transfer ${transferId}`) => {
      const errors = (candidates: readonly ReviewCandidate[]) => {
        const candidate = candidates.find((entry) => entry.transferId === transferId);
        return [{ field: candidate ? reasonId(transferId) : 'maincontent', message: message(candidate?.patientName ?? name) }];
      };
      return c.html(await reviewPage(staff, { submitted, errors }), status);
    };
    if (!refusal.success) return refused((name) => `${name}: ${refusal.error.issues[0]!.message}`, 400);
    try {
      await reviewCandidate(deps, staff, transferId, refusal.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const [transfer] = await reviewedTransfersOf(deps, staff, [transferId]);
      const why = whyNotReviewed(transfer, staffActor(staff), error.message);
      return refused((name) => `${name} could not be refused: ${why}`, statusOf(error), transfer?.patientName);
    }
    return c.redirect(`/staff/review?refused=${transferId}`, 303);
  });

  app.get('/bookings', requireRole('provider', 'admin'), async (c) =>
    c.html(await bookingsPage(c.get('staff'), { changedId: idTextSchema.safeParse(c.req.query('changed')).data })),
  );
  /** The check before accepting: the booking as it stands, and the button that accepts it. */
  app.get('/bookings/:id/accept', requireRole('provider', 'admin'), async (c) => {
    const bookingId = pathIdOf(c.req.param('id'));
    const [booking] = await bookingsInScope(deps, c.get('staff'), { bookingId });
    if (!booking) throw new NotFound(`booking ${bookingId} not found at your sites`);
    return c.html(<AcceptCheckPage staff={c.get('staff')} booking={booking} />, booking.status === 'requested' ? 200 : 409);
  });
  app.post(
    '/bookings/:id/decision',
    requireRole('provider', 'admin'),
    async (c, next) => {
      // An acceptance is sent from its check step, which says so; without it, the check step is shown first.
      const form = await c.req.parseBody();
      if (form.decision === 'accept' && form.confirm !== 'yes') return c.redirect(`/staff/bookings/${pathIdOf(c.req.param('id'))}/accept`, 303);
      return next();
    },
    bookingChange(decisionOf, (staff, bookingId, form) =>
      decideBooking(deps, staff, bookingId, form.decision === 'accept' ? { decision: 'accept' } : { decision: 'reject', reason: form.reason }),
    ),
  );
  app.post(
    '/bookings/:id/outcome',
    requireRole('provider', 'admin'),
    bookingChange(outcomeOf, (staff, bookingId, form) => recordBookingOutcome(deps, staff, bookingId, form)),
  );

  /**
   * Handles one booking form: reads it, checks it, makes the change through services/bookings.ts (as the
   * API does) and redirects to the page, which confirms the change and says how the booking now
   * stands; a form that is wrong, or a change that is refused, re-renders the page with what is
   * wrong, at the field at fault, and what was entered.
   */
  function bookingChange<T>(parse: (form: FormBody, today: string) => FormReading<T>, change: (staff: StaffUser, bookingId: number, form: T) => Promise<unknown>) {
    return async (c: Context<AppEnv>) => {
      const staff = c.get('staff');
      const bookingId = pathIdOf(c.req.param('id'));
      const body = await c.req.parseBody();
      const values = Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const submitted = { bookingId, values };
      const read = parse(body, dayOf(deps.clock()));
      if ('issues' in read) {
        const errors = read.issues.map((issue) => bookingError(bookingId, issue, `Booking ${bookingId}: `));
        return c.html(await bookingsPage(staff, { errors, submitted }), 400);
      }
      try {
        await change(staff, bookingId, read.data);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const issue = { field: OUTCOME_FORM_FIELDS[error.field ?? ''] ?? 'booking', message: error.message };
        return c.html(await bookingsPage(staff, { errors: [bookingError(bookingId, issue, `Booking ${bookingId} could not be changed: `)], submitted }), statusOf(error));
      }
      return c.redirect(`/staff/bookings?changed=${bookingId}`, 303);
    };
  }

  async function bookingsPage(
    staff: StaffUser,
    options: { changedId?: number; errors?: readonly FieldError[]; submitted?: BookingsPageProps['submitted'] } = {},
  ) {
    const [requested, accepted, changed] = await Promise.all([
      bookingsInScope(deps, staff, { status: 'requested' }),
      bookingsInScope(deps, staff, { status: 'accepted' }),
      options.changedId === undefined ? [] : bookingsInScope(deps, staff, { bookingId: options.changedId }),
    ]);
    // The page is how a provider learns of its bookings: reading it is audited, as the review queue is.
    await audit(deps.db, {
      actor: staffActor(staff),
      action: 'bookings.view',
      subject: `provider:${staff.provider_ods ?? 'all'}`,
      detail: { requested: requested.length, accepted: accepted.length },
    });
    return <BookingsPage staff={staff} requested={requested} accepted={accepted} changed={changed[0]} errors={options.errors} submitted={options.submitted} />;
  }

  /**
   * The queue, with what the last decision did or what is wrong with the form just sent; the errors
   * are written once the queue is read, so they can name the patient and point at the field.
   */
  async function reviewPage(
    staff: StaffUser,
    options: {
      decided?: Omit<ReviewDecided, 'transfers'>;
      errors?: (candidates: readonly ReviewCandidate[]) => FieldError[];
      submitted?: ReviewPageProps['submitted'];
    } = {},
  ) {
    const [candidates, transfers] = await Promise.all([
      reviewQueueOf(deps, staff),
      options.decided ? reviewedTransfersOf(deps, staff, options.decided.transferIds) : [],
    ]);
    return (
      <ReviewPage
        staff={staff}
        today={dayOf(new Date())}
        candidates={candidates}
        errors={options.errors?.(candidates)}
        submitted={options.submitted}
        decided={options.decided && { ...options.decided, transfers }}
      />
    );
  }
  return app;
}
