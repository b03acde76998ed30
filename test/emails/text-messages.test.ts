import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { SMS_ROOM_FOR_ADDRESS_AND_PHONE, smsLength } from '../../domain/sms';
import { PATIENT_MESSAGE_KINDS, type PatientMessageData, patientTextMessage } from '../../emails/templates';
import { newLinkToken } from '../../db/tokens';

/** A message's data as the sender fills it in, with the link it issues (a fresh token, /o/ and /offer/). */
function dataFor(baseUrl: string, phone: string, givenName: string): PatientMessageData {
  const token = newLinkToken();
  return {
    givenName,
    trustName: 'University Hospitals of Morecambe Bay NHS Foundation Trust',
    phone,
    link: `${baseUrl}/offer/${token}`,
    shortLink: `${baseUrl}/o/${token}`,
    respondBy: '30 September 2026',
    booking: { siteName: 'Spire Manchester Hospital', date: '30 September 2026' },
  };
}

const KEY = 'backlog_transfer-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
const SMS_ON = { NOTIFY_API_KEY: KEY, NOTIFY_SMS_TEMPLATE_ID: 'f33517ff-2a88-4f6e-b855-c550268ce08a' };

describe('text messages: one SMS of GSM-7 each, as Notify counts', () => {
  // A live address and patient line, as a trust would configure them, and a long first name in use in England.
  const live = loadConfig({ ...SMS_ON, PUBLIC_BASE_URL: 'https://backlog-transfer.nhs.uk', PATIENT_PHONE: '0808 157 0192' });

  it.each(PATIENT_MESSAGE_KINDS)('%s: the first name, the short link and the number, in at most 160 GSM characters', (kind) => {
    const data = dataFor(live.PUBLIC_BASE_URL, live.PATIENT_PHONE, 'Oluwaseyifunmi');
    const { body } = patientTextMessage(kind, data);
    expect(smsLength(body)).toMatchObject({ fragments: 1, encoding: 'gsm-7', nonGsm: [], replaced: [] });
    expect(body.length).toBeLessThanOrEqual(160);
    expect(body).toMatch(/^Hello Oluwaseyifunmi, /);
    expect(body).toContain(live.PATIENT_PHONE);
    if (['offer', 'reminder', 'slot-taken', 'provider-rejected', 'booking-confirmation'].includes(kind)) {
      expect(body).toContain(data.shortLink);
      expect(data.shortLink).toMatch(/^https:\/\/backlog-transfer\.nhs\.uk\/o\/[0-9A-Za-z]{22}$/);
    }
    // Nothing personal but the first name: no trust, hospital, date or link to the long page.
    for (const withheld of [data.trustName, 'Morecambe', 'Spire', 'September', data.link!]) expect(body).not.toContain(withheld);
  });

  it.each(PATIENT_MESSAGE_KINDS)('%s: still one SMS with the longest address and number the configuration accepts, leaving the name out', (kind) => {
    const phone = '+44 (0) 808 157 0192'; // 20 characters, the most PATIENT_PHONE takes
    const baseUrl = `https://${'a'.repeat(SMS_ROOM_FOR_ADDRESS_AND_PHONE - phone.length - 'https://.nhs.uk'.length)}.nhs.uk`;
    const config = loadConfig({ ...SMS_ON, PUBLIC_BASE_URL: baseUrl, PATIENT_PHONE: phone });
    const { body } = patientTextMessage(kind, dataFor(config.PUBLIC_BASE_URL, config.PATIENT_PHONE, 'Oluwaseyifunmi'));
    expect(smsLength(body)).toMatchObject({ fragments: 1, encoding: 'gsm-7', replaced: [] });
    expect(body).toContain(phone);
  });

  it('leaves out a first name that does not fit, or that GSM-7 cannot write (it would send three UCS-2 fragments)', () => {
    const data = (givenName: string) => dataFor(live.PUBLIC_BASE_URL, live.PATIENT_PHONE, givenName);
    expect(patientTextMessage('offer', data('Zoë')).body).toMatch(/^Hello, the NHS can treat you sooner/);
    expect(patientTextMessage('offer', data('Mary-Elizabeth Annabel')).body).toMatch(/^Hello, the NHS/);
    expect(patientTextMessage('offer', data('José')).body).toMatch(/^Hello José, /);
    for (const name of ['Zoë', 'Mary-Elizabeth Annabel']) expect(smsLength(patientTextMessage('offer', data(name)).body).fragments).toBe(1);
  });
});
