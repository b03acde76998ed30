/**
 * The admin's audit search, as JSON (GET /api/v1/audit) and as a page (/staff/audit): each filter,
 * days in England, keyset pages that neither repeat nor skip entries sharing a time, admins only, bad
 * parameters named, and every search itself audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { StaffRole } from '../../db/schema';
import type { TestDatabase } from '../support/database';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
let database: TestDatabase;
let tokens: Record<StaffRole, string>;
let app: ReturnType<typeof createApp>;

/** The entries this file writes, ids by name. */
const ids: Record<string, number> = {};

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  app = createApp(services.appDeps());
  const rows: [name: string, at: string, actor: string, action: string, subject: string][] = [
    // Seven entries written in the same microsecond, as one statement's rows are.
    ...Array.from({ length: 7 }, (_, index) => [`same${index}`, '2030-06-10 12:00:00.123456+00', 'test:keyset', 'test.same', `transfer:${index}`] as [string, string, string, string, string]),
    ['before', '2030-06-10 12:00:00.123455+00', 'test:keyset', 'test.same', 'transfer:7'],
    ['after', '2030-06-10 12:00:00.123457+00', 'test:keyset', 'test.same', 'transfer:8'],
    // 23:30 UTC on 1 June is 00:30 on 2 June in England (BST).
    ['lateJune1Utc', '2030-06-01 23:30:00+00', 'staff:901', 'booking.accept', 'booking:5'],
    ['june1', '2030-06-01 10:00:00+00', 'staff:902', 'booking.reject', 'booking:5'],
    ['may', '2030-05-20 10:00:00+00', 'staff:901', 'transfer.start', 'pathway:3'],
  ];
  for (const [name, at, actor, action, subject] of rows) {
    const { id } = await database.db.insertInto('audit_log').values({ at, actor, action, subject, detail: JSON.stringify({ name }) }).returning('id').executeTakeFirstOrThrow();
    ids[name] = id;
  }
});

afterAll(async () => {
  await services?.close();
});

interface Entry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

async function search(query: string, token = tokens.admin) {
  const response = await app.request(`/api/v1/audit${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as { entries: Entry[]; next: string | null; error?: { message: string; details?: unknown } } };
}

const names = (entries: Entry[]) => entries.map((entry) => entry.detail.name);

describe('GET /api/v1/audit', () => {
  it('filters by actor, subject, action and days in England, newest first', async () => {
    expect(names((await search('?actor=staff:901')).body.entries)).toEqual(['lateJune1Utc', 'may']);
    expect(names((await search('?subject=booking:5')).body.entries)).toEqual(['lateJune1Utc', 'june1']);
    expect(names((await search('?action=transfer.start')).body.entries)).toEqual(['may']);
    expect(names((await search('?subject=booking:5&actor=staff:902')).body.entries)).toEqual(['june1']);
    expect(names((await search('?subject=booking:5&from=2030-06-02&to=2030-06-02')).body.entries)).toEqual(['lateJune1Utc']);
    expect(names((await search('?subject=booking:5&to=2030-06-01')).body.entries)).toEqual(['june1']);
    const { body } = await search('?action=transfer.start');
    expect(body.entries[0]).toEqual({ id: ids.may, at: '2030-05-20T10:00:00.000Z', actor: 'staff:901', action: 'transfer.start', subject: 'pathway:3', detail: { name: 'may' } });
    expect(body.next).toBeNull();
  });

  it('pages by keyset with neither repeats nor gaps among entries that share a time', async () => {
    const all = (await search('?actor=test:keyset&limit=500')).body.entries.map((entry) => entry.id);
    expect(all).toHaveLength(9);
    // Newest first; the seven of one microsecond by id, newest id first.
    expect(all).toEqual([ids.after, ...[6, 5, 4, 3, 2, 1, 0].map((index) => ids[`same${index}`]), ids.before]);

    const paged: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await search(`?actor=test:keyset&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      paged.push(...body.entries.map((entry) => entry.id));
      cursor = body.next;
      pages++;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(pages).toBe(5);
  });

  it('writes each search to the audit log, with its filters', async () => {
    await search('?subject=pathway:3');
    const admin = await database.db.selectFrom('staff_users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow();
    const { body } = await search(`?action=audit.search&actor=staff:${admin.id}&limit=1`);
    // A search is written once it has read: the newest is the one before.
    expect(body.entries[0]).toMatchObject({ subject: 'audit_log', detail: { subject: 'pathway:3' } });
    const after = await search(`?action=audit.search&actor=staff:${admin.id}&limit=1`);
    expect(after.body.entries[0]!.detail).toEqual({ action: 'audit.search', actor: `staff:${admin.id}` });
  });

  it('is for admins only', async () => {
    for (const role of ['regional', 'clinician', 'provider', 'finance'] as const) expect((await search('', tokens[role])).status, role).toBe(403);
    expect((await app.request('/api/v1/audit')).status).toBe(401);
  });

  it('names the parameter at fault', async () => {
    const cases: [query: string, status: number, field: string][] = [
      ['?limit=0', 400, 'limit'],
      ['?limit=501', 400, 'limit'],
      ['?from=2030-13-01', 400, 'from'],
      ['?to=yesterday', 400, 'to'],
      ['?actor=', 400, 'actor'],
      ['?from=2030-06-02&to=2030-06-01', 422, 'to'],
      ['?cursor=not-a-cursor', 422, 'cursor'],
      [`?cursor=${Buffer.from(JSON.stringify(['1 June', 5])).toString('base64url')}`, 422, 'cursor'],
    ];
    for (const [query, status, field] of cases) {
      const response = await search(query);
      expect(response.status, query).toBe(status);
      expect(response.body.error!.details, query).toEqual([expect.objectContaining({ field })]);
    }
  });
});

describe('the audit page', () => {
  const page = async (query: string, token = tokens.admin) => {
    const response = await app.request(`/staff/audit${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, html: await response.text() };
  };

  it('shows the filter form and the entries found, with a link to the next page that keeps the filters', async () => {
    const first = await page('?actor=test%3Akeyset&action=&limit=4');
    expect(first.status).toBe(200);
    expect(first.html).toContain('<form method="get" action="/staff/audit"');
    expect(first.html).toContain('value="test:keyset"');
    expect(first.html.match(/<tr role="row" class="nhsuk-table__row" data-id=/g)).toHaveLength(4);
    const next = /<a class="nhsuk-pagination__link nhsuk-pagination__link--next" href="([^"]+)"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/staff\/audit\?actor=test%3Akeyset&limit=4&cursor=/);

    const second = await page(next!.slice('/staff/audit'.length));
    const shown = (html: string) => [...html.matchAll(/data-id="(\d+)"/g)].map((match) => Number(match[1]));
    expect([...shown(first.html), ...shown(second.html)]).toEqual((await search('?actor=test:keyset&limit=8')).body.entries.map((entry) => entry.id));
  });

  it('shows the form again with what is wrong at its field', async () => {
    const wrong = await page('?from=2030-02-30');
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('nhsuk-error-summary');
    expect(wrong.html).toContain('href="#from"');
    expect(wrong.html).toContain('value="2030-02-30"');
  });

  it('is for admins only, and in their links', async () => {
    expect((await page('', tokens.regional)).status).toBe(403);
    expect((await page('')).html).toContain('href="/staff/audit"');
  });
});
