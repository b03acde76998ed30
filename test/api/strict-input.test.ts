/**
 * Input is read strictly (issue 16): a path id is `^[1-9][0-9]*$` or a 400 naming it, on the API and
 * on the staff pages, so a mistyped id never reaches another record; a JSON body with a field the API
 * does not know is refused naming that field; and an operation that takes no fields still reads its
 * body, so `{` never pauses a campaign. Nothing is written by a refused request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { StaffRole } from '../../db/schema';
import { FIXTURE_FUND_ID } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await startTestServices();
  app = createApp(services.appDeps());
});

afterAll(async () => {
  await services?.close();
});

const request = (role: StaffRole, method: string, path: string, body?: string, type = 'application/json') =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${services.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body }),
  });

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: readonly { field: string; message: string }[] };
}

async function refusal(response: Response): Promise<ErrorBody['error']> {
  expect(response.status, await response.clone().text()).toBe(400);
  return ((await response.json()) as ErrorBody).error;
}

const transferCount = async () => (await services.database.db.selectFrom('transfers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;

describe('a path id', () => {
  // 16 is 0x10, 10 is 1e1; 1 is +1, 01 and " 1": each resolved to a record before.
  const LENIENT = ['0x10', '1e1', '+1', '01', '%201', '1.0', '0', '-1', '9007199254740993'];

  it.each(LENIENT)('%s is a 400 naming the id on the API, not a record', async (id) => {
    const error = await refusal(await request('admin', 'GET', `/api/v1/transfers/${id}`));
    expect(error.details).toEqual([{ field: 'id', message: expect.stringMatching(/id/) }]);
    const cancel = await refusal(await request('admin', 'POST', `/api/v1/campaigns/${id}/cancel`));
    expect(cancel.message).toMatch(/^invalid request: id: /);
  });

  it.each(['0x10', '01', '1e1'])('%s is a 400 naming the id on the staff pages', async (id) => {
    for (const path of [`/staff/funds/${id}`, `/staff/claims/${id}`, `/staff/campaigns/${id}`]) {
      const response = await request('admin', 'GET', path);
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toContain('id: must be an id');
    }
    const refuse = await app.request(`/staff/review/${id}/refuse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${services.tokens.clinician}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=Not+fit',
    });
    expect(refuse.status).toBe(400);
  });

  it('of the right form still finds the record', async () => {
    expect((await request('admin', 'GET', `/api/v1/funds/${FIXTURE_FUND_ID}`)).status).toBe(200);
    expect((await request('admin', 'GET', `/staff/funds/${FIXTURE_FUND_ID}`)).status).toBe(200);
  });
});

describe('a JSON body', () => {
  it('with a field the API does not know is a 400 naming the field, and starts nothing', async () => {
    const before = await transferCount();
    const error = await refusal(await request('regional', 'POST', '/api/v1/transfers', JSON.stringify({ pathwayId: 1, fundId: FIXTURE_FUND_ID, state: 'booked' })));
    expect(error.details).toEqual([{ field: 'state', message: 'is not a field of this request; remove it' }]);
    expect(await transferCount()).toBe(before);
  });

  it('is strict at every depth, and on the bodies the domain shares with the workflows', async () => {
    const fund = { name: 'Strict', allocationPence: 100, windowFrom: '2027-01-01', windowTo: '2027-02-01', trusts: [{ trustOds: 'RWE', share: 1 }] };
    expect((await refusal(await request('admin', 'POST', '/api/v1/funds', JSON.stringify(fund)))).details).toEqual([
      { field: 'trusts.0.share', message: 'is not a field of this request; remove it' },
    ]);
    const review = await refusal(await request('clinician', 'POST', '/api/v1/transfers/1/review', JSON.stringify({ decision: 'confirm', reviewer: 'someone else' })));
    expect(review.details).toEqual([{ field: 'reviewer', message: 'is not a field of this request; remove it' }]);
    const outcome = await refusal(await request('provider', 'POST', '/api/v1/bookings/1/outcome', JSON.stringify({ outcome: 'cancelled', providerOds: 'NT3' })));
    expect(outcome.details).toEqual([{ field: 'providerOds', message: 'is not a field of this request; remove it' }]);
  });

  it('of an operation that takes no fields is read: malformed or with fields is a 400; none, empty or {} is no body', async () => {
    const pause = (body?: string, type?: string) => request('regional', 'POST', '/api/v1/campaigns/999999/pause', body, type);
    expect((await refusal(await pause('{'))).message).toMatch(/not JSON/);
    expect((await refusal(await pause('{"force":true}'))).details).toEqual([{ field: 'force', message: 'is not a field of this request; remove it' }]);
    expect((await pause('{}', 'text/plain')).status).toBe(415);
    // Past the body, the campaign is looked up: there is none of that id.
    for (const accepted of [await pause(), await pause(''), await pause('{}')]) expect(accepted.status).toBe(404);
    expect((await refusal(await request('finance', 'POST', '/api/v1/claims/999999/approve', '['))).code).toBe('invalid_request');
    expect((await refusal(await request('finance', 'POST', '/api/v1/funds/999999/claims-run', '[]'))).code).toBe('invalid_request');
    expect((await refusal(await request('clinician', 'POST', '/api/v1/callbacks/999999/done', '{"x":1}'))).code).toBe('invalid_request');
  });
});
