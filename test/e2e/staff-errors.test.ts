/**
 * What a staff member sees when something is wrong, in Chromium on the real API: a form with problems
 * shows itself again with the NHS error summary, each problem in words at its field and what was
 * entered kept; a page their role may not open, or one that does not exist, keeps the staff header
 * (who is signed in, their own pages) and says in words whom it is for. axe-core finds nothing serious.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import { screenshot, seriousViolations, signedInStaffPage } from '../support/pages';
import { startTestServices, type TestServices } from '../support/services';

let services: TestServices;
let api: TestApi;
let browser: Browser;
let regional: Page;

beforeAll(async () => {
  services = await startTestServices();
  api = await services.startApi();
  browser = await launchBrowser();
  regional = await signedInStaffPage(browser, api.url, services.tokens.regional);
});

afterAll(async () => {
  await browser?.close();
  await services?.close();
});

describe('errors on staff pages', () => {
  it('shows the shortfall form again with its problems in words and what was entered', async () => {
    await regional.goto(`${api.url}/staff/shortfalls`);
    await regional.getByLabel('From month').fill('April');
    await regional.getByLabel('Tolerance').fill('five percent');
    const [response] = await Promise.all([regional.waitForResponse((candidate) => candidate.url().includes('/staff/shortfalls?')), regional.getByRole('button', { name: 'Show' }).click()]);
    expect(response.status()).toBe(400);
    const summary = regional.locator('.nhsuk-error-summary');
    expect(await summary.locator('a').allTextContents()).toEqual([
      'Enter the first month as a year and month, for example 2026-04, no later than the last month',
      'Enter the tolerance as a share between 0 and 0.5, for example 0.05 for 5%',
    ]);
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#from');
    expect(await regional.getByLabel('From month').inputValue()).toBe('April');
    expect(await regional.getByLabel('Tolerance').inputValue()).toBe('five percent');
    expect(await regional.locator('#tolerance-error').textContent()).toContain('Enter the tolerance as a share');
    expect(await regional.locator('body').textContent()).not.toMatch(/expected|received|NaN|invalid request/i);
    expect(await regional.locator('.nhsuk-header__account').textContent()).toContain('regional');
    expect(await seriousViolations(regional)).toEqual([]);
    await screenshot(regional, 'staff-shortfalls-error');
  });

  it("says in words whom a page is for when the role may not open it, under the staff header with the person's own pages", async () => {
    const response = await regional.goto(`${api.url}/staff/review`);
    expect(response?.status()).toBe(403);
    const body = (await regional.locator('main').textContent()) ?? '';
    expect(body).toContain('This page is for clinicians. You are signed in as a member of a regional team.');
    expect(body).not.toContain('needs one of the roles');
    expect(await regional.locator('main').getByRole('link').allTextContents()).toEqual(['Shortfalls', 'Campaigns', 'Funds']);
    expect(await regional.locator('.nhsuk-header__account').textContent()).toContain('regional');
    expect(await seriousViolations(regional)).toEqual([]);
    await screenshot(regional, 'staff-role-refused');
  });

  it('answers an address with no page with a page, under the staff header', async () => {
    const response = await regional.goto(`${api.url}/staff/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).toContain('text/html');
    expect(await regional.locator('h1').textContent()).toBe('Page not found');
    expect(await regional.locator('.nhsuk-header__account').textContent()).toContain('regional');
    expect(await seriousViolations(regional)).toEqual([]);
    const api404 = await fetch(`${api.url}/api/v1/no-such-thing`);
    expect(api404.status).toBe(404);
    expect((await api404.json()).error.code).toBe('not_found');
  });
});
