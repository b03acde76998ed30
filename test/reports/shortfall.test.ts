/**
 * The shortfall report on a hand-made fixture: through the API (regional scope, defaults, bad input),
 * and the staff page in Chromium after signing in.
 */
import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import { createSmtpMailer } from '../../emails/mailer';
import { importFile } from '../../imports';
import { startTestApi } from '../support/api-server';
import { launchBrowser } from '../support/browser';
import { seriousViolations } from '../support/pages';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestTemporal, type TestTemporal } from '../support/temporal';

let database: TestDatabase;
let temporal: TestTemporal;
let api: Awaited<ReturnType<typeof startTestApi>>;
let browser: Browser;
const tokens: Record<string, string> = {};

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

beforeAll(async () => {
  database = await createTestDatabase();
  const files: [string, string][] = [
    ['regions', csv('code,name', 'Y60,Midlands', 'Y56,London')],
    ['trusts', csv('ods_code,name,region_code', 'RWE,Leicester,Y60', 'RRK,Birmingham,Y60', 'RJ1,Guys,Y56')],
    ['treatment-functions', csv('code,name', '110,Trauma and Orthopaedic Service', '130,Ophthalmology Service')],
    [
      'contracts',
      csv(
        'trust_ods,treatment_function_code,month,contracted_volume',
        'RWE,110,2026-03,100',
        'RWE,110,2026-04,100',
        'RWE,130,2026-04,200',
        'RRK,110,2026-04,50',
        'RJ1,110,2026-04,80',
      ),
    ],
    [
      'activity',
      csv(
        'trust_ods,treatment_function_code,month,delivered_volume',
        'RWE,110,2026-03,70',
        'RWE,110,2026-04,90',
        'RWE,130,2026-04,195',
        'RRK,110,2026-04,20',
        'RJ1,110,2026-04,10',
      ),
    ],
    [
      'pathways',
      csv(
        'trust_ods,pathway_ref,nhs_number,given_name,family_name,date_of_birth,treatment_function_code,clock_start_date,priority',
        'RWE,1,9990000018,A,One,1960-01-01,110,2026-10-01,routine',
        'RWE,2,9990000026,B,Two,1960-01-01,110,2025-10-01,routine',
        'RWE,3,9990000034,C,Three,1960-01-01,130,2024-06-01,routine',
        'RRK,1,9990000042,D,Four,1960-01-01,110,2025-01-01,routine',
      ),
    ],
  ];
  for (const [kind, text] of files) {
    const report = await importFile(database.db, { kind, input: Readable.from([Buffer.from(text)]), source: 'fixture', actor: 'test' });
    expect(report.problems, kind).toEqual([]);
  }
  for (const [name, user] of Object.entries({
    midlands: { role: 'regional', region_code: 'Y60' },
    finance: { role: 'finance' },
    clinician: { role: 'clinician', trust_ods: 'RWE' },
  } as const)) {
    const staff = await createStaffUser(database.db, { name, ...user });
    tokens[name] = await issueStaffToken(database.db, staff.id, 'test');
  }
  temporal = await createTestTemporal();
  api = await startTestApi({
    db: database.db,
    temporal: temporal.client,
    taskQueue: temporal.taskQueue,
    mailer: createSmtpMailer('smtp://127.0.0.1:1', 'x@example.test'),
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await temporal?.close();
  await database?.drop();
});

const get = (path: string, token: string) => fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

interface Report {
  region: string | null;
  lines: { trustOds: string; treatmentFunctionCode: string; contracted: number; delivered: number; shortfall: number; shortfallPercent: number; missed: boolean }[];
  trusts: { trustOds: string; waiting: number; weeksWaited: Record<string, number> }[];
}

describe('GET /api/v1/shortfalls', () => {
  it('gives the region’s trusts worst first, with their waiting lists', async () => {
    const response = await get('/api/v1/shortfalls?from=2026-03&to=2026-04&asOf=2026-11-22', tokens.midlands!);
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    expect(report.region).toBe('Y60');
    expect(report.lines.map((line) => [line.trustOds, line.treatmentFunctionCode, line.contracted, line.delivered, line.shortfall, line.shortfallPercent, line.missed])).toEqual([
      ['RRK', '110', 50, 20, 30, 60, true],
      ['RWE', '110', 200, 160, 40, 20, true],
      ['RWE', '130', 200, 195, 5, 2.5, false],
    ]);
    expect(report.trusts).toEqual([
      {
        trustOds: 'RWE',
        trustName: 'Leicester',
        waiting: 3,
        weeksWaited: { 'under 18 weeks': 1, '18 to 51 weeks': 0, '52 to 64 weeks': 1, '65 to 77 weeks': 0, '78 to 103 weeks': 0, '104 weeks or more': 1 },
      },
      {
        trustOds: 'RRK',
        trustName: 'Birmingham',
        waiting: 1,
        weeksWaited: { 'under 18 weeks': 0, '18 to 51 weeks': 0, '52 to 64 weeks': 0, '65 to 77 weeks': 0, '78 to 103 weeks': 1, '104 weeks or more': 0 },
      },
    ]);
  });

  it('applies the tolerance', async () => {
    const report = (await (await get('/api/v1/shortfalls?from=2026-04&to=2026-04&tolerance=0.015', tokens.midlands!)).json()) as Report;
    expect(report.lines.find((line) => line.treatmentFunctionCode === '130')?.missed).toBe(true);
  });

  it('keeps a regional team to its region, shows finance any, and refuses clinicians', async () => {
    expect((await get('/api/v1/shortfalls?region=Y56', tokens.midlands!)).status).toBe(403);
    const national = (await (await get('/api/v1/shortfalls?from=2026-04&to=2026-04', tokens.finance!)).json()) as Report;
    expect(national.lines.map((line) => line.trustOds)).toContain('RJ1');
    expect((await get('/api/v1/shortfalls', tokens.clinician!)).status).toBe(403);
  });

  it('names bad parameters', async () => {
    const response = await get('/api/v1/shortfalls?from=2026-13&to=2026-01&tolerance=2', tokens.finance!);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { field: string }[] } };
    expect([...new Set(body.error.details.map((detail) => detail.field))].sort()).toEqual(['from', 'tolerance']);
  });
});

describe('the shortfall page', () => {
  it('asks for sign-in, then shows the table and the chart', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/staff/shortfalls?from=2026-03&to=2026-04`);
    expect(new URL(page.url()).pathname).toBe('/staff/sign-in');
    await page.getByLabel('Your staff access token').fill('bt_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('not recognised');
    await page.getByLabel('Your staff access token').fill(tokens.midlands!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/staff/shortfalls');
    expect(await page.evaluate(() => document.compatMode)).toBe('CSS1Compat');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.getByTestId('missed-count').textContent()).toBe('2 of 3 trust specialties missed their volume.');
    const firstRow = page.getByTestId('shortfall-table').locator('tbody tr').first();
    expect(await firstRow.textContent()).toContain('Birmingham');
    expect(await page.locator('svg[role="img"] rect').count()).toBe(2);
    expect(await page.getByTestId('waiting-table').locator('tbody tr').count()).toBe(2);
    await page.close();
  });
});
