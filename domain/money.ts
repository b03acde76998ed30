/** Money is whole pence everywhere (PRODUCT.md §3.10); these are the only ways it is written for people. */

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** "£7,421.18" for 742118 pence: for pages and emails. */
export function formatPence(pence: number): string {
  return pounds.format(pence / 100);
}

/** "7421.18" for 742118 pence: pounds with two decimals, exact, for spreadsheets. */
export function penceAsPounds(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`an amount must be whole pence, not ${pence}`);
  const sign = pence < 0 ? '-' : '';
  const whole = Math.abs(pence);
  return `${sign}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}
