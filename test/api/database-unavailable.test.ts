/**
 * PostgreSQL restarting (PRODUCT.md §9: no 5xx for a moment the service waits out): a request that
 * finds the database away is answered 503, saying to try again, on the API and on a patient's page;
 * never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createDb, type Db } from '../../db/database';
import { freePort } from '../support/ports';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
let away: Db;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await startTestServices();
  // A database nobody listens for: what the API meets while PostgreSQL restarts.
  away = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/away`);
  app = createApp(services.appDeps({ db: away }));
});

afterAll(async () => {
  await away?.destroy();
  await services?.close();
});

describe('with the database away', () => {
  it('answers the API 503 with a time to retry, not 500', async () => {
    const response = await app.request('/api/v1/transfers', { headers: { authorization: `Bearer ${services.tokens.regional}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(await response.json()).toMatchObject({ error: { code: 'unavailable', message: expect.stringMatching(/try again/) } });
  });

  it('answers a patient’s page 503 in words, not 500', async () => {
    const response = await app.request('/offer/o_abcdefghijklmnopqrstuvwxyz012345');
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/try again/i);
  });
});
