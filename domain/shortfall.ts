/**
 * Shortfall (PRODUCT.md §3.1): how far a trust's delivered elective volume fell below its contract
 * over a period. A trust has missed its volume when delivered is below contracted by more than a
 * tolerance (default 5%).
 */

export const DEFAULT_TOLERANCE = 0.05;

export interface Volumes {
  readonly contracted: number;
  readonly delivered: number;
}

export interface Shortfall extends Volumes {
  /** Contracted less delivered, never below zero. */
  readonly shortfall: number;
  /** Shortfall as a percentage of contracted, to one decimal place. */
  readonly shortfallPercent: number;
  readonly missed: boolean;
}

export function assessShortfall(volumes: Volumes, tolerance = DEFAULT_TOLERANCE): Shortfall {
  if (tolerance < 0 || tolerance >= 1) throw new RangeError(`tolerance must be at least 0 and below 1, got ${tolerance}`);
  const shortfall = Math.max(0, volumes.contracted - volumes.delivered);
  const ratio = volumes.contracted > 0 ? shortfall / volumes.contracted : 0;
  return {
    ...volumes,
    shortfall,
    shortfallPercent: Math.round(ratio * 1000) / 10,
    missed: volumes.contracted > 0 && volumes.delivered < volumes.contracted * (1 - tolerance),
  };
}

/** Worst first: the largest share missed, then the most pathways missed. */
export function worstFirst<T extends Shortfall>(a: T, b: T): number {
  return b.shortfall / Math.max(b.contracted, 1) - a.shortfall / Math.max(a.contracted, 1) || b.shortfall - a.shortfall;
}
