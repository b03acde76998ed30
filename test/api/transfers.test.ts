/**
 * A patient who said no is left alone (PRODUCT.md §3.3), however the transfer is started, and the
 * reviewer sees a pathway's earlier transfers: how each ended, when and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { openTransferRow, setTransferState } from '../../db/repositories/transfers';
import type { StaffRole } from '../../db/schema';
import type { TestDatabase } from '../support/database';
import { FIXTURE_FUND_ID } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
let database: TestDatabase;
let tokens: Record<StaffRole, string>;
let app: ReturnType<typeof createApp>;

const as = (role: StaffRole, path: string, init: RequestInit = {}) =>
  app.request(`/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json', ...init.headers } });

/** A closed transfer of the pathway, ended in this state that many days ago. */
async function closedTransfer(pathwayId: number, state: 'withdrawn' | 'refused' | 'review_lapsed' | 'screened_out', daysAgo: number, detail: Record<string, unknown> = {}) {
  const name = `${state}-${pathwayId}-${daysAgo}`;
  const transfer = await openTransferRow(database.db, { pathwayId, fundId: FIXTURE_FUND_ID, period: null, workflowId: name, runId: name });
  await setTransferState(database.db, transfer.id, state, true, detail);
  await database.db.updateTable('transfers').set({ closed_at: new Date(Date.now() - daysAgo * 86_400_000) }).where('id', '=', transfer.id).execute();
  return transfer.id;
}

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  app = createApp(services.appDeps());
});

afterAll(async () => {
  await services?.close();
});

describe('a patient who said no', () => {
  it('is not started again by hand within 90 days: 409 naming the earlier transfer', async () => {
    const withdrawn = await closedTransfer(1, 'withdrawn', 1);
    const response = await as('regional', '/transfers', { method: 'POST', body: JSON.stringify({ pathwayId: 1, fundId: FIXTURE_FUND_ID }) });
    expect(response.status).toBe(409);
    const { error } = (await response.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
    expect(error).toMatchObject({ code: 'turned_down_lately', details: { transferId: withdrawn, state: 'withdrawn' } });
    expect(error.message).toContain(`transfer ${withdrawn} ended withdrawn`);
  });

  it("shows the reviewer and the transfer's reader the pathway's earlier transfers, newest first, with why they ended", async () => {
    const screenedOut = await closedTransfer(2, 'screened_out', 300, {
      sites: [{ siteOds: 'NT350', siteName: 'Spire Leicester', exclusions: [{ criterion: 'excludesDialysis', reason: 'is on dialysis' }] }],
    });
    const lapsed = await closedTransfer(2, 'review_lapsed', 200);
    const refused = await closedTransfer(2, 'refused', 100, { reason: 'Needs a cardiology opinion first' });
    const current = await openTransferRow(database.db, { pathwayId: 2, fundId: FIXTURE_FUND_ID, period: null, workflowId: 'current-2', runId: 'current-2' });
    await setTransferState(database.db, current.id, 'awaiting_review', false);

    const queue = (await (await as('clinician', '/transfers/review/queue')).json()) as { candidates: { transferId: number; earlierTransfers: unknown[] }[] };
    const candidate = queue.candidates.find((entry) => entry.transferId === current.id);
    const expected = [
      { transferId: refused, state: 'refused', reason: 'Needs a cardiology opinion first', closedAt: expect.any(String), openedAt: expect.any(String) },
      { transferId: lapsed, state: 'review_lapsed', reason: null, closedAt: expect.any(String), openedAt: expect.any(String) },
      { transferId: screenedOut, state: 'screened_out', reason: 'Spire Leicester: patient is on dialysis', closedAt: expect.any(String), openedAt: expect.any(String) },
    ];
    expect(candidate?.earlierTransfers).toEqual(expected.map((entry) => ({ ...entry, pathwayId: 2 })));

    const read = await as('regional', `/transfers/${current.id}`);
    expect(read.status).toBe(200);
    const transfer = (await read.json()) as { earlierTransfers: { closedAt: string }[] };
    expect(transfer.earlierTransfers).toMatchObject(expected);
    expect(new Date(transfer.earlierTransfers[0]!.closedAt).getTime()).toBeCloseTo(Date.now() - 100 * 86_400_000, -5);

    // The page words each ending for people, never as the state's name.
    const page = await app.request('/staff/review', { headers: { authorization: `Bearer ${tokens.clinician}` } });
    const html = await page.text();
    expect(html).toContain(`Earlier transfer ${refused}</strong>, ended `);
    expect(html).toContain(': Refused at clinical review (Needs a cardiology opinion first)');
    expect(html).toContain(`Earlier transfer ${lapsed}</strong>, ended `);
    expect(html).toContain(': Not reviewed in time');
    expect(html).toContain(': Screened out: no IS site could take the patient (Spire Leicester: patient is on dialysis)');
    for (const state of ['review_lapsed', 'screened_out', 'refused on']) expect(html).not.toContain(state);
    // Screened against no site (this transfer's rows were made by hand): said plainly.
    expect(html).toContain('No IS site can take this patient');
  });
});

describe("the clinician's review page", () => {
  const page = (path: string, body?: string) =>
    app.request(`/staff${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${tokens.clinician}`, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  const candidateId = async () => {
    const queue = (await (await as('clinician', '/transfers/review/queue')).json()) as { candidates: { transferId: number; patientName: string }[] };
    return queue.candidates[0]!;
  };

  it('re-shows a refusal without a reason with the error at its field and what was typed, and refuses nothing', async () => {
    const { transferId, patientName } = await candidateId();
    const response = await page(`/review/${transferId}/refuse`, 'reason=+++');
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<title>Error: Candidates to review');
    expect(html).toContain(`<a href="#reason-${transferId}">${patientName}: Enter why you are refusing: a refusal needs a reason</a>`);
    expect(html).toContain('nhsuk-form-group nhsuk-form-group--error');
    expect(html).toContain(`id="reason-${transferId}-error"`);
    expect(html).toMatch(new RegExp(`id="reason-${transferId}"[^>]*>   </textarea>`));
    expect(await database.db.selectFrom('clinical_reviews').selectAll().where('transfer_id', '=', transferId).execute()).toEqual([]);
  });

  it('re-shows the queue when none is selected to confirm, the error pointing at the first tick box', async () => {
    const { transferId } = await candidateId();
    const response = await page('/review/confirm', '');
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(`<a href="#select-${transferId}">Select at least one candidate to confirm</a>`);
    expect(html).toContain(`id="select-${transferId}-error"`);
    expect(html).toContain('data-testid="candidate"');
  });

  it('says only what a decision did: nothing for a transfer the clinician did not refuse, and why one was not confirmed', async () => {
    const { transferId, patientName } = await candidateId();
    const refusedUrl = await (await page(`/review?refused=${transferId}`)).text();
    expect(refusedUrl).not.toContain('review-outcome');
    const confirmedUrl = await (await page(`/review?confirmed=${transferId},999999`)).text();
    expect(confirmedUrl).not.toContain('data-testid="review-outcome"');
    expect(confirmedUrl).toContain('2 candidates were not confirmed');
    expect(confirmedUrl).toContain(`${patientName}: it is still awaiting review: select it and confirm again`);
    expect(confirmedUrl).toContain("Transfer 999999: it is not one of your trust&#39;s transfers");
  });
});
