/** The staff pages: signed in with a staff token kept in an httpOnly, same-site cookie. */
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { audit } from '../../db/repositories/audit';
import { reviewQueue } from '../../db/repositories/review-queue';
import { findStaffUserByToken } from '../../db/repositories/staff';
import type { StaffUser } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { shortfallQuerySchema, shortfallReport } from '../../reports/shortfall';
import { requireRole, requireStaffPage, STAFF_COOKIE, staffActor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { invalidRequest } from '../openapi';
import { ReviewPage, type ReviewPageProps } from '../pages/review';
import { confirmCandidates, reviewCandidate } from '../reviews';
import { ShortfallPage, SignInPage } from '../pages/staff';
import { scopedShortfallQuery } from './shortfalls';

/** Only same-site paths: never send a signed-in person to another site. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/staff\/[\w\-/?=&.%]*$/.test(next) ? next : '/staff/shortfalls');

export function staffPages(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/sign-in', (c) => c.html(<SignInPage next={safeNext(c.req.query('next'))} />));
  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const next = safeNext(form.next);
    const staff = token ? await findStaffUserByToken(deps.db, token) : undefined;
    if (!staff) {
      return c.html(<SignInPage next={next} error={token ? 'That token is not recognised, or has expired' : 'Enter your staff access token'} />, 401);
    }
    setCookie(c, STAFF_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:',
      path: '/',
      maxAge: 12 * 3600,
    });
    return c.redirect(next, 303);
  });
  app.post('/sign-out', (c) => {
    deleteCookie(c, STAFF_COOKIE, { path: '/' });
    return c.redirect('/staff/sign-in', 303);
  });

  app.use('*', requireStaffPage(deps.db));
  app.get('/shortfalls', requireRole('regional', 'finance', 'admin'), async (c) => {
    const parsed = shortfallQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw invalidRequest(parsed.error.issues);
    const query = scopedShortfallQuery(c.get('staff'), parsed.data);
    return c.html(<ShortfallPage staff={c.get('staff')} report={await shortfallReport(deps.db, query)} />);
  });

  app.get('/review', requireRole('clinician'), async (c) => c.html(await reviewPage(c.get('staff'))));
  app.post('/review/confirm', requireRole('clinician'), async (c) => {
    const staff = c.get('staff');
    const ids = (await c.req.parseBody({ all: true })).transferIds;
    const transferIds = (Array.isArray(ids) ? ids : ids === undefined ? [] : [ids]).map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
    if (transferIds.length === 0) throw new ApiError(400, 'invalid_request', 'Select at least one candidate to confirm');
    const results = await confirmCandidates(deps, staff, transferIds);
    const outcome = { confirmed: results.filter((result) => result.state).length, failed: results.filter((result) => result.error) };
    return c.html(await reviewPage(staff, outcome));
  });
  app.post('/review/:id/refuse', requireRole('clinician'), async (c) => {
    const reason = (await c.req.parseBody()).reason;
    if (typeof reason !== 'string' || !reason.trim()) throw new ApiError(400, 'invalid_request', 'A refusal needs a reason');
    await reviewCandidate(deps, c.get('staff'), Number(c.req.param('id')), { decision: 'refuse', reason: reason.trim().slice(0, 500) });
    return c.redirect('/staff/review', 303);
  });

  async function reviewPage(staff: StaffUser, outcome?: ReviewPageProps['outcome']) {
    const candidates = await reviewQueue(deps.db, staff.trust_ods!);
    // The queue shows patients' details: reading it is audited.
    await audit(deps.db, { actor: staffActor(staff), action: 'review-queue.view', subject: `trust:${staff.trust_ods}`, detail: { candidates: candidates.length } });
    return <ReviewPage staff={staff} today={dayOf(new Date())} candidates={candidates} outcome={outcome} />;
  }
  return app;
}
