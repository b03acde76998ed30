/**
 * "How we contact you" on the patient's page (issue 20 item 1): the channels the patient's details
 * allow, each with where it goes partly hidden, the one used now chosen; a choice stored on the
 * patient and audited as the offer's patient, confirmed from what is stored; a channel their details
 * or our senders do not allow refused with the error in place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../api/app';
import { issueOfferToken } from '../../db/repositories/offers';
import { openTransferRow } from '../../db/repositories/transfers';
import { patientOf } from '../support/fixture-world';
import { startTestServices, type TestServices } from '../support/services';

/** David Morgan: a mobile (07700 900102) and an email address. */
const DAVID = 2;

let services: TestServices;
let app: App;
let withoutTexts: App;
let token: string;
let patientId: number;

beforeAll(async () => {
  services = await startTestServices();
  app = createApp(services.appDeps({ textMessages: true }));
  withoutTexts = createApp(services.appDeps());
  const transfer = await openTransferRow(services.database.db, { pathwayId: DAVID, fundId: null, period: null, workflowId: 'wf-contact', runId: 'run-contact' });
  token = await issueOfferToken(services.database.db, transfer.id, new Date(Date.now() + 7 * 86_400_000));
  patientId = (await patientOf(services.database.db, DAVID)).id;
});

afterAll(async () => {
  await services?.close();
});

const post = (body: Record<string, string>, on = app) =>
  on.request(`/offer/${token}/contact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
const audits = (action: string) =>
  services.database.db.selectFrom('audit_log').select(['actor', 'subject', 'detail']).where('action', '=', action).where('subject', '=', `patient:${patientId}`).orderBy('id').execute();
const radios = (html: string) => [...html.matchAll(/name="channel" type="radio" value="(\w+)"([^>]*)>/g)].map(([, value, rest]) => `${value}${/ checked\b/.test(rest!) ? ' (chosen)' : ''}`);

describe('how we contact you', () => {
  it('offers the channels the details allow, where each goes partly hidden, the one used now chosen; the read audited', async () => {
    const page = await app.request(`/offer/${token}/contact`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(radios(html)).toEqual(['sms (chosen)', 'email', 'letter']);
    expect(html).toContain('to 07••• ••• 102');
    expect(html).toContain('to d•••@example.nhs.test');
    expect(html).toContain('by post to your home address');
    expect(html).not.toContain('900102');
    expect(html).not.toContain('david.morgan');
    expect((await audits('patient.contact.view')).at(-1)).toMatchObject({ actor: expect.stringMatching(/^patient:offer:\d+$/) });
    // Without text messages set up, no text is offered.
    expect(radios(await (await withoutTexts.request(`/offer/${token}/contact`)).text())).toEqual(['email (chosen)', 'letter']);
  });

  it('stores the choice on the patient, audits it, and confirms it from what is stored', async () => {
    const saved = await post({ channel: 'email' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/offer/${token}/contact/saved`);
    const patient = await services.database.db.selectFrom('patients').select('contact_channel').where('id', '=', patientId).executeTakeFirstOrThrow();
    expect(patient.contact_channel).toBe('email');
    expect(await audits('patient.contact.change')).toEqual([
      { actor: expect.stringMatching(/^patient:offer:\d+$/), subject: `patient:${patientId}`, detail: { from: null, to: 'email', transferId: expect.any(Number) } },
    ]);
    const confirmation = await (await app.request(`/offer/${token}/contact/saved`)).text();
    expect(confirmation).toContain('<h1 class="nhsuk-panel__title">We will contact you by email</h1>');
    expect(confirmation).toContain('to d•••@example.nhs.test');
    // The form now shows the choice.
    expect(radios(await (await app.request(`/offer/${token}/contact`)).text())).toEqual(['sms', 'email (chosen)', 'letter']);
  });

  it('refuses no choice, a channel that is not one, and one the details or our senders do not allow, with the error in place', async () => {
    for (const [body, on] of [[{}, app], [{ channel: 'pigeon' }, app], [{ channel: 'sms' }, withoutTexts]] as const) {
      const refused = await post(body, on);
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('<title>Error: How should we contact you?');
      expect(html).toContain('<a href="#channel">Choose how we should contact you</a>');
    }
    const patient = await services.database.db.selectFrom('patients').select('contact_channel').where('id', '=', patientId).executeTakeFirstOrThrow();
    expect(patient.contact_channel).toBe('email');
    expect(await audits('patient.contact.change')).toHaveLength(1);
  });

  it('is the offer page\'s "Change how we contact you", and meets an unknown link with "not found"', async () => {
    expect(await (await app.request(`/offer/${token}`)).text()).toContain(`<a href="/offer/${token}/contact">Change how we contact you</a>`);
    for (const path of ['contact', 'contact/saved']) expect((await app.request(`/offer/${'x'.repeat(22)}/${path}`)).status).toBe(404);
    expect((await post({ channel: 'email' }, app)).status).toBe(303);
  });
});
