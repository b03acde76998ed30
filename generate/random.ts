/**
 * Seeded randomness for the synthetic world (pure-rand's xoroshiro128+): the same seed always gives
 * the same world, byte for byte.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export class Random {
  private readonly rng;
  private spare: number | undefined;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** In [0, 1). */
  next(): number {
    return uniformFloat64(this.rng);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from nothing');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Normally distributed (Box–Muller). */
  normal(mean: number, sd: number): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return mean + sd * value;
    }
    const u = 1 - this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return mean + sd * radius * Math.cos(2 * Math.PI * v);
  }
}

/** Draws an index with probability proportional to its weight, in O(log n) per draw. */
export class WeightedPicker {
  private readonly cumulative: number[];

  constructor(weights: readonly number[]) {
    let total = 0;
    this.cumulative = weights.map((weight) => (total += Math.max(0, weight)));
    if (total <= 0) throw new Error('weights must not all be zero');
  }

  pick(random: Random): number {
    const target = random.next() * this.cumulative.at(-1)!;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

/** Splits a total into whole parts proportional to weights, summing exactly to the total. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, weight) => acc + weight, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((acc, part) => acc + part, 0);
  const byRemainder = exact.map((value, index) => [value - Math.floor(value), index] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, index] of byRemainder) {
    if (left-- <= 0) break;
    parts[index]! += 1;
  }
  return parts;
}
