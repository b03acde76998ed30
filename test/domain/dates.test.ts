import { describe, expect, it } from 'vitest';
import { readDateFields } from '../../domain/dates';

const read = (day: string, month: string, year: string) => readDateFields({ day, month, year }, 'the date treated');

describe('readDateFields: a date typed in the NHS date input', () => {
  it('reads day, month and year as the day they name, with or without leading zeros and spaces', () => {
    expect(read('27', '3', '2026')).toEqual({ day: '2026-03-27' });
    expect(read(' 07 ', '03', '2026')).toEqual({ day: '2026-03-07' });
    expect(read('29', '2', '2028')).toEqual({ day: '2028-02-29' });
  });

  it('reads three blank fields as no date: whether one is needed is the rule of the form', () => {
    expect(read('', ' ', '')).toEqual({ day: undefined });
  });

  it('names the fields left out', () => {
    expect(read('27', '3', '')).toEqual({ problem: 'The date treated must include a year', parts: ['year'] });
    expect(read('', '', '2026')).toEqual({ problem: 'The date treated must include a day and month', parts: ['day', 'month'] });
  });

  it('refuses a day that does not exist, marking the field at fault', () => {
    expect(read('31', '2', '2026')).toEqual({ problem: 'The date treated must be a real date', parts: ['day'] });
    expect(read('29', '2', '2026')).toEqual({ problem: 'The date treated must be a real date', parts: ['day'] });
    expect(read('12', '13', '2026')).toEqual({ problem: 'The date treated must be a real date', parts: ['month'] });
    expect(read('0', 'March', '2026')).toEqual({ problem: 'The date treated must be a real date', parts: ['day', 'month'] });
    expect(read('27', '3', '26')).toEqual({ problem: 'The year of the date treated must include 4 numbers', parts: ['year'] });
  });
});
