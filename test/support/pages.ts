/**
 * What every page a test opens in Chromium must pass: axe-core's accessibility rules (a serious or
 * critical violation fails), and no request to any host but the app's own. A patient's phone, with
 * JavaScript off, is the context patients' pages are tried in; each page seen can be kept as a
 * screenshot (test/screenshots/, git-ignored) for a reviewer to look at.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** A phone-sized context (390 px) with JavaScript off, whose requests to other hosts are refused and listed. */
export async function phoneWithoutJavaScript(browser: Browser): Promise<{ context: BrowserContext; foreignRequests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false, isMobile: true, hasTouch: true });
  const foreignRequests: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    foreignRequests.push(url.href);
    return route.abort();
  });
  return { context, foreignRequests };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it stands, each with the elements at
 * fault. axe needs JavaScript (its timers) and a script of its own, which the pages' CSP refuses: the
 * page's document is copied, as it is, into a page of a JavaScript-enabled context that bypasses CSP, at
 * the same origin and width, and checked there.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser');
  const checker = await browser.newContext({ bypassCSP: true, viewport: page.viewportSize() ?? { width: 1280, height: 720 } });
  try {
    const copy = await checker.newPage();
    await copy.goto(new URL('/health', page.url()).href);
    await copy.setContent(await page.content(), { waitUntil: 'load' });
    await copy.addScriptTag({ content: axeSource });
    const violations = await copy.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
    });
    return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  } finally {
    await checker.close();
  }
}

/** Saves the whole page as test/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/** A staff member's signed-in page at desktop width (or the viewport given), through the sign-in form as a person signs in. */
export async function signedInStaffPage(browser: Browser, baseUrl: string, token: string, options: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${baseUrl}/staff/sign-in`);
  await page.getByLabel('Your staff access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  return page;
}
