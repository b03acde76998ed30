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
