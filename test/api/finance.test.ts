/**
 * Funds and claims through the API, with the claims Schedule on the Temporal dev server: a fund is
 * created with its Schedule; the Schedule's run turns treated transfers into claims, and running it
 * again claims nothing twice; finance approves, rejects and marks paid; the CSVs are what a finance
 * team loads; the reconciliation is empty for a clean run and names a difference when there is one.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import { addDays, dayOf } from '../../domain/dates';
import { seedHeldBookings, treatBookings } from '../../generate/bookings';
import type { FundClaimsResult } from '../../workflows/fund-claims';
import { fundClaimsScheduleId } from '../../workflows/ids';
import type { TestDatabase } from '../support/database';
import { FIXTURE_HIP_PRICE, fixtureHipBookings, LAST_MONTH_DAY } from '../support/fixture-world';
import { saveHistory } from '../support/histories';
import { startTestServices, type TestServices } from '../support/services';
import { testCodec } from '../support/temporal';

const TODAY = dayOf(new Date());

let services: TestServices;
let database: TestDatabase;
let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let finance: string;

beforeAll(async () => {
  services = await startTestServices();
  database = services.database;
  deps = services.appDeps();
  app = createApp(deps);
  finance = services.tokens.finance;
  await services.startWorker();
});

afterAll(async () => {
  await services?.close();
});

async function call<T = unknown>(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const response = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json');
  return { status: response.status, body: (isJson ? JSON.parse(text) : undefined) as T, text };
}

interface Fund {
  id: number;
  balance: { allocationPence: number; committedPence: number; claimedPence: number; paidPence: number; remainingPence: number };
}
interface Claim {
  id: number;
  trustOds: string;
  status: string;
  lineCount: number;
  totalPence: number;
}

const newFund = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  allocationPence: 20 * FIXTURE_HIP_PRICE,
  windowFrom: addDays(LAST_MONTH_DAY, -40),
  windowTo: addDays(TODAY, 120),
  regionCode: 'Y60',
  ...extra,
});

/** Runs the fund's claims Schedule now and waits for that run's result. */
async function runSchedule(fundId: number): Promise<FundClaimsResult> {
  const handle = services.temporal.client.schedule.getHandle(fundClaimsScheduleId(fundId));
  const before = (await handle.describe()).info.numActionsTaken;
  expect((await call('POST', `/api/v1/funds/${fundId}/claims-run`, finance)).status).toBe(202);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    const { info } = await handle.describe();
    const action = info.recentActions.at(-1);
    if (info.numActionsTaken > before && action) {
      const { workflowId, firstExecutionRunId } = action.action.workflow;
      const run = services.temporal.client.workflow.getHandle<() => Promise<FundClaimsResult>>(workflowId, firstExecutionRunId);
      const result = await run.result();
      if (result.claimIds.length > 0) await saveHistory('fund-claims', run, testCodec);
      return result;
    }
  }
  throw new Error('the Schedule did not start a run within 30 s');
}

describe('funds', () => {
  it('creates a fund with its scope and its nightly claims Schedule', async () => {
    const created = await call<Fund & { trusts: unknown[]; treatmentFunctions: string[] }>(
      'POST',
      '/api/v1/funds',
      finance,
      newFund('Leicester orthopaedics', { trusts: [{ trustOds: 'RWE', allocationPence: 10 * FIXTURE_HIP_PRICE }], treatmentFunctions: ['110'] }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Leicester orthopaedics',
      balance: { allocationPence: 20 * FIXTURE_HIP_PRICE, committedPence: 0, claimedPence: 0, paidPence: 0, remainingPence: 20 * FIXTURE_HIP_PRICE },
      trusts: [{ trustOds: 'RWE', allocationPence: 10 * FIXTURE_HIP_PRICE }],
      treatmentFunctions: ['110'],
    });
    const schedule = await services.temporal.client.schedule.getHandle(fundClaimsScheduleId(created.body.id)).describe();
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });

    expect((await call('POST', '/api/v1/funds', finance, newFund('Leicester orthopaedics'))).status).toBe(409);
    const list = await call<{ funds: { name: string }[] }>('GET', '/api/v1/funds', services.tokens.regional);
    expect(list.body.funds.map((fund) => fund.name)).toContain('Leicester orthopaedics');
  });

  it('refuses a fund with unknown codes or a window that ends before it starts, naming what is wrong, and writes nothing', async () => {
    const unknown = await call<{ error: { code: string; message: string } }>(
      'POST',
      '/api/v1/funds',
      finance,
      newFund('Bad codes', { trusts: [{ trustOds: 'ZZZ99', allocationPence: null }, { trustOds: 'RWE', allocationPence: 30 * FIXTURE_HIP_PRICE }], treatmentFunctions: ['999'] }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toBe(
      "the fund cannot be created: trust ZZZ99 is not known; trust RWE's allocation is more than the fund's; treatment function 999 is not known",
    );
    const backwards = await call<{ error: { message: string } }>('POST', '/api/v1/funds', finance, newFund('Backwards', { windowFrom: '2027-01-01', windowTo: '2026-12-01' }));
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('windowTo: must not be before windowFrom');
    const funds = await database.db.selectFrom('funds').select('name').where('name', 'in', ['Bad codes', 'Backwards']).execute();
    expect(funds).toEqual([]);
  });
});

describe('claims', () => {
  let fundId: number;

  beforeAll(async () => {
    const created = await call<Fund>('POST', '/api/v1/funds', finance, newFund('Claims fund'));
    fundId = created.body.id;
    for (const [trustOds, count] of [['RWE', 3], ['RRK', 2]] as const) {
      const bookings = await seedHeldBookings(database.db, fixtureHipBookings(fundId, count, trustOds));
      await treatBookings(database.db, bookings, { procedureCode: 'W37.1', treatedOn: LAST_MONTH_DAY });
    }
  });

  it('gathers claims by Schedule on the dev server, and claims nothing twice when run again', async () => {
    const first = await runSchedule(fundId);
    expect(first).toMatchObject({ asOf: TODAY, linesCreated: 5, linesValidated: 5, linesHeld: 0 });
    expect(first.claimIds).toHaveLength(2);
    const second = await runSchedule(fundId);
    expect(second).toMatchObject({ linesCreated: 0, linesValidated: 0, linesHeld: 0, claimIds: [] });

    const claims = await call<{ claims: Claim[] }>('GET', `/api/v1/claims?fundId=${fundId}`, finance);
    expect(claims.body.claims.map(({ trustOds, status, lineCount, totalPence }) => ({ trustOds, status, lineCount, totalPence }))).toEqual([
      { trustOds: 'RRK', status: 'submitted', lineCount: 2, totalPence: 2 * FIXTURE_HIP_PRICE },
      { trustOds: 'RWE', status: 'submitted', lineCount: 3, totalPence: 3 * FIXTURE_HIP_PRICE },
    ]);
    const fund = await call<{ fund: Fund }>('GET', `/api/v1/funds/${fundId}`, finance);
    expect(fund.body.fund.balance).toMatchObject({ committedPence: 0, claimedPence: 5 * FIXTURE_HIP_PRICE });
    const reconciliation = await call<{ treated: unknown[]; differences: unknown[] }>('GET', `/api/v1/funds/${fundId}/reconciliation`, finance);
    expect(reconciliation.body.treated).toHaveLength(5);
    expect(reconciliation.body.differences).toEqual([]);
  });

  it("shows this month's lines as month open, validated and claimed from the fund, in no claim until the month ends", async () => {
    const created = await call<Fund>('POST', '/api/v1/funds', finance, newFund('This month fund'));
    const thisMonth = created.body.id;
    const monthStart = `${TODAY.slice(0, 7)}-01`;
    const bookings = await seedHeldBookings(database.db, fixtureHipBookings(thisMonth, 2, 'RWE'));
    await treatBookings(database.db, bookings, { procedureCode: 'W37.1', treatedOn: monthStart });

    expect(await runSchedule(thisMonth)).toMatchObject({ linesCreated: 2, linesValidated: 2, linesHeld: 0, claimIds: [] });
    const lines = await call<{ lines: { status: string; claimId: number | null; treatedOn: string }[] }>('GET', `/api/v1/claims/lines?fundId=${thisMonth}&status=month_open`, finance);
    expect(lines.body.lines.map(({ status, claimId, treatedOn }) => ({ status, claimId, treatedOn }))).toEqual(Array(2).fill({ status: 'month_open', claimId: null, treatedOn: monthStart }));
    const page = await call('GET', `/staff/funds/${thisMonth}`, finance);
    expect(page.text).toContain('data-testid="month-open-lines"');
    expect(page.text).toContain('Month open');
    const reconciliation = await call<{ differences: unknown[] }>('GET', `/api/v1/funds/${thisMonth}/reconciliation`, finance);
    expect(reconciliation.body.differences).toEqual([]);
  });

  it('lets finance approve and mark paid, or reject with a reason, and moves the money once', async () => {
    const { claims } = (await call<{ claims: Claim[] }>('GET', `/api/v1/claims?fundId=${fundId}`, finance)).body;
    const [rrk, rwe] = claims;

    const noReason = await call<{ error: { message: string } }>('POST', `/api/v1/claims/${rrk!.id}/reject`, finance, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('reason: Enter why you are rejecting the claim: a rejection needs a reason');
    expect((await call('POST', `/api/v1/claims/${rrk!.id}/reject`, finance, { reason: 'Coding query on two lines' })).status).toBe(200);

    const early = await call<{ error: { message: string } }>('POST', `/api/v1/claims/${rwe!.id}/paid`, finance);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe(`claim ${rwe!.id} is submitted: only a claim that is approved can be paid`);
    expect((await call<Claim>('POST', `/api/v1/claims/${rwe!.id}/approve`, finance)).body.status).toBe('approved');
    expect((await call<Claim>('POST', `/api/v1/claims/${rwe!.id}/paid`, finance)).body.status).toBe('paid');
    expect((await call('POST', `/api/v1/claims/${rwe!.id}/paid`, finance)).status).toBe(409);

    const fund = await call<{ fund: Fund }>('GET', `/api/v1/funds/${fundId}`, finance);
    expect(fund.body.fund.balance).toEqual({
      allocationPence: 20 * FIXTURE_HIP_PRICE,
      committedPence: 0,
      claimedPence: 3 * FIXTURE_HIP_PRICE,
      paidPence: 3 * FIXTURE_HIP_PRICE,
      remainingPence: 17 * FIXTURE_HIP_PRICE,
    });
    const audited = await database.db.selectFrom('audit_log').select(['action', 'detail']).where('subject', 'in', [`claim:${rrk!.id}`, `claim:${rwe!.id}`]).orderBy('id').execute();
    expect(audited.map((row) => row.action)).toEqual(['claim.reject', 'claim.approve', 'claim.paid']);
    expect(audited[0]!.detail).toEqual({ reason: 'Coding query on two lines' });
    // A rejected claim's lines are a difference finance must follow up.
    const reconciliation = await call<{ differences: { kind: string; detail: string }[] }>('GET', `/api/v1/funds/${fundId}/reconciliation`, finance);
    expect(reconciliation.body.differences).toEqual([
      expect.objectContaining({ kind: 'treated_unclaimed', detail: 'claim line rejected by finance' }),
      expect.objectContaining({ kind: 'treated_unclaimed', detail: 'claim line rejected by finance' }),
    ]);
  });

  it('exports claims and lines as CSV a spreadsheet loads: ODS codes, HRG, OPCS-4, dates, pounds with two decimals', async () => {
    const claims = await call('GET', `/api/v1/claims/claims.csv?fundId=${fundId}`, finance);
    expect(claims.status).toBe(200);
    const claimRows = Papa.parse<Record<string, string>>(claims.text, { header: true, skipEmptyLines: true }).data;
    expect(claimRows.map((row) => [row.trust_ods, row.month, row.lines, row.total_gbp, row.status])).toEqual([
      ['RRK', LAST_MONTH_DAY.slice(0, 7), '2', '14842.36', 'rejected'],
      ['RWE', LAST_MONTH_DAY.slice(0, 7), '3', '22263.54', 'paid'],
    ]);
    const lines = await call('GET', `/api/v1/claims/lines.csv?fundId=${fundId}`, finance);
    const lineRows = Papa.parse<Record<string, string>>(lines.text, { header: true, skipEmptyLines: true }).data;
    expect(lineRows).toHaveLength(5);
    expect(lineRows[0]).toMatchObject({ trust_ods: 'RWE', provider_ods: 'NT3', site_ods: 'NT350', opcs4_code: 'W37.1', hrg_code: 'HN12F', treated_on: LAST_MONTH_DAY, price_gbp: '7421.18' });
    expect(lineRows[0]!.pathway_ref).toMatch(/^SYN-\d+$/);
    const exported = await database.db.selectFrom('audit_log').select('action').where('action', 'like', '%.export').execute();
    expect(exported.map((row) => row.action)).toEqual(['claims.export', 'claim-lines.export']);
  });

  it("shows a region's finance team only its trusts' claims", async () => {
    const london = await createStaffUser(database.db, { name: 'London finance', role: 'finance', region_code: 'Y56' });
    const token = await issueStaffToken(database.db, london.id, 'test');
    expect((await call<{ claims: unknown[] }>('GET', `/api/v1/claims?fundId=${fundId}`, token)).body.claims).toEqual([]);
    expect((await call('GET', `/api/v1/funds/${fundId}`, token)).status).toBe(404);
    const { claims } = (await call<{ claims: Claim[] }>('GET', `/api/v1/claims?fundId=${fundId}`, finance)).body;
    expect((await call('POST', `/api/v1/claims/${claims[0]!.id}/approve`, token)).status).toBe(404);
  });
});
