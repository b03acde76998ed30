/**
 * Referral-to-treatment waiting times: weeks waited since the clock started, and the bands the
 * reports group them in (the 18-week standard and the long-wait thresholds).
 */
import { daysBetween } from './dates';

export const WAIT_BANDS = [
  { label: 'under 18 weeks', fromWeeks: 0 },
  { label: '18 to 51 weeks', fromWeeks: 18 },
  { label: '52 to 64 weeks', fromWeeks: 52 },
  { label: '65 to 77 weeks', fromWeeks: 65 },
  { label: '78 to 103 weeks', fromWeeks: 78 },
  { label: '104 weeks or more', fromWeeks: 104 },
] as const;

export type WaitBand = (typeof WAIT_BANDS)[number]['label'];

/** Completed weeks between the clock start and a day (both 'YYYY-MM-DD'). */
export function weeksWaited(clockStart: string, asOf: string): number {
  return Math.max(0, Math.floor(daysBetween(clockStart, asOf) / 7));
}

export function waitBand(weeks: number): WaitBand {
  let band: WaitBand = WAIT_BANDS[0].label;
  for (const candidate of WAIT_BANDS) if (weeks >= candidate.fromWeeks) band = candidate.label;
  return band;
}
