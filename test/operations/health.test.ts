/**
 * Liveness, readiness and the health summary of a real API on a real port over the real services, and
 * over each dependency gone: the SMTP server stopped (degraded, still ready), the database and Temporal
 * at closed ports (not ready). Live answers whatever is down.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/database';
import { startTestApi, type TestApi } from '../support/api-server';
import { startTestMail } from '../support/mail';
import { freePort } from '../support/ports';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
const apis: TestApi[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  services = await startTestServices();
});

afterAll(async () => {
  await Promise.all(apis.map((api) => api.stop()));
  for (const cleanup of cleanups) await cleanup();
  await services?.close();
});

async function apiWith(overrides: Parameters<TestServices['appDeps']>[0]): Promise<TestApi> {
  const api = await startTestApi(services.appDeps(overrides));
  apis.push(api);
  return api;
}

async function get(api: TestApi, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api.url}${path}`);
  return { status: response.status, body: await response.json() };
}

const down = expect.stringMatching(/^unavailable: \S/);

describe('health', () => {
  it('is ok, live and ready when the database, Temporal and SMTP answer', async () => {
    const api = await apiWith({});
    expect(await get(api, '/health')).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', temporal: 'ok', smtp: 'ok' } } });
    expect(await get(api, '/health/ready')).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', temporal: 'ok' } } });
    expect(await get(api, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('calls an SMTP outage degraded, not dead: /health answers 200 naming it, and the API stays ready', async () => {
    const mail = await startTestMail(services.database.db);
    const api = await apiWith({ mailer: mail.mailer });
    expect((await get(api, '/health')).body).toMatchObject({ status: 'ok' });

    await mail.catcher.stop();
    expect(await get(api, '/health')).toEqual({ status: 200, body: { status: 'degraded', checks: { database: 'ok', temporal: 'ok', smtp: down } } });
    expect(await get(api, '/health/ready')).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', temporal: 'ok' } } });
    expect((await get(api, '/health/live')).status).toBe(200);
    mail.mailer.close();
  });

  it('is not ready, and unavailable, when the database does not answer; still live', async () => {
    const db = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, { poolSize: 1 });
    cleanups.push(() => db.destroy());
    const api = await apiWith({ db });
    expect(await get(api, '/health/ready')).toEqual({ status: 503, body: { status: 'unavailable', checks: { database: down, temporal: 'ok' } } });
    expect(await get(api, '/health')).toEqual({ status: 503, body: { status: 'unavailable', checks: { database: down, temporal: 'ok', smtp: 'ok' } } });
    expect(await get(api, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('is not ready when Temporal does not answer; still live', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    cleanups.push(() => connection.close());
    const api = await apiWith({ temporal: new Client({ connection }) });
    expect(await get(api, '/health/ready')).toEqual({ status: 503, body: { status: 'unavailable', checks: { database: 'ok', temporal: down } } });
    expect((await get(api, '/health')).status).toBe(503);
    expect(await get(api, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
