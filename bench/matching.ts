/**
 * `npm run bench -- matching [--slots N] [--seed S]`: the campaign's offer window (domain/campaign-window,
 * the rule campaignWorkflow sizes itself by) against scripted patients and a fixed IS capacity, hour by
 * hour over a campaign's period. Target (PRODUCT.md §8): at acceptance rates of 30–60%, at least 90% of
 * the slots end up booked, and at most 2% of acceptances find no slot left.
 *
 * The model, as the product behaves: the campaign keeps offers outstanding (from start to answer) up
 * to the window, recomputed whenever something happens; a clinician confirms each within two days; a
 * patient answers within the fourteen-day response window (most in the first few days) or lets the
 * offer lapse; one who accepts picks one of the first five free days from tomorrow on (the offer page
 * lists free days live), and finds none when the capacity is all taken. A slot whose day has passed
 * unbooked is lost.
 */
import { acceptanceEstimate, offerWindow } from '../domain/campaign-window';
import { DEFAULT_TRANSFER_SETTINGS } from '../domain/transfer-settings';
import { Random } from '../generate/random';
import { option, reportFigures } from './support';

const HOURS_PER_DAY = 24;
/** Slots are on days FIRST_SLOT_DAY..PERIOD_DAYS of the campaign, as a period's capacity is. */
const FIRST_SLOT_DAY = 21;
const PERIOD_DAYS = 90;
const REVIEW_DAYS = 2;

interface Offer {
  /** When the patient's answer (or the lapse) arrives, in hours from launch. */
  readonly answerAt: number;
  readonly answer: 'accept' | 'decline' | 'lapse';
}

export interface MatchingResult {
  readonly acceptRate: number;
  readonly offers: number;
  readonly acceptances: number;
  readonly slotGone: number;
  readonly slotsBooked: number;
  readonly slots: number;
}

/** One campaign over the period with patients who accept at `acceptRate` (the rest half decline, half ignore). */
export function simulateMatching(acceptRate: number, slots: number, seed: number): MatchingResult {
  const random = new Random(seed);
  const slotDays = Array.from({ length: slots }, (_, index) => FIRST_SLOT_DAY + Math.floor((index * (PERIOD_DAYS - FIRST_SLOT_DAY + 1)) / slots));
  const booked = new Array<boolean>(slots).fill(false);
  const outstanding: Offer[] = [];
  const result = { acceptRate, offers: 0, acceptances: 0, slotGone: 0, slotsBooked: 0, slots };
  let answered = 0;
  let accepted = 0;

  const freeFrom = (day: number) => slotDays.flatMap((slotDay, index) => (slotDay >= day && !booked[index] ? [index] : []));

  for (let hour = 0; hour < PERIOD_DAYS * HOURS_PER_DAY; hour++) {
    const today = Math.floor(hour / HOURS_PER_DAY);
    // Answers due this hour.
    for (let index = outstanding.length - 1; index >= 0; index--) {
      const offer = outstanding[index]!;
      if (offer.answerAt > hour) continue;
      outstanding.splice(index, 1);
      answered += 1;
      if (offer.answer !== 'accept') continue;
      accepted += 1;
      result.acceptances += 1;
      const free = freeFrom(today + 1);
      if (free.length === 0) {
        result.slotGone += 1;
        continue;
      }
      // One of the first five free days, as the offer page lists them.
      const days = [...new Set(free.map((slot) => slotDays[slot]!))].slice(0, 5);
      const day = random.pick(days);
      booked[free.find((slot) => slotDays[slot] === day)!] = true;
      result.slotsBooked += 1;
    }
    // The campaign tops its window up.
    const window = offerWindow({ freeSlots: freeFrom(today + 1).length, fundPlaces: Number.MAX_SAFE_INTEGER, estimate: acceptanceEstimate(accepted, answered) });
    while (outstanding.length < window) {
      outstanding.push(scriptedPatient(random, hour, acceptRate));
      result.offers += 1;
    }
  }
  return result;
}

function scriptedPatient(random: Random, hour: number, acceptRate: number): Offer {
  const offeredAt = hour + random.next() * REVIEW_DAYS * HOURS_PER_DAY;
  const windowHours = DEFAULT_TRANSFER_SETTINGS.responseWindowDays * HOURS_PER_DAY;
  const roll = random.next();
  const answer = roll < acceptRate ? 'accept' : roll < acceptRate + (1 - acceptRate) / 2 ? 'decline' : 'lapse';
  // Most who answer do so in the first days (exponential, mean three days), never after the window.
  const after = answer === 'lapse' ? windowHours : Math.min(windowHours - 1, -Math.log(1 - random.next()) * 3 * HOURS_PER_DAY);
  return { answerAt: offeredAt + after, answer };
}

export async function benchMatching(args: readonly string[]): Promise<void> {
  const slots = option(args, '--slots', 1_000);
  const seed = option(args, '--seed', 7);
  const results = [0.3, 0.45, 0.6].map((rate) => simulateMatching(rate, slots, seed));
  // The targets are absolute shares, so each is its own baseline: a ratio of 1 meets it.
  await reportFigures(
    'matching',
    `Capacity matching: ${slots.toLocaleString('en-GB')} IS slots on days ${FIRST_SLOT_DAY}–${PERIOD_DAYS}, scripted patients (seed ${seed})`,
    results.flatMap((result) => {
      const percent = Math.round(result.acceptRate * 100);
      return [
        { name: `accept ${percent}%: slots booked`, value: (100 * result.slotsBooked) / result.slots, unit: '%', baseline: 90, baselineName: 'target', targetRatio: 1 },
        {
          name: `accept ${percent}%: slot gone`,
          value: result.acceptances === 0 ? 0 : (100 * result.slotGone) / result.acceptances,
          unit: '% of acceptances',
          baseline: 2,
          baselineName: 'target',
          better: 'lower' as const,
          targetRatio: 1,
        },
      ];
    }),
    results.map((result) => `accept ${Math.round(result.acceptRate * 100)}%: ${result.offers.toLocaleString('en-GB')} offers, ${result.acceptances.toLocaleString('en-GB')} acceptances`),
    { results },
  );
}
