import type { Context } from 'hono';
import { Unavailable } from '../../domain/failures';
import { statusOf } from '../errors';
import { Layout } from './layout';

const TITLES: Partial<Record<number, string>> = {
  400: 'There is a problem with that request',
  403: 'You cannot see this page',
  404: 'Page not found',
  409: 'That could not be done',
  413: 'That is too large',
  422: 'There is a problem with what you entered',
  503: 'That could not be done just now',
};

/** Errors on pages are pages too; the message is the one meant for people, never internals. */
export function errorPage(c: Context, error: Error): Response | Promise<Response> {
  const status = statusOf(error);
  const title = TITLES[status] ?? 'Sorry, there is a problem with the service';
  // An Unavailable says what to do (try again shortly); any other fault's words are internals.
  const message = status < 500 || error instanceof Unavailable ? error.message : 'Try again later. The problem has been logged.';
  return c.html(
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
    </Layout>,
    status,
  );
}
