/**
 * The page benchmark's baselines, in a process of their own as the API is: bare Hono on the same
 * server adapter, answering the offer page (GET /offer/:token) with the bytes the API served for it,
 * and its accept form (POST /offer/:token/accept) by reading the form and redirecting to the page.
 *
 * - MODE=ceiling: nothing else; what serving these bytes costs at all.
 * - MODE=floor: also one indexed read (the offer by its token's hash) and one audit insert, both
 *   prepared, on the same PostgreSQL (DATABASE_URL, a pool of DATABASE_POOL_SIZE): what any correct
 *   page pays, since it must find the offer and record that it was read.
 *
 * Configured by PORT, MODE and PAGE_FILE (the page's bytes); prints READY_LINE once listening.
 */
import { readFile } from 'node:fs/promises';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { hashToken } from '../db/tokens';
import { READY_LINE } from './processes';

const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} must be set`); })();

const page = await readFile(env('PAGE_FILE'));
const pool = env('MODE') === 'floor' ? new pg.Pool({ connectionString: env('DATABASE_URL'), max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }) : undefined;

/** The floor's database work: the offer by its token, and the audit of the read. */
async function readAndAudit(token: string): Promise<void> {
  if (!pool) return;
  const { rows } = await pool.query<{ id: number; transfer_id: number }>({
    name: 'offer-by-token',
    text: 'select id, transfer_id from offers where token_hash = $1 and expires_at > now()',
    values: [hashToken(token)],
  });
  const offer = rows[0];
  await pool.query({
    name: 'audit',
    text: 'insert into audit_log (actor, action, subject, detail) values ($1, $2, $3, $4)',
    values: [`patient:offer:${offer?.id}`, 'offer.view', `transfer:${offer?.transfer_id}`, '{}'],
  });
}

const app = new Hono();
app.get('/offer/:token', async (c) => {
  await readAndAudit(c.req.param('token'));
  return c.body(page, 200, { 'content-type': 'text/html; charset=UTF-8', 'cache-control': 'no-store' });
});
app.post('/offer/:token/accept', async (c) => {
  await c.req.parseBody();
  await readAndAudit(c.req.param('token'));
  return c.redirect(`/offer/${c.req.param('token')}`, 303);
});

const server = serve({ fetch: app.fetch, port: Number(env('PORT')), hostname: '127.0.0.1' }, () => console.log(READY_LINE));
process.once('SIGTERM', () => {
  server.close();
  void pool?.end();
  process.exit(0);
});
