/**
 * The finance pages, end to end in Chromium on the real services: a fund whose window covers last
 * month, with treated transfers made in bulk (two for Leicester, one for Birmingham, one for Leicester
 * without consent on file, so held) and one booking still committed; its claim lines validated and
 * gathered as the nightly run does. Finance signs in, reads the fund's ledger, rejects one claim (not
 * without a reason), approves and pays the other, each through its check page and confirmed after, and
 * sees the ledger move; a decision the claim's state no longer allows is refused on the page; a filter
 * that cannot be read is shown again with what is wrong; the regional team sees the ledger but no
 * claims; and the pages fit a phone. axe-core checks every page finance sees.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherClaims, prepareClaimLines } from '../../db/repositories/claims';
import { commitBookingFunds, createFund } from '../../db/repositories/funds';
import type { StaffRole } from '../../db/schema';
import { addDays, dayOf, formatDate } from '../../domain/dates';
import { formatPence } from '../../domain/money';
import { seedHeldBookings, treatBookings } from '../../generate/bookings';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import { screenshot, seriousViolations, signedInStaffPage } from '../support/pages';
import type { TestDatabase } from '../support/database';
import { FIXTURE_HIP_PRICE, fixtureHipBookings, LAST_MONTH_DAY } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

const TODAY = dayOf(new Date());
const ALLOCATION = 10_000_000;
const FUND_NAME = 'East Midlands hips 2026/27';

let services: TestServices;
let database: TestDatabase;
let api: TestApi;
let browser: Browser;
let tokens: Record<StaffRole, string>;
let fundId: number;
/** Birmingham's claim (one line) and Leicester's (two lines), both submitted. */
let rrkClaim: number;
let rweClaim: number;
/** Finance, signed in, kept across the tests as a person would be. */
let finance: Page;

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  api = await services.startApi();
  browser = await launchBrowser();

  const db = database.db;
  ({ id: fundId } = await createFund(db, {
    name: FUND_NAME,
    allocationPence: ALLOCATION,
    windowFrom: addDays(LAST_MONTH_DAY, -40),
    windowTo: addDays(TODAY, 120),
    regionCode: 'Y60',
    trusts: [
      { trustOds: 'RWE', allocationPence: 5 * FIXTURE_HIP_PRICE },
      { trustOds: 'RRK', allocationPence: null },
    ],
    treatmentFunctions: [],
  }));
  const seed = (count: number, trustOds: string) => seedHeldBookings(db, fixtureHipBookings(fundId, count, trustOds));
  const treated = { procedureCode: 'W37.1', treatedOn: LAST_MONTH_DAY };
  await treatBookings(db, await seed(2, 'RWE'), treated);
  await treatBookings(db, await seed(1, 'RRK'), treated);
  const [noConsent] = await seed(1, 'RWE');
  await treatBookings(db, [noConsent!], treated);
  await sql`delete from patient_responses where transfer_id = (select transfer_id from bookings where id = ${noConsent})`.execute(db);
  const [booked] = await seed(1, 'RWE');
  expect(await commitBookingFunds(db, booked!)).toEqual({ ok: true });

  expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 4, validated: 3, held: 1 });
  const claims = await gatherClaims(db, fundId, TODAY);
  expect(claims.map((claim) => [claim.trustOds, claim.lineCount])).toEqual([
    ['RRK', 1],
    ['RWE', 2],
  ]);
  [rrkClaim, rweClaim] = claims.map((claim) => claim.id) as [number, number];
});

afterAll(async () => {
  await browser?.close();
  await services?.close();
});

/** A signed-in person in a browser context of their own (cookies are not shared between them). */
const signIn = (token: string, viewport?: { width: number; height: number }): Promise<Page> => signedInStaffPage(browser, api.url, token, viewport ? { viewport } : {});

/** Presses a button and waits for the page the form lands on; returns the status of the form's answer. */
async function submit(page: Page, button: ReturnType<Page['getByRole']>): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === 'POST'),
    page.waitForNavigation(),
    button.click(),
  ]);
  return response.status();
}

/** The page as it stands passes axe-core (nothing serious or critical), and is kept as a screenshot. */
async function checked(page: Page, name: string) {
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, `finance-${name}`);
}

const claimStatus = async (claimId: number) =>
  (await database.db.selectFrom('claims').select(['status', 'decision_reason']).where('id', '=', claimId).executeTakeFirstOrThrow());

const formPost = (path: string, token: string, fields: Record<string, string> = {}) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });

const balance = async (page: Page) =>
  Object.fromEntries(
    await Promise.all(
      ['allocation', 'committed', 'claimed', 'paid', 'remaining'].map(async (name) => [name, (await page.getByTestId(`balance-${name}`).textContent())?.trim()] as const),
    ),
  );

describe('the finance pages', () => {
  it("shows finance each fund's balances and one fund's ledger: now, per trust, over time, and the lines held back", async () => {
    finance = await signIn(tokens.finance);
    // Finance lands on the claims, and is linked to them from every staff page.
    expect(new URL(finance.url()).pathname).toBe('/staff/claims');
    expect(await finance.getByRole('link', { name: 'Claims', exact: true }).getAttribute('href')).toBe('/staff/claims');
    // The NHS header holds them: the role's pages in its navigation, who is signed in and Sign out, the logo leading home.
    const header = finance.locator('header');
    expect(await header.getByRole('navigation', { name: 'Menu' }).getByRole('link').allTextContents()).toEqual(['Claims', 'Funds', 'Campaigns']);
    expect(await header.getByTestId('signed-in').textContent()).toContain('(finance)');
    expect(await header.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await header.getByRole('link', { name: /homepage$/ }).getAttribute('href')).toBe('/staff/claims');

    await finance.goto(`${api.url}/staff/funds`);
    expect(await finance.locator('h1').textContent()).toBe('Funds');
    const row = finance.getByTestId('fund').filter({ hasText: FUND_NAME });
    const text = await row.textContent();
    // Committed: the held line's booking and the booking not yet treated; claimed: the three valid lines.
    for (const amount of ['£100,000.00', formatPence(2 * FIXTURE_HIP_PRICE), '£22,263.54', '£0.00', formatPence(ALLOCATION - 5 * FIXTURE_HIP_PRICE)]) expect(text).toContain(amount);
    expect(text).toContain(`${formatDate(addDays(LAST_MONTH_DAY, -40))} to ${formatDate(addDays(TODAY, 120))}`);
    expect(await finance.getByTestId('fund').count()).toBe(2);

    await row.getByRole('link', { name: FUND_NAME }).click();
    await finance.waitForURL(`${api.url}/staff/funds/${fundId}`);
    expect(await balance(finance)).toEqual({
      allocation: '£100,000.00',
      committed: '£14,842.36',
      claimed: '£22,263.54',
      paid: '£0.00',
      remaining: '£62,894.10',
    });
    // Leicester has its own allocation; Birmingham draws on the fund's.
    const trusts = finance.getByTestId('trust-balance');
    expect(await trusts.count()).toBe(1);
    const rwe = await trusts.textContent();
    for (const amount of [formatPence(5 * FIXTURE_HIP_PRICE), formatPence(2 * FIXTURE_HIP_PRICE), formatPence(FIXTURE_HIP_PRICE)]) expect(rwe).toContain(amount);
    expect(await finance.locator('main').textContent()).toContain("RRK draw on the fund's money with no allocation of their own");

    // Everything moved today: one day in the table, and the chart says the same.
    expect(await finance.getByTestId('ledger-day').allTextContents()).toEqual([expect.stringMatching(new RegExp(`${formatDate(TODAY)}.*£14,842\\.36.*£22,263\\.54.*£0\\.00`))]);
    const chart = finance.locator('svg[role="img"][aria-labelledby]');
    expect(await chart.locator('desc').textContent()).toBe(
      `At the end of ${formatDate(TODAY)}: committed £14,842.36, claimed £22,263.54, paid £0.00 of £100,000.00 allocation.`,
    );
    expect(await chart.locator('path[stroke-dasharray]').count()).toBe(2);

    const held = finance.getByTestId('held-lines').getByTestId('claim-line');
    expect(await held.count()).toBe(1);
    expect(await held.getByTestId('line-problems').textContent()).toBe('no consent on file');
    expect(await finance.getByTestId('fund-claims-link').getAttribute('href')).toBe(`/staff/claims?fundId=${fundId}`);
    await checked(finance, 'fund');
    await finance.goto(`${api.url}/staff/funds`);
    await checked(finance, 'funds');
    await finance.goto(`${api.url}/staff/funds/${fundId}`);
  });

  it("lists the fund's claims with their lines, and downloads them as CSV", async () => {
    await finance.getByTestId('fund-claims-link').click();
    await finance.waitForURL(`${api.url}/staff/claims?fundId=${fundId}`);
    expect(await finance.getByLabel('Fund').inputValue()).toBe(String(fundId));
    expect(await finance.getByTestId('claims-count').textContent()).toBe(`2 claims from ${FUND_NAME}, £22,263.54 in all.`);
    const rows = finance.getByTestId('claim');
    expect(await rows.evaluateAll((found) => found.map((row) => row.id))).toEqual([`claim-${rrkClaim}`, `claim-${rweClaim}`]);
    const rweRow = finance.locator(`#claim-${rweClaim}`);
    const text = await rweRow.textContent();
    expect(text).toContain('University Hospitals of Leicester NHS Trust');
    expect(text).toContain(new Date(`${LAST_MONTH_DAY}T12:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric' }));
    expect(text).toContain(formatPence(2 * FIXTURE_HIP_PRICE));
    expect(text).toContain('Awaiting decision');

    const csv = await finance.context().request.get(`${api.url}${await finance.getByRole('link', { name: 'Download these claims (CSV)' }).getAttribute('href')}`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const csvLines = (await csv.text()).trim().split('\r\n');
    expect(csvLines[0]).toMatch(/^claim_id,fund,trust_ods,/);
    expect(csvLines.slice(1).map((line) => line.split(',').slice(0, 3))).toEqual([
      [String(rrkClaim), FUND_NAME, 'RRK'],
      [String(rweClaim), FUND_NAME, 'RWE'],
    ]);
    const lines = await finance.context().request.get(`${api.url}${await finance.getByRole('link', { name: /^Download the claim lines/ }).getAttribute('href')}`);
    expect((await lines.text()).trim().split('\r\n')).toHaveLength(1 + 4);
    const exports = await database.db.selectFrom('audit_log').select('action').where('action', 'like', '%.export').execute();
    expect(exports.map((entry) => entry.action).sort()).toEqual(['claim-lines.export', 'claims.export']);

    await checked(finance, 'claims');

    await rweRow.getByRole('link', { name: `Claim ${rweClaim}` }).click();
    await finance.waitForURL(`${api.url}/staff/claims/${rweClaim}`);
    expect(await finance.getByTestId('claim-line').count()).toBe(2);
    expect(await finance.getByTestId('claim-lines').textContent()).toContain('Spire Leicester Hospital');
    await checked(finance, 'claim');
    await finance.goBack();
  });

  it('fits a phone: nothing wider than the screen on the funds, ledger, claims and claim pages', async () => {
    const phone = await signIn(tokens.finance, { width: 375, height: 667 });
    for (const path of ['/staff/funds', `/staff/funds/${fundId}`, `/staff/claims?fundId=${fundId}`, `/staff/claims/${rweClaim}`]) {
      await phone.goto(`${api.url}${path}`);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
    }
    await phone.context().close();
  });

  it('rejects a claim only with a reason, approves and pays the other after their check pages, and the ledger moves', async () => {
    const page = finance;
    const rrkRow = page.locator(`#claim-${rrkClaim}`);
    // Another tab, left open on the approval's check page from before the decisions.
    const stale = await page.context().newPage();
    await stale.goto(`${api.url}/staff/claims/${rweClaim}/approve?fundId=${fundId}`);

    expect(await submit(page, rrkRow.getByRole('button', { name: `Reject claim ${rrkClaim}` }))).toBe(400);
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.textContent()).toContain(`Claim ${rrkClaim}: Enter why you are rejecting the claim`);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary'))).toBe(true);
    expect(await page.title()).toMatch(/^Error: Claims/);
    expect(await summary.locator('a').getAttribute('href')).toBe(`#reason-${rrkClaim}`);
    expect(await page.locator(`#reason-${rrkClaim}-error`).textContent()).toContain('Enter why you are rejecting the claim');
    expect(await claimStatus(rrkClaim)).toEqual({ status: 'submitted', decision_reason: null });
    await checked(page, 'reject-error');

    await rrkRow.getByLabel(`Reason for rejecting claim ${rrkClaim}`).fill('Coding query: procedure not in the contract');
    expect(await submit(page, rrkRow.getByRole('button', { name: `Reject claim ${rrkClaim}` }))).toBe(303);
    expect(new URL(page.url()).search).toBe(`?fundId=${fundId}&changed=${rrkClaim}`);
    const rejected = await page.getByTestId('claims-outcome').textContent();
    expect(rejected).toContain(`Claim ${rrkClaim} rejected`);
    expect(rejected).toContain('University Hospitals Birmingham NHS Foundation Trust');
    expect(rejected).toContain('Its money has gone back to the fund');
    expect(await rrkRow.textContent()).toContain('Reason: Coding query: procedure not in the contract');
    expect(await rrkRow.getByRole('button').count()).toBe(0);
    expect(await claimStatus(rrkClaim)).toEqual({ status: 'rejected', decision_reason: 'Coding query: procedure not in the contract' });
    await checked(page, 'rejected');

    // Approve: the check page shows the claim's figures and asks; nothing changes until it is answered.
    const rweRow = page.locator(`#claim-${rweClaim}`);
    const total = formatPence(2 * FIXTURE_HIP_PRICE);
    await rweRow.getByRole('button', { name: `Approve claim ${rweClaim}` }).click();
    await page.waitForURL(`${api.url}/staff/claims/${rweClaim}/approve?fundId=${fundId}`);
    expect(await page.locator('h1').textContent()).toBe(`Are you sure you want to approve claim ${rweClaim} for ${total}?`);
    const figures = await page.getByTestId('claim-summary').textContent();
    for (const figure of [FUND_NAME, 'University Hospitals of Leicester NHS Trust', total, 'Awaiting decision']) expect(figures).toContain(figure);
    expect(await page.getByTestId('claim-line').count()).toBe(2);
    expect(await page.getByRole('link', { name: 'No, go back to the claims' }).getAttribute('href')).toBe(`/staff/claims?fundId=${fundId}#claim-${rweClaim}`);
    expect(await claimStatus(rweClaim)).toEqual({ status: 'submitted', decision_reason: null });
    await checked(page, 'approve-check');
    expect(await submit(page, page.getByRole('button', { name: 'Approve claim' }))).toBe(303);
    expect(new URL(page.url()).search).toBe(`?fundId=${fundId}&changed=${rweClaim}`);
    const approved = await page.getByTestId('claims-outcome').textContent();
    expect(approved).toContain(`Claim ${rweClaim} approved`);
    expect(approved).toContain(total);
    expect(approved).toContain('Mark it paid once the money has been sent');
    expect(await rweRow.getByRole('button', { name: `Approve claim ${rweClaim}` }).count()).toBe(0);
    expect(await claimStatus(rweClaim)).toEqual({ status: 'approved', decision_reason: null });
    await checked(page, 'approved');

    // Mark paid: its own check page, then the confirmation.
    await rweRow.getByRole('button', { name: `Mark paid claim ${rweClaim}` }).click();
    await page.waitForURL(`${api.url}/staff/claims/${rweClaim}/paid?fundId=${fundId}`);
    expect(await page.locator('h1').textContent()).toBe(`Are you sure you want to mark claim ${rweClaim} for ${total} as paid?`);
    expect(await page.getByTestId('claim-summary').textContent()).toContain('Approved, to pay');
    await checked(page, 'paid-check');
    expect(await submit(page, page.getByRole('button', { name: 'Mark as paid' }))).toBe(303);
    const paid = await page.getByTestId('claims-outcome').textContent();
    expect(paid).toContain(`Claim ${rweClaim} marked as paid`);
    expect(await rweRow.textContent()).toContain('Paid');
    expect(await claimStatus(rweClaim)).toEqual({ status: 'paid', decision_reason: null });
    await checked(page, 'paid');

    // The tab left open on the check page still offers to approve: the claim's state refuses it, and the page says why.
    expect(await submit(stale, stale.getByRole('button', { name: 'Approve claim' }))).toBe(409);
    expect(await stale.locator('.nhsuk-error-summary').textContent()).toContain(
      `Claim ${rweClaim} could not be approved: claim ${rweClaim} is paid: only a claim that is submitted can be approved`,
    );
    expect(await stale.locator(`#claim-${rweClaim}`).textContent()).toContain('Paid');
    await checked(stale, 'approve-refused');
    // Opened again, the check page has nothing to confirm.
    expect((await stale.goto(`${api.url}/staff/claims/${rweClaim}/approve`))!.status()).toBe(409);
    expect(await stale.locator('h1').textContent()).toBe(`Claim ${rweClaim} cannot be approved`);
    expect(await stale.getByRole('button', { name: 'Approve claim' }).count()).toBe(0);
    await stale.close();
    // An approval or payment sent without its check page goes to the check page, and changes nothing.
    const unchecked = await formPost(`/staff/claims/${rweClaim}/paid`, tokens.finance, { back: `fundId=${fundId}` });
    expect(unchecked.status).toBe(303);
    expect(unchecked.headers.get('location')).toBe(`/staff/claims/${rweClaim}/paid?fundId=${fundId}`);

    // Birmingham's money went back to the fund; Leicester's was paid.
    await page.goto(`${api.url}/staff/funds/${fundId}`);
    expect(await balance(page)).toEqual({
      allocation: '£100,000.00',
      committed: '£14,842.36',
      claimed: '£14,842.36',
      paid: '£14,842.36',
      remaining: '£70,315.28',
    });
    expect(await page.getByTestId('ledger-day').allTextContents()).toEqual([expect.stringMatching(/£14,842\.36.*£14,842\.36.*£14,842\.36/)]);
    expect(await page.locator('svg[role="img"] desc').textContent()).toContain('claimed £14,842.36, paid £14,842.36');
    expect(await page.getByTestId('trust-balance').textContent()).toContain(formatPence(FIXTURE_HIP_PRICE));
    expect(await page.getByTestId('fund-claims-link').locator('..').textContent()).not.toContain('awaiting a decision');
    const actions = await database.db.selectFrom('audit_log').select(['action', 'subject']).where('action', 'like', 'claim.%').orderBy('id').execute();
    expect(actions).toEqual([
      { action: 'claim.reject', subject: `claim:${rrkClaim}` },
      { action: 'claim.approve', subject: `claim:${rweClaim}` },
      { action: 'claim.paid', subject: `claim:${rweClaim}` },
    ]);
  });

  it('shows a claims filter it cannot read again, with what is wrong in plain words', async () => {
    const page = finance;
    const response = await page.goto(`${api.url}/staff/claims?fundId=abc&status=paid`);
    expect(response!.status()).toBe(400);
    const summary = await page.locator('.nhsuk-error-summary').textContent();
    expect(summary).toContain('Choose a fund from the list');
    expect(summary).not.toMatch(/expected|received|NaN|invalid_/);
    expect(await page.locator('#fundId-error').textContent()).toContain('Choose a fund from the list');
    // What could be read still filters: the paid claim, from every fund.
    expect(await page.getByLabel('Status').inputValue()).toBe('paid');
    expect(await page.getByTestId('claim').evaluateAll((rows) => rows.map((row) => row.id))).toEqual([`claim-${rweClaim}`]);
    await checked(page, 'filter-error');
  });

  it('shows the regional team the ledger but no claims, and lets it decide none', async () => {
    const regional = await signIn(tokens.regional);
    await regional.goto(`${api.url}/staff/funds/${fundId}`);
    expect(await regional.getByTestId('balance-remaining').textContent()).toBe('£70,315.28');
    expect(await regional.getByTestId('held-lines').count()).toBe(0);
    expect(await regional.getByTestId('fund-claims-link').count()).toBe(0);
    expect(await regional.locator('main form[action^="/staff/claims"]').count()).toBe(0);
    const claims = await regional.goto(`${api.url}/staff/claims?fundId=${fundId}`);
    expect(claims!.status()).toBe(403);
    expect(await regional.locator('h1').textContent()).toBe('You cannot see this page');
    await regional.context().close();

    for (const role of ['regional', 'clinician', 'provider'] as const) {
      const response = await formPost(`/staff/claims/${rrkClaim}/approve`, tokens[role]);
      expect(response.status, role).toBe(403);
      expect((await formPost(`/staff/claims/${rweClaim}/paid`, tokens[role])).status, role).toBe(403);
      expect((await fetch(`${api.url}/staff/claims/claims.csv`, { headers: { authorization: `Bearer ${tokens[role]}` } })).status, role).toBe(403);
    }
    expect((await fetch(`${api.url}/staff/funds`, { headers: { authorization: `Bearer ${tokens.clinician}` } })).status).toBe(403);
    expect(await claimStatus(rrkClaim)).toMatchObject({ status: 'rejected' });
    const anonymous = await fetch(`${api.url}/staff/claims`, { redirect: 'manual' });
    expect(anonymous.headers.get('location')).toBe('/staff/sign-in?next=%2Fstaff%2Fclaims');
  });
});
