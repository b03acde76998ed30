import type { Context } from 'hono';
import { Unavailable } from '../../domain/failures';
import { RoleRefused } from '../auth';
import type { AppEnv } from '../context';
import { statusOf } from '../errors';
import { Layout } from './layout';
import { ROLE_WORDS, STAFF_LINKS, StaffLayout } from './staff-layout';

const TITLES: Partial<Record<number, string>> = {
  400: 'There is a problem with that request',
  403: 'You cannot see this page',
  404: 'Page not found',
  409: 'That could not be done',
  413: 'That is too large',
  422: 'There is a problem with what you entered',
  503: 'That could not be done just now',
};

const listFormat = new Intl.ListFormat('en-GB', { type: 'conjunction' });

/**
 * Errors on pages are pages too; the message is the one meant for people, never internals. Under
 * /staff the page keeps the staff header (who is signed in, their pages), and a page refused for the
 * role says whom it is for and where this person's own pages are.
 */
export function errorPage(c: Context<AppEnv>, error: Error): Response | Promise<Response> {
  const status = statusOf(error);
  const title = TITLES[status] ?? 'Sorry, there is a problem with the service';
  // An Unavailable says what to do (try again shortly); any other fault's words are internals.
  const message = status < 500 || error instanceof Unavailable ? error.message : 'Try again later. The problem has been logged.';
  if (!c.req.path.startsWith('/staff/')) {
    return c.html(
      <Layout title={title}>
        <h1>{title}</h1>
        <p>{message}</p>
      </Layout>,
      status,
    );
  }
  const staff = c.get('staff') as AppEnv['Variables']['staff'] | undefined;
  return c.html(
    <StaffLayout title={title} staff={staff}>
      <h1>{title}</h1>
      {error instanceof RoleRefused ? (
        <p>
          This page is for {listFormat.format(error.roles.map((role) => ROLE_WORDS[role].many))}. You are signed in as {ROLE_WORDS[error.role].one}.
        </p>
      ) : (
        <p>{message}</p>
      )}
      {staff ? (
        <>
          <h2 class="nhsuk-heading-s">Your pages</h2>
          <ul class="nhsuk-list">
            {STAFF_LINKS[staff.role].map((link) => (
              <li>
                <a href={link.href}>{link.label}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </StaffLayout>,
    status,
  );
}
