/**
 * The OpenAPI document is one a client can trust: the committed types (api/client/schema.d.ts) are
 * those of the document the app serves, every operation has a name of its own, and a client made
 * from the types alone (openapi-fetch) talks to the real API: it lists, starts and reads a transfer
 * and gets the typed error bodies the document promises. tsc checks this file against the types.
 */
import { readFile } from 'node:fs/promises';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { clientTypes, SCHEMA_FILE, servedDocument } from '../../api/client/generate';
import type { components, paths } from '../../api/client/schema';
import type { TransferState } from '../../domain/transfer';
import type { TestApi } from '../support/api-server';
import { FIXTURE_FUND_ID } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

describe('the generated client types', () => {
  it('are those of the document the app serves (regenerate with `npx tsx api/client/generate.ts`)', { timeout: 30_000 }, async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(await clientTypes());
  });

  it('name every operation under /api/v1, each once', async () => {
    const operations = Object.entries((await servedDocument()).paths ?? {})
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) => Object.entries(methods ?? {}).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, id: (operation as { operationId?: string }).operationId })));
    expect(operations.filter((operation) => !operation.id).map((operation) => operation.route), 'operations without an operationId').toEqual([]);
    const ids = operations.map((operation) => operation.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index), 'operationIds used twice').toEqual([]);
  });
});

describe('a client made from the types', () => {
  let services: TestServices;
  let api: TestApi;

  beforeAll(async () => {
    services = await startTestServices();
    api = await services.startApi();
    await services.startWorker(api.url);
  });

  afterAll(async () => {
    await services?.close();
  });

  const clientAs = (token?: string) => createClient<paths>({ baseUrl: api.url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  /** The statuses the document names for an operation: every answer below must be one of them. */
  async function documentedStatuses(method: 'get' | 'post', path: keyof paths): Promise<number[]> {
    const operations = (await servedDocument()).paths?.[path] as Record<string, { responses?: object }> | undefined;
    return Object.keys(operations?.[method]?.responses ?? {}).map(Number);
  }

  it('lists, starts and reads a transfer, and gets the typed errors the document names', { timeout: 60_000 }, async () => {
    const regional = clientAs(services.tokens.regional);

    const empty = await regional.GET('/api/v1/transfers', { params: { query: { state: 'awaiting_review' } } });
    expect(empty.response.status).toBe(200);
    expect(empty.data).toEqual({ transfers: [], nextBefore: null });

    const started = await regional.POST('/api/v1/transfers', { body: { pathwayId: 1, fundId: FIXTURE_FUND_ID } });
    expect(started.response.status).toBe(202);
    expect(started.data).toEqual({ workflowId: expect.any(String), pathwayId: 1 });

    // The workflow screens the patient, then waits for the clinician.
    await expect
      .poll(async () => (await regional.GET('/api/v1/transfers', { params: { query: { state: 'awaiting_review' } } })).data?.transfers.length, { timeout: 20_000 })
      .toBe(1);
    const listed = await regional.GET('/api/v1/transfers');
    const summary = listed.data!.transfers[0]!;
    expectTypeOf(summary.state).toEqualTypeOf<TransferState>();
    expect(summary).toMatchObject({ pathwayId: 1, state: 'awaiting_review' });

    const read = await regional.GET('/api/v1/transfers/{id}', { params: { path: { id: summary.id } } });
    expect(read.response.status).toBe(200);
    expectTypeOf(read.data!).toEqualTypeOf<components['schemas']['Transfer']>();
    expect(read.data).toMatchObject({ id: summary.id, workflowId: started.data!.workflowId, state: 'awaiting_review', closedAt: null });
    expect(read.data!.timeline.map((event) => event.kind)).toEqual(['opened', 'awaiting_review']);

    // A second start: the 409 and its body, typed as the document's error.
    const again = await regional.POST('/api/v1/transfers', { body: { pathwayId: 1, fundId: FIXTURE_FUND_ID } });
    expect(again.response.status).toBe(409);
    expect(again.data).toBeUndefined();
    expectTypeOf(again.error!).toEqualTypeOf<components['schemas']['Error']>();
    expect(again.error!.error.code).toBe('transfer_open');

    // Input its schema refuses: a 400 naming the field.
    const invalid = await regional.POST('/api/v1/transfers', { body: { pathwayId: -1, fundId: FIXTURE_FUND_ID } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error!.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'pathwayId', message: expect.any(String) }] });
    // A role the start is not for, and no token at all.
    const clinician = await clientAs(services.tokens.clinician).POST('/api/v1/transfers', { body: { pathwayId: 2, fundId: FIXTURE_FUND_ID } });
    expect(clinician.error!.error.code).toBe('forbidden');
    expect((await clientAs().GET('/api/v1/transfers')).response.status).toBe(401);
    for (const status of [202, 409, 400, clinician.response.status]) expect(await documentedStatuses('post', '/api/v1/transfers')).toContain(status);
    expect(await documentedStatuses('get', '/api/v1/transfers')).toEqual(expect.arrayContaining([200, 400, 401]));

    // Out of the provider's scope: a 404, not the transfer.
    const hidden = await clientAs(services.tokens.provider).GET('/api/v1/transfers/{id}', { params: { path: { id: summary.id } } });
    expect(hidden.response.status).toBe(404);
    expect(hidden.error!.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(await documentedStatuses('get', '/api/v1/transfers/{id}')).toContain(404);

    // A fund's trusts each carry a balance, or null when the trust has no allocation of its own.
    const funds = await regional.GET('/api/v1/funds');
    expect(funds.response.status).toBe(200);
    expectTypeOf<NonNullable<typeof funds.data>['funds'][number]['trusts'][number]['balance']>().toEqualTypeOf<components['schemas']['FundBalance'] | null>();
    expect(funds.data!.funds.map((fund) => fund.id)).toContain(FIXTURE_FUND_ID);
  });
});
