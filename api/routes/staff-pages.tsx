/** The staff pages: signed in with a staff token kept in an httpOnly, same-site cookie. */
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { findStaffUserByToken } from '../../db/repositories/staff';
import { shortfallQuerySchema, shortfallReport } from '../../reports/shortfall';
import { requireRole, requireStaffPage, STAFF_COOKIE } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { invalidRequest } from '../openapi';
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
  return app;
}
