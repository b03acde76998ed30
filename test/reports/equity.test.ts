/**
 * The equity report on real PostgreSQL, against a small campaign worked out by hand: 72 patients of
 * known neighbourhood, age, sex and ethnicity, each left at a known stage. The arithmetic is in the
 * comments beside each expectation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientChannel } from '../../domain/channels';
import { addDays, dayOf } from '../../domain/dates';
import { equityCsv, equityReport, type EquityDimensionName, type EquityGroup, type EquityReport } from '../../reports/equity';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadFixtureWorld } from '../support/fixture-world';
import { addCampaignTransfers, type Cohort, insertCampaign } from './campaign-transfers';

const TODAY = dayOf(new Date());
let database: TestDatabase;
let campaignId: number;

/** LSOAs of IMD deciles 2, 5 and 9: quintiles 1 (most deprived), 3 and 5. */
const LSOA = { q1: 'E01000002', q3: 'E01000005', q5: 'E01000009' } as const;
/** How the offers went: letters to quintile 1, email to quintile 3, text messages to quintile 5. */
const CHANNEL_BY_LSOA: Record<string, PatientChannel> = { [LSOA.q1]: 'letter', [LSOA.q3]: 'email', [LSOA.q5]: 'sms' };
/** Launched on 15 January 2026: a patient born 1 June 1975 is 50, 1960 is 65, 1945 is 80, 1995 is 30. */
const LAUNCHED_AT = '2026-01-15T10:00:00Z';
const BORN = { age50: '1975-06-01', age65: '1960-06-01', age80: '1945-06-01', age30: '1995-06-01' } as const;

/**
 * The campaign, block by block: [count, stage, quintile's LSOA, born, sex, ethnic category].
 * "accepted" is accepted and not (yet) treated; "treated" was accepted too.
 */
const BLOCKS: readonly (readonly [number, Cohort['reached'], string | null, string, 'female' | 'male' | 'unknown', string | null])[] = [
  // Quintile 1, aged 50: 30 offered, 6 accepted, 3 treated.
  [1, 'treated', LSOA.q1, BORN.age50, 'female', 'H'], // a
  [2, 'treated', LSOA.q1, BORN.age50, 'female', 'A'], // b
  [1, 'accepted', LSOA.q1, BORN.age50, 'male', 'H'], // c
  [2, 'accepted', LSOA.q1, BORN.age50, 'male', 'A'], // d
  [10, 'declined', LSOA.q1, BORN.age50, 'female', 'H'], // e
  [8, 'declined', LSOA.q1, BORN.age50, 'male', 'H'], // f
  [6, 'declined', LSOA.q1, BORN.age50, 'male', 'A'], // g
  // Quintile 5, aged 65, all White British: 30 offered, 18 accepted, 12 treated.
  [8, 'treated', LSOA.q5, BORN.age65, 'female', 'A'], // h
  [4, 'accepted', LSOA.q5, BORN.age65, 'female', 'A'], // i
  [4, 'treated', LSOA.q5, BORN.age65, 'male', 'A'], // j
  [2, 'accepted', LSOA.q5, BORN.age65, 'male', 'A'], // k
  [3, 'lapsed', LSOA.q5, BORN.age65, 'female', 'A'], // l
  [9, 'lapsed', LSOA.q5, BORN.age65, 'male', 'A'], // m
  // Quintile 3, aged 80, Black Caribbean women: 10 offered, 9 accepted, 6 treated.
  [6, 'treated', LSOA.q3, BORN.age80, 'female', 'M'], // n
  [3, 'accepted', LSOA.q3, BORN.age80, 'female', 'M'], // o
  [1, 'declined', LSOA.q3, BORN.age80, 'female', 'M'], // p
  // No LSOA, aged 30, sex not known, no ethnicity recorded: screened out, never offered.
  [2, 'screened_out', null, BORN.age30, 'unknown', null], // q
];

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await loadFixtureWorld(db);
  await db
    .insertInto('lsoas')
    .values([
      { code: LSOA.q1, name: 'Leicester 001B', local_authority: 'Leicester', imd_rank: 3_000, imd_decile: 2 },
      { code: LSOA.q3, name: 'Leicester 020A', local_authority: 'Leicester', imd_rank: 15_000, imd_decile: 5 },
      { code: LSOA.q5, name: 'Harborough 004C', local_authority: 'Harborough', imd_rank: 29_000, imd_decile: 9 },
    ])
    .execute();
  const { id: fundId } = await db
    .insertInto('funds')
    .values({ name: 'Equity fund', allocation_pence: 100_000_000, window_from: addDays(TODAY, -90), window_to: addDays(TODAY, 180), region_code: 'Y60' })
    .returning('id')
    .executeTakeFirstOrThrow();
  campaignId = await insertCampaign(db, {
    name: 'Equity check',
    regionCode: 'Y60',
    fundId,
    trusts: ['RWE'],
    treatmentFunctions: ['110'],
    periodFrom: addDays(TODAY, -60),
    periodTo: addDays(TODAY, 90),
    eligible: 80,
    launchedAt: LAUNCHED_AT,
  });
  const place = { fundId, siteOds: 'NT350', procedureDate: addDays(TODAY, -5), treatedOn: addDays(TODAY, -5), pricePence: 700_000 };
  for (const [count, reached, lsoaCode, dateOfBirth, sex, ethnicCategory] of BLOCKS) {
    const channel = lsoaCode ? CHANNEL_BY_LSOA[lsoaCode] : undefined;
    await addCampaignTransfers(db, campaignId, { count, reached, trustOds: 'RWE', treatmentFunctionCode: '110', procedureCode: 'W37.1', channel, patient: { lsoaCode, dateOfBirth, sex, ethnicCategory } }, place);
  }
});

afterAll(async () => {
  await database?.drop();
});

const group = (report: EquityReport, dimension: EquityDimensionName, key: string): EquityGroup => {
  const found = report.dimensions.find((candidate) => candidate.dimension === dimension)!.groups.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no group ${dimension}/${key}`);
  return found;
};
/** A group's two rates as [offered, accepted, difference in points, flag] and [accepted, treated, difference, flag, judged]. */
const rates = (g: EquityGroup) => ({
  acceptance: [g.acceptance.denominator, g.acceptance.numerator, g.acceptance.differencePoints === null ? null : round1(g.acceptance.differencePoints), g.acceptance.flag, g.acceptance.judged],
  treatment: [g.treatment.denominator, g.treatment.numerator, g.treatment.differencePoints === null ? null : round1(g.treatment.differencePoints), g.treatment.flag, g.treatment.judged],
});
const round1 = (points: number) => Math.round(points * 10) / 10;

describe('equityReport', () => {
  it("sets each group's rates against the campaign's: 33 of 70 offered accepted (47.1%), 21 of 33 treated (63.6%)", async () => {
    const report = (await equityReport(database.db, campaignId))!;
    expect(report).toMatchObject({ marginPoints: 10, minDenominator: 20, agesOn: '2026-01-15' });
    // 72 transfers; offered 70 (all but q); accepted 6 + 18 + 9 = 33; treated 3 + 12 + 6 = 21;
    // declined e + f + g + p = 10 + 8 + 6 + 1 = 25; lapsed l + m = 12; booked = treated (the others' slots are only held).
    expect(report.campaign.counts).toMatchObject({ eligible: 72, screenedOut: 2, offered: 70, accepted: 33, declined: 25, lapsed: 12, booked: 21, treated: 21 });
    expect(report.campaign.acceptance.rate).toBeCloseTo(33 / 70, 10);
    expect(report.campaign.treatment.rate).toBeCloseTo(21 / 33, 10);
  });

  it('flags a deprived quintile that accepts far less, but never one too small to say', async () => {
    const report = (await equityReport(database.db, campaignId))!;
    const imd = report.dimensions.find((dimension) => dimension.dimension === 'imdQuintile')!;
    expect(imd.groups.map((g) => [g.key, g.counts.eligible])).toEqual([['1', 30], ['2', 0], ['3', 10], ['4', 0], ['5', 30], ['unknown', 2]]);
    // Quintile 1: 6 / 30 = 20.0%; 20.0 − 47.142857 = −27.1 points → flagged below. Treated 3 of 6: under 20 accepted, not judged.
    expect(rates(group(report, 'imdQuintile', '1'))).toEqual({ acceptance: [30, 6, -27.1, 'below', true], treatment: [6, 3, -13.6, null, false] });
    // Quintile 5: 18 / 30 = 60.0%; 60.0 − 47.142857 = +12.9 points → flagged above. 12 of 18 treated: not judged.
    expect(rates(group(report, 'imdQuintile', '5'))).toEqual({ acceptance: [30, 18, 12.9, 'above', true], treatment: [18, 12, 3, null, false] });
    // Quintile 3: 9 / 10 = 90.0%, +42.9 points, but 10 offered is under 20: too few to say, not flagged.
    expect(rates(group(report, 'imdQuintile', '3'))).toEqual({ acceptance: [10, 9, 42.9, null, false], treatment: [9, 6, 3, null, false] });
    // Quintile 2 and the unknown neighbourhoods: nobody offered, no rate.
    expect(group(report, 'imdQuintile', '2').acceptance).toMatchObject({ rate: null, differencePoints: null, flag: null });
    expect(group(report, 'imdQuintile', 'unknown').counts).toMatchObject({ eligible: 2, screenedOut: 2, offered: 0 });
  });

  it('folds ages at launch into bands, sex and ethnic categories into groups', async () => {
    const report = (await equityReport(database.db, campaignId))!;
    const keys = (dimension: EquityDimensionName) => report.dimensions.find((d) => d.dimension === dimension)!.groups.map((g) => [g.key, g.counts.eligible]);
    // Ages 30, 50, 65, 80: one band each; no one under 18, so no such band.
    expect(keys('ageBand')).toEqual([['18-39', 2], ['40-59', 30], ['60-74', 30], ['75+', 10]]);
    expect(rates(group(report, 'ageBand', '40-59')).acceptance).toEqual([30, 6, -27.1, 'below', true]);
    // Female: a1 b2 e10 h8 i4 l3 n6 o3 p1 = 38 offered; accepted a b h i n o = 1+2+8+4+6+3 = 24 → 63.2%, +16.0 → above.
    // Treated a b h n = 17 of 24 = 70.8%; 70.833 − 63.636 = +7.2 → judged (24 ≥ 20), within the margin.
    // Male: c1 d2 f8 g6 j4 k2 m9 = 32 offered; accepted c d j k = 9 → 28.1%, −19.0 → below. Treated 4 of 9: too few.
    expect(keys('sex')).toEqual([['female', 38], ['male', 32], ['unknown', 2]]);
    expect(rates(group(report, 'sex', 'female'))).toEqual({ acceptance: [38, 24, 16, 'above', true], treatment: [24, 17, 7.2, null, true] });
    expect(rates(group(report, 'sex', 'male'))).toEqual({ acceptance: [32, 9, -19, 'below', true], treatment: [9, 4, -19.2, null, false] });
    // White (A): b2 d2 g6 h8 i4 j4 k2 l3 m9 = 40 offered; accepted b d h i j k = 22 → 55.0%, +7.9: within.
    // Treated b h j = 14 of 22 = 63.6%: the campaign's own rate, 0.0 points.
    // Asian (H): a1 c1 e10 f8 = 20 offered (just judged); accepted 2 → 10.0%, −37.1 → below.
    // Black (M): n6 o3 p1 = 10 offered, 9 accepted → 90.0%: too few to say.
    expect(keys('ethnicity')).toEqual([['white', 40], ['mixed', 0], ['asian', 20], ['black', 10], ['other', 0], ['unknown', 2]]);
    expect(rates(group(report, 'ethnicity', 'white'))).toEqual({ acceptance: [40, 22, 7.9, null, true], treatment: [22, 14, 0, null, true] });
    expect(rates(group(report, 'ethnicity', 'asian')).acceptance).toEqual([20, 2, -37.1, 'below', true]);
    expect(rates(group(report, 'ethnicity', 'black')).acceptance).toEqual([10, 9, 42.9, null, false]);
  });

  it('groups patients by how the offer reached them, with the rates of each channel', async () => {
    const report = (await equityReport(database.db, campaignId))!;
    const channels = report.dimensions.find((d) => d.dimension === 'channel')!;
    expect(channels.label).toBe('How the offer reached the patient');
    // Letters went to quintile 1, email to quintile 3, texts to quintile 5; the 2 screened out were never offered.
    expect(channels.groups.map((g) => [g.key, g.label, g.counts.offered, g.counts.declined, g.counts.accepted])).toEqual([
      ['sms', 'Text message', 30, 0, 18],
      ['email', 'Email', 10, 1, 9],
      ['letter', 'Letter', 30, 24, 6],
      ['none', 'No offer sent (or none on record)', 0, 0, 0],
    ]);
    // Texts: 18 of 30 = 60.0%, +12.9 → above; letters: 6 of 30 = 20.0%, −27.1 → below; email: 10 offered, too few.
    expect(rates(group(report, 'channel', 'sms')).acceptance).toEqual([30, 18, 12.9, 'above', true]);
    expect(rates(group(report, 'channel', 'letter')).acceptance).toEqual([30, 6, -27.1, 'below', true]);
    expect(rates(group(report, 'channel', 'email')).acceptance).toEqual([10, 9, 42.9, null, false]);
    expect(group(report, 'channel', 'none').counts.eligible).toBe(2);
  });

  it('takes a wider margin and a different smallest group when asked', async () => {
    const report = (await equityReport(database.db, campaignId, { marginPoints: 15, minDenominator: 10 }))!;
    // +12.9 is within 15 points; −27.1 still is not; 10 offered is now enough to judge quintile 3's +42.9.
    expect(group(report, 'imdQuintile', '5').acceptance.flag).toBeNull();
    expect(group(report, 'imdQuintile', '1').acceptance.flag).toBe('below');
    expect(group(report, 'imdQuintile', '3').acceptance.flag).toBe('above');
    expect(await equityReport(database.db, 999_999)).toBeUndefined();
  });

  it('writes CSV with rates as percentages to one decimal and the flags in words', async () => {
    const report = (await equityReport(database.db, campaignId))!;
    const csv = equityCsv(report);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'dimension,group,eligible,screened_out,awaiting_review,approved,offered,accepted,declined,lapsed,booked,withdrawn,treated,claimed,' +
        'acceptance_rate_percent,acceptance_vs_campaign_points,acceptance_flag,treatment_rate_percent,treatment_vs_campaign_points,treatment_flag',
    );
    expect(lines[1]).toBe('campaign,All patients,72,2,0,70,70,33,25,12,21,0,21,0,47.1,,,63.6,,');
    expect(lines).toContain(
      'imdQuintile,1 (most deprived),30,0,0,30,30,6,24,0,3,0,3,0,20.0,-27.1,below the campaign by more than 10 points,50.0,-13.6,too few to say (under 20 accepted)',
    );
    expect(lines).toContain('ethnicity,White,40,0,0,40,40,22,6,12,14,0,14,0,55.0,7.9,within 10 points of the campaign,63.6,0.0,within 10 points of the campaign');
    expect(lines).toContain('ethnicity,Mixed or multiple ethnic groups,0,0,0,0,0,0,0,0,0,0,0,0,,,no one offered yet,,,no one accepted yet');
    expect(lines).toContain('channel,Letter,30,0,0,30,30,6,24,0,3,0,3,0,20.0,-27.1,below the campaign by more than 10 points,50.0,-13.6,too few to say (under 20 accepted)');
    expect(lines).toHaveLength(2 + 6 + 4 + 3 + 6 + 4);
    // A name a spreadsheet would run is escaped; a negative difference stays a number.
    const hostile = equityCsv({ ...report, dimensions: [{ ...report.dimensions[0]!, groups: [{ ...report.dimensions[0]!.groups[0]!, label: '=HYPERLINK("x")' }] }] });
    expect(hostile.split('\r\n')[2]).toMatch(/^imdQuintile,"'=HYPERLINK\(""x""\)",.*,-27\.1,/);
  });
});
