import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fallbackChannel, hasChannelAfter, maskedEmail, maskedPhone, patientChannels } from '../../domain/channels';

describe('patient channels', () => {
  it.each([
    ['a mobile and an email', { phone: '+447700900102', email: 'david@example.nhs.test' }, true, ['sms', 'email', 'letter']],
    ['a mobile, written at home, and no email', { phone: '07700 900102', email: null }, true, ['sms', 'letter']],
    ['a landline and an email', { phone: '+441164960101', email: 'amira@example.nhs.test' }, true, ['email', 'letter']],
    ['a number from abroad', { phone: '+33612345678', email: null }, true, ['letter']],
    ['nothing but an address', { phone: null, email: null }, true, ['letter']],
    ['a mobile, with no text messages set up', { phone: '+447700900102', email: 'david@example.nhs.test' }, false, ['email', 'letter']],
    ['a mobile only, with no text messages set up', { phone: '+447700900102', email: null }, false, ['letter']],
  ])('for %s', (_, contact, sms, expected) => {
    expect(patientChannels(contact, { sms })).toEqual(expected);
  });

  it('always ends with a letter, keeps SMS before email before letter, and texts only UK mobiles when text messages are set up', () => {
    const order = ['sms', 'email', 'letter'];
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom('+447700900102', '+441164960101', '07700 900103', '+33612345678', 'not a number'), { nil: null }),
        fc.option(fc.constant('someone@example.nhs.test'), { nil: null }),
        fc.boolean(),
        (phone, email, sms) => {
          const channels = patientChannels({ phone, email }, { sms });
          expect(channels.at(-1)).toBe('letter');
          expect([...channels].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(channels);
          expect(channels.includes('sms')).toBe(sms && (phone === '+447700900102' || phone === '07700 900103'));
          expect(channels.includes('email')).toBe(email !== null);
        },
      ),
    );
  });

  it.each([
    ['a text that failed, to a patient with an email', { phone: '+447700900102', email: 'david@example.nhs.test' }, 'sms', 'email'],
    ['a text that failed, to a patient with no email', { phone: '+447700900102', email: null }, 'sms', 'letter'],
    ['an email that failed', { phone: '+447700900102', email: 'david@example.nhs.test' }, 'email', 'letter'],
    ['a text that failed, whose mobile has since been removed', { phone: null, email: 'david@example.nhs.test' }, 'sms', 'email'],
    ['a letter that failed', { phone: '+447700900102', email: 'david@example.nhs.test' }, 'letter', undefined],
  ] as const)('falls back after %s', (_, contact, failed, expected) => {
    expect(fallbackChannel(contact, { sms: true }, failed)).toBe(expected);
    expect(hasChannelAfter(failed)).toBe(expected !== undefined);
  });
});

describe("the patient's choice", () => {
  const everything = { phone: '+447700900102', email: 'david@example.nhs.test' };
  it.each([
    ['email, over a mobile', { ...everything, contactChannel: 'email' as const }, true, ['email', 'sms', 'letter']],
    ['a letter, over both', { ...everything, contactChannel: 'letter' as const }, true, ['letter', 'sms', 'email']],
    ['text messages, kept first', { ...everything, contactChannel: 'sms' as const }, true, ['sms', 'email', 'letter']],
    ['email, with no email on file any more: the rule as before', { phone: '+447700900102', email: null, contactChannel: 'email' as const }, true, ['sms', 'letter']],
    ['text messages, with none set up: the rule as before', { ...everything, contactChannel: 'sms' as const }, false, ['email', 'letter']],
  ])('is honoured when the details allow it: %s', (_, contact, sms, expected) => {
    expect(patientChannels(contact, { sms })).toEqual(expected);
  });
});

describe('masked contact details', () => {
  it('shows a mobile as 07••• ••• and its last three digits, however it is written', () => {
    expect(maskedPhone('+447700900123')).toBe('07••• ••• 123');
    expect(maskedPhone('07700 900456')).toBe('07••• ••• 456');
  });
  it('shows an email address by its first letter and domain', () => {
    expect(maskedEmail('amira.khan@example.nhs.test')).toBe('a•••@example.nhs.test');
  });
});
