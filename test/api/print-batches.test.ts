/**
 * The trust's daily print batch: a letter queued by the real sendTransferMessage for a patient with no
 * email address comes out of the download as a PDF addressed to them, with the link in full, its QR
 * code and the number to call; the download marks it printed, can be fetched again, is audited, and
 * only staff of the trust (or its region, or admins) can have it.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { type App, createApp } from '../../api/app';
import { createStaffUser, issueStaffToken } from '../../db/repositories/staff';
import { openTransferRow } from '../../db/repositories/transfers';
import type { Message, StaffRole } from '../../db/schema';
import type { MessageContent } from '../../emails/templates';
import type { TestDatabase } from '../support/database';
import { NO_EMAIL_PATHWAY, patientOf } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

const PHONE = '0808 157 0192';
const BASE = '/api/v1/print-batches';

let services: TestServices;
let database: TestDatabase;
let tokens: Record<StaffRole, string>;
let app: App;
/** The letter queued for Owen Price (pathway 4), and the London day it belongs to. */
let letter: Message;
let day: string;

/** The calendar day of a moment in England, worked out apart from the SQL under test. */
const londonDay = (moment: Date) => moment.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

beforeAll(async () => {
  services = await startTestServices();
  ({ database, tokens } = services);
  const patient = await patientOf(database.db, NO_EMAIL_PATHWAY);
  await database.db.updateTable('patients').set({ address_line_1: '12 Narborough Road', address_line_2: 'Łódź Nguyễn Court', town: 'Leicester' }).where('id', '=', patient.id).execute();

  app = createApp(services.appDeps());

  const transfer = await openTransferRow(database.db, { pathwayId: NO_EMAIL_PATHWAY, fundId: null, period: null, workflowId: 'wf-letter', runId: 'run-letter' });
  const sent = await new MockActivityEnvironment().run(
    createActivities({ db: database.db, mailer: services.mail.mailer, publicBaseUrl: 'http://localhost:3000', patientPhone: PHONE, now: () => new Date() })
      .sendTransferMessage,
    { transferId: transfer.id, intent: 'offer-1', kind: 'offer' as const, respondBy: new Date(Date.now() + 14 * 86_400_000).toISOString() },
  );
  expect(sent).toBe('queued');
  letter = await database.db.selectFrom('messages').selectAll().where('transfer_id', '=', transfer.id).executeTakeFirstOrThrow();
  day = londonDay(letter.created_at);
});

afterAll(async () => {
  await services?.close();
});

const get = (path: string, token: string) => app.request(`${BASE}${path}`, { headers: { authorization: `Bearer ${token}` } });

async function pdfText(response: Response): Promise<{ text: string; raw: string }> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const raw = Buffer.from(bytes).toString('latin1');
  const parser = new PDFParse({ data: bytes });
  try {
    // Where lines break depends on the font's widths, not on what the letter says: read it as running text.
    return { text: (await parser.getText()).text.replace(/\s+/g, ' '), raw };
  } finally {
    await parser.destroy();
  }
}

const messageRow = (id: number) => database.db.selectFrom('messages').select(['status', 'sent_at']).where('id', '=', id).executeTakeFirstOrThrow();

const downloads = () =>
  database.db.selectFrom('audit_log').selectAll().where('action', '=', 'print-batch.download').orderBy('id').execute();

async function staffToken(user: { role: StaffRole; region_code?: string; trust_ods?: string }): Promise<string> {
  const staff = await createStaffUser(database.db, { name: `${user.role} ${user.region_code ?? user.trust_ods}`, ...user });
  return issueStaffToken(database.db, staff.id, 'test');
}

// The tests run in order: the first download prints the letter, the later ones see it printed.
describe('a day’s print batch', () => {
  it('lists the day with its letter waiting', async () => {
    const response = await get('/RWE', tokens.clinician);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ trustOds: 'RWE', days: [{ day, queued: 1, printed: 0 }] });
  });

  it('downloads the letter as a PDF addressed to the patient, with the link in full, a QR code and the number to call', async () => {
    const response = await get(`/RWE/${day}`, tokens.clinician);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="letters-RWE-${day}.pdf"`);
    expect(response.headers.get('cache-control')).toBe('no-store');

    const content = letter.letter as unknown as MessageContent;
    const link = content.action!.href;
    expect(link).toMatch(/^http:\/\/localhost:3000\/offer\/[0-9A-Za-z]{22}$/);
    const { text, raw } = await pdfText(response);
    // Letters outside Western European ones print as written (an embedded Unicode font, not Helvetica).
    for (const expected of ['Owen Price', '12 Narborough Road', 'Łódź Nguyễn Court', 'Leicester', 'LE3 9QP', content.subject, 'Dear Owen,', link, `To talk about this, call ${PHONE}`]) {
      expect(text).toContain(expected);
    }
    expect(raw).toMatch(/\/Subtype \/Image/);

    const row = await messageRow(letter.id);
    expect(row.status).toBe('sent');
    expect(row.sent_at).toBeInstanceOf(Date);
    expect((await downloads()).at(-1)).toMatchObject({
      actor: expect.stringMatching(/^staff:\d+$/),
      subject: 'trust:RWE',
      detail: { day, letters: 1, newlyPrinted: 1 },
    });
  });

  it('gives the same letters again to a second download, and changes nothing', async () => {
    const before = await messageRow(letter.id);
    const response = await get(`/RWE/${day}`, tokens.regional);
    expect(response.status).toBe(200);
    expect((await pdfText(response)).text).toContain('12 Narborough Road');
    expect(await messageRow(letter.id)).toEqual(before);
    expect((await downloads()).at(-1)?.detail).toEqual({ day, letters: 1, newlyPrinted: 0 });
  });

  it('lists the day as printed after the download', async () => {
    const response = await get('/RWE', tokens.admin);
    expect(await response.json()).toEqual({ trustOds: 'RWE', days: [{ day, queued: 0, printed: 1 }] });
  });

  it('answers 404 for a day with no letters, and audits nothing', async () => {
    const audited = (await downloads()).length;
    const response = await get('/RWE/2020-01-01', tokens.clinician);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'trust RWE has no letters to print for 2020-01-01' } });
    expect(await downloads()).toHaveLength(audited);
  });

  it('puts a letter queued just after midnight in England in that day’s batch, and lists an old day while it waits', async () => {
    // A summer day long enough ago to be outside the last 30 days; 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
    const year = new Date().getUTCFullYear() - 1;
    await database.db
      .insertInto('messages')
      .values({
        transfer_id: letter.transfer_id,
        intent: 'reminder-1',
        kind: 'reminder',
        channel: 'letter',
        status: 'queued',
        trust_ods: 'RWE',
        letter: JSON.stringify(letter.letter),
        created_at: `${year}-06-30T23:30:00Z`,
      })
      .execute();
    const waiting = { trustOds: 'RWE', days: [{ day, queued: 0, printed: 1 }, { day: `${year}-07-01`, queued: 1, printed: 0 }] };
    expect(await (await get('/RWE', tokens.clinician)).json()).toEqual(waiting);

    expect((await get(`/RWE/${year}-06-30`, tokens.clinician)).status).toBe(404);
    expect((await get(`/RWE/${year}-07-01`, tokens.clinician)).status).toBe(200);
    expect(await (await get('/RWE', tokens.clinician)).json()).toEqual({ trustOds: 'RWE', days: [{ day, queued: 0, printed: 1 }] });
  });
});

describe('who may print', () => {
  it('refuses providers and finance with 403', async () => {
    for (const role of ['provider', 'finance'] as const) {
      for (const path of ['/RWE', `/RWE/${day}`]) {
        const response = await get(path, tokens[role]);
        expect(response.status, `${role} ${path}`).toBe(403);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }
    }
  });

  it('answers 404, as if unknown, for a trust outside the caller’s scope', async () => {
    const otherTrust = await staffToken({ role: 'clinician', trust_ods: 'RRK' });
    const otherRegion = await staffToken({ role: 'regional', region_code: 'Y56' });
    for (const token of [otherTrust, otherRegion]) {
      for (const path of ['/RWE', `/RWE/${day}`]) {
        const response = await get(path, token);
        expect(response.status, path).toBe(404);
        expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'trust RWE not found' } });
      }
    }
    expect((await get('/XYZ', tokens.admin)).status).toBe(404);
  });

  it('refuses a request with no token with 401', async () => {
    expect((await app.request(`${BASE}/RWE/${day}`)).status).toBe(401);
  });
});

describe('bad input', () => {
  it('names the field at fault with 400', async () => {
    for (const [path, field] of [
      ['/RWE/2026-13-40', 'day'],
      ['/RWE/2026-02-30', 'day'],
      ['/RWE/yesterday', 'day'],
      ['/rwe!/2026-11-22', 'trustOds'],
    ] as const) {
      const response = await get(path, tokens.admin);
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { field: string }[] } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.details.map((detail) => detail.field)).toEqual([field]);
    }
  });
});
