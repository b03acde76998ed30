/**
 * Calendar arithmetic on 'YYYY-MM-DD' days and 'YYYY-MM' months (no time zones to shift), and how
 * dates are written for people in England. One place, used by rules, reports, pages, emails and the
 * generator alike.
 */

export const DAY_MS = 86_400_000;

/** The calendar day ('YYYY-MM-DD', UTC) of a moment. */
export function dayOf(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/** The day `days` after (or, negative, before) `day`. */
export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The month `by` months after (or, negative, before) `month` ('YYYY-MM'). */
export function shiftMonth(month: string, by: number): string {
  const [year, value] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, value - 1 + by, 1)).toISOString().slice(0, 7);
}

/** The day `months` calendar months before `day`, clamped to the month's length (31 March − 1 month = 28 February). */
export function monthsBefore(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return dayOf(target);
}

// Each made once, on first use: toLocaleString with options builds a new formatter on every call,
// which pages and messages written by the thousand paid for each time. Not made as the module loads:
// workflows import this module, and the workflow sandbox evaluates it again for every workflow it
// starts, so a formatter made at load cost every transfer about a millisecond for nothing.
let ukDate: Intl.DateTimeFormat | undefined;
let ukDateTime: Intl.DateTimeFormat | undefined;

/** "22 November 2026", for a day or a moment. */
export function formatDate(date: Date | string): string {
  ukDate ??= new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  return ukDate.format(typeof date === 'string' ? new Date(`${date}T12:00:00Z`) : date);
}

/** "22 November 2026 at 09:15", in UK time. */
export function formatDateTime(date: Date): string {
  ukDateTime ??= new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' });
  return ukDateTime.format(date);
}

/** The Monday of a day's ISO week (weeks start on Monday). */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The three fields a person types a date in (the NHS date input), in their order. */
export const DATE_PARTS = ['day', 'month', 'year'] as const;
export type DatePart = (typeof DATE_PARTS)[number];
export type DateFields = Readonly<Record<DatePart, string>>;

/** What a typed date says: its day ('YYYY-MM-DD'), none when all three fields are blank, or what is wrong and which fields are at fault. */
export type DateReading = { readonly day: string | undefined } | { readonly problem: string; readonly parts: readonly DatePart[] };

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads a date typed as day, month and year ("27 3 2026"), the one place the three fields become a
 * day. `name` is the date as its errors call it ("the date treated"). Whether a blank date is
 * allowed, and any rule about which days may be given, are the caller's.
 */
export function readDateFields(fields: DateFields, name: string): DateReading {
  const values = { day: fields.day.trim(), month: fields.month.trim(), year: fields.year.trim() };
  const Name = name.charAt(0).toUpperCase() + name.slice(1);
  const missing = DATE_PARTS.filter((part) => values[part] === '');
  if (missing.length === DATE_PARTS.length) return { day: undefined };
  if (missing.length) return { problem: `${Name} must include a ${missing.join(' and ')}`, parts: missing };
  const day = /^[0-9]{1,2}$/.test(values.day) ? Number(values.day) : 0;
  const month = /^[0-9]{1,2}$/.test(values.month) ? Number(values.month) : 0;
  const unreal = [...(day < 1 || day > 31 ? (['day'] as const) : []), ...(month < 1 || month > 12 ? (['month'] as const) : [])];
  if (unreal.length) return { problem: `${Name} must be a real date`, parts: unreal };
  if (!/^[0-9]{4}$/.test(values.year)) return { problem: `The year of ${name} must include 4 numbers`, parts: ['year'] };
  const year = Number(values.year);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!)) return { problem: `${Name} must be a real date`, parts: ['day'] };
  return { day: `${values.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}
