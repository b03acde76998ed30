/**
 * The equity report (PRODUCT.md §5): a campaign's funnel by deprivation quintile, age band, sex,
 * ethnicity and the channel the offer reached the patient by (text message, email or letter), with each group's acceptance and treatment rates set against the campaign's, and a flag
 * where they diverge by more than a margin. Outsourcing has historically favoured affluent patients:
 * this is where a regional team sees whether theirs does.
 *
 * The stages are the funnel's (reports/campaign-funnel.ts), counted over the campaign's transfers in
 * one grouping-sets pass; here `eligible` is the transfers started for the group's patients, in the
 * campaign's row too (the dry run's launch figure has no breakdown by person, and rates must compare
 * like with like).
 *
 * - acceptance rate = accepted ÷ offered: of the patients who got an offer, the share who took it.
 * - treatment rate = treated ÷ accepted: of those who accepted, the share who have been treated so far.
 *   While a campaign runs, accepted patients are still waiting for their date, so every group's rate
 *   is low early on; the comparison with the campaign's rate (low by the same token) still holds.
 * - A group's rate is judged only when its denominator is at least `minDenominator` (20 by default):
 *   below that, one patient moves the rate by more than 5 points, half the default margin, so a
 *   difference says nothing. Such a group is shown as "too few to say", never flagged.
 * - A judged rate is flagged when it is more than `marginPoints` percentage points (10 by default)
 *   above or below the campaign's rate, the campaign's including the group's own patients.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { SEXES } from '../db/schema';
import { CHANNEL_LABELS, PATIENT_CHANNELS } from '../domain/channels';
import { toCsv } from './csv';
import {
  asReport,
  campaignFacts,
  campaignTransferStages,
  countsOf,
  NO_COUNTS,
  snakeCase,
  STAGE_COUNTS,
} from './campaign-funnel';
import { FUNNEL_STAGES, type FunnelCounts } from './funnel-stages';

export const DEFAULT_MARGIN_POINTS = 10;
export const DEFAULT_MIN_DENOMINATOR = 20;

export const EQUITY_DIMENSIONS = ['imdQuintile', 'ageBand', 'sex', 'ethnicity', 'channel'] as const;
export type EquityDimensionName = (typeof EQUITY_DIMENSIONS)[number];

export interface RateReading {
  readonly numerator: number;
  readonly denominator: number;
  /** A share from 0 to 1; null when nobody is in the denominator. */
  readonly rate: number | null;
}

export interface GroupRate extends RateReading {
  /** Whether the denominator is big enough to say anything (at least the report's minDenominator). */
  readonly judged: boolean;
  /** Group's rate minus the campaign's, in percentage points; null when either rate is null. */
  readonly differencePoints: number | null;
  /** Set when judged and the difference is more than the margin. */
  readonly flag: 'above' | 'below' | null;
}

export interface EquityGroup {
  /** Stable key for machines: '1'…'5' and 'unknown' for quintiles, '18-39' for age bands, codes otherwise. */
  readonly key: string;
  readonly label: string;
  readonly counts: FunnelCounts;
  readonly acceptance: GroupRate;
  readonly treatment: GroupRate;
}

export interface EquityDimension {
  readonly dimension: EquityDimensionName;
  readonly label: string;
  readonly groups: EquityGroup[];
}

export interface EquityReport {
  readonly campaignId: number;
  readonly asOf: Date;
  /** The day ages are counted on: the campaign's launch (UK time). */
  readonly agesOn: string;
  readonly marginPoints: number;
  readonly minDenominator: number;
  readonly campaign: { readonly counts: FunnelCounts; readonly acceptance: RateReading; readonly treatment: RateReading };
  readonly dimensions: EquityDimension[];
}

export interface EquityOptions {
  readonly marginPoints?: number;
  readonly minDenominator?: number;
}

/** IMD deciles (1 = most deprived tenth of LSOAs in England) folded into quintiles: 1–2 → 1 … 9–10 → 5. */
export const quintileOfDecile = (decile: number) => Math.ceil(decile / 2);

/** Age bands at launch. The cohort is 18 and over; "Under 18" appears only if a patient somehow is. */
export const AGE_BANDS: readonly { readonly key: string; readonly label: string; readonly from: number; readonly to: number }[] = [
  { key: 'under-18', label: 'Under 18', from: 0, to: 17 },
  { key: '18-39', label: '18 to 39', from: 18, to: 39 },
  { key: '40-59', label: '40 to 59', from: 40, to: 59 },
  { key: '60-74', label: '60 to 74', from: 60, to: 74 },
  { key: '75+', label: '75 and over', from: 75, to: Infinity },
];

/**
 * NHS ethnic category codes (NHS Data Model and Dictionary) in their five broad groups, plus "not
 * stated" (Z) and no record. Sixteen codes would split most campaigns into groups too small to judge;
 * the broad groups are what national equity reporting uses.
 */
export const ETHNIC_GROUPS: readonly { readonly key: string; readonly label: string; readonly codes: readonly (string | null)[] }[] = [
  { key: 'white', label: 'White', codes: ['A', 'B', 'C'] },
  { key: 'mixed', label: 'Mixed or multiple ethnic groups', codes: ['D', 'E', 'F', 'G'] },
  { key: 'asian', label: 'Asian or Asian British', codes: ['H', 'J', 'K', 'L'] },
  { key: 'black', label: 'Black or Black British', codes: ['M', 'N', 'P'] },
  { key: 'other', label: 'Other ethnic group', codes: ['R', 'S'] },
  { key: 'not-stated', label: 'Not stated', codes: ['Z'] },
  { key: 'unknown', label: 'Not recorded', codes: [null] },
];

const SEX_LABELS: Record<(typeof SEXES)[number], string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Not known' };

/** Each dimension: its label, its groups in order, and which group a row's raw value falls in. */
const DIMENSIONS: Record<
  EquityDimensionName,
  { label: string; column: string; groups: readonly { key: string; label: string }[]; keyOf: (value: unknown) => string; hideWhenEmpty: readonly string[] }
> = {
  imdQuintile: {
    label: 'Deprivation (IMD quintile of the patient’s neighbourhood)',
    column: 'imd_decile',
    groups: [
      { key: '1', label: '1 (most deprived)' },
      { key: '2', label: '2' },
      { key: '3', label: '3' },
      { key: '4', label: '4' },
      { key: '5', label: '5 (least deprived)' },
      { key: 'unknown', label: 'Not known (no LSOA on record)' },
    ],
    keyOf: (decile) => (decile === null ? 'unknown' : String(quintileOfDecile(Number(decile)))),
    hideWhenEmpty: ['unknown'],
  },
  ageBand: {
    label: 'Age at launch',
    column: 'age',
    groups: AGE_BANDS,
    keyOf: (age) => AGE_BANDS.find((band) => Number(age) >= band.from && Number(age) <= band.to)!.key,
    hideWhenEmpty: ['under-18'],
  },
  sex: {
    label: 'Sex',
    column: 'sex',
    groups: SEXES.map((sex) => ({ key: sex, label: SEX_LABELS[sex] })),
    keyOf: (sex) => String(sex),
    hideWhenEmpty: ['other', 'unknown'],
  },
  ethnicity: {
    label: 'Ethnic group',
    column: 'ethnic_category',
    groups: ETHNIC_GROUPS,
    keyOf: (code) => (ETHNIC_GROUPS.find((group) => group.codes.includes(code as string | null)) ?? ETHNIC_GROUPS.at(-1)!).key,
    hideWhenEmpty: ['not-stated', 'unknown'],
  },
  // Who is reached by which channel: a letter is the channel of those with no mobile or email on file.
  channel: {
    label: 'How the offer reached the patient',
    column: 'channel',
    groups: [...PATIENT_CHANNELS.map((channel) => ({ key: channel, label: CHANNEL_LABELS[channel] })), { key: 'none', label: 'No offer sent (or none on record)' }],
    keyOf: (channel) => (channel === null ? 'none' : String(channel)),
    hideWhenEmpty: ['none'],
  },
};

/** The campaign's equity report now; undefined when there is no such campaign. */
export async function equityReport(db: Db, campaignId: number, options: EquityOptions = {}): Promise<EquityReport | undefined> {
  const marginPoints = options.marginPoints ?? DEFAULT_MARGIN_POINTS;
  const minDenominator = options.minDenominator ?? DEFAULT_MIN_DENOMINATOR;
  const campaign = await campaignFacts(db, campaignId);
  if (!campaign) return undefined;
  const asOf = new Date();
  const agesOn = campaign.launchedAt.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  // Grouped by the raw values (decile, age in years, sex, ethnic code): a hundred-odd rows, folded into
  // quintiles, bands and broad groups below, where those definitions live once.
  const result = await asReport(db, (trx) => sql<Record<string, unknown>>`
    with stages as (${campaignTransferStages(campaignId)}),
    people as (
      select stages.*, l.imd_decile, extract(year from age(${agesOn}::date, pa.date_of_birth))::int as age, pa.sex, pa.ethnic_category
      from stages
      join patients pa on pa.id = stages.patient_id
      left join lsoas l on l.code = pa.lsoa_code
    )
    select grouping(imd_decile) = 0 as by_imd_decile, grouping(age) = 0 as by_age, grouping(sex) = 0 as by_sex,
           grouping(ethnic_category) = 0 as by_ethnic_category, grouping(channel) = 0 as by_channel,
           imd_decile, age, sex, ethnic_category, channel, ${STAGE_COUNTS}
    from people
    group by grouping sets ((imd_decile), (age), (sex), (ethnic_category), (channel), ())`.execute(trx));

  const overallRow = result.rows.find((row) => !row.by_imd_decile && !row.by_age && !row.by_sex && !row.by_ethnic_category && !row.by_channel);
  const overall = overallRow ? countsOf(overallRow) : NO_COUNTS;
  const campaignRates = { acceptance: acceptanceOf(overall), treatment: treatmentOf(overall) };
  const judge = (reading: RateReading, against: RateReading): GroupRate => {
    const judged = reading.denominator >= minDenominator;
    const differencePoints = reading.rate === null || against.rate === null ? null : roundPoints((reading.rate - against.rate) * 100);
    const diverges = judged && differencePoints !== null && Math.abs(differencePoints) > marginPoints;
    return { ...reading, judged, differencePoints, flag: diverges ? (differencePoints > 0 ? 'above' : 'below') : null };
  };

  const dimensions = EQUITY_DIMENSIONS.map((dimension): EquityDimension => {
    const definition = DIMENSIONS[dimension];
    const counts = new Map<string, FunnelCounts>();
    for (const row of result.rows.filter((candidate) => candidate[`by_${definition.column}`])) {
      const key = definition.keyOf(row[definition.column]);
      counts.set(key, addCounts(counts.get(key) ?? NO_COUNTS, countsOf(row)));
    }
    const groups = definition.groups
      .filter((group) => counts.has(group.key) || !definition.hideWhenEmpty.includes(group.key))
      .map((group) => {
        const groupCounts = counts.get(group.key) ?? NO_COUNTS;
        return {
          key: group.key,
          label: group.label,
          counts: groupCounts,
          acceptance: judge(acceptanceOf(groupCounts), campaignRates.acceptance),
          treatment: judge(treatmentOf(groupCounts), campaignRates.treatment),
        };
      });
    return { dimension, label: definition.label, groups };
  });
  return { campaignId, asOf, agesOn, marginPoints, minDenominator, campaign: { counts: overall, ...campaignRates }, dimensions };
}

const rate = (numerator: number, denominator: number): RateReading => ({ numerator, denominator, rate: denominator > 0 ? numerator / denominator : null });
export const acceptanceOf = (counts: FunnelCounts) => rate(counts.accepted, counts.offered);
export const treatmentOf = (counts: FunnelCounts) => rate(counts.treated, counts.accepted);

/** Differences to a millionth of a point, so 60% − 50% is exactly 10 points and not flagged at a margin of 10. */
const roundPoints = (points: number) => Math.round(points * 1e6) / 1e6;

function addCounts(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
  return Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, a[stage] + b[stage]])) as FunnelCounts;
}

/** A rate as a percentage with one decimal ("42.9"); empty when there is nobody to count. */
export const percentText = (reading: RateReading) => (reading.rate === null ? '' : (reading.rate * 100).toFixed(1));

/** What a group's rate says against the campaign's, in words (pages and CSV say the same). */
export function flagText(reading: GroupRate, report: Pick<EquityReport, 'marginPoints' | 'minDenominator'>, denominatorName: string): string {
  if (reading.rate === null) return `no one ${denominatorName} yet`;
  if (!reading.judged) return `too few to say (under ${report.minDenominator} ${denominatorName})`;
  if (reading.flag) return `${reading.flag} the campaign by more than ${report.marginPoints} points`;
  return `within ${report.marginPoints} points of the campaign`;
}

/**
 * The report as CSV: the campaign's row, then one row per group of each dimension, with the funnel's
 * counts, each rate as a percentage with one decimal, its difference from the campaign's in points and
 * the flag in words.
 */
export function equityCsv(report: EquityReport): string {
  const fields = [
    'dimension',
    'group',
    ...FUNNEL_STAGES.map(snakeCase),
    'acceptance_rate_percent',
    'acceptance_vs_campaign_points',
    'acceptance_flag',
    'treatment_rate_percent',
    'treatment_vs_campaign_points',
    'treatment_flag',
  ];
  const points = (reading: GroupRate) => (reading.differencePoints === null ? '' : reading.differencePoints.toFixed(1));
  const rows = [
    ['campaign', 'All patients', ...FUNNEL_STAGES.map((stage) => report.campaign.counts[stage]), percentText(report.campaign.acceptance), '', '', percentText(report.campaign.treatment), '', ''],
    ...report.dimensions.flatMap((dimension) =>
      dimension.groups.map((group) => [
        dimension.dimension,
        group.label,
        ...FUNNEL_STAGES.map((stage) => group.counts[stage]),
        percentText(group.acceptance),
        points(group.acceptance),
        flagText(group.acceptance, report, 'offered'),
        percentText(group.treatment),
        points(group.treatment),
        flagText(group.treatment, report, 'accepted'),
      ]),
    ),
  ];
  return toCsv(fields, rows);
}
