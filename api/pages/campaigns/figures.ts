/** The dashboard's figures in words, the same on the server's page and from its browser script (./dashboard.ts). Pure. */

/** The share of the period's IS slots the campaign's patients have booked; with no slots, that there are none (never "–%"). */
export function slotShareText(booked: number, slots: number): string {
  return slots > 0 ? `${((booked / slots) * 100).toFixed(1)}%` : 'No IS slots in the period';
}
