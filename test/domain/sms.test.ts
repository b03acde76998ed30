import { describe, expect, it } from 'vitest';
import { fitsOneSms, smsLength } from '../../domain/sms';

describe('smsLength, counted as GOV.UK Notify counts', () => {
  it.each([
    ['160 GSM characters: one fragment', 'a'.repeat(160), 160, 1, 'gsm-7'],
    ['161: two', 'a'.repeat(161), 161, 2, 'gsm-7'],
    ['306: two (153 each)', 'a'.repeat(306), 306, 2, 'gsm-7'],
    ['307: three', 'a'.repeat(307), 307, 3, 'gsm-7'],
    ['£, é, ñ and Ü are GSM-7', `£éñÜ${'a'.repeat(156)}`, 160, 1, 'gsm-7'],
    ['each of ^{}\\[~]|€ counts two', `€[]${'a'.repeat(154)}`, 160, 1, 'gsm-7'],
    ['an extension character past 160 makes two', `€${'a'.repeat(159)}`, 161, 2, 'gsm-7'],
    ['one letter GSM-7 lacks sends it all as UCS-2: 70 in one', `Zoë${'a'.repeat(67)}`, 70, 1, 'ucs-2'],
    ['and 67 a fragment beyond', `Siân${'a'.repeat(67)}`, 71, 2, 'ucs-2'],
  ] as const)('%s', (_, text, characters, fragments, encoding) => {
    expect(smsLength(text)).toMatchObject({ characters, fragments, encoding });
  });

  it('names the characters that force UCS-2, and those Notify replaces with GSM-7 look-alikes before counting', () => {
    expect(smsLength('Hello Zoë 🙂')).toMatchObject({ encoding: 'ucs-2', nonGsm: ['ë', '🙂'], replaced: [] });
    const curly = smsLength('You’re booked – see “your page”');
    expect(curly).toMatchObject({ encoding: 'gsm-7', nonGsm: [], replaced: ['’', '–', '“', '”'], characters: 31 });
    expect(smsLength('Wait…')).toMatchObject({ characters: 7, encoding: 'gsm-7' });
  });

  it('fitsOneSms: one GSM-7 fragment, as written', () => {
    expect(fitsOneSms('a'.repeat(160))).toBe(true);
    expect(fitsOneSms('a'.repeat(161))).toBe(false);
    expect(fitsOneSms('Hello Zoë')).toBe(false);
    expect(fitsOneSms('You’re booked')).toBe(false);
  });
});
