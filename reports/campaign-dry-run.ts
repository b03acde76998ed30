/**
 * A campaign's dry run (PRODUCT.md §3.2): what launching it would do, with nothing sent or held.
 * Walks the cohort a page at a time, screens each candidate against every IS site with capacity for
 * them, composes the offer they would get, and counts: eligible, screened out (each with one reason),
 * no choice within reach, offers that would go out (within the maximum and the fund), their expected
 * cost against what is left in the fund, and the IS slots free in the period.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { cohortPage } from '../db/repositories/cohort';
import { fundBalance } from '../db/repositories/funds';
import { LIVE_BOOKING_STATUSES, siteCandidates } from '../db/repositories/offer-choices';
import { pathwaySubjects, type PathwaySubject, sitesWithCapacity } from '../db/repositories/screening';
import type { CohortCursor, CohortRules } from '../domain/cohort';
import { bookablePeriod, composeOffer, MAX_CHOICES, type Period } from '../domain/offer';
import { screen } from '../domain/screening';
import { shortfallQueryFrom, shortfallQuerySchema, shortfallReport } from './shortfall';

export interface DryRunRequest {
  readonly regionCode: string;
  /** The trusts to draw from; by default every trust of the region that missed its volume in one of the specialties. */
  readonly trusts?: readonly string[];
  readonly treatmentFunctions: readonly string[];
  readonly fundId: number;
  readonly period: Period;
  readonly rules: CohortRules;
  readonly maxOffers: number;
  /** The day the campaign would launch ('YYYY-MM-DD'). */
  readonly asOf: string;
}

export interface DryRunResult {
  readonly trusts: readonly string[];
  readonly eligible: number;
  /** Candidates no IS site can take. */
  readonly screenedOut: number;
  /** Why, one reason each, so they add up to screenedOut. */
  readonly screenedOutReasons: Readonly<Record<ScreenedOutReason, number>>;
  /** Of those excluded by criteria, how many each criterion excluded at some site (a patient may have several). */
  readonly screenedOutCriteria: Readonly<Record<string, number>>;
  /** Candidates some site can take, but none within their travel with a priced, free slot. */
  readonly noChoice: number;
  readonly wouldOffer: number;
  /** What the offers would cost if each patient took their nearest choice. */
  readonly expectedCostPence: number;
  readonly fundRemainingPence: number;
  readonly slotsAvailable: number;
}

const PAGE = 1_000;

/**
 * Why a candidate is screened out: no IS site has slots for their specialty and procedure in the
 * period, or every site that has is stopped by an exclusion criterion.
 */
export type ScreenedOutReason = 'noSiteForProcedure' | 'excludedByCriteria';

export async function campaignDryRun(db: Db, request: DryRunRequest): Promise<DryRunResult> {
  const trusts = request.trusts ?? (await trustsThatMissed(db, request));
  const period = bookablePeriod(request.period, request.asOf);
  const balance = await fundBalance(db, request.fundId);
  if (!balance) throw new Error(`fund ${request.fundId} not found`);
  const sites = new SiteCache(db, period);
  const result = { eligible: 0, screenedOut: 0, noChoice: 0, wouldOffer: 0, expectedCostPence: 0 };
  const reasons: Record<ScreenedOutReason, number> = { noSiteForProcedure: 0, excludedByCriteria: 0 };
  const criteriaCounts: Record<string, number> = {};
  let after: CohortCursor | undefined;
  for (;;) {
    const page = await cohortPage(db, { trusts, treatmentFunctions: request.treatmentFunctions, rules: request.rules, asOf: request.asOf, after, limit: PAGE });
    if (page.length === 0) break;
    for (const subject of await pathwaySubjects(db, page.map((row) => row.pathwayId))) {
      result.eligible += 1;
      const screened = (await sites.withCriteria(subject)).map(({ siteOds, criteria }) => ({ siteOds, result: screen(subject.facts, criteria, request.asOf) }));
      const passing = new Set(screened.filter(({ result: screening }) => screening.passes).map(({ siteOds }) => siteOds));
      if (passing.size === 0) {
        result.screenedOut += 1;
        reasons[screened.length === 0 ? 'noSiteForProcedure' : 'excludedByCriteria'] += 1;
        const criteria = new Set(screened.flatMap(({ result: screening }) => (screening.passes ? [] : screening.exclusions.map((exclusion) => exclusion.criterion))));
        for (const criterion of criteria) criteriaCounts[criterion] = (criteriaCounts[criterion] ?? 0) + 1;
        continue;
      }
      const [nearest] = composeOffer({
        patientLocation: subject.location,
        travelMaxMiles: subject.travelMaxMiles,
        candidates: (await sites.candidates(subject)).filter((candidate) => passing.has(candidate.siteOds)),
        fundRemainingPence: balance.remainingPence - result.expectedCostPence,
        maxChoices: MAX_CHOICES,
      });
      if (!nearest) {
        result.noChoice += 1;
        continue;
      }
      if (result.wouldOffer < request.maxOffers) {
        result.wouldOffer += 1;
        result.expectedCostPence += nearest.pricePence;
      }
    }
    const last = page.at(-1)!;
    after = { clockStartDate: last.clockStartDate, pathwayId: last.pathwayId };
  }
  return {
    trusts,
    ...result,
    screenedOutReasons: reasons,
    screenedOutCriteria: criteriaCounts,
    fundRemainingPence: balance.remainingPence,
    slotsAvailable: await freeSlotCount(db, request.treatmentFunctions, period),
  };
}

/** The region's trusts that missed their contracted volume in any of the campaign's specialties. */
async function trustsThatMissed(db: Db, request: DryRunRequest): Promise<string[]> {
  const query = shortfallQueryFrom(shortfallQuerySchema.parse({ region: request.regionCode, asOf: request.asOf }), new Date(`${request.asOf}T12:00:00Z`));
  const report = await shortfallReport(db, query);
  const missed = report.lines.filter((line) => line.missed && request.treatmentFunctions.includes(line.treatmentFunctionCode));
  return [...new Set(missed.map((line) => line.trustOds))].sort();
}

/** Free IS slots in the period for the campaign's specialties. */
async function freeSlotCount(db: Db, treatmentFunctions: readonly string[], period: Period): Promise<number> {
  if (treatmentFunctions.length === 0) return 0;
  const row = await db
    .selectFrom('slots')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('treatment_function_code', 'in', [...treatmentFunctions])
    .where('slot_date', '>=', period.from)
    .where('slot_date', '<=', period.to)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('bookings').select('bookings.id').whereRef('bookings.slot_id', '=', 'slots.id').where('bookings.status', 'in', [...LIVE_BOOKING_STATUSES]))),
    )
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Sites, their criteria and their earliest priced slot depend on the procedure only: looked up once each. */
class SiteCache {
  private readonly criteria = new Map<string, ReturnType<typeof sitesWithCapacity>>();
  private readonly slots = new Map<string, ReturnType<typeof siteCandidates>>();

  constructor(
    private readonly db: Db,
    private readonly period: Period,
  ) {}

  withCriteria(subject: PathwaySubject) {
    const key = `${subject.treatmentFunctionCode}/${subject.procedureCode}`;
    if (!this.criteria.has(key)) this.criteria.set(key, sitesWithCapacity(this.db, subject, this.period));
    return this.criteria.get(key)!;
  }

  async candidates(subject: PathwaySubject) {
    const key = `${subject.treatmentFunctionCode}/${subject.procedureCode}`;
    if (!this.slots.has(key)) {
      const sites = (await this.withCriteria(subject)).map((site) => site.siteOds);
      this.slots.set(key, siteCandidates(this.db, sites, { treatmentFunctionCode: subject.treatmentFunctionCode, procedureCode: subject.procedureCode, ...this.period }));
    }
    return this.slots.get(key)!;
  }
}
