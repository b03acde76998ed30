/**
 * What a transfer is paid (PRODUCT.md §3.10): the procedure's NHS Payment Scheme unit price, by HRG,
 * times the provider's market forces factor, in whole pence. Exact: the factor is read as the decimal
 * it is stored as (five places), never through a binary float.
 */
const FACTOR_PLACES = 5;
const FACTOR_SCALE = 10 ** FACTOR_PLACES;

/** unit price × factor, rounded half up to the penny. `factor` is a decimal string such as "1.04671". */
export function priceWithMarketForces(unitPricePence: number, factor: string): number {
  if (!Number.isSafeInteger(unitPricePence) || unitPricePence <= 0) throw new RangeError(`unit price must be whole pence above 0, not ${unitPricePence}`);
  const match = /^(\d+)(?:\.(\d{1,5}))?$/.exec(factor);
  if (!match) throw new RangeError(`market forces factor must be a decimal with up to ${FACTOR_PLACES} places, not "${factor}"`);
  const scaled = Number(match[1]) * FACTOR_SCALE + Number((match[2] ?? '').padEnd(FACTOR_PLACES, '0'));
  // Both fit well inside 2^53 (prices below £100,000, factors below 2), so the product is exact.
  return Math.floor((unitPricePence * scaled + FACTOR_SCALE / 2) / FACTOR_SCALE);
}

/** Where a price came from, kept with it on the offer, the booking and the claim line. */
export function priceSource(hrgCode: string, unitPriceSource: string, factor: string, mffSource: string): string {
  return `${hrgCode} ${unitPriceSource} × MFF ${factor} (${mffSource})`;
}
