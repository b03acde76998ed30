/**
 * The API's edges, through app.request() with no server: staff authentication and roles, scope,
 * error bodies for bad input and the body limit (health: test/operations/health.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';
import { createFund } from '../../db/repositories/funds';
import { createStaffUser, issueStaffToken, revokeStaffTokens } from '../../db/repositories/staff';
import { issueOfferToken } from '../../db/repositories/offers';
import { openTransferRow } from '../../db/repositories/transfers';
import type { StaffRole } from '../../db/schema';
import { addDays, dayOf } from '../../domain/dates';
import type { TestDatabase } from '../support/database';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
let database: TestDatabase;
let tokens: Record<StaffRole, string>;
let deps: AppDeps;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  deps = services.appDeps({ maxBodyBytes: 1_024, maxImportBytes: 1_000_000 });
  app = createApp(deps);
});

afterAll(async () => {
  await services?.close();
});

const post = (path: string, body: string, token?: string) =>
  app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

describe('staff access', () => {
  it('refuses a request with no token, or an unknown one, with 401', async () => {
    const none = await app.request('/api/v1/transfers/1');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('bearer token is required') } });

    const forged = await app.request('/api/v1/transfers/1', { headers: { authorization: 'Bearer bt_forged' } });
    expect(forged.status).toBe(401);
  });

  it('refuses a revoked or expired token', async () => {
    const user = await createStaffUser(database.db, { name: 'Short-lived', role: 'admin' });
    const expired = await issueStaffToken(database.db, user.id, 'test', new Date(Date.now() - 1_000));
    expect((await app.request('/api/v1/transfers/1', { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);

    const revoked = await issueStaffToken(database.db, user.id, 'revoke-me');
    expect((await app.request('/api/v1/transfers/1', { headers: { authorization: `Bearer ${revoked}` } })).status).toBe(404);
    await revokeStaffTokens(database.db, user.id, 'revoke-me');
    expect((await app.request('/api/v1/transfers/1', { headers: { authorization: `Bearer ${revoked}` } })).status).toBe(401);
  });

  it('lets only regional teams and admins start transfers', async () => {
    for (const role of ['clinician', 'provider', 'finance'] as const) {
      const response = await post('/api/v1/transfers', '{"pathwayId":1}', tokens[role]);
      expect(response.status, role).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });

  it('answers each endpoint only for the roles it is for', async () => {
    const today = dayOf(new Date());
    const endpoints: { method: 'GET' | 'POST'; path: string; body?: unknown; roles: readonly StaffRole[] }[] = [
      { method: 'POST', path: '/api/v1/transfers', body: { pathwayId: 3, fundId: 1 }, roles: ['regional', 'admin'] },
      { method: 'POST', path: '/api/v1/transfers/999/review', body: { decision: 'confirm' }, roles: ['clinician'] },
      { method: 'POST', path: '/api/v1/transfers/review/confirm', body: { transferIds: [999] }, roles: ['clinician'] },
      { method: 'GET', path: '/api/v1/bookings', roles: ['provider', 'admin'] },
      { method: 'POST', path: '/api/v1/bookings/999/decision', body: { decision: 'accept' }, roles: ['provider', 'admin'] },
      { method: 'POST', path: '/api/v1/bookings/999/outcome', body: { outcome: 'did_not_attend' }, roles: ['provider', 'admin'] },
      { method: 'GET', path: '/api/v1/print-batches/RWE', roles: ['clinician', 'regional', 'admin'] },
      { method: 'GET', path: '/api/v1/transfers', roles: ['regional', 'clinician', 'admin'] },
      { method: 'GET', path: '/api/v1/transfers/review/queue', roles: ['clinician'] },
      { method: 'GET', path: '/api/v1/callbacks', roles: ['regional', 'clinician', 'admin'] },
      { method: 'POST', path: '/api/v1/callbacks/999/done', roles: ['regional', 'clinician', 'admin'] },
      { method: 'GET', path: '/api/v1/funds', roles: ['finance', 'regional', 'admin'] },
      { method: 'GET', path: '/api/v1/funds/1', roles: ['finance', 'regional', 'admin'] },
      { method: 'GET', path: '/api/v1/funds/1/movements', roles: ['finance', 'regional', 'admin'] },
      { method: 'GET', path: '/api/v1/funds/1/reconciliation', roles: ['finance', 'regional', 'admin'] },
      {
        method: 'POST',
        path: '/api/v1/funds',
        // The fixture's fund: a second of that name is refused with 409 once the role is let in.
        body: { name: 'Midlands elective recovery 2026/27', allocationPence: 100, windowFrom: '2026-12-01', windowTo: '2027-03-31', regionCode: 'Y60' },
        roles: ['finance', 'admin'],
      },
      { method: 'POST', path: '/api/v1/funds/999/claims-run', roles: ['finance', 'admin'] },
      { method: 'GET', path: '/api/v1/claims', roles: ['finance', 'admin'] },
      { method: 'GET', path: '/api/v1/claims/lines', roles: ['finance', 'admin'] },
      { method: 'GET', path: '/api/v1/claims/claims.csv', roles: ['finance', 'admin'] },
      { method: 'GET', path: '/api/v1/claims/lines.csv', roles: ['finance', 'admin'] },
      { method: 'POST', path: '/api/v1/claims/999/approve', roles: ['finance', 'admin'] },
      { method: 'POST', path: '/api/v1/claims/999/reject', body: { reason: 'coding query' }, roles: ['finance', 'admin'] },
      { method: 'POST', path: '/api/v1/claims/999/paid', roles: ['finance', 'admin'] },
      { method: 'GET', path: '/api/v1/campaigns', roles: ['regional', 'finance', 'admin'] },
      { method: 'GET', path: '/api/v1/campaigns/999', roles: ['regional', 'finance', 'admin'] },
      {
        method: 'POST',
        path: '/api/v1/campaigns',
        // A dry run: counted, nothing written, once the role is let in.
        body: { name: 'Access', regionCode: 'Y60', trusts: ['RWE'], treatmentFunctions: ['110'], fundId: 1, period: { from: addDays(today, 7), to: addDays(today, 90) }, maxOffers: 1, dryRun: true },
        roles: ['regional', 'admin'],
      },
      { method: 'GET', path: '/api/v1/campaigns/999/report', roles: ['regional', 'finance', 'admin'] },
      { method: 'GET', path: '/api/v1/campaigns/999/report.csv', roles: ['regional', 'finance', 'admin'] },
      { method: 'GET', path: '/api/v1/campaigns/999/equity.csv', roles: ['regional', 'finance', 'admin'] },
      { method: 'POST', path: '/api/v1/campaigns/999/pause', roles: ['regional', 'admin'] },
      { method: 'POST', path: '/api/v1/campaigns/999/resume', roles: ['regional', 'admin'] },
      { method: 'POST', path: '/api/v1/campaigns/999/cancel', roles: ['regional', 'admin'] },
      { method: 'GET', path: '/api/v1/capacity', roles: ['regional', 'provider', 'admin'] },
      { method: 'GET', path: '/api/v1/audit', roles: ['admin'] },
    ];
    for (const endpoint of endpoints) {
      for (const role of Object.keys(tokens) as StaffRole[]) {
        const response = await app.request(endpoint.path, {
          method: endpoint.method,
          headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
          ...(endpoint.body ? { body: JSON.stringify(endpoint.body) } : {}),
        });
        const allowed = endpoint.roles.includes(role);
        if (allowed) expect([200, 202, 404, 409], `${endpoint.method} ${endpoint.path} as ${role}`).toContain(response.status);
        else expect(response.status, `${endpoint.method} ${endpoint.path} as ${role}`).toBe(403);
      }
    }
  });

  it('lists only the transfers in the caller’s scope', async () => {
    // One open transfer at each fixture trust, as the workflow's first activity would record them.
    for (const pathwayId of [1, 3]) {
      await openTransferRow(database.db, { pathwayId, fundId: 1, period: null, workflowId: `scope-${pathwayId}`, runId: `scope-${pathwayId}` });
    }
    const trustsSeenBy = async (token: string, query = '') => {
      const response = await app.request(`/api/v1/transfers${query}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return [...new Set(((await response.json()) as { transfers: { trustOds: string }[] }).transfers.map((transfer) => transfer.trustOds))].sort();
    };
    expect(await trustsSeenBy(tokens.admin)).toEqual(['RRK', 'RWE']);
    expect(await trustsSeenBy(tokens.clinician)).toEqual(['RWE']);
    expect(await trustsSeenBy(tokens.regional, '?trust=RRK')).toEqual(['RRK']);
    const london = await createStaffUser(database.db, { name: 'London list', role: 'regional', region_code: 'Y56' });
    expect(await trustsSeenBy(await issueStaffToken(database.db, london.id, 'test'))).toEqual([]);
    const other = await app.request('/api/v1/transfers?trust=RRK', { headers: { authorization: `Bearer ${tokens.clinician}` } });
    expect(other.status).toBe(403);
  });

  it('hides pathways outside the caller’s region', async () => {
    const london = await createStaffUser(database.db, { name: 'London team', role: 'regional', region_code: 'Y56' });
    const token = await issueStaffToken(database.db, london.id, 'test');
    const response = await post('/api/v1/transfers', '{"pathwayId":1,"fundId":1}', token);
    expect(response.status).toBe(404);
  });

  it('starts no transfer on a fund that does not exist or does not pay for the pathway', async () => {
    const unknown = await post('/api/v1/transfers', '{"pathwayId":1,"fundId":9999}', tokens.admin);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: 'fund 9999 not found' } });
    const { id: birmingham } = await createFund(database.db, {
      name: 'Birmingham only',
      allocationPence: 1_000_000,
      windowFrom: '2026-01-01',
      windowTo: '2027-12-31',
      regionCode: null,
      trusts: [{ trustOds: 'RRK', allocationPence: null }],
      treatmentFunctions: [],
    });
    // Pathway 1 is at RWE, which the fund does not pay for.
    const outOfScope = await post('/api/v1/transfers', JSON.stringify({ pathwayId: 1, fundId: birmingham }), tokens.admin);
    expect(outOfScope.status).toBe(422);
    expect(await outOfScope.json()).toMatchObject({ error: { code: 'fund_out_of_scope', message: 'Birmingham only does not pay for trust RWE' } });
    expect(await database.db.selectFrom('transfers').select('id').where('fund_id', 'in', [9999, birmingham]).execute()).toEqual([]);
  });
});

describe('patient links', () => {
  const form = (body: Record<string, string>) => ({
    method: 'POST',
    body: new URLSearchParams(body).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

  it('opens only with a live token: a forged or expired one shows the expired page and reveals nothing', async () => {
    const transfer = await openTransferRow(database.db, { pathwayId: 2, fundId: 1, period: null, workflowId: 'links-2', runId: 'links-2' });
    const live = await issueOfferToken(database.db, transfer.id, new Date(Date.now() + 86_400_000));
    const expired = await issueOfferToken(database.db, transfer.id, new Date(Date.now() - 1_000));
    const page = await app.request(`/offer/${live}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-cache');
    expect(await page.text()).toContain('Hello David');
    for (const token of [expired, 'o_forged', `${live.slice(0, -2)}xx`]) {
      const refused = await app.request(`/offer/${token}`);
      expect(refused.status, token).toBe(404);
      const text = await refused.text();
      expect(text).toContain('This link has expired or is not valid');
      expect(text).not.toContain('David');
      expect((await app.request(`/offer/${token}/decline`, form({ reason: 'x' }))).status).toBe(404);
    }
  });

  it('takes no answer for a transfer that has ended, and says so on the page', async () => {
    // The transfer row exists but its workflow does not (ended, or never ran): the Update is refused.
    const transfer = await database.db.selectFrom('transfers').select('id').where('workflow_id', '=', 'links-2').executeTakeFirstOrThrow();
    const token = await issueOfferToken(database.db, transfer.id, new Date(Date.now() + 86_400_000));
    const response = await app.request(`/offer/${token}/decline`, form({}));
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('This offer is no longer open');
    expect(await database.db.selectFrom('patient_responses').selectAll().where('transfer_id', '=', transfer.id).execute()).toEqual([]);
  });

  it('names what is missing from an acceptance, and sends nothing', async () => {
    const transfer = await database.db.selectFrom('transfers').select('id').where('workflow_id', '=', 'links-2').executeTakeFirstOrThrow();
    await database.db.updateTable('transfers').set({ state: 'offered' }).where('id', '=', transfer.id).execute();
    const token = await issueOfferToken(database.db, transfer.id, new Date(Date.now() + 86_400_000));
    const response = await app.request(`/offer/${token}/accept`, form({ choice: 'NT350:1', consent_transfer_of_care: 'yes' }));
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('nhsuk-error-summary');
    expect(text).toContain('href="#consent_share_records"');
    expect(text).not.toContain('href="#consent_transfer_of_care"');
  });
});

describe('bad input', () => {
  it('names the field at fault', async () => {
    const response = await post('/api/v1/transfers', '{"pathwayId":-3}', tokens.admin);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { field: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details[0]!.field).toBe('pathwayId');
  });

  it('answers malformed JSON with 400, an oversized body with 413, an unknown route with 404', async () => {
    expect((await post('/api/v1/transfers', '{"pathwayId":', tokens.admin)).status).toBe(400);
    const big = await post('/api/v1/transfers', JSON.stringify({ pathwayId: 1, padding: 'x'.repeat(2_000) }), tokens.admin);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await app.request('/api/v1/nothing-here')).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('describes the routes and the bearer scheme', async () => {
    const document = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown>; components: { securitySchemes: unknown } };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/api/v1/transfers', '/api/v1/transfers/{id}']));
    expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
  });
});
